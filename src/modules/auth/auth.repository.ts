import type { Executor } from "../../platform/db/database.ts";
import type { ApiTokensTable, SessionsTable } from "./auth.tables.ts";
import "./auth.tables.ts";

export const authRepository = {
  async insertSession(db: Executor, row: SessionsTable): Promise<void> {
    await db.insertInto("sessions").values(row).execute();
  },

  async findSessionByHash(db: Executor, tokenHash: string): Promise<SessionsTable | undefined> {
    return db.selectFrom("sessions").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  },

  async touchSession(db: Executor, id: string, at: Date, expiresAt: Date): Promise<void> {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: at, expires_at: expiresAt })
      .where("id", "=", id)
      .execute();
  },

  async deleteSession(db: Executor, id: string): Promise<void> {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
  },

  async deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
    const r = await db.deleteFrom("sessions").where("expires_at", "<", now).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async insertToken(db: Executor, row: ApiTokensTable): Promise<void> {
    await db.insertInto("api_tokens").values(row).execute();
  },

  async findTokenByHash(db: Executor, tokenHash: string): Promise<ApiTokensTable | undefined> {
    return db.selectFrom("api_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
  },

  async findToken(db: Executor, id: string): Promise<ApiTokensTable | undefined> {
    return db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
  },

  async listTokens(db: Executor, userId: string | undefined): Promise<ApiTokensTable[]> {
    let q = db
      .selectFrom("api_tokens")
      .selectAll()
      .where("revoked_at", "is", null)
      .orderBy("created_at", "desc");
    if (userId) q = q.where("user_id", "=", userId);
    return q.execute();
  },

  async markTokenUsed(db: Executor, id: string, at: Date): Promise<void> {
    await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
  },

  async revokeToken(db: Executor, id: string, at: Date): Promise<void> {
    await db.updateTable("api_tokens").set({ revoked_at: at }).where("id", "=", id).execute();
  },
};
