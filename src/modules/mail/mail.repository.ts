import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { MailStatus, MailTransport, OutboundMailTable } from "./mail.tables.ts";
import "./mail.tables.ts";

export type MailRow = Selectable<OutboundMailTable>;

/** All SQL about outbound mail. */
export const mailRepository = {
  async insert(db: Executor, row: Insertable<OutboundMailTable>): Promise<void> {
    await db.insertInto("outbound_mail").values(row).execute();
  },

  async find(db: Executor, id: string): Promise<MailRow | undefined> {
    return db.selectFrom("outbound_mail").selectAll().where("id", "=", id).executeTakeFirst();
  },

  /** The row to send, locked against another worker's attempt at it. */
  async lockForSend(db: Executor, id: string): Promise<MailRow | undefined> {
    return db.selectFrom("outbound_mail").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  async recordAttempt(
    db: Executor,
    id: string,
    set: {
      status: MailStatus;
      attempts: number;
      transport: MailTransport;
      last_error?: string | null;
      sent_at?: Date | null;
    },
  ): Promise<void> {
    await db.updateTable("outbound_mail").set(set).where("id", "=", id).execute();
  },

  /** Newest first, keyset-paged on (created_at, id). */
  async list(
    db: Executor,
    query: { to?: string; purpose?: string; after?: [Date, string]; limit: number },
  ): Promise<MailRow[]> {
    let q = db
      .selectFrom("outbound_mail")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(query.limit);
    if (query.to) q = q.where(sql`lower(to_address)`, "=", query.to.toLowerCase());
    if (query.purpose) q = q.where("purpose", "=", query.purpose);
    if (query.after) {
      const [at, id] = query.after;
      q = q.where((eb) =>
        eb.or([eb("created_at", "<", at), eb.and([eb("created_at", "=", at), eb("id", "<", id)])]),
      );
    }
    return q.execute();
  },
};
