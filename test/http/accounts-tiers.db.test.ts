import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { paretoTiers } from "../../src/modules/accounts/pareto.ts";
import { readEvents, type StoredEvent } from "../../src/platform/events/event-bus.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** The Pareto cut is over all accounts, so this file owns every account in its database. */

let t: TestApp;
let manager: Session;

beforeAll(async () => {
  t = await createTestApp();
  manager = await t.signInAs("manager");
});
afterAll(async () => t?.close());
beforeEach(async () => {
  await sql`delete from accounts`.execute(t.c.db.kysely);
});

type Account = { id: string; name: string; annualRevenue: number; tier: "key" | "standard" };

async function create(name: string, annualRevenue: number): Promise<Account> {
  const res = await manager.request({
    method: "POST",
    url: "/api/v1/accounts",
    payload: { name, annualRevenue },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function setRevenue(id: string, annualRevenue: number) {
  const res = await manager.request({
    method: "PATCH",
    url: `/api/v1/accounts/${id}`,
    payload: { annualRevenue },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Account;
}

async function all(): Promise<Account[]> {
  const res = await manager.request({ method: "GET", url: "/api/v1/accounts?limit=200" });
  return res.json().items;
}

async function tiersByName(): Promise<Record<string, string>> {
  return Object.fromEntries((await all()).map((a) => [a.name, a.tier]));
}

async function lastSeq(): Promise<number> {
  const events = await readEvents(t.c.db.kysely, 0, 100_000);
  return events[events.length - 1]?.seq ?? 0;
}

async function eventsSince(seq: number): Promise<StoredEvent[]> {
  return readEvents(t.c.db.kysely, seq, 100_000);
}

/** The stored tiers are exactly the cut over the stored revenues. */
async function expectTiersMatchRevenues() {
  const accounts = await all();
  const expected = paretoTiers(accounts.map((a) => ({ id: a.id, annualRevenue: a.annualRevenue })));
  expect(Object.fromEntries(accounts.map((a) => [a.name, a.tier]))).toEqual(
    Object.fromEntries(accounts.map((a) => [a.name, expected.get(a.id)])),
  );
}

describe("tiers by Pareto cut", () => {
  it("makes the accounts that bring the top 80% key, and flips tiers when a revenue changes", async () => {
    const a = await create("A", 1000);
    const b = await create("B", 500);
    const c = await create("C", 300);
    const d = await create("D", 100);
    const e = await create("E", 50);
    // Total 1950, 80% = 1560: A (0 before), B (1000 before) and C (1500 before) are key.
    expect(await tiersByName()).toEqual({ A: "key", B: "key", C: "key", D: "standard", E: "standard" });

    const since = await lastSeq();
    t.c.clock.advanceMinutes(1);
    const raised = await setRevenue(d.id, 2000);
    // The answer already carries the new tier, decided in the same transaction.
    expect(raised.tier).toBe("key");
    // Total 3850, 80% = 3080: D (0), A (2000), B (3000) are key; C (3500 before) is not.
    expect(await tiersByName()).toEqual({ A: "key", B: "key", C: "standard", D: "key", E: "standard" });

    const events = await eventsSince(since);
    expect(events.map((ev) => [ev.type, ev.entityId, ev.accountId, ev.data])).toEqual([
      ["account.updated", d.id, d.id, { changes: { annualRevenue: { from: 100, to: 2000 } } }],
      ...[[c.id, { from: "key", to: "standard" }] as const, [d.id, { from: "standard", to: "key" }] as const]
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([id, data]) => ["account.tier_changed", id, id, data]),
    ]);
    expect(events.every((ev) => ev.actorId === manager.userId)).toBe(true);

    const keyOnly = await manager.request({ method: "GET", url: "/api/v1/accounts?tier=key" });
    expect(keyOnly.json().items.map((x: Account) => x.name)).toEqual(["A", "B", "D"]);
    expect(a.id && b.id && e.id).toBeTruthy();
  });

  it("recomputes when an account with revenue is created or deleted", async () => {
    const a = await create("A", 600);
    const b = await create("B", 400);
    expect(await tiersByName()).toEqual({ A: "key", B: "key" });

    let since = await lastSeq();
    const giant = await create("Giant", 9000);
    // Total 10000, 80% = 8000: the giant alone covers it.
    expect(await tiersByName()).toEqual({ A: "standard", B: "standard", Giant: "key" });
    expect(
      (await eventsSince(since))
        .filter((ev) => ev.type === "account.tier_changed")
        .map((ev) => [ev.entityId, ev.data])
        .sort(),
    ).toEqual(
      [
        [a.id, { from: "key", to: "standard" }],
        [b.id, { from: "key", to: "standard" }],
        [giant.id, { from: "standard", to: "key" }],
      ].sort(),
    );

    since = await lastSeq();
    expect(
      (await manager.request({ method: "DELETE", url: `/api/v1/accounts/${giant.id}` })).statusCode,
    ).toBe(204);
    expect(await tiersByName()).toEqual({ A: "key", B: "key" });
    const afterDelete = await eventsSince(since);
    expect(afterDelete.map((ev) => [ev.type, ev.entityId])).toEqual([
      ["account.deleted", giant.id],
      ["account.tier_changed", [a.id, b.id].sort()[0]],
      ["account.tier_changed", [a.id, b.id].sort()[1]],
    ]);
  });

  it("accounts without revenue are never key and move nothing", async () => {
    await create("Paying", 100);
    const since = await lastSeq();
    const free = await create("Free", 0);
    expect(free.tier).toBe("standard");
    expect((await eventsSince(since)).map((ev) => ev.type)).toEqual(["account.created"]);

    const paying = (await all()).find((x) => x.name === "Paying")!;
    await setRevenue(paying.id, 0);
    expect(await tiersByName()).toEqual({ Free: "standard", Paying: "standard" });
    await setRevenue(free.id, 1);
    expect(await tiersByName()).toEqual({ Free: "key", Paying: "standard" });
  });

  it("a change that leaves the revenue as it was recomputes nothing", async () => {
    const a = await create("A", 100);
    const since = await lastSeq();
    await setRevenue(a.id, 100);
    expect(await eventsSince(since)).toEqual([]);
  });

  it("concurrent revenue changes end with tiers that match the final revenues", async () => {
    const accounts: Account[] = [];
    for (let i = 0; i < 8; i++) accounts.push(await create(`Acc ${i}`, 100 * (i + 1)));
    const tiersBefore = new Map((await all()).map((a) => [a.id, a.tier]));
    const since = await lastSeq();

    // A fixed pseudo-random sequence, so a failure can be replayed.
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 6; round++) {
      const targets = [...accounts].sort(() => (next() % 2 ? 1 : -1)).slice(0, 4);
      const results = await Promise.all(
        targets.map((acc) =>
          manager.request({
            method: "PATCH",
            url: `/api/v1/accounts/${acc.id}`,
            payload: { annualRevenue: (next() % 5000) + 1 },
          }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
      await expectTiersMatchRevenues();
    }

    // The events tell the same story: per account, tier_changed events chain (each starts where
    // the previous ended) and the last one ends at the stored tier.
    const events = (await eventsSince(since)).filter((ev) => ev.type === "account.tier_changed");
    const tiers = new Map((await all()).map((a) => [a.id, a.tier]));
    for (const acc of accounts) {
      let tier = tiersBefore.get(acc.id);
      for (const ev of events.filter((x) => x.entityId === acc.id)) {
        expect(ev.data.from).toBe(tier);
        tier = ev.data.to as Account["tier"];
      }
      expect(tier).toBe(tiers.get(acc.id));
    }
  });
});
