import { type Expression, type RawBuilder, type Selectable, type SqlBool, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type {
  CaseHistoryTable,
  CaseStatusesTable,
  CasesTable,
  Priority,
  StatusCategory,
} from "./cases.tables.ts";
import "./cases.tables.ts";

export type CaseRow = Omit<Selectable<CasesTable>, "search">;
export type StatusRow = Selectable<CaseStatusesTable>;
export type HistoryRow = Selectable<CaseHistoryTable>;

const CASE_COLUMNS = [
  "cases.id",
  "cases.number",
  "cases.subject",
  "cases.description",
  "cases.account_id",
  "cases.contact_id",
  "cases.product",
  "cases.category",
  "cases.priority",
  "cases.priority_rank",
  "cases.channel",
  "cases.status",
  "cases.owner_id",
  "cases.team_id",
  "cases.queue_id",
  "cases.tags",
  "cases.received_at",
  "cases.created_at",
  "cases.updated_at",
  "cases.resolved_at",
  "cases.closed_at",
  "cases.reopen_count",
  "cases.parent_id",
  "cases.merged_into_id",
  "cases.related_case_id",
] as const;

export type CaseSort = "-updatedAt" | "updatedAt" | "-createdAt" | "createdAt" | "-priority" | "priority";

type SortKey = { column: "updated_at" | "created_at" | "priority_rank" | "id"; dir: "asc" | "desc" };

/**
 * Keyset orders: the sort key, then tie-breakers ending in the id. By priority the most urgent
 * come first (or last), and within one priority the oldest first: the order a queue is worked in.
 */
export const SORT_KEYS: Record<CaseSort, SortKey[]> = {
  "-updatedAt": [
    { column: "updated_at", dir: "desc" },
    { column: "id", dir: "desc" },
  ],
  updatedAt: [
    { column: "updated_at", dir: "asc" },
    { column: "id", dir: "asc" },
  ],
  "-createdAt": [
    { column: "created_at", dir: "desc" },
    { column: "id", dir: "desc" },
  ],
  createdAt: [
    { column: "created_at", dir: "asc" },
    { column: "id", dir: "asc" },
  ],
  "-priority": [
    { column: "priority_rank", dir: "desc" },
    { column: "created_at", dir: "asc" },
    { column: "id", dir: "asc" },
  ],
  priority: [
    { column: "priority_rank", dir: "asc" },
    { column: "created_at", dir: "asc" },
    { column: "id", dir: "asc" },
  ],
};

export function sortValues(row: CaseRow, sort: CaseSort): (string | number)[] {
  return SORT_KEYS[sort].map((k) => {
    const v = row[k.column];
    return v instanceof Date ? v.toISOString() : v;
  });
}

function typed(key: SortKey, value: string | number): RawBuilder<unknown> {
  if (key.column === "id") return sql`${value}::uuid`;
  if (key.column === "priority_rank") return sql`${value}::smallint`;
  return sql`${value}::timestamptz`;
}

/** `(k1, k2, …) after (v1, v2, …)` with a direction per key. */
function keysetAfter(keys: SortKey[], values: (string | number)[]): Expression<SqlBool> {
  const branches = keys.map((key, i) => {
    const equal = keys
      .slice(0, i)
      .map((k, j) => sql`${sql.ref(`cases.${k.column}`)} = ${typed(k, values[j]!)}`);
    const beyond = sql`${sql.ref(`cases.${key.column}`)} ${sql.raw(key.dir === "asc" ? ">" : "<")} ${typed(key, values[i]!)}`;
    return sql`(${sql.join([...equal, beyond], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
}

export type CaseListFilter = {
  /** A portal contact's own account: nothing outside it exists for them. */
  onlyAccountId?: string | undefined;
  statuses?: string[] | undefined;
  statusCategories?: StatusCategory[] | undefined;
  queueId?: string | undefined;
  teamId?: string | undefined;
  ownerId?: string | undefined;
  unassigned?: boolean | undefined;
  priorities?: Priority[] | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  /** Every tag must be on the case. */
  tags?: string[] | undefined;
  parentId?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  updatedFrom?: Date | undefined;
  updatedTo?: Date | undefined;
  q?: string | undefined;
  /** A `CS-…` number found in `q`. */
  number?: number | undefined;
  /** Whether internal notes are searched (never for portal contacts). */
  searchNotes: boolean;
  sort: CaseSort;
  after?: (string | number)[] | undefined;
  limit: number;
};

/**
 * All SQL about cases, their statuses, history and settings. No rules here: those live in the
 * services. Accounts, contacts, users and teams are read with small existence queries here
 * because the other modules' services cannot join this module's transaction (PGlite has one
 * connection); the accounts service was being written alongside this module.
 */
export const casesRepository = {
  async findCase(db: Executor, id: string): Promise<CaseRow | undefined> {
    return db.selectFrom("cases").select(CASE_COLUMNS).where("cases.id", "=", id).executeTakeFirst();
  },

  async findCaseForUpdate(db: Executor, id: string): Promise<CaseRow | undefined> {
    return db
      .selectFrom("cases")
      .select(CASE_COLUMNS)
      .where("cases.id", "=", id)
      .forUpdate()
      .executeTakeFirst();
  },

  /** Locks rows in id order, so two merges of the same pair never deadlock. */
  async lockCases(db: Executor, ids: string[]): Promise<CaseRow[]> {
    return db
      .selectFrom("cases")
      .select(CASE_COLUMNS)
      .where("cases.id", "in", ids)
      .orderBy("cases.id")
      .forUpdate()
      .execute();
  },

  async insertCase(
    db: Executor,
    row: Omit<CaseRow, "number" | "priority_rank" | "reopen_count"> & { reopen_count?: number },
  ): Promise<CaseRow> {
    return db.insertInto("cases").values(row).returning(CASE_COLUMNS).executeTakeFirstOrThrow();
  },

  async updateCase(
    db: Executor,
    id: string,
    set: Partial<Omit<CaseRow, "id" | "number" | "priority_rank">>,
  ): Promise<CaseRow> {
    return db
      .updateTable("cases")
      .set(set)
      .where("cases.id", "=", id)
      .returning(CASE_COLUMNS)
      .executeTakeFirstOrThrow();
  },

  async deleteCase(db: Executor, id: string): Promise<void> {
    await db.deleteFrom("cases").where("id", "=", id).execute();
  },

  async listCases(db: Executor, f: CaseListFilter): Promise<CaseRow[]> {
    let q = db.selectFrom("cases").select(CASE_COLUMNS);
    for (const key of SORT_KEYS[f.sort]) q = q.orderBy(sql.ref(`cases.${key.column}`), key.dir);
    q = q.limit(f.limit + 1);
    if (f.onlyAccountId) q = q.where("cases.account_id", "=", f.onlyAccountId);
    if (f.statuses?.length) q = q.where("cases.status", "in", f.statuses);
    if (f.statusCategories?.length) {
      const categories = f.statusCategories;
      q = q.where("cases.status", "in", (eb) =>
        eb.selectFrom("case_statuses").select("key").where("category", "in", categories),
      );
    }
    if (f.queueId) q = q.where("cases.queue_id", "=", f.queueId);
    if (f.teamId) q = q.where("cases.team_id", "=", f.teamId);
    if (f.ownerId) q = q.where("cases.owner_id", "=", f.ownerId);
    if (f.unassigned) q = q.where("cases.owner_id", "is", null);
    if (f.priorities?.length) q = q.where("cases.priority", "in", f.priorities);
    if (f.accountId) q = q.where("cases.account_id", "=", f.accountId);
    if (f.contactId) q = q.where("cases.contact_id", "=", f.contactId);
    if (f.parentId) q = q.where("cases.parent_id", "=", f.parentId);
    if (f.tags?.length) q = q.where(sql<SqlBool>`cases.tags @> ${sql.val(f.tags)}::text[]`);
    if (f.createdFrom) q = q.where("cases.created_at", ">=", f.createdFrom);
    if (f.createdTo) q = q.where("cases.created_at", "<", f.createdTo);
    if (f.updatedFrom) q = q.where("cases.updated_at", ">=", f.updatedFrom);
    if (f.updatedTo) q = q.where("cases.updated_at", "<", f.updatedTo);
    if (f.q) {
      const tsq = sql`websearch_to_tsquery('english', ${f.q})`;
      const number = f.number;
      const searchNotes = f.searchNotes;
      q = q.where((eb) =>
        eb.or([
          sql<SqlBool>`cases.search @@ ${tsq}`,
          eb("cases.id", "in", (sub) => {
            let m = sub
              .selectFrom("case_messages")
              .select("case_messages.case_id")
              .where(sql<SqlBool>`case_messages.search @@ ${tsq}`);
            if (!searchNotes) m = m.where("case_messages.kind", "<>", "note");
            return m;
          }),
          ...(number !== undefined ? [eb("cases.number", "=", number)] : []),
        ]),
      );
    }
    if (f.after) q = q.where(keysetAfter(SORT_KEYS[f.sort], f.after));
    return q.execute();
  },

  /** A case's children, locked; `onlyOpen`: those not yet in a resolved-category status. */
  async childrenForUpdate(db: Executor, parentId: string, onlyOpen: boolean): Promise<CaseRow[]> {
    let q = db
      .selectFrom("cases")
      .select(CASE_COLUMNS)
      .where("cases.parent_id", "=", parentId)
      .orderBy("cases.id")
      .forUpdate();
    if (onlyOpen) {
      q = q.where("cases.status", "in", (eb) =>
        eb.selectFrom("case_statuses").select("key").where("category", "<>", "resolved"),
      );
    }
    return q.execute();
  },

  /** The case and its ancestors, nearest first (bounded, so a corrupt loop cannot spin). */
  async ancestorIds(db: Executor, id: string): Promise<string[]> {
    const result = await sql<{ id: string }>`
      with recursive up(id, parent_id, depth) as (
        select id, parent_id, 0 from cases where id = ${id}
        union all
        select c.id, c.parent_id, up.depth + 1 from cases c join up on c.id = up.parent_id where up.depth < 1000
      )
      select id from up order by depth`.execute(db);
    return result.rows.map((r) => r.id);
  },

  /** Serialises changes to the parent/child tree, so two concurrent edits cannot make a loop. */
  async lockHierarchy(db: Executor): Promise<void> {
    await sql`select pg_advisory_xact_lock(${CASE_TREE_LOCK})`.execute(db);
  },

  // ---- merge ----

  async moveMessages(db: Executor, fromId: string, toId: string): Promise<number> {
    const r = await db
      .updateTable("case_messages")
      .set((eb) => ({
        case_id: toId,
        merged_from_case_id: eb.fn.coalesce("merged_from_case_id", sql<string>`${fromId}::uuid`),
      }))
      .where("case_id", "=", fromId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async moveAttachments(db: Executor, fromId: string, toId: string): Promise<number> {
    const r = await db
      .updateTable("case_attachments")
      .set({ case_id: toId })
      .where("case_id", "=", fromId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  // ---- history ----

  async insertHistory(db: Executor, rows: Omit<HistoryRow, "seq">[]): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insertInto("case_history")
      .values(
        rows.map((r) => ({
          ...r,
          old_value: JSON.stringify(r.old_value ?? null),
          new_value: JSON.stringify(r.new_value ?? null),
        })),
      )
      .execute();
  },

  async listHistory(db: Executor, caseId: string, afterSeq: number | undefined, limit: number) {
    let q = db
      .selectFrom("case_history")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("seq")
      .limit(limit + 1);
    if (afterSeq !== undefined) q = q.where("seq", ">", afterSeq);
    return q.execute();
  },

  // ---- statuses and settings ----

  async listStatuses(db: Executor): Promise<StatusRow[]> {
    return db.selectFrom("case_statuses").selectAll().orderBy("position").orderBy("key").execute();
  },

  async findStatus(db: Executor, key: string): Promise<StatusRow | undefined> {
    return db.selectFrom("case_statuses").selectAll().where("key", "=", key).executeTakeFirst();
  },

  async insertStatus(db: Executor, row: Omit<StatusRow, "builtin"> & { builtin?: boolean }): Promise<void> {
    await db.insertInto("case_statuses").values(row).execute();
  },

  async updateStatus(db: Executor, key: string, set: { label?: string; position?: number }): Promise<void> {
    await db.updateTable("case_statuses").set(set).where("key", "=", key).execute();
  },

  async deleteStatus(db: Executor, key: string): Promise<void> {
    await db.deleteFrom("case_statuses").where("key", "=", key).execute();
  },

  async statusInUse(db: Executor, key: string): Promise<boolean> {
    const row = await db
      .selectFrom("cases")
      .select("id")
      .where("status", "=", key)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  async getSetting(db: Executor, key: string): Promise<unknown> {
    const row = await db
      .selectFrom("case_settings")
      .select("value")
      .where("key", "=", key)
      .executeTakeFirst();
    return row?.value;
  },

  async putSetting(db: Executor, key: string, value: unknown, at: Date, by: string | null): Promise<void> {
    await db
      .insertInto("case_settings")
      .values({ key, value: JSON.stringify(value), updated_at: at, updated_by: by })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({ value: JSON.stringify(value), updated_at: at, updated_by: by }),
      )
      .execute();
  },

  // ---- other modules' rows, read for existence only ----

  async accountExists(db: Executor, id: string): Promise<boolean> {
    const r = await sql<{ id: string }>`select id from accounts where id = ${id}`.execute(db);
    return r.rows.length > 0;
  },

  async findContact(db: Executor, id: string): Promise<{ id: string; accountId: string } | undefined> {
    const r = await sql<{ id: string; account_id: string }>`
      select id, account_id from contacts where id = ${id}`.execute(db);
    const row = r.rows[0];
    return row ? { id: row.id, accountId: row.account_id } : undefined;
  },

  async findUser(db: Executor, id: string): Promise<{ id: string; active: boolean } | undefined> {
    const r = await sql<{
      id: string;
      active: boolean;
    }>`select id, active from users where id = ${id}`.execute(db);
    return r.rows[0];
  },

  async teamExists(db: Executor, id: string): Promise<boolean> {
    const r = await sql<{ id: string }>`select id from teams where id = ${id}`.execute(db);
    return r.rows.length > 0;
  },
};

// Any fixed number (the migrator uses 7_312_024, accounts 7_312_031).
const CASE_TREE_LOCK = 7_312_051;
