import {
  type Expression,
  type Insertable,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import type {
  ActivitiesTable,
  ActivityStatus,
  ActivityType,
  ActivityUserSettingsTable,
} from "./activities.tables.ts";
import "./activities.tables.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import "../users/users.tables.ts";

export type ActivityRow = Selectable<ActivitiesTable>;
export type SettingsRow = Selectable<ActivityUserSettingsTable>;

/** An activity with what the screens show beside it: its case, contact and account names. */
export type ActivityView = ActivityRow & {
  case_number: number | null;
  case_subject: string | null;
  contact_name: string | null;
  account_name: string | null;
  /** The contact's zone, else the account's; null without a customer. */
  customer_time_zone: string | null;
};

export type ActivitySort = "dueAt" | "-dueAt" | "-createdAt";
export const ACTIVITY_SORTS: readonly ActivitySort[] = ["dueAt", "-dueAt", "-createdAt"];

export type ActivityFilter = {
  types?: ActivityType[] | undefined;
  statuses?: ActivityStatus[] | undefined;
  ownerId?: string | undefined;
  caseId?: string | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  dueBefore?: Date | undefined;
  dueAfter?: Date | undefined;
  sort: ActivitySort;
  /** The last row of the previous page: [due_at or created_at (ISO) or null, id]. */
  after?: [string | null, string] | undefined;
  limit: number;
};

export type Person = { id: string; email: string; name: string; time_zone: string; active: boolean };

export type PromiseCounts = {
  key: string | null;
  made: number;
  kept: number;
  broken: number;
  open: number;
  cancelled: number;
};

function view(db: Executor) {
  return db
    .selectFrom("activities as a")
    .leftJoin("cases as c", "c.id", "a.case_id")
    .leftJoin("contacts as ct", "ct.id", "a.contact_id")
    .leftJoin("accounts as ac", "ac.id", "a.account_id")
    .selectAll("a")
    .select([
      "c.number as case_number",
      "c.subject as case_subject",
      "ct.name as contact_name",
      "ac.name as account_name",
      sql<string | null>`coalesce(ct.time_zone, ac.time_zone)`.as("customer_time_zone"),
    ]);
}

/** Keyset "after" for the three orders; due times sort nulls last in both directions. */
function after(sort: ActivitySort, value: string | null, id: string): Expression<SqlBool> {
  if (sort === "-createdAt") {
    return sql<SqlBool>`(a.created_at < ${value}::timestamptz or (a.created_at = ${value}::timestamptz and a.id < ${id}::uuid))`;
  }
  const cmp = sql.raw(sort === "dueAt" ? ">" : "<");
  if (value === null) return sql<SqlBool>`(a.due_at is null and a.id ${cmp} ${id}::uuid)`;
  return sql<SqlBool>`(a.due_at ${cmp} ${value}::timestamptz or (a.due_at = ${value}::timestamptz and a.id ${cmp} ${id}::uuid) or a.due_at is null)`;
}

/** All SQL about activities and each user's activity settings. */
export const activitiesRepository = {
  async insert(trx: Trx, row: Insertable<ActivitiesTable>): Promise<void> {
    await trx.insertInto("activities").values(row).execute();
  },

  async find(db: Executor, id: string): Promise<ActivityView | undefined> {
    return view(db).where("a.id", "=", id).executeTakeFirst() as Promise<ActivityView | undefined>;
  },

  async lock(trx: Trx, id: string): Promise<ActivityRow | undefined> {
    return trx.selectFrom("activities").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  async update(trx: Trx, id: string, set: Updateable<ActivitiesTable>): Promise<void> {
    await trx.updateTable("activities").set(set).where("id", "=", id).execute();
  },

  async delete(trx: Trx, id: string): Promise<void> {
    await trx.deleteFrom("activities").where("id", "=", id).execute();
  },

  async list(db: Executor, f: ActivityFilter): Promise<ActivityView[]> {
    let q = view(db);
    if (f.types?.length) q = q.where("a.type", "in", f.types);
    if (f.statuses?.length) q = q.where("a.status", "in", f.statuses);
    if (f.ownerId) q = q.where("a.owner_id", "=", f.ownerId);
    if (f.caseId) q = q.where("a.case_id", "=", f.caseId);
    if (f.accountId) q = q.where("a.account_id", "=", f.accountId);
    if (f.contactId) q = q.where("a.contact_id", "=", f.contactId);
    if (f.dueBefore) q = q.where("a.due_at", "<", f.dueBefore);
    if (f.dueAfter) q = q.where("a.due_at", ">=", f.dueAfter);
    if (f.after) q = q.where(after(f.sort, f.after[0], f.after[1]));
    if (f.sort === "-createdAt") q = q.orderBy("a.created_at", "desc").orderBy("a.id", "desc");
    else if (f.sort === "dueAt") q = q.orderBy(sql`a.due_at asc nulls last`).orderBy("a.id", "asc");
    else q = q.orderBy(sql`a.due_at desc nulls last`).orderBy("a.id", "desc");
    return (await q.limit(f.limit + 1).execute()) as ActivityView[];
  },

  /**
   * Open promises an answer fulfils, locked: those on its case, and those on its contact (a
   * reply: only the contact's promises that name no case; a call: all of them). Only ones not
   * yet due at `at`: a late answer leaves the promise to break at its due time.
   */
  async openPromisesFor(
    trx: Trx,
    target: { caseId: string | null; contactId: string | null; anyCaseOfContact: boolean },
    at: Date,
  ): Promise<ActivityRow[]> {
    if (!target.caseId && !target.contactId) return [];
    return (
      trx
        .selectFrom("activities")
        .selectAll()
        .where("type", "=", "promise")
        .where("status", "=", "open")
        .where("due_at", ">=", at)
        // An answer before the promise was made does not fulfil it (a call logged after the fact).
        .where("created_at", "<=", at)
        .where((eb) => {
          const branches: Expression<SqlBool>[] = [];
          if (target.caseId) branches.push(eb("case_id", "=", target.caseId));
          if (target.contactId) {
            const onContact = eb("contact_id", "=", target.contactId);
            branches.push(
              target.anyCaseOfContact ? onContact : eb.and([onContact, eb("case_id", "is", null)]),
            );
          }
          return eb.or(branches);
        })
        .orderBy("due_at")
        .forUpdate()
        .execute()
    );
  },

  /** A merged duplicate's activities go to the case that survives; returns the ones moved. */
  async moveCase(
    trx: Trx,
    fromCaseId: string,
    toCaseId: string,
    at: Date,
  ): Promise<{ id: string; account_id: string | null; type: ActivityType; subject: string }[]> {
    return trx
      .updateTable("activities")
      .set({ case_id: toCaseId, updated_at: at })
      .where("case_id", "=", fromCaseId)
      .returning(["id", "account_id", "type", "subject"])
      .execute();
  },

  /** "My day": the user's open work due before `end`, today's appointments, and today's broken promises. */
  async myDay(db: Executor, userId: string, start: Date, end: Date): Promise<ActivityView[]> {
    return (await view(db)
      .where("a.owner_id", "=", userId)
      .where((eb) =>
        eb.or([
          eb.and([
            eb("a.status", "=", "open"),
            eb("a.type", "in", ["task", "promise", "call"]),
            eb("a.due_at", "<", end),
          ]),
          eb.and([
            eb("a.status", "=", "open"),
            eb("a.type", "=", "appointment"),
            eb("a.due_at", ">=", start),
            eb("a.due_at", "<", end),
          ]),
          eb.and([eb("a.status", "=", "broken"), eb("a.broken_at", ">=", start)]),
        ]),
      )
      .orderBy("a.due_at")
      .orderBy("a.id")
      .limit(500)
      .execute()) as ActivityView[];
  },

  /** What the user finished today (done, kept), newest first. */
  async doneToday(db: Executor, userId: string, start: Date): Promise<ActivityView[]> {
    return (await view(db)
      .where("a.owner_id", "=", userId)
      .where((eb) =>
        eb.or([
          eb.and([
            eb("a.status", "=", "done"),
            eb("a.completed_at", ">=", start),
            eb("a.type", "<>", "call"),
          ]),
          eb.and([eb("a.status", "=", "kept"), eb("a.kept_at", ">=", start)]),
        ]),
      )
      .orderBy(sql`coalesce(a.kept_at, a.completed_at) desc`)
      .limit(100)
      .execute()) as ActivityView[];
  },

  /** The user's activities with a time in [from, to) for the calendar feed (cancelled left out). */
  async forFeed(db: Executor, userId: string, from: Date, to: Date): Promise<ActivityView[]> {
    return (await view(db)
      .where("a.owner_id", "=", userId)
      .where("a.due_at", ">=", from)
      .where("a.due_at", "<", to)
      .where("a.status", "<>", "cancelled")
      .where((eb) => eb.or([eb("a.type", "<>", "call"), eb("a.status", "=", "open")]))
      .orderBy("a.due_at")
      .limit(2000)
      .execute()) as ActivityView[];
  },

  // ---- people ----

  async people(db: Executor, ids: string[]): Promise<Person[]> {
    if (ids.length === 0) return [];
    return db
      .selectFrom("users")
      .select(["id", "email", "name", "time_zone", "active"])
      .where("id", "in", ids)
      .execute();
  },

  /** Leads of the teams `userId` belongs to (not the user themself). */
  async teamLeadsOf(db: Executor, userId: string): Promise<string[]> {
    const rows = await db
      .selectFrom("team_members as tm")
      .innerJoin("teams as t", "t.id", "tm.team_id")
      .select("t.lead_id")
      .distinct()
      .where("tm.user_id", "=", userId)
      .where("t.lead_id", "is not", null)
      .where("t.lead_id", "<>", userId)
      .execute();
    return rows.map((r) => r.lead_id!).sort();
  },

  async managers(db: Executor): Promise<string[]> {
    const rows = await db
      .selectFrom("users")
      .select("id")
      .where("role", "in", ["manager", "admin"])
      .where("active", "=", true)
      .orderBy("id")
      .limit(20)
      .execute();
    return rows.map((r) => r.id);
  },

  // ---- settings and the calendar feed ----

  async settings(db: Executor, userId: string): Promise<SettingsRow | undefined> {
    return db
      .selectFrom("activity_user_settings")
      .selectAll()
      .where("user_id", "=", userId)
      .executeTakeFirst();
  },

  async upsertSettings(
    trx: Trx,
    userId: string,
    set: Partial<Omit<SettingsRow, "user_id">> & { updated_at: Date },
  ): Promise<SettingsRow> {
    return trx
      .insertInto("activity_user_settings")
      .values({ user_id: userId, ...set })
      .onConflict((oc) => oc.column("user_id").doUpdateSet(set))
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async userByFeedHash(db: Executor, hash: string): Promise<Person | undefined> {
    return db
      .selectFrom("activity_user_settings as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select(["u.id", "u.email", "u.name", "u.time_zone", "u.active"])
      .where("s.feed_token_hash", "=", hash)
      .executeTakeFirst();
  },

  // ---- reports ----

  async promiseCounts(
    db: Executor,
    range: { from: Date; to: Date },
    groupBy: "owner" | "team",
  ): Promise<PromiseCounts[]> {
    const counts = sql<number>`count(*)::int`;
    const of = (status: ActivityStatus) => sql<number>`(count(*) filter (where a.status = ${status}))::int`;
    const base = db
      .selectFrom("activities as a")
      .where("a.type", "=", "promise")
      .where("a.created_at", ">=", range.from)
      .where("a.created_at", "<", range.to);
    const columns = [
      counts.as("made"),
      of("kept").as("kept"),
      of("broken").as("broken"),
      of("open").as("open"),
      of("cancelled").as("cancelled"),
    ] as const;
    if (groupBy === "owner") {
      return base
        .select(["a.owner_id as key", ...columns])
        .groupBy("a.owner_id")
        .orderBy("a.owner_id")
        .execute();
    }
    return base
      .leftJoin("team_members as tm", "tm.user_id", "a.owner_id")
      .select(["tm.team_id as key", ...columns])
      .groupBy("tm.team_id")
      .orderBy("tm.team_id")
      .execute() as Promise<PromiseCounts[]>;
  },

  async promiseTotals(db: Executor, range: { from: Date; to: Date }): Promise<Omit<PromiseCounts, "key">> {
    const rows = await activitiesRepository.promiseCounts(db, range, "owner");
    const total = { made: 0, kept: 0, broken: 0, open: 0, cancelled: 0 };
    for (const r of rows) {
      total.made += r.made;
      total.kept += r.kept;
      total.broken += r.broken;
      total.open += r.open;
      total.cancelled += r.cancelled;
    }
    return total;
  },

  async overdueTasks(db: Executor, now: Date): Promise<{ owner_id: string | null; count: number }[]> {
    return db
      .selectFrom("activities")
      .select(["owner_id", sql<number>`count(*)::int`.as("count")])
      .where("type", "=", "task")
      .where("status", "=", "open")
      .where("due_at", "<", now)
      .groupBy("owner_id")
      .orderBy("owner_id")
      .execute();
  },
};
