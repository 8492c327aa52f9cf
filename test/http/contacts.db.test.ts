import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let manager: Session;
let agent: Session;
let acme: { id: string };
let initech: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  const make = async (name: string) =>
    (await manager.request({ method: "POST", url: "/api/v1/accounts", payload: { name } })).json();
  acme = await make("Acme");
  initech = await make("Initech");
});
afterAll(async () => t?.close());

type Contact = { id: string; accountId: string; name: string; email: string; [k: string]: unknown };

async function createContact(as: Session, payload: Record<string, unknown>): Promise<Contact> {
  const res = await as.request({ method: "POST", url: "/api/v1/contacts", payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe("contacts CRUD", () => {
  it("creates, reads, lists, edits, moves and deletes a contact, with an event for each change", async () => {
    const created = await createContact(agent, {
      accountId: acme.id,
      name: " Wile E. Coyote ",
      email: "Wile@Acme.example",
      phone: "+1 (555) 010-9999 x12",
      title: "Head of Procurement",
      timeZone: "America/Phoenix",
      language: "en-US",
    });
    expect(created).toEqual({
      id: expect.any(String),
      accountId: acme.id,
      name: "Wile E. Coyote",
      email: "Wile@Acme.example",
      phone: "+1 (555) 010-9999 x12",
      title: "Head of Procurement",
      timeZone: "America/Phoenix",
      language: "en-US",
      createdAt: "2026-03-02T09:00:00.000Z",
      updatedAt: "2026-03-02T09:00:00.000Z",
    });
    expect((await agent.request({ method: "GET", url: `/api/v1/contacts/${created.id}` })).json()).toEqual(
      created,
    );

    const edited = await agent.request({
      method: "PATCH",
      url: `/api/v1/contacts/${created.id}`,
      payload: { phone: null, title: "CEO", email: "wile@acme.example" },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ phone: null, title: "CEO", email: "wile@acme.example" });

    const moved = await agent.request({
      method: "PATCH",
      url: `/api/v1/contacts/${created.id}`,
      payload: { accountId: initech.id },
    });
    expect(moved.json().accountId).toBe(initech.id);

    expect(
      (await manager.request({ method: "DELETE", url: `/api/v1/contacts/${created.id}` })).statusCode,
    ).toBe(204);
    expect((await manager.request({ method: "GET", url: `/api/v1/contacts/${created.id}` })).statusCode).toBe(
      404,
    );

    const events = (await readEvents(t.c.db.kysely)).filter((e) => e.entityId === created.id);
    expect(events.map((e) => [e.type, e.accountId, e.actorId, e.data])).toEqual([
      ["contact.created", acme.id, agent.userId, { name: "Wile E. Coyote", email: "Wile@Acme.example" }],
      [
        "contact.updated",
        acme.id,
        agent.userId,
        {
          changes: {
            email: { from: "Wile@Acme.example", to: "wile@acme.example" },
            phone: { from: "+1 (555) 010-9999 x12", to: null },
            title: { from: "Head of Procurement", to: "CEO" },
          },
        },
      ],
      [
        "contact.updated",
        initech.id,
        agent.userId,
        { changes: { accountId: { from: acme.id, to: initech.id } } },
      ],
      ["contact.deleted", initech.id, manager.userId, { name: "Wile E. Coyote", email: "wile@acme.example" }],
    ]);
  });

  it("defaults: English, the account's time zone, no phone or title", async () => {
    const c = await createContact(agent, {
      accountId: acme.id,
      name: "Road Runner",
      email: "beep@acme.example",
    });
    expect(c).toMatchObject({ language: "en", timeZone: null, phone: null, title: null });
  });

  it("emails are unique whatever their case: 409", async () => {
    await createContact(agent, { accountId: acme.id, name: "Dup One", email: "dup@acme.example" });
    const again = await agent.request({
      method: "POST",
      url: "/api/v1/contacts",
      payload: { accountId: initech.id, name: "Dup Two", email: "DUP@acme.example" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toContain("application/problem+json");

    const other = await createContact(agent, {
      accountId: acme.id,
      name: "Other",
      email: "other@acme.example",
    });
    const clash = await agent.request({
      method: "PATCH",
      url: `/api/v1/contacts/${other.id}`,
      payload: { email: "Dup@Acme.example" },
    });
    expect(clash.statusCode).toBe(409);
  });

  it("two parallel creates with one email: one 201, one 409, never a 500", async () => {
    const results = await Promise.all(
      [1, 2].map((i) =>
        agent.request({
          method: "POST",
          url: "/api/v1/contacts",
          payload: { accountId: acme.id, name: `Racer ${i}`, email: "race@acme.example" },
        }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it("the account must exist: 400 naming /accountId", async () => {
    const ghost = "0190a3c4-0000-7000-8000-000000000000";
    const res = await agent.request({
      method: "POST",
      url: "/api/v1/contacts",
      payload: { accountId: ghost, name: "Nobody", email: "nobody@ghost.example" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: "/accountId", message: "no such account" }]);

    const c = await createContact(agent, { accountId: acme.id, name: "Stays", email: "stays@acme.example" });
    const move = await agent.request({
      method: "PATCH",
      url: `/api/v1/contacts/${c.id}`,
      payload: { accountId: ghost },
    });
    expect(move.statusCode).toBe(400);
    expect(move.json().errors[0].path).toBe("/accountId");
  });

  it("other modules read accounts and contacts inside their own transaction", async () => {
    const c = await createContact(agent, {
      accountId: acme.id,
      name: "Looked Up",
      email: "lookup@acme.example",
    });
    await t.c.db.kysely.transaction().execute(async (trx) => {
      expect(await t.c.accounts.contactIn(trx, c.id)).toEqual(c);
      expect((await t.c.accounts.accountIn(trx, acme.id))?.tier).toBe("standard");
      expect(await t.c.accounts.accountIn(trx, "0190a3c4-0000-7000-8000-000000000000")).toBeUndefined();
    });
  });

  it("answers 404 for unknown ids on every contact endpoint", async () => {
    const id = "0190a3c4-0000-7000-8000-000000000000";
    for (const [method, payload] of [
      ["GET", undefined],
      ["PATCH", { name: "X" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await manager.request({
        method,
        url: `/api/v1/contacts/${id}`,
        ...(payload ? { payload } : {}),
      });
      expect({ method, status: res.statusCode }).toEqual({ method, status: 404 });
    }
  });
});

describe("contact lists", () => {
  let globex: { id: string };

  beforeAll(async () => {
    globex = (
      await manager.request({ method: "POST", url: "/api/v1/accounts", payload: { name: "Globex" } })
    ).json();
    for (const [name, email] of [
      ["Hank Scorpio", "hank@globex.example"],
      ["Frank Grimes", "frank@globex.example"],
      ["alice Smith", "asmith@globex.example"],
      ["Bob Jones", "bob@globex.example"],
      ["Carol Hank", "carol@globex.example"],
    ]) {
      await createContact(manager, { accountId: globex.id, name, email });
    }
    await createContact(manager, {
      accountId: initech.id,
      name: "Hanker Elsewhere",
      email: "he@initech.example",
    });
  });

  const names = (body: { items: Contact[] }) => body.items.map((c) => c.name);

  it("filters by account and searches names and emails", async () => {
    const byAccount = await agent.request({ method: "GET", url: `/api/v1/contacts?accountId=${globex.id}` });
    expect(names(byAccount.json())).toEqual([
      "alice Smith",
      "Bob Jones",
      "Carol Hank",
      "Frank Grimes",
      "Hank Scorpio",
    ]);
    const hank = await agent.request({ method: "GET", url: "/api/v1/contacts?q=HANK" });
    expect(names(hank.json())).toEqual(["Carol Hank", "Hank Scorpio", "Hanker Elsewhere"]);
    const hankAtGlobex = await agent.request({
      method: "GET",
      url: `/api/v1/contacts?q=hank&accountId=${globex.id}`,
    });
    expect(names(hankAtGlobex.json())).toEqual(["Carol Hank", "Hank Scorpio"]);
    const byEmail = await agent.request({ method: "GET", url: "/api/v1/contacts?q=asmith@" });
    expect(names(byEmail.json())).toEqual(["alice Smith"]);
  });

  it("GET /accounts/{id}/contacts lists one account's contacts, paged", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await agent.request({
        method: "GET",
        url: `/api/v1/accounts/${globex.id}/contacts?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: Contact[]; nextCursor: string | null };
      seen.push(...names(body));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["alice Smith", "Bob Jones", "Carol Hank", "Frank Grimes", "Hank Scorpio"]);

    const searched = await agent.request({
      method: "GET",
      url: `/api/v1/accounts/${globex.id}/contacts?q=grimes`,
    });
    expect(names(searched.json())).toEqual(["Frank Grimes"]);
  });
});
