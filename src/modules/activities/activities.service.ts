import type { Updateable } from "kysely";
import { type Actor, actorId, type RequestCtx, type Role, requireStaff } from "../../platform/auth/actor.ts";
import { sha256 } from "../../platform/auth/secrets.ts";
import type { Clock } from "../../platform/clock.ts";
import { type Config, mailHostOf } from "../../platform/config.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId, newSecret } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import type { AccountsService } from "../accounts/accounts.service.ts";
import { assertText, guarded, parseDate } from "../cases/case-input.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { Case, CaseHooks, CaseMessageFact, CasesService } from "../cases/cases.service.ts";
import type { MailService } from "../mail/mail.service.ts";
import type { NotificationsService } from "../notifications/notifications.service.ts";
import {
  ACTIVITY_SORTS,
  type ActivityRow,
  type ActivitySort,
  type ActivityView,
  activitiesRepository as repo,
} from "./activities.repository.ts";
import type {
  ActivitiesTable,
  ActivityStatus,
  ActivityType,
  CallDirection,
  KeptHow,
  StoredAttendee,
} from "./activities.tables.ts";
import { type FeedEvent, feedIcs, icsUid, invitationIcs } from "./ical.ts";
import { dayBounds, type PromiseTime, promiseTimes, wallTimeIn } from "./promise-times.ts";

export const ACTIVITY_REMINDER_TIMER = "activity.reminder";
export const PROMISE_DUE_TIMER = "promise.due";
export const DEFAULT_REMINDER_MINUTES = 15;
export const ACTIVITY_TYPES: readonly ActivityType[] = ["task", "call", "appointment", "promise"];
export const ACTIVITY_STATUSES: readonly ActivityStatus[] = ["open", "done", "kept", "broken", "cancelled"];

/** Every staff role plans and completes activities; deleting someone else's is for managers. */
const DELETERS: readonly Role[] = ["admin", "manager"];
/** A logged call a little ahead of our clock (phones drift) is not "in the future". */
const SKEW_MS = 5 * 60_000;
/** How long a due time (a task, a promise) blocks in the calendar feed. */
const FEED_BLOCK_MS = 15 * 60_000;
const FEED_PAST_DAYS = 60;
const FEED_FUTURE_DAYS = 366;
const MAX_ATTENDEES = 50;

export type AttendeeInput = {
  userId?: string | undefined;
  contactId?: string | undefined;
  email?: string | undefined;
  name?: string | null | undefined;
};

export type CreateActivity = {
  type: ActivityType;
  subject: string;
  notes?: string | null | undefined;
  /** Default: the signed-in user. */
  ownerId?: string | undefined;
  caseId?: string | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  dueAt?: string | undefined;
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  /** Tasks may be logged done; calls default to done (logged); the rest start open. */
  status?: "open" | "done" | undefined;
  direction?: CallDirection | undefined;
  durationSeconds?: number | undefined;
  durationMinutes?: number | undefined;
  outcome?: string | null | undefined;
  location?: string | null | undefined;
  meetingUrl?: string | null | undefined;
  attendees?: AttendeeInput[] | undefined;
  /** Minutes before due to remind the owner; null: none; absent: the owner's default. */
  reminderMinutes?: number | null | undefined;
};

export type UpdateActivity = {
  subject?: string | undefined;
  notes?: string | null | undefined;
  status?: ActivityStatus | undefined;
  ownerId?: string | undefined;
  caseId?: string | null | undefined;
  accountId?: string | null | undefined;
  contactId?: string | null | undefined;
  dueAt?: string | null | undefined;
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  direction?: CallDirection | undefined;
  durationSeconds?: number | null | undefined;
  durationMinutes?: number | null | undefined;
  outcome?: string | null | undefined;
  location?: string | null | undefined;
  meetingUrl?: string | null | undefined;
  attendees?: AttendeeInput[] | undefined;
  reminderMinutes?: number | null | undefined;
};

export type ActivityQuery = {
  type?: string[] | undefined;
  status?: string[] | undefined;
  /** A user id, or `me`. */
  ownerId?: string | undefined;
  caseId?: string | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  sort?: ActivitySort | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

export type Attendee = {
  type: "user" | "contact" | "email";
  userId: string | null;
  contactId: string | null;
  email: string;
  name: string | null;
};

export type Activity = {
  id: string;
  type: ActivityType;
  subject: string;
  notes: string | null;
  status: ActivityStatus;
  ownerId: string | null;
  createdById: string | null;
  caseId: string | null;
  accountId: string | null;
  contactId: string | null;
  dueAt: string | null;
  startsAt: string | null;
  endsAt: string | null;
  direction: CallDirection | null;
  durationSeconds: number | null;
  outcome: string | null;
  location: string | null;
  meetingUrl: string | null;
  attendees: Attendee[];
  reminderMinutes: number | null;
  remindedAt: string | null;
  completedAt: string | null;
  keptAt: string | null;
  keptHow: KeptHow | null;
  keptByRef: string | null;
  keptByUserId: string | null;
  brokenAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Open and past its due time (tasks, calls, promises not yet marked broken by the worker). */
  overdue: boolean;
  case: { id: string; number: string; subject: string } | null;
  contactName: string | null;
  accountName: string | null;
  /** The customer's zone (the contact's, else the account's). */
  customerTimeZone: string | null;
  /** The due time on the customer's wall clock: "Tue 3 Mar, 10:00". */
  customerDueTime: string | null;
};

export type MyDayItem =
  | {
      kind: "activity";
      at: string | null;
      state: "overdue" | "dueToday" | "broken";
      activity: Activity;
    }
  | {
      kind: "case";
      at: string | null;
      state: "breached" | "breachingSoon";
      case: Pick<
        Case,
        "id" | "number" | "subject" | "status" | "priority" | "accountId" | "contactId" | "slaDueAt"
      >;
    };

export type MyDay = {
  date: string;
  timeZone: string;
  now: string;
  items: MyDayItem[];
  done: Activity[];
  counts: { overdue: number; dueToday: number; broken: number; breachingSoon: number; breached: number };
};

export type PromiseReportRow = {
  ownerId: string | null;
  teamId: string | null;
  made: number;
  kept: number;
  broken: number;
  open: number;
  cancelled: number;
  /** Kept of those that ended kept or broken, in percent (one decimal); null when none ended. */
  keptRate: number | null;
};

export type PromiseReport = {
  from: string;
  to: string;
  groupBy: "owner" | "team";
  rows: PromiseReportRow[];
  totals: Omit<PromiseReportRow, "ownerId" | "teamId">;
  overdueTasks: { ownerId: string | null; count: number }[];
};

export type ActivitySettings = {
  reminderMinutes: number;
  calendarFeed: { active: boolean; createdAt: string | null };
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FEED_FILE = /^([A-Za-z0-9_-]{32,128})\.ics$/;

function attendeesOf(row: Pick<ActivityRow, "attendees">): StoredAttendee[] {
  const a = row.attendees;
  if (typeof a === "string") return JSON.parse(a) as StoredAttendee[];
  return Array.isArray(a) ? a : [];
}

export function presentActivity(v: ActivityView, now: Date): Activity {
  const zone = v.customer_time_zone;
  return {
    id: v.id,
    type: v.type,
    subject: v.subject,
    notes: v.notes,
    status: v.status,
    ownerId: v.owner_id,
    createdById: v.created_by_id,
    caseId: v.case_id,
    accountId: v.account_id,
    contactId: v.contact_id,
    dueAt: iso(v.due_at),
    startsAt: iso(v.starts_at),
    endsAt: iso(v.ends_at),
    direction: v.direction,
    durationSeconds: v.duration_seconds,
    outcome: v.outcome,
    location: v.location,
    meetingUrl: v.meeting_url,
    attendees: attendeesOf(v).map((a) => ({
      type: a.type,
      userId: a.userId ?? null,
      contactId: a.contactId ?? null,
      email: a.email,
      name: a.name ?? null,
    })),
    reminderMinutes: v.reminder_minutes,
    remindedAt: iso(v.reminded_at),
    completedAt: iso(v.completed_at),
    keptAt: iso(v.kept_at),
    keptHow: v.kept_how,
    keptByRef: v.kept_by_ref,
    keptByUserId: v.kept_by_user_id,
    brokenAt: iso(v.broken_at),
    cancelledAt: iso(v.cancelled_at),
    createdAt: v.created_at.toISOString(),
    updatedAt: v.updated_at.toISOString(),
    overdue:
      v.status === "open" &&
      v.type !== "appointment" &&
      v.due_at !== null &&
      v.due_at.getTime() < now.getTime(),
    case:
      v.case_id && v.case_number !== null
        ? { id: v.case_id, number: formatCaseNumber(v.case_number), subject: v.case_subject ?? "" }
        : null,
    contactName: v.contact_name,
    accountName: v.account_name,
    customerTimeZone: zone,
    customerDueTime: v.due_at && zone ? safeWallTime(v.due_at, zone) : null,
  };
}

function safeWallTime(at: Date, zone: string): string | null {
  try {
    return wallTimeIn(at, zone);
  } catch {
    return null;
  }
}

function text(v: string | null | undefined, path: string): string | null {
  if (v === undefined || v === null) return null;
  assertText(v, path);
  const t = v.trim();
  return t === "" ? null : t;
}

function required(v: string, path: string): string {
  const t = text(v, path);
  if (t === null) throw invalid(path, "must not be blank");
  return t;
}

function listParam<T extends string>(
  values: string[] | undefined,
  path: string,
  allowed: readonly T[],
): T[] | undefined {
  if (!values) return undefined;
  const items = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  for (const v of items) {
    if (!(allowed as readonly string[]).includes(v))
      throw invalid(path, `${v} is not one of ${allowed.join(", ")}`);
  }
  return items.length > 0 ? (items as T[]) : undefined;
}

function durationOf(input: {
  durationSeconds?: number | null | undefined;
  durationMinutes?: number | null | undefined;
}): number | null | undefined {
  if (input.durationSeconds !== undefined && input.durationMinutes !== undefined) {
    throw invalid("/durationMinutes", "give durationSeconds or durationMinutes, not both");
  }
  if (input.durationMinutes !== undefined) {
    return input.durationMinutes === null ? null : Math.round(input.durationMinutes * 60);
  }
  return input.durationSeconds;
}

const TYPE_FIELDS: Record<string, ActivityType[]> = {
  direction: ["call"],
  durationSeconds: ["call"],
  durationMinutes: ["call"],
  outcome: ["call"],
  startsAt: ["appointment"],
  endsAt: ["appointment"],
  location: ["appointment"],
  meetingUrl: ["appointment"],
  attendees: ["appointment"],
};

/** Fields that belong to one type only: 400 on any other. */
function assertTypeFields(type: ActivityType, input: Record<string, unknown>): void {
  for (const [field, types] of Object.entries(TYPE_FIELDS)) {
    if (input[field] !== undefined && !types.includes(type)) {
      throw invalid(`/${field}`, `only ${types.join(", ")} activities have it`);
    }
  }
  if (type === "appointment" && input.dueAt !== undefined) {
    throw invalid("/dueAt", "an appointment's time is startsAt (and endsAt)");
  }
}

/** Which status moves a person may make (the worker alone breaks promises). */
const MOVES: Record<"promise" | "other", Partial<Record<ActivityStatus, ActivityStatus[]>>> = {
  promise: { open: ["kept", "cancelled"] },
  other: { open: ["done", "cancelled"], done: ["open"], cancelled: ["open"] },
};

/**
 * Activities: tasks, calls, appointments and promises. Promises are followed by database timers
 * (a reminder before due, a break at due) and kept by the case hooks (a staff reply) or a logged
 * call; every change appends an event with the account, so the account timeline shows it.
 */
export class ActivitiesService implements CaseHooks {
  private readonly host: string;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly config: Config,
    private readonly cases: CasesService,
    private readonly accounts: AccountsService,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
  ) {
    this.host = mailHostOf(config.publicUrl);
  }

  /** Called once by the composition root. */
  registerTimers(): void {
    this.timers.register(ACTIVITY_REMINDER_TIMER, (t, trx) => this.onReminder(t, trx));
    this.timers.register(PROMISE_DUE_TIMER, (t, trx) => this.onPromiseDue(t, trx));
  }

  // ---- reads ----

  async get(actor: Actor, id: string): Promise<Activity> {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Activity");
    return presentActivity(row, this.clock.now());
  }

  async list(actor: Actor, query: ActivityQuery): Promise<Page<Activity>> {
    requireStaff(actor);
    const sort = query.sort ?? "dueAt";
    if (!ACTIVITY_SORTS.includes(sort)) throw invalid("/sort", `must be one of ${ACTIVITY_SORTS.join(", ")}`);
    const limit = clampLimit(query.limit);
    let ownerId = query.ownerId;
    if (ownerId === "me") {
      if (actor.kind !== "user") throw invalid("/ownerId", "`me` needs a signed-in staff user");
      ownerId = actor.id;
    }
    const cursor = decodeCursor(query.cursor, ["string", "nullable-string", "uuid"]);
    let after: [string | null, string] | undefined;
    if (cursor) {
      const [s, value, id] = cursor as [string, string | null, string];
      if (
        s !== sort ||
        (value !== null && Number.isNaN(Date.parse(value))) ||
        (sort === "-createdAt" && !value)
      )
        throw invalid("/cursor", "not a cursor this list issued (or issued for another sort)");
      after = [value, id];
    }
    const rows = await repo.list(this.db.kysely, {
      types: listParam(query.type, "/type", ACTIVITY_TYPES),
      statuses: listParam(query.status, "/status", ACTIVITY_STATUSES),
      ownerId,
      caseId: query.caseId,
      accountId: query.accountId,
      contactId: query.contactId,
      dueBefore: query.dueBefore === undefined ? undefined : parseDate(query.dueBefore, "/dueBefore"),
      dueAfter: query.dueAfter === undefined ? undefined : parseDate(query.dueAfter, "/dueAfter"),
      sort,
      after,
      limit,
    });
    const now = this.clock.now();
    return toPage(
      rows,
      limit,
      (r) => [sort, sort === "-createdAt" ? r.created_at.toISOString() : iso(r.due_at), r.id],
      (r) => presentActivity(r, now),
    );
  }

  /** The three quick picks for a promise, in the customer's time zone. */
  async promiseTimes(
    actor: Actor,
    query: { contactId?: string | undefined; caseId?: string | undefined },
  ): Promise<{ timeZone: string; zoneOf: "contact" | "account" | "you"; items: PromiseTime[] }> {
    requireStaff(actor);
    const db = this.db.kysely;
    let contactId = query.contactId;
    let accountId: string | null = null;
    if (query.caseId) {
      const row = await this.cases.findRow(db, query.caseId);
      if (!row) throw notFound("Case");
      contactId ??= row.contact_id ?? undefined;
      accountId = row.account_id;
    } else if (!contactId) {
      throw invalid("/contactId", "give contactId or caseId");
    }
    let timeZone: string | null = null;
    let zoneOf: "contact" | "account" | "you" = "you";
    if (contactId) {
      const contact = await this.accounts.contactIn(db, contactId);
      if (!contact) throw notFound("Contact");
      accountId = contact.accountId;
      if (contact.timeZone) {
        timeZone = contact.timeZone;
        zoneOf = "contact";
      }
    }
    if (!timeZone && accountId) {
      const account = await this.accounts.accountIn(db, accountId);
      if (account) {
        timeZone = account.timeZone;
        zoneOf = "account";
      }
    }
    if (!timeZone) {
      timeZone = actor.kind === "user" ? ((await repo.people(db, [actor.id]))[0]?.time_zone ?? "UTC") : "UTC";
      zoneOf = "you";
    }
    return { timeZone, zoneOf, items: promiseTimes(this.clock.now(), timeZone) };
  }

  /** The signed-in user's day: overdue and due-today work, today's broken promises, breaching cases. */
  async myDay(actor: Actor): Promise<MyDay> {
    requireStaff(actor);
    if (actor.kind !== "user") throw new AppError("forbidden", "Only a signed-in user has a day");
    const db = this.db.kysely;
    const me = (await repo.people(db, [actor.id]))[0];
    const timeZone = me?.time_zone ?? "UTC";
    const now = this.clock.now();
    const { start, end, date } = dayBounds(now, timeZone);
    const [rows, done] = await Promise.all([
      repo.myDay(db, actor.id, start, end),
      repo.doneToday(db, actor.id, start),
    ]);
    const items: MyDayItem[] = rows.map((r) => ({
      kind: "activity",
      at: iso(r.due_at),
      state:
        r.status === "broken"
          ? "broken"
          : r.type !== "appointment" && r.due_at && r.due_at.getTime() < now.getTime()
            ? "overdue"
            : "dueToday",
      activity: presentActivity(r, now),
    }));
    const minutesLeft = Math.max(60, Math.ceil((end.getTime() - now.getTime()) / 60_000));
    const [soon, breached] = await Promise.all([
      this.cases.list(actor, {
        ownerId: "me",
        slaDueWithin: minutesLeft,
        statusCategory: ["open"],
        sort: "slaDueAt",
        limit: 50,
      }),
      this.cases.list(actor, {
        ownerId: "me",
        slaState: ["breached"],
        statusCategory: ["open"],
        sort: "slaDueAt",
        limit: 50,
      }),
    ]);
    const seen = new Set<string>();
    const caseItem = (c: Case, state: "breached" | "breachingSoon", at: string | null): MyDayItem => ({
      kind: "case",
      at,
      state,
      case: {
        id: c.id,
        number: c.number,
        subject: c.subject,
        status: c.status,
        priority: c.priority,
        accountId: c.accountId,
        contactId: c.contactId,
        slaDueAt: c.slaDueAt ?? null,
      },
    });
    for (const c of breached.items) {
      seen.add(c.id);
      const owed = c.sla.filter((k) => k.status === "breached" && k.metAt === null).map((k) => k.dueAt);
      items.push(caseItem(c, "breached", owed.sort()[0] ?? c.slaDueAt ?? null));
    }
    for (const c of soon.items) {
      if (seen.has(c.id)) continue;
      items.push(caseItem(c, "breachingSoon", c.slaDueAt ?? null));
    }
    items.sort((a, b) => {
      const ta = a.at ? Date.parse(a.at) : Number.POSITIVE_INFINITY;
      const tb = b.at ? Date.parse(b.at) : Number.POSITIVE_INFINITY;
      return ta - tb || (a.kind === b.kind ? 0 : a.kind === "case" ? -1 : 1);
    });
    const count = (state: MyDayItem["state"]) => items.filter((i) => i.state === state).length;
    return {
      date,
      timeZone,
      now: now.toISOString(),
      items,
      done: done.map((r) => presentActivity(r, now)),
      counts: {
        overdue: count("overdue"),
        dueToday: count("dueToday"),
        broken: count("broken"),
        breachingSoon: count("breachingSoon"),
        breached: count("breached"),
      },
    };
  }

  /** Promises made in the range and how they ended, per owner or team; open overdue tasks per owner. */
  async promiseReport(
    actor: Actor,
    query: { from?: string | undefined; to?: string | undefined; groupBy?: string | undefined },
  ): Promise<PromiseReport> {
    requireStaff(actor);
    const now = this.clock.now();
    const to = query.to ? parseDate(query.to, "/to") : now;
    const from = query.from ? parseDate(query.from, "/from") : new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) throw invalid("/from", "must be before to");
    const groupBy = query.groupBy ?? "owner";
    if (groupBy !== "owner" && groupBy !== "team") throw invalid("/groupBy", "must be owner or team");
    const db = this.db.kysely;
    const [rows, totals, overdue] = await Promise.all([
      repo.promiseCounts(db, { from, to }, groupBy),
      repo.promiseTotals(db, { from, to }),
      repo.overdueTasks(db, now),
    ]);
    const rate = (kept: number, broken: number) =>
      kept + broken === 0 ? null : Math.round((1000 * kept) / (kept + broken)) / 10;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      rows: rows.map((r) => ({
        ownerId: groupBy === "owner" ? r.key : null,
        teamId: groupBy === "team" ? r.key : null,
        made: r.made,
        kept: r.kept,
        broken: r.broken,
        open: r.open,
        cancelled: r.cancelled,
        keptRate: rate(r.kept, r.broken),
      })),
      totals: { ...totals, keptRate: rate(totals.kept, totals.broken) },
      overdueTasks: overdue.map((r) => ({ ownerId: r.owner_id, count: r.count })),
    };
  }

  // ---- commands ----

  async create(ctx: RequestCtx, input: CreateActivity): Promise<Activity> {
    requireStaff(ctx.actor);
    assertTypeFields(input.type, input);
    return this.tx((trx) => this.createIn(trx, ctx, input));
  }

  /**
   * Creates an activity inside the caller's transaction (other capabilities: a survey's
   * recovery task, a council's action items). Same rules as `create`.
   */
  async createIn(trx: Trx, ctx: RequestCtx, input: CreateActivity): Promise<Activity> {
    const actor = ctx.actor;
    requireStaff(actor);
    const type = input.type;
    assertTypeFields(type, input);
    const subject = required(input.subject, "/subject");
    const notes = text(input.notes, "/notes");
    const now = this.clock.now();
    {
      const parties = await this.resolveParties(trx, {
        caseId: input.caseId,
        accountId: input.accountId,
        contactId: input.contactId,
      });
      const ownerId = input.ownerId ?? (actor.kind === "user" ? actor.id : undefined);
      if (!ownerId) throw invalid("/ownerId", "is required when no user is signed in");
      await this.assertOwner(trx, ownerId);

      let status: ActivityStatus = "open";
      let dueAt: Date | null = input.dueAt === undefined ? null : parseDate(input.dueAt, "/dueAt");
      let startsAt: Date | null = null;
      let endsAt: Date | null = null;
      let attendees: StoredAttendee[] = [];
      if (type === "task") {
        status = input.status ?? "open";
      } else if (type === "call") {
        status = input.status ?? "done";
        if (status === "done") {
          dueAt ??= now;
          if (dueAt.getTime() > now.getTime() + SKEW_MS)
            throw invalid("/dueAt", "a logged call cannot be in the future; plan it with status open");
        }
      } else if (type === "promise") {
        if (input.status !== undefined && input.status !== "open")
          throw invalid("/status", "a promise starts open");
        if (!dueAt) throw invalid("/dueAt", "a promise needs a due time");
        if (dueAt.getTime() <= now.getTime()) throw invalid("/dueAt", "must be in the future");
        if (!parties.caseId && !parties.contactId)
          throw invalid("/caseId", "a promise is made to a customer: give caseId or contactId");
      } else {
        if (input.status !== undefined && input.status !== "open")
          throw invalid("/status", "an appointment starts open");
        if (!input.startsAt) throw invalid("/startsAt", "an appointment needs a start");
        if (!input.endsAt) throw invalid("/endsAt", "an appointment needs an end");
        startsAt = parseDate(input.startsAt, "/startsAt");
        endsAt = parseDate(input.endsAt, "/endsAt");
        if (endsAt <= startsAt) throw invalid("/endsAt", "must be after startsAt");
        dueAt = startsAt;
        attendees = await this.resolveAttendees(trx, input.attendees ?? []);
      }
      const duration = durationOf(input);
      let reminderMinutes: number | null = null;
      if (input.reminderMinutes !== undefined) reminderMinutes = input.reminderMinutes;
      else if (status === "open" && dueAt) reminderMinutes = await this.defaultReminder(trx, ownerId);

      const id = newId();
      await repo.insert(trx, {
        id,
        type,
        subject,
        notes,
        status,
        owner_id: ownerId,
        created_by_id: actor.kind === "user" ? actor.id : null,
        case_id: parties.caseId,
        account_id: parties.accountId,
        contact_id: parties.contactId,
        due_at: dueAt,
        starts_at: startsAt,
        ends_at: endsAt,
        direction: type === "call" ? (input.direction ?? "out") : null,
        duration_seconds: duration ?? null,
        outcome: text(input.outcome, "/outcome"),
        location: text(input.location, "/location"),
        meeting_url: text(input.meetingUrl, "/meetingUrl"),
        attendees: JSON.stringify(attendees),
        ical_sequence: 0,
        reminder_minutes: reminderMinutes,
        reminded_at: null,
        completed_at: status === "done" ? now : null,
        kept_at: null,
        kept_how: null,
        kept_by_ref: null,
        kept_by_user_id: null,
        broken_at: null,
        cancelled_at: null,
        created_at: now,
        updated_at: now,
      });
      const row = (await repo.lock(trx, id))!;
      await this.bus.append(trx, {
        type: "activity.created",
        entityType: "activity",
        entityId: id,
        accountId: row.account_id,
        actorId: actorId(actor),
        data: this.eventData(row),
      });
      await this.keepByCall(trx, row, actorId(actor));
      await this.scheduleTimers(trx, row);
      if (type === "appointment" && attendees.length > 0) {
        await this.sendInvitations(trx, row, "REQUEST", attendees);
      }
      return presentActivity((await repo.find(trx, id))!, now);
    }
  }

  async update(ctx: RequestCtx, id: string, input: UpdateActivity): Promise<Activity> {
    const actor = ctx.actor;
    requireStaff(actor);
    return this.tx(async (trx) => {
      const before = await repo.lock(trx, id);
      if (!before) throw notFound("Activity");
      assertTypeFields(before.type, input);
      const now = this.clock.now();
      const set: Updateable<ActivitiesTable> = {};
      const given = Object.entries(input)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      if (before.type === "promise" && before.status === "broken" && input.status === "open")
        throw ruleRefused("A broken promise cannot be reopened; make a new promise", { allowed: [] });
      if (before.type === "promise" && before.status !== "open") {
        const frozen = given.filter(
          (k) => k !== "notes" && !(k === "status" && input.status === before.status),
        );
        if (frozen.length > 0)
          throw ruleRefused(
            `This promise is ${before.status}: it is the record of what was promised and only its notes can change`,
          );
      }

      if (input.subject !== undefined) set.subject = required(input.subject, "/subject");
      if (input.notes !== undefined) set.notes = text(input.notes, "/notes");
      if (input.ownerId !== undefined && input.ownerId !== before.owner_id) {
        await this.assertOwner(trx, input.ownerId);
        set.owner_id = input.ownerId;
      }
      if (input.caseId !== undefined || input.accountId !== undefined || input.contactId !== undefined) {
        const parties = await this.resolveParties(trx, {
          caseId: input.caseId !== undefined ? input.caseId : before.case_id,
          // A new case brings its own contact and account; unlinking the case keeps them.
          contactId:
            input.contactId !== undefined ? input.contactId : input.caseId ? undefined : before.contact_id,
          accountId:
            input.accountId !== undefined
              ? input.accountId
              : input.caseId || input.contactId
                ? undefined
                : before.account_id,
        });
        if (before.type === "promise" && !parties.caseId && !parties.contactId)
          throw invalid("/caseId", "a promise is made to a customer: keep a case or a contact");
        set.case_id = parties.caseId;
        set.account_id = parties.accountId;
        set.contact_id = parties.contactId;
      }
      if (input.dueAt !== undefined) {
        const due = input.dueAt === null ? null : parseDate(input.dueAt, "/dueAt");
        if (before.type === "promise") {
          if (!due) throw invalid("/dueAt", "a promise needs a due time");
          if (before.due_at && before.due_at.getTime() <= now.getTime())
            throw ruleRefused("The promise is already due: it is kept or broken now, not moved");
          if (due.getTime() <= now.getTime()) throw invalid("/dueAt", "must be in the future");
        }
        set.due_at = due;
      }
      if (input.startsAt !== undefined || input.endsAt !== undefined) {
        const starts =
          input.startsAt !== undefined ? parseDate(input.startsAt, "/startsAt") : before.starts_at!;
        const ends = input.endsAt !== undefined ? parseDate(input.endsAt, "/endsAt") : before.ends_at!;
        if (ends <= starts) throw invalid("/endsAt", "must be after startsAt");
        set.starts_at = starts;
        set.ends_at = ends;
        set.due_at = starts;
      }
      if (input.direction !== undefined) set.direction = input.direction;
      const duration = durationOf(input);
      if (duration !== undefined) set.duration_seconds = duration;
      if (input.outcome !== undefined) set.outcome = text(input.outcome, "/outcome");
      if (input.location !== undefined) set.location = text(input.location, "/location");
      if (input.meetingUrl !== undefined) set.meeting_url = text(input.meetingUrl, "/meetingUrl");
      let removedAttendees: StoredAttendee[] = [];
      if (input.attendees !== undefined) {
        const next = await this.resolveAttendees(trx, input.attendees);
        const keep = new Set(next.map((a) => a.email));
        removedAttendees = attendeesOf(before).filter((a) => !keep.has(a.email));
        set.attendees = JSON.stringify(next);
      }
      if (input.reminderMinutes !== undefined) set.reminder_minutes = input.reminderMinutes;

      // Only what really changed counts (and is announced).
      const changed = changedFields(before, set);
      for (const k of Object.keys(set) as (keyof typeof set)[]) {
        if (!changed.includes(k)) delete set[k];
      }
      if (changed.includes("due_at") || changed.includes("owner_id") || changed.includes("reminder_minutes"))
        set.reminded_at = null;

      let statusEvent: string | null = null;
      if (input.status !== undefined && input.status !== before.status) {
        statusEvent = this.statusMove(before, input.status, set, actor, now);
      }
      if (Object.keys(set).length === 0) return presentActivity((await repo.find(trx, id))!, now);
      set.updated_at = now;
      await repo.update(trx, id, set);
      const after = (await repo.lock(trx, id))!;
      const base = {
        entityType: "activity",
        entityId: id,
        accountId: after.account_id,
        actorId: actorId(actor),
      };
      const fields = changed.map(camel);
      if (fields.length > 0) {
        await this.bus.append(trx, {
          ...base,
          type: "activity.updated",
          data: { ...this.eventData(after), fields },
        });
      }
      if (statusEvent) {
        await this.bus.append(trx, {
          ...base,
          type: statusEvent,
          data: {
            ...this.eventData(after),
            from: before.status,
            ...(statusEvent === "promise.kept" ? { how: "manual" } : {}),
          },
        });
      }
      // A planned call done now: it happened now, whatever time it was planned for.
      if (after.type === "call" && before.status !== "done")
        await this.keepByCall(trx, after, actorId(actor), now);
      await this.scheduleTimers(trx, after);
      if (after.type === "appointment") await this.reinvite(trx, before, after, fields, removedAttendees);
      return presentActivity((await repo.find(trx, id))!, now);
    });
  }

  async delete(ctx: RequestCtx, id: string): Promise<void> {
    const actor = ctx.actor;
    requireStaff(actor);
    await this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Activity");
      if (
        actor.kind === "user" &&
        !DELETERS.includes(actor.role) &&
        row.created_by_id !== actor.id &&
        row.owner_id !== actor.id
      ) {
        throw new AppError(
          "forbidden",
          "Only its owner, whoever created it, a manager or an admin may delete an activity",
        );
      }
      if (row.type === "promise" && (row.status === "kept" || row.status === "broken")) {
        throw ruleRefused(
          `A ${row.status} promise is the record of what was promised to the customer and cannot be deleted`,
        );
      }
      await this.cancelTimers(trx, id);
      if (row.type === "appointment" && row.status === "open" && attendeesOf(row).length > 0) {
        const cancelled = { ...row, ical_sequence: row.ical_sequence + 1 };
        await this.sendInvitations(trx, cancelled, "CANCEL", attendeesOf(row));
      }
      await repo.delete(trx, id);
      await this.bus.append(trx, {
        type: "activity.deleted",
        entityType: "activity",
        entityId: id,
        accountId: row.account_id,
        actorId: actorId(actor),
        data: this.eventData(row),
      });
    });
  }

  /**
   * Arms the reminder and due timers of an activity written as a row (the demo seed, imports),
   * in the caller's transaction.
   */
  async armTimers(trx: Trx, id: string): Promise<void> {
    const row = await repo.lock(trx, id);
    if (row) await this.scheduleTimers(trx, row);
  }

  // ---- settings and the calendar feed ----

  async settings(actor: Actor): Promise<ActivitySettings> {
    const userId = this.userOf(actor);
    const row = await repo.settings(this.db.kysely, userId);
    return presentSettings(row);
  }

  async updateSettings(
    ctx: RequestCtx,
    input: { reminderMinutes?: number | undefined },
  ): Promise<ActivitySettings> {
    const userId = this.userOf(ctx.actor);
    return this.tx(async (trx) => {
      const row = await repo.upsertSettings(trx, userId, {
        ...(input.reminderMinutes !== undefined ? { reminder_minutes: input.reminderMinutes } : {}),
        updated_at: this.clock.now(),
      });
      return presentSettings(row);
    });
  }

  /** Creates (or rotates) the user's secret feed URL; the URL is shown this once. */
  async createFeed(ctx: RequestCtx): Promise<{ url: string; createdAt: string }> {
    const userId = this.userOf(ctx.actor);
    const token = newSecret(32);
    const now = this.clock.now();
    await this.tx((trx) =>
      repo.upsertSettings(trx, userId, {
        feed_token_hash: sha256(token),
        feed_created_at: now,
        updated_at: now,
      }),
    );
    return {
      url: `${this.config.publicUrl}/api/v1/calendar-feed/${token}.ics`,
      createdAt: now.toISOString(),
    };
  }

  async revokeFeed(ctx: RequestCtx): Promise<void> {
    const userId = this.userOf(ctx.actor);
    const now = this.clock.now();
    await this.tx((trx) =>
      repo.upsertSettings(trx, userId, { feed_token_hash: null, feed_created_at: null, updated_at: now }),
    );
  }

  /** The .ics of a feed URL's last segment (`<token>.ics`); undefined (a 404) for anything else. */
  async feed(file: string): Promise<string | undefined> {
    const m = FEED_FILE.exec(file);
    if (!m) return undefined;
    const db = this.db.kysely;
    const user = await repo.userByFeedHash(db, sha256(m[1]!));
    if (!user?.active) return undefined;
    const now = this.clock.now();
    const rows = await repo.forFeed(
      db,
      user.id,
      new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000),
      new Date(now.getTime() + FEED_FUTURE_DAYS * 86_400_000),
    );
    const events: FeedEvent[] = rows.map((r) => {
      const start = r.type === "appointment" ? r.starts_at! : r.due_at!;
      const end = r.type === "appointment" ? r.ends_at! : new Date(start.getTime() + FEED_BLOCK_MS);
      const mark =
        r.status === "kept"
          ? " ✓ kept"
          : r.status === "broken"
            ? " ✗ broken"
            : r.status === "done"
              ? " ✓"
              : "";
      const label = r.type === "appointment" ? "" : `${r.type[0]!.toUpperCase()}${r.type.slice(1)}: `;
      const customer = [r.contact_name, r.account_name].filter(Boolean).join(", ");
      const theirs = r.customer_time_zone ? safeWallTime(start, r.customer_time_zone) : null;
      const description = [
        r.case_number !== null ? `${formatCaseNumber(r.case_number)} ${r.case_subject ?? ""}`.trim() : null,
        customer ? `Customer: ${customer}` : null,
        theirs && r.type !== "appointment" ? `${theirs} their time (${r.customer_time_zone})` : null,
        r.notes,
      ]
        .filter(Boolean)
        .join("\n");
      return {
        uid: icsUid(r.id, this.host),
        sequence: r.ical_sequence,
        start,
        end,
        summary: `${label}${r.subject}${mark}`,
        description: description || null,
        location: r.location,
        url: r.meeting_url ?? this.appUrl(r),
      };
    });
    return feedIcs({ name: `Keepdesk — ${user.name}`, stamp: now, events });
  }

  // ---- case hooks ----

  /** A staff reply on the case keeps its open promises (and the contact's promises without a case). */
  async afterMessage(trx: Trx, _ctx: RequestCtx, row: CaseRow, message: CaseMessageFact): Promise<void> {
    if (message.kind !== "reply" || message.authorId === null) return;
    const promises = await repo.openPromisesFor(
      trx,
      { caseId: row.id, contactId: row.contact_id, anyCaseOfContact: false },
      message.createdAt,
    );
    for (const p of promises)
      await this.keep(trx, p, "reply", message.id, message.authorId, message.createdAt);
  }

  /** A merged duplicate's activities move to the survivor, which carries the whole story. */
  async afterChange(trx: Trx, ctx: RequestCtx, before: CaseRow, after: CaseRow): Promise<void> {
    if (!after.merged_into_id || before.merged_into_id) return;
    const moved = await repo.moveCase(trx, after.id, after.merged_into_id, this.clock.now());
    for (const m of moved) {
      await this.bus.append(trx, {
        type: "activity.updated",
        entityType: "activity",
        entityId: m.id,
        accountId: m.account_id,
        actorId: actorId(ctx.actor),
        data: {
          type: m.type,
          subject: m.subject,
          caseId: after.merged_into_id,
          fields: ["caseId"],
          mergedFromCaseId: after.id,
        },
      });
    }
  }

  // ---- timers ----

  private async onReminder(t: DueTimer, trx: Trx): Promise<void> {
    const row = await repo.lock(trx, String(t.payload.activityId));
    if (row?.status !== "open" || !row.due_at || !row.reminder_minutes || row.reminded_at) return;
    const now = this.clock.now();
    const point = row.due_at.getTime() - row.reminder_minutes * 60_000;
    if (point > now.getTime() + 1000) return;
    // A promise past due is the break's business, not a reminder's.
    if (row.type === "promise" && row.due_at.getTime() <= now.getTime()) return;
    const view = (await repo.find(trx, row.id))!;
    const owner = row.owner_id ? (await repo.people(trx, [row.owner_id]))[0] : undefined;
    if (owner) {
      const when = safeWallTime(row.due_at, owner.time_zone) ?? row.due_at.toISOString();
      const what =
        row.type === "promise"
          ? "Promise due"
          : row.type === "appointment"
            ? "Appointment starts"
            : row.type === "call"
              ? "Call due"
              : "Task due";
      await this.notifications.notify(trx, {
        userIds: [owner.id],
        kind: row.type === "promise" ? "promise.reminder" : "activity.reminder",
        title: `${what} ${when}: ${row.subject}`,
        body: this.customerLine(view),
        link: this.appPath(view),
        caseId: row.case_id,
        email: true,
        dedupeKey: `activity.reminder:${row.id}:${row.due_at.toISOString()}`,
      });
    }
    await repo.update(trx, row.id, { reminded_at: now });
  }

  private async onPromiseDue(t: DueTimer, trx: Trx): Promise<void> {
    const row = await repo.lock(trx, String(t.payload.activityId));
    if (row?.type !== "promise" || row.status !== "open" || !row.due_at) return;
    const now = this.clock.now();
    if (row.due_at.getTime() > now.getTime()) return;
    // Broken at the due instant, even when the worker catches up after downtime.
    await repo.update(trx, row.id, { status: "broken", broken_at: row.due_at, updated_at: now });
    await this.timers.cancel(trx, reminderKey(row.id));
    const after = (await repo.lock(trx, row.id))!;
    await this.bus.append(trx, {
      type: "promise.broken",
      entityType: "activity",
      entityId: row.id,
      accountId: row.account_id,
      data: this.eventData(after),
    });
    const view = (await repo.find(trx, row.id))!;
    const ownerId = row.owner_id;
    let leads = ownerId ? await repo.teamLeadsOf(trx, ownerId) : [];
    if (leads.length === 0) leads = (await repo.managers(trx)).filter((id) => id !== ownerId);
    const owner = ownerId ? (await repo.people(trx, [ownerId]))[0] : undefined;
    const due = row.due_at;
    const theirs = view.customer_time_zone ? safeWallTime(due, view.customer_time_zone) : null;
    await this.notifications.notify(trx, {
      userIds: [...(ownerId ? [ownerId] : []), ...leads],
      kind: "promise.broken",
      title: `Promise broken: ${row.subject}`,
      body: [
        `${owner?.name ?? "Nobody"} promised it for ${due.toISOString().replace(".000Z", "Z")}${
          theirs ? ` (${theirs} the customer's time)` : ""
        } and it passed unfulfilled.`,
        this.customerLine(view),
      ]
        .filter(Boolean)
        .join("\n"),
      link: this.appPath(view),
      caseId: row.case_id,
      email: true,
      dedupeKey: `promise.broken:${row.id}`,
    });
  }

  // ---- rules ----

  private statusMove(
    before: ActivityRow,
    to: ActivityStatus,
    set: Updateable<ActivitiesTable>,
    actor: Actor,
    now: Date,
  ): string {
    const from = before.status;
    if (before.type === "promise" && to === "broken")
      throw ruleRefused("A promise breaks only when its due time passes unfulfilled");
    const allowed = MOVES[before.type === "promise" ? "promise" : "other"][from] ?? [];
    if (!allowed.includes(to)) {
      throw ruleRefused(
        `A ${before.type} cannot move from ${from} to ${to}. Allowed from ${from}: ${allowed.join(", ") || "none"}`,
        { from, to, allowed },
      );
    }
    set.status = to;
    if (to === "kept") {
      const due = (set.due_at as Date | undefined) ?? before.due_at;
      if (due && due.getTime() < now.getTime())
        throw ruleRefused(`The promise was due at ${due.toISOString()}; a promise answered late is broken`);
      set.kept_at = now;
      set.kept_how = "manual";
      set.kept_by_ref = null;
      set.kept_by_user_id = actor.kind === "user" ? actor.id : null;
      return "promise.kept";
    }
    if (to === "done") {
      set.completed_at = now;
      return "activity.completed";
    }
    if (to === "cancelled") {
      set.cancelled_at = now;
      return "activity.cancelled";
    }
    // Back to open.
    set.completed_at = null;
    set.cancelled_at = null;
    set.reminded_at = null;
    return "activity.reopened";
  }

  private async keep(
    trx: Trx,
    row: ActivityRow,
    how: KeptHow,
    ref: string | null,
    byUserId: string | null,
    at: Date,
  ): Promise<void> {
    await repo.update(trx, row.id, {
      status: "kept",
      kept_at: at,
      kept_how: how,
      kept_by_ref: ref,
      kept_by_user_id: byUserId,
      updated_at: this.clock.now(),
    });
    await this.cancelTimers(trx, row.id);
    const after = (await repo.lock(trx, row.id))!;
    await this.bus.append(trx, {
      type: "promise.kept",
      entityType: "activity",
      entityId: row.id,
      accountId: row.account_id,
      actorId: byUserId,
      data: { ...this.eventData(after), how, ref },
    });
  }

  /** A logged call with the customer keeps the promises on its case or made to its contact. */
  private async keepByCall(trx: Trx, call: ActivityRow, byUserId: string | null, when?: Date): Promise<void> {
    if (call.type !== "call" || call.status !== "done") return;
    const at = when ?? call.due_at ?? this.clock.now();
    const promises = await repo.openPromisesFor(
      trx,
      { caseId: call.case_id, contactId: call.contact_id, anyCaseOfContact: true },
      at,
    );
    for (const p of promises) await this.keep(trx, p, "call", call.id, byUserId ?? call.owner_id, at);
  }

  private async scheduleTimers(trx: Trx, row: ActivityRow): Promise<void> {
    const now = this.clock.now();
    const open = row.status === "open";
    if (
      open &&
      row.due_at &&
      row.reminder_minutes &&
      !row.reminded_at &&
      row.due_at.getTime() > now.getTime()
    ) {
      const point = Math.max(now.getTime(), row.due_at.getTime() - row.reminder_minutes * 60_000);
      await this.timers.schedule(trx, {
        kind: ACTIVITY_REMINDER_TIMER,
        dueAt: new Date(point),
        payload: { activityId: row.id },
        dedupeKey: reminderKey(row.id),
      });
    } else {
      await this.timers.cancel(trx, reminderKey(row.id));
    }
    if (row.type === "promise" && open && row.due_at) {
      await this.timers.schedule(trx, {
        kind: PROMISE_DUE_TIMER,
        dueAt: row.due_at,
        payload: { activityId: row.id },
        dedupeKey: dueKey(row.id),
      });
    } else if (row.type === "promise") {
      await this.timers.cancel(trx, dueKey(row.id));
    }
  }

  private async cancelTimers(trx: Trx, id: string): Promise<void> {
    await this.timers.cancel(trx, reminderKey(id));
    await this.timers.cancel(trx, dueKey(id));
  }

  /** An appointment that changed sends SEQUENCE+1: a new REQUEST, or CANCEL when cancelled. */
  private async reinvite(
    trx: Trx,
    before: ActivityRow,
    after: ActivityRow,
    fields: string[],
    removed: StoredAttendee[],
  ): Promise<void> {
    const current = attendeesOf(after);
    const significant = ["subject", "startsAt", "endsAt", "location", "meetingUrl", "attendees", "notes"];
    let method: "REQUEST" | "CANCEL" | null = null;
    let to: StoredAttendee[] = [];
    if (after.status === "cancelled" && before.status !== "cancelled") {
      method = "CANCEL";
      to = attendeesOf(before);
    } else if (after.status === "open" && before.status === "cancelled") {
      method = "REQUEST";
      to = current;
    } else if (after.status === "open" && fields.some((f) => significant.includes(f))) {
      method = "REQUEST";
      to = current;
    }
    if (!method || (to.length === 0 && removed.length === 0)) return;
    const next = { ...after, ical_sequence: after.ical_sequence + 1 };
    await repo.update(trx, after.id, { ical_sequence: next.ical_sequence });
    if (to.length > 0) await this.sendInvitations(trx, next, method, to);
    if (method === "REQUEST" && removed.length > 0) await this.sendInvitations(trx, next, "CANCEL", removed);
  }

  private async sendInvitations(
    trx: Trx,
    row: ActivityRow,
    method: "REQUEST" | "CANCEL",
    recipients: StoredAttendee[],
  ): Promise<void> {
    if (!row.starts_at || !row.ends_at) return;
    const owner = row.owner_id ? (await repo.people(trx, [row.owner_id]))[0] : undefined;
    const organizer = owner
      ? { name: owner.name, email: owner.email }
      : { name: "Keepdesk", email: addressOf(this.config.mailFrom) };
    const listed = method === "REQUEST" ? attendeesOf(row) : recipients;
    const ics = invitationIcs({
      uid: icsUid(row.id, this.host),
      sequence: row.ical_sequence,
      method,
      stamp: this.clock.now(),
      start: row.starts_at,
      end: row.ends_at,
      summary: row.subject,
      description: row.notes,
      location: row.location,
      url: row.meeting_url,
      organizer,
      attendees: listed.map((a) => ({ name: a.name, email: a.email })),
    });
    const view = await repo.find(trx, row.id);
    const customerZone = view?.customer_time_zone ?? null;
    for (const r of recipients) {
      if (r.email.toLowerCase() === organizer.email.toLowerCase()) continue;
      const zone = (await this.zoneOfAttendee(trx, r)) ?? customerZone ?? "UTC";
      const when = `${safeWallTime(row.starts_at, zone)} – ${safeWallTime(row.ends_at, zone)?.slice(-5)} (${zone})`;
      const subject =
        method === "CANCEL"
          ? `Cancelled: ${row.subject} (${when})`
          : row.ical_sequence > 0
            ? `Updated invitation: ${row.subject} (${when})`
            : `Invitation: ${row.subject} (${when})`;
      const lines = [
        method === "CANCEL"
          ? `${organizer.name} cancelled this meeting.`
          : `${organizer.name} invites you to a meeting.`,
        "",
        row.subject,
        `When: ${when}`,
        ...(row.location ? [`Where: ${row.location}`] : []),
        ...(row.meeting_url ? [`Join: ${row.meeting_url}`] : []),
        ...(row.notes ? ["", row.notes] : []),
        "",
      ];
      await this.mail.enqueue(trx, {
        to: r.email,
        toName: r.name,
        subject,
        text: lines.join("\n"),
        purpose: method === "CANCEL" ? "activity.cancellation" : "activity.invitation",
        caseId: row.case_id,
        attachments: [
          {
            filename: method === "CANCEL" ? "cancel.ics" : "invite.ics",
            contentType: `text/calendar; method=${method}; charset=utf-8`,
            content: ics,
          },
        ],
      });
    }
  }

  private async zoneOfAttendee(db: Executor, a: StoredAttendee): Promise<string | null> {
    if (a.type === "user" && a.userId) return (await repo.people(db, [a.userId]))[0]?.time_zone ?? null;
    if (a.type === "contact" && a.contactId) {
      const contact = await this.accounts.contactIn(db, a.contactId);
      if (!contact) return null;
      if (contact.timeZone) return contact.timeZone;
      return (await this.accounts.accountIn(db, contact.accountId))?.timeZone ?? null;
    }
    return null;
  }

  private async resolveAttendees(db: Executor, list: AttendeeInput[]): Promise<StoredAttendee[]> {
    if (list.length > MAX_ATTENDEES) throw invalid("/attendees", `at most ${MAX_ATTENDEES}`);
    const out: StoredAttendee[] = [];
    const seen = new Set<string>();
    for (const [i, a] of list.entries()) {
      const path = `/attendees/${i}`;
      const given = [a.userId, a.contactId, a.email].filter((v) => v !== undefined).length;
      if (given !== 1) throw invalid(path, "give exactly one of userId, contactId or email");
      let attendee: StoredAttendee;
      if (a.userId) {
        const user = (await repo.people(db, [a.userId]))[0];
        if (!user?.active) throw invalid(`${path}/userId`, "no such active user");
        attendee = { type: "user", userId: user.id, email: user.email.toLowerCase(), name: user.name };
      } else if (a.contactId) {
        const contact = await this.accounts.contactIn(db, a.contactId);
        if (!contact) throw invalid(`${path}/contactId`, "no such contact");
        attendee = {
          type: "contact",
          contactId: contact.id,
          email: contact.email.toLowerCase(),
          name: contact.name,
        };
      } else {
        const email = (a.email ?? "").trim().toLowerCase();
        assertText(email, `${path}/email`);
        if (!/^[^\s<>@",;]+@[^\s<>@",;]+$/.test(email))
          throw invalid(`${path}/email`, "must be an email address");
        attendee = { type: "email", email, name: text(a.name, `${path}/name`) };
      }
      if (seen.has(attendee.email)) continue;
      seen.add(attendee.email);
      out.push(attendee);
    }
    return out;
  }

  /**
   * A case implies its contact and account, a contact its account; given together they must
   * agree. A merged case is not one to plan work on.
   */
  private async resolveParties(
    db: Executor,
    given: {
      caseId?: string | null | undefined;
      accountId?: string | null | undefined;
      contactId?: string | null | undefined;
    },
  ): Promise<{ caseId: string | null; accountId: string | null; contactId: string | null }> {
    let caseRow: CaseRow | undefined;
    if (given.caseId) {
      caseRow = await this.cases.findRow(db, given.caseId);
      if (!caseRow) throw invalid("/caseId", "no such case");
      if (caseRow.merged_into_id)
        throw invalid("/caseId", "was merged into another case; use that one (its mergedIntoId)");
    }
    let contactAccount: string | null = null;
    if (given.contactId) {
      const contact = await this.accounts.contactIn(db, given.contactId);
      if (!contact) throw invalid("/contactId", "no such contact");
      contactAccount = contact.accountId;
    }
    if (given.accountId && !(await this.accounts.accountIn(db, given.accountId))) {
      throw invalid("/accountId", "no such account");
    }
    if (given.accountId && contactAccount && given.accountId !== contactAccount) {
      throw invalid("/contactId", "belongs to another account than accountId");
    }
    const accountId = given.accountId ?? contactAccount ?? caseRow?.account_id ?? null;
    if (caseRow?.account_id && accountId !== caseRow.account_id) {
      throw invalid("/caseId", "belongs to another account");
    }
    const contactId = given.contactId ?? (given.contactId === null ? null : (caseRow?.contact_id ?? null));
    return { caseId: caseRow?.id ?? null, accountId, contactId };
  }

  private async assertOwner(db: Executor, ownerId: string): Promise<void> {
    if (!UUID.test(ownerId)) throw invalid("/ownerId", "must be a user id");
    const user = (await repo.people(db, [ownerId]))[0];
    if (!user) throw invalid("/ownerId", "no such user");
    if (!user.active) throw invalid("/ownerId", "is deactivated");
  }

  private async defaultReminder(db: Executor, userId: string): Promise<number> {
    return (await repo.settings(db, userId))?.reminder_minutes ?? DEFAULT_REMINDER_MINUTES;
  }

  private userOf(actor: Actor): string {
    requireStaff(actor);
    if (actor.kind !== "user") throw new AppError("forbidden", "Only a signed-in user has activity settings");
    return actor.id;
  }

  private eventData(row: ActivityRow): Record<string, unknown> {
    return {
      type: row.type,
      subject: row.subject,
      status: row.status,
      ownerId: row.owner_id,
      caseId: row.case_id,
      contactId: row.contact_id,
      dueAt: iso(row.due_at),
      ...(row.type === "call"
        ? { direction: row.direction, durationSeconds: row.duration_seconds, outcome: row.outcome }
        : {}),
      ...(row.type === "appointment" ? { startsAt: iso(row.starts_at), endsAt: iso(row.ends_at) } : {}),
      ...(row.type === "promise" && row.status === "kept"
        ? { keptAt: iso(row.kept_at), keptHow: row.kept_how }
        : {}),
      ...(row.type === "promise" && row.status === "broken" ? { brokenAt: iso(row.broken_at) } : {}),
    };
  }

  private customerLine(v: ActivityView): string | undefined {
    const parts = [
      v.case_number !== null ? formatCaseNumber(v.case_number) : null,
      v.contact_name,
      v.account_name,
    ].filter(Boolean);
    const theirs = v.due_at && v.customer_time_zone ? safeWallTime(v.due_at, v.customer_time_zone) : null;
    const line = [parts.join(" · "), theirs ? `${theirs} their time (${v.customer_time_zone})` : null]
      .filter(Boolean)
      .join(" — ");
    return line || undefined;
  }

  private appPath(v: Pick<ActivityRow, "case_id">): string {
    return v.case_id ? `/cases/${v.case_id}` : "/my-day";
  }

  private appUrl(v: Pick<ActivityRow, "case_id">): string {
    return `${this.config.publicUrl}${this.appPath(v)}`;
  }

  private async tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }
}

const reminderKey = (id: string) => `activity.reminder:${id}`;
const dueKey = (id: string) => `promise.due:${id}`;

function presentSettings(
  row: { reminder_minutes: number; feed_token_hash: string | null; feed_created_at: Date | null } | undefined,
): ActivitySettings {
  return {
    reminderMinutes: row?.reminder_minutes ?? DEFAULT_REMINDER_MINUTES,
    calendarFeed: { active: Boolean(row?.feed_token_hash), createdAt: iso(row?.feed_created_at) },
  };
}

/** `Keepdesk <support@host>` → `support@host`. */
function addressOf(from: string): string {
  const m = /<([^>]+)>/.exec(from);
  return (m ? m[1]! : from).trim();
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

/** The columns of `set` whose value differs from `before`. */
function changedFields(before: ActivityRow, set: Updateable<ActivitiesTable>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(set)) {
    const old = (before as Record<string, unknown>)[k];
    const a =
      old instanceof Date ? old.getTime() : k === "attendees" ? JSON.stringify(attendeesOf(before)) : old;
    const b = v instanceof Date ? v.getTime() : v;
    if (a !== b) out.push(k);
  }
  return out;
}
