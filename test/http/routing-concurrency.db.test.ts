import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../src/platform/auth/actor.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * Assignment under load. On Postgres (DATABASE_URL) the parallel requests below really run at
 * the same time on a pool of connections; the advisory locks must keep every agent at or below
 * capacity. On PGlite they serialise on its one connection and the same assertions hold.
 */

let t: TestApp;
let manager: Session;
let agent: Session;
let n = 0;

async function staff(capacity: number) {
  n += 1;
  const u = await t.c.users.create(SYSTEM, {
    email: `load-${n}@example.test`,
    name: `Load agent ${n}`,
    role: "agent",
    capacity,
  });
  await t.c.users.update(SYSTEM, u.id, { status: "available" });
  return u.id;
}

async function queueFor(memberIds: string[], strategy: string) {
  const team = await manager.request({
    method: "POST",
    url: "/api/v1/teams",
    payload: { name: `Load team ${++n}`, memberIds },
  });
  expect(team.statusCode, team.body).toBe(201);
  const q = await manager.request({
    method: "POST",
    url: "/api/v1/queues",
    payload: { name: `Load queue ${++n}`, teamId: team.json().id },
  });
  expect(q.statusCode, q.body).toBe(201);
  const set = await manager.request({
    method: "PUT",
    url: `/api/v1/queues/${q.json().id}/assignment`,
    payload: { strategy },
  });
  expect(set.statusCode, set.body).toBe(200);
  return q.json().id as string;
}

/** Fires all requests at once and waits for every answer. */
async function createAtOnce(queueIds: string[], count: number, priority = "normal") {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      agent.request({
        method: "POST",
        url: "/api/v1/cases",
        payload: { subject: `Parallel ${i}`, queueId: queueIds[i % queueIds.length], priority },
      }),
    ),
  );
  for (const a of answers) expect(a.statusCode, a.body).toBe(201);
  return answers.map((a) => a.json() as { id: string; ownerId: string | null });
}

async function openCasesOf(userIds: string[]) {
  const rows = await sql<{ owner_id: string; n: number }>`
    select owner_id, count(*)::int as n from cases
    where owner_id = any(${userIds}::uuid[]) and status in ('new', 'open')
    group by owner_id`.execute(t.c.db.kysely);
  return new Map(rows.rows.map((r) => [r.owner_id, r.n]));
}

beforeAll(async () => {
  t = await createTestApp();
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
});
afterAll(async () => t?.close());

describe("capacity under concurrent creation", () => {
  it("48 cases at once into a least-loaded queue of 3 agents with 2 slots each: exactly 6 assigned, nobody above capacity", async () => {
    const agents = [await staff(2), await staff(2), await staff(2)];
    const q = await queueFor(agents, "least_loaded");
    const cases = await createAtOnce([q], 48);
    const assigned = cases.filter((c) => c.ownerId !== null);
    expect(assigned).toHaveLength(6);
    const load = await openCasesOf(agents);
    expect(agents.map((a) => load.get(a) ?? 0)).toEqual([2, 2, 2]);
    // What each answer said agrees with what is stored.
    const stored = await sql<{ id: string; owner_id: string | null }>`
      select id, owner_id from cases where id = any(${cases.map((c) => c.id)}::uuid[])`.execute(
      t.c.db.kysely,
    );
    const byId = new Map(stored.rows.map((r) => [r.id, r.owner_id]));
    for (const c of cases) expect(byId.get(c.id)).toBe(c.ownerId);
  });

  it("two queues sharing an agent, 40 cases at once: the shared agent's last slot is taken once", async () => {
    const shared = await staff(3);
    const onlyA = await staff(1);
    const onlyB = await staff(1);
    const qa = await queueFor([shared, onlyA], "least_loaded");
    const qb = await queueFor([shared, onlyB], "round_robin");
    const cases = await createAtOnce([qa, qb], 40, "high");
    expect(cases.filter((c) => c.ownerId !== null)).toHaveLength(5);
    const load = await openCasesOf([shared, onlyA, onlyB]);
    expect([load.get(shared), load.get(onlyA), load.get(onlyB)]).toEqual([3, 1, 1]);
  });

  it("round robin stays fair when 60 cases arrive at once: counts differ by at most one", async () => {
    const agents = [await staff(100), await staff(100), await staff(100), await staff(100), await staff(100)];
    const q = await queueFor(agents, "round_robin");
    const cases = await createAtOnce([q], 60);
    expect(cases.every((c) => c.ownerId !== null)).toBe(true);
    const load = await openCasesOf(agents);
    const counts = agents.map((a) => load.get(a) ?? 0);
    expect(counts.reduce((s, x) => s + x, 0)).toBe(60);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});
