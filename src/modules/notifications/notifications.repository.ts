import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { NotificationsTable } from "./notifications.tables.ts";
import "./notifications.tables.ts";
import "../users/users.tables.ts";

export type NotificationRow = Selectable<NotificationsTable>;
export type Recipient = { id: string; email: string; name: string };

/** All SQL about notifications (and the small read of users they are addressed to). */
export const notificationsRepository = {
  /** The active users among `ids`. */
  async activeUsers(db: Executor, ids: string[]): Promise<Recipient[]> {
    if (ids.length === 0) return [];
    return db
      .selectFrom("users")
      .select(["id", "email", "name"])
      .where("id", "in", ids)
      .where("active", "=", true)
      .execute();
  },

  /** Inserts unless the user already has one with the same dedupe key; returns it if inserted. */
  async insert(db: Executor, row: Insertable<NotificationsTable>): Promise<NotificationRow | undefined> {
    return db
      .insertInto("notifications")
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  async find(db: Executor, userId: string, id: string): Promise<NotificationRow | undefined> {
    return db
      .selectFrom("notifications")
      .selectAll()
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  },

  /** Newest first, keyset-paged on (created_at, id). */
  async list(
    db: Executor,
    userId: string,
    query: { unread?: boolean; after?: [Date, string]; limit: number },
  ): Promise<NotificationRow[]> {
    let q = db
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(query.limit);
    if (query.unread) q = q.where("read_at", "is", null);
    if (query.after) {
      const [at, id] = query.after;
      q = q.where((eb) =>
        eb.or([eb("created_at", "<", at), eb.and([eb("created_at", "=", at), eb("id", "<", id)])]),
      );
    }
    return q.execute();
  },

  async countUnread(db: Executor, userId: string): Promise<number> {
    const row = await db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .where("read_at", "is", null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  /** Marks one read; returns it, or undefined when it was read already. */
  async markRead(db: Executor, userId: string, id: string, at: Date): Promise<NotificationRow | undefined> {
    return db
      .updateTable("notifications")
      .set({ read_at: at })
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .where("read_at", "is", null)
      .returningAll()
      .executeTakeFirst();
  },

  async markAllRead(db: Executor, userId: string, at: Date): Promise<number> {
    const result = await db
      .updateTable("notifications")
      .set({ read_at: at })
      .where("user_id", "=", userId)
      .where("read_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
