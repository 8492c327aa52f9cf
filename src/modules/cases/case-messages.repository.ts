import { type Selectable, type SqlBool, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { CaseAttachmentsTable, CaseMessagesTable } from "./cases.tables.ts";
import "./cases.tables.ts";

export type MessageRow = Omit<Selectable<CaseMessagesTable>, "search">;
export type AttachmentMeta = Omit<Selectable<CaseAttachmentsTable>, "content">;
export type AttachmentRow = Selectable<CaseAttachmentsTable>;

const MESSAGE_COLUMNS = [
  "id",
  "case_id",
  "kind",
  "body",
  "author_id",
  "contact_id",
  "merged_from_case_id",
  "created_at",
] as const;

const ATTACHMENT_META = [
  "id",
  "case_id",
  "message_id",
  "filename",
  "content_type",
  "size",
  "sha256",
  "internal",
  "uploaded_by_id",
  "uploaded_by_contact_id",
  "created_at",
] as const;

/** All SQL about a case's thread and its files. */
export const caseMessagesRepository = {
  /**
   * Inserts a message. In the same statement a trigger appends the message's words to its
   * case's `thread_search` (replies, customer messages) or `notes_search` (notes), which case
   * search reads (migrations/0007_case_thread_search.sql); the caller holds the case's lock.
   */
  async insertMessage(db: Executor, row: MessageRow): Promise<void> {
    await db.insertInto("case_messages").values(row).execute();
  },

  async listMessages(
    db: Executor,
    f: { caseId: string; includeNotes: boolean; after?: [string, string] | undefined; limit: number },
  ): Promise<MessageRow[]> {
    let q = db
      .selectFrom("case_messages")
      .select(MESSAGE_COLUMNS)
      .where("case_id", "=", f.caseId)
      .orderBy("created_at")
      .orderBy("id")
      .limit(f.limit + 1);
    if (!f.includeNotes) q = q.where("kind", "<>", "note");
    if (f.after) {
      const [at, id] = f.after;
      q = q.where(sql<SqlBool>`(created_at, id) > (${at}::timestamptz, ${id}::uuid)`);
    }
    return q.execute();
  },

  async countMessages(db: Executor, caseId: string, kind: MessageRow["kind"]): Promise<number> {
    const row = await db
      .selectFrom("case_messages")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("case_id", "=", caseId)
      .where("kind", "=", kind)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  async insertAttachment(db: Executor, row: AttachmentRow): Promise<void> {
    await db.insertInto("case_attachments").values(row).execute();
  },

  async listAttachments(
    db: Executor,
    f: { caseId?: string; messageIds?: string[]; includeInternal: boolean },
  ): Promise<AttachmentMeta[]> {
    let q = db.selectFrom("case_attachments").select(ATTACHMENT_META).orderBy("created_at").orderBy("id");
    if (f.caseId) q = q.where("case_id", "=", f.caseId);
    if (f.messageIds) {
      if (f.messageIds.length === 0) return [];
      q = q.where("message_id", "in", f.messageIds);
    }
    if (!f.includeInternal) q = q.where("internal", "=", false);
    return q.execute();
  },

  async findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
    return db.selectFrom("case_messages").select(MESSAGE_COLUMNS).where("id", "=", id).executeTakeFirst();
  },

  /** A message's files with their contents (outbound email). */
  async listAttachmentFiles(db: Executor, messageId: string): Promise<AttachmentRow[]> {
    return db
      .selectFrom("case_attachments")
      .selectAll()
      .where("message_id", "=", messageId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
  },

  async findAttachment(db: Executor, id: string): Promise<AttachmentRow | undefined> {
    return db.selectFrom("case_attachments").selectAll().where("id", "=", id).executeTakeFirst();
  },
};
