import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** Opportunities per account and the pipeline board. */

let t: TestApp;
let agent: Session;
let sales: Session;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
});
afterAll(async () => t?.close());

async function req(
  s: Session,
  method: "GET" | "POST" | "PATCH" | "DELETE",
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
  return res.statusCode === 204 ? null : res.json();
}

describe("opportunities", () => {
  it("sales creates, moves along the pipeline, and deletes; agents read", async () => {
    const a = await req(sales, "POST", "/api/v1/accounts", { name: "Pipeline Co", annualRevenue: 10 }, 201);
    const o = await req(
      sales,
      "POST",
      "/api/v1/opportunities",
      { accountId: a.id, name: "Upgrade to Premium", amount: 12_000, closeDate: "2026-04-30" },
      201,
    );
    expect(o).toMatchObject({
      accountId: a.id,
      accountName: "Pipeline Co",
      name: "Upgrade to Premium",
      amount: 12_000,
      stage: "qualify",
      closeDate: "2026-04-30",
      ownerId: sales.userId,
    });
    await req(agent, "POST", "/api/v1/opportunities", { accountId: a.id, name: "Nope" }, 403);
    await req(sales, "POST", "/api/v1/opportunities", { accountId: a.id, name: "X", stage: "dreaming" }, 400);
    await req(sales, "POST", "/api/v1/opportunities", { accountId: a.id, name: "X", amount: -1 }, 400);
    const missing = await req(
      sales,
      "POST",
      "/api/v1/opportunities",
      { accountId: "00000000-0000-7000-8000-00000000abcd", name: "X" },
      400,
    );
    expect(missing.errors[0].path).toBe("/accountId");
    const moved = await req(sales, "PATCH", `/api/v1/opportunities/${o.id}`, {
      stage: "negotiate",
      amount: 15_000,
    });
    expect(moved).toMatchObject({ stage: "negotiate", amount: 15_000 });
    await req(agent, "PATCH", `/api/v1/opportunities/${o.id}`, { stage: "won" }, 403);
    await req(
      sales,
      "POST",
      "/api/v1/opportunities",
      { accountId: a.id, name: "Second seat pack", amount: 3000 },
      201,
    );
    const board = await req(agent, "GET", "/api/v1/opportunities/pipeline");
    const col = (s: string) => board.stages.find((x: { stage: string }) => x.stage === s);
    expect(col("negotiate")).toMatchObject({ count: 1, amount: 15_000 });
    expect(col("qualify")).toMatchObject({ count: 1, amount: 3000 });
    const list = await req(agent, "GET", `/api/v1/opportunities?accountId=${a.id}`);
    expect(list.items).toHaveLength(2);
    const filtered = await req(agent, "GET", "/api/v1/opportunities?stage=negotiate,won");
    expect(filtered.items.map((x: { id: string }) => x.id)).toEqual([o.id]);
    await req(agent, "GET", "/api/v1/opportunities?stage=bogus", undefined, 400);
    await req(agent, "DELETE", `/api/v1/opportunities/${o.id}`, undefined, 403);
    await req(sales, "DELETE", `/api/v1/opportunities/${o.id}`, undefined, 204);
    await req(agent, "GET", `/api/v1/opportunities/${o.id}`, undefined, 404);
  });
});
