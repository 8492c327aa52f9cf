import { createTransport, type Mail } from "nodemailer";
import { type Actor, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import { type Config, mailHostOf } from "../../platform/config.ts";
import type { Executor, Trx } from "../../platform/db/database.ts";
import { invalid, notFound } from "../../platform/errors.ts";
import { retryDelayMs } from "../../platform/events/dispatcher.ts";
import { newId } from "../../platform/ids.ts";
import type { Logger } from "../../platform/logger.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import { type MailRow, mailRepository as repo } from "./mail.repository.ts";
import type { MailStatus, MailTransport, StoredAttachment } from "./mail.tables.ts";

/** The timer kind that sends one queued mail (payload `{ mailId }`). */
export const MAIL_SEND_TIMER = "mail.send";
/** Sends tried before a mail is given up as `failed` (backoff 5 s, 20 s, 80 s … capped at 1 h). */
export const MAX_MAIL_ATTEMPTS = 8;

export type MailAttachment = {
  filename: string;
  /** e.g. `text/calendar; method=REQUEST; charset=utf-8` for an invitation. */
  contentType: string;
  /** A Buffer, base64 text (with `encoding: "base64"`), or plain text. */
  content: string | Buffer;
  encoding?: "base64" | "utf8";
};

/** What a caller hands to `MailService.enqueue`. */
export type NewMail = {
  to: string;
  toName?: string | null;
  subject: string;
  text: string;
  html?: string | null;
  /** Default: `config.mailFrom` (KEEPDESK_MAIL_FROM). */
  from?: string;
  /** Message-IDs (`<…>`) of the mail answered, for threading. */
  inReplyTo?: string | null;
  references?: string[] | null;
  /** Extra headers, e.g. `{ "Auto-Submitted": "auto-generated" }`. */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
  /** Why it is sent: 'notification', 'sla.warning', 'case.reply' … (a filter of the mail log). */
  purpose: string;
  caseId?: string | null;
};

export type MailAttachmentInfo = { filename: string; contentType: string; size: number };

/** One entry of the outbound mail log (the development mailbox). */
export type MailMessage = {
  id: string;
  to: string;
  toName: string | null;
  from: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string | null;
  headers: Record<string, string>;
  attachments: MailAttachmentInfo[];
  purpose: string;
  caseId: string | null;
  status: MailStatus;
  transport: MailTransport;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

export type MailMessageDetail = Omit<MailMessage, "attachments"> & {
  attachments: (MailAttachmentInfo & { encoding: "base64" | "utf8"; content: string })[];
};

const EMAIL_RE = /^[^\s<>@",;]+@[^\s<>@",;]+$/;
const HEADER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const BASE64_RE = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;
// Ours to set: a caller's extra header must not replace them.
const RESERVED_HEADERS = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "message-id",
  "in-reply-to",
  "references",
  "date",
  "content-type",
  "mime-version",
  "content-transfer-encoding",
]);

/**
 * Outbound mail. `enqueue` writes the mail and a `mail.send` timer in the caller's transaction;
 * the worker sends it after commit, once, surviving restarts. With `KEEPDESK_SMTP_URL` it goes
 * through that relay; without, it is only kept (the development mailbox). Either way the row
 * stays as the outbound mail log admins read at `GET /api/v1/dev-mailbox`.
 */
export class MailService {
  private transporter: Mail | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerRegistry,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** The address part of `config.mailFrom`, for callers that need it (Reply-To, envelopes). */
  get fromAddress(): string {
    return /<([^>]+)>/.exec(this.config.mailFrom)?.[1] ?? this.config.mailFrom;
  }

  /** Queues a mail in the caller's transaction; the worker sends it after commit. */
  async enqueue(trx: Trx, mail: NewMail): Promise<{ id: string; messageId: string }> {
    const to = mail.to.trim();
    if (!EMAIL_RE.test(to)) throw invalid("/to", "must be an email address");
    const subject = oneLine(mail.subject);
    if (!subject) throw invalid("/subject", "must not be empty");
    const purpose = mail.purpose.trim();
    if (!purpose) throw invalid("/purpose", "must not be empty");
    const headers = checkHeaders(mail.headers ?? {});
    const attachments = (mail.attachments ?? []).map(storeAttachment);
    const id = newId();
    const messageId = `<${id}@${mailHostOf(this.config.publicUrl)}>`;
    await repo.insert(trx, {
      id,
      to_address: to,
      to_name: mail.toName ? noNul(oneLine(mail.toName)) : null,
      from_address: mail.from ? noNul(oneLine(mail.from)) : this.config.mailFrom,
      subject: noNul(subject),
      text_body: noNul(mail.text),
      html_body: mail.html ? noNul(mail.html) : null,
      message_id: messageId,
      in_reply_to: mail.inReplyTo ? noNul(oneLine(mail.inReplyTo)) : null,
      references_header: mail.references?.length ? noNul(oneLine(mail.references.join(" "))) : null,
      headers: JSON.stringify(headers),
      attachments: JSON.stringify(attachments),
      purpose: noNul(purpose),
      case_id: mail.caseId ?? null,
      transport: this.transportName(),
      created_at: this.clock.now(),
      sent_at: null,
    });
    await this.timers.schedule(trx, {
      kind: MAIL_SEND_TIMER,
      dueAt: this.clock.now(),
      payload: { mailId: id },
      dedupeKey: `mail:${id}`,
    });
    return { id, messageId };
  }

  /**
   * The `mail.send` timer handler. A failed send is recorded on the mail and retried by
   * rescheduling the timer with backoff, not by throwing: a throw would roll back the record
   * of the attempt with the rest of the handler's writes. After `MAX_MAIL_ATTEMPTS` the mail
   * is `failed`. SMTP and our database cannot commit together: a crash between the relay's
   * acceptance and our commit sends the mail again (with the same Message-ID) on restart.
   */
  readonly deliver = async (timer: DueTimer, trx: Trx): Promise<void> => {
    const mailId = timer.payload.mailId;
    if (typeof mailId !== "string") return;
    const row = await repo.lockForSend(trx, mailId);
    // Sent or given up already: a second firing sends nothing.
    if (row?.status !== "queued") return;
    const transport = this.transportName();
    const attempts = row.attempts + 1;
    if (transport === "smtp") {
      try {
        await this.smtp().sendMail(this.toNodemailer(row));
      } catch (err) {
        const lastError = errorText(err);
        const failed = attempts >= MAX_MAIL_ATTEMPTS;
        this.log.warn({ mailId, attempts, failed, error: lastError }, "sending mail failed");
        await repo.recordAttempt(trx, mailId, {
          status: failed ? "failed" : "queued",
          attempts,
          transport,
          last_error: lastError,
        });
        if (!failed) {
          await this.timers.schedule(trx, {
            kind: MAIL_SEND_TIMER,
            dueAt: new Date(this.clock.now().getTime() + retryDelayMs(attempts)),
            payload: { mailId },
            dedupeKey: `mail:${mailId}`,
          });
        }
        return;
      }
    }
    await repo.recordAttempt(trx, mailId, { status: "sent", attempts, transport, sent_at: this.clock.now() });
  };

  /** The outbound mail log, newest first (admins). */
  async list(
    db: Executor,
    actor: Actor,
    query: { to?: string; purpose?: string; limit?: number; cursor?: string },
  ): Promise<Page<MailMessage>> {
    requireRole(actor, ["admin"], "read the outbound mail log");
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    const rows = await repo.list(db, {
      to: query.to?.trim() || undefined,
      purpose: query.purpose?.trim() || undefined,
      after: after ? [new Date(after[0] as string), after[1] as string] : undefined,
      limit: limit + 1,
    });
    return toPage(rows, limit, (r) => [r.created_at.toISOString(), r.id], presentMail);
  }

  /** One mail with its attachments' contents (admins). */
  async get(db: Executor, actor: Actor, id: string): Promise<MailMessageDetail> {
    requireRole(actor, ["admin"], "read the outbound mail log");
    const row = await repo.find(db, id);
    if (!row) throw notFound("Mail");
    return {
      ...presentMail(row),
      attachments: row.attachments.map((a) => ({
        ...attachmentInfo(a),
        encoding: a.encoding,
        content: a.content,
      })),
    };
  }

  private transportName(): MailTransport {
    return this.config.smtpUrl ? "smtp" : "dev";
  }

  private smtp(): Mail {
    // Sending runs inside the timer's transaction: keep a stuck relay from holding it for long.
    this.transporter ??= createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return this.transporter;
  }

  private toNodemailer(row: MailRow) {
    return {
      from: row.from_address,
      to: row.to_name ? { name: row.to_name, address: row.to_address } : row.to_address,
      subject: row.subject,
      text: row.text_body,
      ...(row.html_body ? { html: row.html_body } : {}),
      messageId: row.message_id,
      ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
      ...(row.references_header ? { references: row.references_header } : {}),
      date: this.clock.now(),
      headers: row.headers,
      attachments: row.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.encoding === "base64" ? Buffer.from(a.content, "base64") : a.content,
      })),
    };
  }
}

export function presentMail(r: MailRow): MailMessage {
  return {
    id: r.id,
    to: r.to_address,
    toName: r.to_name,
    from: r.from_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    messageId: r.message_id,
    inReplyTo: r.in_reply_to,
    references: r.references_header,
    headers: r.headers,
    attachments: r.attachments.map(attachmentInfo),
    purpose: r.purpose,
    caseId: r.case_id,
    status: r.status,
    transport: r.transport,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

function attachmentInfo(a: StoredAttachment): MailAttachmentInfo {
  const size =
    a.encoding === "base64" ? Buffer.from(a.content, "base64").length : Buffer.byteLength(a.content, "utf8");
  return { filename: a.filename, contentType: a.contentType, size };
}

function storeAttachment(a: MailAttachment, i: number): StoredAttachment {
  const filename = noNul(oneLine(a.filename));
  if (!filename) throw invalid(`/attachments/${i}/filename`, "must not be empty");
  const contentType = oneLine(a.contentType);
  if (!/^[\w.+-]+\/[\w.+-]+/.test(contentType))
    throw invalid(`/attachments/${i}/contentType`, "must be a media type");
  if (Buffer.isBuffer(a.content)) {
    return { filename, contentType, encoding: "base64", content: a.content.toString("base64") };
  }
  if (a.encoding === "base64") {
    if (!BASE64_RE.test(a.content)) throw invalid(`/attachments/${i}/content`, "must be base64");
    return { filename, contentType, encoding: "base64", content: a.content.replace(/\s+/g, "") };
  }
  return { filename, contentType, encoding: "utf8", content: noNul(a.content) };
}

function checkHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME_RE.test(name) || RESERVED_HEADERS.has(name.toLowerCase()))
      throw invalid(`/headers/${name}`, "is not a header Keepdesk lets you set");
    if (/[\r\n\0]/.test(value)) throw invalid(`/headers/${name}`, "must be one line");
  }
  return headers;
}

/** Header text: line breaks would start a new header. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ").trim();
}

/** Postgres text cannot hold NUL. */
function noNul(s: string): string {
  return s.replaceAll("\0", "");
}

function errorText(err: unknown): string {
  const e = err as { message?: unknown; response?: unknown; responseCode?: unknown } | null;
  const text = typeof e?.response === "string" && e.response ? e.response : String(e?.message ?? err);
  return text.slice(0, 2000);
}
