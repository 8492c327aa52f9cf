import { type Actor, requireStaff } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Config } from "../../platform/config.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { escapeHtml } from "../../platform/html.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { MailService } from "../mail/mail.service.ts";
import {
  type NotificationRow,
  type Recipient,
  notificationsRepository as repo,
} from "./notifications.repository.ts";

export const NOTIFICATION_CREATED = "notification.created";
export const NOTIFICATION_READ = "notification.read";

/** What `NotificationsService.notify` takes. */
export type Notify = {
  /** Staff users to tell; duplicates and inactive users are skipped. */
  userIds: readonly string[];
  /** What happened: 'sla.warning', 'sla.breached', 'promise.reminder', 'case.assigned' … */
  kind: string;
  title: string;
  body?: string | null;
  /** An app path such as `/cases/<id>`; emails carry it as an absolute URL. */
  link?: string | null;
  caseId?: string | null;
  /** Also email each recipient (through `MailService`, purpose = kind). */
  email?: boolean;
  /** With a key, a user who already has a notification with it gets nothing new (nor an email). */
  dedupeKey?: string | null;
  /** Who caused it, if a person did. */
  actorId?: string | null;
};

export type Notification = {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  caseId: string | null;
  createdAt: string;
  readAt: string | null;
};

export type NotificationPage = Page<Notification> & { unreadCount: number };

/** An app path: one leading slash (`//host` would leave the app), no spaces or control characters. */
const APP_PATH_RE = /^\/(?![/\\])[^\s\0]*$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * In-app notifications, one row per recipient, each announced by a `notification.created`
 * event that live updates carry to that recipient only (`audienceUserId`).
 */
export class NotificationsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly config: Config,
    private readonly mail: MailService,
  ) {}

  /**
   * Notifies each distinct active user in the caller's transaction (an event or timer handler's
   * `trx`, or a service's). Returns what was created: nothing for a user already notified with
   * the same `dedupeKey`.
   */
  async notify(trx: Trx, input: Notify): Promise<{ id: string; userId: string }[]> {
    const title = input.title.replace(/\s+/g, " ").trim();
    if (!title) throw invalid("/title", "must not be empty");
    const kind = input.kind.trim();
    if (!kind) throw invalid("/kind", "must not be empty");
    const link = input.link?.trim() || null;
    if (link !== null && !APP_PATH_RE.test(link))
      throw invalid("/link", "must be an app path like /cases/<id>");
    const body = input.body?.trim() ? input.body.trim().replaceAll("\0", "") : null;
    const ids = [...new Set(input.userIds)].filter((id) => UUID_RE.test(id));
    const users = await repo.activeUsers(trx, ids);
    const byId = new Map(users.map((u) => [u.id, u]));
    const created: { id: string; userId: string }[] = [];
    for (const userId of ids) {
      const user = byId.get(userId);
      if (!user) continue;
      const row = await repo.insert(trx, {
        id: newId(),
        user_id: user.id,
        kind,
        title: title.replaceAll("\0", ""),
        body,
        link,
        case_id: input.caseId ?? null,
        dedupe_key: input.dedupeKey ?? null,
        created_at: this.clock.now(),
        read_at: null,
      });
      if (!row) continue;
      created.push({ id: row.id, userId: user.id });
      await this.bus.append(trx, {
        type: NOTIFICATION_CREATED,
        entityType: "notification",
        entityId: row.id,
        actorId: input.actorId ?? null,
        audienceUserId: user.id,
        data: { notificationId: row.id, recipientId: user.id, kind, title: row.title, link },
      });
      if (input.email) await this.email(trx, user, row);
    }
    return created;
  }

  /** The signed-in user's notifications, newest first, with how many are unread. */
  async list(
    actor: Actor,
    query: { unread?: boolean; limit?: number; cursor?: string },
  ): Promise<NotificationPage> {
    const userId = staffId(actor);
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    const db = this.db.kysely;
    const rows = await repo.list(db, userId, {
      unread: query.unread,
      after: after ? [new Date(after[0] as string), after[1] as string] : undefined,
      limit: limit + 1,
    });
    const page = toPage(rows, limit, (r) => [r.created_at.toISOString(), r.id], presentNotification);
    return { ...page, unreadCount: await repo.countUnread(db, userId) };
  }

  /** Marks one of the user's own notifications read (404 for anyone else's). */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    const userId = staffId(actor);
    return this.db.kysely.transaction().execute(async (trx) => {
      const changed = await repo.markRead(trx, userId, id, this.clock.now());
      if (changed) {
        await this.announceRead(trx, userId, changed.id, { notificationIds: [changed.id] });
        return presentNotification(changed);
      }
      const row = await repo.find(trx, userId, id);
      if (!row) throw notFound("Notification");
      return presentNotification(row);
    });
  }

  async markAllRead(actor: Actor): Promise<{ updated: number }> {
    const userId = staffId(actor);
    return this.db.kysely.transaction().execute(async (trx) => {
      const updated = await repo.markAllRead(trx, userId, this.clock.now());
      if (updated > 0) await this.announceRead(trx, userId, userId, { all: true });
      return { updated };
    });
  }

  /** So the user's other tabs drop the badge too. */
  private async announceRead(trx: Trx, userId: string, entityId: string, data: Record<string, unknown>) {
    await this.bus.append(trx, {
      type: NOTIFICATION_READ,
      entityType: "notification",
      entityId,
      actorId: userId,
      audienceUserId: userId,
      data: { recipientId: userId, ...data },
    });
  }

  private async email(trx: Trx, user: Recipient, n: NotificationRow): Promise<void> {
    const url = n.link ? `${this.config.publicUrl}${n.link}` : `${this.config.publicUrl}/`;
    const text = [n.title, ...(n.body ? ["", n.body] : []), "", `Open in Keepdesk: ${url}`, ""].join("\n");
    const html = [
      `<p><strong>${escapeHtml(n.title)}</strong></p>`,
      ...(n.body ? [`<p>${escapeHtml(n.body).replace(/\n/g, "<br>")}</p>`] : []),
      `<p><a href="${escapeHtml(url)}">Open in Keepdesk</a></p>`,
    ].join("\n");
    await this.mail.enqueue(trx, {
      to: user.email,
      toName: user.name,
      subject: n.title,
      text,
      html,
      purpose: n.kind,
      caseId: n.case_id,
      // RFC 3834: an automatic message; out-of-office replies should not answer it.
      headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    });
  }
}

function staffId(actor: Actor): string {
  requireStaff(actor);
  if (actor.kind !== "user") throw new AppError("forbidden", "Only a signed-in user has notifications");
  return actor.id;
}

export function presentNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    caseId: r.case_id,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
  };
}
