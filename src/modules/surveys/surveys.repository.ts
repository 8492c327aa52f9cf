import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import "../users/users.tables.ts";
import type { SurveyType } from "./survey-stats.ts";
import type { SurveySettingsTable, SurveyStatus, SurveysTable } from "./surveys.tables.ts";
import "./surveys.tables.ts";

export type SurveyRow = Selectable<SurveysTable>;
export type SettingsRow = Selectable<SurveySettingsTable>;
export type SurveyView = SurveyRow & {
  contact_name: string | null;
  contact_email: string | null;
  account_name: string | null;
  case_number: number | null;
  case_subject: string | null;
};

export type SurveyFilter = {
  type?: SurveyType[] | undefined;
  status?: (SurveyStatus | "expired")[] | undefined;
  contactId?: string | undefined;
  accountId?: string | undefined;
  caseId?: string | undefined;
  now: Date;
};

function view(db: Executor) {
  return db
    .selectFrom("surveys as s")
    .leftJoin("contacts as ct", "ct.id", "s.contact_id")
    .leftJoin("accounts as ac", "ac.id", "s.account_id")
    .leftJoin("cases as c", "c.id", "s.case_id")
    .selectAll("s")
    .select([
      "ct.name as contact_name",
      "ct.email as contact_email",
      "ac.name as account_name",
      "c.number as case_number",
      "c.subject as case_subject",
    ]);
}

/** All SQL of the surveys capability. */
export const surveysRepository = {
  settings(db: Executor): Promise<SettingsRow> {
    return db.selectFrom("survey_settings").selectAll().where("id", "=", true).executeTakeFirstOrThrow();
  },

  updateSettings(trx: Trx, set: Updateable<SurveySettingsTable>): Promise<SettingsRow> {
    return trx
      .updateTable("survey_settings")
      .set(set)
      .where("id", "=", true)
      .returningAll()
      .executeTakeFirstOrThrow();
  },

  async upsertResolution(
    trx: Trx,
    row: {
      case_id: string;
      resolved_by_id: string | null;
      owner_id: string | null;
      team_id: string | null;
      resolved_at: Date;
    },
  ): Promise<void> {
    await trx
      .insertInto("case_resolutions")
      .values(row)
      .onConflict((oc) =>
        oc.column("case_id").doUpdateSet({
          resolved_by_id: row.resolved_by_id,
          owner_id: row.owner_id,
          team_id: row.team_id,
          resolved_at: row.resolved_at,
        }),
      )
      .execute();
  },

  findResolution(db: Executor, caseId: string) {
    return db.selectFrom("case_resolutions").selectAll().where("case_id", "=", caseId).executeTakeFirst();
  },

  /** The latest survey sent (not held back) to a contact or an account since an instant. */
  async sentSince(
    db: Executor,
    by: { contactId?: string; accountId?: string; type?: SurveyType },
    since: Date,
  ): Promise<SurveyRow | undefined> {
    let q = db
      .selectFrom("surveys")
      .selectAll()
      .where("status", "<>", "held_back")
      .where("sent_at", ">", since);
    if (by.contactId) q = q.where("contact_id", "=", by.contactId);
    if (by.accountId) q = q.where("account_id", "=", by.accountId);
    if (by.type) q = q.where("type", "=", by.type);
    return q.orderBy("sent_at", "desc").limit(1).executeTakeFirst();
  },

  async insert(trx: Trx, row: Insertable<SurveysTable>): Promise<void> {
    await trx.insertInto("surveys").values(row).execute();
  },

  lockByTokenHash(trx: Trx, hash: string): Promise<SurveyRow | undefined> {
    return trx
      .selectFrom("surveys")
      .selectAll()
      .where("token_hash", "=", hash)
      .forUpdate()
      .executeTakeFirst();
  },

  async update(trx: Trx, id: string, set: Updateable<SurveysTable>): Promise<void> {
    await trx.updateTable("surveys").set(set).where("id", "=", id).execute();
  },

  find(db: Executor, id: string): Promise<SurveyView | undefined> {
    return view(db).where("s.id", "=", id).executeTakeFirst() as Promise<SurveyView | undefined>;
  },

  list(
    db: Executor,
    f: SurveyFilter,
    after: { createdAt: string; id: string } | undefined,
    limit: number,
  ): Promise<SurveyView[]> {
    let q = view(db);
    if (f.type?.length) q = q.where("s.type", "in", f.type);
    if (f.contactId) q = q.where("s.contact_id", "=", f.contactId);
    if (f.accountId) q = q.where("s.account_id", "=", f.accountId);
    if (f.caseId) q = q.where("s.case_id", "=", f.caseId);
    if (f.status?.length) {
      const wanted = f.status;
      q = q.where((eb) =>
        eb.or([
          ...(wanted.includes("answered") ? [eb("s.status", "=", "answered")] : []),
          ...(wanted.includes("held_back") ? [eb("s.status", "=", "held_back")] : []),
          ...(wanted.includes("sent")
            ? [eb.and([eb("s.status", "=", "sent"), eb("s.expires_at", ">", f.now)])]
            : []),
          ...(wanted.includes("expired")
            ? [eb.and([eb("s.status", "=", "sent"), eb("s.expires_at", "<=", f.now)])]
            : []),
        ]),
      );
    }
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb("s.created_at", "<", new Date(after.createdAt)),
          eb.and([eb("s.created_at", "=", new Date(after.createdAt)), eb("s.id", "<", after.id)]),
        ]),
      );
    }
    return q
      .orderBy("s.created_at", "desc")
      .orderBy("s.id", "desc")
      .limit(limit + 1)
      .execute() as Promise<SurveyView[]>;
  },

  /** The contact with its account, for sending. */
  contact(db: Executor, contactId: string) {
    return db
      .selectFrom("contacts as ct")
      .innerJoin("accounts as ac", "ac.id", "ct.account_id")
      .select([
        "ct.id",
        "ct.name",
        "ct.email",
        "ct.account_id",
        "ac.name as account_name",
        "ac.owner_id as account_owner_id",
      ])
      .where("ct.id", "=", contactId)
      .executeTakeFirst();
  },

  /** Answered surveys in a range, with the names results are grouped by. */
  answered(db: Executor, range: { from: Date; to: Date }, filter: { teamId?: string; agentId?: string }) {
    let q = db
      .selectFrom("surveys as s")
      .leftJoin("teams as t", "t.id", "s.team_id")
      .leftJoin("users as u", "u.id", "s.resolved_by_id")
      .select([
        "s.type",
        "s.score",
        "s.answered_at",
        "s.team_id",
        "t.name as team_name",
        "s.resolved_by_id",
        "u.name as agent_name",
      ])
      .where("s.status", "=", "answered")
      .where("s.answered_at", ">=", range.from)
      .where("s.answered_at", "<", range.to);
    if (filter.teamId) q = q.where("s.team_id", "=", filter.teamId);
    if (filter.agentId) q = q.where("s.resolved_by_id", "=", filter.agentId);
    return q.orderBy("s.answered_at").limit(200_000).execute();
  },

  /** Sent and held-back counts in a range (response rate). */
  async sentCounts(db: Executor, range: { from: Date; to: Date }) {
    return db
      .selectFrom("surveys")
      .select(["type", "status", sql<number>`count(*)::int`.as("count")])
      .where("created_at", ">=", range.from)
      .where("created_at", "<", range.to)
      .groupBy(["type", "status"])
      .execute();
  },

  /**
   * Contacts due a relationship (NPS) survey: with an email and at least one case, not sent an
   * NPS since `since`, and not held back from one in the last week (so a held-back contact is
   * retried weekly, not daily).
   */
  npsCandidates(db: Executor, since: Date, heldSince: Date, limit: number) {
    return db
      .selectFrom("contacts as ct")
      .select(["ct.id"])
      .where("ct.email", "<>", "")
      .where((eb) =>
        eb.exists(eb.selectFrom("cases as c").select("c.id").whereRef("c.contact_id", "=", "ct.id")),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("surveys as s")
              .select("s.id")
              .whereRef("s.contact_id", "=", "ct.id")
              .where("s.type", "=", "nps")
              .where((e) =>
                e.or([
                  e.and([e("s.status", "<>", "held_back"), e("s.sent_at", ">", since)]),
                  e.and([e("s.status", "=", "held_back"), e("s.created_at", ">", heldSince)]),
                ]),
              ),
          ),
        ),
      )
      .orderBy("ct.id")
      .limit(limit)
      .execute();
  },
};
