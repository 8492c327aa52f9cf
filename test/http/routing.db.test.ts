import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SYSTEM } from "../../src/platform/auth/actor.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * Routing and assignment over HTTP: rules, explanations, re-route, the rule tester, queue
 * strategies (least loaded with capacity, skills), presence and hand-back, cases waiting for
 * capacity, working hours. The test clock starts on Monday 2026-03-02 09:00Z.
 */

type CaseBody = {
  id: string;
  number: string;
  status: string;
  priority: string;
  ownerId: string | null;
  teamId: string | null;
  queueId: string | null;
  tags: string[];
  routing: { ruleId: string | null; explanation: string } | null;
};

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let n = 0;

async function call(s: Session, method: string, url: string, payload?: unknown) {
  return s.request({
    method: method as "GET",
    url,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}
async function ok<T = Record<string, unknown>>(
  s: Session,
  method: string,
  url: string,
  payload?: unknown,
  status = 200,
) {
  const res = await call(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(status);
  return (res.statusCode === 204 ? null : res.json()) as T;
}
const createCase = (payload: Record<string, unknown>, s: Session = agent) =>
  ok<CaseBody>(s, "POST", "/api/v1/cases", { subject: "Something", ...payload }, 201);
const readCase = (id: string) => ok<CaseBody>(agent, "GET", `/api/v1/cases/${id}`);
const drain = () => drainWork(t.c);

/** A staff user, available (unless told otherwise), with capacity and skills. */
async function staff(
  opts: {
    capacity?: number;
    skills?: string[];
    status?: "available" | "away" | "offline";
    role?: "agent" | "manager";
  } = {},
) {
  n += 1;
  const u = await t.c.users.create(SYSTEM, {
    email: `routing-${n}@example.test`,
    name: `Agent ${String(n).padStart(3, "0")}`,
    role: opts.role ?? "agent",
    capacity: opts.capacity ?? 5,
    skills: opts.skills ?? [],
  });
  await t.c.users.update(SYSTEM, u.id, { status: opts.status ?? "available" });
  return u.id;
}
async function team(memberIds: string[]) {
  return (await ok<{ id: string }>(manager, "POST", "/api/v1/teams", { name: `Team ${++n}`, memberIds }, 201))
    .id;
}
async function queue(teamId: string | null, strategy?: string) {
  const q = await ok<{ id: string }>(admin, "POST", "/api/v1/queues", { name: `Queue ${++n}`, teamId }, 201);
  if (strategy) await ok(manager, "PUT", `/api/v1/queues/${q.id}/assignment`, { strategy });
  return q.id;
}
const rule = (payload: Record<string, unknown>) =>
  ok<{ id: string }>(manager, "POST", "/api/v1/routing-rules", payload, 201);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
});
afterAll(async () => t?.close());
beforeEach(async () => {
  // Each test sets up its own rules.
  await sql`delete from routing_rules`.execute(t.c.db.kysely);
  await sql`update routing_rules_version set version = version + 1`.execute(t.c.db.kysely);
});

describe("rules: CRUD and validation", () => {
  it("creates, reads, changes and deletes a rule; agents may read but not change", async () => {
    const teamId = await team([]);
    const created = await ok<Record<string, unknown>>(
      manager,
      "POST",
      "/api/v1/routing-rules",
      {
        name: "  Billing  ",
        order: 10,
        when: {
          product: ["Billing Portal", " billing portal "],
          keywords: ["invoice"],
          priority: ["high", "high"],
        },
        then: { teamId, priority: "urgent", tags: ["Billing"] },
      },
      201,
    );
    expect(created).toMatchObject({
      name: "Billing",
      order: 10,
      active: true,
      continue: false,
      when: { product: ["Billing Portal"], keywords: ["invoice"], priority: ["high"] },
      then: { teamId, priority: "urgent", tags: ["billing"] },
    });
    const id = created.id as string;
    expect(
      (await ok<{ items: { id: string }[] }>(agent, "GET", "/api/v1/routing-rules")).items.map((r) => r.id),
    ).toEqual([id]);
    expect(await ok(agent, "GET", `/api/v1/routing-rules/${id}`)).toMatchObject({ id, name: "Billing" });
    const changed = await ok(manager, "PATCH", `/api/v1/routing-rules/${id}`, {
      active: false,
      continue: true,
    });
    expect(changed).toMatchObject({ active: false, continue: true, order: 10, name: "Billing" });

    for (const s of [agent]) {
      expect((await call(s, "POST", "/api/v1/routing-rules", { name: "X", order: 1 })).statusCode).toBe(403);
      expect((await call(s, "PATCH", `/api/v1/routing-rules/${id}`, { name: "Y" })).statusCode).toBe(403);
      expect((await call(s, "DELETE", `/api/v1/routing-rules/${id}`)).statusCode).toBe(403);
    }
    await ok(admin, "DELETE", `/api/v1/routing-rules/${id}`, undefined, 204);
    expect((await call(agent, "GET", `/api/v1/routing-rules/${id}`)).statusCode).toBe(404);
    expect((await call(admin, "DELETE", `/api/v1/routing-rules/${id}`)).statusCode).toBe(404);
  });

  it.each([
    [{ order: 1 }, "/name"],
    [{ name: "X" }, "/order"],
    [{ name: "X", order: -1 }, "/order"],
    [{ name: "X", order: 1, when: { priority: ["asap"] } }, "/when/priority/0"],
    [{ name: "X", order: 1, when: { colour: ["red"] } }, "/when/colour"],
    [{ name: "X", order: 1, when: { product: ["  "] } }, "/when/product/0"],
    [{ name: "X", order: 1, when: { keywords: ["*"] } }, "/when/keywords/0"],
    [{ name: "X", order: 1, when: { keywords: ["in*voice"] } }, "/when/keywords/0"],
    [
      {
        name: "X",
        order: 1,
        when: { withinHours: { calendarId: "0190a0b0-0000-7000-8000-000000000000", inside: true } },
      },
      "/when/withinHours/calendarId",
    ],
    [
      { name: "X", order: 1, when: { accountOwnerId: ["0190a0b0-0000-7000-8000-000000000000"] } },
      "/when/accountOwnerId/0",
    ],
    [{ name: "X", order: 1, then: { queueId: "0190a0b0-0000-7000-8000-000000000000" } }, "/then/queueId"],
    [{ name: "X", order: 1, then: { teamId: "0190a0b0-0000-7000-8000-000000000000" } }, "/then/teamId"],
    [{ name: "X", order: 1, then: { ownerId: "0190a0b0-0000-7000-8000-000000000000" } }, "/then/ownerId"],
    [{ name: "X", order: 1, then: { teamId: "not-a-uuid" } }, "/then/teamId"],
    [{ name: "X", order: 1, then: { tags: ["a,b"] } }, "/then/tags/0"],
  ])("400 naming the field: %j → %s", async (payload, path) => {
    const res = await call(manager, "POST", "/api/v1/routing-rules", payload);
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json() as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toContain(path);
  });

  it("an owner and 'the account owner' together is a 400 naming the field", async () => {
    const owner = await staff();
    const res = await call(manager, "POST", "/api/v1/routing-rules", {
      name: "X",
      order: 1,
      then: { ownerId: owner, assignToAccountOwner: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe("/then/assignToAccountOwner");
  });
});

describe("routing a new case", () => {
  it("places the case by the first matching rule and explains it on the case", async () => {
    const billingTeam = await team([]);
    const invoices = await queue(billingTeam);
    const techTeam = await team([]);
    await rule({ name: "Crashes", order: 1, when: { keywords: ["crash"] }, then: { teamId: techTeam } });
    const billing = await rule({
      name: "Billing",
      order: 2,
      when: { product: ["Billing"], keywords: ["invoice", "refund"] },
      then: { queueId: invoices, priority: "high", tags: ["billing"] },
    });
    await rule({ name: "Everything else", order: 99, then: { teamId: techTeam } });

    const c = await createCase({ subject: "Invoice total is wrong", product: "Billing" });
    expect(c).toMatchObject({ queueId: invoices, teamId: billingTeam, priority: "high", tags: ["billing"] });
    expect(c.routing).toEqual({
      ruleId: billing.id,
      explanation:
        "matched rule 2 'Billing': product = Billing; keyword: invoice → queue '" +
        (await ok<{ name: string }>(agent, "GET", `/api/v1/queues/${invoices}`)).name +
        "', priority high, tag billing",
    });
    // Read back the same; and the history says so.
    expect((await readCase(c.id)).routing).toEqual(c.routing);
    const history = await ok<{ items: { field: string; to: unknown; actorKind: string }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${c.id}/history`,
    );
    expect(history.items.find((h) => h.field === "routing")).toMatchObject({
      actorKind: "system",
      to: c.routing?.explanation,
    });

    const other = await createCase({ subject: "How do I export?" });
    expect(other.teamId).toBe(techTeam);
    const techName = (await ok<{ name: string }>(agent, "GET", `/api/v1/teams/${techTeam}`)).name;
    expect(other.routing?.explanation).toBe(
      `matched rule 3 'Everything else': no conditions → team '${techName}'`,
    );
  });

  it("an explicit value on the case wins over a rule", async () => {
    const teamA = await team([]);
    await rule({ name: "Urgent to A", order: 1, then: { priority: "urgent", teamId: teamA } });
    const c = await createCase({ subject: "Explicit", priority: "low" });
    expect(c.priority).toBe("low");
    expect(c.teamId).toBe(teamA);
    expect(c.routing?.explanation).toContain(
      "priority urgent not applied: the priority was set by whoever created the case",
    );
  });

  it("continue: a key-account rule tags and the next rule still places the case; the SLA sees the routed priority", async () => {
    const cal = await ok<{ id: string }>(
      manager,
      "POST",
      "/api/v1/calendars",
      {
        name: `Always ${++n}`,
        timeZone: "UTC",
        hours: Object.fromEntries(
          ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]),
        ),
      },
      201,
    );
    const policy = await ok<{ id: string }>(
      manager,
      "POST",
      "/api/v1/sla-policies",
      {
        name: `Urgent only ${n}`,
        calendarId: cal.id,
        order: 1,
        appliesWhen: { priority: ["urgent"] },
        firstResponseMinutes: 15,
        resolutionMinutes: 60,
      },
      201,
    );
    const account = await ok<{ id: string }>(agent, "POST", "/api/v1/accounts", { name: `Key Co ${n}` }, 201);
    await sql`update accounts set tier = 'key' where id = ${account.id}`.execute(t.c.db.kysely);
    const vip = await rule({
      name: "Key accounts",
      order: 1,
      continue: true,
      when: { accountTier: ["key"] },
      then: { tags: ["vip"] },
    });
    const urgent = await rule({
      name: "VIP is urgent",
      order: 2,
      when: { tags: ["vip"] },
      then: { priority: "urgent" },
    });
    const c = await createCase({ subject: "Down", accountId: account.id });
    expect(c.tags).toEqual(["vip"]);
    expect(c.priority).toBe("urgent");
    expect(c.routing?.ruleId).toBe(urgent.id);
    expect(c.routing?.explanation).toBe(
      "matched rule 1 'Key accounts': account tier = key → tag vip; then rule 2 'VIP is urgent': tag vip → priority urgent",
    );
    const full = await ok<{ slaPolicy: { id: string } | null; sla: { kpi: string }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${c.id}`,
    );
    expect(full.slaPolicy?.id).toBe(policy.id);
    expect(full.sla.map((k) => k.kpi).sort()).toEqual(["firstResponse", "resolution"]);
    await ok(manager, "DELETE", `/api/v1/sla-policies/${policy.id}`, undefined, 204);
    void vip;
  });

  it("assigns to the account owner, and says so", async () => {
    const owner = await staff();
    const account = await ok<{ id: string }>(
      agent,
      "POST",
      "/api/v1/accounts",
      { name: `Owned ${++n}`, ownerId: owner },
      201,
    );
    await rule({
      name: "Account owner",
      order: 1,
      when: { accountOwnerId: [owner] },
      then: { assignToAccountOwner: true },
    });
    const c = await createCase({ subject: "Hello", accountId: account.id });
    expect(c.ownerId).toBe(owner);
    expect(c.routing?.explanation).toMatch(
      /^matched rule 1 'Account owner': account owner = Agent \d+ → owner Agent \d+ \(the account owner\)$/,
    );
    // The owner is told.
    const notes = await t.c.db.kysely
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", owner)
      .execute();
    expect(notes.map((x) => x.kind)).toContain("case.assigned");
  });

  it("language and business-hours conditions", async () => {
    const cal = await ok<{ id: string; name: string }>(
      manager,
      "POST",
      "/api/v1/calendars",
      {
        name: `Office ${++n}`,
        timeZone: "UTC",
        hours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] },
      },
      201,
    );
    const de = await team([]);
    const night = await team([]);
    await rule({ name: "German", order: 1, when: { language: ["DE"] }, then: { teamId: de } });
    await rule({
      name: "After hours",
      order: 2,
      when: { withinHours: { calendarId: cal.id, inside: false } },
      then: { teamId: night },
    });
    const account = await ok<{ id: string }>(agent, "POST", "/api/v1/accounts", { name: `Berlin ${n}` }, 201);
    const contact = await ok<{ id: string }>(
      agent,
      "POST",
      "/api/v1/contacts",
      {
        accountId: account.id,
        name: "Jana",
        email: `jana${n}@example.test`,
        language: "de",
      },
      201,
    );
    expect((await createCase({ subject: "Hallo", contactId: contact.id })).teamId).toBe(de);
    // 09:00 Monday is inside; Sunday is outside.
    expect((await createCase({ subject: "Now" })).teamId).toBeNull();
    const sunday = await createCase({ subject: "Weekend", receivedAt: "2026-03-01T12:00:00Z" });
    expect(sunday.teamId).toBe(night);
    expect(sunday.routing?.explanation).toContain(`received outside business hours (${cal.name})`);
  });
});

describe("the rule tester", () => {
  it("says which rule would match a sample case, why the others did not, and who would get it", async () => {
    const a = await staff({ capacity: 3 });
    const teamId = await team([a]);
    const q = await queue(teamId, "least_loaded");
    await rule({ name: "Crashes", order: 1, when: { keywords: ["crash"] }, then: { priority: "urgent" } });
    const billing = await rule({
      name: "Billing",
      order: 2,
      when: { product: ["Billing"] },
      then: { queueId: q },
    });
    const before = (
      await t.c.db.kysely
        .selectFrom("cases")
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    const res = await ok<Record<string, unknown>>(agent, "POST", "/api/v1/routing-rules/test", {
      case: { subject: "Invoice", product: "billing" },
    });
    expect(res.matched).toEqual([{ ruleId: billing.id, name: "Billing", position: 2 }]);
    expect(res.trace).toEqual([
      expect.objectContaining({
        position: 1,
        matched: false,
        failed: "none of the words crash in the subject or description",
      }),
      expect.objectContaining({ position: 2, matched: true, reasons: ["product = billing"] }),
    ]);
    expect(res.result).toMatchObject({ queueId: q, teamId });
    expect(res.assignment).toMatchObject({ strategy: "least_loaded", userId: a });
    expect(res.explanation).toMatch(
      /^matched rule 2 'Billing': product = billing → queue 'Queue \d+'; assigned to Agent \d+ \(least loaded; 0 of 3 open\)$/,
    );
    // Nothing was stored.
    const after = (
      await t.c.db.kysely
        .selectFrom("cases")
        .select(sql<number>`count(*)::int`.as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    expect(after).toBe(before);
  });

  it("tests a draft rule list (the editor's unsaved changes) and names bad fields", async () => {
    const res = await ok<{ matched: { name: string }[] }>(manager, "POST", "/api/v1/routing-rules/test", {
      case: { subject: "App crash on start", channel: "phone" },
      rules: [
        { name: "Second", order: 2, when: { channel: ["phone"] } },
        { name: "First", order: 1, when: { keywords: ["crash"] }, continue: true },
        { name: "Off", order: 0, active: false },
      ],
    });
    expect(res.matched.map((m) => m.name)).toEqual(["First", "Second"]);
    const bad = await call(manager, "POST", "/api/v1/routing-rules/test", {
      case: { subject: "x" },
      rules: [
        { name: "A", order: 1 },
        { name: "B", order: 2, then: { queueId: "0190a0b0-0000-7000-8000-000000000000" } },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/rules/1/then/queueId");
    const noSubject = await call(agent, "POST", "/api/v1/routing-rules/test", { case: {} });
    expect(noSubject.statusCode).toBe(400);
    expect(noSubject.json().errors[0].path).toBe("/case/subject");
  });
});

describe("re-route", () => {
  it("runs today's rules on the case as it is now and moves it, with a new explanation", async () => {
    const a = await staff();
    const teamId = await team([a]);
    const q = await queue(teamId, "round_robin");
    const c = await createCase({ subject: "Refund please" });
    // No rules and no assigning queue: nothing was decided.
    expect(c.routing).toBeNull();
    const r = await rule({
      name: "Refunds",
      order: 1,
      when: { keywords: ["refund"] },
      then: { queueId: q, priority: "high" },
    });
    const moved = await ok<CaseBody>(agent, "POST", `/api/v1/cases/${c.id}/reroute`);
    expect(moved).toMatchObject({ queueId: q, teamId, priority: "high", ownerId: a });
    expect(moved.routing?.ruleId).toBe(r.id);
    expect(moved.routing?.explanation).toMatch(
      /^matched rule 1 'Refunds': keyword: refund → queue 'Queue \d+', priority high; assigned to Agent \d+ \(round robin; 0 of 5 open\)$/,
    );
    const detail = await ok<{ decisions: { trigger: string }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${c.id}/routing`,
    );
    expect(detail.decisions.map((d) => d.trigger)).toEqual(["reroute"]);
    // Sales may read but not re-route; a portal-less unknown case is a 404.
    const sales = await t.signInAs("sales");
    expect((await call(sales, "POST", `/api/v1/cases/${c.id}/reroute`)).statusCode).toBe(403);
    expect(
      (await call(agent, "POST", "/api/v1/cases/0190a0b0-0000-7000-8000-000000000000/reroute")).statusCode,
    ).toBe(404);
  });
});

describe("assignment inside a queue", () => {
  it("least loaded: weighs priority against capacity; never above capacity; waiting on the customer does not count", async () => {
    const a = await staff({ capacity: 2 });
    const b = await staff({ capacity: 2 });
    const teamId = await team([a, b]);
    const q = await queue(teamId, "least_loaded");
    const first = await createCase({ subject: "1", queueId: q, priority: "urgent" });
    const second = await createCase({ subject: "2", queueId: q });
    expect(new Set([first.ownerId, second.ownerId])).toEqual(new Set([a, b]));
    // The one with the urgent case is busier: the next goes to the other.
    const urgentOwner = first.ownerId!;
    const other = urgentOwner === a ? b : a;
    const third = await createCase({ subject: "3", queueId: q, priority: "low" });
    expect(third.ownerId).toBe(other);
    expect(third.routing?.explanation).toMatch(/assigned to Agent \d+ \(least loaded; 1 of 2 open\)$/);
    // Both are now at capacity (2 each? a: urgent; other: two) — the next fills urgentOwner's last slot.
    const fourth = await createCase({ subject: "4", queueId: q });
    expect(fourth.ownerId).toBe(urgentOwner);
    // Full: the fifth waits, and says why.
    const fifth = await createCase({ subject: "5", queueId: q });
    expect(fifth.ownerId).toBeNull();
    expect(fifth.routing?.explanation).toBe(
      "no routing rules are set up; waiting for an agent: 2 at capacity",
    );
    // Waiting on the customer frees the slot: the waiting case goes to that agent.
    await ok(agent, "PATCH", `/api/v1/cases/${second.id}`, { status: "waiting_on_customer" });
    await drain();
    const assigned = await readCase(fifth.id);
    expect(assigned.ownerId).toBe(second.ownerId);
    expect(assigned.routing?.explanation).toMatch(/assigned to Agent \d+ \(least loaded; 1 of 2 open\)$/);
    const board = await ok<{
      items: {
        id: string;
        openCases: number;
        pausedCases: number;
        acceptsCases: boolean;
        reason: string | null;
      }[];
    }>(manager, "GET", `/api/v1/routing/agents?teamId=${teamId}`);
    expect(board.items.find((x) => x.id === second.ownerId)).toMatchObject({
      openCases: 2,
      pausedCases: 1,
      acceptsCases: false,
      reason: "at capacity",
    });
    const summary = await ok<{ items: { queueId: string; waiting: number; strategy: string }[] }>(
      agent,
      "GET",
      "/api/v1/routing/queues",
    );
    expect(summary.items.find((x) => x.queueId === q)).toMatchObject({
      waiting: 0,
      strategy: "least_loaded",
    });
  });

  it("resolving a case hands the oldest most urgent waiting case to the freed agent", async () => {
    const a = await staff({ capacity: 1 });
    const teamId = await team([a]);
    const q = await queue(teamId, "round_robin");
    const busy = await createCase({ subject: "busy", queueId: q });
    expect(busy.ownerId).toBe(a);
    const low = await createCase({ subject: "low", queueId: q, priority: "low" });
    const high = await createCase({ subject: "high", queueId: q, priority: "high" });
    expect([low.ownerId, high.ownerId]).toEqual([null, null]);
    await ok(agent, "PATCH", `/api/v1/cases/${busy.id}`, { status: "resolved" });
    await drain();
    expect((await readCase(high.id)).ownerId).toBe(a);
    expect((await readCase(low.id)).ownerId).toBeNull();
  });

  it("skills: product and language skills decide among the team", async () => {
    const billingDe = await staff({ skills: ["Billing Portal", "lang:de"] });
    const billing = await staff({ skills: ["Billing Portal"] });
    const dashboards = await staff({ skills: ["Dashboards", "lang:fr"] });
    const teamId = await team([billingDe, billing, dashboards]);
    const q = await queue(teamId, "skills");
    const account = await ok<{ id: string }>(
      agent,
      "POST",
      "/api/v1/accounts",
      { name: `Skills ${++n}` },
      201,
    );
    const german = await ok<{ id: string }>(
      agent,
      "POST",
      "/api/v1/contacts",
      {
        accountId: account.id,
        name: "Uwe",
        email: `uwe${n}@example.test`,
        language: "de",
      },
      201,
    );
    const french = await ok<{ id: string }>(
      agent,
      "POST",
      "/api/v1/contacts",
      {
        accountId: account.id,
        name: "Léa",
        email: `lea${n}@example.test`,
        language: "fr",
      },
      201,
    );
    expect(
      (await createCase({ subject: "Rechnung", product: "Billing Portal", contactId: german.id, queueId: q }))
        .ownerId,
    ).toBe(billingDe);
    expect(
      (await createCase({ subject: "Graphs", product: "Dashboards", contactId: french.id, queueId: q }))
        .ownerId,
    ).toBe(dashboards);
    // French billing: nobody has both; the billing people are required, lang:fr too (someone has it) → waits.
    const waiting = await createCase({
      subject: "Facture",
      product: "Billing Portal",
      contactId: french.id,
      queueId: q,
    });
    expect(waiting.ownerId).toBeNull();
    expect(waiting.routing?.explanation).toContain("waiting for an agent with billing portal, lang:fr");
    // Nobody knows the Mobile App: that skill is dropped, least loaded of the rest.
    const mobile = await createCase({ subject: "App", product: "Mobile App", queueId: q });
    expect(mobile.ownerId).toBe(billing);
    expect(mobile.routing?.explanation).toContain("nobody in the team has mobile app");
  });
});

describe("presence", () => {
  it("away and offline agents get no new cases; back to available, waiting cases come to them", async () => {
    const a = await staff({ status: "away" });
    const b = await staff({ status: "offline" });
    const teamId = await team([a, b]);
    const q = await queue(teamId, "round_robin");
    const c = await createCase({ subject: "Anyone?", queueId: q });
    expect(c.ownerId).toBeNull();
    expect(c.routing?.explanation).toContain("waiting for an agent: 1 away, 1 offline");
    await t.c.users.update(SYSTEM, b, { status: "available" });
    await drain();
    expect((await readCase(c.id)).ownerId).toBe(b);
  });

  it("status in the header: PATCH /me; hand-back returns unstarted cases to the queue for someone else", async () => {
    const me = await t.signInAs("agent");
    await ok(me, "PATCH", "/api/v1/me", { status: "available" });
    const colleague = await staff({ capacity: 10 });
    const teamId = await team([me.userId, colleague]);
    await t.c.users.update(SYSTEM, colleague, { status: "away" });
    const q = await queue(teamId, "least_loaded");
    const mine = [
      await createCase({ subject: "a", queueId: q }),
      await createCase({ subject: "b", queueId: q }),
    ];
    expect(mine.map((c) => c.ownerId)).toEqual([me.userId, me.userId]);
    // One is started (replied to: open), one not.
    await ok(me, "POST", `/api/v1/cases/${mine[0]!.id}/messages`, { kind: "reply", body: "On it" }, 201);
    await t.c.users.update(SYSTEM, colleague, { status: "available" });
    const res = await ok<{ items: { id: string; ownerId: string | null }[] }>(
      me,
      "POST",
      "/api/v1/me/hand-back",
      { status: "away" },
    );
    expect(res.items).toEqual([{ id: mine[1]!.id, number: expect.any(String), ownerId: colleague }]);
    expect((await readCase(mine[0]!.id)).ownerId).toBe(me.userId);
    const back = await readCase(mine[1]!.id);
    expect(back.ownerId).toBe(colleague);
    expect(back.routing?.explanation).toMatch(
      /^.*; handed back by Test agent \d+; assigned to Agent \d+ \(least loaded; 0 of 10 open\)$/,
    );
    const meNow = await ok<{ user: { status: string } }>(me, "GET", "/api/v1/me");
    expect(meNow.user.status).toBe("away");
    // Away: a new case in the queue goes to the colleague, not to me.
    expect((await createCase({ subject: "c", queueId: q })).ownerId).toBe(colleague);
  });
});

describe("working hours", () => {
  it("an agent outside their hours gets nothing; the queue wakes when their day starts", async () => {
    const cal = await ok<{ id: string }>(
      manager,
      "POST",
      "/api/v1/calendars",
      {
        name: `Late shift ${++n}`,
        timeZone: "UTC",
        hours: { mon: [["13:00", "21:00"]] },
      },
      201,
    );
    const a = await staff();
    const teamId = await team([a]);
    await ok(manager, "PUT", `/api/v1/routing/agents/${a}/schedule`, { calendarId: cal.id });
    expect(
      (await call(agent, "PUT", `/api/v1/routing/agents/${a}/schedule`, { calendarId: null })).statusCode,
    ).toBe(403);
    const q = await queue(teamId, "least_loaded");
    const c = await createCase({ subject: "Morning", queueId: q });
    expect(c.ownerId).toBeNull();
    expect(c.routing?.explanation).toContain("1 outside hours");
    const board = await ok<{ items: { id: string; inHours: boolean; calendarId: string | null }[] }>(
      manager,
      "GET",
      "/api/v1/routing/agents",
    );
    expect(board.items.find((x) => x.id === a)).toMatchObject({ inHours: false, calendarId: cal.id });
    await drain();
    expect((await readCase(c.id)).ownerId).toBeNull();
    t.c.clock.set("2026-03-02T13:00:00Z");
    try {
      await drain();
      expect((await readCase(c.id)).ownerId).toBe(a);
    } finally {
      t.c.clock.set("2026-03-02T09:00:00Z");
    }
  });
});

describe("queue assignment settings", () => {
  it("reads manual by default; managers set it; switching on hands out what waits; validation", async () => {
    const a = await staff();
    const teamId = await team([a]);
    const q = await queue(teamId);
    expect(await ok(agent, "GET", `/api/v1/queues/${q}/assignment`)).toMatchObject({
      queueId: q,
      strategy: "manual",
    });
    const c = await createCase({ subject: "Manual", queueId: q });
    expect(c.ownerId).toBeNull();
    expect(
      (await call(agent, "PUT", `/api/v1/queues/${q}/assignment`, { strategy: "round_robin" })).statusCode,
    ).toBe(403);
    const bad = await call(manager, "PUT", `/api/v1/queues/${q}/assignment`, { strategy: "random" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/strategy");
    expect(
      (
        await call(manager, "PUT", "/api/v1/queues/0190a0b0-0000-7000-8000-000000000000/assignment", {
          strategy: "skills",
        })
      ).statusCode,
    ).toBe(404);
    expect(
      await ok(manager, "PUT", `/api/v1/queues/${q}/assignment`, { strategy: "round_robin" }),
    ).toMatchObject({
      strategy: "round_robin",
    });
    expect((await readCase(c.id)).ownerId).toBe(a);
  });
});
