import { sql } from "kysely";
import { type Actor, type RequestCtx, requireRole, SYSTEM } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import { type Config, mailHostOf } from "../../platform/config.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import { retryDelayMs } from "../../platform/events/dispatcher.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { Logger } from "../../platform/logger.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import type { AccountsService, Contact } from "../accounts/accounts.service.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { MAX_ATTACHMENT_BYTES } from "../cases/attachment-types.ts";
import {
  type CaseMessagesService,
  checkUploads,
  MAX_MESSAGE_LENGTH,
  type Upload,
} from "../cases/case-messages.service.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { CasesService } from "../cases/cases.service.ts";
import { type InboundMeta, type InboundRow, emailRepository as repo } from "./email.repository.ts";
import type { InboundStatus } from "./email.tables.ts";
import type { EmailThreads } from "./email-threads.ts";
import { type Classification, classifyInbound, type OwnAddresses } from "./loop-guard.ts";
import { type InboundAttachment, type InboundFacts, readMail, UnreadableMail } from "./mail-facts.ts";
import { foldQuotedHistory } from "./quoted-text.ts";
import { isFreeMailDomain } from "./sender-accounts.ts";
import { findMarkers, plusTokens, subjectCaseNumbers } from "./thread-marker.ts";

/** The timer kind that processes one stored inbound mail (payload `{ inboundMailId }`). */
export const INBOUND_TIMER = "email.inbound";
/** The SMTP listener refuses bigger messages (552) before anything is stored. */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;
/** Unexpected failures are retried this often (with backoff) before the mail is quarantined. */
export const INBOUND_ATTEMPTS = 3;
/** Attachments taken from one mail; the rest are listed as not added. */
export const MAX_MAIL_ATTACHMENTS = 20;

export const INBOUND_STATUSES: readonly InboundStatus[] = [
  "pending",
  "processed",
  "quarantined",
  "duplicate",
  "discarded",
];

export type Envelope = {
  /** MAIL FROM; "" for the null sender `<>` (bounces), null when unknown. */
  mailFrom: string | null;
  rcptTo: string[];
  remoteAddress?: string | null;
};

/** One inbound mail as the admin API shows it. */
export type InboundMail = {
  id: string;
  receivedAt: string;
  size: number;
  envelopeFrom: string | null;
  envelopeTo: string[];
  remoteAddress: string | null;
  status: InboundStatus;
  attempts: number;
  error: string | null;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  flags: string[];
  caseId: string | null;
  caseMessageId: string | null;
  threadedBy: string | null;
  processedAt: string | null;
};

export type InboundMailDetail = InboundMail & { text: string | null };

type Outcome =
  | { ok: true; status: "processed" | "duplicate" }
  | { ok: false; error: string; permanent: boolean };

type Found = { row: CaseRow; how: string };

export function presentInbound(r: InboundMeta): InboundMail {
  return {
    id: r.id,
    receivedAt: r.received_at.toISOString(),
    size: r.size,
    envelopeFrom: r.envelope_from,
    envelopeTo: r.envelope_to,
    remoteAddress: r.remote_address,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    messageId: r.message_id,
    from: r.from_address,
    subject: r.subject,
    flags: r.flags,
    caseId: r.case_id,
    caseMessageId: r.case_message_id,
    threadedBy: r.threaded_by,
    processedAt: r.processed_at?.toISOString() ?? null,
  };
}

/**
 * Inbound email. `receive` stores the raw message in its own transaction (what the SMTP
 * listener calls before it answers 250) and schedules an `email.inbound` timer; the worker then
 * parses it, finds or creates the sender's contact, threads it onto its case (or opens a new
 * one) and adds the message and files — all in one transaction, so a crash mid-way simply
 * processes it again. What cannot be read or processed is quarantined, never dropped.
 */
export class InboundMailService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly caseMessages: CaseMessagesService,
    private readonly accounts: AccountsService,
    private readonly threads: EmailThreads,
  ) {}

  /** Called once by the composition root. */
  register(): void {
    this.timers.register(INBOUND_TIMER, (t, trx) => this.onTimer(t, trx));
  }

  /** Our own addresses: the From address and anything at our mail domain. */
  get ownAddresses(): OwnAddresses {
    const from = /<([^>]+)>/.exec(this.config.mailFrom)?.[1] ?? this.config.mailFrom;
    return {
      addresses: [from.trim().toLowerCase()],
      domains: [mailHostOf(this.config.publicUrl).toLowerCase()],
    };
  }

  /** Stores a raw message and schedules its processing; answers its id. Its own transaction. */
  async receive(raw: Buffer, envelope: Envelope): Promise<string> {
    if (raw.length > MAX_INBOUND_BYTES) throw invalid("/raw", "message too large");
    return this.db.kysely.transaction().execute(async (trx) => {
      const id = newId();
      const now = this.clock.now();
      await repo.insertInbound(
        trx,
        {
          id,
          received_at: now,
          size: raw.length,
          envelope_from: envelope.mailFrom === null ? null : noNul(envelope.mailFrom),
          envelope_to: envelope.rcptTo.map(noNul).slice(0, 100),
          remote_address: envelope.remoteAddress ?? null,
          error: null,
          message_id: null,
          from_address: null,
          subject: null,
          full_text: null,
          case_id: null,
          case_message_id: null,
          threaded_by: null,
          processed_at: null,
        },
        raw,
      );
      await this.timers.schedule(trx, {
        kind: INBOUND_TIMER,
        dueAt: now,
        payload: { inboundMailId: id },
        dedupeKey: `email.inbound:${id}`,
      });
      return id;
    });
  }

  // ---- processing ----

  private async onTimer(timer: DueTimer, trx: Trx): Promise<void> {
    const id = timer.payload.inboundMailId;
    if (typeof id !== "string") return;
    const row = await repo.lockInbound(trx, id);
    if (row?.status !== "pending") return;
    const outcome = await this.attempt(trx, row);
    if (outcome.ok) return;
    const attempts = row.attempts + 1;
    if (outcome.permanent || attempts >= INBOUND_ATTEMPTS) {
      await this.quarantine(trx, row, outcome.error, attempts);
      return;
    }
    this.log.warn(
      { inboundMailId: id, attempts, error: outcome.error },
      "processing inbound mail failed; retrying",
    );
    await repo.updateInbound(trx, id, { attempts, error: outcome.error });
    await this.timers.schedule(trx, {
      kind: INBOUND_TIMER,
      dueAt: new Date(this.clock.now().getTime() + retryDelayMs(attempts)),
      payload: { inboundMailId: id },
      dedupeKey: `email.inbound:${id}`,
    });
  }

  /** One try, in a savepoint: either everything it did stays, or nothing does. */
  private async attempt(trx: Trx, row: InboundRow): Promise<Outcome> {
    await sql`savepoint inbound_mail`.execute(trx);
    try {
      const status = await this.process(trx, row);
      await sql`release savepoint inbound_mail`.execute(trx);
      return { ok: true, status };
    } catch (err) {
      await sql`rollback to savepoint inbound_mail`.execute(trx);
      // The same Message-ID processed meanwhile by another worker: a duplicate after all.
      if (
        (err as { code?: unknown }).code === "23505" &&
        /email_message_ids/.test(
          String((err as Error).message) + String((err as { constraint?: unknown }).constraint),
        )
      ) {
        const facts = await readMail(asBuffer(row.raw)).catch(() => undefined);
        if (facts && (await this.markIfDuplicate(trx, row, facts))) return { ok: true, status: "duplicate" };
      }
      const permanent = err instanceof UnreadableMail || err instanceof AppError;
      if (!permanent) this.log.error({ err, inboundMailId: row.id }, "processing inbound mail failed");
      await this.rememberFacts(trx, row, err);
      return { ok: false, error: errorText(err), permanent };
    }
  }

  /** What could be read of a mail that failed, so the quarantine list shows who sent what. */
  private async rememberFacts(trx: Trx, row: InboundRow, err: unknown): Promise<void> {
    let set: Partial<InboundRow>;
    if (err instanceof UnreadableMail) {
      if (!err.partial) return;
      set = {
        message_id: err.partial.messageId,
        from_address: err.partial.from,
        subject: err.partial.subject,
      };
    } else {
      const facts = await readMail(asBuffer(row.raw)).catch(() => undefined);
      if (!facts) return;
      set = {
        message_id: facts.messageId,
        from_address: facts.from?.address ?? null,
        subject: facts.subject || null,
        full_text: facts.text || null,
      };
    }
    await repo.updateInbound(trx, row.id, set);
    Object.assign(row, set);
  }

  private async quarantine(trx: Trx, row: InboundRow, error: string, attempts: number): Promise<void> {
    await repo.updateInbound(trx, row.id, { status: "quarantined", error, attempts, processed_at: null });
    await this.bus.append(trx, {
      type: "inbound_mail.quarantined",
      entityType: "inbound_mail",
      entityId: row.id,
      data: { error, from: row.from_address, subject: row.subject },
    });
  }

  private async markIfDuplicate(trx: Trx, row: InboundRow, facts: InboundFacts): Promise<boolean> {
    const known = await this.threads.byMessageIds(trx, [facts.messageId]);
    if (!known) return false;
    await repo.updateInbound(trx, row.id, {
      status: "duplicate",
      message_id: facts.messageId,
      from_address: facts.from?.address ?? null,
      subject: facts.subject || null,
      case_id: known.caseId,
      error: null,
      processed_at: this.clock.now(),
    });
    return true;
  }

  /** Parses, threads and stores one mail; throws to leave it unprocessed. */
  private async process(trx: Trx, row: InboundRow): Promise<"processed" | "duplicate"> {
    const facts = await readMail(asBuffer(row.raw));
    await repo.updateInbound(trx, row.id, {
      message_id: facts.messageId,
      from_address: facts.from?.address ?? null,
      subject: facts.subject || null,
      full_text: facts.text || null,
    });
    if (!facts.from) {
      throw new UnreadableMail("no sender: the message has no From address", {
        messageId: facts.hasMessageId ? facts.messageId : null,
        from: null,
        subject: facts.subject || null,
      });
    }
    if (await this.markIfDuplicate(trx, row, facts)) return "duplicate";

    const from = facts.from;
    const cls = classifyInbound({
      header: facts.header,
      from: from.address,
      envelopeFrom: row.envelope_from,
      contentType: facts.contentType,
      subject: facts.subject,
      own: this.ownAddresses,
    });
    const flags = [...cls.flags];
    const existing = await this.accounts.contactByEmailIn(trx, from.address);
    const found = await this.findCase(trx, facts, cls, row, existing, flags);
    const ctx: RequestCtx = SYSTEM;
    const folded = foldQuotedHistory(facts.text, facts.subject);
    const { uploads, refused } = this.prepareFiles(facts.attachments);
    let text = folded.text.trim() || "(The email had no text.)";
    if (refused.length > 0)
      text += `\n\n---\nAttachments not added:\n${refused.map((r) => `- ${r}`).join("\n")}`;

    let caseId: string;
    let caseMessageId: string | null = null;
    let threadedBy: string;
    if (found) {
      threadedBy = found.how;
      if (cls.automatic) {
        // An auto-reply, a bounce or our own mail come back: information for staff, never a
        // customer message (which would reopen the case or end "waiting on customer").
        const message = await this.caseMessages.addIn(
          trx,
          ctx,
          found.row.id,
          {
            kind: "note",
            body: limit(
              `${automaticLabel(cls)} from ${fromLine(from)}: ${facts.subject || "(no subject)"}\n\n${text}`,
            ),
          },
          uploads,
        );
        caseId = message.caseId;
        caseMessageId = message.id;
      } else {
        const contact = await this.senderContact(trx, ctx, from, existing, cls);
        const sameAccount =
          contact && (found.row.account_id === null || contact.accountId === found.row.account_id);
        const body = sameAccount ? text : `From: ${fromLine(from)}\n\n${text}`;
        const message = await this.caseMessages.addIn(
          trx,
          ctx,
          found.row.id,
          { kind: "customer", body: limit(body), contactId: sameAccount ? contact.id : null },
          uploads,
        );
        caseId = message.caseId;
        caseMessageId = message.id;
        // A hold is set only by the mail that opens a case; a person writing lifts it.
        const thread = await this.threads.ensure(trx, caseId);
        if (!cls.noAutoMailReason && thread.no_auto_mail_reason) await repo.setNoAutoMail(trx, caseId, null);
      }
    } else {
      threadedBy = "new_case";
      const contact =
        cls.automatic || flags.includes("automatic_sender")
          ? undefined
          : await this.senderContact(trx, ctx, from, existing, cls);
      const tags = [
        ...(flags.includes("bounce") ? ["bounce"] : []),
        ...(flags.includes("auto_reply") ? ["auto-reply"] : []),
        ...(flags.includes("list") || flags.includes("bulk") ? ["bulk-mail"] : []),
      ];
      const created = await this.cases.insertCase(
        trx,
        ctx,
        {
          subject: facts.subject || "(no subject)",
          description: limit(text),
          accountId: contact?.accountId,
          contactId: contact?.id,
          channel: "email",
          receivedAt: row.received_at.toISOString(),
          tags,
        },
        { status: "new" },
      );
      caseId = created.id;
      // Before any file: the acknowledgement handler reads the hold when case.created is delivered.
      await this.threads.ensure(trx, caseId, cls.noAutoMailReason);
      if (uploads.length > 0)
        await this.caseMessages.attachIn(trx, ctx, caseId, uploads, { contactId: contact?.id ?? null });
    }
    await this.threads.record(trx, {
      messageId: facts.messageId,
      caseId,
      direction: "in",
      inboundMailId: row.id,
      caseMessageId,
    });
    await repo.updateInbound(trx, row.id, {
      status: "processed",
      flags,
      case_id: caseId,
      case_message_id: caseMessageId,
      threaded_by: threadedBy,
      error: null,
      processed_at: this.clock.now(),
    });
    return "processed";
  }

  /**
   * Threading: In-Reply-To, then each References entry (newest first), then for a bounce the
   * Message-IDs in its report, then our marker (`[ref:CS-…:token]` in the text or a `+token`
   * recipient), then `[CS-000123]` in the subject — only when the sender belongs to that case's
   * account: a stranger quoting a number never lands on another customer's case.
   */
  private async findCase(
    trx: Trx,
    facts: InboundFacts,
    cls: Classification,
    row: InboundRow,
    sender: Contact | undefined,
    flags: string[],
  ): Promise<Found | undefined> {
    const byIds = async (ids: string[], how: string) => {
      const hit = await this.threads.byMessageIds(trx, ids);
      const target = hit ? await this.threads.follow(trx, hit.caseId) : undefined;
      return target ? { row: target, how } : undefined;
    };
    const viaReply = await byIds(facts.inReplyTo, "in_reply_to");
    if (viaReply) return viaReply;
    const viaRefs = await byIds([...facts.references].reverse(), "references");
    if (viaRefs) return viaRefs;
    if (cls.flags.includes("bounce")) {
      const viaReport = await byIds(facts.embeddedMessageIds, "bounce_report");
      if (viaReport) return viaReport;
    }
    for (const m of findMarkers(`${facts.text}\n${facts.html ?? ""}`)) {
      const caseId = await this.threads.byToken(trx, m.token);
      const target = caseId ? await this.threads.follow(trx, caseId) : undefined;
      // The number in a marker is for people; the token decides, but both must agree.
      const original = caseId ? await this.cases.findRow(trx, caseId) : undefined;
      if (target && original?.number === m.number) return { row: target, how: "marker" };
    }
    for (const token of plusTokens([...facts.recipients, ...row.envelope_to])) {
      const caseId = await this.threads.byToken(trx, token);
      const target = caseId ? await this.threads.follow(trx, caseId) : undefined;
      if (target) return { row: target, how: "plus_address" };
    }
    for (const n of subjectCaseNumbers(facts.subject)) {
      const numbered = await this.cases.findRowByNumber(trx, n);
      if (!numbered) continue;
      if (await this.belongsToAccount(trx, facts, sender, numbered)) {
        const target = await this.threads.follow(trx, numbered.id);
        if (target) return { row: target, how: "subject_number" };
      } else if (!flags.includes("case_number_ignored")) {
        flags.push("case_number_ignored");
        this.log.info(
          { from: facts.from?.address, number: formatCaseNumber(n) },
          "inbound mail names a case of another account; opening a new case",
        );
      }
    }
    return undefined;
  }

  /** The sender is a contact of the case's account, or unknown but writing from its domain. */
  private async belongsToAccount(
    trx: Trx,
    facts: InboundFacts,
    sender: Contact | undefined,
    row: CaseRow,
  ): Promise<boolean> {
    if (!row.account_id) return false;
    if (sender) return sender.accountId === row.account_id;
    const domain = facts.from?.address.split("@")[1] ?? "";
    if (!domain || isFreeMailDomain(domain)) return false;
    const account = await this.accounts.accountIn(trx, row.account_id);
    return account?.domain?.toLowerCase() === domain.toLowerCase();
  }

  /**
   * The contact who wrote: the one with this address; else a new contact in the account whose
   * domain matches the sender's, else in a new account — named after the domain (and owning it)
   * for an organisation's domain, after the person for a free-mail address.
   */
  private async senderContact(
    trx: Trx,
    ctx: RequestCtx,
    from: { address: string; name: string },
    existing: Contact | undefined,
    cls: Classification,
  ): Promise<Contact | undefined> {
    if (existing) return existing;
    if (cls.flags.includes("own_address") || cls.flags.includes("automatic_sender")) return undefined;
    const domain = from.address.split("@")[1]?.toLowerCase() ?? "";
    const personal = !domain || isFreeMailDomain(domain);
    const name = from.name || from.address.split("@")[0] || from.address;
    const account =
      (personal ? undefined : await this.accounts.accountByDomainIn(trx, domain)) ??
      (await this.accounts.createAccountIn(trx, ctx, personal ? { name } : { name: domain, domain }));
    return this.accounts.createContactIn(trx, ctx, { accountId: account.id, name, email: from.address });
  }

  /** Files the case accepts; the others are named in the message, never an error that loses the mail. */
  private prepareFiles(attachments: InboundAttachment[]): { uploads: Upload[]; refused: string[] } {
    const uploads: Upload[] = [];
    const refused: string[] = [];
    attachments.forEach((a, i) => {
      const name =
        a.filename ?? (a.contentType === "message/rfc822" ? "forwarded-message.eml" : `attachment-${i + 1}`);
      if (uploads.length >= MAX_MAIL_ATTACHMENTS) {
        refused.push(`${name}: more than ${MAX_MAIL_ATTACHMENTS} attachments in one email`);
        return;
      }
      if (a.content.length > MAX_ATTACHMENT_BYTES) {
        refused.push(
          `${name} (${megabytes(a.content.length)}): files may be at most ${megabytes(MAX_ATTACHMENT_BYTES)}`,
        );
        return;
      }
      const upload: Upload = {
        filename: name,
        mimetype: a.contentType,
        data: a.content,
        path: `/attachments/${i}`,
      };
      try {
        checkUploads([upload]);
        uploads.push(upload);
      } catch (err) {
        const message = String((err as Error).message).replace(/^attachments\/\d+: /, "");
        refused.push(`${name}: ${message}`);
      }
    });
    return { uploads, refused };
  }

  // ---- admin ----

  async list(
    actor: Actor,
    query: {
      status?: string[] | undefined;
      caseId?: string | undefined;
      limit?: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<InboundMail> & { counts: Record<string, number> }> {
    requireRole(actor, ["admin"], "read inbound mail");
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    const statuses = (query.status ?? [])
      .flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
    for (const s of statuses) {
      if (!(INBOUND_STATUSES as readonly string[]).includes(s))
        throw invalid("/status", `${s} is not one of ${INBOUND_STATUSES.join(", ")}`);
    }
    const db = this.db.kysely;
    const rows = await repo.listInbound(db, {
      status: statuses as InboundStatus[],
      caseId: query.caseId,
      after: after ? [new Date(after[0] as string), after[1] as string] : undefined,
      limit,
    });
    const page = toPage(rows, limit, (r) => [r.received_at.toISOString(), r.id], presentInbound);
    return { ...page, counts: await repo.countByStatus(db) };
  }

  async get(actor: Actor, id: string): Promise<InboundMailDetail> {
    requireRole(actor, ["admin"], "read inbound mail");
    const row = await repo.findInbound(this.db.kysely, id);
    if (!row) throw notFound("Inbound mail");
    return { ...presentInbound(row), text: row.full_text };
  }

  /** The message exactly as received (`.eml`). */
  async raw(actor: Actor, id: string): Promise<{ filename: string; content: Buffer }> {
    requireRole(actor, ["admin"], "download inbound mail");
    const row = await repo.rawOf(this.db.kysely, id);
    if (!row) throw notFound("Inbound mail");
    const stamp = row.received_at
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    return {
      filename: `inbound-${stamp}-${id.slice(-8)}.eml`,
      content: row.raw,
    };
  }

  /** Processes a quarantined mail again now; it stays quarantined (with the new error) if it fails again. */
  async retry(ctx: RequestCtx, id: string): Promise<InboundMailDetail> {
    requireRole(ctx.actor, ["admin"], "retry inbound mail");
    await this.db.kysely.transaction().execute(async (trx) => {
      const row = await repo.lockInbound(trx, id);
      if (!row) throw notFound("Inbound mail");
      if (row.status !== "quarantined")
        throw ruleRefused(`Only quarantined mail can be retried; this one is ${row.status}`);
      const outcome = await this.attempt(trx, row);
      const attempts = row.attempts + 1;
      if (outcome.ok) await repo.updateInbound(trx, id, { attempts });
      else await repo.updateInbound(trx, id, { attempts, error: outcome.error });
      await this.audit.record(trx, ctx, {
        action: "inbound_mail.retried",
        targetType: "inbound_mail",
        targetId: id,
        details: outcome.ok ? { status: outcome.status } : { status: "quarantined", error: outcome.error },
      });
    });
    return this.get(ctx.actor, id);
  }

  /** Marks a quarantined mail as dealt with; the raw message stays downloadable. */
  async discard(ctx: RequestCtx, id: string): Promise<InboundMailDetail> {
    requireRole(ctx.actor, ["admin"], "discard inbound mail");
    await this.db.kysely.transaction().execute(async (trx) => {
      const row = await repo.lockInbound(trx, id);
      if (!row) throw notFound("Inbound mail");
      if (row.status !== "quarantined")
        throw ruleRefused(`Only quarantined mail can be discarded; this one is ${row.status}`);
      await repo.updateInbound(trx, id, { status: "discarded", processed_at: this.clock.now() });
      await this.audit.record(trx, ctx, {
        action: "inbound_mail.discarded",
        targetType: "inbound_mail",
        targetId: id,
        details: { from: row.from_address, subject: row.subject, error: row.error },
      });
    });
    return this.get(ctx.actor, id);
  }
}

function automaticLabel(cls: Classification): string {
  if (cls.flags.includes("bounce")) return "Delivery failure report";
  if (cls.flags.includes("own_address")) return "Mail from our own address";
  return "Automatic reply";
}

function fromLine(from: { address: string; name: string }): string {
  return from.name ? `${from.name} <${from.address}>` : from.address;
}

function limit(text: string): string {
  if (text.length <= MAX_MESSAGE_LENGTH) return text;
  const note =
    "\n\n[… the rest of this email was too long to keep here; the full message is in the inbound mail log]";
  return text.slice(0, MAX_MESSAGE_LENGTH - note.length) + note;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function noNul(s: string): string {
  return s.replaceAll("\0", "");
}

function errorText(err: unknown): string {
  return String((err as Error)?.message ?? err).slice(0, 2000);
}
