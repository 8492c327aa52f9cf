import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../feedback/feedback.tables.ts";
import "../users/users.tables.ts";
import type {
  CouncilActionItemsTable,
  CouncilAgendaItemsTable,
  CouncilMeetingsTable,
  CouncilsTable,
} from "./councils.tables.ts";
import "./councils.tables.ts";

export type CouncilRow = Selectable<CouncilsTable>;
export type MeetingRow = Selectable<CouncilMeetingsTable>;

/** All SQL of the Customer Council. */
export const councilsRepository = {
  list(db: Executor) {
    return db
      .selectFrom("councils as c")
      .selectAll("c")
      .select(
        sql<number>`(select count(*)::int from council_members m where m.council_id = c.id)`.as(
          "member_count",
        ),
      )
      .orderBy("c.name")
      .execute();
  },
  find(db: Executor, id: string) {
    return db.selectFrom("councils").selectAll().where("id", "=", id).executeTakeFirst();
  },
  lock(trx: Trx, id: string) {
    return trx.selectFrom("councils").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },
  async insert(trx: Trx, row: Insertable<CouncilsTable>) {
    await trx.insertInto("councils").values(row).execute();
  },
  async update(trx: Trx, id: string, set: Updateable<CouncilsTable>) {
    await trx.updateTable("councils").set(set).where("id", "=", id).execute();
  },
  async delete(trx: Trx, id: string) {
    await trx.deleteFrom("councils").where("id", "=", id).execute();
  },

  members(db: Executor, councilId: string) {
    return db
      .selectFrom("council_members as m")
      .innerJoin("contacts as ct", "ct.id", "m.contact_id")
      .innerJoin("accounts as a", "a.id", "ct.account_id")
      .select([
        "ct.id as contact_id",
        "ct.name as contact_name",
        "ct.email",
        "a.id as account_id",
        "a.name as account_name",
        sql<number>`a.annual_revenue::float8`.as("annual_revenue"),
        "a.tier",
        "m.added_at",
      ])
      .where("m.council_id", "=", councilId)
      .orderBy("a.annual_revenue", "desc")
      .orderBy("ct.name")
      .execute();
  },
  async addMember(trx: Trx, councilId: string, contactId: string, at: Date): Promise<boolean> {
    const r = await trx
      .insertInto("council_members")
      .values({ council_id: councilId, contact_id: contactId, added_at: at })
      .onConflict((oc) => oc.columns(["council_id", "contact_id"]).doNothing())
      .returning("contact_id")
      .executeTakeFirst();
    return r !== undefined;
  },
  async removeMember(trx: Trx, councilId: string, contactId: string): Promise<boolean> {
    const r = await trx
      .deleteFrom("council_members")
      .where("council_id", "=", councilId)
      .where("contact_id", "=", contactId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
  isMember(db: Executor, councilId: string, contactId: string) {
    return db
      .selectFrom("council_members")
      .select("contact_id")
      .where("council_id", "=", councilId)
      .where("contact_id", "=", contactId)
      .executeTakeFirst();
  },

  /**
   * One contact per account not yet on the council (the first by name), key accounts first,
   * then by revenue: a council spans customers rather than filling up with one of them.
   */
  async suggestions(db: Executor, councilId: string, limit: number) {
    const result = await sql<{
      contact_id: string;
      contact_name: string;
      email: string;
      account_id: string;
      account_name: string;
      annual_revenue: number;
      tier: string;
    }>`
      select contact_id, contact_name, email, account_id, account_name, annual_revenue, tier
      from (
        select ct.id as contact_id, ct.name as contact_name, ct.email, a.id as account_id,
               a.name as account_name, a.annual_revenue::float8 as annual_revenue, a.tier,
               row_number() over (partition by a.id order by ct.name, ct.id) as rn
        from contacts ct
        join accounts a on a.id = ct.account_id
        where not exists (
          select 1 from council_members m
          join contacts mc on mc.id = m.contact_id
          where m.council_id = ${councilId} and mc.account_id = a.id
        )
      ) s
      where rn = 1
      order by case when tier = 'key' then 0 else 1 end, annual_revenue desc, contact_name
      limit ${limit}`.execute(db);
    return result.rows;
  },

  contact(db: Executor, id: string) {
    return db
      .selectFrom("contacts")
      .select(["id", "account_id", "name", "email"])
      .where("id", "=", id)
      .executeTakeFirst();
  },

  meetings(db: Executor, councilId: string) {
    return db
      .selectFrom("council_meetings")
      .selectAll()
      .where("council_id", "=", councilId)
      .orderBy("starts_at")
      .execute();
  },
  meeting(db: Executor, id: string) {
    return db.selectFrom("council_meetings").selectAll().where("id", "=", id).executeTakeFirst();
  },
  lockMeeting(trx: Trx, id: string) {
    return trx.selectFrom("council_meetings").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },
  meetingAt(db: Executor, councilId: string, startsAt: Date) {
    return db
      .selectFrom("council_meetings")
      .selectAll()
      .where("council_id", "=", councilId)
      .where("starts_at", "=", startsAt)
      .executeTakeFirst();
  },
  async insertMeeting(trx: Trx, row: Insertable<CouncilMeetingsTable>) {
    await trx.insertInto("council_meetings").values(row).execute();
  },
  async updateMeeting(trx: Trx, id: string, set: Updateable<CouncilMeetingsTable>) {
    await trx.updateTable("council_meetings").set(set).where("id", "=", id).execute();
  },

  agenda(db: Executor, meetingId: string) {
    return db
      .selectFrom("council_agenda_items as g")
      .leftJoin("feedback_items as f", "f.id", "g.feedback_item_id")
      .selectAll("g")
      .select(["f.status as feedback_status", "f.kind as feedback_kind"])
      .where("g.meeting_id", "=", meetingId)
      .orderBy("g.position")
      .execute();
  },
  async insertAgendaItem(trx: Trx, row: Omit<Insertable<CouncilAgendaItemsTable>, "position">) {
    await trx
      .insertInto("council_agenda_items")
      .values({
        ...row,
        position: sql<number>`(select coalesce(max(position), 0) + 1 from council_agenda_items where meeting_id = ${row.meeting_id})`,
      })
      .execute();
  },
  actions(db: Executor, meetingId: string) {
    return db
      .selectFrom("council_action_items")
      .selectAll()
      .where("meeting_id", "=", meetingId)
      .orderBy("created_at")
      .execute();
  },
  async insertAction(trx: Trx, row: Insertable<CouncilActionItemsTable>) {
    await trx.insertInto("council_action_items").values(row).execute();
  },
  attendance(db: Executor, meetingId: string) {
    return db.selectFrom("council_attendance").selectAll().where("meeting_id", "=", meetingId).execute();
  },
  async upsertAttendance(
    trx: Trx,
    row: { meeting_id: string; contact_id: string; attended: boolean; recorded_at: Date },
  ) {
    await trx
      .insertInto("council_attendance")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["meeting_id", "contact_id"])
          .doUpdateSet({ attended: row.attended, recorded_at: row.recorded_at }),
      )
      .execute();
  },
  ownerOf(db: Executor, userId: string) {
    return db.selectFrom("users").select(["id", "name", "email"]).where("id", "=", userId).executeTakeFirst();
  },
};
