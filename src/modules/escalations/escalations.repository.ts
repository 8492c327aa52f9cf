import type { Insertable, Selectable } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import type { CaseEscalationsTable } from "./escalations.tables.ts";
import "./escalations.tables.ts";

export type EscalationRow = Selectable<CaseEscalationsTable>;

export const escalationsRepository = {
  async insert(trx: Trx, row: Insertable<CaseEscalationsTable>): Promise<void> {
    await trx.insertInto("case_escalations").values(row).execute();
  },

  async openForCase(db: Executor, caseId: string): Promise<EscalationRow | undefined> {
    return db
      .selectFrom("case_escalations")
      .selectAll()
      .where("case_id", "=", caseId)
      .where("closed_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
  },

  async listForCase(db: Executor, caseId: string): Promise<EscalationRow[]> {
    return db
      .selectFrom("case_escalations")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute();
  },

  async openCaseIds(db: Executor, caseIds: string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows = await db
      .selectFrom("case_escalations")
      .select("case_id")
      .where("case_id", "in", caseIds)
      .where("closed_at", "is", null)
      .execute();
    return new Set(rows.map((r) => r.case_id));
  },

  async hasOpen(db: Executor, column: "contact_id" | "account_id", id: string): Promise<boolean> {
    const row = await db
      .selectFrom("case_escalations")
      .select("id")
      .where(column, "=", id)
      .where("closed_at", "is", null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  async closeForCase(trx: Trx, caseId: string, at: Date): Promise<string[]> {
    const rows = await trx
      .updateTable("case_escalations")
      .set({ closed_at: at })
      .where("case_id", "=", caseId)
      .where("closed_at", "is", null)
      .returning("id")
      .execute();
    return rows.map((r) => r.id);
  },
};
