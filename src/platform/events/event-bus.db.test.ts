import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import type { Trx } from "../db/database.ts";
import { dispatchBatch, retryDelayMs } from "./dispatcher.ts";
import { EventBus, type EventHandler, type StoredEvent } from "./event-bus.ts";

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
  // What handlers write: no unique constraint, so a handler run twice would show as two rows.
  await sql`create table probe (handler text not null, event_seq bigint not null)`.execute(c.db.kysely);
});
afterAll(async () => c?.testDb.drop());
beforeEach(async () => {
  await sql`truncate events, event_deliveries, probe restart identity cascade`.execute(c.db.kysely);
});

/** A handler whose effect is a row in `probe`, written through the dispatcher's transaction. */
function probeHandler(name: string, types: EventHandler["types"], fail?: (e: StoredEvent) => boolean) {
  const seen: StoredEvent[] = [];
  const handler: EventHandler = {
    name,
    types,
    async handle(event, trx) {
      seen.push(event);
      await sql`insert into probe (handler, event_seq) values (${name}, ${event.seq})`.execute(trx);
      if (fail?.(event)) throw new Error(`${name} refuses event ${event.seq}`);
    },
  };
  return { handler, seen };
}

async function append(bus: EventBus, type: string, entityId = "e1") {
  return c.db.kysely.transaction().execute((trx) => bus.append(trx, { type, entityType: "thing", entityId }));
}

async function deliveries() {
  return c.db.kysely
    .selectFrom("event_deliveries")
    .selectAll()
    .orderBy("event_seq")
    .orderBy("handler")
    .execute();
}

async function probeRows() {
  const r = await sql<{
    handler: string;
    event_seq: number;
  }>`select handler, event_seq::int as event_seq from probe order by event_seq, handler`.execute(c.db.kysely);
  return r.rows;
}

const dispatch = (bus: EventBus, options: Parameters<typeof dispatchBatch>[4] = {}) =>
  dispatchBatch(c.db, bus, c.clock, c.log, options);

describe("EventBus.append", () => {
  it("writes the event and one delivery per handler subscribed by type or by '*'", async () => {
    const bus = new EventBus(c.clock);
    bus.register(probeHandler("cases", ["case.created", "case.closed"]).handler);
    bus.register(probeHandler("everything", "*").handler);
    bus.register(probeHandler("surveys", ["survey.answered"]).handler);

    const created = await c.db.kysely.transaction().execute((trx) =>
      bus.append(trx, {
        type: "case.created",
        entityType: "case",
        entityId: "c-1",
        accountId: "0190b3c1-0000-7000-8000-000000000001",
        data: { subject: "Printer on fire" },
      }),
    );
    const answered = await append(bus, "survey.answered");
    const unknown = await append(bus, "nobody.listens");

    const events = await c.db.kysely.selectFrom("events").selectAll().orderBy("seq").execute();
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      seq: created.seq,
      id: created.id,
      type: "case.created",
      entity_type: "case",
      entity_id: "c-1",
      account_id: "0190b3c1-0000-7000-8000-000000000001",
      actor_id: null,
      data: { subject: "Printer on fire" },
      occurred_at: c.clock.now(),
    });
    expect((await deliveries()).map((d) => [d.event_seq, d.handler, d.status, d.attempts])).toEqual([
      [created.seq, "cases", "pending", 0],
      [created.seq, "everything", "pending", 0],
      [answered.seq, "everything", "pending", 0],
      [answered.seq, "surveys", "pending", 0],
      [unknown.seq, "everything", "pending", 0],
    ]);
  });

  it("writes in the caller's transaction: a rolled-back change leaves no event and no delivery", async () => {
    const bus = new EventBus(c.clock);
    bus.register(probeHandler("everything", "*").handler);
    let appended: StoredEvent | undefined;
    await expect(
      c.db.kysely.transaction().execute(async (trx) => {
        appended = await bus.append(trx, { type: "case.created", entityType: "case", entityId: "c-2" });
        // Visible inside the transaction …
        const inside = await trx.selectFrom("event_deliveries").select("handler").execute();
        expect(inside).toHaveLength(1);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(appended).toBeDefined();
    // … and gone with it.
    expect(await c.db.kysely.selectFrom("events").selectAll().execute()).toEqual([]);
    expect(await deliveries()).toEqual([]);
  });

  it("refuses two handlers with one name (deliveries are keyed by it)", () => {
    const bus = new EventBus(c.clock);
    bus.register(probeHandler("twice", "*").handler);
    expect(() => bus.register(probeHandler("twice", ["x"]).handler)).toThrow(/registered twice/);
  });
});

describe("dispatchBatch", () => {
  it("runs each handler once with the stored event and marks its delivery done", async () => {
    const bus = new EventBus(c.clock);
    const a = probeHandler("a", ["case.created"]);
    const all = probeHandler("all", "*");
    bus.register(a.handler);
    bus.register(all.handler);
    const e1 = await c.db.kysely.transaction().execute((trx) =>
      bus.append(trx, {
        type: "case.created",
        entityType: "case",
        entityId: "c-9",
        actorId: "0190b3c1-0000-7000-8000-0000000000aa",
        data: { n: 1, nested: { ok: true } },
      }),
    );
    const e2 = await append(bus, "case.closed");

    c.clock.advance(1000);
    expect(await dispatch(bus)).toBe(3);
    expect(a.seen).toEqual([e1]);
    expect(all.seen.map((e) => e.seq)).toEqual([e1.seq, e2.seq]);
    expect(await probeRows()).toEqual([
      { handler: "a", event_seq: e1.seq },
      { handler: "all", event_seq: e1.seq },
      { handler: "all", event_seq: e2.seq },
    ]);
    const done = await deliveries();
    expect(done.every((d) => d.status === "done" && d.attempts === 1)).toBe(true);
    expect(done.every((d) => d.done_at?.getTime() === c.clock.now().getTime())).toBe(true);

    // Nothing is left, so nothing runs again.
    c.clock.advance(24 * 3600_000);
    expect(await dispatch(bus)).toBe(0);
    expect(await probeRows()).toHaveLength(3);
    expect(a.seen).toHaveLength(1);
  });

  it("claims at most batchSize deliveries, oldest first", async () => {
    const bus = new EventBus(c.clock);
    const h = probeHandler("h", "*");
    bus.register(h.handler);
    const appended: number[] = [];
    for (let i = 0; i < 5; i++) appended.push((await append(bus, "x", `e${i}`)).seq);
    expect(await dispatch(bus, { batchSize: 2 })).toBe(2);
    expect(h.seen.map((e) => e.seq)).toEqual(appended.slice(0, 2));
    expect(await dispatch(bus, { batchSize: 2 })).toBe(2);
    expect(await dispatch(bus, { batchSize: 2 })).toBe(1);
    expect(await dispatch(bus, { batchSize: 2 })).toBe(0);
    expect(h.seen.map((e) => e.seq)).toEqual(appended);
  });

  it("rolls back a failing handler's writes and still commits the others in the batch", async () => {
    const bus = new EventBus(c.clock);
    bus.register(probeHandler("good", "*").handler);
    bus.register(probeHandler("bad", "*", (e) => e.entityId === "poison").handler);
    const ok1 = await append(bus, "x", "fine-1");
    const poison = await append(bus, "x", "poison");
    const ok2 = await append(bus, "x", "fine-2");

    expect(await dispatch(bus)).toBe(6);
    // The bad handler inserted a probe row for the poison event before throwing: rolled back.
    expect(await probeRows()).toEqual([
      { handler: "bad", event_seq: ok1.seq },
      { handler: "good", event_seq: ok1.seq },
      { handler: "good", event_seq: poison.seq },
      { handler: "bad", event_seq: ok2.seq },
      { handler: "good", event_seq: ok2.seq },
    ]);
    const failed = (await deliveries()).filter((d) => d.status !== "done");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      handler: "bad",
      event_seq: poison.seq,
      status: "pending",
      attempts: 1,
      last_error: `bad refuses event ${poison.seq}`,
      available_at: new Date(c.clock.now().getTime() + retryDelayMs(1)),
    });
  });

  it("recovers the batch when a handler's SQL fails and aborts the transaction", async () => {
    const bus = new EventBus(c.clock);
    bus.register({
      name: "divides-by-zero",
      types: ["boom"],
      async handle(event, trx: Trx) {
        await sql`insert into probe (handler, event_seq) values ('divides-by-zero', ${event.seq})`.execute(
          trx,
        );
        await sql`select 1 / 0`.execute(trx);
      },
    });
    bus.register(probeHandler("after", "*").handler);
    const boom = await append(bus, "boom");
    const next = await append(bus, "fine");

    expect(await dispatch(bus)).toBe(3);
    expect(await probeRows()).toEqual([
      { handler: "after", event_seq: boom.seq },
      { handler: "after", event_seq: next.seq },
    ]);
    const byHandler = Object.fromEntries(
      (await deliveries()).map((d) => [`${d.handler}:${d.event_seq}`, d.status]),
    );
    expect(byHandler).toEqual({
      [`divides-by-zero:${boom.seq}`]: "pending",
      [`after:${boom.seq}`]: "done",
      [`after:${next.seq}`]: "done",
    });
  });

  it("retries a failed delivery only after its backoff, and then runs it once", async () => {
    const bus = new EventBus(c.clock);
    let failing = true;
    const flaky = probeHandler("flaky", "*", () => failing);
    bus.register(flaky.handler);
    const e = await append(bus, "x");

    expect(await dispatch(bus)).toBe(1);
    c.clock.advance(retryDelayMs(1) - 1);
    expect(await dispatch(bus)).toBe(0);
    c.clock.advance(1);
    expect(await dispatch(bus)).toBe(1);
    // Second failure: the backoff grows.
    expect(retryDelayMs(2)).toBeGreaterThan(retryDelayMs(1));
    c.clock.advance(retryDelayMs(2) - 1);
    expect(await dispatch(bus)).toBe(0);
    c.clock.advance(1);
    failing = false;
    expect(await dispatch(bus)).toBe(1);

    expect(flaky.seen.map((s) => s.seq)).toEqual([e.seq, e.seq, e.seq]);
    expect(await probeRows()).toEqual([{ handler: "flaky", event_seq: e.seq }]);
    expect(await deliveries()).toMatchObject([{ status: "done", attempts: 3 }]);
    c.clock.advance(3600_000);
    expect(await dispatch(bus)).toBe(0);
  });

  it("parks a delivery as dead after maxAttempts and never runs it again", async () => {
    const bus = new EventBus(c.clock);
    const broken = probeHandler("broken", "*", () => true);
    bus.register(broken.handler);
    await append(bus, "x");

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await dispatch(bus, { maxAttempts: 3 })).toBe(1);
      c.clock.advance(retryDelayMs(attempt));
    }
    expect(await deliveries()).toMatchObject([{ status: "dead", attempts: 3, last_error: /refuses/ }]);
    c.clock.advance(30 * 24 * 3600_000);
    expect(await dispatch(bus, { maxAttempts: 3 })).toBe(0);
    expect(broken.seen).toHaveLength(3);
    expect(await probeRows()).toEqual([]);
  });

  it("parks deliveries of a handler this code no longer has", async () => {
    const old = new EventBus(c.clock);
    old.register(probeHandler("retired", "*").handler);
    await append(old, "x");
    const current = new EventBus(c.clock);
    expect(await dispatch(current)).toBe(1);
    expect(await deliveries()).toMatchObject([{ status: "dead", last_error: "no such handler" }]);
    expect(await dispatch(current)).toBe(0);
  });

  it("calls onClaimed with the batch size before running handlers", async () => {
    const bus = new EventBus(c.clock);
    const h = probeHandler("h", "*");
    bus.register(h.handler);
    await append(bus, "x", "a");
    await append(bus, "x", "b");
    const calls: [number, number][] = [];
    await dispatch(bus, { onClaimed: (n) => void calls.push([n, h.seen.length]) });
    expect(calls).toEqual([[2, 0]]);
    // No batch, no call.
    await dispatch(bus, { onClaimed: (n) => void calls.push([n, h.seen.length]) });
    expect(calls).toHaveLength(1);
  });
});
