import { IANAZone } from "luxon";
import { DAY_MS, type Rng } from "./random.ts";

/**
 * Time for seeded cases: when customers write (their office hours, weekdays mostly) and when
 * agents answer (theirs). Offsets come from the IANA zone, cached per zone and day: a lookup is
 * about 10 µs, and the bench generator makes millions of timestamps.
 */
export class ZoneClock {
  private readonly zones = new Map<string, IANAZone>();
  private readonly offsets = new Map<string, number>();

  /** Minutes east of UTC in `zone` on the day of `t` (at noon UTC: DST nights are an hour off). */
  offsetMinutes(zone: string, t: number): number {
    const day = Math.floor(t / DAY_MS);
    const key = `${zone}|${day}`;
    let offset = this.offsets.get(key);
    if (offset === undefined) {
      let z = this.zones.get(zone);
      if (!z) {
        z = IANAZone.create(zone);
        this.zones.set(zone, z);
      }
      offset = z.isValid ? z.offset(day * DAY_MS + DAY_MS / 2) : 0;
      this.offsets.set(key, offset);
    }
    return offset;
  }

  /**
   * `t`, or if it falls outside Monday–Friday `startHour`–`endHour` local time in `zone`, the
   * next opening plus up to `jitterMin` minutes (nobody answers at 08:00:00 sharp).
   */
  nextWorkingTime(
    rng: Rng,
    t: number,
    zone: string,
    options: { startHour?: number; endHour?: number; jitterMin?: number } = {},
  ): number {
    const start = (options.startHour ?? 8) * 60;
    const end = (options.endHour ?? 18) * 60;
    const offsetMs = this.offsetMinutes(zone, t) * 60_000;
    const local = t + offsetMs;
    let day = Math.floor(local / DAY_MS);
    const minute = (local - day * DAY_MS) / 60_000;
    if (isWeekday(day) && minute >= start && minute < end) return t;
    if (!isWeekday(day) || minute >= end) day += 1;
    while (!isWeekday(day)) day += 1;
    const jitter = rng.next() * (options.jitterMin ?? 40) * 60_000;
    return day * DAY_MS + start * 60_000 + jitter - offsetMs;
  }

  /**
   * A moment on the local calendar day starting at `dayStartUtc` (midnight UTC) in `zone`, when a
   * customer would write: mostly office hours with a morning peak, some evenings and nights.
   */
  customerMoment(rng: Rng, dayStartUtc: number, zone: string): number {
    const minute = rng.chance(0.86)
      ? rng.weighted(OFFICE_HOURS) * 60 + rng.next() * 60
      : rng.next() * 24 * 60;
    return dayStartUtc + minute * 60_000 - this.offsetMinutes(zone, dayStartUtc) * 60_000;
  }
}

/** Days since 1970-01-01 (a Thursday) → is it Monday to Friday? */
export function isWeekday(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return dow >= 1 && dow <= 5;
}

/** Hours of the local day people write to support, by weight: a morning peak, a lunch dip. */
const OFFICE_HOURS: readonly (readonly [number, number])[] = [
  [8, 9],
  [9, 13],
  [10, 13],
  [11, 11],
  [12, 7],
  [13, 9],
  [14, 10],
  [15, 9],
  [16, 7],
  [17, 4],
];

/**
 * How many cases each day of a period gets: fewer at weekends (a twelfth), slowly more over the
 * period (the customer base grows), and, for the last days of it, the same as any other day.
 * `firstDay` is in days since the epoch; returns integer counts summing to `total`.
 */
export function casesPerDay(firstDay: number, days: number, total: number): number[] {
  const weights = Array.from({ length: days }, (_, i) => {
    const trend = 0.85 + 0.3 * (i / Math.max(1, days - 1));
    return (isWeekday(firstDay + i) ? 1 : 0.12) * trend;
  });
  const sum = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w) => (w / sum) * total);
  const counts = shares.map(Math.floor);
  let given = counts.reduce((s, n) => s + n, 0);
  // Largest remainders first, so the total comes out exactly.
  const order = shares
    .map((s, i) => [s - Math.floor(s), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; given < total; k = (k + 1) % order.length) {
    counts[order[k]![1]]! += 1;
    given += 1;
  }
  return counts;
}
