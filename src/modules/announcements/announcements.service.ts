import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import { sha256 } from "../../platform/auth/secrets.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Config } from "../../platform/config.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId, newSecret } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, encodeCursor, oneOf, type Page } from "../../platform/pagination.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import { guarded } from "../cases/case-input.ts";
import type { MailService } from "../mail/mail.service.ts";
import { describeSegment, normalizeSegment, type Segment } from "../segments/segments.ts";
import type { UsersService } from "../users/users.service.ts";
import { type RenderedMail, renderAnnouncementMail } from "./announcement-mail.ts";
import {
  type AnnouncementRow,
  type At,
  type RecipientCounts,
  announcementsRepository as repo,
} from "./announcements.repository.ts";
import type { AnnouncementStatus, PreferenceSource, RecipientStatus } from "./announcements.tables.ts";
import type { UnsubscribeView } from "./unsubscribe-page.ts";

/** Starts a scheduled announcement (payload `{ announcementId }`). */
export const ANNOUNCEMENT_START_TIMER = "announcement.start";
/** Mails the next batch of an announcement's recipients (payload `{ announcementId, batch }`). */
export const ANNOUNCEMENT_BATCH_TIMER = "announcement.batch";
/** Recipients mailed per run of the batch timer. */
export const ANNOUNCEMENT_BATCH_SIZE = 200;
/** The unsubscribe link of a test copy: shows a sample page, changes nothing. */
export const SAMPLE_TOKEN = "test-copy";

export const ANNOUNCEMENT_STATUSES: readonly AnnouncementStatus[] = [
  "draft",
  "scheduled",
  "sending",
  "sent",
  "cancelled",
];
export const RECIPIENT_STATUSES: readonly RecipientStatus[] = ["pending", "sent", "skipped"];

/** Who writes drafts (sales only their own) and who sends, schedules and cancels. */
const DRAFTERS = ["admin", "manager", "sales"] as const;
const SENDERS = ["admin", "manager"] as const;
/** How far ahead an announcement may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

export type Announcement = {
  id: string;
  subject: string;
  body: string;
  segment: Segment;
  segmentDescription: string;
  languages: string[];
  status: AnnouncementStatus;
  scheduledFor: string | null;
  sendingStartedAt: string | null;
  sentAt: string | null;
  cancelledAt: string | null;
  recipients: RecipientCounts;
  createdById: string | null;
  sentById: string | null;
  createdAt: string;
  updatedAt: string;
};

export type Recipient = {
  contactId: string;
  accountId: string;
  accountName: string;
  name: string;
  email: string;
  status: RecipientStatus;
  skipReason: "opted_out" | null;
  sentAt: string | null;
};

export type AudiencePreview = {
  segmentDescription: string;
  accounts: number;
  contacts: number;
  optedOut: number;
};

export type CommunicationPreferences = {
  contactId: string;
  announcements: boolean;
  optedOutAt: string | null;
  source: PreferenceSource | null;
  updatedAt: string | null;
  history: {
    id: string;
    announcements: boolean;
    source: PreferenceSource;
    changedById: string | null;
    changedByName: string | null;
    announcementId: string | null;
    announcementSubject: string | null;
    changedAt: string;
  }[];
};

export type AnnouncementInput = {
  subject: string;
  body: string;
  segment: Segment;
  languages?: string[] | null | undefined;
};

/**
 * Announcements of new services to segments of customers. The recipient list is fixed when
 * sending starts (opted-out contacts recorded as skipped); a database timer mails them in
 * batches; each mail carries a personal unsubscribe link and RFC 8058 one-click headers.
 * Contacts' opt-out is theirs to change by the link, in the portal, or by staff on request.
 */
export class AnnouncementsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly config: Config,
    private readonly mail: MailService,
    private readonly users: UsersService,
  ) {}

  registerTimers(): void {
    this.timers.register(ANNOUNCEMENT_START_TIMER, this.onStart);
    this.timers.register(ANNOUNCEMENT_BATCH_TIMER, this.onBatch);
  }

  // ---- announcements ----

  async list(
    actor: Actor,
    query: { status?: string[] | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Page<Announcement>> {
    requireStaff(actor);
    const limit = clampLimit(query.limit);
    const cursor = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    const status = oneOf(query.status, ANNOUNCEMENT_STATUSES, "/status");
    const rows = await repo.list(
      this.db.kysely,
      status ? { status } : {},
      limit,
      cursor ? { createdAt: new Date(String(cursor[0])), id: String(cursor[1]) } : undefined,
    );
    const page = rows.slice(0, limit);
    const counts = await repo.counts(
      this.db.kysely,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => present(r, counts.get(r.id))),
      nextCursor: rows.length > limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<Announcement> {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Announcement");
    return this.presentOne(row);
  }

  async create(ctx: RequestCtx, input: AnnouncementInput): Promise<Announcement> {
    requireRole(ctx.actor, DRAFTERS, "write announcements");
    const clean = cleanInput(input);
    return this.tx(async (trx) => {
      const now = this.clock.now();
      const id = newId();
      await repo.insert(trx, {
        id,
        subject: clean.subject,
        body: clean.body,
        segment: JSON.stringify(clean.segment),
        languages: clean.languages,
        status: "draft",
        scheduled_for: null,
        sending_started_at: null,
        sent_at: null,
        cancelled_at: null,
        created_by_id: actorId(ctx.actor),
        sent_by_id: null,
        created_at: now,
        updated_at: now,
      });
      return this.presentOne((await repo.find(trx, id))!, trx);
    });
  }

  async update(ctx: RequestCtx, id: string, input: Partial<AnnouncementInput>): Promise<Announcement> {
    requireRole(ctx.actor, DRAFTERS, "write announcements");
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Announcement");
      this.requireMayEdit(ctx.actor, row);
      const clean = cleanPartial(input);
      await repo.update(trx, id, {
        ...(clean.subject !== undefined ? { subject: clean.subject } : {}),
        ...(clean.body !== undefined ? { body: clean.body } : {}),
        ...(clean.segment !== undefined ? { segment: JSON.stringify(clean.segment) } : {}),
        ...(clean.languages !== undefined ? { languages: clean.languages } : {}),
        updated_at: this.clock.now(),
      });
      return this.presentOne((await repo.find(trx, id))!, trx);
    });
  }

  async delete(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, DRAFTERS, "delete announcements");
    await this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Announcement");
      if (row.status !== "draft" && row.status !== "cancelled")
        throw ruleRefused(`A ${row.status} announcement is kept on record; only drafts are deleted`, {
          announcementStatus: row.status,
        });
      this.requireMayEdit(ctx.actor, row);
      await repo.delete(trx, id);
    });
  }

  /** Who a segment (and languages) would reach now. */
  async previewAudience(
    actor: Actor,
    input: { segment: Segment; languages?: string[] | null | undefined },
  ): Promise<AudiencePreview> {
    requireStaff(actor);
    const segment = normalizeSegment(input.segment);
    const languages = cleanLanguages(input.languages);
    const counts = await repo.audience(this.db.kysely, segment, languages, this.at());
    return { segmentDescription: describeSegment(segment), ...counts };
  }

  /** The mail as a recipient would read it, addressed to the signed-in user (the compose page's preview). */
  async previewMail(actor: Actor, input: { subject: string; body: string }): Promise<RenderedMail> {
    requireStaff(actor);
    const name =
      actor.kind === "user" ? ((await this.users.userIn(this.db.kysely, actor.id))?.name ?? "") : "";
    return renderAnnouncementMail(
      { subject: input.subject || " ", body: input.body },
      { name: name || "Wile E. Coyote", accountName: "Acme Corporation" },
      this.unsubscribeUrl(SAMPLE_TOKEN),
    );
  }

  /** Sends now, or schedules for `scheduledFor`. Only drafts and cancelled announcements go. */
  async send(
    ctx: RequestCtx,
    id: string,
    input: { scheduledFor?: string | undefined },
  ): Promise<Announcement> {
    requireRole(ctx.actor, SENDERS, "send announcements");
    const now = this.clock.now();
    let scheduledFor: Date | null = null;
    if (input.scheduledFor !== undefined) {
      scheduledFor = new Date(input.scheduledFor);
      if (Number.isNaN(scheduledFor.getTime())) throw invalid("/scheduledFor", "must be a date-time");
      if (scheduledFor.getTime() <= now.getTime()) throw invalid("/scheduledFor", "must be in the future");
      if (scheduledFor.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_MS)
        throw invalid("/scheduledFor", "must be within a year");
    }
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Announcement");
      if (row.status !== "draft" && row.status !== "cancelled")
        throw ruleRefused(`This announcement is ${row.status}; only a draft is sent`, {
          announcementStatus: row.status,
        });
      const audience = await repo.audience(trx, row.segment, row.languages, this.at());
      if (audience.contacts === 0)
        throw ruleRefused(
          audience.optedOut > 0
            ? "Every contact this segment reaches has opted out of announcements"
            : "This segment reaches no contacts with an email address",
          { audience },
        );
      if (scheduledFor) {
        await repo.update(trx, id, {
          status: "scheduled",
          scheduled_for: scheduledFor,
          cancelled_at: null,
          sent_by_id: actorId(ctx.actor),
          updated_at: now,
        });
        await this.timers.schedule(trx, {
          kind: ANNOUNCEMENT_START_TIMER,
          dueAt: scheduledFor,
          payload: { announcementId: id },
          dedupeKey: startKey(id),
        });
        await this.bus.append(trx, {
          type: "announcement.scheduled",
          entityType: "announcement",
          entityId: id,
          actorId: actorId(ctx.actor),
          data: { subject: row.subject, scheduledFor: scheduledFor.toISOString() },
        });
      } else {
        await this.start(trx, row, actorId(ctx.actor));
      }
      return this.presentOne((await repo.find(trx, id))!, trx);
    });
  }

  /** Stops a scheduled announcement before it goes; it can be edited and sent again later. */
  async cancel(ctx: RequestCtx, id: string): Promise<Announcement> {
    requireRole(ctx.actor, SENDERS, "cancel announcements");
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Announcement");
      if (row.status !== "scheduled")
        throw ruleRefused(`Only a scheduled announcement is cancelled; this one is ${row.status}`, {
          announcementStatus: row.status,
        });
      const now = this.clock.now();
      await repo.update(trx, id, {
        status: "cancelled",
        scheduled_for: null,
        cancelled_at: now,
        updated_at: now,
      });
      await this.timers.cancel(trx, startKey(id));
      await this.bus.append(trx, {
        type: "announcement.cancelled",
        entityType: "announcement",
        entityId: id,
        actorId: actorId(ctx.actor),
        data: { subject: row.subject, scheduledFor: row.scheduled_for?.toISOString() ?? null },
      });
      return this.presentOne((await repo.find(trx, id))!, trx);
    });
  }

  /** A test copy to the signed-in user (or `email`), personalised with their name; its unsubscribe link is a sample. */
  async sendTest(
    ctx: RequestCtx,
    id: string,
    input: { email?: string | undefined },
  ): Promise<{ to: string }> {
    requireRole(ctx.actor, DRAFTERS, "send test copies");
    return this.tx(async (trx) => {
      const row = await repo.find(trx, id);
      if (!row) throw notFound("Announcement");
      const me = ctx.actor.kind === "user" ? await this.users.userIn(trx, ctx.actor.id) : undefined;
      const to = input.email?.trim() || me?.email;
      if (!to) throw invalid("/email", "is required when no user is signed in");
      const url = this.unsubscribeUrl(SAMPLE_TOKEN);
      const mail = renderAnnouncementMail(
        row,
        { name: me?.name ?? to, accountName: "Acme Corporation" },
        url,
      );
      await this.mail.enqueue(trx, {
        to,
        toName: me?.name ?? null,
        subject: `[Test] ${mail.subject}`,
        text: mail.text,
        html: mail.html,
        headers: this.listHeaders(url),
        purpose: "announcement.test",
      });
      return { to };
    });
  }

  async recipients(
    actor: Actor,
    id: string,
    query: { status?: string[] | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Page<Recipient>> {
    requireStaff(actor);
    const k = this.db.kysely;
    if (!(await repo.find(k, id))) throw notFound("Announcement");
    const limit = clampLimit(query.limit);
    const cursor = decodeCursor(query.cursor, ["string"]);
    const rows = await repo.recipients(
      k,
      id,
      oneOf(query.status, RECIPIENT_STATUSES, "/status"),
      limit,
      cursor ? String(cursor[0]) : undefined,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        contactId: r.contact_id,
        accountId: r.account_id,
        accountName: r.account_name,
        name: r.name,
        email: r.email,
        status: r.status,
        skipReason: r.skip_reason,
        sentAt: r.sent_at?.toISOString() ?? null,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.email]) : null,
    };
  }

  // ---- sending ----

  /** Fixes the recipient list and hands the first batch to the timer. */
  private async start(trx: Trx, row: AnnouncementRow, byId: string | null): Promise<void> {
    const now = this.clock.now();
    await repo.fixRecipients(trx, row.id, row.segment, row.languages, this.at());
    await repo.update(trx, row.id, {
      status: "sending",
      scheduled_for: null,
      sending_started_at: now,
      cancelled_at: null,
      sent_by_id: byId ?? row.sent_by_id,
      updated_at: now,
    });
    await this.scheduleBatch(trx, row.id, 1);
  }

  private async scheduleBatch(trx: Trx, id: string, batch: number): Promise<void> {
    await this.timers.schedule(trx, {
      kind: ANNOUNCEMENT_BATCH_TIMER,
      dueAt: this.clock.now(),
      payload: { announcementId: id, batch },
      dedupeKey: `announcement:${id}:batch:${batch}`,
    });
  }

  /** The scheduled time has come: fix the list and start mailing. */
  readonly onStart = async (timer: DueTimer, trx: Trx): Promise<void> => {
    const id = timer.payload.announcementId;
    if (typeof id !== "string") return;
    const row = await repo.lock(trx, id);
    // Cancelled, or already started: nothing to do.
    if (row?.status !== "scheduled") return;
    await this.start(trx, row, null);
  };

  /**
   * One batch: up to 200 pending recipients, each mailed once (the rows are locked and marked in
   * this transaction). A contact who opted out since the list was fixed is skipped. Then the next
   * batch is scheduled, or the announcement is sent.
   */
  readonly onBatch = async (timer: DueTimer, trx: Trx): Promise<void> => {
    const id = timer.payload.announcementId;
    if (typeof id !== "string") return;
    const row = await repo.lock(trx, id);
    if (row?.status !== "sending") return;
    const now = this.clock.now();
    const batch = await repo.claimPending(trx, id, ANNOUNCEMENT_BATCH_SIZE);
    for (const r of batch) {
      if (r.opted_out) {
        await repo.markSkipped(trx, id, r.contact_id);
        continue;
      }
      const token = newSecret(24);
      const url = this.unsubscribeUrl(token);
      const mail = renderAnnouncementMail(row, { name: r.name, accountName: r.account_name }, url);
      const { id: mailId } = await this.mail.enqueue(trx, {
        to: r.email,
        toName: r.name,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: this.listHeaders(url),
        purpose: "announcement",
      });
      await repo.markSent(trx, id, r.contact_id, {
        token_hash: sha256(token),
        mail_id: mailId,
        sent_at: now,
      });
    }
    if ((await repo.pendingLeft(trx, id)) > 0) {
      const n = typeof timer.payload.batch === "number" ? timer.payload.batch : 1;
      await this.scheduleBatch(trx, id, n + 1);
      return;
    }
    await repo.update(trx, id, { status: "sent", sent_at: now, updated_at: now });
    const counts = (await repo.counts(trx, [id])).get(id) ?? { total: 0, pending: 0, sent: 0, optedOut: 0 };
    await this.bus.append(trx, {
      type: "announcement.sent",
      entityType: "announcement",
      entityId: id,
      actorId: row.sent_by_id,
      data: {
        subject: row.subject,
        segment: describeSegment(row.segment),
        total: counts.total,
        sent: counts.sent,
        optedOut: counts.optedOut,
      },
    });
  };

  private listHeaders(url: string): Record<string, string> {
    return {
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      Precedence: "bulk",
      "Auto-Submitted": "auto-generated",
    };
  }

  private unsubscribeUrl(token: string): string {
    return `${this.config.publicUrl}/u/${token}`;
  }

  // ---- communication preferences ----

  async preferences(actor: Actor, contactId: string): Promise<CommunicationPreferences> {
    requireStaff(actor);
    const k = this.db.kysely;
    if (!(await repo.contact(k, contactId))) throw notFound("Contact");
    return this.presentPreferences(contactId);
  }

  async setPreferences(
    ctx: RequestCtx,
    contactId: string,
    input: { announcements: boolean },
  ): Promise<CommunicationPreferences> {
    requireStaff(ctx.actor);
    await this.tx(async (trx) => {
      if (!(await repo.lockContact(trx, contactId))) throw notFound("Contact");
      await this.change(trx, contactId, input.announcements, "staff", actorId(ctx.actor), null);
    });
    return this.presentPreferences(contactId);
  }

  /** The portal contact's own preference. */
  async portalPreferences(actor: Actor): Promise<{ announcements: boolean; updatedAt: string | null }> {
    const contactId = this.portalContact(actor);
    const pref = await repo.preference(this.db.kysely, contactId);
    return {
      announcements: !pref?.announcements_opt_out_at,
      updatedAt: pref?.updated_at.toISOString() ?? null,
    };
  }

  async setPortalPreferences(
    ctx: RequestCtx,
    input: { announcements: boolean },
  ): Promise<{ announcements: boolean; updatedAt: string | null }> {
    const contactId = this.portalContact(ctx.actor);
    await this.tx(async (trx) => {
      if (!(await repo.lockContact(trx, contactId))) throw notFound("Contact");
      await this.change(trx, contactId, input.announcements, "portal", null, null);
    });
    return this.portalPreferences(ctx.actor);
  }

  /** What the emailed link shows (GET): never changes anything. */
  async unsubscribeView(token: string): Promise<UnsubscribeView> {
    if (token === SAMPLE_TOKEN) return { kind: "sample" };
    const k = this.db.kysely;
    const r = await this.recipientOf(token);
    if (!r) return { kind: "unknown" };
    const pref = await repo.preference(k, r.contact_id);
    return pref?.announcements_opt_out_at
      ? { kind: "unsubscribed", token, email: r.email, justNow: false }
      : { kind: "subscribed", token, email: r.email };
  }

  /** The link's POST (the page's button, or an RFC 8058 one-click POST from the mailbox). */
  async unsubscribeByToken(token: string, action: "unsubscribe" | "resubscribe"): Promise<UnsubscribeView> {
    if (token === SAMPLE_TOKEN) return { kind: "sample" };
    const r = await this.recipientOf(token);
    if (!r) return { kind: "unknown" };
    const changed = await this.tx(async (trx) => {
      if (!(await repo.lockContact(trx, r.contact_id))) return false;
      return this.change(trx, r.contact_id, action === "resubscribe", "link", null, r.announcement_id);
    });
    return action === "resubscribe"
      ? { kind: "resubscribed", token, email: r.email }
      : { kind: "unsubscribed", token, email: r.email, justNow: changed };
  }

  private async recipientOf(token: string) {
    if (!token || token.length > 100) return undefined;
    return repo.recipientByTokenHash(this.db.kysely, sha256(token));
  }

  /** Records a change of the announcements preference (none when it already stands). */
  private async change(
    trx: Trx,
    contactId: string,
    announcements: boolean,
    source: PreferenceSource,
    byId: string | null,
    announcementId: string | null,
  ): Promise<boolean> {
    const pref = await repo.preference(trx, contactId);
    const optedOut = !!pref?.announcements_opt_out_at;
    if (optedOut === !announcements) return false;
    const now = this.clock.now();
    await repo.setPreference(trx, contactId, {
      optOutAt: announcements ? null : now,
      source,
      byId,
      at: now,
    });
    await repo.insertChange(trx, {
      id: newId(),
      contact_id: contactId,
      announcements,
      source,
      changed_by_id: byId,
      announcement_id: announcementId,
      changed_at: now,
    });
    const contact = await repo.contact(trx, contactId);
    await this.bus.append(trx, {
      type: announcements ? "contact.announcements_resubscribed" : "contact.announcements_opted_out",
      entityType: "contact",
      entityId: contactId,
      accountId: contact?.account_id ?? null,
      actorId: byId,
      data: { source, announcementId },
    });
    return true;
  }

  private async presentPreferences(contactId: string): Promise<CommunicationPreferences> {
    const k = this.db.kysely;
    const pref = await repo.preference(k, contactId);
    const history = await repo.changes(k, contactId, 50);
    return {
      contactId,
      announcements: !pref?.announcements_opt_out_at,
      optedOutAt: pref?.announcements_opt_out_at?.toISOString() ?? null,
      source: pref?.source ?? null,
      updatedAt: pref?.updated_at.toISOString() ?? null,
      history: history.map((h) => ({
        id: h.id,
        announcements: h.announcements,
        source: h.source,
        changedById: h.changed_by_id,
        changedByName: h.changed_by_name,
        announcementId: h.announcement_id,
        announcementSubject: h.announcement_subject,
        changedAt: h.changed_at.toISOString(),
      })),
    };
  }

  private portalContact(actor: Actor): string {
    if (actor.kind !== "contact") throw new AppError("forbidden", "Portal contacts only");
    return actor.id;
  }

  // ---- helpers ----

  /** Sales edit only their own drafts; nobody edits what is sending or sent. */
  private requireMayEdit(actor: Actor, row: AnnouncementRow): void {
    if (row.status === "sending" || row.status === "sent")
      throw ruleRefused(`A ${row.status} announcement cannot be changed`, { announcementStatus: row.status });
    if (actor.kind === "user" && actor.role === "sales") {
      if (row.created_by_id !== actor.id) throw new AppError("forbidden", "Sales edit only their own drafts");
      if (row.status !== "draft") throw new AppError("forbidden", "Sales edit only drafts");
    }
  }

  private at(): At {
    const now = this.clock.now();
    return { today: now.toISOString().slice(0, 10), now };
  }

  private async presentOne(row: AnnouncementRow, db: Trx | undefined = undefined): Promise<Announcement> {
    const counts = await repo.counts(db ?? this.db.kysely, [row.id]);
    return present(row, counts.get(row.id));
  }

  private async tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }
}

function startKey(id: string): string {
  return `announcement:${id}:start`;
}

function present(r: AnnouncementRow, counts: RecipientCounts | undefined): Announcement {
  const segment = normalizeSegment(r.segment);
  return {
    id: r.id,
    subject: r.subject,
    body: r.body,
    segment,
    segmentDescription: describeSegment(segment),
    languages: r.languages ?? [],
    status: r.status,
    scheduledFor: r.scheduled_for?.toISOString() ?? null,
    sendingStartedAt: r.sending_started_at?.toISOString() ?? null,
    sentAt: r.sent_at?.toISOString() ?? null,
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
    recipients: counts ?? { total: 0, pending: 0, sent: 0, optedOut: 0 },
    createdById: r.created_by_id,
    sentById: r.sent_by_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function cleanLanguages(languages: string[] | null | undefined): string[] | null {
  if (!languages) return null;
  const out = [...new Set(languages.map((l) => l.trim().toLowerCase()).filter(Boolean))];
  return out.length > 0 ? out : null;
}

function cleanInput(input: AnnouncementInput) {
  const subject = input.subject.trim();
  if (!subject) throw invalid("/subject", "must not be blank");
  const body = input.body.trim();
  if (!body) throw invalid("/body", "must not be blank");
  return {
    subject,
    body,
    segment: normalizeSegment(input.segment),
    languages: cleanLanguages(input.languages),
  };
}

function cleanPartial(input: Partial<AnnouncementInput>) {
  const out: {
    subject?: string;
    body?: string;
    segment?: Segment;
    languages?: string[] | null;
  } = {};
  if (input.subject !== undefined) {
    out.subject = input.subject.trim();
    if (!out.subject) throw invalid("/subject", "must not be blank");
  }
  if (input.body !== undefined) {
    out.body = input.body.trim();
    if (!out.body) throw invalid("/body", "must not be blank");
  }
  if (input.segment !== undefined) out.segment = normalizeSegment(input.segment);
  if (input.languages !== undefined) out.languages = cleanLanguages(input.languages);
  return out;
}
