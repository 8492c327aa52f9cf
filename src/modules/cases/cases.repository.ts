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

export type CaseRow = Omit<Selectable<CasesTable>, "search" | "thread_search" | "notes_search">;
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
  "cases.sla_due_at",
  "cases.sla_state",
] as const;

export type CaseSort =
  | "-updatedAt"
  | "updatedAt"
  | "-createdAt"
  | "createdAt"
  | "-priority"
  | "priority"
  | "slaDueAt";

type SortKey = {
  column: "updated_at" | "created_at" | "priority_rank" | "sla_due_at" | "id";
  dir: "asc" | "desc";
  /** Null values sort last (only `sla_due_at`: cases with no running clock). */
  nullable?: true;
};

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
  // Due soonest first; cases with no running SLA clock after all of them.
  slaDueAt: [
    { column: "sla_due_at", dir: "asc", nullable: true },
    { column: "id", dir: "asc" },
  ],
};

export function sortValues(row: CaseRow, sort: CaseSort): (string | number | null)[] {
  return SORT_KEYS[sort].map((k) => {
    const v = row[k.column];
    return v instanceof Date ? v.toISOString() : v;
  });
}

function typed(key: SortKey, value: string | number | null): RawBuilder<unknown> {
  if (key.column === "id") return sql`${value}::uuid`;
  if (key.column === "priority_rank") return sql`${value}::smallint`;
  return sql`${value}::timestamptz`;
}

/**
 * `(k1, k2, …) after (v1, v2, …)` with a direction per key. A nullable key (ascending, nulls
 * last) is "after" a value when greater or null, and after null only when null.
 */
function keysetAfter(keys: SortKey[], values: (string | number | null)[]): Expression<SqlBool> {
  const branches = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => {
      const v = values[j] ?? null;
      return v === null
        ? sql`${sql.ref(`cases.${k.column}`)} is null`
        : sql`${sql.ref(`cases.${k.column}`)} = ${typed(k, v)}`;
    });
    const col = sql.ref(`cases.${key.column}`);
    const v = values[i] ?? null;
    let beyond: RawBuilder<unknown>;
    if (key.nullable) {
      beyond = v === null ? sql`false` : sql`(${col} > ${typed(key, v)} or ${col} is null)`;
    } else {
      beyond = sql`${col} ${sql.raw(key.dir === "asc" ? ">" : "<")} ${typed(key, v)}`;
    }
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
  /** The overall SLA state kept on the case (running, warning, breached, paused, met). */
  slaStates?: string[] | undefined;
  /** A running clock falls due before this instant. */
  slaDueBefore?: Date | undefined;
  sort: CaseSort;
  after?: (string | number | null)[] | undefined;
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

  async findCaseByNumber(db: Executor, number: number): Promise<CaseRow | undefined> {
    return db.selectFrom("cases").select(CASE_COLUMNS).where("number", "=", number).executeTakeFirst();
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
    row: Omit<CaseRow, "number" | "priority_rank" | "reopen_count" | "sla_due_at" | "sla_state"> & {
      reopen_count?: number;
    },
  ): Promise<CaseRow> {
    return db.insertInto("cases").values(row).returning(CASE_COLUMNS).executeTakeFirstOrThrow();
  },

  async setSlaSummary(
    db: Executor,
    id: string,
    summary: { dueAt: Date | null; state: CaseRow["sla_state"] },
  ): Promise<void> {
    await db
      .updateTable("cases")
      .set({ sla_due_at: summary.dueAt, sla_state: summary.state })
      .where("cases.id", "=", id)
      .execute();
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
    for (const key of SORT_KEYS[f.sort]) {
      q = key.nullable
        ? q.orderBy(sql`${sql.ref(`cases.${key.column}`)} asc nulls last`)
        : q.orderBy(sql.ref(`cases.${key.column}`), key.dir);
    }
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
    if (f.slaStates?.length)
      q = q.where("cases.sla_state", "in", f.slaStates as NonNullable<CaseRow["sla_state"]>[]);
    if (f.slaDueBefore) q = q.where("cases.sla_due_at", "<", f.slaDueBefore);
    if (f.q) {
      // Every branch is on the case row and has its own index (GIN on each tsvector, the unique
      // index on number), so the planner can answer the OR with a BitmapOr, or walk the sort
      // index and filter when matches are plentiful. The thread's words are on the row
      // (thread_search, notes_search: migrations/0007_case_thread_search.sql); a subquery on
      // case_messages here forces a scan of every case.
      const tsq = sql`websearch_to_tsquery('english', ${f.q})`;
      const number = f.number;
      q = q.where((eb) =>
        eb.or([
          sql<SqlBool>`cases.search @@ ${tsq}`,
          sql<SqlBool>`cases.thread_search @@ ${tsq}`,
          // Internal notes: staff only. A portal contact must never find a case by a note.
          ...(f.searchNotes ? [sql<SqlBool>`cases.notes_search @@ ${tsq}`] : []),
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

  /**
   * Moves a thread to another case. The trigger on case_messages rebuilds both cases' search
   * vectors in this statement: the survivor is then found by the duplicate's thread and notes,
   * the duplicate no longer by them (as before, when search read the messages themselves).
   */
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
