import { type Expression, type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import { type Segment, segmentAccountIds } from "../segments/segments.ts";
import type {
  IncidentImpact,
  IncidentNoticesTable,
  IncidentStatus,
  IncidentsTable,
  IncidentUpdatesTable,
  StatusComponentsTable,
} from "./incidents.tables.ts";
import "./incidents.tables.ts";

export type ComponentRow = Selectable<StatusComponentsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type UpdateRow = Selectable<IncidentUpdatesTable>;
export type IncidentView = IncidentRow & { linked_case_count: number; contacts_notified: number };
export type UpdateView = UpdateRow & { notices_queued: number };
export type At = { today: string; now: Date };
/** A subquery of account ids (an incident's affected accounts, a notice's audience). */
export type AccountIdsQuery = Expression<unknown>;

/** The case statuses that count as open (not in a resolved-category status). */
const openStatuses = (db: Executor) =>
  db.selectFrom("case_statuses").select("key").where("category", "<>", "resolved");

function incidentView(db: Executor) {
  return db
    .selectFrom("incidents as i")
    .selectAll("i")
    .select([
      sql<number>`(select count(*)::int from incident_cases ic where ic.incident_id = i.id)`.as(
        "linked_case_count",
      ),
      sql<number>`(select count(distinct n.contact_id)::int from incident_notices n where n.incident_id = i.id)`.as(
        "contacts_notified",
      ),
    ]);
}

const escapeLike = (q: string) => q.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** All SQL of service incidents, status components, linked cases and notices. */
export const incidentsRepository = {
  // ---- components ----

  listComponents(db: Executor): Promise<ComponentRow[]> {
    return db
      .selectFrom("status_components")
      .selectAll()
      .where("archived_at", "is", null)
      .orderBy("position")
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .execute();
  },

  findComponent(db: Executor, id: string): Promise<ComponentRow | undefined> {
    return db
      .selectFrom("status_components")
      .selectAll()
      .where("id", "=", id)
      .where("archived_at", "is", null)
      .executeTakeFirst();
  },

  lockComponent(trx: Trx, id: string): Promise<ComponentRow | undefined> {
    return trx
      .selectFrom("status_components")
      .selectAll()
      .where("id", "=", id)
      .where("archived_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
  },

  async componentNameTaken(db: Executor, name: string, exceptId?: string): Promise<boolean> {
    let q = db
      .selectFrom("status_components")
      .select("id")
      .where("archived_at", "is", null)
      .where(sql<string>`lower(name)`, "=", name.toLowerCase());
    if (exceptId) q = q.where("id", "<>", exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  },

  async insertComponent(trx: Trx, row: Insertable<StatusComponentsTable>): Promise<void> {
    await trx.insertInto("status_components").values(row).execute();
  },

  async updateComponent(trx: Trx, id: string, set: Updateable<StatusComponentsTable>): Promise<void> {
    await trx.updateTable("status_components").set(set).where("id", "=", id).execute();
  },

  /** The ids among `ids` that name live (not archived) components. */
  async liveComponentIds(db: Executor, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom("status_components")
      .select("id")
      .where("id", "in", ids)
      .where("archived_at", "is", null)
      .execute();
    return new Set(rows.map((r) => r.id));
  },

  /** For each live component: the impacts of the open public incidents naming it. */
  openImpactsByComponent(db: Executor): Promise<{ component_id: string; impact: IncidentImpact }[]> {
    return db
      .selectFrom("incident_components as ic")
      .innerJoin("incidents as i", "i.id", "ic.incident_id")
      .select(["ic.component_id", "i.impact"])
      .where("i.resolved_at", "is", null)
      .where("i.public", "=", true)
      .execute();
  },

  // ---- incidents ----

  async insertIncident(trx: Trx, row: Insertable<IncidentsTable>): Promise<void> {
    await trx.insertInto("incidents").values(row).execute();
  },

  lockIncident(trx: Trx, id: string): Promise<IncidentRow | undefined> {
    return trx.selectFrom("incidents").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  findIncident(db: Executor, id: string): Promise<IncidentView | undefined> {
    return incidentView(db).where("i.id", "=", id).executeTakeFirst() as Promise<IncidentView | undefined>;
  },

  async updateIncident(trx: Trx, id: string, set: Updateable<IncidentsTable>): Promise<void> {
    await trx.updateTable("incidents").set(set).where("id", "=", id).execute();
  },

  listIncidents(
    db: Executor,
    filter: { state?: "open" | "resolved"; impact?: IncidentImpact[]; q?: string; number?: number },
    limit: number,
    offset: number,
  ): Promise<IncidentView[]> {
    let q = incidentView(db);
    if (filter.state === "open") q = q.where("i.resolved_at", "is", null);
    if (filter.state === "resolved") q = q.where("i.resolved_at", "is not", null);
    if (filter.impact?.length) q = q.where("i.impact", "in", filter.impact);
    if (filter.q) {
      const pattern = `%${escapeLike(filter.q)}%`;
      const number = filter.number;
      q = q.where((eb) =>
        eb.or([
          eb("i.title", "ilike", pattern),
          ...(number !== undefined ? [eb("i.number", "=", number)] : []),
        ]),
      );
    }
    return q
      .orderBy(sql`(i.resolved_at is null)`, "desc")
      .orderBy("i.started_at", "desc")
      .orderBy("i.id", "desc")
      .limit(limit + 1)
      .offset(offset)
      .execute() as Promise<IncidentView[]>;
  },

  /** Open incidents (optionally public only), newest started first. */
  openIncidents(db: Executor, options: { publicOnly: boolean }): Promise<IncidentRow[]> {
    let q = db.selectFrom("incidents").selectAll().where("resolved_at", "is", null);
    if (options.publicOnly) q = q.where("public", "=", true);
    return q.orderBy("started_at", "desc").orderBy("id", "desc").execute();
  },

  /** Public incidents resolved at or after `since`, latest resolved first. */
  recentlyResolved(db: Executor, since: Date): Promise<IncidentRow[]> {
    return db
      .selectFrom("incidents")
      .selectAll()
      .where("public", "=", true)
      .where("resolved_at", ">=", since)
      .orderBy("resolved_at", "desc")
      .orderBy("id", "desc")
      .limit(100)
      .execute();
  },

  async componentIdsOf(db: Executor, incidentIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (incidentIds.length === 0) return out;
    const rows = await db
      .selectFrom("incident_components as ic")
      .innerJoin("status_components as sc", "sc.id", "ic.component_id")
      .select(["ic.incident_id", "ic.component_id"])
      .where("ic.incident_id", "in", incidentIds)
      .where("sc.archived_at", "is", null)
      .orderBy("sc.position")
      .orderBy(sql`lower(sc.name)`)
      .execute();
    for (const r of rows) out.set(r.incident_id, [...(out.get(r.incident_id) ?? []), r.component_id]);
    return out;
  },

  async setComponents(trx: Trx, incidentId: string, componentIds: string[]): Promise<void> {
    await trx.deleteFrom("incident_components").where("incident_id", "=", incidentId).execute();
    if (componentIds.length > 0)
      await trx
        .insertInto("incident_components")
        .values(componentIds.map((component_id) => ({ incident_id: incidentId, component_id })))
        .execute();
  },

  // ---- updates ----

  async insertUpdate(trx: Trx, row: Insertable<IncidentUpdatesTable>): Promise<void> {
    await trx.insertInto("incident_updates").values(row).execute();
  },

  findUpdate(db: Executor, id: string): Promise<UpdateView | undefined> {
    return db
      .selectFrom("incident_updates as u")
      .selectAll("u")
      .select(
        sql<number>`(select count(*)::int from incident_notices n where n.update_id = u.id)`.as(
          "notices_queued",
        ),
      )
      .where("u.id", "=", id)
      .executeTakeFirst() as Promise<UpdateView | undefined>;
  },

  /** The updates of these incidents, newest first. */
  updatesOf(db: Executor, incidentIds: string[]): Promise<UpdateView[]> {
    if (incidentIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom("incident_updates as u")
      .selectAll("u")
      .select(
        sql<number>`(select count(*)::int from incident_notices n where n.update_id = u.id)`.as(
          "notices_queued",
        ),
      )
      .where("u.incident_id", "in", incidentIds)
      .orderBy("u.created_at", "desc")
      .orderBy("u.id", "desc")
      .execute() as Promise<UpdateView[]>;
  },

  /** The latest update that told customers (notify), if any. */
  latestNotifyingUpdate(db: Executor, incidentId: string): Promise<UpdateRow | undefined> {
    return db
      .selectFrom("incident_updates")
      .selectAll()
      .where("incident_id", "=", incidentId)
      .where("notify", "=", true)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .executeTakeFirst();
  },

  // ---- affected accounts ----

  /**
   * The accounts an incident affects, as a subquery of ids: its segment's accounts plus the
   * accounts of its linked cases (only the latter when `affects` is null).
   */
  affectedAccountIds(db: Executor, incident: { id: string; affects: Segment | null }, at: At) {
    return incidentsRepository.audienceAccountIds(db, incident.affects, incident.id, at);
  },

  /** Accounts in a segment (or none for null) plus those of an incident's linked cases. */
  audienceAccountIds(db: Executor, affects: Segment | null, incidentId: string | undefined, at: At) {
    const linked = db
      .selectFrom("incident_cases as ic")
      .innerJoin("cases as c", "c.id", "ic.case_id")
      .select(sql<string>`c.account_id`.as("id"))
      .where("ic.incident_id", "=", incidentId ?? "00000000-0000-0000-0000-000000000000")
      .where("c.account_id", "is not", null);
    if (!affects) return linked;
    return segmentAccountIds(db, affects, at)
      .clearSelect()
      .select(sql<string>`accounts.id`.as("id"))
      .union(linked);
  },

  async countAudience(
    db: Executor,
    accountIds: AccountIdsQuery,
  ): Promise<{ accounts: number; contacts: number }> {
    const row = await db
      .selectNoFrom([
        sql<number>`(select count(*)::int from accounts a where a.id in (${accountIds}))`.as("accounts"),
        sql<number>`(select count(*)::int from contacts ct where ct.email <> '' and ct.account_id in (${accountIds}))`.as(
          "contacts",
        ),
      ])
      .executeTakeFirstOrThrow();
    return { accounts: Number(row.accounts), contacts: Number(row.contacts) };
  },

  async countAffected(db: Executor, incident: { id: string; affects: Segment | null }, at: At) {
    const ids = incidentsRepository.affectedAccountIds(db, incident, at);
    const row = await db
      .selectNoFrom(sql<number>`(select count(*)::int from accounts a where a.id in (${ids}))`.as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  affectedAccounts(
    db: Executor,
    incident: { id: string; affects: Segment | null },
    at: At,
    limit: number,
    after: [string, string] | undefined,
  ) {
    const ids = incidentsRepository.affectedAccountIds(db, incident, at);
    let q = db
      .selectFrom("accounts as a")
      .select([
        "a.id",
        "a.name",
        "a.tier",
        sql<number>`(select count(distinct n.contact_id)::int from incident_notices n where n.incident_id = ${incident.id} and n.account_id = a.id)`.as(
          "contacts_notified",
        ),
        sql<number>`(select count(*)::int from incident_cases ic join cases c on c.id = ic.case_id where ic.incident_id = ${incident.id} and c.account_id = a.id)`.as(
          "linked_cases",
        ),
      ])
      .where(sql<boolean>`a.id in (${ids})`);
    if (after) q = q.where(sql<boolean>`(lower(a.name), a.id) > (${after[0]}, ${after[1]})`);
    return q
      .orderBy(sql`lower(a.name)`)
      .orderBy("a.id")
      .limit(limit + 1)
      .execute();
  },

  // ---- linked cases ----

  linkedCases(db: Executor, incidentId: string) {
    return db
      .selectFrom("incident_cases as ic")
      .innerJoin("cases as c", "c.id", "ic.case_id")
      .leftJoin("accounts as a", "a.id", "c.account_id")
      .leftJoin("contacts as ct", "ct.id", "c.contact_id")
      .select([
        "c.id as case_id",
        "c.number",
        "c.subject",
        "c.status",
        "c.priority",
        "c.account_id",
        "a.name as account_name",
        "c.contact_id",
        "ct.name as contact_name",
        "ic.linked_at",
        "ic.linked_by_id",
      ])
      .where("ic.incident_id", "=", incidentId)
      .orderBy("ic.linked_at", "desc")
      .orderBy("c.number", "desc")
      .execute();
  },

  /** The open incident other than `incidentId` the case is linked to, if any. */
  otherOpenIncidentOf(db: Executor, caseId: string, incidentId: string) {
    return db
      .selectFrom("incident_cases as ic")
      .innerJoin("incidents as i", "i.id", "ic.incident_id")
      .select(["i.id", "i.number", "i.title"])
      .where("ic.case_id", "=", caseId)
      .where("ic.incident_id", "<>", incidentId)
      .where("i.resolved_at", "is", null)
      .executeTakeFirst();
  },

  async insertLink(
    trx: Trx,
    row: { incident_id: string; case_id: string; linked_by_id: string | null; linked_at: Date },
  ): Promise<boolean> {
    const r = await trx
      .insertInto("incident_cases")
      .values(row)
      .onConflict((oc) => oc.columns(["incident_id", "case_id"]).doNothing())
      .returning("case_id")
      .executeTakeFirst();
    return r !== undefined;
  },

  async deleteLink(trx: Trx, incidentId: string, caseId: string): Promise<boolean> {
    const r = await trx
      .deleteFrom("incident_cases")
      .where("incident_id", "=", incidentId)
      .where("case_id", "=", caseId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  /**
   * Open cases from `since`, not linked to this incident nor to another open one, from the
   * given accounts (all when null); newest first.
   */
  suggestionCandidates(
    db: Executor,
    input: {
      incidentId: string;
      since: Date;
      accountIds: AccountIdsQuery | null;
      limit: number;
    },
  ) {
    let q = db
      .selectFrom("cases as c")
      .leftJoin("accounts as a", "a.id", "c.account_id")
      .leftJoin("contacts as ct", "ct.id", "c.contact_id")
      .select([
        "c.id as case_id",
        "c.number",
        "c.subject",
        "c.status",
        "c.priority",
        "c.product",
        "c.account_id",
        "a.name as account_name",
        "c.contact_id",
        "ct.name as contact_name",
        "c.created_at",
      ])
      .where("c.created_at", ">=", input.since)
      .where("c.merged_into_id", "is", null)
      .where("c.status", "in", openStatuses(db))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("incident_cases as ic")
              .innerJoin("incidents as i", "i.id", "ic.incident_id")
              .select("ic.case_id")
              .whereRef("ic.case_id", "=", "c.id")
              .where((eb) => eb.or([eb("i.id", "=", input.incidentId), eb("i.resolved_at", "is", null)])),
          ),
        ),
      );
    if (input.accountIds) q = q.where(sql<boolean>`c.account_id in (${input.accountIds})`);
    return q.orderBy("c.created_at", "desc").orderBy("c.id", "desc").limit(input.limit).execute();
  },

  /** Incidents a case is linked to (any state). */
  incidentsLinkedTo(db: Executor, caseId: string): Promise<IncidentRow[]> {
    return db
      .selectFrom("incidents as i")
      .innerJoin("incident_cases as ic", "ic.incident_id", "i.id")
      .selectAll("i")
      .where("ic.case_id", "=", caseId)
      .orderBy("i.started_at", "desc")
      .execute();
  },

  /** Open incidents with a linked case of this account. */
  openIncidentIdsLinkedToAccount(db: Executor, accountId: string) {
    return db
      .selectFrom("incident_cases as ic")
      .innerJoin("incidents as i", "i.id", "ic.incident_id")
      .innerJoin("cases as c", "c.id", "ic.case_id")
      .select("i.id")
      .distinct()
      .where("c.account_id", "=", accountId)
      .where("i.resolved_at", "is", null)
      .execute();
  },

  // ---- notices ----

  /** Open linked cases whose contact has not been told this update, oldest link first. */
  pendingCaseNotices(db: Executor, incidentId: string, updateId: string, limit: number) {
    return db
      .selectFrom("incident_cases as ic")
      .innerJoin("cases as c", "c.id", "ic.case_id")
      .innerJoin("contacts as ct", "ct.id", "c.contact_id")
      .select(["c.id as case_id", "ct.id as contact_id", "ct.account_id"])
      .where("ic.incident_id", "=", incidentId)
      .where("c.merged_into_id", "is", null)
      .where("c.status", "in", openStatuses(db))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("incident_notices as n")
              .select("n.id")
              .where("n.update_id", "=", updateId)
              .whereRef("n.contact_id", "=", "ct.id"),
          ),
        ),
      )
      .orderBy("ic.linked_at")
      .orderBy("c.id")
      .limit(limit)
      .execute();
  },

  /** Open linked cases (to resolve with an update), oldest link first. */
  openLinkedCaseIds(db: Executor, incidentId: string, limit: number) {
    return db
      .selectFrom("incident_cases as ic")
      .innerJoin("cases as c", "c.id", "ic.case_id")
      .select("c.id")
      .where("ic.incident_id", "=", incidentId)
      .where("c.merged_into_id", "is", null)
      .where("c.status", "in", openStatuses(db))
      .orderBy("ic.linked_at")
      .orderBy("c.id")
      .limit(limit)
      .execute();
  },

  /**
   * The next contacts (with an email) of affected accounts, in (account, contact) order after
   * `after` — a keyset cursor carried from batch to batch. Contacts already told (on a linked
   * case, or by an earlier run) come back too and are skipped by `insertNotice`: asking the
   * database for "not yet told" instead meant an anti-join that grew with every batch (on
   * Postgres, one 200-contact batch took 47 s at 100,000 contacts; bench/incident-notify.ts).
   */
  nextMailContacts(
    db: Executor,
    accountIds: AccountIdsQuery,
    after: { accountId: string; contactId: string } | null,
    limit: number,
  ) {
    let q = db
      .selectFrom("contacts as ct")
      .select(["ct.id", "ct.name", "ct.email", "ct.account_id"])
      .where("ct.email", "<>", "")
      .where(sql<boolean>`ct.account_id in (${accountIds})`);
    if (after) q = q.where(sql<boolean>`(ct.account_id, ct.id) > (${after.accountId}, ${after.contactId})`);
    return q.orderBy("ct.account_id").orderBy("ct.id").limit(limit).execute();
  },

  /** Records a notice; false when the contact was already told this update. */
  async insertNotice(trx: Trx, row: Insertable<IncidentNoticesTable>): Promise<boolean> {
    const r = await trx
      .insertInto("incident_notices")
      .values(row)
      .onConflict((oc) => oc.columns(["update_id", "contact_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    return r !== undefined;
  },

  /** Accounts with notices for the update that were not yet reported, with their contact counts. */
  unreportedAccounts(db: Executor, updateId: string) {
    return db
      .selectFrom("incident_notices as n")
      .select(["n.account_id", sql<number>`count(*)::int`.as("contacts")])
      .where("n.update_id", "=", updateId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("incident_notice_accounts as r")
              .select("r.account_id")
              .where("r.update_id", "=", updateId)
              .whereRef("r.account_id", "=", "n.account_id"),
          ),
        ),
      )
      .groupBy("n.account_id")
      .orderBy("n.account_id")
      .execute();
  },

  /** Accounts told about another update of the same incident (reported before this one). */
  async accountsToldBefore(db: Executor, incidentId: string, updateId: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom("incident_notice_accounts as r")
      .innerJoin("incident_updates as u", "u.id", "r.update_id")
      .select("r.account_id")
      .distinct()
      .where("u.incident_id", "=", incidentId)
      .where("r.update_id", "<>", updateId)
      .execute();
    return new Set(rows.map((r) => r.account_id));
  },

  /** Marks accounts reported told of an update; returns those not marked before. */
  async markAccountsReported(
    trx: Trx,
    updateId: string,
    accounts: { accountId: string; contacts: number }[],
    at: Date,
  ): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (let i = 0; i < accounts.length; i += 1_000) {
      const chunk = accounts.slice(i, i + 1_000);
      const rows = await trx
        .insertInto("incident_notice_accounts")
        .values(
          chunk.map((a) => ({
            update_id: updateId,
            account_id: a.accountId,
            contacts: a.contacts,
            created_at: at,
          })),
        )
        .onConflict((oc) => oc.columns(["update_id", "account_id"]).doNothing())
        .returning("account_id")
        .execute();
      for (const r of rows) fresh.add(r.account_id);
    }
    return fresh;
  },

  // ---- small lookups ----

  contact(db: Executor, id: string) {
    return db
      .selectFrom("contacts")
      .select(["id", "account_id", "name", "email"])
      .where("id", "=", id)
      .executeTakeFirst();
  },
};

export type { IncidentStatus };
