import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: Session;
let sales: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  sales = await t.signInAs("sales");
});
afterAll(async () => t?.close());

type Account = { id: string; name: string; annualRevenue: number; tier: string; [k: string]: unknown };

async function createAccount(as: Session, payload: Record<string, unknown>): Promise<Account> {
  const res = await as.request({ method: "POST", url: "/api/v1/accounts", payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function createContact(as: Session, payload: Record<string, unknown>) {
  const res = await as.request({ method: "POST", url: "/api/v1/contacts", payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function eventsFor(entityId: string) {
  return (await readEvents(t.c.db.kysely)).filter((e) => e.entityId === entityId);
}

describe("accounts CRUD", () => {
  it("creates, reads, lists, edits and deletes an account, with an event for each change", async () => {
    const created = await createAccount(sales, {
      name: "  Globex Corporation ",
      annualRevenue: 125000.5,
      ownerId: sales.userId,
      domain: "Globex.example",
      industry: "Energy",
      country: "US",
      timeZone: "America/Chicago",
      customerSince: "2021-06-01",
    });
    expect(created).toEqual({
      id: expect.any(String),
      name: "Globex Corporation",
      annualRevenue: 125000.5,
      tier: expect.stringMatching(/^(key|standard)$/),
      ownerId: sales.userId,
      domain: "globex.example",
      industry: "Energy",
      country: "US",
      timeZone: "America/Chicago",
      customerSince: "2021-06-01",
      health: { score: null, band: null },
      createdAt: "2026-03-02T09:00:00.000Z",
      updatedAt: "2026-03-02T09:00:00.000Z",
    });

    const read = await admin.request({ method: "GET", url: `/api/v1/accounts/${created.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(created);

    const list = await admin.request({ method: "GET", url: `/api/v1/accounts?ownerId=${sales.userId}` });
    expect(list.json()).toEqual({ items: [created], nextCursor: null });

    t.c.clock.advanceMinutes(5);
    const edited = await sales.request({
      method: "PATCH",
      url: `/api/v1/accounts/${created.id}`,
      payload: { name: "Globex", industry: null, ownerId: null, customerSince: "2021-07-01" },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      name: "Globex",
      industry: null,
      ownerId: null,
      customerSince: "2021-07-01",
      domain: "globex.example",
      updatedAt: "2026-03-02T09:05:00.000Z",
    });

    // An edit that changes nothing records nothing.
    const same = await sales.request({
      method: "PATCH",
      url: `/api/v1/accounts/${created.id}`,
      payload: { name: "Globex", annualRevenue: 125000.5 },
    });
    expect(same.statusCode).toBe(200);

    const contact = await createContact(sales, {
      accountId: created.id,
      name: "Hank Scorpio",
      email: "hank@globex.example",
    });

    expect(
      (await admin.request({ method: "DELETE", url: `/api/v1/accounts/${created.id}` })).statusCode,
    ).toBe(204);
    expect((await admin.request({ method: "GET", url: `/api/v1/accounts/${created.id}` })).statusCode).toBe(
      404,
    );
    // Its contacts go with it.
    expect((await admin.request({ method: "GET", url: `/api/v1/contacts/${contact.id}` })).statusCode).toBe(
      404,
    );
    expect(
      (await admin.request({ method: "DELETE", url: `/api/v1/accounts/${created.id}` })).statusCode,
    ).toBe(404);

    const events = (await eventsFor(created.id)).filter((e) => e.type !== "account.tier_changed");
    expect(events.map((e) => [e.type, e.accountId, e.actorId])).toEqual([
      ["account.created", created.id, sales.userId],
      ["account.updated", created.id, sales.userId],
      ["account.deleted", created.id, admin.userId],
    ]);
    expect(events[0]!.data).toEqual({
      name: "Globex Corporation",
      annualRevenue: 125000.5,
      ownerId: sales.userId,
    });
    expect(events[1]!.data).toEqual({
      changes: {
        name: { from: "Globex Corporation", to: "Globex" },
        ownerId: { from: sales.userId, to: null },
        industry: { from: "Energy", to: null },
        customerSince: { from: "2021-06-01", to: "2021-07-01" },
      },
    });
    expect(events[2]!.data).toEqual({ name: "Globex", annualRevenue: 125000.5, contactsDeleted: 1 });
  });

  it("defaults: no revenue, standard tier, UTC, unscored health", async () => {
    const a = await createAccount(admin, { name: "Jane Q. Public" });
    expect(a).toMatchObject({
      annualRevenue: 0,
      tier: "standard",
      ownerId: null,
      domain: null,
      industry: null,
      country: null,
      timeZone: "UTC",
      customerSince: null,
      health: { score: null, band: null },
    });
  });

  it("the owner must be an existing, active staff user", async () => {
    const unknown = await admin.request({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "Ownerless", ownerId: "0190a3c4-0000-7000-8000-000000000000" },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ path: "/ownerId", message: "no such user" }]);

    const gone = await t.signInAs("sales");
    await admin.request({ method: "DELETE", url: `/api/v1/users/${gone.userId}` });
    const inactive = await admin.request({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "Orphan", ownerId: gone.userId },
    });
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json().errors).toEqual([{ path: "/ownerId", message: "is deactivated" }]);

    const a = await createAccount(admin, { name: "Owned later" });
    const patch = await admin.request({
      method: "PATCH",
      url: `/api/v1/accounts/${a.id}`,
      payload: { ownerId: gone.userId },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().errors[0].path).toBe("/ownerId");
  });

  it("refuses revenue with more than two decimals rather than rounding it away", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/v1/accounts",
      payload: { name: "Fractions", annualRevenue: 10.005 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe("/annualRevenue");
  });

  it("answers 404 for unknown ids on every account endpoint", async () => {
    const id = "0190a3c4-0000-7000-8000-000000000000";
    for (const [method, url, payload] of [
      ["GET", `/api/v1/accounts/${id}`, undefined],
      ["PATCH", `/api/v1/accounts/${id}`, { name: "X" }],
      ["PATCH", `/api/v1/accounts/${id}`, { annualRevenue: 5 }],
      ["DELETE", `/api/v1/accounts/${id}`, undefined],
      ["GET", `/api/v1/accounts/${id}/contacts`, undefined],
    ] as const) {
      const res = await admin.request({ method, url, ...(payload ? { payload } : {}) });
      expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 404 });
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
  });
});

describe("account search", () => {
  let acme: Account;
  let initech: Account;
  let umbrella: Account;

  beforeAll(async () => {
    acme = await createAccount(admin, { name: "Acme Rockets", domain: "acme.com" });
    initech = await createAccount(admin, { name: "Initech", domain: "initech.example" });
    umbrella = await createAccount(admin, { name: "Umbrella 100%_Corp" });
    await createContact(admin, { accountId: initech.id, name: "Jane Doe", email: "jane@initech.example" });
    // A contact who writes from a domain that is not her account's own.
    await createContact(admin, {
      accountId: umbrella.id,
      name: "Alice Wong",
      email: "alice@acme-partners.org",
    });
    await createContact(admin, { accountId: acme.id, name: "Wile E.", email: "wile@acme.com" });
  });

  const search = async (q: string) => {
    const res = await sales.request({ method: "GET", url: `/api/v1/accounts?q=${encodeURIComponent(q)}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Account[]).map((a) => a.name);
  };

  it.each([
    { q: "acme", names: ["Acme Rockets"], why: "name contains, any case" },
    { q: "ROCK", names: ["Acme Rockets"], why: "name contains, any case" },
    { q: "acme.com", names: ["Acme Rockets"], why: "the account's domain" },
    { q: "@acme.com", names: ["Acme Rockets"], why: "a domain written with its @" },
    { q: "initech.example", names: ["Initech"], why: "domain" },
    { q: "acme-partners.org", names: ["Umbrella 100%_Corp"], why: "a contact's email domain" },
    { q: "jane@", names: ["Initech"], why: "a contact's email" },
    { q: "JANE@INITECH.EXAMPLE", names: ["Initech"], why: "a whole contact email, any case" },
    { q: "alice@acme", names: ["Umbrella 100%_Corp"], why: "part of a contact email" },
    { q: "100%_", names: ["Umbrella 100%_Corp"], why: "% and _ are literal characters" },
    { q: "%", names: ["Umbrella 100%_Corp"], why: "% is not a wildcard" },
    { q: "doe", names: [], why: "a contact's name alone is not an account search" },
    { q: "nobody.example", names: [], why: "nothing matches" },
  ])("q=$q finds $names ($why)", async ({ q, names }) => {
    expect(await search(q)).toEqual(names);
  });

  it("combines the search with filters", async () => {
    const res = await sales.request({ method: "GET", url: "/api/v1/accounts?q=acme&tier=key" });
    expect(res.json().items).toEqual([]);
  });
});

describe("account pagination", () => {
  it("pages by name and by revenue with keyset cursors, each row exactly once, in order", async () => {
    const owner = await t.signInAs("sales");
    const revenues = [700, 300, 300, 0, 1200.25, 55, 300];
    const names = ["delta", "Alpha", "charlie", "Bravo", "echo", "alpha", "Foxtrot"];
    for (let i = 0; i < names.length; i++) {
      await createAccount(admin, { name: names[i], annualRevenue: revenues[i], ownerId: owner.userId });
    }
    const walk = async (query: string) => {
      const seen: Account[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await sales.request({
          method: "GET",
          url: `/api/v1/accounts?ownerId=${owner.userId}&limit=3${query}${cursor ? `&cursor=${cursor}` : ""}`,
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as { items: Account[]; nextCursor: string | null };
        seen.push(...body.items);
        cursor = body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      return seen;
    };

    const byName = await walk("");
    expect(byName.map((a) => a.name.toLowerCase())).toEqual([
      "alpha",
      "alpha",
      "bravo",
      "charlie",
      "delta",
      "echo",
      "foxtrot",
    ]);
    expect(new Set(byName.map((a) => a.id)).size).toBe(7);

    const byRevenue = await walk("&sort=-annualRevenue");
    expect(byRevenue.map((a) => a.annualRevenue)).toEqual([1200.25, 700, 300, 300, 300, 55, 0]);
    // Equal revenues come in id order, so the cursor never skips or repeats one.
    const tied = byRevenue.filter((a) => a.annualRevenue === 300).map((a) => a.id);
    expect(tied).toEqual([...tied].sort());
    expect(new Set(byRevenue.map((a) => a.id)).size).toBe(7);
  });

  it("refuses a cursor from the other sort order, or a forged one, with 400 naming /cursor", async () => {
    const first = await admin.request({ method: "GET", url: "/api/v1/accounts?limit=1" });
    const nameCursor = first.json().nextCursor as string;
    const forged = Buffer.from(JSON.stringify([5, "not-a-uuid"])).toString("base64url");
    for (const url of [
      `/api/v1/accounts?sort=-annualRevenue&cursor=${nameCursor}`,
      `/api/v1/accounts?sort=-annualRevenue&cursor=${forged}`,
      `/api/v1/accounts?cursor=${forged}`,
      "/api/v1/accounts?cursor=garbage",
    ]) {
      const res = await admin.request({ method: "GET", url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json().errors[0].path).toBe("/cursor");
    }
  });
});

describe("OpenAPI", () => {
  it("describes the account and contact routes", async () => {
    const doc = (await t.app.inject({ url: "/api/docs/json" })).json();
    for (const p of [
      "/api/v1/accounts",
      "/api/v1/accounts/{id}",
      "/api/v1/accounts/{id}/contacts",
      "/api/v1/contacts",
      "/api/v1/contacts/{id}",
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(Object.keys(doc.paths["/api/v1/contacts"].post.responses["409"].content)).toEqual([
      "application/problem+json",
    ]);
  });
});
