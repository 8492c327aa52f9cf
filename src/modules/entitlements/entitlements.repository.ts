import { type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import "../sla/sla.tables.ts";
import type {
  CaseEntitlementsTable,
  CaseTimeEntriesTable,
  EntitlementsTable,
} from "./entitlements.tables.ts";
import "./entitlements.tables.ts";

export type EntitlementRow = Selectable<EntitlementsTable>;
export type CaseEntitlementRow = Selectable<CaseEntitlementsTable>;
export type TimeEntryRow = Selectable<CaseTimeEntriesTable>;

/** All SQL of the entitlements capability. */
export const entitlementsRepository = {
  list(
    db: Executor,
    f: { accountId?: string | undefined; after?: { endsOn: string; id: string } | undefined; limit: number },
  ) {
    let q = db.selectFrom("entitlements").selectAll();
    if (f.accountId) q = q.where("account_id", "=", f.accountId);
    if (f.after) {
      const a = f.after;
      q = q.where((eb) =>
        eb.or([eb("ends_on", "<", a.endsOn), eb.and([eb("ends_on", "=", a.endsOn), eb("id", ">", a.id)])]),
      );
    }
    return q
      .orderBy("ends_on", "desc")
      .orderBy("id")
      .limit(f.limit + 1)
      .execute();
  },

  find(db: Executor, id: string) {
    return db.selectFrom("entitlements").selectAll().where("id", "=", id).executeTakeFirst();
  },

  findMany(db: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as EntitlementRow[]);
    return db.selectFrom("entitlements").selectAll().where("id", "in", ids).execute();
  },

  lock(db: Executor, id: string) {
    return db.selectFrom("entitlements").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  /** An account's entitlements that could cover a case from this contact (any dates, any balance). */
  candidates(db: Executor, accountId: string, contactId: string | null) {
    return db
      .selectFrom("entitlements")
      .selectAll()
      .where("account_id", "=", accountId)
      .where((eb) =>
        contactId
          ? eb.or([eb("contact_id", "is", null), eb("contact_id", "=", contactId)])
          : eb("contact_id", "is", null),
      )
      .orderBy("ends_on", "desc")
      .orderBy("id")
      .execute();
  },

  insert(db: Executor, row: EntitlementRow) {
    return db.insertInto("entitlements").values(row).returningAll().executeTakeFirstOrThrow();
  },

  update(db: Executor, id: string, set: Partial<Omit<EntitlementRow, "id" | "used">>) {
    return db.updateTable("entitlements").set(set).where("id", "=", id).returningAll().executeTakeFirst();
  },

  /** Atomic: concurrent resolutions never lose an update. */
  addUsed(db: Executor, id: string, amount: number, at: Date) {
    return db
      .updateTable("entitlements")
      .set({ used: sql`greatest(0, used + ${amount})`, updated_at: at })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  delete(db: Executor, id: string) {
    return db.deleteFrom("entitlements").where("id", "=", id).executeTakeFirst();
  },

  async casesUsing(db: Executor, id: string): Promise<number> {
    const r = await db
      .selectFrom("case_entitlements")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("entitlement_id", "=", id)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async accountExists(db: Executor, id: string): Promise<boolean> {
    return (
      (await db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst()) !== undefined
    );
  },

  accountName(db: Executor, id: string) {
    return db.selectFrom("accounts").select(["name", "owner_id"]).where("id", "=", id).executeTakeFirst();
  },

  contactAccount(db: Executor, id: string) {
    return db.selectFrom("contacts").select("account_id").where("id", "=", id).executeTakeFirst();
  },

  async policyExists(db: Executor, id: string): Promise<boolean> {
    return (
      (await db.selectFrom("sla_policies").select("id").where("id", "=", id).executeTakeFirst()) !== undefined
    );
  },

  // ---- a case's entitlement ----

  caseLink(db: Executor, caseId: string) {
    return db.selectFrom("case_entitlements").selectAll().where("case_id", "=", caseId).executeTakeFirst();
  },

  caseLinks(db: Executor, caseIds: string[]) {
    return db.selectFrom("case_entitlements").selectAll().where("case_id", "in", caseIds).execute();
  },

  async setCaseLink(db: Executor, row: CaseEntitlementRow) {
    await db
      .insertInto("case_entitlements")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("case_id")
          .doUpdateSet({ entitlement_id: row.entitlement_id, flag: row.flag, consumed: row.consumed }),
      )
      .execute();
  },

  async setConsumed(db: Executor, caseId: string, consumed: number) {
    await db.updateTable("case_entitlements").set({ consumed }).where("case_id", "=", caseId).execute();
  },

  async deleteCaseLink(db: Executor, caseId: string) {
    await db.deleteFrom("case_entitlements").where("case_id", "=", caseId).execute();
  },

  // ---- time logged on cases ----

  insertTimeEntry(db: Executor, row: TimeEntryRow) {
    return db.insertInto("case_time_entries").values(row).returningAll().executeTakeFirstOrThrow();
  },

  timeEntries(db: Executor, caseId: string) {
    return db
      .selectFrom("case_time_entries")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
  },

  async minutesLogged(db: Executor, caseId: string): Promise<number> {
    const r = await db
      .selectFrom("case_time_entries")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("minutes"), sql<number>`0`).as("m"))
      .where("case_id", "=", caseId)
      .executeTakeFirstOrThrow();
    return Number(r.m);
  },
};
