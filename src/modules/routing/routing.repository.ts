import { type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import "../users/users.tables.ts";
import type { Presence } from "../users/users.tables.ts";
import type {
  DecisionTrigger,
  QueueAssignmentTable,
  RoutingDecisionsTable,
  RoutingRulesTable,
  Strategy,
} from "./routing.tables.ts";
import "./routing.tables.ts";

export type RuleRow = Selectable<RoutingRulesTable>;
export type DecisionRow = Selectable<RoutingDecisionsTable>;
export type QueueAssignmentRow = Selectable<QueueAssignmentTable>;

export type RuleInsert = Omit<RuleRow, "conditions" | "actions"> & {
  conditions: Record<string, unknown>;
  actions: Record<string, unknown>;
};

/** An agent of a queue's pool (or of the load board) with the load they carry now. */
export type AgentLoadRow = {
  id: string;
  name: string;
  role: string;
  status: Presence;
  capacity: number;
  skills: string[];
  calendar_id: string | null;
  open_cases: number;
  load: number;
  paused_cases: number;
  team_ids: string[];
};

export type CaseFactsRow = {
  tier: "key" | "standard" | null;
  health_band: "healthy" | "watch" | "at_risk" | null;
  account_owner_id: string | null;
  language: string | null;
};

const json = (v: unknown) => JSON.stringify(v);

/** The statuses of a category, as an array computed once per statement (index-friendly). */
const OPEN = sql`array(select key from case_statuses where category = 'open')`;
const PAUSED = sql`array(select key from case_statuses where category = 'paused')`;
const UNRESOLVED = sql`array(select key from case_statuses where category <> 'resolved')`;

/** Case-working roles: who can own a case (sales cannot change cases). */
const WORKER_ROLES = ["admin", "manager", "agent"];

/** All SQL of routing and assignment. */
export const routingRepository = {
  // ---- rules ----

  listRules(db: Executor, activeOnly = false): Promise<RuleRow[]> {
    let q = db.selectFrom("routing_rules").selectAll();
    if (activeOnly) q = q.where("active", "=", true);
    return q.orderBy("position").orderBy("id").execute();
  },

  findRule(db: Executor, id: string): Promise<RuleRow | undefined> {
    return db.selectFrom("routing_rules").selectAll().where("id", "=", id).executeTakeFirst();
  },

  insertRule(db: Executor, row: RuleInsert): Promise<RuleRow> {
    return db
      .insertInto("routing_rules")
      .values({ ...row, conditions: json(row.conditions), actions: json(row.actions) })
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  updateRule(db: Executor, id: string, set: Partial<RuleInsert>): Promise<RuleRow | undefined> {
    const { conditions, actions, ...rest } = set;
    return db
      .updateTable("routing_rules")
      .set({
        ...rest,
        ...(conditions !== undefined ? { conditions: json(conditions) } : {}),
        ...(actions !== undefined ? { actions: json(actions) } : {}),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
  },

  async deleteRule(db: Executor, id: string): Promise<boolean> {
    const r = await db.deleteFrom("routing_rules").where("id", "=", id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  async bumpRulesVersion(db: Executor): Promise<void> {
    await db
      .updateTable("routing_rules_version")
      .set((eb) => ({ version: eb("version", "+", 1) }))
      .execute();
  },

  // ---- what rules look at ----

  /** The account's and contact's facts and the rules' version, in one round trip. */
  async decisionFacts(
    db: Executor,
    accountId: string | null,
    contactId: string | null,
  ): Promise<CaseFactsRow & { rules_version: number }> {
    const r = await sql<CaseFactsRow & { rules_version: string | number }>`
      select a.tier, a.health_band, a.owner_id as account_owner_id, ct.language,
             (select version from routing_rules_version) as rules_version
      from (select 1) as one
      left join accounts a on a.id = ${accountId}::uuid
      left join contacts ct on ct.id = ${contactId}::uuid`.execute(db);
    const row = r.rows[0]!;
    return { ...row, rules_version: Number(row.rules_version ?? 0) };
  },

  /** Names of teams, queues and users (and whether users are active), in one round trip. */
  async names(
    db: Executor,
    ids: { teams: string[]; queues: string[]; users: string[] },
  ): Promise<
    {
      kind: "team" | "queue" | "user";
      id: string;
      name: string;
      team_id: string | null;
      active: boolean;
      strategy: Strategy | null;
    }[]
  > {
    if (ids.teams.length + ids.queues.length + ids.users.length === 0) return [];
    const r = await sql<{
      kind: "team" | "queue" | "user";
      id: string;
      name: string;
      team_id: string | null;
      active: boolean;
      strategy: Strategy | null;
    }>`
      select 'team' as kind, id, name, null::uuid as team_id, true as active, null::text as strategy
      from teams where id = any(${ids.teams}::uuid[])
      union all
      select 'queue', q.id, q.name, q.team_id, true, a.strategy
      from queues q left join queue_assignment a on a.queue_id = q.id where q.id = any(${ids.queues}::uuid[])
      union all
      select 'user', id, name, null, active, null from users where id = any(${ids.users}::uuid[])`.execute(
      db,
    );
    return r.rows;
  },

  /** A queue's team and how it assigns (strategy null: manual). */
  async routedQueue(
    db: Executor,
    queueId: string,
  ): Promise<{ team_id: string | null; strategy: Strategy | null; last_user_id: string | null } | undefined> {
    return db
      .selectFrom("queues as q")
      .leftJoin("queue_assignment as a", "a.queue_id", "q.id")
      .select(["q.team_id", "a.strategy", "a.last_user_id"])
      .where("q.id", "=", queueId)
      .executeTakeFirst();
  },

  async caseFacts(db: Executor, accountId: string | null, contactId: string | null): Promise<CaseFactsRow> {
    const account = accountId
      ? await db
          .selectFrom("accounts")
          .select(["tier", "health_band", "owner_id"])
          .where("id", "=", accountId)
          .executeTakeFirst()
      : undefined;
    const contact = contactId
      ? await db.selectFrom("contacts").select("language").where("id", "=", contactId).executeTakeFirst()
      : undefined;
    return {
      tier: account?.tier ?? null,
      health_band: account?.health_band ?? null,
      account_owner_id: account?.owner_id ?? null,
      language: contact?.language ?? null,
    };
  },

  teams(db: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom("teams").select(["id", "name"]).where("id", "in", ids).execute();
  },

  queues(db: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom("queues").select(["id", "name", "team_id"]).where("id", "in", ids).execute();
  },

  users(db: Executor, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom("users").select(["id", "name", "active"]).where("id", "in", ids).execute();
  },

  async existing(db: Executor, table: "teams" | "queues" | "users" | "calendars", ids: string[]) {
    if (ids.length === 0) return new Set<string>();
    const rows = await db.selectFrom(table).select("id").where("id", "in", ids).execute();
    return new Set(rows.map((r) => r.id));
  },

  async exists(db: Executor, table: "accounts" | "contacts", id: string): Promise<boolean> {
    return (await db.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
  },

  // ---- decisions ----

  async insertDecision(
    db: Executor,
    row: {
      id: string;
      case_id: string;
      at: Date;
      trigger: DecisionTrigger;
      rule_id: string | null;
      rule_ids: string[];
      rules_explanation: string;
      assignment_explanation: string | null;
      actor_id: string | null;
    },
  ): Promise<void> {
    await db.insertInto("routing_decisions").values(row).execute();
  },

  /** The newest decision of each case. */
  latestDecisions(db: Executor, caseIds: string[]): Promise<DecisionRow[]> {
    if (caseIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("routing_decisions")
      .selectAll()
      .distinctOn("case_id")
      .where("case_id", "in", caseIds)
      .orderBy("case_id")
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .execute();
  },

  decisionsOf(db: Executor, caseId: string): Promise<DecisionRow[]> {
    return db
      .selectFrom("routing_decisions")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(100)
      .execute();
  },

  // ---- queue settings and schedules ----

  findAssignment(db: Executor, queueId: string): Promise<QueueAssignmentRow | undefined> {
    return db.selectFrom("queue_assignment").selectAll().where("queue_id", "=", queueId).executeTakeFirst();
  },

  async upsertAssignment(db: Executor, queueId: string, strategy: Strategy, at: Date): Promise<void> {
    await db
      .insertInto("queue_assignment")
      .values({ queue_id: queueId, strategy, last_user_id: null, updated_at: at })
      .onConflict((oc) => oc.column("queue_id").doUpdateSet({ strategy, updated_at: at }))
      .execute();
  },

  async setLastUser(db: Executor, queueId: string, userId: string): Promise<void> {
    await db
      .updateTable("queue_assignment")
      .set({ last_user_id: userId })
      .where("queue_id", "=", queueId)
      .execute();
  },

  /** Every queue with its strategy and how many open cases wait in it without an owner. */
  queueSummaries(db: Executor) {
    return sql<{
      id: string;
      name: string;
      team_id: string | null;
      strategy: Strategy | null;
      updated_at: Date | null;
      waiting: number;
      oldest_waiting_at: Date | null;
    }>`
      select q.id, q.name, q.team_id, a.strategy, a.updated_at,
             coalesce(w.n, 0)::int as waiting, w.oldest as oldest_waiting_at
      from queues q
      left join queue_assignment a on a.queue_id = q.id
      left join lateral (
        select count(*)::int as n, min(c.received_at) as oldest from cases c
        where c.queue_id = q.id and c.owner_id is null and c.merged_into_id is null
          and c.status = any(${OPEN})
      ) w on true
      order by lower(q.name), q.id`
      .execute(db)
      .then((r) => r.rows);
  },

  /** Queues (not assigned by hand) whose team is one of these. */
  async routedQueuesOfTeams(db: Executor, teamIds: string[]): Promise<string[]> {
    if (teamIds.length === 0) return [];
    const rows = await db
      .selectFrom("queues as q")
      .innerJoin("queue_assignment as a", "a.queue_id", "q.id")
      .select("q.id")
      .where("q.team_id", "in", teamIds)
      .where("a.strategy", "<>", "manual")
      .execute();
    return rows.map((r) => r.id);
  },

  async teamsOfUser(db: Executor, userId: string): Promise<string[]> {
    const rows = await db
      .selectFrom("team_members")
      .select("team_id")
      .where("user_id", "=", userId)
      .execute();
    return rows.map((r) => r.team_id);
  },

  findSchedule(db: Executor, userId: string) {
    return db.selectFrom("agent_schedules").selectAll().where("user_id", "=", userId).executeTakeFirst();
  },

  async setSchedule(db: Executor, userId: string, calendarId: string | null, at: Date): Promise<void> {
    if (calendarId === null) {
      await db.deleteFrom("agent_schedules").where("user_id", "=", userId).execute();
      return;
    }
    await db
      .insertInto("agent_schedules")
      .values({ user_id: userId, calendar_id: calendarId, updated_at: at })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ calendar_id: calendarId, updated_at: at }))
      .execute();
  },

  // ---- load ----

  /**
   * Serialises assignment: transaction-scoped advisory locks on the queues and on every agent
   * who might get a case, taken in one global order (by key) so two transactions never wait
   * for each other in a circle. Held until commit, so the next one counts this one's cases.
   */
  async lockPools(db: Executor, queueIds: string[], teamIds: string[]): Promise<void> {
    await sql`
      select pg_advisory_xact_lock(k)::text as locked from (
        select distinct k from (
          select hashtextextended('kd.routing.queue:' || q, 0) as k from unnest(${queueIds}::text[]) as q
          union all
          select hashtextextended('kd.routing.agent:' || tm.user_id::text, 0)
          from team_members tm where tm.team_id = any(${teamIds}::uuid[])
        ) keys order by k
      ) ordered`.execute(db);
  },

  async lock(db: Executor, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await sql`
      select pg_advisory_xact_lock(k)::text as locked from (
        select distinct hashtextextended(n, 0) as k from unnest(${[...new Set(names)]}::text[]) as n order by k
      ) ordered`.execute(db);
  },

  /**
   * Case workers with their load: open cases they own (statuses of category open; cases
   * waiting on the customer or on hold do not count) and the same weighted by priority.
   * `teamId` narrows to a team's members (a queue's pool); ordered by id.
   */
  async agentLoads(
    db: Executor,
    filter: { teamId?: string | undefined; userIds?: string[] | undefined } = {},
  ): Promise<AgentLoadRow[]> {
    const team = filter.teamId
      ? sql`and exists (select 1 from team_members tm where tm.user_id = u.id and tm.team_id = ${filter.teamId})`
      : sql``;
    const users = filter.userIds ? sql`and u.id = any(${filter.userIds}::uuid[])` : sql``;
    const r = await sql<AgentLoadRow>`
      select u.id, u.name, u.role, u.status, u.capacity, u.skills, s.calendar_id,
             coalesce(l.open_cases, 0)::int as open_cases, coalesce(l.load, 0)::int as load,
             coalesce(l.paused_cases, 0)::int as paused_cases,
             coalesce((select array_agg(tm.team_id::text order by tm.team_id) from team_members tm
                       where tm.user_id = u.id), '{}') as team_ids
      from users u
      left join agent_schedules s on s.user_id = u.id
      left join lateral (
        select count(*) filter (where c.status = any(${OPEN}))::int as open_cases,
               coalesce(sum(c.priority_rank) filter (where c.status = any(${OPEN})), 0)::int as load,
               count(*) filter (where c.status = any(${PAUSED}))::int as paused_cases
        from cases c
        where c.owner_id = u.id and c.merged_into_id is null and c.status = any(${UNRESOLVED})
      ) l on true
      where u.active and u.role = any(${WORKER_ROLES}::text[]) ${team} ${users}
      order by u.id`.execute(db);
    return r.rows;
  },

  /**
   * A queue's pool after its locks are held: the team's case workers with their open cases and
   * load (as `agentLoads`), and the queue's strategy and round-robin place as they stand now.
   */
  async pool(
    db: Executor,
    queueId: string,
    teamId: string,
  ): Promise<{
    agents: Pick<
      AgentLoadRow,
      "id" | "name" | "status" | "capacity" | "skills" | "calendar_id" | "open_cases" | "load"
    >[];
    strategy: Strategy | null;
    lastUserId: string | null;
  }> {
    const r = await sql<
      Pick<
        AgentLoadRow,
        "id" | "name" | "status" | "capacity" | "skills" | "calendar_id" | "open_cases" | "load"
      > & {
        strategy: Strategy | null;
        last_user_id: string | null;
      }
    >`
      with members as (
        select u.id, u.name, u.status, u.capacity, u.skills
        from team_members tm join users u on u.id = tm.user_id
        where tm.team_id = ${teamId} and u.active and u.role = any(${WORKER_ROLES}::text[])
      ), loads as (
        select c.owner_id, count(*)::int as open_cases, sum(c.priority_rank)::int as load
        from cases c
        where c.owner_id in (select id from members) and c.merged_into_id is null and c.status = any(${OPEN})
        group by c.owner_id
      )
      select m.id, m.name, m.status, m.capacity, m.skills, s.calendar_id,
             coalesce(l.open_cases, 0) as open_cases, coalesce(l.load, 0) as load,
             a.strategy, a.last_user_id
      from (select ${queueId}::uuid as queue_id) q
      left join queue_assignment a on a.queue_id = q.queue_id
      left join members m on true
      left join agent_schedules s on s.user_id = m.id
      left join loads l on l.owner_id = m.id
      order by m.id`.execute(db);
    const first = r.rows[0];
    return {
      agents: r.rows.filter((x) => x.id !== null),
      strategy: first?.strategy ?? null,
      lastUserId: first?.last_user_id ?? null,
    };
  },

  /** Open cases waiting in a queue for an owner, most urgent and oldest first; locked, skipping locked ones. */
  async lockWaitingCases(db: Executor, queueId: string, limit: number): Promise<string[]> {
    const r = await sql<{ id: string }>`
      select id from cases
      where queue_id = ${queueId} and owner_id is null and merged_into_id is null
        and status = any(${OPEN})
      order by priority_rank desc, received_at, id
      limit ${limit}
      for update skip locked`.execute(db);
    return r.rows.map((x) => x.id);
  },

  /** A user's cases nobody has started yet (status new) that sit in a queue. */
  async unstartedCases(db: Executor, userId: string): Promise<string[]> {
    const rows = await db
      .selectFrom("cases")
      .select("id")
      .where("owner_id", "=", userId)
      .where("status", "=", "new")
      .where("queue_id", "is not", null)
      .where("merged_into_id", "is", null)
      .orderBy("received_at")
      .execute();
    return rows.map((r) => r.id);
  },
};
