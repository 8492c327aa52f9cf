import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../test/support/test-db.ts";
import type { Database, Kdb } from "./db/database.ts";
import { EventBus, type StoredEvent } from "./events/event-bus.ts";
import { TimerRegistry } from "./timers/timers.ts";
import { drainWork, type RunningWorker, startWorker } from "./worker.ts";

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
});
afterAll(async () => c?.testDb.drop());
beforeEach(async () => {
  await sql`truncate events, event_deliveries, timers restart identity cascade`.execute(c.db.kysely);
});

/** Long enough that a worker relying on its poll instead of a wake-up would fail the test. */
const NEVER_MS = 3_600_000;

type Spy = {
  db: Database;
  /** Runs once, after the worker's next transaction (a dispatch or a sweep) has committed. */
  afterNextTransaction(fn: () => Promise<void>): void;
  /** Resolves when the worker's own LISTEN connection has heard the next NOTIFY. */
  nextNotify(): Promise<void>;
};

/** The test database, seen through the worker's eyes: hooks between its transactions and on its LISTEN. */
function spyDatabase(db: Database): Spy {
  let after: (() => Promise<void>) | undefined;
  let heard: (() => void) | undefined;
  const kysely = new Proxy(db.kysely, {
    get(target, prop) {
      if (prop === "transaction") {
        return () => {
          const builder = target.transaction();
          return {
            async execute<T>(fn: Parameters<typeof builder.execute<T>>[0]): Promise<T> {
              const result = await builder.execute(fn);
              const hook = after;
              after = undefined;
              await hook?.();
              return result;
            },
          };
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Kdb;
  return {
    db: {
      ...db,
      kysely,
      listen: (channel, onNotify) =>
        db.listen(channel, (payload) => {
          onNotify(payload);
          heard?.();
        }),
    },
    afterNextTransaction(fn) {
      after = fn;
    },
    nextNotify() {
      return new Promise((resolve) => {
        heard = resolve;
      });
    },
  };
}

function recordingBus() {
  const bus = new EventBus(c.clock);
  const handled: number[] = [];
  bus.register({
    name: "recorder",
    types: "*",
    async handle(event: StoredEvent) {
      handled.push(event.seq);
    },
  });
  return { bus, handled };
}

async function append(bus: EventBus, entityId: string) {
  return c.db.kysely
    .transaction()
    .execute((trx) => bus.append(trx, { type: "x", entityType: "t", entityId }));
}

describe("startWorker", () => {
  it("delivers an event appended while the worker is busy, without waiting for the next poll", async () => {
    const { bus, handled } = recordingBus();
    const spy = spyDatabase(c.db);
    let appended: StoredEvent | undefined;
    // Right after the worker's first (empty) look for deliveries, before it goes to sleep, an
    // event commits and the worker's LISTEN connection hears about it.
    spy.afterNextTransaction(async () => {
      const heard = spy.nextNotify();
      appended = await append(bus, "during-batch");
      await heard;
    });
    const worker = await startWorker(
      { db: spy.db, bus, timers: new TimerRegistry(c.clock), clock: c.clock, log: c.log },
      { pollMs: NEVER_MS },
    );
    try {
      await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(1);
      expect(handled).toEqual([appended!.seq]);
    } finally {
      await worker.stop();
    }
  });

  it("wakes on NOTIFY while idle and handles each event once", async () => {
    const { bus, handled } = recordingBus();
    const worker = await startWorker(
      { db: c.db, bus, timers: new TimerRegistry(c.clock), clock: c.clock, log: c.log },
      { pollMs: NEVER_MS },
    );
    try {
      const e1 = await append(bus, "one");
      await expect.poll(() => handled, { timeout: 10_000 }).toEqual([e1.seq]);
      const e2 = await append(bus, "two");
      await expect.poll(() => handled, { timeout: 10_000 }).toEqual([e1.seq, e2.seq]);
    } finally {
      await worker.stop();
    }
  });

  it("stops without waiting for the poll interval when stop() comes in mid-iteration", async () => {
    const { bus } = recordingBus();
    const spy = spyDatabase(c.db);
    let inIteration!: () => void;
    const reached = new Promise<void>((r) => {
      inIteration = r;
    });
    let proceed!: () => void;
    const gate = new Promise<void>((r) => {
      proceed = r;
    });
    spy.afterNextTransaction(async () => {
      inIteration();
      await gate;
    });
    const worker: RunningWorker = await startWorker(
      { db: spy.db, bus, timers: new TimerRegistry(c.clock), clock: c.clock, log: c.log },
      { pollMs: NEVER_MS },
    );
    await reached;
    const stopped = worker.stop();
    proceed();
    await stopped;
    // Stopped for good: nothing it would have handled gets handled.
    expect(
      await drainWork({ db: c.db, bus, timers: new TimerRegistry(c.clock), clock: c.clock, log: c.log }),
    ).toEqual({
      events: 0,
      timers: 0,
    });
  });
});

describe("drainWork", () => {
  it("runs every due delivery and timer to completion, in batches", async () => {
    const { bus, handled } = recordingBus();
    const timers = new TimerRegistry(c.clock);
    const fired: string[] = [];
    timers.register("t", async (timer) => {
      fired.push(timer.id);
    });
    for (let i = 0; i < 7; i++) await append(bus, `e${i}`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(await timers.schedule(c.db.kysely, { kind: "t", dueAt: c.clock.now() }));
    await timers.schedule(c.db.kysely, { kind: "t", dueAt: new Date(c.clock.now().getTime() + 60_000) });

    const deps = { db: c.db, bus, timers, clock: c.clock, log: c.log };
    expect(await drainWork(deps, 3)).toEqual({ events: 7, timers: 5 });
    expect(handled).toHaveLength(7);
    expect(new Set(fired)).toEqual(new Set(ids));
    expect(await drainWork(deps, 3)).toEqual({ events: 0, timers: 0 });
  });
});
