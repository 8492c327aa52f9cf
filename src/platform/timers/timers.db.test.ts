import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { retryDelayMs } from "../events/dispatcher.ts";
import { type DueTimer, sweepBatch, type TimerHandler, TimerRegistry } from "./timers.ts";

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
  // What handlers write: no unique constraint, so a timer fired twice would show as two rows.
  await sql`create table probe (timer_id uuid not null)`.execute(c.db.kysely);
});
afterAll(async () => c?.testDb.drop());
beforeEach(async () => {
  await sql`truncate timers, probe`.execute(c.db.kysely);
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const at = (offsetMs: number) => new Date(c.clock.now().getTime() + offsetMs);

/** A timer handler whose effect is a row in `probe`, written through the sweeper's transaction. */
function probe(fail?: (t: DueTimer) => boolean) {
  const fired: DueTimer[] = [];
  const handler: TimerHandler = async (timer, trx) => {
    fired.push(timer);
    await sql`insert into probe (timer_id) values (${timer.id})`.execute(trx);
    if (fail?.(timer)) throw new Error(`timer ${timer.id} refuses`);
  };
  return { handler, fired };
}

const sweep = (registry: TimerRegistry, options: Parameters<typeof sweepBatch>[4] = {}) =>
  sweepBatch(c.db, registry, c.clock, c.log, options);

async function timers() {
  return c.db.kysely.selectFrom("timers").selectAll().orderBy("due_at").orderBy("id").execute();
}

async function firedCounts(): Promise<Map<string, number>> {
  const r = await sql<{
    timer_id: string;
    n: number;
  }>`select timer_id, count(*)::int as n from probe group by timer_id`.execute(c.db.kysely);
  return new Map(r.rows.map((row) => [row.timer_id, row.n]));
}

describe("TimerRegistry.schedule and cancel", () => {
  it("stores a pending timer with its due time and payload", async () => {
    const registry = new TimerRegistry(c.clock);
    const id = await registry.schedule(c.db.kysely, {
      kind: "sla.breach",
      dueAt: at(30 * MINUTE),
      payload: { caseId: "c-1", kpi: "first_response" },
    });
    expect(await timers()).toMatchObject([
      {
        id,
        kind: "sla.breach",
        due_at: at(30 * MINUTE),
        payload: { caseId: "c-1", kpi: "first_response" },
        dedupe_key: null,
        status: "pending",
        attempts: 0,
        created_at: c.clock.now(),
        fired_at: null,
      },
    ]);
  });

  it("moves the timer of an existing dedupeKey instead of adding a second one", async () => {
    const registry = new TimerRegistry(c.clock);
    const first = await registry.schedule(c.db.kysely, {
      kind: "sla.breach",
      dueAt: at(30 * MINUTE),
      payload: { v: 1 },
      dedupeKey: "case:c-1:breach",
    });
    const second = await registry.schedule(c.db.kysely, {
      kind: "sla.breach",
      dueAt: at(90 * MINUTE),
      payload: { v: 2 },
      dedupeKey: "case:c-1:breach",
    });
    await registry.schedule(c.db.kysely, {
      kind: "sla.breach",
      dueAt: at(MINUTE),
      dedupeKey: "case:c-2:breach",
    });
    // Without a key every schedule is a timer of its own.
    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(MINUTE) });
    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(MINUTE) });

    expect(second).toBe(first);
    const rows = await timers();
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.dedupe_key === "case:c-1:breach")).toMatchObject([
      { id: first, due_at: at(90 * MINUTE), payload: { v: 2 }, status: "pending" },
    ]);
  });

  it("re-arms a timer that already fired when its key is scheduled again", async () => {
    const registry = new TimerRegistry(c.clock);
    const p = probe();
    registry.register("reminder", p.handler);
    const id = await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0), dedupeKey: "r" });
    expect(await sweep(registry)).toBe(1);
    expect(await timers()).toMatchObject([{ id, status: "done", attempts: 1 }]);

    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(MINUTE), dedupeKey: "r" });
    expect(await timers()).toMatchObject([
      { id, status: "pending", attempts: 0, fired_at: null, due_at: at(MINUTE) },
    ]);
    c.clock.advance(MINUTE);
    expect(await sweep(registry)).toBe(1);
    expect(p.fired.map((t) => t.id)).toEqual([id, id]);
  });

  it("cancels a pending timer by key, which then never fires", async () => {
    const registry = new TimerRegistry(c.clock);
    const p = probe();
    registry.register("reminder", p.handler);
    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(MINUTE), dedupeKey: "keep" });
    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(MINUTE), dedupeKey: "drop" });

    expect(await registry.cancel(c.db.kysely, "drop")).toBe(true);
    expect(await registry.cancel(c.db.kysely, "drop")).toBe(false);
    expect(await registry.cancel(c.db.kysely, "never-scheduled")).toBe(false);

    c.clock.advance(24 * 60 * MINUTE);
    expect(await sweep(registry)).toBe(1);
    expect(p.fired.map((t) => t.dedupeKey)).toEqual(["keep"]);
    const status = Object.fromEntries((await timers()).map((t) => [t.dedupe_key, t.status]));
    expect(status).toEqual({ drop: "cancelled", keep: "done" });
  });

  it("schedules in the caller's transaction", async () => {
    const registry = new TimerRegistry(c.clock);
    await expect(
      c.db.kysely.transaction().execute(async (trx) => {
        await registry.schedule(trx, { kind: "reminder", dueAt: at(0), dedupeKey: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await timers()).toEqual([]);
  });

  it("refuses two handlers for one kind", () => {
    const registry = new TimerRegistry(c.clock);
    registry.register("reminder", probe().handler);
    expect(() => registry.register("reminder", probe().handler)).toThrow(/registered twice/);
  });
});

describe("sweepBatch", () => {
  it("fires only timers that are due, each exactly once, and marks them done", async () => {
    const registry = new TimerRegistry(c.clock);
    const p = probe();
    registry.register("reminder", p.handler);
    const past = await registry.schedule(c.db.kysely, {
      kind: "reminder",
      dueAt: at(-MINUTE),
      payload: { n: 1 },
    });
    const now = await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0) });
    const later = await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(MINUTE) });

    expect(await sweep(registry)).toBe(2);
    expect(p.fired).toEqual([
      { id: past, kind: "reminder", dueAt: at(-MINUTE), payload: { n: 1 }, dedupeKey: null, attempts: 0 },
      { id: now, kind: "reminder", dueAt: at(0), payload: {}, dedupeKey: null, attempts: 0 },
    ]);
    expect(await sweep(registry)).toBe(0);

    c.clock.advance(MINUTE - 1);
    expect(await sweep(registry)).toBe(0);
    c.clock.advance(1);
    expect(await sweep(registry)).toBe(1);
    expect(p.fired.map((t) => t.id)).toEqual([past, now, later]);

    c.clock.advance(365 * 24 * 60 * MINUTE);
    expect(await sweep(registry)).toBe(0);
    expect(await firedCounts()).toEqual(
      new Map([
        [past, 1],
        [now, 1],
        [later, 1],
      ]),
    );
    const rows = await timers();
    expect(rows.map((r) => [r.id, r.status, r.attempts])).toEqual([
      [past, "done", 1],
      [now, "done", 1],
      [later, "done", 1],
    ]);
    expect(rows[2]!.fired_at).toEqual(at(-365 * 24 * 60 * MINUTE));
  });

  it("rolls back a failing handler's writes, retries after the backoff, and parks it as dead", async () => {
    const registry = new TimerRegistry(c.clock);
    const p = probe((t) => t.payload.bad === true);
    registry.register("reminder", p.handler);
    const bad = await registry.schedule(c.db.kysely, {
      kind: "reminder",
      dueAt: at(0),
      payload: { bad: true },
    });
    const good = await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0) });

    // First attempt: the good timer in the same batch still fires.
    expect(await sweep(registry, { maxAttempts: 3 })).toBe(2);
    expect(await firedCounts()).toEqual(new Map([[good, 1]]));
    const [failed] = (await timers()).filter((t) => t.id === bad);
    expect(failed).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error: `timer ${bad} refuses`,
      due_at: at(0),
      available_at: at(retryDelayMs(1)),
    });

    c.clock.advance(retryDelayMs(1) - 1);
    expect(await sweep(registry, { maxAttempts: 3 })).toBe(0);
    c.clock.advance(1);
    expect(await sweep(registry, { maxAttempts: 3 })).toBe(1);
    c.clock.advance(retryDelayMs(2));
    expect(await sweep(registry, { maxAttempts: 3 })).toBe(1);

    expect((await timers()).find((t) => t.id === bad)).toMatchObject({ status: "dead", attempts: 3 });
    c.clock.advance(30 * 24 * 60 * MINUTE);
    expect(await sweep(registry, { maxAttempts: 3 })).toBe(0);
    expect(p.fired.filter((t) => t.id === bad).map((t) => t.attempts)).toEqual([0, 1, 2]);
    expect(await firedCounts()).toEqual(new Map([[good, 1]]));
  });

  it("fires a timer that succeeds on retry exactly once", async () => {
    const registry = new TimerRegistry(c.clock);
    let failing = true;
    const p = probe(() => failing);
    registry.register("reminder", p.handler);
    const id = await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0) });
    expect(await sweep(registry)).toBe(1);
    failing = false;
    c.clock.advance(retryDelayMs(1));
    expect(await sweep(registry)).toBe(1);
    expect(await firedCounts()).toEqual(new Map([[id, 1]]));
    expect((await timers())[0]).toMatchObject({ status: "done", attempts: 2 });
  });

  it("recovers the batch when a handler's SQL fails and aborts the transaction", async () => {
    const registry = new TimerRegistry(c.clock);
    registry.register("broken", async (timer, trx) => {
      await sql`insert into probe (timer_id) values (${timer.id})`.execute(trx);
      await sql`select 1 / 0`.execute(trx);
    });
    const p = probe();
    registry.register("reminder", p.handler);
    await registry.schedule(c.db.kysely, { kind: "broken", dueAt: at(-MINUTE) });
    const good = await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0) });
    expect(await sweep(registry)).toBe(2);
    expect(await firedCounts()).toEqual(new Map([[good, 1]]));
    expect((await timers()).map((t) => [t.kind, t.status])).toEqual([
      ["broken", "pending"],
      ["reminder", "done"],
    ]);
  });

  it("parks a timer of a kind nobody handles", async () => {
    const registry = new TimerRegistry(c.clock);
    await registry.schedule(c.db.kysely, { kind: "retired.kind", dueAt: at(0) });
    expect(await sweep(registry)).toBe(1);
    expect(await timers()).toMatchObject([
      { status: "dead", last_error: "no handler for kind retired.kind" },
    ]);
    expect(await sweep(registry)).toBe(0);
  });

  it("catches up after downtime: every timer that fell due fires once, in due order", async () => {
    const registry = new TimerRegistry(c.clock);
    const p = probe();
    registry.register("reminder", p.handler);
    const ids: string[] = [];
    // One every five minutes for 25 hours …
    for (let i = 1; i <= 300; i++) {
      ids.push(await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(i * 5 * MINUTE) }));
    }
    // … and a few that are still in the future when the workers come back.
    const future: string[] = [];
    for (let i = 1; i <= 5; i++) {
      future.push(
        await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(3 * DAY + i * MINUTE) }),
      );
    }
    // Two days without a worker.
    c.clock.advance(2 * DAY);
    const batches: number[] = [];
    for (let n = await sweep(registry); n > 0; n = await sweep(registry)) batches.push(n);

    expect(batches).toEqual([50, 50, 50, 50, 50, 50]);
    expect(p.fired.map((t) => t.id)).toEqual(ids);
    const counts = await firedCounts();
    expect(counts.size).toBe(300);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const rows = await timers();
    expect(rows.filter((t) => t.status === "done").map((t) => t.id)).toEqual(ids);
    expect(rows.filter((t) => t.status === "pending").map((t) => t.id)).toEqual(future);
  });

  it("keeps a timer pending when its handler reschedules its own key for later", async () => {
    const registry = new TimerRegistry(c.clock);
    const firedAt: Date[] = [];
    registry.register("digest", async (timer, trx) => {
      firedAt.push(c.clock.now());
      await sql`insert into probe (timer_id) values (${timer.id})`.execute(trx);
      await registry.schedule(trx, {
        kind: "digest",
        dedupeKey: timer.dedupeKey!,
        dueAt: new Date(timer.dueAt.getTime() + 60 * MINUTE),
        payload: timer.payload,
      });
    });
    const id = await registry.schedule(c.db.kysely, { kind: "digest", dueAt: at(0), dedupeKey: "daily" });

    expect(await sweep(registry)).toBe(1);
    expect(await timers()).toMatchObject([
      { id, status: "pending", due_at: at(60 * MINUTE), attempts: 0, fired_at: null },
    ]);
    expect(await sweep(registry)).toBe(0);
    c.clock.advance(60 * MINUTE);
    expect(await sweep(registry)).toBe(1);
    expect(await timers()).toMatchObject([{ id, status: "pending", due_at: at(60 * MINUTE) }]);
    expect(firedAt).toHaveLength(2);
    expect(await firedCounts()).toEqual(new Map([[id, 2]]));
  });

  it("calls onClaimed with the batch size before firing", async () => {
    const registry = new TimerRegistry(c.clock);
    const p = probe();
    registry.register("reminder", p.handler);
    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0) });
    await registry.schedule(c.db.kysely, { kind: "reminder", dueAt: at(0) });
    const calls: [number, number][] = [];
    await sweep(registry, { onClaimed: (n) => void calls.push([n, p.fired.length]) });
    await sweep(registry, { onClaimed: (n) => void calls.push([n, p.fired.length]) });
    expect(calls).toEqual([[2, 0]]);
  });
});

describe("retries keep the original due time", () => {
  it("a timer retried after a failure reaches its handler with the instant it was due", async () => {
    const registry = new TimerRegistry(c.clock);
    let failures = 1;
    const seen: Date[] = [];
    registry.register("probe.retry", async (timer) => {
      seen.push(timer.dueAt);
      if (failures-- > 0) throw new Error("first attempt fails");
    });
    const dueAt = at(MINUTE);
    await registry.schedule(c.db.kysely, { kind: "probe.retry", dueAt });
    c.clock.advance(MINUTE);
    await sweep(registry);
    c.clock.advance(retryDelayMs(1));
    await sweep(registry);
    expect(seen).toEqual([dueAt, dueAt]);
    const [row] = await timers();
    expect(row).toMatchObject({ status: "done", due_at: dueAt, attempts: 2 });
  });
});
