import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import { type Config, mailHostOf } from "../../platform/config.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { ActivitiesService } from "../activities/activities.service.ts";
import { icsUid, invitationIcs } from "../activities/ical.ts";
import { guarded, parseDate } from "../cases/case-input.ts";
import type { FeedbackService } from "../feedback/feedback.service.ts";
import type { FeedbackKind } from "../feedback/feedback.tables.ts";
import type { MailService } from "../mail/mail.service.ts";
import { type CouncilRow, type MeetingRow, councilsRepository as repo } from "./councils.repository.ts";
import type { MeetingStatus } from "./councils.tables.ts";
import {
  nextOccurrence,
  type Occurrence,
  occurrences,
  type Recurrence,
  recurrenceProblem,
} from "./recurrence.ts";

const MANAGERS = ["admin", "manager", "sales"] as const;
const DAY_MS = 86_400_000;

export type CouncilInput = {
  name: string;
  description?: string | null | undefined;
  timeZone: string;
  rrule: string;
  start: string;
  durationMinutes?: number | undefined;
  location?: string | null | undefined;
};

export type Council = {
  id: string;
  name: string;
  description: string | null;
  timeZone: string;
  rrule: string;
  start: string;
  durationMinutes: number;
  location: string | null;
  ownerId: string | null;
  memberCount: number;
  createdAt: string;
};

export type Member = {
  contactId: string;
  contactName: string;
  email: string;
  accountId: string;
  accountName: string;
  annualRevenue: number;
  tier: string;
};

export type Meeting = {
  id: string;
  councilId: string;
  startsAt: string;
  endsAt: string;
  status: MeetingStatus;
  minutes: string | null;
  invitedAt: string | null;
};

const iso = (d: Date) => d.toISOString();

/**
 * The Customer Council: members (key accounts suggested by revenue), recurring meetings from an
 * RRULE in the council's zone, .ics invitations, agenda from feedback items, minutes, action
 * items that become tasks or feedback items, and attendance.
 */
export class CouncilsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly config: Config,
    private readonly mail: MailService,
    private readonly activities: ActivitiesService,
    private readonly feedback: FeedbackService,
  ) {}

  async list(actor: Actor): Promise<{ items: Council[] }> {
    requireStaff(actor);
    const rows = await repo.list(this.db.kysely);
    return { items: rows.map((r) => presentCouncil(r, r.member_count)) };
  }

  async get(actor: Actor, id: string) {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Council");
    const members = (await repo.members(this.db.kysely, id)).map(presentMember);
    const meetings = (await repo.meetings(this.db.kysely, id)).map(presentMeeting);
    const upcoming = occurrences(
      recurrenceOf(row),
      this.clock.now(),
      new Date(this.clock.now().getTime() + 366 * DAY_MS),
    )
      .slice(0, 6)
      .map(presentOccurrence);
    return { ...presentCouncil(row, members.length), members, meetings, upcoming };
  }

  async create(ctx: RequestCtx, input: CouncilInput): Promise<Council> {
    requireRole(ctx.actor, MANAGERS, "set up councils");
    const name = input.name.trim();
    if (name === "") throw invalid("/name", "must not be blank");
    const rec = {
      rrule: input.rrule,
      start: input.start,
      timeZone: input.timeZone,
      durationMinutes: input.durationMinutes ?? 60,
    };
    const problem = recurrenceProblem(rec);
    if (problem) throw invalid(problem.path, problem.message);
    return this.tx(async (trx) => {
      const now = this.clock.now();
      const id = newId();
      await repo.insert(trx, {
        id,
        name,
        description: input.description?.trim() || null,
        time_zone: input.timeZone,
        rrule: input.rrule.replace(/^RRULE:/i, "").trim(),
        start_local: input.start,
        duration_minutes: rec.durationMinutes,
        location: input.location?.trim() || null,
        owner_id: actorId(ctx.actor),
        created_at: now,
        updated_at: now,
      });
      return presentCouncil((await repo.find(trx, id))!, 0);
    });
  }

  async update(ctx: RequestCtx, id: string, input: Partial<CouncilInput>): Promise<Council> {
    requireRole(ctx.actor, MANAGERS, "change councils");
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Council");
      const rec = {
        rrule: input.rrule ?? row.rrule,
        start: input.start ?? row.start_local,
        timeZone: input.timeZone ?? row.time_zone,
        durationMinutes: input.durationMinutes ?? row.duration_minutes,
      };
      const problem = recurrenceProblem(rec);
      if (problem) throw invalid(problem.path, problem.message);
      if (input.name !== undefined && input.name.trim() === "") throw invalid("/name", "must not be blank");
      await repo.update(trx, id, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
        ...(input.location !== undefined ? { location: input.location?.trim() || null } : {}),
        time_zone: rec.timeZone,
        rrule: rec.rrule.replace(/^RRULE:/i, "").trim(),
        start_local: rec.start,
        duration_minutes: rec.durationMinutes,
        updated_at: this.clock.now(),
      });
      return presentCouncil((await repo.find(trx, id))!, (await repo.members(trx, id)).length);
    });
  }

  async suggestions(actor: Actor, id: string): Promise<{ items: Member[] }> {
    requireStaff(actor);
    if (!(await repo.find(this.db.kysely, id))) throw notFound("Council");
    return { items: (await repo.suggestions(this.db.kysely, id, 20)).map(presentMember) };
  }

  async addMember(ctx: RequestCtx, id: string, contactId: string): Promise<{ items: Member[] }> {
    requireRole(ctx.actor, MANAGERS, "change council members");
    return this.tx(async (trx) => {
      if (!(await repo.lock(trx, id))) throw notFound("Council");
      if (!(await repo.contact(trx, contactId))) throw invalid("/contactId", "no such contact");
      if (!(await repo.addMember(trx, id, contactId, this.clock.now())))
        throw ruleRefused("This contact is already a member");
      return { items: (await repo.members(trx, id)).map(presentMember) };
    });
  }

  async removeMember(ctx: RequestCtx, id: string, contactId: string): Promise<void> {
    requireRole(ctx.actor, MANAGERS, "change council members");
    await this.tx(async (trx) => {
      if (!(await repo.lock(trx, id))) throw notFound("Council");
      if (!(await repo.removeMember(trx, id, contactId))) throw notFound("Member");
    });
  }

  async occurrences(actor: Actor, id: string, query: { from?: string | undefined; to?: string | undefined }) {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Council");
    const from = query.from ? parseDate(query.from, "/from") : this.clock.now();
    const to = query.to ? parseDate(query.to, "/to") : new Date(from.getTime() + 366 * DAY_MS);
    if (to <= from) throw invalid("/to", "must be after from");
    if (to.getTime() - from.getTime() > 5 * 366 * DAY_MS)
      throw invalid("/to", "at most five years after from");
    return { items: occurrences(recurrenceOf(row), from, to).map(presentOccurrence) };
  }

  /**
   * Schedules a meeting at an occurrence of the rule (the next one not yet scheduled, or the
   * given one) and emails every member an .ics invitation.
   */
  async scheduleMeeting(
    ctx: RequestCtx,
    id: string,
    input: { startsAt?: string | undefined },
  ): Promise<Meeting> {
    requireRole(ctx.actor, MANAGERS, "schedule council meetings");
    return this.tx(async (trx) => {
      const council = await repo.lock(trx, id);
      if (!council) throw notFound("Council");
      const rec = recurrenceOf(council);
      let occ: Occurrence | null = null;
      if (input.startsAt) {
        const at = parseDate(input.startsAt, "/startsAt");
        occ = occurrences(rec, at, new Date(at.getTime() + 1))[0] ?? null;
        if (!occ) throw invalid("/startsAt", "is not an occurrence of the council's schedule");
      } else {
        let after = this.clock.now();
        for (let i = 0; i < 50; i++) {
          occ = nextOccurrence(rec, after);
          if (!occ || !(await repo.meetingAt(trx, id, occ.startsAt))) break;
          after = new Date(occ.startsAt.getTime() + 1);
        }
        if (!occ) throw ruleRefused("The council's schedule has no more meetings");
      }
      if (await repo.meetingAt(trx, id, occ.startsAt)) throw ruleRefused("That meeting is already scheduled");
      const now = this.clock.now();
      const meetingId = newId();
      await repo.insertMeeting(trx, {
        id: meetingId,
        council_id: id,
        starts_at: occ.startsAt,
        ends_at: occ.endsAt,
        status: "scheduled",
        minutes: null,
        ical_sequence: 0,
        invited_at: null,
        created_at: now,
        updated_at: now,
      });
      const meeting = (await repo.meeting(trx, meetingId))!;
      await this.invite(trx, council, meeting, "REQUEST");
      await repo.updateMeeting(trx, meetingId, { invited_at: now });
      await this.bus.append(trx, {
        type: "council.meeting_scheduled",
        entityType: "council_meeting",
        entityId: meetingId,
        actorId: actorId(ctx.actor),
        data: { councilId: id, startsAt: iso(occ.startsAt) },
      });
      return presentMeeting((await repo.meeting(trx, meetingId))!);
    });
  }

  async getMeeting(actor: Actor, meetingId: string) {
    requireStaff(actor);
    const db = this.db.kysely;
    const meeting = await repo.meeting(db, meetingId);
    if (!meeting) throw notFound("Meeting");
    const council = (await repo.find(db, meeting.council_id))!;
    const members = (await repo.members(db, council.id)).map(presentMember);
    const attendance = new Map((await repo.attendance(db, meetingId)).map((a) => [a.contact_id, a.attended]));
    return {
      ...presentMeeting(meeting),
      council: { id: council.id, name: council.name, timeZone: council.time_zone },
      agenda: (await repo.agenda(db, meetingId)).map((g) => ({
        id: g.id,
        title: g.title,
        feedbackItemId: g.feedback_item_id,
        feedbackStatus: g.feedback_status,
        position: g.position,
      })),
      actions: (await repo.actions(db, meetingId)).map((a) => ({
        id: a.id,
        title: a.title,
        kind: a.kind,
        activityId: a.activity_id,
        feedbackItemId: a.feedback_item_id,
        createdAt: iso(a.created_at),
      })),
      attendance: members.map((m) => ({
        ...m,
        attended: attendance.has(m.contactId) ? attendance.get(m.contactId)! : null,
      })),
    };
  }

  async updateMeeting(
    ctx: RequestCtx,
    meetingId: string,
    input: { minutes?: string | null | undefined; status?: MeetingStatus | undefined },
  ): Promise<Meeting> {
    requireRole(ctx.actor, MANAGERS, "change council meetings");
    return this.tx(async (trx) => {
      const meeting = await repo.lockMeeting(trx, meetingId);
      if (!meeting) throw notFound("Meeting");
      if (meeting.status === "cancelled" && input.status !== undefined && input.status !== "cancelled")
        throw ruleRefused("A cancelled meeting stays cancelled; schedule another");
      await repo.updateMeeting(trx, meetingId, {
        ...(input.minutes !== undefined ? { minutes: input.minutes?.trim() || null } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        updated_at: this.clock.now(),
      });
      if (input.status === "cancelled" && meeting.status !== "cancelled") {
        const council = (await repo.find(trx, meeting.council_id))!;
        const next = { ...meeting, ical_sequence: meeting.ical_sequence + 1 };
        await repo.updateMeeting(trx, meetingId, { ical_sequence: next.ical_sequence });
        await this.invite(trx, council, next, "CANCEL");
      }
      return presentMeeting((await repo.meeting(trx, meetingId))!);
    });
  }

  async addAgendaItem(
    ctx: RequestCtx,
    meetingId: string,
    input: { title?: string | undefined; feedbackItemId?: string | undefined },
  ) {
    requireRole(ctx.actor, MANAGERS, "change council agendas");
    return this.tx(async (trx) => {
      if (!(await repo.lockMeeting(trx, meetingId))) throw notFound("Meeting");
      let title = input.title?.trim() ?? "";
      if (input.feedbackItemId) {
        const item = await this.feedback.findIn(trx, input.feedbackItemId);
        if (!item) throw invalid("/feedbackItemId", "no such feedback item");
        if (title === "") title = item.title;
      }
      if (title === "") throw invalid("/title", "give a title or a feedback item");
      await repo.insertAgendaItem(trx, {
        id: newId(),
        meeting_id: meetingId,
        title,
        feedback_item_id: input.feedbackItemId ?? null,
        created_at: this.clock.now(),
      });
      return {
        items: (await repo.agenda(trx, meetingId)).map((g) => ({
          id: g.id,
          title: g.title,
          feedbackItemId: g.feedback_item_id,
          position: g.position,
        })),
      };
    });
  }

  /** An action item becomes a task (an activity) or a feedback item, in the same transaction. */
  async addActionItem(
    ctx: RequestCtx,
    meetingId: string,
    input: {
      kind: "task" | "feedback";
      title: string;
      ownerId?: string | undefined;
      dueAt?: string | undefined;
      feedbackKind?: FeedbackKind | undefined;
      contactId?: string | undefined;
    },
  ) {
    requireRole(ctx.actor, MANAGERS, "record council action items");
    const title = input.title.trim();
    if (title === "") throw invalid("/title", "must not be blank");
    return this.tx(async (trx) => {
      const meeting = await repo.lockMeeting(trx, meetingId);
      if (!meeting) throw notFound("Meeting");
      const council = (await repo.find(trx, meeting.council_id))!;
      let activityId: string | null = null;
      let feedbackItemId: string | null = null;
      if (input.kind === "task") {
        const task = await this.activities.createIn(trx, ctx, {
          type: "task",
          subject: title,
          notes: `Action from the ${council.name} meeting of ${meeting.starts_at.toISOString().slice(0, 10)}`,
          ...(input.ownerId ? { ownerId: input.ownerId } : {}),
          ...(input.dueAt ? { dueAt: input.dueAt } : {}),
          ...(input.contactId ? { contactId: input.contactId } : {}),
        });
        activityId = task.id;
      } else {
        const item = await this.feedback.createIn(trx, ctx, {
          kind: input.feedbackKind ?? "idea",
          source: "council",
          title,
          ...(input.contactId ? { contactId: input.contactId } : {}),
        });
        feedbackItemId = item.id;
      }
      const id = newId();
      await repo.insertAction(trx, {
        id,
        meeting_id: meetingId,
        title,
        kind: input.kind,
        activity_id: activityId,
        feedback_item_id: feedbackItemId,
        created_by_id: actorId(ctx.actor),
        created_at: this.clock.now(),
      });
      return { id, title, kind: input.kind, activityId, feedbackItemId };
    });
  }

  async recordAttendance(
    ctx: RequestCtx,
    meetingId: string,
    input: { contactId: string; attended: boolean },
  ) {
    requireRole(ctx.actor, MANAGERS, "record attendance");
    return this.tx(async (trx) => {
      const meeting = await repo.lockMeeting(trx, meetingId);
      if (!meeting) throw notFound("Meeting");
      if (!(await repo.isMember(trx, meeting.council_id, input.contactId)))
        throw invalid("/contactId", "is not a member of this council");
      const contact = (await repo.contact(trx, input.contactId))!;
      await repo.upsertAttendance(trx, {
        meeting_id: meetingId,
        contact_id: input.contactId,
        attended: input.attended,
        recorded_at: this.clock.now(),
      });
      await this.bus.append(trx, {
        type: "council.attendance_recorded",
        entityType: "council_meeting",
        entityId: meetingId,
        accountId: contact.account_id,
        actorId: actorId(ctx.actor),
        data: {
          meetingId,
          councilId: meeting.council_id,
          contactId: input.contactId,
          attended: input.attended,
        },
      });
      return { meetingId, contactId: input.contactId, attended: input.attended };
    });
  }

  private async invite(
    trx: Trx,
    council: CouncilRow,
    meeting: MeetingRow,
    method: "REQUEST" | "CANCEL",
  ): Promise<void> {
    const members = await repo.members(trx, council.id);
    if (members.length === 0) return;
    const owner = council.owner_id ? await repo.ownerOf(trx, council.owner_id) : undefined;
    const organizer = owner
      ? { name: owner.name, email: owner.email }
      : { name: "Keepdesk", email: `noreply@${mailHostOf(this.config.publicUrl)}` };
    const ics = invitationIcs({
      uid: icsUid(meeting.id, mailHostOf(this.config.publicUrl)),
      sequence: meeting.ical_sequence,
      method,
      stamp: this.clock.now(),
      start: meeting.starts_at,
      end: meeting.ends_at,
      summary: council.name,
      description: council.description,
      location: council.location,
      organizer,
      attendees: members.map((m) => ({ name: m.contact_name, email: m.email })),
    });
    const when = new Intl.DateTimeFormat("en-GB", {
      dateStyle: "full",
      timeStyle: "short",
      timeZone: council.time_zone,
    }).format(meeting.starts_at);
    for (const m of members) {
      await this.mail.enqueue(trx, {
        to: m.email,
        toName: m.contact_name,
        subject:
          method === "CANCEL"
            ? `Cancelled: ${council.name}, ${when}`
            : `Invitation: ${council.name}, ${when}`,
        text: [
          `Hello ${m.contact_name},`,
          "",
          method === "CANCEL"
            ? `The ${council.name} meeting on ${when} (${council.time_zone}) is cancelled.`
            : `You are invited to the ${council.name} meeting on ${when} (${council.time_zone}).`,
          ...(council.location ? [`Where: ${council.location}`] : []),
          "",
          "The calendar invitation is attached.",
        ].join("\n"),
        purpose: method === "CANCEL" ? "council.cancellation" : "council.invitation",
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

  private async tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }
}

function recurrenceOf(row: CouncilRow): Recurrence {
  return {
    rrule: row.rrule,
    start: row.start_local,
    timeZone: row.time_zone,
    durationMinutes: row.duration_minutes,
  };
}

function presentCouncil(r: CouncilRow, memberCount: number): Council {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    timeZone: r.time_zone,
    rrule: r.rrule,
    start: r.start_local,
    durationMinutes: r.duration_minutes,
    location: r.location,
    ownerId: r.owner_id,
    memberCount,
    createdAt: iso(r.created_at),
  };
}

function presentMember(m: {
  contact_id: string;
  contact_name: string;
  email: string;
  account_id: string;
  account_name: string;
  annual_revenue: number;
  tier: string;
}): Member {
  return {
    contactId: m.contact_id,
    contactName: m.contact_name,
    email: m.email,
    accountId: m.account_id,
    accountName: m.account_name,
    annualRevenue: Number(m.annual_revenue),
    tier: m.tier,
  };
}

function presentMeeting(m: MeetingRow): Meeting {
  return {
    id: m.id,
    councilId: m.council_id,
    startsAt: iso(m.starts_at),
    endsAt: iso(m.ends_at),
    status: m.status,
    minutes: m.minutes,
    invitedAt: m.invited_at ? iso(m.invited_at) : null,
  };
}

function presentOccurrence(o: Occurrence) {
  return { startsAt: iso(o.startsAt), endsAt: iso(o.endsAt), local: o.local };
}
