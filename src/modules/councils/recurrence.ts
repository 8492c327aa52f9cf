import { DateTime } from "luxon";
import rrulePkg from "rrule";

const { RRule } = rrulePkg as unknown as typeof import("rrule");

/**
 * Meeting recurrence: an RRULE (RFC 5545) in the council's time zone. `rrule` expands the rule
 * over "floating" wall-clock times (a Date whose UTC fields are the wall time), and luxon turns
 * each wall time into a real instant in the zone, so a 15:00 meeting stays at 15:00 local
 * across daylight-saving changes (its UTC instant moves by the hour). A wall time that does not
 * exist (inside a spring-forward gap) moves forward by the gap, as calendar apps do.
 */

export type Recurrence = {
  /** e.g. "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2" (no DTSTART: it comes from `start`). */
  rrule: string;
  /** The first meeting's wall time in the zone, "YYYY-MM-DDTHH:mm". */
  start: string;
  timeZone: string;
  durationMinutes: number;
};

export type Occurrence = { startsAt: Date; endsAt: Date; local: string };

const MAX_OCCURRENCES = 500;

/** The problem with a rule, or null when it is usable. */
export function recurrenceProblem(r: Recurrence): { path: string; message: string } | null {
  if (!DateTime.local().setZone(r.timeZone).isValid)
    return { path: "/timeZone", message: "not an IANA time zone" };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(r.start) || !DateTime.fromISO(r.start).isValid)
    return { path: "/start", message: "a local date and time, YYYY-MM-DDTHH:mm" };
  const text = r.rrule.replace(/^RRULE:/i, "").trim();
  if (/DTSTART|TZID/i.test(text)) return { path: "/rrule", message: "give the rule without DTSTART or TZID" };
  try {
    const opts = RRule.parseString(text);
    if (opts.freq === undefined) return { path: "/rrule", message: "needs FREQ" };
    if (
      opts.freq !== RRule.YEARLY &&
      opts.freq !== RRule.MONTHLY &&
      opts.freq !== RRule.WEEKLY &&
      opts.freq !== RRule.DAILY
    )
      return { path: "/rrule", message: "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY" };
  } catch {
    return { path: "/rrule", message: "not a valid RRULE" };
  }
  return null;
}

function floating(wall: DateTime): Date {
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

/** Occurrences starting in [from, to), at most 500. */
export function occurrences(r: Recurrence, from: Date, to: Date): Occurrence[] {
  const text = r.rrule.replace(/^RRULE:/i, "").trim();
  const opts = RRule.parseString(text);
  const dtstart = floating(DateTime.fromISO(r.start));
  const rule = new RRule({ ...opts, dtstart, tzid: null });
  // Widen the floating window by a day on each side (zone offsets), then filter on real instants.
  const lo = floating(DateTime.fromJSDate(from, { zone: r.timeZone }).minus({ days: 1 }));
  const hi = floating(DateTime.fromJSDate(to, { zone: r.timeZone }).plus({ days: 1 }));
  const out: Occurrence[] = [];
  for (const d of rule.between(lo, hi, true)) {
    const wall = DateTime.fromObject(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
      },
      { zone: r.timeZone },
    );
    const startsAt = wall.toJSDate();
    if (startsAt < from || startsAt >= to) continue;
    out.push({
      startsAt,
      endsAt: wall.plus({ minutes: r.durationMinutes }).toJSDate(),
      local: wall.toFormat("yyyy-MM-dd'T'HH:mm"),
    });
    if (out.length >= MAX_OCCURRENCES) break;
  }
  return out;
}

/** The next occurrence starting at or after `after`, or null when the rule has ended. */
export function nextOccurrence(r: Recurrence, after: Date): Occurrence | null {
  const horizon = new Date(after.getTime() + 2 * 366 * 86_400_000);
  return occurrences(r, after, horizon)[0] ?? null;
}
