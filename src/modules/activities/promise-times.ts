import { DateTime } from "luxon";

/**
 * The three quick picks for a promise, in the customer's time zone (pure; `now` comes from the
 * injected clock):
 * - `inAnHour`: an hour from now, rounded up to the next 5 minutes (09:02 → 10:05);
 * - `endOfDay`: 17:00 the customer's time today, or tomorrow's 17:00 once it has passed;
 * - `tomorrowMorning`: 10:00 the customer's time tomorrow.
 * Day arithmetic is in wall time (luxon), so a DST change in between keeps 17:00 at 17:00.
 */

export type PromiseTimeKey = "inAnHour" | "endOfDay" | "tomorrowMorning";

export type PromiseTime = {
  key: PromiseTimeKey;
  /** "In an hour", "End of their day", "Tomorrow 10:00 their time". */
  label: string;
  /** The instant, ISO 8601 UTC. */
  at: string;
  /** The customer's wall time at that instant: "Tue 3 Mar, 10:00". */
  customerTime: string;
  /** "Tue 3 Mar, 10:00 their time (Australia/Sydney)". */
  customerLabel: string;
};

export const END_OF_DAY_HOUR = 17;
export const TOMORROW_HOUR = 10;
const ROUND_MINUTES = 5;

export function promiseTimes(now: Date, timeZone: string): PromiseTime[] {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timeZone}`);

  const step = ROUND_MINUTES * 60_000;
  const inAnHour = DateTime.fromMillis(Math.ceil((now.getTime() + 3_600_000) / step) * step, {
    zone: timeZone,
  });

  const at = (day: DateTime, hour: number) => day.set({ hour, minute: 0, second: 0, millisecond: 0 });
  let endOfDay = at(local, END_OF_DAY_HOUR);
  if (endOfDay.toMillis() <= local.toMillis()) endOfDay = at(local.plus({ days: 1 }), END_OF_DAY_HOUR);
  const tomorrow = at(local.plus({ days: 1 }), TOMORROW_HOUR);

  const item = (key: PromiseTimeKey, label: string, when: DateTime): PromiseTime => {
    const customerTime = formatWallTime(when);
    return {
      key,
      label,
      at: when.toUTC().toISO({ suppressMilliseconds: false }) ?? when.toJSDate().toISOString(),
      customerTime,
      customerLabel: `${customerTime} their time (${timeZone})`,
    };
  };
  return [
    item("inAnHour", "In an hour", inAnHour),
    item("endOfDay", "End of their day", endOfDay),
    item("tomorrowMorning", `Tomorrow ${String(TOMORROW_HOUR).padStart(2, "0")}:00 their time`, tomorrow),
  ];
}

/** "Tue 3 Mar, 10:00" in the zone of `when`. */
export function formatWallTime(when: DateTime): string {
  return when.setLocale("en-GB").toFormat("ccc d LLL, HH:mm");
}

/** "Tue 3 Mar, 10:00" for an instant in a zone. */
export function wallTimeIn(instant: Date, timeZone: string): string {
  return formatWallTime(DateTime.fromJSDate(instant, { zone: timeZone }));
}

/** Start and end (exclusive) of the calendar day containing `now` in `timeZone`. */
export function dayBounds(now: Date, timeZone: string): { start: Date; end: Date; date: string } {
  const local = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  return {
    start: local.toJSDate(),
    end: local.plus({ days: 1 }).toJSDate(),
    date: local.toISODate() ?? "",
  };
}
