import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor, Trx } from "../../platform/db/database.ts";
import "../accounts/accounts.tables.ts";
import "../users/users.tables.ts";
import { type Segment, segmentAccountIds } from "../segments/segments.ts";
import type {
  AnnouncementStatus,
  AnnouncementsTable,
  ContactCommunicationPreferenceChangesTable,
  PreferenceSource,
  RecipientStatus,
} from "./announcements.tables.ts";
import "./announcements.tables.ts";

export type AnnouncementRow = Selectable<AnnouncementsTable>;
export type RecipientCounts = { total: number; pending: number; sent: number; optedOut: number };
export type At = { today: string; now: Date };

const NO_COUNTS: RecipientCounts = { total: 0, pending: 0, sent: 0, optedOut: 0 };

/** Contacts an announcement to this segment (and languages) would be written to, with their opt-out. */
function audienceQuery(db: Executor, segment: Segment, languages: string[] | null, at: At) {
  let q = db
    .selectFrom("contacts as ct")
    .leftJoin("contact_communication_preferences as p", "p.contact_id", "ct.id")
    .where("ct.account_id", "in", segmentAccountIds(db, segment, at))
    .where(sql<string>`btrim(ct.email)`, "<>", "");
  if (languages && languages.length > 0)
    q = q.where(
      sql<string>`lower(ct.language)`,
      "in",
      languages.map((l) => l.toLowerCase()),
    );
  return q;
}

/** All SQL of announcements, their recipients and contacts' communication preferences. */
export const announcementsRepository = {
  async insert(trx: Trx, row: Insertable<AnnouncementsTable>): Promise<void> {
    await trx.insertInto("announcements").values(row).execute();
  },

  async update(trx: Trx, id: string, set: Updateable<AnnouncementsTable>): Promise<void> {
    await trx.updateTable("announcements").set(set).where("id", "=", id).execute();
  },

  async delete(trx: Trx, id: string): Promise<void> {
    await trx.deleteFrom("announcements").where("id", "=", id).execute();
  },

  find(db: Executor, id: string): Promise<AnnouncementRow | undefined> {
    return db.selectFrom("announcements").selectAll().where("id", "=", id).executeTakeFirst();
  },

  lock(trx: Trx, id: string): Promise<AnnouncementRow | undefined> {
    return trx.selectFrom("announcements").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  /** Newest first, keyset-paged on (created_at, id). */
  list(
    db: Executor,
    filter: { status?: AnnouncementStatus[] },
    limit: number,
    after: { createdAt: Date; id: string } | undefined,
  ): Promise<AnnouncementRow[]> {
    let q = db.selectFrom("announcements").selectAll();
    if (filter.status?.length) q = q.where("status", "in", filter.status);
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb("created_at", "<", after.createdAt),
          eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
        ]),
      );
    return q
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
  },

  /** Recipient counts per announcement. */
  async counts(db: Executor, ids: string[]): Promise<Map<string, RecipientCounts>> {
    const out = new Map<string, RecipientCounts>();
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom("announcement_recipients")
      .select(["announcement_id", "status", (eb) => eb.fn.countAll<string>().as("n")])
      .where("announcement_id", "in", ids)
      .groupBy(["announcement_id", "status"])
      .execute();
    for (const r of rows) {
      const c = out.get(r.announcement_id) ?? { ...NO_COUNTS };
      const n = Number(r.n);
      c.total += n;
      if (r.status === "pending") c.pending += n;
      else if (r.status === "sent") c.sent += n;
      else c.optedOut += n;
      out.set(r.announcement_id, c);
    }
    return out;
  },

  /** Who a segment reaches now: accounts with a reachable contact, reachable contacts, opted-out contacts. */
  async audience(
    db: Executor,
    segment: Segment,
    languages: string[] | null,
    at: At,
  ): Promise<{ accounts: number; contacts: number; optedOut: number }> {
    const row = await audienceQuery(db, segment, languages, at)
      .select([
        sql<string>`count(distinct ct.account_id) filter (where p.announcements_opt_out_at is null)`.as(
          "accounts",
        ),
        sql<string>`count(*) filter (where p.announcements_opt_out_at is null)`.as("contacts"),
        sql<string>`count(*) filter (where p.announcements_opt_out_at is not null)`.as("opted_out"),
      ])
      .executeTakeFirstOrThrow();
    return {
      accounts: Number(row.accounts),
      contacts: Number(row.contacts),
      optedOut: Number(row.opted_out),
    };
  },

  /**
   * Fixes the recipient list: every contact with an email at the segment's accounts (in the
   * languages), opted-out contacts recorded as skipped. Returns how many rows were written.
   */
  async fixRecipients(
    trx: Trx,
    announcementId: string,
    segment: Segment,
    languages: string[] | null,
    at: At,
  ): Promise<number> {
    const select = audienceQuery(trx, segment, languages, at).select([
      sql<string>`${announcementId}::uuid`.as("announcement_id"),
      "ct.id as contact_id",
      "ct.account_id",
      sql<string>`btrim(ct.email)`.as("email"),
      "ct.name",
      sql<RecipientStatus>`case when p.announcements_opt_out_at is null then 'pending' else 'skipped' end`.as(
        "status",
      ),
      sql<string | null>`case when p.announcements_opt_out_at is null then null else 'opted_out' end`.as(
        "skip_reason",
      ),
      sql<Date>`${at.now}::timestamptz`.as("created_at"),
    ]);
    const res = await trx
      .insertInto("announcement_recipients")
      .columns([
        "announcement_id",
        "contact_id",
        "account_id",
        "email",
        "name",
        "status",
        "skip_reason",
        "created_at",
      ])
      .expression(select)
      .onConflict((oc) => oc.columns(["announcement_id", "contact_id"]).doNothing())
      .executeTakeFirst();
    return Number((res as { numInsertedRows?: bigint }).numInsertedRows ?? 0);
  },

  /**
   * The next batch of pending recipients, locked, with whether the contact has opted out
   * since the list was fixed and the account's name (for personalising).
   */
  claimPending(trx: Trx, announcementId: string, limit: number) {
    return trx
      .selectFrom("announcement_recipients as r")
      .innerJoin("accounts as a", "a.id", "r.account_id")
      .leftJoin("contact_communication_preferences as p", "p.contact_id", "r.contact_id")
      .select([
        "r.contact_id",
        "r.email",
        "r.name",
        "a.name as account_name",
        sql<boolean>`p.announcements_opt_out_at is not null`.as("opted_out"),
      ])
      .where("r.announcement_id", "=", announcementId)
      .where("r.status", "=", "pending")
      .orderBy("r.email")
      .limit(limit)
      .forUpdate("r")
      .skipLocked()
      .execute();
  },

  async markSent(
    trx: Trx,
    announcementId: string,
    contactId: string,
    set: { token_hash: string; mail_id: string; sent_at: Date },
  ): Promise<void> {
    await trx
      .updateTable("announcement_recipients")
      .set({ status: "sent", ...set })
      .where("announcement_id", "=", announcementId)
      .where("contact_id", "=", contactId)
      .where("status", "=", "pending")
      .execute();
  },

  async markSkipped(trx: Trx, announcementId: string, contactId: string): Promise<void> {
    await trx
      .updateTable("announcement_recipients")
      .set({ status: "skipped", skip_reason: "opted_out" })
      .where("announcement_id", "=", announcementId)
      .where("contact_id", "=", contactId)
      .where("status", "=", "pending")
      .execute();
  },

  /** Marks every pending recipient sent at `at` (the demo seed's past announcement). */
  async markAllSent(trx: Trx, announcementId: string, at: Date): Promise<void> {
    await trx
      .updateTable("announcement_recipients")
      .set({ status: "sent", sent_at: at })
      .where("announcement_id", "=", announcementId)
      .where("status", "=", "pending")
      .execute();
  },

  async pendingLeft(trx: Trx, announcementId: string): Promise<number> {
    const row = await trx
      .selectFrom("announcement_recipients")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("announcement_id", "=", announcementId)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** One page of recipients by email (unique per contact). */
  recipients(
    db: Executor,
    announcementId: string,
    status: RecipientStatus[] | undefined,
    limit: number,
    afterEmail: string | undefined,
  ) {
    let q = db
      .selectFrom("announcement_recipients as r")
      .innerJoin("accounts as a", "a.id", "r.account_id")
      .select([
        "r.contact_id",
        "r.account_id",
        "a.name as account_name",
        "r.name",
        "r.email",
        "r.status",
        "r.skip_reason",
        "r.sent_at",
      ])
      .where("r.announcement_id", "=", announcementId);
    if (status?.length) q = q.where("r.status", "in", status);
    if (afterEmail !== undefined) q = q.where("r.email", ">", afterEmail);
    return q
      .orderBy("r.email")
      .limit(limit + 1)
      .execute();
  },

  /** The recipient an unsubscribe token was written for. */
  recipientByTokenHash(db: Executor, tokenHash: string) {
    return db
      .selectFrom("announcement_recipients as r")
      .innerJoin("contacts as ct", "ct.id", "r.contact_id")
      .select(["r.announcement_id", "r.contact_id", "ct.email", "ct.name", "ct.account_id"])
      .where("r.token_hash", "=", tokenHash)
      .executeTakeFirst();
  },

  // ---- contacts' communication preferences ----

  contact(db: Executor, id: string) {
    return db
      .selectFrom("contacts")
      .select(["id", "name", "email", "account_id"])
      .where("id", "=", id)
      .executeTakeFirst();
  },

  preference(db: Executor, contactId: string) {
    return db
      .selectFrom("contact_communication_preferences")
      .selectAll()
      .where("contact_id", "=", contactId)
      .executeTakeFirst();
  },

  /** Locks the contact's row (serialises two changes to one contact's preference). */
  async lockContact(trx: Trx, contactId: string): Promise<boolean> {
    const row = await trx
      .selectFrom("contacts")
      .select("id")
      .where("id", "=", contactId)
      .forUpdate()
      .executeTakeFirst();
    return row !== undefined;
  },

  async setPreference(
    trx: Trx,
    contactId: string,
    set: { optOutAt: Date | null; source: PreferenceSource; byId: string | null; at: Date },
  ): Promise<void> {
    const values = {
      contact_id: contactId,
      announcements_opt_out_at: set.optOutAt,
      source: set.source,
      updated_by_id: set.byId,
      updated_at: set.at,
    };
    await trx
      .insertInto("contact_communication_preferences")
      .values(values)
      .onConflict((oc) =>
        oc.column("contact_id").doUpdateSet({
          announcements_opt_out_at: set.optOutAt,
          source: set.source,
          updated_by_id: set.byId,
          updated_at: set.at,
        }),
      )
      .execute();
  },

  async insertChange(trx: Trx, row: Insertable<ContactCommunicationPreferenceChangesTable>): Promise<void> {
    await trx.insertInto("contact_communication_preference_changes").values(row).execute();
  },

  changes(db: Executor, contactId: string, limit: number) {
    return db
      .selectFrom("contact_communication_preference_changes as h")
      .leftJoin("users as u", "u.id", "h.changed_by_id")
      .leftJoin("announcements as an", "an.id", "h.announcement_id")
      .select([
        "h.id",
        "h.announcements",
        "h.source",
        "h.changed_by_id",
        "u.name as changed_by_name",
        "h.announcement_id",
        "an.subject as announcement_subject",
        "h.changed_at",
      ])
      .where("h.contact_id", "=", contactId)
      .orderBy("h.changed_at", "desc")
      .orderBy("h.id", "desc")
      .limit(limit)
      .execute();
  },
};
