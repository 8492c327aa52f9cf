import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import type {
  PortalLinkRequestsTable,
  PortalSessionsTable,
  PortalSignInTokensTable,
} from "./portal.tables.ts";
import "./portal.tables.ts";

export type PortalSessionRow = Selectable<PortalSessionsTable>;

export const portalRepository = {
  async countLinkRequests(db: Executor, by: { email?: string; ip?: string }, since: Date): Promise<number> {
    let q = db
      .selectFrom("portal_link_requests")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("created_at", ">=", since);
    if (by.email !== undefined) q = q.where(sql`lower(email)`, "=", by.email.toLowerCase());
    if (by.ip !== undefined) q = q.where("ip", "=", by.ip);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async insertLinkRequest(trx: Trx, row: Insertable<PortalLinkRequestsTable>): Promise<void> {
    await trx.insertInto("portal_link_requests").values(row).execute();
  },

  async insertToken(trx: Trx, row: Insertable<PortalSignInTokensTable>): Promise<void> {
    await trx.insertInto("portal_sign_in_tokens").values(row).execute();
  },

  /** Spends a token in one statement: only one redemption can ever win. */
  async spendToken(trx: Trx, tokenHash: string, now: Date): Promise<string | undefined> {
    const row = await trx
      .updateTable("portal_sign_in_tokens")
      .set({ used_at: now })
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning("contact_id")
      .executeTakeFirst();
    return row?.contact_id;
  },

  async insertSession(trx: Trx, row: Insertable<PortalSessionsTable>): Promise<void> {
    await trx.insertInto("portal_sessions").values(row).execute();
  },

  async findSessionByHash(db: Executor, tokenHash: string): Promise<PortalSessionRow | undefined> {
    return db
      .selectFrom("portal_sessions")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
  },

  async touchSession(db: Executor, id: string, now: Date, expiresAt: Date): Promise<void> {
    await db
      .updateTable("portal_sessions")
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where("id", "=", id)
      .execute();
  },

  async deleteSession(db: Executor, id: string): Promise<void> {
    await db.deleteFrom("portal_sessions").where("id", "=", id).execute();
  },

  async purge(db: Executor, now: Date, requestsBefore: Date): Promise<void> {
    await db.deleteFrom("portal_sessions").where("expires_at", "<=", now).execute();
    await db.deleteFrom("portal_sign_in_tokens").where("expires_at", "<=", now).execute();
    await db.deleteFrom("portal_link_requests").where("created_at", "<", requestsBefore).execute();
  },
};
