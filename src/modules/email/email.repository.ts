import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type {
  EmailAutoMailTable,
  EmailMessageIdsTable,
  EmailTemplatesTable,
  InboundMailTable,
  InboundStatus,
  TemplateMoment,
} from "./email.tables.ts";
import "./email.tables.ts";

export type InboundRow = Selectable<InboundMailTable>;
/** An inbound mail without its raw bytes and full text (lists). */
export type InboundMeta = Omit<InboundRow, "raw" | "full_text">;
export type TemplateRow = Selectable<EmailTemplatesTable>;

const META = [
  "id",
  "received_at",
  "size",
  "envelope_from",
  "envelope_to",
  "remote_address",
  "status",
  "attempts",
  "error",
  "message_id",
  "from_address",
  "subject",
  "flags",
  "case_id",
  "case_message_id",
  "threaded_by",
  "processed_at",
] as const;

/** All SQL of the email channel. */
export const emailRepository = {
  // ---- inbound mail ----

  /**
   * The raw bytes travel as hex text decoded by the server: embedded PGlite binds a large
   * `bytea` parameter several times slower than the same bytes as text.
   */
  async insertInbound(
    db: Executor,
    row: Omit<Insertable<InboundMailTable>, "raw">,
    raw: Buffer,
  ): Promise<void> {
    await db
      .insertInto("inbound_mail")
      .values({ ...row, raw: sql<Uint8Array>`decode(${raw.toString("hex")}, 'hex')` })
      .execute();
  },

  /** The row to process, locked; the raw bytes read as base64 text (faster on PGlite, see above). */
  async lockInbound(db: Executor, id: string): Promise<InboundRow | undefined> {
    const row = await db
      .selectFrom("inbound_mail")
      .select([...META, "full_text", sql<string>`encode(raw, 'base64')`.as("raw_base64")])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return undefined;
    const { raw_base64, ...meta } = row;
    return { ...meta, raw: Buffer.from(raw_base64, "base64") };
  },

  async findInbound(
    db: Executor,
    id: string,
  ): Promise<(InboundMeta & { full_text: string | null }) | undefined> {
    return db
      .selectFrom("inbound_mail")
      .select([...META, "full_text"])
      .where("id", "=", id)
      .executeTakeFirst();
  },

  async rawOf(db: Executor, id: string): Promise<{ raw: Buffer; received_at: Date } | undefined> {
    const row = await db
      .selectFrom("inbound_mail")
      .select([sql<string>`encode(raw, 'base64')`.as("raw_base64"), "received_at"])
      .where("id", "=", id)
      .executeTakeFirst();
    return row && { raw: Buffer.from(row.raw_base64, "base64"), received_at: row.received_at };
  },

  async updateInbound(db: Executor, id: string, set: Partial<InboundRow>): Promise<void> {
    await db.updateTable("inbound_mail").set(set).where("id", "=", id).execute();
  },

  /** Newest first, keyset-paged on (received_at, id). */
  async listInbound(
    db: Executor,
    f: { status?: InboundStatus[]; caseId?: string; after?: [Date, string]; limit: number },
  ): Promise<InboundMeta[]> {
    let q = db
      .selectFrom("inbound_mail")
      .select(META)
      .orderBy("received_at", "desc")
      .orderBy("id", "desc")
      .limit(f.limit + 1);
    if (f.status?.length) q = q.where("status", "in", f.status);
    if (f.caseId) q = q.where("case_id", "=", f.caseId);
    if (f.after) {
      const [at, id] = f.after;
      q = q.where((eb) =>
        eb.or([eb("received_at", "<", at), eb.and([eb("received_at", "=", at), eb("id", "<", id)])]),
      );
    }
    return q.execute();
  },

  async countByStatus(db: Executor): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom("inbound_mail")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },

  // ---- threading ----

  async insertMessageId(db: Executor, row: EmailMessageIdsTable): Promise<void> {
    await db.insertInto("email_message_ids").values(row).execute();
  },

  async findMessageIds(
    db: Executor,
    ids: string[],
  ): Promise<{ message_id: string; case_id: string; direction: "in" | "out" }[]> {
    if (ids.length === 0) return [];
    return db
      .selectFrom("email_message_ids")
      .select(["message_id", "case_id", "direction"])
      .where("message_id", "in", ids)
      .execute();
  },

  /** The thread's Message-IDs, oldest first (for References), and the latest inbound one. */
  async threadIds(db: Executor, caseId: string): Promise<{ message_id: string; direction: "in" | "out" }[]> {
    return db
      .selectFrom("email_message_ids")
      .select(["message_id", "direction"])
      .where("case_id", "=", caseId)
      .orderBy("created_at")
      .orderBy("message_id")
      .execute();
  },

  async findThread(
    db: Executor,
    caseId: string,
  ): Promise<{ ref_token: string; no_auto_mail_reason: string | null } | undefined> {
    return db
      .selectFrom("email_threads")
      .select(["ref_token", "no_auto_mail_reason"])
      .where("case_id", "=", caseId)
      .executeTakeFirst();
  },

  async caseOfToken(db: Executor, token: string): Promise<string | undefined> {
    const row = await db
      .selectFrom("email_threads")
      .select("case_id")
      .where("ref_token", "=", token)
      .executeTakeFirst();
    return row?.case_id;
  },

  /** Creates the case's thread row unless it exists; answers the stored one. */
  async ensureThread(
    db: Executor,
    row: { case_id: string; ref_token: string; no_auto_mail_reason: string | null; created_at: Date },
  ): Promise<{ ref_token: string; no_auto_mail_reason: string | null }> {
    await db
      .insertInto("email_threads")
      .values(row)
      .onConflict((oc) => oc.column("case_id").doNothing())
      .execute();
    const stored = await db
      .selectFrom("email_threads")
      .select(["ref_token", "no_auto_mail_reason"])
      .where("case_id", "=", row.case_id)
      .executeTakeFirstOrThrow();
    return stored;
  },

  async setNoAutoMail(db: Executor, caseId: string, reason: string | null): Promise<void> {
    await db
      .updateTable("email_threads")
      .set({ no_auto_mail_reason: reason })
      .where("case_id", "=", caseId)
      .execute();
  },

  // ---- templates ----

  async findTemplate(db: Executor, moment: TemplateMoment): Promise<TemplateRow | undefined> {
    return db.selectFrom("email_templates").selectAll().where("moment", "=", moment).executeTakeFirst();
  },

  async listTemplates(db: Executor): Promise<TemplateRow[]> {
    return db.selectFrom("email_templates").selectAll().execute();
  },

  async upsertTemplate(db: Executor, row: TemplateRow): Promise<void> {
    await db
      .insertInto("email_templates")
      .values(row)
      .onConflict((oc) =>
        oc.column("moment").doUpdateSet({
          enabled: row.enabled,
          subject: row.subject,
          body: row.body,
          updated_at: row.updated_at,
          updated_by: row.updated_by,
        }),
      )
      .execute();
  },

  async deleteTemplate(db: Executor, moment: TemplateMoment): Promise<boolean> {
    const r = await db.deleteFrom("email_templates").where("moment", "=", moment).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  // ---- automatic mail log ----

  async insertAutoMail(db: Executor, row: EmailAutoMailTable): Promise<void> {
    await db.insertInto("email_auto_mail").values(row).execute();
  },

  /** Automatic mails sent to `address` since `since` (the per-address cap). */
  async countAutoSent(db: Executor, address: string, since: Date): Promise<number> {
    const row = await db
      .selectFrom("email_auto_mail")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(sql`lower(to_address)`, "=", address.toLowerCase())
      .where("status", "=", "sent")
      .where("created_at", ">", since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  /** Serialises the cap check for one address across workers (released at commit). */
  async lockAddress(db: Executor, address: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`email.auto:${address.toLowerCase()}`}))`.execute(db);
  },

  async listAutoMail(db: Executor, caseId: string): Promise<Selectable<EmailAutoMailTable>[]> {
    return db
      .selectFrom("email_auto_mail")
      .selectAll()
      .where("case_id", "=", caseId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
  },
};
