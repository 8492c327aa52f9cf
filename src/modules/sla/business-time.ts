/**
 * Business-time arithmetic for SLA calendars: pure (no database, no clock), fast.
 *
 * A calendar is a time zone, weekly working hours (several intervals a day, "24:00" allowed
 * as an end) and holidays (whole local days without working time). Every interval of a local
 * day D, [S, E) in wall-clock time, is turned into one span of real instants:
 *
 *   start = the FIRST instant at which the wall clock of the zone reaches S on day D
 *   end   = the LAST instant at which the wall clock still reads before E (the supremum)
 *
 * i.e. an interval covers, contiguously, every instant whose local time on D lies in [S, E).
 * Across the DST changes this means:
 *
 * - Skipped hour (spring forward). A wall time inside the gap does not exist; as a start or an
 *   end it resolves to the first instant after the gap (the transition itself). A night shift
 *   00:00–06:00 on the spring-forward night lasts 5 real hours; 02:30–05:00 in New York on
 *   8 March 2026 starts at 03:00 EDT; an interval lying wholly inside the gap is empty that day.
 * - Repeated hour (fall back). A start takes the first occurrence of its wall time, an end the
 *   last occurrence: 01:00–02:00 on the fall-back day lasts two real hours, 00:00–06:00 lasts
 *   seven, 00:00–01:30 ends at 01:30 of the second pass.
 *
 * Why: the people behind a calendar work by the clock on the wall — whoever works 00:00–06:00
 * is at the desk for every real minute the wall clock shows a time in that range, and a
 * wall-clock interval should never split into pieces nor become negative. The rule is the same
 * for every interval and monotonic in the wall time, so intervals of a day still come in order;
 * if two touching intervals overlap in real time after the conversion (00:00–01:30 and
 * 01:30–03:00 on a fall-back night), they are merged: business time is the union.
 *
 * Rounding: instants are whole milliseconds (a Date's resolution); addMinutes rounds its result
 * to the nearest millisecond, never past the end of the interval it lands in.
 *
 * How it stays fast: weekly hours are compiled once to sorted minute ranges per weekday; the
 * zone's offsets are looked up once per (zone, local day) and cached for the whole process
 * (a day without a transition converts wall times with one subtraction); each calendar caches
 * its days' instant spans; and whole weeks without holidays or offset changes are skipped in
 * one step (their business time is the weekly total). Assumption, true of every zone in the
 * tz database in modern times: a zone changes its UTC offset at most once within four days.
 *
 * A calendar with no working time at all is refused (calendarProblems, the constructor). One
 * whose every working day is a holiday for years cannot be found by looking at the spec; the
 * walks throw after more than three years of consecutive days without working time.
 */
import { IANAZone } from "luxon";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeeklyHours = Record<Weekday, [string, string][]>;
export type CalendarSpec = { timeZone: string; hours: WeeklyHours; holidays: string[] };

/** 24×7: every day 00:00–24:00. */
export const ALWAYS_OPEN: WeeklyHours = Object.freeze(
  Object.fromEntries(WEEKDAYS.map((d) => [d, Object.freeze([Object.freeze(["00:00", "24:00"])])])),
) as unknown as WeeklyHours;

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Consecutive days without any working time after which a walk gives up (three years). */
const MAX_EMPTY_DAYS = 3 * 366;

type Problem = { path: string; message: string };

/** Minutes of the day of "HH:MM" (00:00–23:59; with `isEnd` also 24:00), else undefined. */
function parseTime(s: unknown, isEnd: boolean): number | undefined {
  if (typeof s !== "string" || s.length !== 5 || s.charCodeAt(2) !== 58 /* : */) return undefined;
  const h1 = s.charCodeAt(0) - 48;
  const h2 = s.charCodeAt(1) - 48;
  const m1 = s.charCodeAt(3) - 48;
  const m2 = s.charCodeAt(4) - 48;
  if (!(h1 >= 0 && h1 <= 9 && h2 >= 0 && h2 <= 9 && m1 >= 0 && m1 <= 5 && m2 >= 0 && m2 <= 9))
    return undefined;
  const h = h1 * 10 + h2;
  const m = m1 * 10 + m2;
  if (h < 24) return h * 60 + m;
  return isEnd && h === 24 && m === 0 ? 1440 : undefined;
}

/** "YYYY-MM-DD" as a day number (days since 1970-01-01), or undefined when not a real date. */
function dayNumber(s: unknown): number | undefined {
  if (typeof s !== "string" || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) {
    return undefined;
  }
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return undefined;
    y = y * 10 + c;
  }
  const mo1 = s.charCodeAt(5) - 48;
  const mo2 = s.charCodeAt(6) - 48;
  const d1 = s.charCodeAt(8) - 48;
  const d2 = s.charCodeAt(9) - 48;
  if (!(mo1 >= 0 && mo1 <= 9 && mo2 >= 0 && mo2 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) {
    return undefined;
  }
  const mo = mo1 * 10 + mo2;
  const d = d1 * 10 + d2;
  if (mo < 1 || mo > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d > monthDays) return undefined;
  // Days from the civil date (H. Hinnant's algorithm), valid for every year 0000–9999.
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const zoneValidity = new Map<string, boolean>();
function validZone(name: string): boolean {
  let ok = zoneValidity.get(name);
  if (ok === undefined) {
    ok = !/^[+-]/.test(name) && IANAZone.isValidZone(name);
    if (zoneValidity.size > 1000) zoneValidity.clear();
    zoneValidity.set(name, ok);
  }
  return ok;
}

const fmtMin = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

type Compiled = {
  problems: Problem[];
  /** Per weekday (mon = 0): sorted, merged [start, end, start, end, …] in minutes of the day. */
  weekly: number[][];
  weekMinutes: number;
  holidays: number[];
};

/**
 * Problems with a calendar, each naming the field path like "/hours/mon/1/0", "/timeZone",
 * "/holidays/2"; [] when valid. A weekday missing from `hours` counts as a closed day.
 */
export function calendarProblems(spec: CalendarSpec): { path: string; message: string }[] {
  return compile(spec).problems;
}

/** Validates and compiles a calendar in one pass (the constructor runs it for every calendar). */
function compile(spec: CalendarSpec): Compiled {
  const problems: Problem[] = [];
  const raw = (spec ?? {}) as Partial<Record<keyof CalendarSpec, unknown>>;

  const zone = raw.timeZone;
  if (typeof zone !== "string" || zone.trim() === "") {
    problems.push({ path: "/timeZone", message: "must be an IANA time zone name such as Europe/London" });
  } else if (!validZone(zone)) {
    problems.push({
      path: "/timeZone",
      message: `unknown time zone "${zone}" (use an IANA name such as Europe/London)`,
    });
  }

  let hoursProblems = 0;
  let working = 0;
  const weekly: number[][] = [];
  const hours = raw.hours;
  if (hours === null || typeof hours !== "object" || Array.isArray(hours)) {
    problems.push({ path: "/hours", message: "must be an object with the weekdays mon…sun" });
    hoursProblems++;
  } else {
    for (const key in hours) {
      if (Object.hasOwn(hours, key) && !(WEEKDAYS as readonly string[]).includes(key)) {
        problems.push({ path: `/hours/${key}`, message: `is not a weekday (${WEEKDAYS.join(", ")})` });
        hoursProblems++;
      }
    }
    for (const day of WEEKDAYS) {
      const list = (hours as Record<string, unknown>)[day];
      const ranges: number[] = []; // start, end, index, …
      weekly.push([]);
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        problems.push({ path: `/hours/${day}`, message: 'must be a list of ["HH:MM", "HH:MM"] intervals' });
        hoursProblems++;
        continue;
      }
      let sorted = true;
      for (let index = 0; index < list.length; index++) {
        const iv: unknown = list[index];
        if (!Array.isArray(iv) || iv.length !== 2) {
          problems.push({
            path: `/hours/${day}/${index}`,
            message: 'must be a [start, end] pair such as ["09:00", "17:00"]',
          });
          hoursProblems++;
          continue;
        }
        const start = parseTime(iv[0], false);
        const end = parseTime(iv[1], true);
        if (start === undefined) {
          problems.push({
            path: `/hours/${day}/${index}/0`,
            message: "must be a time HH:MM from 00:00 to 23:59",
          });
          hoursProblems++;
        }
        if (end === undefined) {
          problems.push({
            path: `/hours/${day}/${index}/1`,
            message: "must be a time HH:MM from 00:00 to 23:59, or 24:00",
          });
          hoursProblems++;
        }
        if (start === undefined || end === undefined) continue;
        if (end <= start) {
          problems.push({
            path: `/hours/${day}/${index}/1`,
            message: `must be after the start ${fmtMin(start)}`,
          });
          hoursProblems++;
          continue;
        }
        if (ranges.length > 0 && start < ranges[ranges.length - 3]!) sorted = false;
        ranges.push(start, end, index);
      }
      let order = ranges;
      if (!sorted) {
        const triples: [number, number, number][] = [];
        for (let i = 0; i < ranges.length; i += 3) triples.push([ranges[i]!, ranges[i + 1]!, ranges[i + 2]!]);
        triples.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        order = triples.flat();
      }
      const merged = weekly[weekly.length - 1]!;
      let prev = -1; // offset in `order` of the interval reaching furthest so far
      for (let i = 0; i < order.length; i += 3) {
        const start = order[i]!;
        const end = order[i + 1]!;
        const index = order[i + 2]!;
        if (prev >= 0 && start < order[prev + 1]!) {
          const [later, other] = index > order[prev + 2]! ? [i, prev] : [prev, i];
          problems.push({
            path: `/hours/${day}/${order[later + 2]}`,
            message: `overlaps ${fmtMin(order[other]!)}–${fmtMin(order[other + 1]!)} (/hours/${day}/${order[other + 2]})`,
          });
          hoursProblems++;
        }
        if (prev < 0 || end > order[prev + 1]!) prev = i;
        working += end - start;
        // Touching intervals merge: the conversion to instants keeps their union the same.
        if (merged.length > 0 && start <= merged[merged.length - 1]!) {
          merged[merged.length - 1] = Math.max(merged[merged.length - 1]!, end);
        } else merged.push(start, end);
      }
    }
  }
  if (hoursProblems === 0 && working === 0) {
    problems.push({ path: "/hours", message: "the calendar has no working time" });
  }

  const holidays: number[] = [];
  const rawHolidays = raw.holidays;
  if (!Array.isArray(rawHolidays)) {
    problems.push({ path: "/holidays", message: "must be a list of dates YYYY-MM-DD" });
  } else {
    for (let i = 0; i < rawHolidays.length; i++) {
      const day = dayNumber(rawHolidays[i]);
      if (day === undefined) problems.push({ path: `/holidays/${i}`, message: "must be a date YYYY-MM-DD" });
      else holidays.push(day);
    }
  }
  return { problems, weekly, weekMinutes: working, holidays };
}

/**
 * The offsets of a zone around one local day D: `pre` in force 36 h before D's wall-clock
 * midnight read as UTC, `post` 60 h after it (ms east of UTC), and `change`, the instant the
 * offset goes from pre to post (NaN when they are equal: no transition near D).
 */
type ZoneDay = { pre: number; post: number; change: number };

const zoneDays = new Map<string, Map<number, ZoneDay>>();
const MAX_ZONE_DAYS = 50_000;

function zoneDay(zone: IANAZone, cache: Map<number, ZoneDay>, day: number): ZoneDay {
  let z = cache.get(day);
  if (z !== undefined) return z;
  const w0 = day * DAY_MS;
  let lo = w0 - 36 * HOUR_MS;
  let hi = w0 + 60 * HOUR_MS;
  const pre = zone.offset(lo) * MIN_MS;
  const post = zone.offset(hi) * MIN_MS;
  let change = Number.NaN;
  if (pre !== post) {
    // Binary search, to the second (offsets are computed to the second), for the first instant
    // with an offset other than `pre`.
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (zone.offset(mid) * MIN_MS === pre) lo = mid;
      else hi = mid;
    }
    change = hi;
  }
  z = { pre, post, change };
  if (cache.size >= MAX_ZONE_DAYS) cache.clear();
  cache.set(day, z);
  return z;
}

/** The first instant at which the wall clock reads `wall` (a local time written as UTC ms). */
function firstInstant(z: ZoneDay, wall: number): number {
  if (Number.isNaN(z.change)) return wall - z.pre;
  const t1 = wall - z.pre;
  const t2 = wall - z.post;
  const v1 = t1 < z.change;
  const v2 = t2 >= z.change;
  if (v1 && v2) return Math.min(t1, t2);
  if (v1) return t1;
  if (v2) return t2;
  return z.change; // in the gap: the first instant after it
}

/** The last instant before which the wall clock reads earlier than `wall`. */
function lastInstant(z: ZoneDay, wall: number): number {
  if (Number.isNaN(z.change)) return wall - z.pre;
  const t1 = wall - z.pre;
  const t2 = wall - z.post;
  const v1 = t1 < z.change;
  const v2 = t2 >= z.change;
  if (v1 && v2) return Math.max(t1, t2);
  if (v1) return t1;
  if (v2) return t2;
  return z.change;
}

const NONE: readonly number[] = Object.freeze([]);
const MAX_CALENDAR_DAYS = 8192;

function checkInstant(d: Date, name: string): number {
  const t = d != null && typeof d.getTime === "function" ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

export class BusinessCalendar {
  readonly timeZone: string;
  private readonly zone: IANAZone;
  private readonly zoneCache: Map<number, ZoneDay>;
  /** Per weekday (mon = 0): sorted, merged [start, end) in minutes of the local day. */
  private readonly weekly: number[][];
  private readonly holidays: Set<number>;
  /** Business ms in a week without holidays or offset changes. */
  private readonly weekMs: number;
  /** Local day → instant spans [s0, e0, s1, e1, …], merged and sorted. */
  private readonly days = new Map<number, readonly number[]>();
  /** Local day of a week's first day → whether the week can be skipped whole. */
  private readonly plainWeeks = new Map<number, boolean>();

  /** Throws an Error listing every problem when calendarProblems(spec) is non-empty. */
  constructor(spec: CalendarSpec) {
    const compiled = compile(spec);
    const { problems } = compiled;
    if (problems.length > 0) {
      throw new Error(`Invalid calendar: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
    }
    this.timeZone = spec.timeZone;
    this.zone = IANAZone.create(spec.timeZone);
    let cache = zoneDays.get(this.zone.name);
    if (!cache) {
      cache = new Map();
      zoneDays.set(this.zone.name, cache);
    }
    this.zoneCache = cache;
    this.weekly = compiled.weekly;
    this.weekMs = compiled.weekMinutes * MIN_MS;
    this.holidays = new Set(compiled.holidays);
  }

  /**
   * The instant `minutes` business minutes after `start` (minutes >= 0, may be fractional).
   * From a closed instant, counting starts at the next opening; 0 minutes from a closed instant
   * is the next opening. A result landing exactly on the end of an interval is that end.
   * Throws when the calendar has no working time for more than three years in a row.
   */
  addMinutes(start: Date, minutes: number): Date {
    let t = checkInstant(start, "start");
    if (!Number.isFinite(minutes) || minutes < 0) {
      throw new RangeError(`minutes must be a finite number >= 0, not ${minutes}`);
    }
    let rem = minutes * MIN_MS;
    const whole = Math.round(rem);
    if (Math.abs(rem - whole) < 1e-6) rem = whole;
    let day = Math.floor(t / DAY_MS) - 1;
    let empty = 0;
    for (;;) {
      if (rem > this.weekMs && this.plainWeek(day)) {
        const off = zoneDay(this.zone, this.zoneCache, day).pre;
        const weekStart = day * DAY_MS - off;
        if (t <= weekStart) {
          rem -= this.weekMs;
          day += 7;
          t = day * DAY_MS - off;
          empty = 0;
          continue;
        }
      }
      const spans = this.day(day);
      for (let i = 0; i < spans.length; i += 2) {
        const e = spans[i + 1]!;
        if (e <= t) continue;
        const s = Math.max(spans[i]!, t);
        const len = e - s;
        if (rem <= len) return new Date(Math.min(e, Math.round(s + rem)));
        rem -= len;
        t = e;
      }
      if (spans.length === 0) {
        if (++empty > MAX_EMPTY_DAYS) this.noWorkingTime(start);
      } else empty = 0;
      day++;
    }
  }

  /** Business minutes between two instants (fractional allowed; 0 when to <= from). */
  minutesBetween(from: Date, to: Date): number {
    const a = checkInstant(from, "from");
    const b = checkInstant(to, "to");
    if (!(b > a)) return 0;
    let total = 0;
    let t = a;
    let day = Math.floor(a / DAY_MS) - 1;
    // Day `day`'s spans all start after day * DAY_MS - 2 days (offsets are within ±16 h).
    while (day * DAY_MS - 2 * DAY_MS < b) {
      if (b - t > 7 * DAY_MS && this.plainWeek(day)) {
        const off = zoneDay(this.zone, this.zoneCache, day).pre;
        const weekStart = day * DAY_MS - off;
        const weekEnd = weekStart + 7 * DAY_MS;
        if (t <= weekStart && weekEnd <= b) {
          total += this.weekMs;
          day += 7;
          t = weekEnd;
          continue;
        }
      }
      const spans = this.day(day);
      for (let i = 0; i < spans.length; i += 2) {
        const end = spans[i + 1]!;
        if (end <= t) continue;
        const s = Math.max(spans[i]!, t);
        if (s >= b) return total / MIN_MS; // spans start in order, day after day
        total += Math.min(end, b) - s;
        t = end;
      }
      day++;
    }
    return total / MIN_MS;
  }

  isOpen(at: Date): boolean {
    const t = checkInstant(at, "at");
    const first = Math.floor(t / DAY_MS) - 2;
    for (let day = first; day <= first + 4; day++) {
      const spans = this.day(day);
      for (let i = 0; i < spans.length; i += 2) {
        if (spans[i]! <= t && t < spans[i + 1]!) return true;
      }
    }
    return false;
  }

  /** The next instant >= at that is business time (at itself when open). */
  nextOpening(at: Date): Date {
    const t = checkInstant(at, "at");
    let day = Math.floor(t / DAY_MS) - 1;
    let empty = 0;
    for (;;) {
      const spans = this.day(day);
      for (let i = 0; i < spans.length; i += 2) {
        if (spans[i + 1]! > t) return new Date(Math.max(spans[i]!, t));
      }
      if (spans.length === 0) {
        if (++empty > MAX_EMPTY_DAYS) this.noWorkingTime(at);
      } else empty = 0;
      day++;
    }
  }

  private noWorkingTime(from: Date): never {
    throw new Error(
      `The calendar (${this.timeZone}) has no working time in the three years after ${from.toISOString()}: its working days are all holidays`,
    );
  }

  /** The instant spans of local day `day` (days since 1970-01-01). */
  private day(day: number): readonly number[] {
    let spans = this.days.get(day);
    if (spans !== undefined) return spans;
    const ranges = this.weekly[(((day + 3) % 7) + 7) % 7]!; // 1970-01-01 was a Thursday
    if (ranges.length === 0 || this.holidays.has(day)) {
      spans = NONE;
    } else {
      const z = zoneDay(this.zone, this.zoneCache, day);
      const w0 = day * DAY_MS;
      const out: number[] = [];
      for (let i = 0; i < ranges.length; i += 2) {
        const s = firstInstant(z, w0 + ranges[i]! * MIN_MS);
        const e = lastInstant(z, w0 + ranges[i + 1]! * MIN_MS);
        if (e <= s) continue; // wholly inside a skipped hour
        if (out.length > 0 && s <= out[out.length - 1]!)
          out[out.length - 1] = Math.max(out[out.length - 1]!, e);
        else out.push(s, e);
      }
      spans = out;
    }
    if (this.days.size >= MAX_CALENDAR_DAYS) this.days.clear();
    this.days.set(day, spans);
    return spans;
  }

  /**
   * Whether the seven local days from `day` have no holiday and no offset change anywhere near
   * them, so that their business time is exactly the weekly total and day `day` starts at
   * local midnight with the offset of zoneDay(day).pre.
   */
  private plainWeek(day: number): boolean {
    let plain = this.plainWeeks.get(day);
    if (plain !== undefined) return plain;
    plain = true;
    for (let d = day; d < day + 7; d++) {
      if (this.holidays.has(d)) {
        plain = false;
        break;
      }
    }
    if (plain) {
      // Samples at most four days apart from 36 h before the week to 60 h after it.
      const a = zoneDay(this.zone, this.zoneCache, day);
      const b = zoneDay(this.zone, this.zoneCache, day + 4);
      const c = zoneDay(this.zone, this.zoneCache, day + 7);
      plain = a.pre === a.post && b.pre === b.post && c.pre === c.post && a.pre === b.pre && b.pre === c.pre;
    }
    if (this.plainWeeks.size >= MAX_CALENDAR_DAYS) this.plainWeeks.clear();
    this.plainWeeks.set(day, plain);
    return plain;
  }
}
