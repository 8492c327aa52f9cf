import type { Executor } from "../../platform/db/database.ts";
import type { OpportunitiesTable, OpportunityStage } from "./opportunities.tables.ts";
import "./opportunities.tables.ts";
import "../accounts/accounts.tables.ts";

export type OpportunityRow = OpportunitiesTable & { account_name: string; account_tier: string };

/** All SQL about opportunities (the account's name and tier joined for the board). */
export const opportunitiesRepository = {
  base(db: Executor) {
    return db
      .selectFrom("opportunities as o")
      .innerJoin("accounts as a", "a.id", "o.account_id")
      .selectAll("o")
      .select(["a.name as account_name", "a.tier as account_tier"]);
  },

  async find(db: Executor, id: string): Promise<OpportunityRow | undefined> {
    return this.base(db).where("o.id", "=", id).executeTakeFirst();
  },

  async list(
    db: Executor,
    q: { accountId?: string; ownerId?: string; stages?: OpportunityStage[]; limit: number; offset: number },
  ): Promise<OpportunityRow[]> {
    let s = this.base(db)
      .orderBy("o.close_date", (ob) => ob.asc().nullsLast())
      .orderBy("o.id")
      .limit(q.limit)
      .offset(q.offset);
    if (q.accountId) s = s.where("o.account_id", "=", q.accountId);
    if (q.ownerId) s = s.where("o.owner_id", "=", q.ownerId);
    if (q.stages?.length) s = s.where("o.stage", "in", q.stages);
    return s.execute();
  },

  async insert(db: Executor, row: OpportunitiesTable): Promise<void> {
    await db.insertInto("opportunities").values(row).execute();
  },

  async update(db: Executor, id: string, set: Partial<OpportunitiesTable>): Promise<void> {
    await db.updateTable("opportunities").set(set).where("id", "=", id).execute();
  },

  async delete(db: Executor, id: string): Promise<number> {
    const r = await db.deleteFrom("opportunities").where("id", "=", id).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
