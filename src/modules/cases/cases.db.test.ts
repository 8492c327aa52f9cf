import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import { AppError } from "../../platform/errors.ts";
import { readEvents } from "../../platform/events/event-bus.ts";
import { as, contactActor, insertAccount, insertContact, staffActor } from "./cases.fixtures.ts";
import type { Case } from "./cases.service.ts";

let c: TestContainer;
let agent: Actor;
let manager: Actor;
let sales: Actor;
let admin: Actor;
let acme: string;
let globex: string;
let wile: string;
let hank: string;

beforeAll(async () => {
  c = await createTestContainer();
  agent = await staffActor(c.users, "agent");
  manager = await staffActor(c.users, "manager");
  sales = await staffActor(c.users, "sales");
  admin = await staffActor(c.users, "admin");
  acme = await insertAccount(c.db.kysely, "Acme");
  globex = await insertAccount(c.db.kysely, "Globex");
  wile = await insertContact(c.db.kysely, acme, "Wile Coyote");
  hank = await insertContact(c.db.kysely, globex, "Hank Scorpio");
});
afterAll(async () => c?.testDb.drop());

const newCase = (subject = "Printer on fire", extra: Record<string, unknown> = {}) =>
  c.cases.create(as(agent), { subject, contactId: wile, ...extra });

async function rejects(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the call to be refused");
}

async function eventsOf(caseId: string) {
  return (await readEvents(c.db.kysely, 0, 100_000)).filter((e) => e.entityId === caseId);
}

describe("creating cases", () => {
  it("takes the contact's account, defaults priority, channel, status and receivedAt", async () => {
    const k = await newCase();
    expect(k).toMatchObject({
      accountId: acme,
      contactId: wile,
      priority: "normal",
      channel: "api",
      status: "new",
      statusCategory: "open",
      receivedAt: c.clock.now().toISOString(),
      reopenCount: 0,
      sla: [],
      entitlementId: null,
      routing: null,
    });
    expect(k.number).toMatch(/^CS-\d{6,}$/);
    const events = await eventsOf(k.id);
    expect(events.map((e) => e.type)).toEqual(["case.created"]);
    expect(events[0]!.accountId).toBe(acme);
  });

  it("refuses a contact of another account than accountId, naming /contactId", async () => {
    const e = await rejects(newCase("x", { accountId: globex }));
    expect(e.code).toBe("validation");
    expect(e.extra.errors).toEqual([{ path: "/contactId", message: expect.any(String) }]);
  });

  it.each([
    ["accountId", { accountId: "0190a3c4-0000-7000-8000-000000000000", contactId: undefined }],
    ["contactId", { contactId: "0190a3c4-0000-7000-8000-000000000000" }],
    ["ownerId", { ownerId: "0190a3c4-0000-7000-8000-000000000000" }],
    ["teamId", { teamId: "0190a3c4-0000-7000-8000-000000000000" }],
    ["queueId", { queueId: "0190a3c4-0000-7000-8000-000000000000" }],
    ["parentId", { parentId: "0190a3c4-0000-7000-8000-000000000000" }],
  ])("an unknown %s is a 400 naming it", async (field, extra) => {
    const e = await rejects(newCase("x", extra));
    expect(e.code).toBe("validation");
    expect(e.extra.errors?.[0]?.path).toBe(`/${field}`);
  });

  it("numbers 50 concurrent creations uniquely and consecutively", async () => {
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        c.cases.create(as(agent), { subject: `Burst ${i}`, accountId: globex }),
      ),
    );
    const numbers = created.map((k) => Number(k.number.slice(3))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49]! - numbers[0]!).toBe(49);
  });
});

describe("status changes", () => {
  it("refuses an illegal transition with a 422 naming the allowed ones", async () => {
    const k = await newCase();
    await c.cases.update(as(agent), k.id, { status: "open" });
    const refused = await rejects(c.cases.update(as(agent), k.id, { status: "new" }));
    expect(refused.code).toBe("rule");
    expect(refused.extra.allowed).toEqual(["waiting_on_customer", "on_hold", "resolved", "closed"]);
    expect(refused.message).toContain("waiting_on_customer, on_hold, resolved, closed");
  });

  it("resolving stamps resolvedAt and raises status_changed and resolved events", async () => {
    const k = await newCase();
    const { case: resolved } = await c.cases.update(as(agent), k.id, { status: "resolved" });
    expect(resolved.resolvedAt).toBe(c.clock.now().toISOString());
    expect(resolved.statusCategory).toBe("resolved");
    const types = (await eventsOf(k.id)).map((e) => e.type);
    expect(types).toEqual(["case.created", "case.updated", "case.status_changed", "case.resolved"]);
    const changed = (await eventsOf(k.id)).find((e) => e.type === "case.status_changed")!;
    expect(changed.data).toMatchObject({ from: "new", to: "resolved" });
  });

  it("assignment and priority changes raise their events", async () => {
    const k = await newCase();
    await c.cases.update(as(manager), k.id, {
      ownerId: agent.kind === "user" ? agent.id : "",
      priority: "urgent",
    });
    const events = await eventsOf(k.id);
    expect(events.find((e) => e.type === "case.assigned")!.data).toMatchObject({
      ownerId: (agent as { id: string }).id,
      previousOwnerId: null,
    });
    expect(events.find((e) => e.type === "case.priority_changed")!.data).toEqual({
      from: "normal",
      to: "urgent",
    });
  });

  it("custom statuses behave like the built-in of their category", async () => {
    await c.caseStatuses.create(as(admin), { key: "in_progress", label: "In progress", category: "open" });
    const k = await newCase();
    const { case: moved } = await c.cases.update(as(agent), k.id, { status: "in_progress" });
    expect(moved).toMatchObject({ status: "in_progress", statusCategory: "open" });
    const refused = await rejects(c.cases.update(as(agent), k.id, { status: "new" }));
    expect(refused.extra.allowed).toContain("open");
    expect(refused.extra.allowed).not.toContain("new");
  });

  it("an unknown status is a 400 naming /status", async () => {
    const k = await newCase();
    const e = await rejects(c.cases.update(as(agent), k.id, { status: "bogus" }));
    expect(e.extra.errors?.[0]?.path).toBe("/status");
  });
});

describe("reopen window", () => {
  it("reopens in place within the window (reopenCount + 1, case.reopened)", async () => {
    const k = await newCase();
    await c.cases.update(as(agent), k.id, { status: "resolved" });
    c.clock.advanceMinutes(13 * 24 * 60);
    const result = await c.cases.reopen(as(agent), k.id);
    expect(result.reopened).toBe(true);
    expect(result.case).toMatchObject({ id: k.id, status: "open", reopenCount: 1, resolvedAt: null });
    expect((await eventsOf(k.id)).map((e) => e.type)).toContain("case.reopened");
  });

  it("outside the window a PATCH back to open opens a follow-up case linked to the old one", async () => {
    const k = await newCase("Old problem", { priority: "high", tags: ["billing"] });
    await c.cases.update(as(agent), k.id, { status: "closed" });
    c.clock.advanceMinutes(15 * 24 * 60);
    const result = await c.cases.update(as(agent), k.id, { status: "open" });
    expect(result.created).toBe(true);
    expect(result.case).toMatchObject({
      subject: "Old problem",
      status: "open",
      relatedCaseId: k.id,
      accountId: acme,
      contactId: wile,
      priority: "high",
      tags: ["billing"],
      reopenCount: 0,
    });
    expect(result.case.id).not.toBe(k.id);
    const old = await c.cases.get(agent, k.id);
    expect(old.status).toBe("closed");
    const history = await c.cases.history(agent, k.id, {});
    expect(history.items.at(-1)).toMatchObject({ field: "followUp", to: { id: result.case.id } });
  });

  it("a customer message within the window reopens; past it, it opens a follow-up", async () => {
    const k = await newCase();
    await c.cases.update(as(agent), k.id, { status: "resolved" });
    const customer = contactActor(wile, acme);
    c.clock.advanceMinutes(60);
    const m1 = await c.caseMessages.add(as(customer), k.id, { kind: "customer", body: "Still broken" });
    expect(m1.caseId).toBe(k.id);
    expect((await c.cases.get(agent, k.id)).status).toBe("open");

    await c.cases.update(as(agent), k.id, { status: "resolved" });
    c.clock.advanceMinutes(15 * 24 * 60);
    const m2 = await c.caseMessages.add(as(customer), k.id, { kind: "customer", body: "Broken again" });
    expect(m2.caseId).not.toBe(k.id);
    const followUp = await c.cases.get(agent, m2.caseId);
    expect(followUp).toMatchObject({ status: "new", relatedCaseId: k.id, contactId: wile });
    expect((await c.cases.get(agent, k.id)).reopenCount).toBe(1);
  });

  it("the window is an admin setting", async () => {
    expect(await c.caseStatuses.settings(agent)).toEqual({ reopenWindowDays: 14 });
    expect((await rejects(c.caseStatuses.updateSettings(as(manager), { reopenWindowDays: 1 }))).code).toBe(
      "forbidden",
    );
    await c.caseStatuses.updateSettings(as(admin), { reopenWindowDays: 0 });
    const k = await newCase();
    await c.cases.update(as(agent), k.id, { status: "resolved" });
    c.clock.advanceMinutes(1);
    expect((await c.cases.reopen(as(agent), k.id)).reopened).toBe(false);
    await c.caseStatuses.updateSettings(as(admin), { reopenWindowDays: 14 });
  });

  it("only resolved or closed cases reopen", async () => {
    const k = await newCase();
    expect((await rejects(c.cases.reopen(as(agent), k.id))).code).toBe("rule");
  });
});

describe("messages", () => {
  it("the first reply opens a new case; notes do not", async () => {
    const k = await newCase();
    await c.caseMessages.add(as(sales), k.id, { kind: "note", body: "Big account, be nice" });
    expect((await c.cases.get(agent, k.id)).status).toBe("new");
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "On it" });
    expect((await c.cases.get(agent, k.id)).status).toBe("open");
    const types = (await eventsOf(k.id)).map((e) => e.type);
    expect(types.filter((t) => t === "message.added")).toHaveLength(2);
    const added = (await eventsOf(k.id)).find((e) => e.type === "message.added")!;
    expect(added).toMatchObject({ accountId: acme, data: { kind: "note" } });
  });

  it("a customer answer ends waiting_on_customer", async () => {
    const k = await newCase();
    await c.cases.update(as(agent), k.id, { status: "waiting_on_customer" });
    await c.caseMessages.add(as(contactActor(wile, acme)), k.id, { kind: "customer", body: "Here you go" });
    expect((await c.cases.get(agent, k.id)).status).toBe("open");
  });

  it("lists in order; portal contacts never see notes", async () => {
    const k = await newCase();
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "first" });
    c.clock.advanceMinutes(1);
    await c.caseMessages.add(as(agent), k.id, { kind: "note", body: "second (internal)" });
    c.clock.advanceMinutes(1);
    await c.caseMessages.add(as(contactActor(wile, acme)), k.id, { kind: "customer", body: "third" });
    const staff = await c.caseMessages.list(agent, k.id, {});
    expect(staff.items.map((m) => m.body)).toEqual(["first", "second (internal)", "third"]);
    const portal = await c.caseMessages.list(contactActor(wile, acme), k.id, {});
    expect(portal.items.map((m) => m.body)).toEqual(["first", "third"]);
    const paged = await c.caseMessages.list(agent, k.id, { limit: 2 });
    const rest = await c.caseMessages.list(agent, k.id, { limit: 2, cursor: paged.nextCursor! });
    expect([...paged.items, ...rest.items].map((m) => m.body)).toEqual([
      "first",
      "second (internal)",
      "third",
    ]);
  });
});

describe("parent and child cases", () => {
  it("refuses self-parenting and loops with 422", async () => {
    const a = await newCase("A");
    const b = await newCase("B", { parentId: a.id });
    const cc = await newCase("C", { parentId: b.id });
    expect((await rejects(c.cases.update(as(agent), a.id, { parentId: a.id }))).code).toBe("rule");
    expect((await rejects(c.cases.update(as(agent), a.id, { parentId: cc.id }))).code).toBe("rule");
    const children = await c.cases.children(agent, a.id, {});
    expect(children.items.map((k) => k.id)).toEqual([b.id]);
  });

  it("resolving a parent lists its open children, and resolves them with resolveChildren", async () => {
    const parent = await newCase("Outage");
    const kids: Case[] = [];
    for (const s of ["Report 1", "Report 2"]) kids.push(await newCase(s, { parentId: parent.id }));
    const grandchild = await newCase("Report 2a", { parentId: kids[1]!.id });
    const asked = await rejects(c.cases.update(as(agent), parent.id, { status: "resolved" }));
    expect(asked.code).toBe("rule");
    expect((asked.extra.openChildren as { id: string }[]).map((k) => k.id).sort()).toEqual(
      kids.map((k) => k.id).sort(),
    );
    expect((await c.cases.get(agent, parent.id)).status).toBe("new");

    await c.cases.update(as(agent), parent.id, { status: "resolved", resolveChildren: true });
    for (const k of [...kids, grandchild]) expect((await c.cases.get(agent, k.id)).status).toBe("resolved");
  });

  it("resolveChildren: false resolves only the parent", async () => {
    const parent = await newCase("Outage 2");
    const kid = await newCase("Report", { parentId: parent.id });
    await c.cases.update(as(agent), parent.id, { status: "closed", resolveChildren: false });
    expect((await c.cases.get(agent, kid.id)).status).toBe("new");
  });
});

describe("merging", () => {
  it("moves messages and attachments to the survivor and closes the duplicate", async () => {
    const survivor = await newCase("Cannot log in");
    const dup = await newCase("Login broken");
    await c.caseMessages.add(as(agent), dup.id, { kind: "reply", body: "Looking into it" });
    await c.caseMessages.upload(as(agent), dup.id, {}, [
      { filename: "log.txt", mimetype: "text/plain", data: Buffer.from("error 42\n"), path: "/files/0" },
    ]);
    const { merged, into } = await c.cases.merge(as(agent), dup.id, survivor.id);
    expect(merged).toMatchObject({ status: "closed", mergedIntoId: survivor.id });
    expect(into.id).toBe(survivor.id);
    const thread = await c.caseMessages.list(agent, survivor.id, {});
    expect(thread.items.map((m) => [m.body, m.mergedFromCaseId])).toEqual([["Looking into it", dup.id]]);
    expect((await c.caseMessages.listAttachments(agent, survivor.id)).map((a) => a.filename)).toEqual([
      "log.txt",
    ]);
    expect((await c.caseMessages.list(agent, dup.id, {})).items).toEqual([]);
    expect((await eventsOf(dup.id)).map((e) => e.type)).toContain("case.merged");
    const dupHistory = (await c.cases.history(agent, dup.id, {})).items.map((h) => h.field);
    expect(dupHistory).toEqual(expect.arrayContaining(["mergedIntoId", "status"]));
    const survivorHistory = (await c.cases.history(agent, survivor.id, {})).items;
    expect(survivorHistory.at(-1)).toMatchObject({ field: "mergedFrom", to: { id: dup.id } });
  });

  it("refuses merging into itself, an already merged case, or across accounts", async () => {
    const a = await newCase("A");
    const b = await newCase("B");
    const other = await c.cases.create(as(agent), { subject: "Globex thing", contactId: hank });
    expect((await rejects(c.cases.merge(as(agent), a.id, a.id))).code).toBe("rule");
    await c.cases.merge(as(agent), a.id, b.id);
    expect((await rejects(c.cases.merge(as(agent), a.id, b.id))).code).toBe("rule");
    const d = await newCase("D");
    expect((await rejects(c.cases.merge(as(agent), d.id, a.id))).code).toBe("rule");
    expect((await rejects(c.cases.merge(as(agent), d.id, other.id))).code).toBe("rule");
    const unknown = await rejects(c.cases.merge(as(agent), d.id, "0190a3c4-0000-7000-8000-000000000000"));
    expect(unknown.extra.errors?.[0]?.path).toBe("/intoId");
    expect((await rejects(c.cases.update(as(agent), a.id, { priority: "high" }))).code).toBe("rule");
  });
});

describe("history", () => {
  it("records who changed which field from what to what, in order, paged", async () => {
    const k = await newCase();
    c.clock.advanceMinutes(5);
    await c.cases.update(as(manager), k.id, { priority: "high", tags: ["vip"] });
    await c.cases.update(as(agent), k.id, { addTags: ["billing"], removeTags: ["vip"] });
    const all = await c.cases.history(agent, k.id, {});
    expect(all.items.map((h) => [h.field, h.from, h.to])).toEqual([
      ["created", null, expect.objectContaining({ number: k.number, status: "new" })],
      ["priority", "normal", "high"],
      ["tags", [], ["vip"]],
      ["tags", ["vip"], ["billing"]],
    ]);
    expect(all.items[1]).toMatchObject({ actorKind: "user", actorId: (manager as { id: string }).id });
    const first = await c.cases.history(agent, k.id, { limit: 3 });
    const next = await c.cases.history(agent, k.id, { limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...next.items].map((h) => h.id)).toEqual(all.items.map((h) => h.id));
    expect(next.nextCursor).toBeNull();
  });
});

describe("search, filters and pagination", () => {
  let account: string;
  beforeAll(async () => {
    account = await insertAccount(c.db.kysely, "Search Inc");
    const mk = (subject: string, extra: Record<string, unknown> = {}) =>
      c.cases.create(as(agent), { subject, accountId: account, ...extra });
    await mk("Invoice shows the wrong VAT rate", { priority: "high", tags: ["billing"] });
    c.clock.advanceMinutes(1);
    const printer = await mk("Device trouble", { description: "The printers keep jamming on page two" });
    c.clock.advanceMinutes(1);
    const quiet = await mk("Question", { priority: "low" });
    await c.caseMessages.add(as(agent), quiet.id, {
      kind: "reply",
      body: "Have you tried the reset button?",
    });
    await c.caseMessages.add(as(agent), quiet.id, { kind: "note", body: "secret walrus" });
    c.clock.advanceMinutes(1);
    await mk("Urgent outage", { priority: "urgent", ownerId: (agent as { id: string }).id });
    await c.cases.update(as(agent), printer.id, { status: "on_hold" });
  });

  const subjects = (p: { items: Case[] }) => p.items.map((k) => k.subject);

  it("finds words in subject, description and messages, with stemming", async () => {
    expect(subjects(await c.cases.list(agent, { accountId: account, q: "invoice VAT" }))).toEqual([
      "Invoice shows the wrong VAT rate",
    ]);
    expect(subjects(await c.cases.list(agent, { accountId: account, q: "printer jam" }))).toEqual([
      "Device trouble",
    ]);
    expect(subjects(await c.cases.list(agent, { accountId: account, q: "reset button" }))).toEqual([
      "Question",
    ]);
    expect(subjects(await c.cases.list(agent, { accountId: account, q: "nothing-like-this" }))).toEqual([]);
  });

  it("searches internal notes for staff only", async () => {
    expect(subjects(await c.cases.list(agent, { accountId: account, q: "walrus" }))).toEqual(["Question"]);
    const searcher = await insertContact(c.db.kysely, account, "Searcher");
    expect(subjects(await c.cases.list(contactActor(searcher, account), { q: "walrus" }))).toEqual([]);
    expect(subjects(await c.cases.list(contactActor(searcher, account), { q: "reset" }))).toEqual([
      "Question",
    ]);
  });

  it("finds a case by its number", async () => {
    const k = (await c.cases.list(agent, { accountId: account, q: "outage" })).items[0]!;
    expect(subjects(await c.cases.list(agent, { q: k.number }))).toEqual(["Urgent outage"]);
  });

  it("filters by status, category, priority, owner, tag and dates", async () => {
    const base = { accountId: account };
    expect(subjects(await c.cases.list(agent, { ...base, status: ["on_hold"] }))).toEqual(["Device trouble"]);
    expect(subjects(await c.cases.list(agent, { ...base, statusCategory: ["paused"] }))).toEqual([
      "Device trouble",
    ]);
    expect((await c.cases.list(agent, { ...base, status: ["new,on_hold", "open"] })).items).toHaveLength(4);
    expect((await c.cases.list(agent, { ...base, status: ["new"] })).items).toHaveLength(2);
    expect(
      subjects(await c.cases.list(agent, { ...base, priority: ["urgent", "high"], sort: "-priority" })),
    ).toEqual(["Urgent outage", "Invoice shows the wrong VAT rate"]);
    expect(subjects(await c.cases.list(agent, { ...base, ownerId: "me" }))).toEqual(["Urgent outage"]);
    expect((await c.cases.list(agent, { ...base, unassigned: true })).items).toHaveLength(3);
    expect(subjects(await c.cases.list(agent, { ...base, tag: ["Billing"] }))).toEqual([
      "Invoice shows the wrong VAT rate",
    ]);
    const all = await c.cases.list(agent, { ...base, sort: "createdAt" });
    const second = all.items[1]!;
    expect(
      subjects(await c.cases.list(agent, { ...base, createdFrom: second.createdAt, sort: "createdAt" })),
    ).toEqual(subjects(all).slice(1));
    expect(
      subjects(await c.cases.list(agent, { ...base, createdTo: second.createdAt, sort: "createdAt" })),
    ).toEqual(subjects(all).slice(0, 1));
  });

  it.each(["-updatedAt", "updatedAt", "-createdAt", "createdAt", "-priority", "priority"] as const)(
    "pages by %s without gaps or repeats",
    async (sort) => {
      const whole = await c.cases.list(agent, { accountId: account, sort });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await c.cases.list(agent, { accountId: account, sort, limit: 1, cursor });
        seen.push(...page.items.map((k) => k.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(whole.items.map((k) => k.id));
      expect(seen).toHaveLength(4);
    },
  );

  it("orders by priority most urgent first", async () => {
    expect(
      (await c.cases.list(agent, { accountId: account, sort: "-priority" })).items.map((k) => k.priority),
    ).toEqual(["urgent", "high", "normal", "low"]);
  });

  it("refuses a cursor from another sort and bad filter values, naming the field", async () => {
    const page = await c.cases.list(agent, { accountId: account, sort: "createdAt", limit: 1 });
    const e = await rejects(
      c.cases.list(agent, { accountId: account, sort: "-priority", cursor: page.nextCursor! }),
    );
    expect(e.extra.errors?.[0]?.path).toBe("/cursor");
    expect((await rejects(c.cases.list(agent, { status: ["bogus"] }))).extra.errors?.[0]?.path).toBe(
      "/status",
    );
    expect((await rejects(c.cases.list(agent, { priority: ["meh"] }))).extra.errors?.[0]?.path).toBe(
      "/priority",
    );
  });
});

describe("who may do what", () => {
  it("sales read and add notes, but may not change, reply or create", async () => {
    const k = await newCase();
    await c.cases.get(sales, k.id);
    await c.caseMessages.add(as(sales), k.id, { kind: "note", body: "FYI: renewal next week" });
    for (const attempt of [
      () => c.cases.update(as(sales), k.id, { status: "open" }),
      () => c.cases.update(as(sales), k.id, { priority: "urgent" }),
      () => c.cases.update(as(sales), k.id, { ownerId: (sales as { id: string }).id }),
      () => c.caseMessages.add(as(sales), k.id, { kind: "reply", body: "Hi" }),
      () => c.cases.create(as(sales), { subject: "x" }),
      () => c.cases.merge(as(sales), k.id, k.id),
    ]) {
      expect((await rejects(attempt())).code).toBe("forbidden");
    }
  });

  it("only admins delete cases", async () => {
    const k = await newCase();
    expect((await rejects(c.cases.delete(as(manager), k.id))).code).toBe("forbidden");
    await c.cases.delete(as(admin), k.id);
    expect((await rejects(c.cases.get(agent, k.id))).code).toBe("not_found");
  });
});

describe("portal contacts only ever reach their own account", () => {
  it("another account's case is a 404 for every way in", async () => {
    const theirs = await c.cases.create(as(agent), { subject: "Globex secret", contactId: hank });
    const coyote = contactActor(wile, acme);
    const attempts: (() => Promise<unknown>)[] = [
      () => c.cases.get(coyote, theirs.id),
      () => c.caseMessages.list(coyote, theirs.id, {}),
      () => c.caseMessages.add(as(coyote), theirs.id, { kind: "customer", body: "hi" }),
      () => c.caseMessages.listAttachments(coyote, theirs.id),
      () => c.cases.children(coyote, theirs.id, {}),
      () => c.cases.history(coyote, theirs.id, {}),
      () => c.cases.update(as(coyote), theirs.id, { priority: "low" }),
      () => c.cases.reopen(as(coyote), theirs.id),
      () => c.cases.merge(as(coyote), theirs.id, theirs.id),
    ];
    for (const attempt of attempts) expect((await rejects(attempt())).code).toBe("not_found");
    const list = await c.cases.list(coyote, { accountId: globex });
    expect(list.items).toEqual([]);
    const search = await c.cases.list(coyote, { q: "secret" });
    expect(search.items).toEqual([]);
  });

  it("on its own cases: reads, writes customer messages, never notes or staff changes", async () => {
    const coyote = contactActor(wile, acme);
    const mine = await c.cases.create(as(coyote), { subject: "Rocket skates misfire" });
    expect(mine).toMatchObject({ accountId: acme, contactId: wile, channel: "portal", tags: [] });
    await c.caseMessages.add(as(coyote), mine.id, { kind: "customer", body: "Please help" });
    expect((await rejects(c.caseMessages.add(as(coyote), mine.id, { kind: "note", body: "x" }))).code).toBe(
      "not_found",
    );
    expect((await rejects(c.cases.update(as(coyote), mine.id, { status: "resolved" }))).code).toBe(
      "not_found",
    );
    expect((await rejects(c.cases.history(coyote, mine.id, {}))).code).toBe("not_found");
    expect((await rejects(c.cases.create(as(coyote), { subject: "x", ownerId: wile }))).code).toBe(
      "forbidden",
    );
    expect((await c.cases.list(coyote, {})).items.every((k) => k.accountId === acme)).toBe(true);
  });

  it("internal files are not theirs to download", async () => {
    const coyote = contactActor(wile, acme);
    const k = await newCase();
    const [internal] = await c.caseMessages.upload(as(agent), k.id, {}, [
      { filename: "notes.txt", mimetype: "text/plain", data: Buffer.from("internal"), path: "/files/0" },
    ]);
    const [shared] = await c.caseMessages.upload(as(agent), k.id, { internal: false }, [
      { filename: "fix.txt", mimetype: "text/plain", data: Buffer.from("do this"), path: "/files/0" },
    ]);
    expect((await rejects(c.caseMessages.download(coyote, internal!.id))).code).toBe("not_found");
    expect((await c.caseMessages.download(coyote, shared!.id)).content.toString()).toBe("do this");
    expect((await c.caseMessages.listAttachments(coyote, k.id)).map((a) => a.filename)).toEqual(["fix.txt"]);
  });
});
