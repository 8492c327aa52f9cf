import { sql } from "kysely";
import type { Clock } from "../clock.ts";
import type { Executor, Trx } from "../db/database.ts";
import { newId } from "../ids.ts";
import "./events.tables.ts";

/** NOTIFY channel on which every committed event is announced (live updates, worker wake-up). */
export const EVENTS_CHANNEL = "keepdesk_events";

export type NewEvent = {
  /** `<entity>.<verb in past tense>`, e.g. `case.created`, `sla.breached`. */
  type: string;
  entityType: string;
  entityId: string;
  /** The customer account the event concerns: decides who may see it. */
  accountId?: string | null;
  actorId?: string | null;
  /** The account's own contacts may see it (portal live updates). Default: internal. */
  customerVisible?: boolean;
  /**
   * Meant for this one person only (a notification): live updates reach nobody else. It
   * narrows the rules above, never widens them.
   */
  audienceUserId?: string | null;
  data?: Record<string, unknown>;
};

export type StoredEvent = Required<Omit<NewEvent, "data" | "audienceUserId">> & {
  id: string;
  audienceUserId?: string | null;
  seq: number;
  data: Record<string, unknown>;
  occurredAt: Date;
};

/** What is broadcast on NOTIFY: small enough for Postgres' 8000-byte limit. */
export type EventAnnouncement = {
  seq: number;
  id: string;
  type: string;
  entityType: string;
  entityId: string;
  accountId: string | null;
  actorId: string | null;
  customerVisible: boolean;
  /** Present only on events meant for one person (see `NewEvent.audienceUserId`). */
  audienceUserId?: string;
  at: string;
};

export type EventHandler = {
  /** Stable name: deliveries are keyed by it, so renaming a handler re-delivers nothing. */
  name: string;
  /** Event types it wants; "*" for all. */
  types: readonly string[] | "*";
  /**
   * Runs inside the dispatcher's transaction; its writes commit together with the delivery
   * being marked done, which is what makes handlers exactly-once.
   */
  handle(event: StoredEvent, trx: Trx): Promise<void>;
};

/**
 * The transactional outbox. `append` writes the event, one delivery row per subscribed handler,
 * and a NOTIFY, all in the caller's transaction, so an event exists if and only if its change does.
 */
export class EventBus {
  private readonly handlers = new Map<string, EventHandler>();

  constructor(private readonly clock: Clock) {}

  register(handler: EventHandler): void {
    if (this.handlers.has(handler.name)) throw new Error(`Event handler ${handler.name} registered twice`);
    this.handlers.set(handler.name, handler);
  }

  handler(name: string): EventHandler | undefined {
    return this.handlers.get(name);
  }

  handlersFor(type: string): EventHandler[] {
    return [...this.handlers.values()].filter((h) => h.types === "*" || h.types.includes(type));
  }

  async append(trx: Trx, event: NewEvent): Promise<StoredEvent> {
    const at = this.clock.now();
    const id = newId();
    const data = event.data ?? {};
    const row = await trx
      .insertInto("events")
      .values({
        id,
        type: event.type,
        entity_type: event.entityType,
        entity_id: event.entityId,
        account_id: event.accountId ?? null,
        actor_id: event.actorId ?? null,
        customer_visible: event.customerVisible ?? false,
        audience_user_id: event.audienceUserId ?? null,
        data: JSON.stringify(data),
        occurred_at: at,
      })
      .returning("seq")
      .executeTakeFirstOrThrow();
    const handlers = this.handlersFor(event.type);
    if (handlers.length > 0) {
      await trx
        .insertInto("event_deliveries")
        .values(handlers.map((h) => ({ handler: h.name, event_seq: row.seq, available_at: at })))
        .execute();
    }
    const stored: StoredEvent = {
      id,
      seq: row.seq,
      type: event.type,
      entityType: event.entityType,
      entityId: event.entityId,
      accountId: event.accountId ?? null,
      actorId: event.actorId ?? null,
      customerVisible: event.customerVisible ?? false,
      audienceUserId: event.audienceUserId ?? null,
      data,
      occurredAt: at,
    };
    await notifyEvent(trx, stored);
    return stored;
  }
}

async function notifyEvent(trx: Trx, e: StoredEvent): Promise<void> {
  const announcement = announcementOf(e);
  // NOTIFY inside the transaction is delivered only if it commits.
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(announcement)})`.execute(trx);
}

/** What live clients are told of an event (its data is fetched, not pushed). */
export function announcementOf(e: StoredEvent): EventAnnouncement {
  return {
    seq: e.seq,
    id: e.id,
    type: e.type,
    entityType: e.entityType,
    entityId: e.entityId,
    accountId: e.accountId,
    actorId: e.actorId,
    customerVisible: e.customerVisible,
    ...(e.audienceUserId ? { audienceUserId: e.audienceUserId } : {}),
    at: e.occurredAt.toISOString(),
  };
}

export function toStoredEvent(row: {
  seq: number;
  id: string;
  type: string;
  entity_type: string;
  entity_id: string;
  account_id: string | null;
  actor_id: string | null;
  customer_visible: boolean;
  audience_user_id?: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
}): StoredEvent {
  return {
    seq: row.seq,
    id: row.id,
    type: row.type,
    entityType: row.entity_type,
    entityId: row.entity_id,
    accountId: row.account_id,
    actorId: row.actor_id,
    customerVisible: row.customer_visible,
    audienceUserId: row.audience_user_id ?? null,
    data: row.data,
    occurredAt: row.occurred_at,
  };
}

/**
 * One account's events, newest first: the raw material of the account timeline.
 * `customerVisibleOnly` is what a portal contact may see.
 */
export async function readAccountEvents(
  db: Executor,
  accountId: string,
  options: { beforeSeq?: number; limit: number; customerVisibleOnly?: boolean; types?: string[] },
): Promise<StoredEvent[]> {
  let q = db
    .selectFrom("events")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("seq", "desc")
    .limit(options.limit);
  if (options.beforeSeq !== undefined) q = q.where("seq", "<", options.beforeSeq);
  if (options.customerVisibleOnly) q = q.where("customer_visible", "=", true);
  if (options.types?.length) q = q.where("type", "in", options.types);
  return (await q.execute()).map(toStoredEvent);
}

/** Reads events in order, for replays and audits. */
export async function readEvents(db: Executor, afterSeq = 0, limit = 1000): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom("events")
    .selectAll()
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map(toStoredEvent);
}
