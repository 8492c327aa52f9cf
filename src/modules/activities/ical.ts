import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  type ICalEventData,
  ICalEventStatus,
} from "ical-generator";

/**
 * iCalendar output through ical-generator (RFC 5545/5546): appointment invitations
 * (METHOD:REQUEST, and METHOD:CANCEL when cancelled) and the per-user calendar feed. Times are
 * written in UTC, so no VTIMEZONE is needed; calendar apps show them in the reader's zone.
 */

const PROD_ID = { company: "Keepdesk", product: "Keepdesk", language: "EN" } as const;

export type IcsPerson = { name: string | null; email: string };

export type Invitation = {
  /** Stable across updates: `<activity id>@<host>`. */
  uid: string;
  /** 0 for the first invitation, one more for every update or cancellation. */
  sequence: number;
  method: "REQUEST" | "CANCEL";
  /** DTSTAMP: when this version was made (from the injected clock). */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  organizer: IcsPerson;
  attendees: IcsPerson[];
};

/** The activity's UID in every invitation and in the feed. */
export function icsUid(activityId: string, host: string): string {
  return `${activityId}@${host}`;
}

export function invitationIcs(inv: Invitation): string {
  const cal = ical({
    prodId: PROD_ID,
    method: inv.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  cal.createEvent({
    id: inv.uid,
    sequence: inv.sequence,
    stamp: inv.stamp,
    start: inv.start,
    end: inv.end,
    summary: inv.summary,
    description: inv.description ?? null,
    location: inv.location ?? null,
    url: inv.url ?? null,
    status: inv.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: inv.organizer.name ?? inv.organizer.email, email: inv.organizer.email },
    attendees: inv.attendees.map((a) => ({
      email: a.email,
      name: a.name ?? null,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: inv.method === "REQUEST",
    })),
  });
  return cal.toString();
}

export type FeedEvent = {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  cancelled?: boolean;
};

/** A subscribed calendar (no METHOD): the user's appointments and due times. */
export function feedIcs(feed: { name: string; stamp: Date; events: FeedEvent[] }): string {
  const cal = ical({ prodId: PROD_ID, name: feed.name, ttl: 15 * 60 });
  for (const e of feed.events) {
    const data: ICalEventData = {
      id: e.uid,
      sequence: e.sequence,
      stamp: feed.stamp,
      start: e.start,
      end: e.end,
      summary: e.summary,
      description: e.description ?? null,
      location: e.location ?? null,
      url: e.url ?? null,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    };
    cal.createEvent(data);
  }
  return cal.toString();
}
