import { sql, type Updateable } from "kysely";
import type { Clock } from "../clock.ts";
import type { Database, Trx } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { type EventBus, toStoredEvent } from "./event-bus.ts";
import type { EventDeliveriesTable } from "./events.tables.ts";

export type DispatchOptions = {
  batchSize?: number;
  /** After this many failures a delivery is parked as `dead` for an admin to look at. */
  maxAttempts?: number;
  /** Called once the batch is claimed, before handlers run (tests use it to crash mid-batch). */
  onClaimed?: (count: number) => Promise<void> | void;
};

/** Backoff after the n-th failure: 5 s, 20 s, 80 s … capped at one hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 5000 * 4 ** Math.max(0, attempt - 1));
}

/**
 * Claims a batch of due deliveries (FOR UPDATE SKIP LOCKED, so several workers share the work),
 * runs each handler in a savepoint of the same transaction, and marks it done. A handler's writes
 * commit with its "done" mark or not at all: a crash mid-batch releases the claim and another
 * worker picks it up, with nothing doubled. Returns how many deliveries were processed.
 */
export async function dispatchBatch(
  db: Database,
  bus: EventBus,
  clock: Clock,
  log: Logger,
  options: DispatchOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  return db.kysely.transaction().execute(async (trx) => {
    const now = clock.now();
    const claimed = await trx
      .selectFrom("event_deliveries as d")
      .innerJoin("events as e", "e.seq", "d.event_seq")
      .select(["d.handler", "d.attempts", "e.seq", "e.id", "e.type", "e.entity_type", "e.entity_id"])
      .select(["e.account_id", "e.actor_id", "e.customer_visible", "e.data", "e.occurred_at"])
      .where("d.status", "=", "pending")
      .where("d.available_at", "<=", now)
      .orderBy("d.available_at")
      .orderBy("d.event_seq")
      .limit(batchSize)
      .forUpdate("d")
      .skipLocked()
      .execute();
    if (claimed.length === 0) return 0;
    await options.onClaimed?.(claimed.length);
    for (const row of claimed) {
      const handler = bus.handler(row.handler);
      const key = { handler: row.handler, seq: row.seq };
      if (!handler) {
        // Code that no longer has this handler: park it rather than retry forever.
        await markDelivery(trx, key, {
          status: "dead",
          last_error: "no such handler",
          attempts: row.attempts,
        });
        continue;
      }
      await sql`savepoint delivery`.execute(trx);
      try {
        await handler.handle(toStoredEvent(row), trx);
        await sql`release savepoint delivery`.execute(trx);
        await markDelivery(trx, key, { status: "done", done_at: clock.now(), attempts: row.attempts + 1 });
      } catch (err) {
        await sql`rollback to savepoint delivery`.execute(trx);
        const attempts = row.attempts + 1;
        const dead = attempts >= maxAttempts;
        log.warn({ err, handler: row.handler, eventSeq: row.seq, attempts, dead }, "event handler failed");
        await markDelivery(trx, key, {
          status: dead ? "dead" : "pending",
          attempts,
          last_error: String((err as Error)?.message ?? err).slice(0, 2000),
          available_at: new Date(clock.now().getTime() + retryDelayMs(attempts)),
        });
      }
    }
    return claimed.length;
  });
}

async function markDelivery(
  trx: Trx,
  key: { handler: string; seq: number },
  set: Updateable<EventDeliveriesTable>,
) {
  await trx
    .updateTable("event_deliveries")
    .set(set)
    .where("handler", "=", key.handler)
    .where("event_seq", "=", key.seq)
    .execute();
}
