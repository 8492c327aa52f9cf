import { type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import "../users/users.tables.ts";
import type { CalendarsTable, Kpi, SlaClocksTable, SlaPoliciesTable } from "./sla.tables.ts";
import "./sla.tables.ts";

export type CalendarRow = Selectable<CalendarsTable>;
export type PolicyRow = Selectable<SlaPoliciesTable>;
export type ClockRow = Selectable<SlaClocksTable>;

const json = (v: unknown) => JSON.stringify(v);

/** All SQL of the SLA capability. */
export const slaRepository = {
  // ---- calendars ----

  listCalendars(db: Executor, after: { name: string; id: string } | undefined, limit: number) {
    let q = db.selectFrom("calendars").selectAll();
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(name)`, ">", after.name),
          eb.and([eb(sql`lower(name)`, "=", after.name), eb("id", ">", after.id)]),
        ]),
      );
    }
    return q
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .limit(limit + 1)
      .execute();
  },

  findCalendar(db: Executor, id: string) {
    return db.selectFrom("calendars").selectAll().where("id", "=", id).executeTakeFirst();
  },

  findCalendars(db: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as CalendarRow[]);
    return db.selectFrom("calendars").selectAll().where("id", "in", ids).execute();
  },

  insertCalendar(
    db: Executor,
    row: Omit<CalendarRow, "hours" | "holidays"> & { hours: unknown; holidays: unknown },
  ) {
    return db
      .insertInto("calendars")
      .values({ ...row, hours: json(row.hours), holidays: json(row.holidays) })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  updateCalendar(
    db: Executor,
    id: string,
    set: { name?: string; time_zone?: string; hours?: unknown; holidays?: unknown; updated_at: Date },
  ) {
    const { hours, holidays, ...rest } = set;
    return db
      .updateTable("calendars")
      .set({
        ...rest,
        ...(hours !== undefined ? { hours: json(hours) } : {}),
        ...(holidays !== undefined ? { holidays: json(holidays) } : {}),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
  },

  deleteCalendar(db: Executor, id: string) {
    return db.deleteFrom("calendars").where("id", "=", id).executeTakeFirst();
  },

  async policiesUsingCalendar(db: Executor, calendarId: string): Promise<string[]> {
    const rows = await db
      .selectFrom("sla_policies")
      .select("name")
      .where("calendar_id", "=", calendarId)
      .execute();
    return rows.map((r) => r.name);
  },

  // ---- policies ----

  /** Every policy in evaluation order (lowest position first, then oldest). */
  listPolicies(db: Executor, onlyActive = false) {
    let q = db.selectFrom("sla_policies").selectAll();
    if (onlyActive) q = q.where("active", "=", true);
    return q.orderBy("position").orderBy("id").execute();
  },

  findPolicy(db: Executor, id: string) {
    return db.selectFrom("sla_policies").selectAll().where("id", "=", id).executeTakeFirst();
  },

  insertPolicy(db: Executor, row: PolicyInsert) {
    const { applies_when, warning_actions, breach_actions, ...rest } = row;
    return db
      .insertInto("sla_policies")
      .values({
        ...rest,
        applies_when: json(applies_when),
        warning_actions: json(warning_actions),
        breach_actions: json(breach_actions),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  updatePolicy(db: Executor, id: string, set: Partial<PolicyInsert>) {
    return db
      .updateTable("sla_policies")
      .set(encodePolicy(set))
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
  },

  deletePolicy(db: Executor, id: string) {
    return db.deleteFrom("sla_policies").where("id", "=", id).executeTakeFirst();
  },

  // ---- a case's policy and clocks ----

  findCaseSla(db: Executor, caseId: string) {
    return db.selectFrom("case_slas").selectAll().where("case_id", "=", caseId).executeTakeFirst();
  },

  caseSlas(db: Executor, caseIds: string[]) {
    return db.selectFrom("case_slas").selectAll().where("case_id", "in", caseIds).execute();
  },

  async upsertCaseSla(
    db: Executor,
    row: { case_id: string; policy_id: string; policy_name: string; reason: string; evaluated_at: Date },
  ) {
    await db
      .insertInto("case_slas")
      .values(row)
      .onConflict((oc) =>
        oc.column("case_id").doUpdateSet({
          policy_id: row.policy_id,
          policy_name: row.policy_name,
          reason: row.reason,
          evaluated_at: row.evaluated_at,
        }),
      )
      .execute();
  },

  async deleteCaseSla(db: Executor, caseId: string) {
    await db.deleteFrom("case_slas").where("case_id", "=", caseId).execute();
  },

  /** The current (not superseded) clocks of cases, oldest first. */
  currentClocks(db: Executor, caseIds: string[]) {
    if (caseIds.length === 0) return Promise.resolve([] as ClockRow[]);
    return db
      .selectFrom("sla_clocks")
      .selectAll()
      .where("case_id", "in", caseIds)
      .where("superseded_at", "is", null)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
  },

  /** Every clock of a case, superseded ones included: the SLA history. */
  allClocks(db: Executor, caseId: string) {
    return db
      .selectFrom("sla_clocks")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
  },

  lockClocks(db: Executor, caseId: string) {
    return db
      .selectFrom("sla_clocks")
      .selectAll()
      .where("case_id", "=", caseId)
      .where("superseded_at", "is", null)
      .orderBy("created_at")
      .orderBy("id")
      .forUpdate()
      .execute();
  },

  lockClock(db: Executor, id: string) {
    return db.selectFrom("sla_clocks").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  insertClock(db: Executor, row: ClockRow) {
    return db.insertInto("sla_clocks").values(row).returningAll().executeTakeFirstOrThrow();
  },

  updateClock(db: Executor, id: string, set: Partial<Omit<ClockRow, "id" | "case_id">>) {
    return db
      .updateTable("sla_clocks")
      .set(set)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  // ---- facts about a case's surroundings ----

  async accountTier(db: Executor, accountId: string | null): Promise<"key" | "standard" | null> {
    if (!accountId) return null;
    const row = await db.selectFrom("accounts").select("tier").where("id", "=", accountId).executeTakeFirst();
    return row?.tier ?? null;
  },

  async teamLead(db: Executor, teamId: string | null): Promise<string | null> {
    if (!teamId) return null;
    const row = await db.selectFrom("teams").select("lead_id").where("id", "=", teamId).executeTakeFirst();
    return row?.lead_id ?? null;
  },

  async teamExists(db: Executor, teamId: string): Promise<boolean> {
    return (
      (await db.selectFrom("teams").select("id").where("id", "=", teamId).executeTakeFirst()) !== undefined
    );
  },

  // ---- reports ----

  /**
   * Finished clocks (met or breached) whose finishing instant lies in [from, to), grouped.
   * A clock met late counts as breached; durations are the business minutes measured.
   */
  async compliance(db: Executor, range: { from: Date; to: Date }, groupBy: ComplianceGroup[]) {
    const finishedAt = sql<Date>`coalesce(c.met_at, c.breached_at)`;
    const groupCols = groupBy.map((g) =>
      g === "kpi" ? sql.ref("c.kpi") : g === "team" ? sql.ref("k.team_id") : sql.ref("k.priority"),
    );
    const rows = await sql<{
      kpi: string | null;
      team_id: string | null;
      priority: string | null;
      total: number;
      met: number;
      median: number | null;
      p90: number | null;
      median_wall: number | null;
    }>`
      select
        ${groupBy.includes("kpi") ? sql`c.kpi` : sql`null`} as kpi,
        ${groupBy.includes("team") ? sql`k.team_id` : sql`null`} as team_id,
        ${groupBy.includes("priority") ? sql`k.priority` : sql`null`} as priority,
        count(*)::int as total,
        count(*) filter (where c.met_at is not null and c.met_at <= c.due_at and c.breached_at is null)::int as met,
        percentile_cont(0.5) within group (order by c.elapsed_business_minutes) as median,
        percentile_cont(0.9) within group (order by c.elapsed_business_minutes) as p90,
        percentile_cont(0.5) within group (order by c.elapsed_wall_seconds) as median_wall
      from sla_clocks c
      join cases k on k.id = c.case_id
      where c.superseded_at is null
        and c.status in ('met', 'breached')
        and ${finishedAt} >= ${range.from} and ${finishedAt} < ${range.to}
      ${groupCols.length > 0 ? sql`group by ${sql.join(groupCols)}` : sql``}
      order by 1, 2, 3
    `.execute(db);
    return rows.rows;
  },
};

export type ComplianceGroup = "kpi" | "team" | "priority";

export type PolicyInsert = Omit<PolicyRow, "applies_when" | "warning_actions" | "breach_actions"> & {
  applies_when: unknown;
  warning_actions: unknown;
  breach_actions: unknown;
};

function encodePolicy(row: Partial<PolicyInsert>) {
  const { applies_when, warning_actions, breach_actions, ...rest } = row;
  return {
    ...rest,
    ...(applies_when !== undefined ? { applies_when: json(applies_when) } : {}),
    ...(warning_actions !== undefined ? { warning_actions: json(warning_actions) } : {}),
    ...(breach_actions !== undefined ? { breach_actions: json(breach_actions) } : {}),
  };
}

export type { Kpi };
