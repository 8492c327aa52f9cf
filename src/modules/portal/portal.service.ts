import { DateTime } from "luxon";
import type { Actor, RequestCtx } from "../../platform/auth/actor.ts";
import { sha256 } from "../../platform/auth/secrets.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Config } from "../../platform/config.ts";
import type { Database, Executor } from "../../platform/db/database.ts";
import { AppError, invalid, ruleRefused } from "../../platform/errors.ts";
import { newId, newSecret } from "../../platform/ids.ts";
import type { Logger } from "../../platform/logger.ts";
import type { Page } from "../../platform/pagination.ts";
import { RateLimit } from "../../platform/rate-limit.ts";
import type { AccountsService, Contact } from "../accounts/accounts.service.ts";
import type { ActivitiesService } from "../activities/activities.service.ts";
import type { Attachment, CaseMessagesService, Download, Message } from "../cases/case-messages.service.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import type { Case, CasesService } from "../cases/cases.service.ts";
import type { Escalation, EscalationsService } from "../escalations/escalations.service.ts";
import type { MailService } from "../mail/mail.service.ts";
import type { NotificationsService } from "../notifications/notifications.service.ts";
import type { UsersService } from "../users/users.service.ts";
import { type PortalSessionRow, portalRepository as repo } from "./portal.repository.ts";

/** A sign-in link works once, for this long. */
export const LINK_TTL_MS = 15 * 60_000;
/** Portal sessions slide like staff ones: a week without use signs the contact out. */
export const PORTAL_SESSION_TTL_MS = 7 * 24 * 3600_000;
/** Link requests per window: per email address (known or not), and per client address. */
export const LINK_WINDOW_MS = 15 * 60_000;
export const MAX_LINKS_PER_EMAIL = 5;
export const MAX_LINKS_PER_IP = 20;
const linkLimit = new RateLimit(
  LINK_WINDOW_MS,
  "Too many sign-in links were asked for. Wait a few minutes and try again.",
);
/** A call-back window: at least this long, at most a day, starting within two weeks. */
const MIN_WINDOW_MS = 15 * 60_000;
const MAX_WINDOW_MS = 24 * 3600_000;
const MAX_LEAD_MS = 14 * 24 * 3600_000;
const SKEW_MS = 5 * 60_000;

export type ContactActor = Extract<Actor, { kind: "contact" }>;

export type PortalAuthenticated = {
  actor: ContactActor;
  contact: Contact;
  csrfToken: string;
  sessionId: string;
};

export type PortalMe = {
  contact: { id: string; name: string; email: string; phone: string | null; timeZone: string };
  account: { id: string; name: string };
};

export type PortalCase = {
  id: string;
  number: string;
  subject: string;
  description: string | null;
  status: string;
  statusLabel: string;
  state: "open" | "waiting_on_you" | "resolved";
  product: string | null;
  channel: string;
  contactId: string | null;
  contactName: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** When we aim to answer next (from the running response clock); null when nothing is owed. */
  expectedReplyBy: string | null;
  escalated: boolean;
  /** Set when this case continues an earlier one. */
  relatedCaseId: string | null;
};

export type PortalMessage = {
  id: string;
  caseId: string;
  kind: "customer" | "reply";
  /** "You", a colleague's name, or the first name of the support agent. */
  authorName: string;
  fromYou: boolean;
  body: string;
  createdAt: string;
  attachments: Pick<Attachment, "id" | "filename" | "contentType" | "size">[];
};

const STATUS_LABELS: Record<string, string> = {
  new: "Received",
  open: "In progress",
  waiting_on_customer: "Waiting for your reply",
  on_hold: "On hold",
  resolved: "Resolved",
  closed: "Closed",
};

/**
 * The customer portal: sign-in by one-time emailed link, and what a contact does there — raise
 * cases, follow the account's cases and their public threads, reply, ask for a call back, escalate.
 * Case rules (visibility, no internal notes, reopening) are the cases module's: every read and
 * write goes through CasesService / CaseMessagesService with the contact as the actor.
 */
export class PortalService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly accounts: AccountsService,
    private readonly cases: CasesService,
    private readonly caseMessages: CaseMessagesService,
    private readonly activities: ActivitiesService,
    private readonly escalations: EscalationsService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
  ) {}

  // ---- signing in ----

  /**
   * Emails a one-time sign-in link when the address belongs to a contact. Answers the same
   * either way (no account enumeration); the rate limit counts every request, known or not.
   */
  async requestLink(input: { email: string }, meta: { ip?: string | undefined }): Promise<void> {
    const email = input.email.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320)
      throw invalid("/email", "must be an email address");
    const now = this.clock.now();
    const since = linkLimit.since(now);
    const k = this.db.kysely;
    await linkLimit.enforce([
      [repo.countLinkRequests(k, { email }, since), MAX_LINKS_PER_EMAIL],
      [meta.ip ? repo.countLinkRequests(k, { ip: meta.ip }, since) : 0, MAX_LINKS_PER_IP],
    ]);
    await k.transaction().execute(async (trx) => {
      const contact = await this.accounts.contactByEmailIn(trx, email);
      await repo.insertLinkRequest(trx, {
        id: newId(),
        email,
        ip: meta.ip ?? null,
        contact_id: contact?.id ?? null,
        created_at: now,
      });
      if (!contact) {
        this.log.info({ ip: meta.ip }, "portal: sign-in link asked for an unknown address");
        return;
      }
      const token = newSecret();
      await repo.insertToken(trx, {
        id: newId(),
        token_hash: sha256(token),
        contact_id: contact.id,
        created_at: now,
        expires_at: new Date(now.getTime() + LINK_TTL_MS),
        used_at: null,
      });
      const url = `${this.config.publicUrl}/portal/sign-in?token=${encodeURIComponent(token)}`;
      const company = companyName(this.config.mailFrom);
      await this.mail.enqueue(trx, {
        to: contact.email,
        toName: contact.name,
        subject: `Your sign-in link for ${company} support`,
        text: [
          `Hello ${contact.name},`,
          "",
          `Use this link to sign in to ${company} support. It works once and expires in ${LINK_TTL_MS / 60_000} minutes:`,
          "",
          url,
          "",
          "If you did not ask for it, you can ignore this email: nobody can sign in without the link.",
        ].join("\n"),
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
        purpose: "portal.sign_in",
      });
    });
  }

  /** Spends a sign-in link and starts a portal session. 401 when unknown, used or expired. */
  async redeem(
    token: string,
    meta: { ip?: string | undefined; userAgent?: string | undefined },
  ): Promise<{ me: PortalMe; csrfToken: string; sessionToken: string; expiresAt: Date }> {
    const now = this.clock.now();
    return this.db.kysely.transaction().execute(async (trx) => {
      const contactId = await repo.spendToken(trx, sha256(token.trim()), now);
      const contact = contactId ? await this.accounts.contactIn(trx, contactId) : undefined;
      if (!contact) {
        throw new AppError(
          "unauthenticated",
          "This sign-in link has expired or was already used. Ask for a new one.",
        );
      }
      const sessionToken = newSecret();
      const csrfToken = newSecret();
      const expiresAt = new Date(now.getTime() + PORTAL_SESSION_TTL_MS);
      await repo.insertSession(trx, {
        id: newId(),
        token_hash: sha256(sessionToken),
        contact_id: contact.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
        last_seen_at: now,
        ip: meta.ip ?? null,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
      });
      return { me: await this.meOf(trx, contact), csrfToken, sessionToken, expiresAt };
    });
  }

  /** Resolves a portal cookie; slides its expiry. Undefined when unknown or expired. */
  async authenticateSession(sessionToken: string): Promise<PortalAuthenticated | undefined> {
    const k = this.db.kysely;
    const session: PortalSessionRow | undefined = await repo.findSessionByHash(k, sha256(sessionToken));
    const now = this.clock.now();
    if (!session || session.expires_at <= now) return undefined;
    const contact = await this.accounts.contactIn(k, session.contact_id);
    if (!contact) return undefined;
    if (now.getTime() - session.last_seen_at.getTime() > 60_000) {
      await repo.touchSession(k, session.id, now, new Date(now.getTime() + PORTAL_SESSION_TTL_MS));
    }
    return {
      actor: { kind: "contact", id: contact.id, email: contact.email, accountId: contact.accountId },
      contact,
      csrfToken: session.csrf_token,
      sessionId: session.id,
    };
  }

  async signOut(sessionId: string): Promise<void> {
    await repo.deleteSession(this.db.kysely, sessionId);
  }

  async purgeExpired(): Promise<void> {
    const now = this.clock.now();
    await repo.purge(this.db.kysely, now, new Date(now.getTime() - 24 * 3600_000));
  }

  async me(actor: ContactActor): Promise<PortalMe> {
    const contact = await this.accounts.contactIn(this.db.kysely, actor.id);
    if (!contact) throw new AppError("unauthenticated", "Sign in first");
    return this.meOf(this.db.kysely, contact);
  }

  private async meOf(db: Executor, contact: Contact): Promise<PortalMe> {
    const account = await this.accounts.accountIn(db, contact.accountId);
    return {
      contact: {
        id: contact.id,
        name: contact.name,
        email: contact.email,
        phone: contact.phone,
        timeZone: contact.timeZone ?? account?.timeZone ?? "UTC",
      },
      account: { id: contact.accountId, name: account?.name ?? "" },
    };
  }

  // ---- cases ----

  async listCases(
    actor: ContactActor,
    query: {
      state?: "open" | "resolved" | "all" | undefined;
      limit?: number | undefined;
      cursor?: string | undefined;
    },
  ): Promise<Page<PortalCase>> {
    const state = query.state ?? "all";
    const page = await this.cases.list(actor, {
      accountId: actor.accountId,
      statusCategory: state === "open" ? ["open", "paused"] : state === "resolved" ? ["resolved"] : undefined,
      sort: "-updatedAt",
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: await this.presentCases(actor, page.items), nextCursor: page.nextCursor };
  }

  async getCase(actor: ContactActor, id: string): Promise<PortalCase> {
    const c = await this.cases.get(actor, id);
    return (await this.presentCases(actor, [c]))[0]!;
  }

  async raiseCase(
    ctx: RequestCtx & { actor: ContactActor },
    input: { subject: string; description: string; product?: string | undefined },
  ): Promise<PortalCase> {
    const created = await this.cases.create(ctx, {
      subject: input.subject,
      description: input.description,
      product: input.product,
    });
    return (await this.presentCases(ctx.actor, [created]))[0]!;
  }

  /** The public thread: replies and customer messages, oldest first (never internal notes). */
  async thread(actor: ContactActor, caseId: string): Promise<PortalMessage[]> {
    const all: Message[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.caseMessages.list(actor, caseId, { limit: 200, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && all.length < 5000);
    return this.presentMessages(
      actor,
      all.filter((m) => m.kind !== "note"),
    );
  }

  /** A customer message; a resolved case reopens (or a follow-up opens) as with email. */
  async reply(
    ctx: RequestCtx & { actor: ContactActor },
    caseId: string,
    input: { body: string },
  ): Promise<PortalMessage> {
    const m = await this.caseMessages.add(ctx, caseId, { kind: "customer", body: input.body });
    return (await this.presentMessages(ctx.actor, [m]))[0]!;
  }

  async download(actor: ContactActor, attachmentId: string): Promise<Download> {
    return this.caseMessages.download(actor, attachmentId);
  }

  /**
   * "Please call me back between …": a promise for the case's owner (else the team lead, else a
   * manager), due at the end of the customer's window, and an in-app notification.
   */
  async requestCallback(
    ctx: RequestCtx & { actor: ContactActor },
    caseId: string,
    input: { from: string; to: string; phone?: string | undefined; note?: string | undefined },
  ): Promise<{ caseId: string; from: string; to: string; phone: string | null }> {
    const from = parseInstant(input.from, "/from");
    const to = parseInstant(input.to, "/to");
    const now = this.clock.now();
    if (to.getTime() - from.getTime() < MIN_WINDOW_MS)
      throw invalid("/to", "must be at least 15 minutes after from");
    if (to.getTime() - from.getTime() > MAX_WINDOW_MS)
      throw invalid("/to", "the window may be at most a day long");
    if (from.getTime() < now.getTime() - SKEW_MS) throw invalid("/from", "must not be in the past");
    if (from.getTime() > now.getTime() + MAX_LEAD_MS)
      throw invalid("/from", "must be within the next two weeks");
    const phone = input.phone?.trim() || null;
    if (phone && !/^[+()\d\s./-]{5,40}$/.test(phone)) throw invalid("/phone", "is not a phone number");
    const note = input.note?.trim() || null;
    // Read before the transaction: the lists open their own connection.
    const fallback = await this.anyManager();
    return this.cases.tx(async (trx) => {
      const row = await this.cases.lockVisible(trx, ctx.actor, caseId);
      if (row.merged_into_id) throw ruleRefused("This case was merged into another one");
      const contact = (await this.accounts.contactIn(trx, ctx.actor.id))!;
      const account = await this.accounts.accountIn(trx, contact.accountId);
      const zone = contact.timeZone ?? account?.timeZone ?? "UTC";
      const ownerId = await this.callbackOwner(trx, row.owner_id, row.team_id, fallback);
      if (!ownerId) throw ruleRefused("Nobody can take call-backs right now; reply on the case instead");
      const number = formatCaseNumber(row.number);
      const window = describeWindow(from, to, zone);
      const callNumber = phone ?? contact.phone;
      const activity = await this.activities.createIn(
        trx,
        { actor: { kind: "system" }, ip: ctx.ip, requestId: ctx.requestId },
        {
          type: "promise",
          subject: `Call back ${contact.name} (${number})`,
          caseId: row.id,
          ownerId,
          dueAt: to.toISOString(),
          notes: [
            `Asked for in the portal by ${contact.name}: call between ${window}.`,
            callNumber ? `Phone: ${callNumber}` : "No phone number given: check the contact.",
            note ? `Note: ${note}` : null,
          ]
            .filter(Boolean)
            .join("\n"),
        },
      );
      await this.notifications.notify(trx, {
        userIds: [ownerId],
        kind: "portal.callback_requested",
        title: `Call-back requested: ${number} ${row.subject}`,
        body: `${contact.name} asks for a call between ${window}.${callNumber ? ` Phone: ${callNumber}` : ""}`,
        link: `/cases/${row.id}`,
        caseId: row.id,
        dedupeKey: `portal.callback:${activity.id}`,
      });
      return { caseId: row.id, from: from.toISOString(), to: to.toISOString(), phone: callNumber };
    });
  }

  async escalate(
    ctx: RequestCtx & { actor: ContactActor },
    caseId: string,
    input: { reason: string },
  ): Promise<Pick<Escalation, "id" | "caseId" | "reason" | "createdAt" | "open">> {
    const e = await this.escalations.escalate(ctx, caseId, input);
    return { id: e.id, caseId: e.caseId, reason: e.reason, createdAt: e.createdAt, open: e.open };
  }

  private async callbackOwner(
    db: Executor,
    ownerId: string | null,
    teamId: string | null,
    fallback: string | null,
  ): Promise<string | null> {
    if (ownerId) {
      const owner = await this.users.userIn(db, ownerId);
      if (owner?.active) return ownerId;
    }
    if (teamId) {
      const team = await this.users.teamIn(db, teamId);
      if (team?.leadId) return team.leadId;
    }
    return fallback;
  }

  private async anyManager(): Promise<string | null> {
    const managers = await this.users.list({ kind: "system" }, { role: "manager", active: true, limit: 1 });
    if (managers.items[0]) return managers.items[0].id;
    const admins = await this.users.list({ kind: "system" }, { role: "admin", active: true, limit: 1 });
    return admins.items[0]?.id ?? null;
  }

  // ---- presenting ----

  private async presentCases(actor: ContactActor, items: Case[]): Promise<PortalCase[]> {
    const db = this.db.kysely;
    // The SLA clocks are staff-only; the portal shows one fact from them: when we aim to answer.
    const staffView = items.map((c) => ({ ...c }));
    await this.cases.decorate(db, staffView, { kind: "system" });
    const escalated = await this.escalations.openCaseIds(
      db,
      items.map((c) => c.id),
    );
    const names = new Map<string, string>();
    for (const id of new Set(items.map((c) => c.contactId).filter((v): v is string => !!v))) {
      const contact = id === actor.id ? undefined : await this.accounts.contactIn(db, id);
      names.set(id, id === actor.id ? "You" : (contact?.name ?? "A colleague"));
    }
    const now = this.clock.now().getTime();
    return items.map((c, i) => {
      const clocks = staffView[i]!.sla.filter(
        (s) =>
          (s.kpi === "firstResponse" || s.kpi === "nextResponse") &&
          (s.status === "running" || s.status === "warning") &&
          Date.parse(s.dueAt) > now,
      );
      clocks.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
      const state: PortalCase["state"] =
        c.statusCategory === "resolved"
          ? "resolved"
          : c.status === "waiting_on_customer"
            ? "waiting_on_you"
            : "open";
      return {
        id: c.id,
        number: c.number,
        subject: c.subject,
        description: c.description,
        status: c.status,
        statusLabel:
          STATUS_LABELS[c.status] ??
          (c.statusCategory === "resolved"
            ? "Resolved"
            : c.statusCategory === "paused"
              ? "On hold"
              : "In progress"),
        state,
        product: c.product,
        channel: c.channel,
        contactId: c.contactId,
        contactName: c.contactId ? (names.get(c.contactId) ?? null) : null,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        resolvedAt: c.resolvedAt,
        expectedReplyBy: state === "open" ? (clocks[0]?.dueAt ?? null) : null,
        escalated: escalated.has(c.id),
        relatedCaseId: c.relatedCaseId,
      };
    });
  }

  private async presentMessages(actor: ContactActor, messages: Message[]): Promise<PortalMessage[]> {
    const db = this.db.kysely;
    const people = new Map<string, string>();
    const nameOf = async (key: string, load: () => Promise<string>) => {
      if (!people.has(key)) people.set(key, await load());
      return people.get(key)!;
    };
    const out: PortalMessage[] = [];
    for (const m of messages) {
      const kind = m.kind === "reply" ? "reply" : "customer";
      const fromYou = kind === "customer" && m.contactId === actor.id;
      let authorName: string;
      if (kind === "reply") {
        authorName = m.authorId
          ? await nameOf(`u:${m.authorId}`, async () => {
              const u = await this.users.userIn(db, m.authorId!);
              return u ? `${u.name.split(/\s+/)[0]} (support)` : "Support";
            })
          : "Support";
      } else if (fromYou) {
        authorName = "You";
      } else {
        authorName = m.contactId
          ? await nameOf(
              `c:${m.contactId}`,
              async () => (await this.accounts.contactIn(db, m.contactId!))?.name ?? "Customer",
            )
          : "Customer";
      }
      out.push({
        id: m.id,
        caseId: m.caseId,
        kind,
        authorName,
        fromYou,
        body: m.body,
        createdAt: m.createdAt,
        attachments: m.attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
        })),
      });
    }
    return out;
  }
}

function parseInstant(v: string, path: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid(path, "must be a date-time");
  return d;
}

/** "Tue 3 Mar 14:00–16:00 (Europe/Berlin)", in the customer's own zone. */
export function describeWindow(from: Date, to: Date, zone: string): string {
  const a = DateTime.fromJSDate(from, { zone });
  const b = DateTime.fromJSDate(to, { zone });
  const day = a.toFormat("ccc d LLL");
  const end = a.hasSame(b, "day") ? b.toFormat("HH:mm") : b.toFormat("ccc d LLL HH:mm");
  return `${day} ${a.toFormat("HH:mm")}–${end} (${zone})`;
}

/** The display name of the From address, else its domain. */
export function companyName(mailFrom: string): string {
  const m = /^\s*"?([^"<]+?)"?\s*</.exec(mailFrom);
  if (m?.[1]) return m[1].trim();
  return mailFrom.replace(/.*@/, "").replace(/>.*/, "");
}
