import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import type { FeedbackItemsTable, FeedbackKind, FeedbackStatus } from "./feedback.tables.ts";
import "./feedback.tables.ts";

export type FeedbackRow = Selectable<FeedbackItemsTable>;
export type FeedbackView = FeedbackRow & {
  account_name: string | null;
  contact_name: string | null;
  case_number: number | null;
  votes: number;
  revenue: number;
};
export type FeedbackSort = "revenue" | "votes" | "newest";

function view(db: Executor) {
  return db
    .selectFrom("feedback_items as f")
    .leftJoin("accounts as ac", "ac.id", "f.account_id")
    .leftJoin("contacts as ct", "ct.id", "f.contact_id")
    .leftJoin("cases as c", "c.id", "f.case_id")
    .selectAll("f")
    .select([
      "ac.name as account_name",
      "ct.name as contact_name",
      "c.number as case_number",
      sql<number>`(select count(*)::int from feedback_votes v where v.item_id = f.id)`.as("votes"),
      sql<number>`(select coalesce(sum(a.annual_revenue), 0)::float8 from feedback_votes v join accounts a on a.id = v.account_id where v.item_id = f.id)`.as(
        "revenue",
      ),
    ]);
}

/** All SQL of feedback items, votes and loop tellings. */
export const feedbackRepository = {
  async insert(trx: Trx, row: Insertable<FeedbackItemsTable>): Promise<void> {
    await trx.insertInto("feedback_items").values(row).execute();
  },

  lock(trx: Trx, id: string): Promise<FeedbackRow | undefined> {
    return trx.selectFrom("feedback_items").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  async update(trx: Trx, id: string, set: Updateable<FeedbackItemsTable>): Promise<void> {
    await trx.updateTable("feedback_items").set(set).where("id", "=", id).execute();
  },

  async delete(trx: Trx, id: string): Promise<void> {
    await trx.deleteFrom("feedback_items").where("id", "=", id).execute();
  },

  find(db: Executor, id: string): Promise<FeedbackView | undefined> {
    return view(db).where("f.id", "=", id).executeTakeFirst() as Promise<FeedbackView | undefined>;
  },

  list(
    db: Executor,
    filter: {
      status?: FeedbackStatus[];
      kind?: FeedbackKind[];
      accountId?: string;
      caseId?: string;
      q?: string;
    },
    sort: FeedbackSort,
    limit: number,
    offset: number,
  ): Promise<FeedbackView[]> {
    let q = view(db);
    if (filter.status?.length) q = q.where("f.status", "in", filter.status);
    if (filter.kind?.length) q = q.where("f.kind", "in", filter.kind);
    if (filter.accountId) {
      const accountId = filter.accountId;
      q = q.where((eb) =>
        eb.or([
          eb("f.account_id", "=", accountId),
          eb.exists(
            eb
              .selectFrom("feedback_votes as v")
              .select("v.item_id")
              .whereRef("v.item_id", "=", "f.id")
              .where("v.account_id", "=", accountId),
          ),
        ]),
      );
    }
    if (filter.caseId) q = q.where("f.case_id", "=", filter.caseId);
    if (filter.q) q = q.where("f.title", "ilike", `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const ordered =
      sort === "revenue"
        ? q.orderBy(sql`revenue`, "desc").orderBy(sql`votes`, "desc")
        : sort === "votes"
          ? q.orderBy(sql`votes`, "desc").orderBy(sql`revenue`, "desc")
          : q;
    return ordered
      .orderBy("f.created_at", "desc")
      .orderBy("f.id", "desc")
      .limit(limit + 1)
      .offset(offset)
      .execute() as Promise<FeedbackView[]>;
  },

  async addVote(
    trx: Trx,
    row: { item_id: string; account_id: string; contact_id: string | null; created_at: Date },
  ) {
    const r = await trx
      .insertInto("feedback_votes")
      .values(row)
      .onConflict((oc) => oc.columns(["item_id", "account_id"]).doNothing())
      .returning("item_id")
      .executeTakeFirst();
    return r !== undefined;
  },

  async removeVote(trx: Trx, itemId: string, accountId: string): Promise<boolean> {
    const r = await trx
      .deleteFrom("feedback_votes")
      .where("item_id", "=", itemId)
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  votes(db: Executor, itemId: string) {
    return db
      .selectFrom("feedback_votes as v")
      .innerJoin("accounts as a", "a.id", "v.account_id")
      .leftJoin("contacts as ct", "ct.id", "v.contact_id")
      .select([
        "v.account_id",
        "a.name as account_name",
        sql<number>`a.annual_revenue::float8`.as("annual_revenue"),
        "v.contact_id",
        "ct.name as contact_name",
        "v.created_at",
      ])
      .where("v.item_id", "=", itemId)
      .orderBy("a.annual_revenue", "desc")
      .execute();
  },

  /** Every contact linked to an item: its own contact and the contacts behind its votes. */
  linkedContacts(db: Executor, itemId: string) {
    return db
      .selectFrom("contacts as ct")
      .select(["ct.id", "ct.name", "ct.email", "ct.account_id"])
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom("feedback_items as f")
              .select("f.id")
              .where("f.id", "=", itemId)
              .whereRef("f.contact_id", "=", "ct.id"),
          ),
          eb.exists(
            eb
              .selectFrom("feedback_votes as v")
              .select("v.item_id")
              .where("v.item_id", "=", itemId)
              .whereRef("v.contact_id", "=", "ct.id"),
          ),
        ]),
      )
      .orderBy("ct.name")
      .execute();
  },

  async tellings(db: Executor, itemId: string) {
    return db
      .selectFrom("feedback_loop_tellings as t")
      .leftJoin("contacts as ct", "ct.id", "t.contact_id")
      .select(["t.id", "t.contact_id", "ct.name as contact_name", "t.email", "t.told_by_id", "t.told_at"])
      .where("t.item_id", "=", itemId)
      .orderBy("t.told_at")
      .execute();
  },

  async toldContactIds(db: Executor, itemId: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom("feedback_loop_tellings")
      .select("contact_id")
      .where("item_id", "=", itemId)
      .execute();
    return new Set(rows.map((r) => r.contact_id));
  },

  async insertTelling(trx: Trx, row: Insertable<import("./feedback.tables.ts").FeedbackLoopTellingsTable>) {
    await trx.insertInto("feedback_loop_tellings").values(row).execute();
  },

  contact(db: Executor, id: string) {
    return db
      .selectFrom("contacts")
      .select(["id", "account_id", "name", "email"])
      .where("id", "=", id)
      .executeTakeFirst();
  },

  accountExists(db: Executor, id: string) {
    return db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst();
  },
};
