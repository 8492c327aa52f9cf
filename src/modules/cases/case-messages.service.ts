import { createHash } from "node:crypto";
import { type Actor, actorId, type RequestCtx, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { type AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import { attachmentUrl, checkFileType, cleanFilename, MAX_ATTACHMENT_BYTES } from "./attachment-types.ts";
import { assertVisible, CASE_WORKERS, maySeeCase } from "./case-access.ts";
import type { HistoryChange } from "./case-history.ts";
import { assertText } from "./case-input.ts";
import {
  type AttachmentMeta,
  type AttachmentRow,
  type MessageRow,
  caseMessagesRepository as repo,
} from "./case-messages.repository.ts";
import { formatCaseNumber } from "./case-number.ts";
import { categoryOf } from "./case-status-machine.ts";
import { type CaseRow, casesRepository } from "./cases.repository.ts";
import type { CasesService } from "./cases.service.ts";
import type { MessageKind } from "./cases.tables.ts";

export const MAX_MESSAGE_LENGTH = 100_000;

/** A file as it arrived, before any check. `path` names it in errors (e.g. `/files/0`). */
export type Upload = {
  filename: string | undefined;
  mimetype: string | undefined;
  data: Buffer;
  path: string;
};

/** A file refused for its size (413) or its type (415). */
export class UploadRejected extends Error {
  constructor(
    readonly status: 413 | 415,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "UploadRejected";
  }
}

export type Attachment = {
  id: string;
  caseId: string;
  messageId: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  internal: boolean;
  uploadedById: string | null;
  uploadedByContactId: string | null;
  createdAt: string;
  /** Where to download it. */
  url: string;
};

export type Message = {
  id: string;
  caseId: string;
  kind: MessageKind;
  body: string;
  /** The staff user who wrote it (for a customer message: who logged it, if staff did). */
  authorId: string | null;
  /** The customer, for customer messages. */
  contactId: string | null;
  /** Set when the message came over from a case merged into this one. */
  mergedFromCaseId: string | null;
  createdAt: string;
  attachments: Attachment[];
};

export type Download = {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
};

type CheckedFile = { filename: string; contentType: string; data: Buffer; sha256: string };

export function presentAttachment(r: AttachmentMeta): Attachment {
  return {
    id: r.id,
    caseId: r.case_id,
    messageId: r.message_id,
    filename: r.filename,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    internal: r.internal,
    uploadedById: r.uploaded_by_id,
    uploadedByContactId: r.uploaded_by_contact_id,
    createdAt: r.created_at.toISOString(),
    url: attachmentUrl(r.id),
  };
}

function presentMessage(r: MessageRow, attachments: AttachmentMeta[]): Message {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    body: r.body,
    authorId: r.author_id,
    contactId: r.contact_id,
    mergedFromCaseId: r.merged_from_case_id,
    createdAt: r.created_at.toISOString(),
    attachments: attachments.filter((a) => a.message_id === r.id).map(presentAttachment),
  };
}

/** Allow-list, magic bytes and size, before anything touches the database. */
export function checkUploads(files: Upload[]): CheckedFile[] {
  return files.map((f) => {
    if (f.data.length > MAX_ATTACHMENT_BYTES) {
      throw new UploadRejected(
        413,
        `${f.path.slice(1)}: files may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
        f.path,
      );
    }
    const type = checkFileType(f.mimetype, f.data);
    if (!type.ok) {
      if (type.reason === "empty") throw invalid(f.path, type.message);
      throw new UploadRejected(415, `${f.path.slice(1)}: ${type.message}`, f.path);
    }
    return {
      filename: cleanFilename(f.filename),
      contentType: type.contentType,
      data: f.data,
      sha256: createHash("sha256").update(f.data).digest("hex"),
    };
  });
}

function checkBody(body: string): string {
  assertText(body, "/body");
  if (body.trim() === "") throw invalid("/body", "must not be blank");
  if (body.length > MAX_MESSAGE_LENGTH)
    throw invalid("/body", `must be at most ${MAX_MESSAGE_LENGTH} characters`);
  return body;
}

/**
 * A case's thread (replies, internal notes, customer messages) and its files. A customer
 * message reopens a resolved case (or, past the reopen window, opens a follow-up); the first
 * reply to a new case opens it; a customer answering ends "waiting on customer".
 */
export class CaseMessagesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly cases: CasesService,
  ) {}

  async list(
    actor: Actor,
    caseId: string,
    query: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Page<Message>> {
    const db = this.db.kysely;
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    assertVisible(actor, await casesRepository.findCase(db, caseId));
    const staff = actor.kind !== "contact";
    const rows = await repo.listMessages(db, {
      caseId,
      includeNotes: staff,
      after: after as [string, string] | undefined,
      limit,
    });
    const attachments = await repo.listAttachments(db, {
      messageIds: rows.map((r) => r.id),
      includeInternal: staff,
    });
    return toPage(
      rows,
      limit,
      (r) => [r.created_at.toISOString(), r.id],
      (r) => presentMessage(r, attachments),
    );
  }

  /**
   * Adds a message (with files, if any). Answers the message; its `caseId` is the follow-up
   * case when a customer wrote to a case closed past the reopen window.
   */
  async add(
    ctx: RequestCtx,
    caseId: string,
    input: { kind: MessageKind; body: string },
    files: Upload[] = [],
  ): Promise<Message> {
    const body = checkBody(input.body);
    const checked = checkUploads(files);
    return this.cases.tx((trx) => this.write(trx, ctx, caseId, { kind: input.kind, body }, checked));
  }

  /**
   * `add` inside the caller's transaction (inbound email). `contactId` names the customer who
   * wrote a `customer` message when the actor is the system (default: the case's contact); their
   * files are recorded as uploaded by that contact.
   */
  async addIn(
    trx: Trx,
    ctx: RequestCtx,
    caseId: string,
    input: { kind: MessageKind; body: string; contactId?: string | null },
    files: Upload[] = [],
  ): Promise<Message> {
    const body = checkBody(input.body);
    return this.write(trx, ctx, caseId, { ...input, body }, checkUploads(files));
  }

  /** Files on the case itself, shared with the customer, inside the caller's transaction (inbound email). */
  async attachIn(
    trx: Trx,
    ctx: RequestCtx,
    caseId: string,
    files: Upload[],
    options: { contactId?: string | null } = {},
  ): Promise<Attachment[]> {
    const checked = checkUploads(files);
    const row = await this.cases.lockVisible(trx, ctx.actor, caseId);
    if (row.merged_into_id) throw this.merged(row);
    const stored = await this.storeFiles(trx, ctx.actor, row, checked, {
      messageId: null,
      internal: false,
      contactId: options.contactId ?? null,
    });
    if (stored.length === 0) return [];
    const catalogue = await this.cases.catalogue(trx);
    const target = await this.cases.commit(trx, ctx, row, {}, catalogue, {
      touch: true,
      extra: stored.map((a) => ({ field: "attachment", from: null, to: { id: a.id, filename: a.filename } })),
    });
    await this.attachmentEvents(trx, ctx.actor, target, stored);
    return stored.map(presentAttachment);
  }

  /** A message and its files shared with the customer, contents included (outbound email). */
  async messageForMail(
    db: Executor,
    messageId: string,
  ): Promise<
    | { body: string; kind: MessageKind; files: { filename: string; contentType: string; content: Buffer }[] }
    | undefined
  > {
    const message = await repo.findMessage(db, messageId);
    if (!message) return undefined;
    const files = await repo.listAttachmentFiles(db, messageId);
    return {
      body: message.body,
      kind: message.kind,
      files: files
        .filter((f) => !f.internal)
        .map((f) => ({
          filename: f.filename,
          contentType: f.content_type,
          content: Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength),
        })),
    };
  }

  private async write(
    trx: Trx,
    ctx: RequestCtx,
    caseId: string,
    input: { kind: MessageKind; body: string; contactId?: string | null },
    checked: CheckedFile[],
  ): Promise<Message> {
    const actor = ctx.actor;
    const body = input.body;
    const row = await this.cases.lockVisible(trx, actor, caseId);
    this.assertMayWrite(actor, input.kind);
    if (row.merged_into_id) throw this.merged(row);
    const catalogue = await this.cases.catalogue(trx);
    let target = row;
    if (input.kind === "customer" && categoryOf(row.status, catalogue) === "resolved") {
      // The customer came back: reopen within the window, otherwise a new case that points back.
      target = (await this.cases.mayReopenInPlace(trx, row))
        ? await this.cases.commit(trx, ctx, row, this.cases.statusSet(row, "open", catalogue), catalogue)
        : await this.cases.openFollowUp(trx, ctx, row, "new", {});
    }
    const now = this.clock.now();
    const message: MessageRow = {
      id: newId(),
      case_id: target.id,
      kind: input.kind,
      body,
      author_id: actor.kind === "user" ? actor.id : null,
      contact_id:
        actor.kind === "contact"
          ? actor.id
          : input.contactId !== undefined
            ? input.contactId
            : input.kind === "customer"
              ? target.contact_id
              : null,
      merged_from_case_id: null,
      created_at: now,
    };
    await repo.insertMessage(trx, message);
    const stored = await this.storeFiles(trx, actor, target, checked, {
      messageId: message.id,
      internal: input.kind === "note",
      contactId: input.kind === "customer" ? message.contact_id : null,
    });
    let set: Partial<CaseRow> = {};
    if (input.kind === "reply" && target.status === "new")
      set = this.cases.statusSet(target, "open", catalogue);
    if (input.kind === "customer" && target.status === "waiting_on_customer") {
      set = this.cases.statusSet(target, "open", catalogue);
    }
    const extra: HistoryChange[] = [
      { field: "message", from: null, to: { id: message.id, kind: message.kind } },
      ...stored.map((a) => ({ field: "attachment", from: null, to: { id: a.id, filename: a.filename } })),
    ];
    target = await this.cases.commit(trx, ctx, target, set, catalogue, { touch: true, extra });
    await this.cases.messageAdded(trx, ctx, target, {
      id: message.id,
      kind: message.kind,
      createdAt: now,
      authorId: message.author_id,
    });
    await this.bus.append(trx, {
      type: "message.added",
      entityType: "case",
      entityId: target.id,
      accountId: target.account_id,
      actorId: actorId(actor),
      customerVisible: message.kind !== "note",
      data: { messageId: message.id, kind: message.kind, attachmentIds: stored.map((a) => a.id) },
    });
    await this.attachmentEvents(trx, actor, target, stored);
    return presentMessage(message, stored);
  }

  async listAttachments(actor: Actor, caseId: string): Promise<Attachment[]> {
    const db = this.db.kysely;
    assertVisible(actor, await casesRepository.findCase(db, caseId));
    const rows = await repo.listAttachments(db, { caseId, includeInternal: actor.kind !== "contact" });
    return rows.map(presentAttachment);
  }

  /**
   * Files on the case itself rather than on a message. Staff uploads are internal unless
   * `internal: false`; a customer's are never internal. Sales may add internal files only.
   */
  async upload(
    ctx: RequestCtx,
    caseId: string,
    input: { internal?: boolean | undefined },
    files: Upload[],
  ): Promise<Attachment[]> {
    const actor = ctx.actor;
    if (files.length === 0) throw invalid("/files", "send at least one file");
    const checked = checkUploads(files);
    return this.cases.tx(async (trx) => {
      const row = await this.cases.lockVisible(trx, actor, caseId);
      const internal = actor.kind === "contact" ? false : (input.internal ?? true);
      if (actor.kind !== "contact") {
        if (internal) requireRole(actor, [...CASE_WORKERS, "sales"], "add files to cases");
        else requireRole(actor, CASE_WORKERS, "share files with the customer");
      }
      if (row.merged_into_id) throw this.merged(row);
      const catalogue = await this.cases.catalogue(trx);
      const stored = await this.storeFiles(trx, actor, row, checked, { messageId: null, internal });
      const target = await this.cases.commit(trx, ctx, row, {}, catalogue, {
        touch: true,
        extra: stored.map((a) => ({
          field: "attachment",
          from: null,
          to: { id: a.id, filename: a.filename },
        })),
      });
      await this.attachmentEvents(trx, actor, target, stored);
      return stored.map(presentAttachment);
    });
  }

  async download(actor: Actor, id: string): Promise<Download> {
    const db = this.db.kysely;
    const row = await repo.findAttachment(db, id);
    const owner = row ? await casesRepository.findCase(db, row.case_id) : undefined;
    if (!row || !owner || !maySeeCase(actor, owner) || (actor.kind === "contact" && row.internal)) {
      throw notFound("Attachment");
    }
    return {
      filename: row.filename,
      contentType: row.content_type,
      size: row.size,
      sha256: row.sha256,
      content: Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength),
    };
  }

  // ---- rules ----

  /** Contacts write customer messages; sales add notes; case workers everything. */
  private assertMayWrite(actor: Actor, kind: MessageKind): void {
    if (actor.kind === "contact") {
      // Replies and notes are staff things: for a contact there is nothing there to write to.
      if (kind !== "customer") throw notFound("Case");
      return;
    }
    if (kind === "note") requireRole(actor, [...CASE_WORKERS, "sales"], "add notes");
    else if (kind === "reply") requireRole(actor, CASE_WORKERS, "reply to customers");
    else requireRole(actor, CASE_WORKERS, "log customer messages");
  }

  private merged(row: CaseRow): AppError {
    return ruleRefused(
      `${formatCaseNumber(row.number)} was merged into another case; add messages and files there`,
      { mergedIntoId: row.merged_into_id },
    );
  }

  private async storeFiles(
    trx: Trx,
    actor: Actor,
    target: CaseRow,
    files: CheckedFile[],
    where: { messageId: string | null; internal: boolean; contactId?: string | null },
  ): Promise<AttachmentMeta[]> {
    const stored: AttachmentMeta[] = [];
    for (const f of files) {
      const row: AttachmentRow = {
        id: newId(),
        case_id: target.id,
        message_id: where.messageId,
        filename: f.filename,
        content_type: f.contentType,
        size: f.data.length,
        sha256: f.sha256,
        internal: where.internal,
        content: f.data,
        uploaded_by_id: actor.kind === "user" ? actor.id : null,
        uploaded_by_contact_id: actor.kind === "contact" ? actor.id : (where.contactId ?? null),
        created_at: this.clock.now(),
      };
      await repo.insertAttachment(trx, row);
      const { content: _content, ...meta } = row;
      stored.push(meta);
    }
    return stored;
  }

  private async attachmentEvents(
    trx: Trx,
    actor: Actor,
    target: CaseRow,
    stored: AttachmentMeta[],
  ): Promise<void> {
    for (const a of stored) {
      await this.bus.append(trx, {
        type: "attachment.added",
        entityType: "case",
        entityId: target.id,
        accountId: target.account_id,
        actorId: actorId(actor),
        customerVisible: !a.internal,
        data: {
          attachmentId: a.id,
          messageId: a.message_id,
          filename: a.filename,
          contentType: a.content_type,
          size: a.size,
          internal: a.internal,
        },
      });
    }
  }
}
