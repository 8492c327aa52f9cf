import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** Churn: marking an account lost with a reason, the ledger debits attached, won back, the report. */

let t: TestApp;
let agent: Session;
let sales: Session;
let manager: Session;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
  manager = await t.signInAs("manager");
});
afterAll(async () => t?.close());

async function req(s: Session, method: "GET" | "POST", url: string, payload?: unknown, expected = 200) {
  const res = await s.request({
    method,
    url,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json();
}

async function account(name: string, annualRevenue: number) {
  return (await req(
    sales,
    "POST",
    "/api/v1/accounts",
    { name, annualRevenue, ownerId: sales.userId, customerSince: "2019-05-01" },
    201,
  )) as {
    id: string;
  };
}

async function emit(type: string, accountId: string, data: Record<string, unknown> = {}) {
  await t.c.db.kysely.transaction().execute((trx) =>
    t.c.bus.append(trx, {
      type,
      entityType: "case",
      entityId: "00000000-0000-7000-8000-000000000002",
      accountId,
      data,
    }),
  );
}

describe("churn", () => {
  it("marks an account lost with its reason group, revenue and the last ledger debits attached", async () => {
    const a = await account("Leaving Ltd", 40_000);
    await emit("promise.kept", a.id);
    await emit("sla.breached", a.id, { kpi: "resolution" });
    await emit("promise.broken", a.id);
    await emit("case.reopened", a.id);
    await emit("case.reopened", a.id);
    await emit("case.reopened", a.id);
    await drain();
    const plays = await req(agent, "GET", `/api/v1/plays?accountId=${a.id}&status=open`);
    expect(plays.items.length).toBeGreaterThan(0);
    await req(agent, "POST", `/api/v1/accounts/${a.id}/churn`, { reason: "customer_service" }, 403);
    await req(sales, "POST", `/api/v1/accounts/${a.id}/churn`, { reason: "bored" }, 400);
    await req(
      sales,
      "POST",
      `/api/v1/accounts/${a.id}/churn`,
      { reason: "other", lostOn: "2026-13-45" },
      400,
    );
    const lost = await req(
      sales,
      "POST",
      `/api/v1/accounts/${a.id}/churn`,
      { reason: "customer_service", lostOn: "2026-03-01", notes: "Nobody called back" },
      201,
    );
    expect(lost).toMatchObject({
      accountId: a.id,
      lostOn: "2026-03-01",
      revenueLost: 40_000,
      reason: "customer_service",
      reasonGroup: "service_or_treatment",
      notes: "Nobody called back",
      wonBackAt: null,
    });
    // The five latest debits, newest first; the credit is not among them.
    expect(lost.debits.map((d: { kind: string }) => d.kind)).toEqual([
      "case_reopened",
      "case_reopened",
      "case_reopened",
      "promise_broken",
      "sla_breached",
    ]);
    expect(lost.debits.every((d: { weight: number }) => d.weight < 0)).toBe(true);
    // Open plays end as lost; a second loss record is a conflict while the first stands.
    await drain();
    const after = await req(agent, "GET", `/api/v1/plays?accountId=${a.id}`);
    expect(after.items.every((p: { outcome: string }) => p.outcome === "lost")).toBe(true);
    await req(sales, "POST", `/api/v1/accounts/${a.id}/churn`, { reason: "other" }, 409);
    const events = (await readEvents(t.c.db.kysely, 0, 100_000)).filter((e) => e.accountId === a.id);
    expect(events.map((e) => e.type)).toContain("account.lost");
    // Won back: recorded once; the account may be lost again later.
    const back = await req(manager, "POST", `/api/v1/churn/${lost.id}/won-back`);
    expect(back.wonBackAt).toBe("2026-03-02T09:00:00.000Z");
    await req(manager, "POST", `/api/v1/churn/${lost.id}/won-back`, undefined, 422);
    await req(
      sales,
      "POST",
      `/api/v1/accounts/${a.id}/churn`,
      { reason: "too_expensive", revenueLost: 10_000 },
      201,
    );
  });

  it("reports churn by reason group and revenue (the business's own 68/14/9)", async () => {
    const rows: [string, number][] = [
      ["customer_service", 100],
      ["customer_service", 200],
      ["low_quality", 300],
      ["switched_service", 400],
      ["too_expensive", 500],
      ["unused", 600],
    ];
    for (const [i, [reason, revenue]] of rows.entries()) {
      const a = await account(`Gone ${i}`, revenue);
      await req(sales, "POST", `/api/v1/accounts/${a.id}/churn`, { reason, lostOn: "2026-02-15" }, 201);
    }
    const report = await req(agent, "GET", "/api/v1/reports/churn?from=2026-02-01&to=2026-03-01");
    expect(report.total).toBe(6);
    expect(report.revenueLost).toBe(2100);
    const g = Object.fromEntries(report.groups.map((x: { group: string }) => [x.group, x]));
    expect(g.service_or_treatment).toMatchObject({
      count: 2,
      percent: 33.3,
      revenueLost: 300,
      revenuePercent: 14.3,
    });
    expect(g.product).toMatchObject({ count: 1, revenueLost: 300 });
    expect(g.competitor).toMatchObject({ count: 1, revenueLost: 400 });
    expect(g.price).toMatchObject({ count: 1, revenueLost: 500 });
    expect(g.other).toMatchObject({ count: 1, revenueLost: 600 });
    expect(report.reasons.find((r: { reason: string }) => r.reason === "customer_service").count).toBe(2);
    const list = await req(agent, "GET", "/api/v1/churn?from=2026-02-01&to=2026-03-01");
    expect(list.items).toHaveLength(6);
    const dash = await req(agent, "GET", "/api/v1/health/dashboard");
    expect(dash.churnTotal).toBeGreaterThanOrEqual(6);
    await req(agent, "GET", "/api/v1/reports/churn?from=yesterday", undefined, 400);
  });
});

const drain = () => drainWork(t.c);
