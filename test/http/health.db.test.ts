import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { midnightBefore } from "../../src/modules/health/health-score.ts";
import type { NewEvent } from "../../src/platform/events/event-bus.ts";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * The experience ledger over HTTP and the bus: entries from real and appended events, idempotent
 * handlers, fading, plays started once per edge and ended with outcomes, replay determinism,
 * the account brief, and who may do what. The test clock starts Monday 2026-03-02 09:00Z.
 */

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let sales: Session;

type Entry = {
  kind: string;
  weight: number;
  multiplier: number;
  fadedWeight: number;
  sourceEventId: string;
  caseId: string | null;
};
type Health = {
  score: number | null;
  band: string | null;
  entries: number;
  explanation: Entry[];
  trend: { score: number }[];
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
});
afterAll(async () => t?.close());

const drain = () => drainWork(t.c);

async function req(
  s: Session,
  method: "GET" | "POST" | "PATCH",
  url: string,
  payload?: unknown,
  expected = 200,
) {
  const res = await s.request({
    method,
    url,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json();
}

/** An established customer (outside the onboarding window) owned by the salesperson. */
async function account(name: string, extra: Record<string, unknown> = {}) {
  return (await req(
    sales,
    "POST",
    "/api/v1/accounts",
    {
      name,
      ownerId: sales.userId,
      customerSince: "2020-01-01",
      annualRevenue: 1000,
      ...extra,
    },
    201,
  )) as { id: string; tier: string };
}

async function emit(
  type: string,
  accountId: string,
  data: Record<string, unknown> = {},
  entity?: Partial<NewEvent>,
) {
  return t.c.db.kysely.transaction().execute((trx) =>
    t.c.bus.append(trx, {
      type,
      entityType: entity?.entityType ?? "case",
      entityId: entity?.entityId ?? "00000000-0000-7000-8000-000000000001",
      accountId,
      data,
    }),
  );
}

const health = (id: string, as: Session = agent) =>
  req(as, "GET", `/api/v1/accounts/${id}/health`) as Promise<Health>;
const kinds = async (id: string) =>
  (
    (await req(agent, "GET", `/api/v1/accounts/${id}/health/entries?limit=200`)) as { items: Entry[] }
  ).items.map((e) => e.kind);

describe("the ledger", () => {
  it("posts an entry for each event that matters, and the account reads its health from the ledger", async () => {
    const a = await account("Initech");
    const before = await req(agent, "GET", `/api/v1/accounts/${a.id}`);
    expect(before.health).toEqual({ score: null, band: null });
    await emit("sla.met", a.id, { kpi: "firstResponse" });
    await emit("sla.breached", a.id, { kpi: "resolution" });
    await emit("promise.kept", a.id, { subject: "Call back" }, { entityType: "activity" });
    await emit("promise.broken", a.id, { subject: "Call back" }, { entityType: "activity" });
    await emit("case.reopened", a.id, { reopenCount: 1 });
    await emit("case.escalated", a.id, { reason: "Nobody answers", by: "contact" });
    await emit("survey.answered", a.id, { type: "csat", score: 5 }, { entityType: "survey" });
    await emit("survey.answered", a.id, { type: "nps", score: 3 }, { entityType: "survey" });
    await emit("feedback.created", a.id, { kind: "complaint" }, { entityType: "feedback" });
    await emit("feedback.created", a.id, { kind: "question" }, { entityType: "feedback" });
    await emit("council.attendance_recorded", a.id, { attended: true }, { entityType: "council_meeting" });
    await emit("case.assigned", a.id, {});
    await drain();
    expect((await kinds(a.id)).reverse()).toEqual([
      "sla_met",
      "sla_breached",
      "promise_kept",
      "promise_broken",
      "case_reopened",
      "case_escalated",
      "survey_csat",
      "survey_nps",
      "complaint",
      "council_attended",
    ]);
    const h = await health(a.id);
    // 1 − 3 + 2 − 4 − 3 − 5 + 4 − 5 − 5 + 3 = −15 (all at the same instant: nothing has faded).
    expect(h.entries).toBe(10);
    expect(h.score).toBe(34);
    expect(h.band).toBe("at_risk");
    const read = await req(sales, "GET", `/api/v1/accounts/${a.id}`);
    expect(read.health).toEqual({ score: 34, band: "at_risk" });
    // The explanation: the largest faded weights first.
    expect(h.explanation.map((e) => e.weight).slice(0, 3)).toEqual([-5, -5, -5]);
    expect(h.explanation).toHaveLength(5);
  });

  it("a proactive incident notice credits the account once per incident, however many updates follow", async () => {
    const a = await account("Told Early Ltd");
    const entity = { entityType: "account", entityId: a.id };
    await emit("incident.notice_sent", a.id, { incidentId: "i-1", updateId: "u-1", first: true }, entity);
    await emit("incident.notice_sent", a.id, { incidentId: "i-1", updateId: "u-2", first: false }, entity);
    await emit("incident.notice_sent", a.id, { incidentId: "i-2", updateId: "u-3", first: true }, entity);
    await drain();
    expect(await kinds(a.id)).toEqual(["proactive_notice", "proactive_notice"]);
    const h = await health(a.id);
    expect(h.explanation.map((e) => e.weight)).toEqual([1, 1]);
  });

  it("real case events post entries; the first cases after go-live and the first weeks weigh more", async () => {
    const fresh = (await req(sales, "POST", "/api/v1/accounts", { name: "Newco" }, 201)) as { id: string };
    const old = await account("Oldco");
    const contact = await req(
      agent,
      "POST",
      "/api/v1/contacts",
      { accountId: old.id, name: "O", email: "o@oldco.test" },
      201,
    );
    for (let i = 0; i < 4; i++)
      await req(agent, "POST", "/api/v1/cases", { subject: `Problem ${i}`, contactId: contact.id }, 201);
    await emit("sla.breached", fresh.id, { kpi: "firstResponse" });
    await drain();
    const oldEntries = (
      (await req(agent, "GET", `/api/v1/accounts/${old.id}/health/entries`)) as { items: Entry[] }
    ).items;
    expect(oldEntries.map((e) => [e.kind, e.multiplier]).reverse()).toEqual([
      ["case_created", 1.5],
      ["case_created", 1.5],
      ["case_created", 1.5],
      ["case_created", 1],
    ]);
    const freshEntries = (
      (await req(agent, "GET", `/api/v1/accounts/${fresh.id}/health/entries`)) as { items: Entry[] }
    ).items;
    expect(freshEntries[0]).toMatchObject({ kind: "sla_breached", multiplier: 2, weight: -6 });
  });

  it("handlers are idempotent: delivering an event again writes nothing twice", async () => {
    const a = await account("Twice Ltd");
    const e = await emit("sla.breached", a.id, { kpi: "resolution" });
    await drain();
    const handler = t.c.bus.handler("health.ledger")!;
    await t.c.db.kysely.transaction().execute((trx) => handler.handle(e, trx));
    await t.c.db.kysely.transaction().execute((trx) => handler.handle(e, trx));
    const h = await health(a.id);
    expect(h.entries).toBe(1);
    expect(await kinds(a.id)).toEqual(["sla_breached"]);
  });

  it("the balance fades with the half-life", async () => {
    const a = await account("Fading plc");
    await emit("promise.broken", a.id, {}, { entityType: "activity" });
    await drain();
    // 90 days on (sessions last a week: read through the service).
    t.c.clock.advance(90 * 86_400_000);
    const h = await t.c.health.accountHealth({ kind: "system" }, a.id);
    expect(h.explanation[0]!.weight).toBe(-4);
    expect(h.explanation[0]!.fadedWeight).toBeCloseTo(-2, 3);
    t.c.clock.set("2026-03-02T09:00:00Z");
  });

  it("churn signals recorded by sales post entries", async () => {
    const a = await account("Signals Inc");
    const res = await req(
      sales,
      "POST",
      `/api/v1/accounts/${a.id}/health-signals`,
      { kind: "downgrade_request", notes: "Wants the small plan" },
      201,
    );
    expect(res.kind).toBe("downgrade_request");
    await req(sales, "POST", `/api/v1/accounts/${a.id}/health-signals`, { kind: "bogus" }, 400);
    await drain();
    const h = await health(a.id);
    expect(h.explanation[0]).toMatchObject({ kind: "downgrade_request", weight: -6 });
  });
});

describe("retention plays", () => {
  it("entering at_risk starts one play (tasks for the owner, managers told); more debits start no second", async () => {
    const a = await account("Risky Co");
    for (let i = 0; i < 4; i++) await emit("promise.broken", a.id, {}, { entityType: "activity" });
    await drain();
    const h = await health(a.id);
    expect(h.band).toBe("at_risk");
    const plays = await req(agent, "GET", `/api/v1/plays?accountId=${a.id}`);
    expect(plays.items.map((p: { reason: string }) => p.reason).sort()).toEqual([
      "entered_at_risk",
      "score_drop",
    ]);
    const play = plays.items.find((p: { reason: string }) => p.reason === "entered_at_risk");
    expect(play).toMatchObject({ status: "open", keyAccount: false });
    expect(play.taskIds).toHaveLength(2);
    const tasks = await req(sales, "GET", `/api/v1/activities?accountId=${a.id}&type=task`);
    expect(
      tasks.items.filter((x: { ownerId: string }) => x.ownerId === sales.userId).length,
    ).toBeGreaterThanOrEqual(2);
    const notes = await req(manager, "GET", "/api/v1/notifications");
    expect(JSON.stringify(notes)).toContain("Risky Co");
    // More debits while at risk: no second play for the same reason.
    for (let i = 0; i < 3; i++) await emit("sla.breached", a.id, {});
    await drain();
    const again = await req(agent, "GET", `/api/v1/plays?accountId=${a.id}&reason=entered_at_risk`);
    expect(again.items).toHaveLength(1);
    const started = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.type === "play.started" && e.accountId === a.id,
    );
    expect(started).toHaveLength(2);
  });

  it("plays end with an outcome (by hand, or recovered when the account is healthy again) and are reported", async () => {
    const a = await account("Comeback Ltd");
    for (let i = 0; i < 4; i++) await emit("promise.broken", a.id, {}, { entityType: "activity" });
    await drain();
    const plays = (await req(agent, "GET", `/api/v1/plays?accountId=${a.id}&status=open`)).items as {
      id: string;
      reason: string;
    }[];
    const drop = plays.find((p) => p.reason === "score_drop")!;
    await req(agent, "POST", `/api/v1/plays/${drop.id}/end`, { outcome: "no_longer_needed" }, 403);
    const ended = await req(sales, "POST", `/api/v1/plays/${drop.id}/end`, {
      outcome: "no_longer_needed",
      notes: "dup",
    });
    expect(ended).toMatchObject({ status: "ended", outcome: "no_longer_needed", endedById: sales.userId });
    await req(sales, "POST", `/api/v1/plays/${drop.id}/end`, { outcome: "lost" }, 422);
    await req(sales, "POST", `/api/v1/plays/${drop.id}/end`, { outcome: "maybe" }, 400);
    // Credits until healthy: the at-risk play ends as recovered.
    for (let i = 0; i < 10; i++) await emit("promise.kept", a.id, {}, { entityType: "activity" });
    await drain();
    expect((await health(a.id)).band).toBe("healthy");
    const after = (await req(agent, "GET", `/api/v1/plays?accountId=${a.id}`)).items as {
      reason: string;
      outcome: string;
    }[];
    expect(after.find((p) => p.reason === "entered_at_risk")!.outcome).toBe("recovered");
    const report = await req(manager, "GET", "/api/v1/plays/report");
    expect(report.totals.recovered).toBeGreaterThanOrEqual(1);
    expect(report.totals.no_longer_needed).toBeGreaterThanOrEqual(1);
    // Entering at risk again is a new edge: a new play.
    for (let i = 0; i < 8; i++) await emit("promise.broken", a.id, {}, { entityType: "activity" });
    await drain();
    const open = (
      await req(agent, "GET", `/api/v1/plays?accountId=${a.id}&status=open&reason=entered_at_risk`)
    ).items;
    expect(open).toHaveLength(1);
  });

  it("a play can be started by hand, once while open", async () => {
    const a = await account("Manual Co");
    const p = await req(sales, "POST", `/api/v1/accounts/${a.id}/plays`, { notes: "Renewal wobble" }, 201);
    expect(p).toMatchObject({ reason: "manual", status: "open" });
    await req(sales, "POST", `/api/v1/accounts/${a.id}/plays`, {}, 409);
    await req(agent, "POST", `/api/v1/accounts/${a.id}/plays`, {}, 403);
  });
});

describe("replay", () => {
  it("rebuilding the ledger from all events gives byte-identical entries and scores", async () => {
    const a = await account("Replay AG");
    const b = (await req(sales, "POST", "/api/v1/accounts", { name: "Replay New" }, 201)) as { id: string };
    const contact = await req(
      agent,
      "POST",
      "/api/v1/contacts",
      { accountId: b.id, name: "R", email: "r@replay.test" },
      201,
    );
    await req(agent, "POST", "/api/v1/cases", { subject: "Broken export", contactId: contact.id }, 201);
    await emit("sla.breached", a.id, {});
    t.c.clock.advance(3 * 86_400_000 + 3_600_000);
    await emit("survey.answered", a.id, { type: "ces", score: 2 }, { entityType: "survey" });
    await emit("promise.broken", b.id, {}, { entityType: "activity" });
    t.c.clock.advance(40 * 86_400_000);
    await emit("case.reopened", b.id, {});
    await drain();
    const m = midnightBefore(t.c.clock.now());
    await t.c.db.kysely.transaction().execute((trx) => t.c.health.tickAll(trx, m, false));
    const live = await t.c.health.snapshot(t.c.db.kysely);
    const progress: number[] = [];
    const r1 = await t.c.health.rebuild({ onProgress: (done) => progress.push(done) });
    const first = await t.c.health.snapshot(t.c.db.kysely);
    await t.c.health.rebuild();
    const second = await t.c.health.snapshot(t.c.db.kysely);
    expect(first).toBe(live);
    expect(second).toBe(first);
    expect(r1.entries).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(r1.events);
    t.c.clock.set("2026-03-02T09:00:00Z");
  });
});

describe("brief and permissions", () => {
  it("the brief: open cases with SLA state, promises due and broken, surveys, health and trend, escalations", async () => {
    const a = await account("Brief GmbH");
    const contact = await req(
      agent,
      "POST",
      "/api/v1/contacts",
      { accountId: a.id, name: "B", email: "b@brief.test" },
      201,
    );
    const kase = await req(
      agent,
      "POST",
      "/api/v1/cases",
      { subject: "Invoices missing", contactId: contact.id },
      201,
    );
    const due = new Date(t.c.clock.now().getTime() + 3_600_000).toISOString();
    await req(
      agent,
      "POST",
      "/api/v1/activities",
      { type: "promise", subject: "Call back", caseId: kase.id, dueAt: due },
      201,
    );
    await emit(
      "survey.answered",
      a.id,
      { type: "csat", score: 2, comment: "Slow" },
      { entityType: "survey" },
    );
    await emit(
      "case.escalated",
      a.id,
      { reason: "Third time asking", by: "contact" },
      { entityType: "case", entityId: kase.id },
    );
    await drain();
    const brief = await req(sales, "GET", `/api/v1/accounts/${a.id}/brief`);
    expect(brief.account).toMatchObject({ id: a.id, name: "Brief GmbH" });
    expect(brief.openCases).toHaveLength(1);
    expect(brief.openCases[0]).toMatchObject({ id: kase.id, subject: "Invoices missing" });
    expect(brief.promises.due).toHaveLength(1);
    expect(brief.promises.due[0]).toMatchObject({ subject: "Call back", caseId: kase.id });
    expect(brief.surveys).toEqual([expect.objectContaining({ type: "csat", score: 2, comment: "Slow" })]);
    expect(brief.escalations).toEqual([
      expect.objectContaining({ caseId: kase.id, reason: "Third time asking" }),
    ]);
    expect(brief.health.score).toEqual(expect.any(Number));
    expect(brief.health.trend.length).toBeGreaterThanOrEqual(3);
    expect(brief.health.explanation.length).toBeGreaterThan(0);
    // The promise breaks at its due time: the brief lists it as broken.
    t.c.clock.advance(2 * 3_600_000);
    await drain();
    const later = await req(sales, "GET", `/api/v1/accounts/${a.id}/brief`);
    expect(later.promises.due).toHaveLength(0);
    expect(later.promises.broken).toHaveLength(1);
    t.c.clock.set("2026-03-02T09:00:00Z");
  });

  it("sales reads briefs; agents see health but cannot change the weights; managers can", async () => {
    const a = await account("Perms Ltd");
    await req(sales, "GET", `/api/v1/accounts/${a.id}/brief`);
    await req(agent, "GET", `/api/v1/accounts/${a.id}/health`);
    await req(agent, "GET", "/api/v1/health/settings");
    await req(agent, "PATCH", "/api/v1/health/settings", { halfLifeDays: 30 }, 403);
    await req(sales, "PATCH", "/api/v1/health/settings", { halfLifeDays: 30 }, 403);
    const s = await req(manager, "PATCH", "/api/v1/health/settings", {
      halfLifeDays: 60,
      weights: { sla_breached: -2 },
    });
    expect(s.halfLifeDays).toBe(60);
    expect(s.weights.sla_breached).toBe(-2);
    expect(s.weights.promise_broken).toBe(-4);
    const bad = await req(admin, "PATCH", "/api/v1/health/settings", { bands: { atRiskEnter: 80 } }, 400);
    expect(bad.errors[0].path).toMatch(/^\/bands\//);
    await req(admin, "PATCH", "/api/v1/health/settings", { weights: { nope: 1 } }, 400);
    await req(admin, "PATCH", "/api/v1/health/settings", { halfLifeDays: 90, weights: { sla_breached: -3 } });
    await req(agent, "GET", "/api/v1/accounts/00000000-0000-7000-8000-00000000abcd/health", undefined, 404);
    await req(agent, "GET", "/api/v1/accounts/not-a-uuid/brief", undefined, 400);
    for (const url of ["/api/v1/health/dashboard", "/api/v1/health/pareto", "/api/v1/health/ready-for-offer"])
      await req(agent, "GET", url);
  });

  it("dashboards, the Pareto curve and the ready-for-an-offer list", async () => {
    const happy = await account("Happy Big", { annualRevenue: 5_000_000 });
    await emit("promise.kept", happy.id, {}, { entityType: "activity" });
    await drain();
    const ready = await req(sales, "GET", "/api/v1/health/ready-for-offer");
    expect(ready.items[0]).toMatchObject({ accountId: happy.id, health: { band: "healthy" } });
    const dash = await req(manager, "GET", "/api/v1/health/dashboard");
    const atRisk = dash.bands.find((b: { band: string }) => b.band === "at_risk");
    expect(atRisk.accounts).toBeGreaterThanOrEqual(1);
    expect(dash.revenueAtRisk).toBe(atRisk.revenue);
    expect(dash.movedToAtRisk.length).toBeGreaterThanOrEqual(1);
    const pareto = await req(sales, "GET", "/api/v1/health/pareto");
    expect(pareto.curve[0]).toEqual({ accountsPercent: 0, revenuePercent: 0 });
    expect(pareto.curve.at(-1)).toEqual({ accountsPercent: 100, revenuePercent: 100 });
    expect(pareto.key.map((k: { accountId: string }) => k.accountId)).toContain(happy.id);
  });
});

// Last: it moves the clock 200 days on (sessions expire, timers fire), and nothing runs after it.
describe("the daily tick", () => {
  it("the daily tick re-evaluates bands at midnight as balances fade, and says so", async () => {
    const a = await account("Healing Ltd");
    for (let i = 0; i < 4; i++) await emit("promise.broken", a.id, {}, { entityType: "activity" });
    await drain();
    expect((await t.c.health.accountHealth({ kind: "system" }, a.id)).band).toBe("at_risk");
    // 200 days on, no new entries: −16 has faded to about −3.4, a score of 62: watch (left at_risk above 50).
    t.c.clock.advance(200 * 86_400_000);
    await drain();
    const h = await t.c.health.accountHealth({ kind: "system" }, a.id);
    expect(h.band).toBe("watch");
    expect(h.score).toBe(62);
    const m = midnightBefore(t.c.clock.now()).toISOString();
    expect(h.scoredAt).toBe(m);
    const changed = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.type === "health.band_changed" && e.accountId === a.id,
    );
    expect(changed.map((e) => [e.data.from, e.data.to])).toEqual([
      [null, "healthy"],
      ["healthy", "watch"],
      ["watch", "at_risk"],
      ["at_risk", "watch"],
    ]);
    expect(changed.at(-1)!.data.at).toBe(m);
  });
});
