import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertAccount, insertContact } from "../../src/modules/cases/cases.fixtures.ts";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * SLA scenarios over HTTP with a fake clock. The test clock starts on Monday 2026-03-02 09:00Z;
 * London is on GMT (UTC+0) until 29 March, so London wall time equals UTC in these cases.
 * The calendar: Mon–Fri 09:00–12:00 and 13:00–17:00 (420 business minutes a day).
 */

type Clock = {
  kpi: string;
  dueAt: string;
  warningAt: string | null;
  status: string;
  metAt: string | null;
  breachedAt: string | null;
  remainingMinutes: number | null;
  targetMinutes: number;
};
type CaseBody = {
  id: string;
  number: string;
  priority: string;
  tags: string[];
  status: string;
  sla: Clock[];
  slaDueAt: string | null;
  slaPolicy: { id: string; name: string; reason: string } | null;
  entitlementId: string | null;
  entitlement: { id: string; remaining: number; flag: string | null } | null;
};

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let accountId: string;
let contactId: string;
let calendarId: string;
let standardId: string;
let urgentId: string;

const START = "2026-03-02T09:00:00.000Z";
const SPLIT = [
  ["09:00", "12:00"],
  ["13:00", "17:00"],
];

const kpi = (c: CaseBody, k: string) => {
  const found = c.sla.find((s) => s.kpi === k);
  if (!found) throw new Error(`no ${k} clock on ${JSON.stringify(c.sla)}`);
  return found;
};

async function post(s: Session, url: string, payload: unknown, expected = 201) {
  const res = await s.request({ method: "POST", url, payload: payload as Record<string, unknown> });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json();
}
async function patch(s: Session, url: string, payload: unknown, expected = 200) {
  const res = await s.request({ method: "PATCH", url, payload: payload as Record<string, unknown> });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json();
}
async function get(s: Session, url: string) {
  const res = await s.request({ method: "GET", url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const createCase = (payload: Record<string, unknown> = {}) =>
  post(agent, "/api/v1/cases", {
    subject: "Invoices do not export",
    contactId,
    ...payload,
  }) as Promise<CaseBody>;
const readCase = (id: string) => get(agent, `/api/v1/cases/${id}`) as Promise<CaseBody>;
const drain = () => drainWork(t.c);
const eventsOf = async (id: string) =>
  (await readEvents(t.c.db.kysely, 0, 100_000)).filter((e) => e.entityId === id);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  accountId = await insertAccount(t.c.db.kysely, "Acme");
  contactId = await insertContact(t.c.db.kysely, accountId, "Wile Coyote");
  t.c.clock.set(START);
  const cal = await post(manager, "/api/v1/calendars", {
    name: "London office",
    timeZone: "Europe/London",
    hours: { mon: SPLIT, tue: SPLIT, wed: SPLIT, thu: SPLIT, fri: SPLIT },
    holidays: ["2026-04-03"],
  });
  calendarId = cal.id;
  const urgent = await post(manager, "/api/v1/sla-policies", {
    name: "Urgent",
    calendarId,
    order: 1,
    appliesWhen: { priority: ["urgent"] },
    firstResponseMinutes: 30,
    resolutionMinutes: 240,
  });
  urgentId = urgent.id;
  const standard = await post(manager, "/api/v1/sla-policies", {
    name: "Standard",
    calendarId,
    order: 10,
    firstResponseMinutes: 120,
    nextResponseMinutes: 60,
    resolutionMinutes: 960,
    warningPercent: 75,
    breachActions: [{ type: "notify" }, { type: "raisePriority" }, { type: "addTag", tag: "sla-breached" }],
  });
  standardId = standard.id;
});
afterAll(async () => t?.close());
beforeEach(async () => {
  t.c.clock.set(START);
  // Timers left by earlier cases must not leak into a later test's drain.
  await drain();
});

describe("calendars", () => {
  it("round-trips a calendar with split days, holidays and all seven days", async () => {
    const cal = await get(agent, `/api/v1/calendars/${calendarId}`);
    expect(cal).toMatchObject({
      name: "London office",
      timeZone: "Europe/London",
      holidays: ["2026-04-03"],
      hours: { mon: SPLIT, sat: [], sun: [] },
    });
  });

  it("refuses a calendar with no working time (422) and names bad fields (400)", async () => {
    const empty = await manager.request({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "Never", timeZone: "UTC", hours: {} },
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().detail).toMatch(/no working time/);

    const badZone = await manager.request({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "Mars", timeZone: "Mars/Olympus", hours: { mon: [["09:00", "17:00"]] } },
    });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().errors[0].path).toBe("/timeZone");

    const backwards = await manager.request({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "Backwards", timeZone: "UTC", hours: { tue: [["17:00", "09:00"]] } },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toMatch(/^\/hours\/tue\/0/);

    const badTime = await manager.request({
      method: "POST",
      url: "/api/v1/calendars",
      payload: { name: "Late", timeZone: "UTC", hours: { mon: [["09:00", "25:00"]] } },
    });
    expect(badTime.statusCode).toBe(400);
  });

  it("lets only managers and admins change calendars", async () => {
    const res = await agent.request({
      method: "PATCH",
      url: `/api/v1/calendars/${calendarId}`,
      payload: { name: "Mine" },
    });
    expect(res.statusCode).toBe(403);
  });

  it("refuses to delete a calendar a policy uses", async () => {
    const res = await admin.request({ method: "DELETE", url: `/api/v1/calendars/${calendarId}` });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/Standard/);
  });
});

describe("policies", () => {
  it("validates pause statuses, actions and the calendar", async () => {
    const bad = await manager.request({
      method: "POST",
      url: "/api/v1/sla-policies",
      payload: {
        name: "Bad",
        calendarId,
        order: 5,
        firstResponseMinutes: 60,
        resolutionMinutes: 600,
        pauseOn: ["open", "sleeping"],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/pauseOn/1");

    const noCal = await manager.request({
      method: "POST",
      url: "/api/v1/sla-policies",
      payload: {
        name: "Bad",
        calendarId: "0190a3c4-0000-7000-8000-000000000000",
        order: 5,
        firstResponseMinutes: 60,
        resolutionMinutes: 600,
      },
    });
    expect(noCal.statusCode).toBe(400);
    expect(noCal.json().errors[0].path).toBe("/calendarId");
  });

  it("lists policies in evaluation order with defaults filled in", async () => {
    const list = await get(agent, "/api/v1/sla-policies");
    const names = list.items.map((p: { name: string }) => p.name);
    expect(names.indexOf("Urgent")).toBeLessThan(names.indexOf("Standard"));
    const urgent = list.items.find((p: { name: string }) => p.name === "Urgent");
    expect(urgent).toMatchObject({ pauseOn: ["waiting_on_customer"], warningPercent: 75 });
    expect(list.items.find((p: { id: string }) => p.id === standardId)?.nextResponseMinutes).toBe(60);
  });
});

describe("clocks on a case", () => {
  it("starts first response and resolution at receipt, in business time", async () => {
    const c = await createCase();
    expect(c.slaPolicy).toMatchObject({ name: "Standard" });
    expect(c.slaPolicy?.reason).toMatch(/first matching policy/);
    // 120 business minutes from Mon 09:00 → 11:00; warning at 75% (90 min) → 10:30.
    expect(kpi(c, "firstResponse")).toMatchObject({
      dueAt: "2026-03-02T11:00:00.000Z",
      warningAt: "2026-03-02T10:30:00.000Z",
      status: "running",
      remainingMinutes: 120,
    });
    // 960: Mon 420 + Tue 420 + 120 on Wed from 09:00 → Wed 11:00; warning at 720 → Tue 15:00.
    expect(kpi(c, "resolution")).toMatchObject({
      dueAt: "2026-03-04T11:00:00.000Z",
      warningAt: "2026-03-03T15:00:00.000Z",
    });
    expect(c.slaDueAt).toBe("2026-03-02T11:00:00.000Z");
  });

  it("counts from receivedAt in the past, skipping the weekend", async () => {
    // Friday 16:00: one business hour on Friday, one on Monday → Mon 10:00.
    const c = await createCase({ receivedAt: "2026-02-27T16:00:00Z" });
    expect(kpi(c, "firstResponse").dueAt).toBe("2026-03-02T10:00:00.000Z");
    expect(kpi(c, "firstResponse").remainingMinutes).toBe(60);
  });

  it("a staff reply meets the first response; a customer message starts next response", async () => {
    const c = await createCase();
    t.c.clock.set("2026-03-02T09:45:00Z");
    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "reply", body: "Looking into it" });
    let now = await readCase(c.id);
    expect(kpi(now, "firstResponse")).toMatchObject({ status: "met", metAt: "2026-03-02T09:45:00.000Z" });
    expect(now.sla.some((s) => s.kpi === "nextResponse")).toBe(false);

    t.c.clock.set("2026-03-02T11:30:00Z");
    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "customer", body: "Any news?" });
    now = await readCase(c.id);
    // 60 business minutes from 11:30: 30 before lunch, 30 after → 13:30.
    expect(kpi(now, "nextResponse")).toMatchObject({ status: "running", dueAt: "2026-03-02T13:30:00.000Z" });

    t.c.clock.set("2026-03-02T13:10:00Z");
    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "reply", body: "Fixed in the next release" });
    now = await readCase(c.id);
    expect(kpi(now, "nextResponse")).toMatchObject({ status: "met", metAt: "2026-03-02T13:10:00.000Z" });
    // The first response is untouched by later replies.
    expect(kpi(now, "firstResponse").metAt).toBe("2026-03-02T09:45:00.000Z");
  });

  it("internal notes never meet a response clock", async () => {
    const c = await createCase();
    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "note", body: "Customer sounds upset" });
    expect(kpi(await readCase(c.id), "firstResponse").status).toBe("running");
  });

  it("waiting on the customer pauses the clock; resuming keeps the remaining time", async () => {
    const c = await createCase();
    t.c.clock.set("2026-03-02T10:00:00Z"); // 60 of 120 used
    await patch(agent, `/api/v1/cases/${c.id}`, { status: "waiting_on_customer" });
    let now = await readCase(c.id);
    expect(kpi(now, "firstResponse")).toMatchObject({ status: "paused", remainingMinutes: 60 });
    expect(now.slaDueAt).toBeNull();

    t.c.clock.set("2026-03-02T14:00:00Z");
    now = await readCase(c.id);
    expect(kpi(now, "firstResponse").remainingMinutes).toBe(60); // frozen while paused

    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "customer", body: "Here are the logs" });
    now = await readCase(c.id);
    expect(now.status).toBe("open");
    expect(kpi(now, "firstResponse")).toMatchObject({ status: "running", dueAt: "2026-03-02T15:00:00.000Z" });
  });

  it("re-evaluates when the priority changes, from the original start, keeping history", async () => {
    const c = await createCase();
    t.c.clock.set("2026-03-02T09:20:00Z");
    const changed = (await patch(agent, `/api/v1/cases/${c.id}`, { priority: "urgent" })) as CaseBody;
    expect(changed.slaPolicy).toMatchObject({ name: "Urgent" });
    expect(changed.slaPolicy?.reason).toMatch(/priority = urgent/);
    // 30 minutes from the original 09:00 start, not from the change.
    expect(kpi(changed, "firstResponse").dueAt).toBe("2026-03-02T09:30:00.000Z");
    // 240: 09:00–12:00 is 180, then 60 after lunch → 14:00.
    expect(kpi(changed, "resolution").dueAt).toBe("2026-03-02T14:00:00.000Z");

    const detail = await get(agent, `/api/v1/cases/${c.id}/sla`);
    expect(detail.policy.name).toBe("Urgent");
    const superseded = detail.clocks.filter((k: { supersededAt: string | null }) => k.supersededAt !== null);
    expect(superseded).toHaveLength(2);
    expect(superseded[0].dueAt).toBe("2026-03-02T11:00:00.000Z");

    const history = await get(agent, `/api/v1/cases/${c.id}/history`);
    const line = history.items.find((h: { field: string }) => h.field === "slaPolicy");
    expect(line.to.name).toBe("Urgent");
  });

  it("resolving meets resolution; a reopen resumes it without rewriting the first response", async () => {
    const c = await createCase();
    t.c.clock.set("2026-03-02T09:30:00Z");
    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "reply", body: "On it" });
    t.c.clock.set("2026-03-02T10:00:00Z");
    await patch(agent, `/api/v1/cases/${c.id}`, { status: "resolved" });
    let now = await readCase(c.id);
    expect(kpi(now, "resolution")).toMatchObject({ status: "met", metAt: "2026-03-02T10:00:00.000Z" });

    t.c.clock.set("2026-03-02T11:00:00Z");
    await patch(agent, `/api/v1/cases/${c.id}`, { status: "open" });
    now = await readCase(c.id);
    expect(kpi(now, "firstResponse")).toMatchObject({ status: "met", metAt: "2026-03-02T09:30:00.000Z" });
    // 60 of 960 used before the reopen: 900 left from 11:00 → Mon 11–12 (60), 13–17 (240),
    // Tue 420, Wed 180 → Wed 12:00.
    expect(kpi(now, "resolution")).toMatchObject({ status: "running", dueAt: "2026-03-04T12:00:00.000Z" });
  });
});

describe("the worker at warning and breach points", () => {
  it("warns, then breaches exactly once, running the policy's actions", async () => {
    const c = await createCase({ ownerId: agent.userId });
    t.c.clock.set("2026-03-02T10:31:00Z");
    await drain();
    let now = await readCase(c.id);
    expect(kpi(now, "firstResponse").status).toBe("warning");
    const mine = await get(agent, "/api/v1/notifications");
    expect(
      mine.items.some(
        (n: { kind: string; link: string }) => n.kind === "sla.warning" && n.link === `/cases/${c.id}`,
      ),
    ).toBe(true);

    t.c.clock.set("2026-03-02T11:05:00Z");
    await drain();
    await drain();
    now = await readCase(c.id);
    expect(kpi(now, "firstResponse")).toMatchObject({
      status: "breached",
      breachedAt: "2026-03-02T11:00:00.000Z",
    });
    expect(now.priority).toBe("high");
    expect(now.tags).toContain("sla-breached");
    const events = (await eventsOf(c.id)).filter((e) => e.type === "sla.breached");
    expect(events).toHaveLength(1);

    // A late answer is recorded but does not turn a breach into a success.
    t.c.clock.set("2026-03-02T11:20:00Z");
    await post(agent, `/api/v1/cases/${c.id}/messages`, { kind: "reply", body: "Sorry for the wait" });
    now = await readCase(c.id);
    expect(kpi(now, "firstResponse")).toMatchObject({
      status: "breached",
      metAt: "2026-03-02T11:20:00.000Z",
    });
  });

  it("a paused clock never breaches; catching up after downtime records the due instant", async () => {
    const paused = await createCase();
    await patch(agent, `/api/v1/cases/${paused.id}`, { status: "waiting_on_customer" });
    const running = await createCase();
    t.c.clock.set("2026-03-05T09:00:00Z"); // days later: the worker was down
    await drain();
    expect(kpi(await readCase(paused.id), "firstResponse").status).toBe("paused");
    const r = await readCase(running.id);
    expect(kpi(r, "firstResponse")).toMatchObject({
      status: "breached",
      breachedAt: "2026-03-02T11:00:00.000Z",
    });
    expect(kpi(r, "resolution")).toMatchObject({
      status: "breached",
      breachedAt: "2026-03-04T11:00:00.000Z",
    });
  });
});

describe("the queue by SLA", () => {
  it("sorts by due soonest (no running clock last) across pages, and filters breaching soon", async () => {
    const account = await insertAccount(t.c.db.kysely, "Queue Co");
    const contact = await insertContact(t.c.db.kysely, account, "Quentin");
    t.c.clock.set("2026-03-02T09:00:00Z");
    const later = await createCase({ contactId: contact }); // due 11:00
    const paused = await createCase({ contactId: contact });
    await patch(agent, `/api/v1/cases/${paused.id}`, { status: "waiting_on_customer" });
    const urgent = await createCase({ contactId: contact, priority: "urgent" }); // due 09:30
    const past = await createCase({ contactId: contact, receivedAt: "2026-02-27T16:00:00Z" }); // due 10:00

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q = `/api/v1/cases?accountId=${account}&sort=slaDueAt&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await get(agent, q)) as { items: CaseBody[]; nextCursor: string | null };
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([urgent.id, past.id, later.id, paused.id]);

    const soon = await get(agent, `/api/v1/cases?accountId=${account}&slaDueWithin=75&sort=slaDueAt`);
    expect(soon.items.map((c: CaseBody) => c.id)).toEqual([urgent.id, past.id]);
    const pausedOnly = await get(agent, `/api/v1/cases?accountId=${account}&slaState=paused`);
    expect(pausedOnly.items.map((c: CaseBody) => c.id)).toEqual([paused.id]);
    // Once breached they stay at the top: an overdue case is the most urgent of all.
    t.c.clock.set("2026-03-02T10:15:00Z");
    await drain();
    const overdue = await get(agent, `/api/v1/cases?accountId=${account}&sort=slaDueAt`);
    expect(overdue.items.map((c: CaseBody) => c.id)).toEqual([urgent.id, past.id, later.id, paused.id]);
    expect(overdue.items[0].slaDueAt).toBe("2026-03-02T09:30:00.000Z");
    const breached = await get(agent, `/api/v1/cases?accountId=${account}&slaState=breached`);
    expect(breached.items.map((c: CaseBody) => c.id).sort()).toEqual([urgent.id, past.id].sort());
    const bad = await agent.request({ method: "GET", url: "/api/v1/cases?slaState=sleepy" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/slaState");
  });
});

describe("compliance report", () => {
  it("counts met and breached clocks per KPI and priority", async () => {
    const report = await get(
      manager,
      "/api/v1/reports/sla-compliance?from=2026-03-01T00:00:00Z&to=2026-03-10T00:00:00Z&groupBy=kpi",
    );
    const first = report.rows.find((r: { kpi: string }) => r.kpi === "firstResponse");
    expect(first.total).toBe(first.met + first.breached);
    expect(first.met).toBeGreaterThan(0);
    expect(first.breached).toBeGreaterThan(0);
    expect(first.compliancePercent).toBeCloseTo((100 * first.met) / first.total, 0);

    const bad = await manager.request({
      method: "GET",
      url: "/api/v1/reports/sla-compliance?groupBy=weather",
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe("entitlements", () => {
  let ent: { id: string; remaining: number };

  it("is picked at creation, used up at resolution, given back on reopen", async () => {
    const account = await insertAccount(t.c.db.kysely, "Roadrunner Inc");
    const contact = await insertContact(t.c.db.kysely, account, "Road Runner");
    ent = await post(manager, "/api/v1/entitlements", {
      accountId: account,
      name: "Gold support",
      unit: "cases",
      total: 2,
      startsOn: "2026-01-01",
      endsOn: "2026-12-31",
      slaPolicyId: urgentId,
    });
    expect(ent).toMatchObject({ remaining: 2, status: "active" });

    const c = await createCase({ contactId: contact });
    expect(c.entitlementId).toBe(ent.id);
    expect(c.entitlement).toMatchObject({ remaining: 2, flag: null });
    // The entitlement brings its policy, whatever the priority.
    expect(c.slaPolicy).toMatchObject({ name: "Urgent" });
    expect(c.slaPolicy?.reason).toMatch(/Gold support/);

    await patch(agent, `/api/v1/cases/${c.id}`, { status: "resolved" });
    expect((await get(agent, `/api/v1/entitlements/${ent.id}`)).remaining).toBe(1);
    await patch(agent, `/api/v1/cases/${c.id}`, { status: "open" });
    expect((await get(agent, `/api/v1/entitlements/${ent.id}`)).remaining).toBe(2);
    await patch(agent, `/api/v1/cases/${c.id}`, { status: "resolved" });

    const second = await createCase({ contactId: contact });
    await patch(agent, `/api/v1/cases/${second.id}`, { status: "resolved" });
    expect(await get(agent, `/api/v1/entitlements/${ent.id}`)).toMatchObject({
      remaining: 0,
      status: "exhausted",
    });

    // Exhausted, whenExhausted = flag: through, flagged, and not on the premium policy.
    const third = await createCase({ contactId: contact });
    expect(third.entitlement).toMatchObject({ id: ent.id, flag: "exhausted" });
    expect(third.slaPolicy?.name).toBe("Standard");
    const events = await eventsOf(third.id);
    expect(events.map((e) => e.type)).toContain("entitlement.flagged");

    // Switched to refuse: a clear 422 and no case written.
    await patch(manager, `/api/v1/entitlements/${ent.id}`, { whenExhausted: "refuse" });
    const refused = await agent.request({
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "One more", contactId: contact },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toMatch(/Gold support.*used up/);
    const list = await get(agent, `/api/v1/cases?accountId=${account}`);
    expect(list.items).toHaveLength(3);
  });

  it("an expired entitlement flags the case", async () => {
    const account = await insertAccount(t.c.db.kysely, "Expired Ltd");
    const contact = await insertContact(t.c.db.kysely, account, "Old Customer");
    await post(manager, "/api/v1/entitlements", {
      accountId: account,
      name: "2025 plan",
      unit: "cases",
      total: 10,
      startsOn: "2025-01-01",
      endsOn: "2025-12-31",
    });
    const c = await createCase({ contactId: contact });
    expect(c.entitlement).toMatchObject({ flag: "expired" });
  });

  it("hour-based entitlements are charged from time logged, on resolution", async () => {
    const account = await insertAccount(t.c.db.kysely, "Hours GmbH");
    const contact = await insertContact(t.c.db.kysely, account, "Heidi");
    const hours = await post(manager, "/api/v1/entitlements", {
      accountId: account,
      name: "Consulting block",
      unit: "hours",
      total: 10,
      startsOn: "2026-01-01",
      endsOn: "2026-12-31",
      channels: ["api", "email"],
    });
    const c = await createCase({ contactId: contact });
    expect(c.entitlementId).toBe(hours.id);
    await post(agent, `/api/v1/cases/${c.id}/time-entries`, { minutes: 90, note: "Call and config" });
    await post(agent, `/api/v1/cases/${c.id}/time-entries`, { minutes: 30 });
    expect((await get(agent, `/api/v1/cases/${c.id}/time-entries`)).totalMinutes).toBe(120);
    await patch(agent, `/api/v1/cases/${c.id}`, { status: "resolved" });
    expect((await get(agent, `/api/v1/entitlements/${hours.id}`)).remaining).toBe(8);

    // A phone case is outside the entitlement's channels.
    const phone = await createCase({ contactId: contact, channel: "phone" });
    expect(phone.entitlementId).toBeNull();
  });

  it("validates input with the field named", async () => {
    const bad = await manager.request({
      method: "POST",
      url: "/api/v1/entitlements",
      payload: {
        accountId,
        name: "Backwards",
        unit: "cases",
        total: 5,
        startsOn: "2026-12-31",
        endsOn: "2026-01-01",
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/endsOn");
    const hoursAtCreation = await manager.request({
      method: "POST",
      url: "/api/v1/entitlements",
      payload: {
        accountId,
        name: "Odd",
        unit: "hours",
        total: 5,
        startsOn: "2026-01-01",
        endsOn: "2026-12-31",
        consumeOn: "creation",
      },
    });
    expect(hoursAtCreation.statusCode).toBe(400);
    expect(hoursAtCreation.json().errors[0].path).toBe("/consumeOn");
    const agentTry = await agent.request({
      method: "POST",
      url: "/api/v1/entitlements",
      payload: {
        accountId,
        name: "Mine",
        unit: "cases",
        total: 5,
        startsOn: "2026-01-01",
        endsOn: "2026-12-31",
      },
    });
    expect(agentTry.statusCode).toBe(403);
  });
});
