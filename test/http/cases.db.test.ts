import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAccount, insertContact } from "../../src/modules/cases/cases.fixtures.ts";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let sales: Session;
let accountId: string;
let contactId: string;
const UNKNOWN = "0190a3c4-0000-7000-8000-000000000000";

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
  accountId = await insertAccount(t.c.db.kysely, "Acme");
  contactId = await insertContact(t.c.db.kysely, accountId, "Wile Coyote");
});
afterAll(async () => t?.close());

async function createCase(payload: Record<string, unknown> = {}) {
  const res = await agent.request({
    method: "POST",
    url: "/api/v1/cases",
    payload: { subject: "Rocket skates misfire", contactId, ...payload },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; number: string; status: string };
}

type Part = { name: string; value: string } | { name: string; filename: string; type?: string; data: Buffer };

function multipart(parts: Part[]) {
  const boundary = `----keepdesk${Math.random().toString(36).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = "filename" in p;
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
      (file ? `; filename="${p.filename}"\r\nContent-Type: ${p.type ?? "application/octet-stream"}` : "") +
      "\r\n\r\n";
    chunks.push(Buffer.from(head), file ? p.data : Buffer.from(p.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("fake but well-started png"),
]);

describe("a case from start to finish", () => {
  it("agent creates a case, replies, resolves it and reads the history", async () => {
    const created = await agent.request({
      method: "POST",
      url: "/api/v1/cases",
      payload: {
        subject: "Anvil delivered to wrong canyon",
        description: "Ordered an anvil, it fell on me instead.",
        contactId,
        priority: "high",
        channel: "email",
        product: "ACME Anvil 500",
      },
    });
    expect(created.statusCode).toBe(201);
    const k = created.json();
    expect(k).toMatchObject({
      subject: "Anvil delivered to wrong canyon",
      status: "new",
      priority: "high",
      channel: "email",
      product: "ACME Anvil 500",
      accountId,
      contactId,
      ownerId: null,
      teamId: null,
      queueId: null,
      sla: [],
      entitlementId: null,
      routing: null,
    });
    expect(k.number).toMatch(/^CS-\d{6}$/);
    expect(k.createdAt).toMatch(/Z$/);

    const reply = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${k.id}/messages`,
      payload: { kind: "reply", body: "So sorry! A new anvil is on its way." },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({
      kind: "reply",
      authorId: agent.userId,
      caseId: k.id,
      attachments: [],
    });
    expect((await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}` })).json().status).toBe("open");

    const resolved = await agent.request({
      method: "PATCH",
      url: `/api/v1/cases/${k.id}`,
      payload: { status: "resolved" },
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: "resolved", statusCategory: "resolved" });

    const history = await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}/history` });
    expect(history.statusCode).toBe(200);
    expect(
      history.json().items.map((h: { field: string; from: unknown; to: unknown }) => [h.field, h.from, h.to]),
    ).toEqual([
      ["created", null, { number: k.number, status: "new" }],
      ["message", null, { id: reply.json().id, kind: "reply" }],
      ["status", "new", "open"],
      ["status", "open", "resolved"],
    ]);
    for (const h of history.json().items)
      expect(h).toMatchObject({ actorKind: "user", actorId: agent.userId });

    const thread = await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}/messages` });
    expect(thread.json().items.map((m: { body: string }) => m.body)).toEqual([
      "So sorry! A new anvil is on its way.",
    ]);

    const types = (await readEvents(t.c.db.kysely, 0, 100_000))
      .filter((e) => e.entityId === k.id)
      .map((e) => e.type);
    expect(types).toEqual([
      "case.created",
      "case.updated",
      "case.status_changed",
      "message.added",
      "case.updated",
      "case.status_changed",
      "case.resolved",
    ]);
  });

  it("finds the case by full-text search and by filters", async () => {
    const res = await agent.request({
      method: "GET",
      url: "/api/v1/cases?q=anvils%20canyon&priority=high,urgent",
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((k: { subject: string }) => k.subject)).toEqual([
      "Anvil delivered to wrong canyon",
    ]);
    const none = await agent.request({ method: "GET", url: "/api/v1/cases?q=anvil&statusCategory=open" });
    expect(none.json().items).toEqual([]);
  });
});

describe("rules answered as problems", () => {
  it("an illegal transition is a 422 naming the allowed statuses", async () => {
    const k = await createCase();
    await agent.request({ method: "PATCH", url: `/api/v1/cases/${k.id}`, payload: { status: "closed" } });
    const res = await agent.request({
      method: "PATCH",
      url: `/api/v1/cases/${k.id}`,
      payload: { status: "on_hold" },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status: 422, allowed: ["open"], from: "closed", to: "on_hold" });
    expect(res.json().detail).toContain("open");
  });

  it("reopen: 200 within the window, 201 with a follow-up past it", async () => {
    const k = await createCase();
    await agent.request({ method: "PATCH", url: `/api/v1/cases/${k.id}`, payload: { status: "resolved" } });
    const again = await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/reopen` });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      reopened: true,
      case: { id: k.id, status: "open", reopenCount: 1 },
    });

    await agent.request({ method: "PATCH", url: `/api/v1/cases/${k.id}`, payload: { status: "resolved" } });
    // Past the window (shrunk to 0 days, so sessions do not expire while the clock moves).
    await admin.request({ method: "PATCH", url: "/api/v1/case-settings", payload: { reopenWindowDays: 0 } });
    t.c.clock.advanceMinutes(1);
    const later = await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/reopen`, payload: {} });
    await admin.request({ method: "PATCH", url: "/api/v1/case-settings", payload: { reopenWindowDays: 14 } });
    expect(later.statusCode).toBe(201);
    expect(later.json()).toMatchObject({ reopened: false, case: { relatedCaseId: k.id, status: "open" } });
    expect(later.headers.location).toBe(`/api/v1/cases/${later.json().case.id}`);
  });

  it("resolving a parent with open children is a 422 listing them, resolveChildren resolves them", async () => {
    const parent = await createCase({ subject: "Outage" });
    const child = await createCase({ subject: "Me too", parentId: parent.id });
    const asked = await agent.request({
      method: "PATCH",
      url: `/api/v1/cases/${parent.id}`,
      payload: { status: "resolved" },
    });
    expect(asked.statusCode).toBe(422);
    expect(asked.json().openChildren).toEqual([
      { id: child.id, number: child.number, subject: "Me too", status: "new" },
    ]);
    const ok = await agent.request({
      method: "PATCH",
      url: `/api/v1/cases/${parent.id}`,
      payload: { status: "resolved", resolveChildren: true },
    });
    expect(ok.statusCode).toBe(200);
    const children = await agent.request({ method: "GET", url: `/api/v1/cases/${parent.id}/children` });
    expect(children.json().items.map((k: { status: string }) => k.status)).toEqual(["resolved"]);
  });

  it("merges a duplicate into the survivor", async () => {
    const a = await createCase({ subject: "Duplicate" });
    const b = await createCase({ subject: "Survivor" });
    const res = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${a.id}/merge`,
      payload: { intoId: b.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      merged: { id: a.id, status: "closed", mergedIntoId: b.id },
      into: { id: b.id },
    });
    const self = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${b.id}/merge`,
      payload: { intoId: b.id },
    });
    expect(self.statusCode).toBe(422);
    const again = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${a.id}/merge`,
      payload: { intoId: b.id },
    });
    expect(again.statusCode).toBe(422);
  });
});

describe("attachments", () => {
  it("uploads, lists and downloads a file with safe headers", async () => {
    const k = await createCase();
    const form = multipart([
      { name: "internal", value: "false" },
      { name: "file", filename: "screen shot.png", type: "image/png", data: PNG },
    ]);
    const res = await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/attachments`, ...form });
    expect(res.statusCode).toBe(201);
    const [a] = res.json().items;
    expect(a).toMatchObject({
      filename: "screen shot.png",
      contentType: "image/png",
      size: PNG.length,
      sha256: createHash("sha256").update(PNG).digest("hex"),
      internal: false,
      uploadedById: agent.userId,
      url: `/api/v1/attachments/${a.id}`,
    });
    const list = await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}/attachments` });
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([a.id]);

    const dl = await agent.request({ method: "GET", url: a.url });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers["content-type"]).toBe("image/png");
    expect(dl.headers["content-disposition"]).toBe(
      "attachment; filename=\"screen shot.png\"; filename*=UTF-8''screen%20shot.png",
    );
    expect(dl.headers["x-content-type-options"]).toBe("nosniff");
    expect(dl.rawPayload.equals(PNG)).toBe(true);
  });

  it("attaches files to a message sent as multipart", async () => {
    const k = await createCase();
    const form = multipart([
      { name: "kind", value: "note" },
      { name: "body", value: "Log attached" },
      {
        name: "files",
        filename: "server.log",
        type: "text/plain",
        data: Buffer.from("ERROR anvil overflow\n"),
      },
    ]);
    const res = await sales.request({ method: "POST", url: `/api/v1/cases/${k.id}/messages`, ...form });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      kind: "note",
      body: "Log attached",
      attachments: [{ filename: "server.log", contentType: "text/plain", internal: true }],
    });
    const thread = await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}/messages` });
    expect(thread.json().items[0].attachments).toHaveLength(1);
  });

  it("refuses a file that is not what it claims (415), an unlisted type (415) and an empty one (400)", async () => {
    const k = await createCase();
    const fake = multipart([
      { name: "file", filename: "cat.png", type: "image/png", data: Buffer.from("<html><script>x</script>") },
    ]);
    const res = await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/attachments`, ...fake });
    expect(res.statusCode).toBe(415);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json().errors[0].path).toBe("/files/0");
    expect(res.json().detail).toContain("not a PNG image");

    const html = multipart([
      { name: "file", filename: "x.html", type: "text/html", data: Buffer.from("<p>") },
    ]);
    expect(
      (await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/attachments`, ...html })).statusCode,
    ).toBe(415);

    const empty = multipart([{ name: "file", filename: "e.txt", type: "text/plain", data: Buffer.alloc(0) }]);
    const e = await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/attachments`, ...empty });
    expect(e.statusCode).toBe(400);
    expect(e.json().errors[0].path).toBe("/files/0");

    const json = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${k.id}/attachments`,
      payload: {},
    });
    expect(json.statusCode).toBe(415);

    const unknownField = multipart([{ name: "colour", value: "red" }]);
    const u = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${k.id}/attachments`,
      ...unknownField,
    });
    expect(u.statusCode).toBe(400);
    expect(u.json().errors[0].path).toBe("/colour");
  });

  it("refuses a file over 10 MB with 413", async () => {
    const k = await createCase();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const form = multipart([{ name: "file", filename: "big.txt", type: "text/plain", data: big }]);
    const res = await agent.request({ method: "POST", url: `/api/v1/cases/${k.id}/attachments`, ...form });
    expect(res.statusCode).toBe(413);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(
      (await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}/attachments` })).json().items,
    ).toEqual([]);
  });
});

describe("queues, statuses and settings", () => {
  it("admin and manager manage queues", async () => {
    const team = (
      await admin.request({ method: "POST", url: "/api/v1/teams", payload: { name: "Tier 1" } })
    ).json();
    const created = await manager.request({
      method: "POST",
      url: "/api/v1/queues",
      payload: { name: "Billing", teamId: team.id },
    });
    expect(created.statusCode).toBe(201);
    const q = created.json();
    expect(q).toMatchObject({ name: "Billing", teamId: team.id });
    const dup = await admin.request({ method: "POST", url: "/api/v1/queues", payload: { name: "billing" } });
    expect(dup.statusCode).toBe(409);
    const renamed = await admin.request({
      method: "PATCH",
      url: `/api/v1/queues/${q.id}`,
      payload: { name: "Invoices" },
    });
    expect(renamed.json().name).toBe("Invoices");
    const k = await createCase({ queueId: q.id });
    const inQueue = await agent.request({ method: "GET", url: `/api/v1/cases?queueId=${q.id}` });
    expect(inQueue.json().items.map((x: { id: string }) => x.id)).toEqual([k.id]);
    expect((await manager.request({ method: "DELETE", url: `/api/v1/queues/${q.id}` })).statusCode).toBe(204);
    expect((await agent.request({ method: "GET", url: `/api/v1/cases/${k.id}` })).json().queueId).toBeNull();
  });

  it("admin adds a custom status that cases can use", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/v1/case-statuses",
      payload: { key: "waiting_on_vendor", label: "Waiting on vendor", category: "paused" },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ key: "waiting_on_vendor", builtin: false, behavesAs: "on_hold" });
    const k = await createCase();
    const moved = await agent.request({
      method: "PATCH",
      url: `/api/v1/cases/${k.id}`,
      payload: { status: "waiting_on_vendor" },
    });
    expect(moved.json()).toMatchObject({ status: "waiting_on_vendor", statusCategory: "paused" });
    const inUse = await admin.request({ method: "DELETE", url: "/api/v1/case-statuses/waiting_on_vendor" });
    expect(inUse.statusCode).toBe(409);
    const builtin = await admin.request({ method: "DELETE", url: "/api/v1/case-statuses/open" });
    expect(builtin.statusCode).toBe(422);
    const list = await agent.request({ method: "GET", url: "/api/v1/case-statuses" });
    expect(list.json().items.map((s: { key: string }) => s.key)).toContain("waiting_on_vendor");
  });

  it("reads and changes the reopen window", async () => {
    expect((await agent.request({ method: "GET", url: "/api/v1/case-settings" })).json()).toEqual({
      reopenWindowDays: 14,
    });
    const res = await admin.request({
      method: "PATCH",
      url: "/api/v1/case-settings",
      payload: { reopenWindowDays: 30 },
    });
    expect(res.json()).toEqual({ reopenWindowDays: 30 });
    await admin.request({ method: "PATCH", url: "/api/v1/case-settings", payload: { reopenWindowDays: 14 } });
  });
});

describe("permission matrix (cases)", () => {
  type Row = [string, (s: Session, role: string) => Promise<number>, Record<string, number>];
  const sessions = () => ({ admin, manager, agent, sales }) as Record<string, Session>;
  const status = async (p: Promise<{ statusCode: number }>) => (await p).statusCode;
  const matrix: Row[] = [
    [
      "list cases",
      (s) => status(s.request({ method: "GET", url: "/api/v1/cases" })),
      { admin: 200, manager: 200, agent: 200, sales: 200 },
    ],
    [
      "read a case",
      async (s) => status(s.request({ method: "GET", url: `/api/v1/cases/${(await createCase()).id}` })),
      { admin: 200, manager: 200, agent: 200, sales: 200 },
    ],
    [
      "create a case",
      (s) =>
        status(s.request({ method: "POST", url: "/api/v1/cases", payload: { subject: "x", contactId } })),
      { admin: 201, manager: 201, agent: 201, sales: 403 },
    ],
    [
      "change status",
      async (s) =>
        status(
          s.request({
            method: "PATCH",
            url: `/api/v1/cases/${(await createCase()).id}`,
            payload: { status: "open" },
          }),
        ),
      { admin: 200, manager: 200, agent: 200, sales: 403 },
    ],
    [
      "change priority",
      async (s) =>
        status(
          s.request({
            method: "PATCH",
            url: `/api/v1/cases/${(await createCase()).id}`,
            payload: { priority: "urgent" },
          }),
        ),
      { admin: 200, manager: 200, agent: 200, sales: 403 },
    ],
    [
      "assign an owner",
      async (s) =>
        status(
          s.request({
            method: "PATCH",
            url: `/api/v1/cases/${(await createCase()).id}`,
            payload: { ownerId: agent.userId },
          }),
        ),
      { admin: 200, manager: 200, agent: 200, sales: 403 },
    ],
    [
      "reply to the customer",
      async (s) =>
        status(
          s.request({
            method: "POST",
            url: `/api/v1/cases/${(await createCase()).id}/messages`,
            payload: { kind: "reply", body: "Hello" },
          }),
        ),
      { admin: 201, manager: 201, agent: 201, sales: 403 },
    ],
    [
      "add an internal note",
      async (s) =>
        status(
          s.request({
            method: "POST",
            url: `/api/v1/cases/${(await createCase()).id}/messages`,
            payload: { kind: "note", body: "Psst" },
          }),
        ),
      { admin: 201, manager: 201, agent: 201, sales: 201 },
    ],
    [
      "merge cases",
      async (s) => {
        const [a, b] = [await createCase(), await createCase()];
        return status(
          s.request({ method: "POST", url: `/api/v1/cases/${a.id}/merge`, payload: { intoId: b.id } }),
        );
      },
      { admin: 200, manager: 200, agent: 200, sales: 403 },
    ],
    [
      "read history",
      async (s) =>
        status(s.request({ method: "GET", url: `/api/v1/cases/${(await createCase()).id}/history` })),
      { admin: 200, manager: 200, agent: 200, sales: 200 },
    ],
    [
      "delete a case",
      async (s) => status(s.request({ method: "DELETE", url: `/api/v1/cases/${(await createCase()).id}` })),
      { admin: 204, manager: 403, agent: 403, sales: 403 },
    ],
    [
      "create a queue",
      (s, role) =>
        status(
          s.request({
            method: "POST",
            url: "/api/v1/queues",
            payload: { name: `Q ${role} ${Math.random()}` },
          }),
        ),
      { admin: 201, manager: 201, agent: 403, sales: 403 },
    ],
    [
      "add a case status",
      (s, role) =>
        status(
          s.request({
            method: "POST",
            url: "/api/v1/case-statuses",
            payload: { key: `custom_${role}`, label: "Custom", category: "open" },
          }),
        ),
      { admin: 201, manager: 403, agent: 403, sales: 403 },
    ],
    [
      "change the reopen window",
      (s) =>
        status(
          s.request({ method: "PATCH", url: "/api/v1/case-settings", payload: { reopenWindowDays: 14 } }),
        ),
      { admin: 200, manager: 403, agent: 403, sales: 403 },
    ],
  ];
  for (const [what, run, expected] of matrix) {
    it(`${what}: ${JSON.stringify(expected)}`, async () => {
      for (const [role, code] of Object.entries(expected)) {
        expect({ role, status: await run(sessions()[role]!, role) }).toEqual({ role, status: code });
      }
    });
  }
});

describe("bad input never gets a 500", () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = (await createCase()).id;
  });
  const cases: { method: "POST" | "PATCH" | "GET"; url: string; payload?: unknown; path: string }[] = [
    { method: "POST", url: "/api/v1/cases", payload: {}, path: "/subject" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "" }, path: "/subject" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "   " }, path: "/subject" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: 5 }, path: "/subject" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", priority: "asap" }, path: "/priority" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", channel: "fax" }, path: "/channel" },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", accountId: "nope" },
      path: "/accountId",
    },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", accountId: `urn:uuid:${UNKNOWN}` },
      path: "/accountId",
    },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", accountId: UNKNOWN },
      path: "/accountId",
    },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", contactId: UNKNOWN },
      path: "/contactId",
    },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", ownerId: UNKNOWN }, path: "/ownerId" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", teamId: UNKNOWN }, path: "/teamId" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", queueId: UNKNOWN }, path: "/queueId" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", parentId: UNKNOWN }, path: "/parentId" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", tags: ["a,b"] }, path: "/tags/0" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", tags: ["  "] }, path: "/tags/0" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", tags: "vip" }, path: "/tags" },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", receivedAt: "yesterday" },
      path: "/receivedAt",
    },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", receivedAt: "2099-01-01T00:00:00Z" },
      path: "/receivedAt",
    },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", colour: "red" }, path: "/colour" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "nul\u0000byte" }, path: "/subject" },
    { method: "POST", url: "/api/v1/cases", payload: { subject: "x", product: "\u0000" }, path: "/product" },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", receivedAt: "0001-01-01T00:00:00Z" },
      path: "/receivedAt",
    },
    { method: "GET", url: "/api/v1/cases?q=%00", path: "/q" },
    { method: "GET", url: "/api/v1/cases?createdFrom=0001-01-01T00:00:00Z", path: "/createdFrom" },
    { method: "GET", url: "/api/v1/cases?tag=a%00b", path: "/tag/0" },
    {
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "x", description: "d".repeat(100_001) },
      path: "/description",
    },
    { method: "PATCH", url: `/api/v1/cases/${UNKNOWN}`, payload: { status: "Open!" }, path: "/status" },
    { method: "PATCH", url: "/api/v1/cases/123", payload: {}, path: "/id" },
    { method: "POST", url: `/api/v1/cases/${UNKNOWN}/merge`, payload: {}, path: "/intoId" },
    { method: "POST", url: `/api/v1/cases/${UNKNOWN}/merge`, payload: { intoId: 7 }, path: "/intoId" },
    {
      method: "POST",
      url: `/api/v1/cases/${UNKNOWN}/messages`,
      payload: { kind: "email", body: "x" },
      path: "/kind",
    },
    {
      method: "POST",
      url: `/api/v1/cases/${UNKNOWN}/messages`,
      payload: { kind: "note", body: "" },
      path: "/body",
    },
    { method: "POST", url: `/api/v1/cases/${UNKNOWN}/messages`, payload: { kind: "note" }, path: "/body" },
    { method: "GET", url: "/api/v1/cases?priority=meh", path: "/priority" },
    { method: "GET", url: "/api/v1/cases?status=bogus", path: "/status" },
    { method: "GET", url: "/api/v1/cases?statusCategory=done", path: "/statusCategory" },
    { method: "GET", url: "/api/v1/cases?sort=name", path: "/sort" },
    { method: "GET", url: "/api/v1/cases?createdFrom=yesterday", path: "/createdFrom" },
    { method: "GET", url: "/api/v1/cases?ownerId=bob", path: "/ownerId" },
    { method: "GET", url: "/api/v1/cases?ownerId=me&unassigned=true", path: "/unassigned" },
    { method: "GET", url: "/api/v1/cases?unassigned=maybe", path: "/unassigned" },
    { method: "GET", url: "/api/v1/cases?cursor=garbage", path: "/cursor" },
    { method: "GET", url: "/api/v1/cases?limit=500", path: "/limit" },
    { method: "GET", url: "/api/v1/cases?bogus=1", path: "/bogus" },
    { method: "GET", url: "/api/v1/cases/not-a-uuid", path: "/id" },
    { method: "GET", url: `/api/v1/cases/${UNKNOWN}/history?cursor=WzEsMl0`, path: "/cursor" },
    { method: "POST", url: "/api/v1/queues", payload: { name: "" }, path: "/name" },
    { method: "POST", url: "/api/v1/queues", payload: { name: "Q", teamId: UNKNOWN }, path: "/teamId" },
    {
      method: "POST",
      url: "/api/v1/case-statuses",
      payload: { key: "Bad Key", label: "x", category: "open" },
      path: "/key",
    },
    {
      method: "POST",
      url: "/api/v1/case-statuses",
      payload: { key: "good_key", label: "x", category: "done" },
      path: "/category",
    },
    {
      method: "PATCH",
      url: "/api/v1/case-settings",
      payload: { reopenWindowDays: -1 },
      path: "/reopenWindowDays",
    },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.url.slice(0, 80)} ${JSON.stringify(c.payload ?? "").slice(0, 80)} → 400 naming ${c.path}`, async () => {
      const res = await admin.request({ method: c.method, url: c.url, payload: c.payload as object });
      expect(res.statusCode).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(c.path);
    });
  }

  it("PATCH on an existing case: bad parent and blank body name the field", async () => {
    const parent = await admin.request({
      method: "PATCH",
      url: `/api/v1/cases/${caseId}`,
      payload: { parentId: UNKNOWN },
    });
    expect(parent.statusCode).toBe(400);
    expect(parent.json().errors[0].path).toBe("/parentId");
    const nul = await admin.request({
      method: "POST",
      url: `/api/v1/cases/${caseId}/messages`,
      payload: { kind: "note", body: "a\u0000b" },
    });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors[0].path).toBe("/body");
    const blank = await admin.request({
      method: "POST",
      url: `/api/v1/cases/${caseId}/messages`,
      payload: { kind: "note", body: "   " },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].path).toBe("/body");
  });

  it("an unknown case is a 404 problem", async () => {
    for (const url of [
      `/api/v1/cases/${UNKNOWN}`,
      `/api/v1/cases/${UNKNOWN}/messages`,
      `/api/v1/attachments/${UNKNOWN}`,
    ]) {
      const res = await agent.request({ method: "GET", url });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toContain("application/problem+json");
    }
  });
});

describe("OpenAPI", () => {
  it("documents the cases routes", async () => {
    const doc = (await t.app.inject({ url: "/api/docs/json" })).json();
    for (const p of [
      "/api/v1/cases",
      "/api/v1/cases/{id}",
      "/api/v1/cases/{id}/messages",
      "/api/v1/cases/{id}/attachments",
      "/api/v1/cases/{id}/history",
      "/api/v1/cases/{id}/children",
      "/api/v1/cases/{id}/merge",
      "/api/v1/cases/{id}/reopen",
      "/api/v1/attachments/{id}",
      "/api/v1/queues",
      "/api/v1/case-statuses",
      "/api/v1/case-settings",
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});
