import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import { type StoredEvent, toStoredEvent } from "../../platform/events/event-bus.ts";
import type {
  AccountHealthTable,
  ChurnRecordsTable,
  HealthEntriesTable,
  HealthPlaysTable,
  PlayOutcome,
  PlayReason,
} from "./health.tables.ts";
import type { Band, HealthConfig } from "./health-score.ts";
import "./health.tables.ts";
import "../../platform/events/events.tables.ts";
import "../accounts/accounts.tables.ts";

export type EntryRow = Selectable<HealthEntriesTable>;
export type StateRow = AccountHealthTable;
export type PlayRow = Selectable<HealthPlaysTable>;
export type ChurnRow = Selectable<ChurnRecordsTable>;

const CHUNK = 2000;

/** All SQL of the health capability. Reports read accounts and cases as read models (no writes). */
export const healthRepository = {
  // ---- settings ----
  async config(db: Executor): Promise<Partial<HealthConfig> | null> {
    const row = await db.selectFrom("health_settings").select("config").executeTakeFirst();
    return (row?.config as Partial<HealthConfig> | undefined) ?? null;
  },

  async saveConfig(db: Executor, config: HealthConfig, by: string | null, now: Date): Promise<void> {
    await db
      .insertInto("health_settings")
      .values({ id: true, config: JSON.stringify(config), updated_at: now, updated_by: by })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet({ config: JSON.stringify(config), updated_at: now, updated_by: by }),
      )
      .execute();
  },

  // ---- ledger ----
  async hasEntry(db: Executor, eventId: string): Promise<boolean> {
    const row = await db
      .selectFrom("health_entries")
      .select("id")
      .where("source_event_id", "=", eventId)
      .executeTakeFirst();
    return row !== undefined;
  },

  /**
   * Serialises ledger writes per account (an account's first entry has no state row to lock yet,
   * and two workers must not both start its balance from nothing).
   */
  async lockAccount(db: Executor, accountId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`kd.health:${accountId}`}, 0))`.execute(db);
  },

  async lockState(db: Executor, accountId: string): Promise<StateRow | undefined> {
    return db
      .selectFrom("account_health")
      .selectAll()
      .where("account_id", "=", accountId)
      .forUpdate()
      .executeTakeFirst();
  },

  async state(db: Executor, accountId: string): Promise<StateRow | undefined> {
    return db.selectFrom("account_health").selectAll().where("account_id", "=", accountId).executeTakeFirst();
  },

  async upsertState(db: Executor, row: StateRow): Promise<void> {
    const { account_id: _, ...set } = row;
    await db
      .insertInto("account_health")
      .values(row)
      .onConflict((oc) => oc.column("account_id").doUpdateSet(set))
      .execute();
  },

  /** False when the event already has its entry (a replayed delivery). */
  async insertEntry(db: Executor, row: Insertable<HealthEntriesTable>): Promise<boolean> {
    const r = await db
      .insertInto("health_entries")
      .values(row)
      .onConflict((oc) => oc.column("source_event_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    return r !== undefined;
  },

  async ordinalOf(db: Executor, caseId: string): Promise<number | null> {
    const r = await db
      .selectFrom("health_case_ordinals")
      .select("ordinal")
      .where("case_id", "=", caseId)
      .executeTakeFirst();
    return r?.ordinal ?? null;
  },

  /** The account's next case ordinal (called under the account's state lock, so no two race). */
  async assignOrdinal(db: Executor, caseId: string, accountId: string): Promise<number> {
    const existing = await this.ordinalOf(db, caseId);
    if (existing !== null) return existing;
    const r = await db
      .selectFrom("health_case_ordinals")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow();
    const ordinal = Number(r.n) + 1;
    await db
      .insertInto("health_case_ordinals")
      .values({ case_id: caseId, account_id: accountId, ordinal })
      .execute();
    return ordinal;
  },

  /** The highest score an account had just before any entry since `since` (drop detection). */
  async peakSince(db: Executor, accountId: string, since: Date): Promise<number | null> {
    const r = await db
      .selectFrom("health_entries")
      .select((eb) => eb.fn.max("score_before").as("peak"))
      .where("account_id", "=", accountId)
      .where("at", ">", since)
      .executeTakeFirst();
    return r?.peak ?? null;
  },

  async entries(
    db: Executor,
    accountId: string,
    options: { limit: number; before?: { at: Date; seq: number } | undefined },
  ): Promise<EntryRow[]> {
    let q = db
      .selectFrom("health_entries")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("at", "desc")
      .orderBy("source_seq", "desc")
      .limit(options.limit);
    const b = options.before;
    if (b)
      q = q.where((eb) =>
        eb.or([eb("at", "<", b.at), eb.and([eb("at", "=", b.at), eb("source_seq", "<", b.seq)])]),
      );
    return q.execute();
  },

  /** States not yet evaluated at midnight `m`: key accounts first, then by id (the daily tick). */
  async statesToTick(db: Executor, m: Date, afterId: string | null, limit: number) {
    let q = db
      .selectFrom("account_health as h")
      .innerJoin("accounts as a", "a.id", "h.account_id")
      .selectAll("h")
      .select("a.tier")
      .where("h.scored_at", "<", m)
      .orderBy("h.account_id")
      .limit(limit);
    if (afterId) q = q.where("h.account_id", ">", afterId);
    return q.execute();
  },

  async updateStates(db: Executor, rows: StateRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const c = rows.slice(i, i + CHUNK);
      await sql`update account_health h set score = u.score, band = u.band, scored_at = u.scored_at,
          band_since = u.band_since
        from unnest(${c.map((r) => r.account_id)}::uuid[], ${c.map((r) => r.score)}::int[],
          ${c.map((r) => r.band)}::text[], ${c.map((r) => r.scored_at.toISOString())}::timestamptz[],
          ${c.map((r) => r.band_since.toISOString())}::timestamptz[]) as u(account_id, score, band, scored_at, band_since)
        where h.account_id = u.account_id`.execute(db);
    }
  },

  // ---- rebuild ----
  async clearLedger(db: Executor): Promise<void> {
    await sql`delete from health_entries`.execute(db);
    await sql`delete from account_health`.execute(db);
    await sql`delete from health_case_ordinals`.execute(db);
  },

  async countLedgerEvents(db: Executor, types: readonly string[]): Promise<number> {
    const r = await db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("type", "in", [...types])
      .where("account_id", "is not", null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async ledgerEvents(
    db: Executor,
    types: readonly string[],
    afterSeq: number,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = await db
      .selectFrom("events")
      .selectAll()
      .where("seq", ">", afterSeq)
      .where("type", "in", [...types])
      .where("account_id", "is not", null)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map(toStoredEvent);
  },

  async accountStarts(
    db: Executor,
  ): Promise<{ id: string; customer_since: string | null; created_at: Date }[]> {
    return db.selectFrom("accounts").select(["id", "customer_since", "created_at"]).execute();
  },

  async insertEntries(db: Executor, rows: EntryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const c = rows.slice(i, i + CHUNK);
      await sql`insert into health_entries (id, account_id, source_event_id, source_seq, kind, case_id, at,
          base_weight, multiplier, weight, balance_after, score_before, score_after, detail)
        select * from unnest(${c.map((r) => r.id)}::uuid[], ${c.map((r) => r.account_id)}::uuid[],
          ${c.map((r) => r.source_event_id)}::uuid[], ${c.map((r) => r.source_seq)}::bigint[],
          ${c.map((r) => r.kind)}::text[], ${c.map((r) => r.case_id)}::uuid[],
          ${c.map((r) => r.at.toISOString())}::timestamptz[], ${c.map((r) => r.base_weight)}::float8[],
          ${c.map((r) => r.multiplier)}::float8[], ${c.map((r) => r.weight)}::float8[],
          ${c.map((r) => r.balance_after)}::float8[], ${c.map((r) => r.score_before)}::int[],
          ${c.map((r) => r.score_after)}::int[], ${c.map((r) => JSON.stringify(r.detail))}::jsonb[])`.execute(
        db,
      );
    }
  },

  async insertStates(db: Executor, rows: StateRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const c = rows.slice(i, i + CHUNK);
      await sql`insert into account_health (account_id, balance, balance_at, score, band, scored_at, band_since, entries)
        select * from unnest(${c.map((r) => r.account_id)}::uuid[], ${c.map((r) => r.balance)}::float8[],
          ${c.map((r) => r.balance_at.toISOString())}::timestamptz[], ${c.map((r) => r.score)}::int[],
          ${c.map((r) => r.band)}::text[], ${c.map((r) => r.scored_at.toISOString())}::timestamptz[],
          ${c.map((r) => r.band_since.toISOString())}::timestamptz[], ${c.map((r) => r.entries)}::int[])`.execute(
        db,
      );
    }
  },

  async insertOrdinals(db: Executor, rows: { case_id: string; account_id: string; ordinal: number }[]) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const c = rows.slice(i, i + CHUNK);
      await sql`insert into health_case_ordinals (case_id, account_id, ordinal)
        select * from unnest(${c.map((r) => r.case_id)}::uuid[], ${c.map((r) => r.account_id)}::uuid[],
          ${c.map((r) => r.ordinal)}::int[])`.execute(db);
    }
  },

  // ---- plays ----
  /** Inserts an open play unless one is open for this account and reason (edge-triggered). */
  async insertPlay(db: Executor, row: PlayRow): Promise<boolean> {
    const r = await sql<{
      id: string;
    }>`insert into health_plays (id, account_id, reason, status, outcome, key_account,
        score_at_start, trigger, task_ids, notes, started_at, started_by, ended_at, ended_by)
      values (${row.id}, ${row.account_id}, ${row.reason}, 'open', null, ${row.key_account}, ${row.score_at_start},
        ${JSON.stringify(row.trigger)}::jsonb, '[]'::jsonb, ${row.notes}, ${row.started_at}, ${row.started_by}, null, null)
      on conflict (account_id, reason) where status = 'open' do nothing
      returning id`.execute(db);
    return r.rows.length > 0;
  },

  async setPlayTasks(db: Executor, id: string, taskIds: string[]): Promise<void> {
    await db
      .updateTable("health_plays")
      .set({ task_ids: JSON.stringify(taskIds) })
      .where("id", "=", id)
      .execute();
  },

  async findPlay(db: Executor, id: string, lock = false): Promise<PlayRow | undefined> {
    let q = db.selectFrom("health_plays").selectAll().where("id", "=", id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  async openPlays(db: Executor, accountId: string): Promise<PlayRow[]> {
    return db
      .selectFrom("health_plays")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("status", "=", "open")
      .orderBy("started_at")
      .forUpdate()
      .execute();
  },

  async endPlay(
    db: Executor,
    id: string,
    set: { outcome: PlayOutcome; ended_at: Date; ended_by: string | null; notes?: string | null },
  ): Promise<void> {
    await db
      .updateTable("health_plays")
      .set({ status: "ended", ...set })
      .where("id", "=", id)
      .where("status", "=", "open")
      .execute();
  },

  async listPlays(
    db: Executor,
    q: { status?: "open" | "ended"; accountId?: string; reason?: PlayReason; limit: number; offset: number },
  ) {
    let s = db
      .selectFrom("health_plays as p")
      .innerJoin("accounts as a", "a.id", "p.account_id")
      .selectAll("p")
      .select(["a.name as account_name", "a.annual_revenue", "a.owner_id", "a.health_score", "a.health_band"])
      .orderBy("p.key_account", "desc")
      .orderBy("p.started_at", "desc")
      .orderBy("p.id")
      .limit(q.limit)
      .offset(q.offset);
    if (q.status) s = s.where("p.status", "=", q.status);
    if (q.accountId) s = s.where("p.account_id", "=", q.accountId);
    if (q.reason) s = s.where("p.reason", "=", q.reason);
    return s.execute();
  },

  async playReport(db: Executor, from: Date, to: Date) {
    return db
      .selectFrom("health_plays")
      .select(["reason", "status", "outcome"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("started_at", ">=", from)
      .where("started_at", "<", to)
      .groupBy(["reason", "status", "outcome"])
      .execute();
  },

  // ---- churn ----
  async lastDebits(db: Executor, accountId: string, limit: number): Promise<EntryRow[]> {
    return db
      .selectFrom("health_entries")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("weight", "<", 0)
      .orderBy("at", "desc")
      .orderBy("source_seq", "desc")
      .limit(limit)
      .execute();
  },

  async insertChurn(db: Executor, row: ChurnRow): Promise<boolean> {
    const r = await sql<{
      id: string;
    }>`insert into churn_records (id, account_id, lost_on, revenue_lost, reason,
        reason_group, notes, debits, created_at, created_by, won_back_at, won_back_by)
      values (${row.id}, ${row.account_id}, ${row.lost_on}, ${row.revenue_lost}, ${row.reason}, ${row.reason_group},
        ${row.notes}, ${JSON.stringify(row.debits)}::jsonb, ${row.created_at}, ${row.created_by}, null, null)
      on conflict (account_id) where won_back_at is null do nothing
      returning id`.execute(db);
    return r.rows.length > 0;
  },

  async findChurn(db: Executor, id: string, lock = false): Promise<ChurnRow | undefined> {
    let q = db.selectFrom("churn_records").selectAll().where("id", "=", id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  async openChurnFor(db: Executor, accountId: string): Promise<ChurnRow | undefined> {
    return db
      .selectFrom("churn_records")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("won_back_at", "is", null)
      .executeTakeFirst();
  },

  async wonBack(db: Executor, id: string, at: Date, by: string | null): Promise<void> {
    await db
      .updateTable("churn_records")
      .set({ won_back_at: at, won_back_by: by })
      .where("id", "=", id)
      .execute();
  },

  async listChurn(
    db: Executor,
    q: { accountId?: string; from?: string; to?: string; limit: number; offset: number },
  ) {
    let s = db
      .selectFrom("churn_records as c")
      .innerJoin("accounts as a", "a.id", "c.account_id")
      .selectAll("c")
      .select("a.name as account_name")
      .orderBy("c.lost_on", "desc")
      .orderBy("c.id")
      .limit(q.limit)
      .offset(q.offset);
    if (q.accountId) s = s.where("c.account_id", "=", q.accountId);
    if (q.from) s = s.where("c.lost_on", ">=", q.from);
    if (q.to) s = s.where("c.lost_on", "<", q.to);
    return s.execute();
  },

  async churnTotals(db: Executor, from: string, to: string, includeWonBack: boolean) {
    let s = db
      .selectFrom("churn_records")
      .select(["reason_group", "reason"])
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>("revenue_lost").as("revenue")])
      .where("lost_on", ">=", from)
      .where("lost_on", "<", to)
      .groupBy(["reason_group", "reason"]);
    if (!includeWonBack) s = s.where("won_back_at", "is", null);
    return s.execute();
  },

  // ---- read models over accounts (reports) ----
  async bandDistribution(db: Executor) {
    return db
      .selectFrom("accounts")
      .select(["health_band as band", "tier"])
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>("annual_revenue").as("revenue")])
      .groupBy(["health_band", "tier"])
      .execute();
  },

  async movedToAtRisk(db: Executor, since: Date) {
    return db
      .selectFrom("account_health as h")
      .innerJoin("accounts as a", "a.id", "h.account_id")
      .select(["a.id", "a.name", "a.tier", "a.annual_revenue", "h.score", "h.band_since"])
      .where("h.band", "=", "at_risk")
      .where("h.band_since", ">=", since)
      .orderBy("a.tier")
      .orderBy("a.annual_revenue", "desc")
      .limit(200)
      .execute();
  },

  async revenueCurve(db: Executor) {
    return db
      .selectFrom("accounts")
      .select(["id", "name", "annual_revenue", "tier", "health_score", "health_band"])
      .orderBy("annual_revenue", "desc")
      .orderBy("id")
      .execute();
  },

  /** Healthy accounts with no open case, no open play and no open churn record, by revenue. */
  async readyForOffer(db: Executor, minScore: number, limit: number) {
    return db
      .selectFrom("accounts as a")
      .select([
        "a.id",
        "a.name",
        "a.tier",
        "a.annual_revenue",
        "a.owner_id",
        "a.health_score",
        "a.health_band",
      ])
      .where("a.health_band", "=", "healthy")
      .where("a.health_score", ">=", minScore)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("cases as c")
              .innerJoin("case_statuses as s", "s.key", "c.status")
              .select(sql`1`.as("x"))
              .whereRef("c.account_id", "=", "a.id")
              .where("s.category", "in", ["open", "paused"])
              .where("c.merged_into_id", "is", null),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("health_plays as p")
              .select(sql`1`.as("x"))
              .whereRef("p.account_id", "=", "a.id")
              .where("p.status", "=", "open"),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("churn_records as r")
              .select(sql`1`.as("x"))
              .whereRef("r.account_id", "=", "a.id")
              .where("r.won_back_at", "is", null),
          ),
        ),
      )
      .orderBy(sql`a.tier = 'key'`, "desc")
      .orderBy("a.annual_revenue", "desc")
      .orderBy("a.id")
      .limit(limit)
      .execute();
  },
};

export type BandCount = { band: Band | null; tier: string; n: number; revenue: number | null };

/** Active service managers (who hear of a play), by name. */
export async function activeManagers(db: Executor): Promise<string[]> {
  const rows = await sql<{
    id: string;
  }>`select id from users where role = 'manager' and active order by name, id`.execute(db);
  return rows.rows.map((r) => r.id);
}
