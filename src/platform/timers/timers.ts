import { sql } from "kysely";
import type { Clock } from "../clock.ts";
import type { Database, Executor, Trx } from "../db/database.ts";
import { retryDelayMs } from "../events/dispatcher.ts";
import "../events/events.tables.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";

export type DueTimer = {
  id: string;
  kind: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  dedupeKey: string | null;
  attempts: number;
};

export type TimerHandler = (timer: DueTimer, trx: Trx) => Promise<void>;

export type ScheduleTimer = {
  kind: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
  /** With a key, scheduling again moves the existing timer instead of adding a second one. */
  dedupeKey?: string;
};

/**
 * Database timers. Modules schedule rows in their own transactions; the sweeper fires each
 * exactly once (see `sweepBatch`).
 */
export class TimerRegistry {
  private readonly handlers = new Map<string, TimerHandler>();

  constructor(private readonly clock: Clock) {}

  register(kind: string, handler: TimerHandler): void {
    if (this.handlers.has(kind)) throw new Error(`Timer kind ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  handler(kind: string): TimerHandler | undefined {
    return this.handlers.get(kind);
  }

  async schedule(db: Executor, timer: ScheduleTimer): Promise<string> {
    const id = newId();
    const row = await db
      .insertInto("timers")
      .values({
        id,
        kind: timer.kind,
        due_at: timer.dueAt,
        available_at: timer.dueAt,
        payload: JSON.stringify(timer.payload ?? {}),
        dedupe_key: timer.dedupeKey ?? null,
        created_at: this.clock.now(),
      })
      .onConflict((oc) =>
        oc.column("dedupe_key").doUpdateSet((eb) => ({
          kind: eb.ref("excluded.kind"),
          due_at: eb.ref("excluded.due_at"),
          available_at: eb.ref("excluded.available_at"),
          payload: eb.ref("excluded.payload"),
          status: "pending",
          attempts: 0,
          last_error: null,
          fired_at: null,
        })),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async cancel(db: Executor, dedupeKey: string): Promise<boolean> {
    const result = await db
      .updateTable("timers")
      .set({ status: "cancelled" })
      .where("dedupe_key", "=", dedupeKey)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

export type SweepOptions = {
  batchSize?: number;
  maxAttempts?: number;
  onClaimed?: (count: number) => Promise<void> | void;
};

/**
 * Claims due timers with FOR UPDATE SKIP LOCKED and fires each inside a savepoint of the
 * claiming transaction. The handler's writes and the "done" mark commit together, so a timer
 * fires exactly once even with many workers, and a worker that dies mid-batch leaves its
 * rows to the next one. Downtime is caught up: everything already due is simply due.
 */
export async function sweepBatch(
  db: Database,
  registry: TimerRegistry,
  clock: Clock,
  log: Logger,
  options: SweepOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  return db.kysely.transaction().execute(async (trx) => {
    const now = clock.now();
    const due = await trx
      .selectFrom("timers")
      .select(["id", "kind", "due_at", "payload", "dedupe_key", "attempts"])
      .where("status", "=", "pending")
      .where("available_at", "<=", now)
      .orderBy("available_at")
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    await options.onClaimed?.(due.length);
    for (const row of due) {
      const timer: DueTimer = {
        id: row.id,
        kind: row.kind,
        dueAt: row.due_at,
        payload: row.payload,
        dedupeKey: row.dedupe_key,
        attempts: row.attempts,
      };
      const handler = registry.handler(row.kind);
      if (!handler) {
        await trx
          .updateTable("timers")
          .set({ status: "dead", last_error: `no handler for kind ${row.kind}` })
          .where("id", "=", row.id)
          .execute();
        continue;
      }
      await sql`savepoint timer`.execute(trx);
      try {
        await handler(timer, trx);
        await sql`release savepoint timer`.execute(trx);
        // A handler may have rescheduled its own key (a recurring timer): only close it if
        // it still points at the instant we fired.
        await trx
          .updateTable("timers")
          .set({ status: "done", fired_at: clock.now(), attempts: row.attempts + 1 })
          .where("id", "=", row.id)
          .where("due_at", "=", row.due_at)
          .where("status", "=", "pending")
          .execute();
      } catch (err) {
        await sql`rollback to savepoint timer`.execute(trx);
        const attempts = row.attempts + 1;
        const dead = attempts >= maxAttempts;
        log.warn({ err, timerId: row.id, kind: row.kind, attempts, dead }, "timer handler failed");
        await trx
          .updateTable("timers")
          .set({
            status: dead ? "dead" : "pending",
            attempts,
            last_error: String((err as Error)?.message ?? err).slice(0, 2000),
            // due_at stays the original instant: a breach fired late is still a breach at due_at.
            available_at: new Date(clock.now().getTime() + retryDelayMs(attempts)),
          })
          .where("id", "=", row.id)
          .execute();
      }
    }
    return due.length;
  });
}
