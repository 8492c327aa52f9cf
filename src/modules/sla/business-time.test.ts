import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  ALWAYS_OPEN,
  BusinessCalendar,
  type CalendarSpec,
  calendarProblems,
  WEEKDAYS,
  type Weekday,
  type WeeklyHours,
} from "./business-time.ts";

/*
 * Offsets used in the hand computations (2026):
 *   Europe/London     GMT (+0) until 29 Mar 01:00Z, BST (+1) until 25 Oct 01:00Z.
 *                     Skipped: 29 Mar 01:00–02:00 local. Repeated: 25 Oct 01:00–02:00 local.
 *   America/New_York  EST (−5) until 8 Mar 07:00Z, EDT (−4) until 1 Nov 06:00Z.
 *                     Skipped: 8 Mar 02:00–03:00 local. Repeated: 1 Nov 01:00–02:00 local.
 *   Australia/Sydney  AEDT (+11) until 4 Apr 16:00Z, AEST (+10) until 3 Oct 16:00Z, then AEDT.
 *                     Repeated: 5 Apr 02:00–03:00 local. Skipped: 4 Oct 02:00–03:00 local.
 *   Asia/Kolkata      IST (+5:30), no DST.
 * 2026-03-02 is a Monday.
 */

const week = (days: Partial<Record<Weekday, [string, string][]>>): WeeklyHours =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, days[d] ?? []])) as WeeklyHours;
const weekdays = (iv: [string, string][]): WeeklyHours =>
  week({ mon: iv, tue: iv, wed: iv, thu: iv, fri: iv });
const everyDay = (iv: [string, string][]): WeeklyHours =>
  week(Object.fromEntries(WEEKDAYS.map((d) => [d, iv])));

const SPLIT: [string, string][] = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];
const NINE_TO_FIVE: [string, string][] = [["09:00", "17:00"]];

const cal = (timeZone: string, hours: WeeklyHours, holidays: string[] = []) =>
  new BusinessCalendar({ timeZone, hours, holidays });

const LON = cal("Europe/London", weekdays(SPLIT), ["2026-04-03", "2026-04-06", "2026-12-25", "2026-12-28"]);
const LON_NIGHT = cal("Europe/London", everyDay([["00:00", "06:00"]]));
const LON_24 = cal("Europe/London", ALWAYS_OPEN);
const NY = cal("America/New_York", weekdays(NINE_TO_FIVE), ["2026-07-03", "2026-11-26"]);
const NY_NIGHT = cal("America/New_York", everyDay([["00:00", "06:00"]]));
/** Intervals ending in the repeated hour, lying in the skipped hour, and after both. */
const NY_EDGE = cal(
  "America/New_York",
  everyDay([
    ["00:00", "01:30"],
    ["02:15", "02:45"],
    ["04:00", "05:00"],
  ]),
);
/** Starts and ends inside the skipped / repeated hour. */
const NY_GAP = cal("America/New_York", everyDay([["02:30", "05:00"]]));
/** Two touching intervals that overlap in real time on the fall-back night. */
const NY_TOUCH = cal(
  "America/New_York",
  everyDay([
    ["00:00", "01:30"],
    ["01:30", "03:00"],
  ]),
);
const NY_24 = cal("America/New_York", ALWAYS_OPEN);
const SYD = cal("Australia/Sydney", weekdays(NINE_TO_FIVE), ["2026-04-03", "2026-04-06", "2026-10-05"]);
const SYD_NIGHT = cal("Australia/Sydney", everyDay([["00:00", "06:00"]]));
const SYD_EDGE = cal("Australia/Sydney", everyDay([["02:30", "04:00"]]));
const KOL = cal(
  "Asia/Kolkata",
  week({
    mon: [["10:00", "18:00"]],
    tue: [["10:00", "18:00"]],
    wed: [["10:00", "18:00"]],
    thu: [["10:00", "18:00"]],
    fri: [["10:00", "18:00"]],
    sat: [["10:00", "18:00"]],
  }),
  ["2026-03-04"],
);

const at = (iso: string) => new Date(iso);
const add = (c: BusinessCalendar, iso: string, minutes: number) =>
  c.addMinutes(at(iso), minutes).toISOString();
const between = (c: BusinessCalendar, a: string, b: string) => c.minutesBetween(at(a), at(b));

describe("addMinutes, hand-computed", () => {
  it.each([
    // --- Europe/London, Mon–Fri 08:00–12:00 + 13:00–17:00, holidays Easter and Christmas ---
    ["London: exactly at open, +60", LON, "2026-03-02T08:00:00.000Z", 60, "2026-03-02T09:00:00.000Z"],
    // 11:30 GMT: 30 min to 12:00, lunch, 30 min from 13:00.
    ["London: across the lunch break", LON, "2026-03-02T11:30:00.000Z", 60, "2026-03-02T13:30:00.000Z"],
    [
      "London: inside lunch, 0 → the afternoon opening",
      LON,
      "2026-03-02T12:15:00.000Z",
      0,
      "2026-03-02T13:00:00.000Z",
    ],
    [
      "London: exactly at close, 0 → next morning",
      LON,
      "2026-03-02T17:00:00.000Z",
      0,
      "2026-03-03T08:00:00.000Z",
    ],
    ["London: exactly at close, +30", LON, "2026-03-02T17:00:00.000Z", 30, "2026-03-03T08:30:00.000Z"],
    ["London: before opening, +90", LON, "2026-03-02T06:00:00.000Z", 90, "2026-03-02T09:30:00.000Z"],
    // Five whole days Mon 23 – Fri 27 Mar (GMT) land exactly on Friday's close.
    [
      "London: 2400 min = one working week, ends at a close",
      LON,
      "2026-03-23T08:00:00.000Z",
      2400,
      "2026-03-27T17:00:00.000Z",
    ],
    // Fri 27 Mar 16:00 GMT: 60 min to 17:00; weekend (clocks go forward Sun 29); Mon 30 08:00 BST = 07:00Z, +60.
    [
      "London: weekend across spring-forward",
      LON,
      "2026-03-27T16:00:00.000Z",
      120,
      "2026-03-30T08:00:00.000Z",
    ],
    // Sunday 29 Mar (DST day, closed) → Mon 08:00 BST = 07:00Z, +30.
    [
      "London: from the spring-forward Sunday",
      LON,
      "2026-03-29T12:00:00.000Z",
      30,
      "2026-03-30T07:30:00.000Z",
    ],
    // Thu 2 Apr 16:00 BST = 15:00Z: 60 min; Good Friday, weekend, Easter Monday; Tue 7 Apr 08:00 BST = 07:00Z, +60.
    ["London: Easter holidays", LON, "2026-04-02T15:00:00.000Z", 120, "2026-04-07T08:00:00.000Z"],
    // Fri 23 Oct 16:30 BST = 15:30Z: 30 min; weekend (clocks go back Sun 25); Mon 26 08:00 GMT, +30.
    ["London: weekend across fall-back", LON, "2026-10-23T15:30:00.000Z", 60, "2026-10-26T08:30:00.000Z"],
    // Thu 24 Dec 16:00 GMT: 60 min; Fri 25 and Mon 28 holidays; Tue 29 08:00, +60.
    ["London: Christmas", LON, "2026-12-24T16:00:00.000Z", 120, "2026-12-29T09:00:00.000Z"],
    ["London: fractional minutes", LON, "2026-03-02T08:00:00.000Z", 1.25, "2026-03-02T08:01:15.000Z"],

    // --- Europe/London, every night 00:00–06:00 ---
    // 29 Mar: 00:00 GMT = 00:00Z; at 01:00Z the clock jumps to 02:00 BST: 120 real minutes end at 02:00Z.
    [
      "London night: through the skipped hour",
      LON_NIGHT,
      "2026-03-29T00:00:00.000Z",
      120,
      "2026-03-29T02:00:00.000Z",
    ],
    // That night is 06:00 BST = 05:00Z: 300 min. One more minute is the next night, 00:00 BST = 23:00Z.
    [
      "London night: the short night ends at 05:00Z",
      LON_NIGHT,
      "2026-03-29T00:00:00.000Z",
      300,
      "2026-03-29T05:00:00.000Z",
    ],
    [
      "London night: after the short night",
      LON_NIGHT,
      "2026-03-29T00:00:00.000Z",
      301,
      "2026-03-29T23:01:00.000Z",
    ],
    // 25 Oct: 00:00 BST = 24 Oct 23:00Z to 06:00 GMT = 06:00Z: 420 real minutes.
    ["London night: the long night", LON_NIGHT, "2026-10-24T23:00:00.000Z", 420, "2026-10-25T06:00:00.000Z"],
    // 24×7 counts real time: 00:30Z + 60 = 01:30Z even though 01:00–02:00 local is repeated.
    [
      "London 24×7: through the repeated hour",
      LON_24,
      "2026-10-25T00:30:00.000Z",
      60,
      "2026-10-25T01:30:00.000Z",
    ],

    // --- America/New_York, Mon–Fri 09:00–17:00, holidays 3 Jul and Thanksgiving ---
    // Fri 6 Mar 16:00 EST = 21:00Z: 60 min; weekend (spring forward Sun 8); Mon 9 09:00 EDT = 13:00Z, +60.
    [
      "New York: weekend across spring-forward",
      NY,
      "2026-03-06T21:00:00.000Z",
      120,
      "2026-03-09T14:00:00.000Z",
    ],
    // Thu 5 Mar 13:00 EST: 4 h + Fri 8 h + Mon 9, Tue 10, Wed 11 (24 h) + 4 h Thu 12 → 13:00 EDT = 17:00Z.
    [
      "New York: 2400 min across spring-forward",
      NY,
      "2026-03-05T18:00:00.000Z",
      2400,
      "2026-03-12T17:00:00.000Z",
    ],
    [
      "New York: Saturday, 0 → Monday's opening (EDT)",
      NY,
      "2026-03-07T15:00:00.000Z",
      0,
      "2026-03-09T13:00:00.000Z",
    ],
    // Fri 30 Oct 16:00 EDT = 20:00Z: 60 min; weekend (fall back Sun 1 Nov); Mon 2 Nov 09:00 EST = 14:00Z, +60.
    ["New York: weekend across fall-back", NY, "2026-10-30T20:00:00.000Z", 120, "2026-11-02T15:00:00.000Z"],
    // Wed 25 Nov 15:00 EST = 20:00Z: 120 min; Thanksgiving; Fri 27 09:00 EST = 14:00Z, +60.
    ["New York: Thanksgiving", NY, "2026-11-25T20:00:00.000Z", 180, "2026-11-27T15:00:00.000Z"],
    // Thu 2 Jul 16:00 EDT = 20:00Z: 60 min; Fri 3 Jul holiday, weekend; Mon 6 Jul 09:00 EDT = 13:00Z, +30.
    ["New York: Independence Day observed", NY, "2026-07-02T20:00:00.000Z", 90, "2026-07-06T13:30:00.000Z"],

    // --- America/New_York, every night 00:00–06:00 and edge intervals ---
    // 8 Mar: 00:00 EST = 05:00Z to 06:00 EDT = 10:00Z (5 real hours).
    [
      "New York night: the short night",
      NY_NIGHT,
      "2026-03-08T05:00:00.000Z",
      300,
      "2026-03-08T10:00:00.000Z",
    ],
    // 1 Nov: 00:00 EDT = 04:00Z to 06:00 EST = 11:00Z (7 real hours).
    ["New York night: the long night", NY_NIGHT, "2026-11-01T04:00:00.000Z", 420, "2026-11-01T11:00:00.000Z"],
    // 8 Mar, 00:00–01:30 EST = 05:00Z–06:30Z; 02:15–02:45 lies in the gap (empty); 04:00 EDT = 08:00Z.
    [
      "New York edge: spring night lands at 01:30",
      NY_EDGE,
      "2026-03-08T05:00:00.000Z",
      90,
      "2026-03-08T06:30:00.000Z",
    ],
    [
      "New York edge: the interval inside the gap is skipped",
      NY_EDGE,
      "2026-03-08T05:00:00.000Z",
      91,
      "2026-03-08T08:01:00.000Z",
    ],
    [
      "New York edge: 0 from after 01:30 → 04:00 EDT",
      NY_EDGE,
      "2026-03-08T06:30:00.000Z",
      0,
      "2026-03-08T08:00:00.000Z",
    ],
    // 1 Nov: 00:00 EDT = 04:00Z to the LAST 01:30 (EST) = 06:30Z: 150 min, then 02:15 EST = 07:15Z.
    [
      "New York edge: end in the repeated hour takes its last occurrence",
      NY_EDGE,
      "2026-11-01T04:00:00.000Z",
      150,
      "2026-11-01T06:30:00.000Z",
    ],
    [
      "New York edge: after the repeated hour",
      NY_EDGE,
      "2026-11-01T04:00:00.000Z",
      151,
      "2026-11-01T07:16:00.000Z",
    ],
    // 8 Mar: 02:30 is in the gap → 03:00 EDT = 07:00Z; ends 05:00 EDT = 09:00Z.
    [
      "New York gap: start inside the skipped hour",
      NY_GAP,
      "2026-03-08T06:00:00.000Z",
      30,
      "2026-03-08T07:30:00.000Z",
    ],
    // 1 Nov: 02:30 EST = 07:30Z to 05:00 EST = 10:00Z.
    ["New York gap: after fall-back", NY_GAP, "2026-11-01T05:00:00.000Z", 150, "2026-11-01T10:00:00.000Z"],
    // 1 Nov: 00:00–01:30 (to 06:30Z) and 01:30 (first, 05:30Z)–03:00 EST (08:00Z) merge into 04:00Z–08:00Z.
    [
      "New York touching intervals merge on fall-back",
      NY_TOUCH,
      "2026-11-01T04:00:00.000Z",
      240,
      "2026-11-01T08:00:00.000Z",
    ],
    [
      "New York touching intervals: one minute more is the next night",
      NY_TOUCH,
      "2026-11-01T04:00:00.000Z",
      241,
      "2026-11-02T05:01:00.000Z",
    ],
    // 24×7 adds real minutes: 2 days of 1440 across the 23-hour day.
    [
      "New York 24×7 across spring-forward",
      NY_24,
      "2026-03-07T12:00:00.000Z",
      2880,
      "2026-03-09T12:00:00.000Z",
    ],

    // --- Australia/Sydney, Mon–Fri 09:00–17:00, holidays Easter and Labour Day ---
    // Thu 2 Apr 16:00 AEDT = 05:00Z: 60 min; Good Friday, weekend (clocks back Sun 5), Easter Monday;
    // Tue 7 Apr 09:00 AEST = 6 Apr 23:00Z, +60.
    ["Sydney: Easter across fall-back", SYD, "2026-04-02T05:00:00.000Z", 120, "2026-04-07T00:00:00.000Z"],
    [
      "Sydney: fall-back Sunday, 0 → Tuesday (Monday is a holiday)",
      SYD,
      "2026-04-04T20:00:00.000Z",
      0,
      "2026-04-06T23:00:00.000Z",
    ],
    // Fri 2 Oct 16:00 AEST = 06:00Z: 60 min; weekend (clocks forward Sun 4); Labour Day Mon 5;
    // Tue 6 Oct 09:00 AEDT = 5 Oct 22:00Z, +60.
    [
      "Sydney: Labour Day across spring-forward",
      SYD,
      "2026-10-02T06:00:00.000Z",
      120,
      "2026-10-05T23:00:00.000Z",
    ],
    // 5 Apr: 00:00 AEDT = 4 Apr 13:00Z to 06:00 AEST = 20:00Z: 7 real hours.
    ["Sydney night: the long night", SYD_NIGHT, "2026-04-04T13:00:00.000Z", 420, "2026-04-04T20:00:00.000Z"],
    // 4 Oct: 00:00 AEST = 3 Oct 14:00Z to 06:00 AEDT = 19:00Z: 5 real hours; 150 min → 16:30Z.
    [
      "Sydney night: through the skipped hour",
      SYD_NIGHT,
      "2026-10-03T14:00:00.000Z",
      150,
      "2026-10-03T16:30:00.000Z",
    ],
    // 4 Oct: 02:30 is in the gap → 03:00 AEDT = 3 Oct 16:00Z; 04:00 AEDT = 17:00Z.
    [
      "Sydney edge: start in the skipped hour",
      SYD_EDGE,
      "2026-10-03T12:00:00.000Z",
      60,
      "2026-10-03T17:00:00.000Z",
    ],
    // 5 Apr: first 02:30 (AEDT) = 4 Apr 15:30Z to 04:00 AEST = 18:00Z: 150 min.
    [
      "Sydney edge: start in the repeated hour takes its first occurrence",
      SYD_EDGE,
      "2026-04-04T12:00:00.000Z",
      150,
      "2026-04-04T18:00:00.000Z",
    ],

    // --- Asia/Kolkata, Mon–Sat 10:00–18:00, holiday 4 Mar ---
    // Tue 3 Mar 17:00 IST = 11:30Z: 60 min; Wed 4 holiday; Thu 5 10:00 IST = 04:30Z, +60.
    ["Kolkata: holiday", KOL, "2026-03-03T11:30:00.000Z", 120, "2026-03-05T05:30:00.000Z"],
    // Sat 7 Mar 17:30 IST = 12:00Z: 30 min; Sunday closed; Mon 9 10:00 IST = 04:30Z, +30.
    ["Kolkata: Saturday worked, Sunday not", KOL, "2026-03-07T12:00:00.000Z", 60, "2026-03-09T05:00:00.000Z"],
    // 256 working days (52 weeks less 4 weekday holidays) of 480 min: the last is Fri 1 Jan 2027.
    [
      "London: a year of working days (weeks skipped in bulk)",
      LON,
      "2026-01-05T08:00:00.000Z",
      256 * 480,
      "2027-01-01T17:00:00.000Z",
    ],
  ] as const)("%s", (_name, c, start, minutes, expected) => {
    expect(add(c, start, minutes)).toBe(expected);
  });
});

describe("minutesBetween, hand-computed", () => {
  it.each([
    ["London: a working day", LON, "2026-03-02T00:00:00.000Z", "2026-03-03T00:00:00.000Z", 480],
    // 11:00–12:00 and 13:00–14:00.
    ["London: across lunch", LON, "2026-03-02T11:00:00.000Z", "2026-03-02T14:00:00.000Z", 120],
    // Fri 27, Mon 30, Tue 31 Mar; the weekend's spring-forward changes nothing on working days.
    ["London: across spring-forward", LON, "2026-03-27T00:00:00.000Z", "2026-04-01T00:00:00.000Z", 1440],
    // Thu 2 Apr 15:00Z (16:00 BST) → Tue 7 Apr 08:00Z (09:00 BST): 60 + 60.
    ["London: over Easter", LON, "2026-04-02T15:00:00.000Z", "2026-04-07T08:00:00.000Z", 120],
    ["London: half a minute", LON, "2026-03-02T08:00:00.000Z", "2026-03-02T08:00:30.000Z", 0.5],
    ["London: to before from", LON, "2026-03-03T00:00:00.000Z", "2026-03-02T00:00:00.000Z", 0],
    ["London: to equals from", LON, "2026-03-02T09:00:00.000Z", "2026-03-02T09:00:00.000Z", 0],
    [
      "London: a year (weeks skipped in bulk)",
      LON,
      "2026-01-05T00:00:00.000Z",
      "2027-01-04T00:00:00.000Z",
      256 * 480,
    ],
    [
      "London night: spring-forward night",
      LON_NIGHT,
      "2026-03-28T12:00:00.000Z",
      "2026-03-29T12:00:00.000Z",
      300,
    ],
    ["London night: fall-back night", LON_NIGHT, "2026-10-24T12:00:00.000Z", "2026-10-25T12:00:00.000Z", 420],
    // Local day 8 Mar: 05:00Z → 9 Mar 04:00Z = 23 h; local day 1 Nov: 04:00Z → 2 Nov 05:00Z = 25 h.
    ["New York 24×7: the 23-hour day", NY_24, "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z", 1380],
    ["New York 24×7: the 25-hour day", NY_24, "2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z", 1500],
    [
      "New York 24×7: real time over three days",
      NY_24,
      "2026-03-07T00:00:00.000Z",
      "2026-03-10T00:00:00.000Z",
      4320,
    ],
    [
      "New York night: spring-forward night",
      NY_NIGHT,
      "2026-03-08T00:00:00.000Z",
      "2026-03-08T12:00:00.000Z",
      300,
    ],
    [
      "New York night: fall-back night",
      NY_NIGHT,
      "2026-11-01T00:00:00.000Z",
      "2026-11-01T12:00:00.000Z",
      420,
    ],
    // 7 Mar (EST all night): 90 + 30 + 60.
    [
      "New York edge: an ordinary night",
      NY_EDGE,
      "2026-03-07T00:00:00.000Z",
      "2026-03-07T12:00:00.000Z",
      180,
    ],
    // 8 Mar: 90 + 0 (02:15–02:45 skipped) + 60.
    [
      "New York edge: spring-forward night",
      NY_EDGE,
      "2026-03-08T00:00:00.000Z",
      "2026-03-08T12:00:00.000Z",
      150,
    ],
    // 1 Nov: 04:00Z–06:30Z (150) + 07:15Z–07:45Z (30) + 09:00Z–10:00Z (60).
    ["New York edge: fall-back night", NY_EDGE, "2026-11-01T00:00:00.000Z", "2026-11-01T12:00:00.000Z", 240],
    // Inside the merged fall-back span: 05:00Z–07:00Z.
    [
      "New York touching: part of the merged span",
      NY_TOUCH,
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T07:00:00.000Z",
      120,
    ],
    // Fri 6 Mar 16:00 EST (21:00Z) → Mon 9 Mar 10:00 EDT (14:00Z): 60 + 60.
    [
      "New York: weekend across spring-forward",
      NY,
      "2026-03-06T21:00:00.000Z",
      "2026-03-09T14:00:00.000Z",
      120,
    ],
    ["Sydney night: fall-back night", SYD_NIGHT, "2026-04-04T13:00:00.000Z", "2026-04-05T13:00:00.000Z", 420],
    [
      "Sydney night: spring-forward night",
      SYD_NIGHT,
      "2026-10-03T14:00:00.000Z",
      "2026-10-04T13:00:00.000Z",
      300,
    ],
    [
      "Sydney edge: interval starting in the skipped hour",
      SYD_EDGE,
      "2026-10-03T12:00:00.000Z",
      "2026-10-04T12:00:00.000Z",
      60,
    ],
    [
      "Sydney edge: interval starting in the repeated hour",
      SYD_EDGE,
      "2026-04-04T12:00:00.000Z",
      "2026-04-05T12:00:00.000Z",
      150,
    ],
    // Mon 2 → Mon 9 Mar (05:30 IST both ends): Mon, Tue, Thu, Fri, Sat (Wed 4 is a holiday).
    ["Kolkata: a week with a holiday", KOL, "2026-03-02T00:00:00.000Z", "2026-03-09T00:00:00.000Z", 2400],
  ] as const)("%s", (_name, c, from, to, expected) => {
    expect(between(c, from, to)).toBeCloseTo(expected, 9);
  });
});

describe("isOpen and nextOpening", () => {
  it("follows the hull rule across the DST changes", () => {
    expect(NY_EDGE.isOpen(at("2026-03-08T07:20:00.000Z"))).toBe(false); // 03:20 EDT
    expect(NY_EDGE.isOpen(at("2026-11-01T06:15:00.000Z"))).toBe(true); // 01:15 EST, second pass
    expect(NY_EDGE.isOpen(at("2026-11-01T06:30:00.000Z"))).toBe(false); // the end is exclusive
    expect(LON.isOpen(at("2026-03-02T12:00:00.000Z"))).toBe(false);
    expect(LON.isOpen(at("2026-03-02T11:59:59.999Z"))).toBe(true);
    expect(LON.isOpen(at("2026-04-03T09:00:00.000Z"))).toBe(false); // Good Friday
    expect(NY_24.isOpen(at("2026-03-09T04:00:00.000Z"))).toBe(true); // midnight between two days
  });

  it("gives the instant itself when open, else the next opening", () => {
    expect(LON.nextOpening(at("2026-03-02T09:00:00.000Z")).toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(LON.nextOpening(at("2026-03-06T17:00:00.000Z")).toISOString()).toBe("2026-03-09T08:00:00.000Z");
    expect(SYD.nextOpening(at("2026-10-03T00:00:00.000Z")).toISOString()).toBe("2026-10-05T22:00:00.000Z");
  });
});

describe("a calendar without reachable working time", () => {
  const mondays = (from: string, count: number) =>
    Array.from(
      { length: count },
      (_, i) => DateTime.fromISO(from, { zone: "UTC" }).plus({ weeks: i }).toISODate()!,
    );
  const onlyMondays = week({ mon: [["09:00", "10:00"]] });

  it("throws after a bounded scan when every working day is a holiday", () => {
    const c = cal("UTC", onlyMondays, mondays("2026-03-02", 52 * 5));
    expect(() => c.addMinutes(at("2026-03-02T00:00:00.000Z"), 30)).toThrow(
      /no working time in the three years/,
    );
    expect(() => c.nextOpening(at("2026-03-02T00:00:00.000Z"))).toThrow(/no working time/);
    expect(c.minutesBetween(at("2026-03-02T00:00:00.000Z"), at("2028-03-02T00:00:00.000Z"))).toBe(0);
  });

  it("still finds working time after two years of holidays", () => {
    // 104 Mondays from 2 Mar 2026 are holidays, the last 103 weeks later on 21 Feb 2028:
    // the next Monday is 28 Feb 2028.
    const c = cal("UTC", onlyMondays, mondays("2026-03-02", 104));
    expect(c.addMinutes(at("2026-03-02T00:00:00.000Z"), 30).toISOString()).toBe("2028-02-28T09:30:00.000Z");
  });

  it("refuses bad arguments", () => {
    expect(() => LON.addMinutes(at("2026-03-02T09:00:00.000Z"), -1)).toThrow(RangeError);
    expect(() => LON.addMinutes(at("2026-03-02T09:00:00.000Z"), Number.NaN)).toThrow(RangeError);
    expect(() => LON.addMinutes(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe("calendarProblems", () => {
  const valid: CalendarSpec = { timeZone: "Europe/London", hours: weekdays(SPLIT), holidays: ["2026-12-25"] };
  const paths = (spec: CalendarSpec) => calendarProblems(spec).map((p) => p.path);
  const withDay = (day: Weekday, iv: unknown): CalendarSpec => ({
    ...valid,
    hours: { ...valid.hours, [day]: iv } as WeeklyHours,
  });

  it("accepts valid calendars", () => {
    expect(calendarProblems(valid)).toEqual([]);
    expect(calendarProblems({ timeZone: "Asia/Kolkata", hours: ALWAYS_OPEN, holidays: [] })).toEqual([]);
    // Unsorted but sortable, and touching intervals, are fine.
    expect(
      paths(
        withDay("mon", [
          ["13:00", "17:00"],
          ["08:00", "12:00"],
        ]),
      ),
    ).toEqual([]);
    expect(
      paths(
        withDay("mon", [
          ["08:00", "12:00"],
          ["12:00", "24:00"],
        ]),
      ),
    ).toEqual([]);
  });

  it("names each bad time by its path", () => {
    expect(
      paths(
        withDay("mon", [
          ["08:00", "12:00"],
          ["9:00", "17:00"],
        ]),
      ),
    ).toEqual(["/hours/mon/1/0"]);
    expect(paths(withDay("mon", [["24:00", "24:00"]]))).toEqual(["/hours/mon/0/0"]);
    expect(paths(withDay("mon", [["08:00", "24:30"]]))).toEqual(["/hours/mon/0/1"]);
    expect(paths(withDay("mon", [["08:00", "12:60"]]))).toEqual(["/hours/mon/0/1"]);
    expect(paths(withDay("fri", [["08:00"]]))).toEqual(["/hours/fri/0"]);
    expect(paths(withDay("fri", "09:00-17:00"))).toEqual(["/hours/fri"]);
  });

  it("requires the end after the start", () => {
    const problems = calendarProblems(withDay("tue", [["17:00", "09:00"]]));
    expect(problems).toEqual([{ path: "/hours/tue/0/1", message: "must be after the start 17:00" }]);
    expect(paths(withDay("tue", [["09:00", "09:00"]]))).toEqual(["/hours/tue/0/1"]);
  });

  it("refuses overlapping intervals, naming the later one", () => {
    expect(
      paths(
        withDay("wed", [
          ["08:00", "12:00"],
          ["11:00", "13:00"],
        ]),
      ),
    ).toEqual(["/hours/wed/1"]);
    expect(
      paths(
        withDay("wed", [
          ["11:00", "13:00"],
          ["08:00", "12:00"],
        ]),
      ),
    ).toEqual(["/hours/wed/1"]);
    expect(
      paths(
        withDay("wed", [
          ["08:00", "17:00"],
          ["10:00", "11:00"],
          ["12:00", "13:00"],
        ]),
      ),
    ).toEqual(["/hours/wed/1", "/hours/wed/2"]);
  });

  it("checks the time zone", () => {
    expect(paths({ ...valid, timeZone: "Mars/Olympus_Mons" })).toEqual(["/timeZone"]);
    expect(paths({ ...valid, timeZone: "" })).toEqual(["/timeZone"]);
    expect(paths({ ...valid, timeZone: "+02:00" })).toEqual(["/timeZone"]);
  });

  it("checks the holidays", () => {
    expect(paths({ ...valid, holidays: ["2026-02-30", "26-1-1", "2026-12-25", "2026-13-01"] })).toEqual([
      "/holidays/0",
      "/holidays/1",
      "/holidays/3",
    ]);
    expect(paths({ ...valid, holidays: "2026-12-25" as unknown as string[] })).toEqual(["/holidays"]);
    // Leap years: 2028 and 2000 are, 2027 and 1900 are not.
    expect(
      paths({ ...valid, holidays: ["2028-02-29", "2000-02-29", "2027-02-29", "1900-02-29", "2026-4-01"] }),
    ).toEqual(["/holidays/2", "/holidays/3", "/holidays/4"]);
  });

  it("refuses a calendar with no working time at all", () => {
    expect(calendarProblems({ timeZone: "UTC", hours: week({}), holidays: [] })).toEqual([
      { path: "/hours", message: "the calendar has no working time" },
    ]);
    expect(() => new BusinessCalendar({ timeZone: "UTC", hours: week({}), holidays: [] })).toThrow(
      /\/hours the calendar has no working time/,
    );
  });

  it("refuses unknown weekdays and reports several problems at once", () => {
    const spec = {
      timeZone: "Nowhere/Town",
      hours: { ...weekdays(SPLIT), monday: [["09:00", "17:00"]] },
      holidays: ["2026-12-32"],
    } as unknown as CalendarSpec;
    expect(paths(spec)).toEqual(["/timeZone", "/hours/monday", "/holidays/0"]);
    expect(() => new BusinessCalendar(spec)).toThrow(/\/timeZone/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random calendars, instants and targets.

const ZONES = [
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Australia/Lord_Howe", // 30-minute DST
  "America/Santiago", // changes at midnight
  "Pacific/Chatham", // +12:45 / +13:45
  "UTC",
];
// 2026 transitions (and Santiago's), to start near them often.
const TRANSITIONS = [
  "2026-03-08T07:00:00Z",
  "2026-11-01T06:00:00Z",
  "2026-03-29T01:00:00Z",
  "2026-10-25T01:00:00Z",
  "2026-04-04T16:00:00Z",
  "2026-10-03T16:00:00Z",
  "2026-04-05T03:00:00Z",
  "2026-09-06T04:00:00Z",
].map((s) => Date.parse(s));
const FROM = Date.parse("2025-06-01T00:00:00Z");
const TO = Date.parse("2027-06-01T00:00:00Z");
const DAY = 86_400_000;

const dayHours = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((points) => {
  const p = [...points].sort((a, b) => a - b);
  const out: [string, string][] = [];
  const hhmm = (q: number) =>
    `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`;
  for (let i = 0; i + 1 < p.length; i += 2) out.push([hhmm(p[i]!), hhmm(p[i + 1]!)]);
  return out;
});
const calendarArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    days: fc.tuple(dayHours, dayHours, dayHours, dayHours, dayHours, dayHours, dayHours),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 800 }), { maxLength: 40 }),
    alwaysOpen: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  })
  .map(({ timeZone, days, holidays, alwaysOpen }) => {
    const hours = Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]!])) as WeeklyHours;
    if (WEEKDAYS.every((d) => hours[d].length === 0)) hours.wed = [["09:00", "17:00"]];
    const spec: CalendarSpec = {
      timeZone,
      hours: alwaysOpen ? ALWAYS_OPEN : hours,
      holidays: holidays.map((n) => new Date(FROM + n * DAY).toISOString().slice(0, 10)),
    };
    return spec;
  });
const instantArb = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2 * DAY, max: 2 * DAY }))
    .map(([t, d]) => t + d),
  // whole minutes, where interval boundaries lie
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3000, max: 3000 }))
    .map(([t, m]) => t + m * 60_000),
);
const minutesArb = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: 0, max: 5000 * 60_000 }).map((ms) => ms / 60_000),
  fc.integer({ min: 0, max: 200_000 }),
);
const RUNS = { numRuns: 300 };

describe("properties", () => {
  it("minutesBetween(s, addMinutes(s, m)) = m", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (spec, s, m) => {
        const c = new BusinessCalendar(spec);
        const due = c.addMinutes(new Date(s), m);
        expect(Math.abs(c.minutesBetween(new Date(s), due) - m)).toBeLessThan(1e-6);
      }),
      RUNS,
    );
  });

  it("addMinutes is monotonic in minutes, and lands on business time or an interval end", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (spec, s, m1, m2) => {
        const c = new BusinessCalendar(spec);
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        const a = c.addMinutes(new Date(s), lo);
        const b = c.addMinutes(new Date(s), hi);
        expect(a.getTime()).toBeLessThanOrEqual(b.getTime());
        expect(a.getTime()).toBeGreaterThanOrEqual(s);
        for (const r of [a, b]) {
          expect(c.isOpen(r) || c.isOpen(new Date(r.getTime() - 1))).toBe(true);
        }
        // 0 minutes is the next opening.
        expect(c.addMinutes(new Date(s), 0).getTime()).toBe(c.nextOpening(new Date(s)).getTime());
      }),
      RUNS,
    );
  });

  it("minutesBetween is additive", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (spec, x, y, z) => {
        const c = new BusinessCalendar(spec);
        const [a, b, d] = [x, y, z].sort((p, q) => p - q).map((t) => new Date(t)) as [Date, Date, Date];
        const sum = c.minutesBetween(a, b) + c.minutesBetween(b, d);
        expect(Math.abs(sum - c.minutesBetween(a, d))).toBeLessThan(1e-6);
      }),
      RUNS,
    );
  });

  it("nextOpening is open, not earlier, and nothing between counts", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (spec, s) => {
        const c = new BusinessCalendar(spec);
        const n = c.nextOpening(new Date(s));
        expect(n.getTime()).toBeGreaterThanOrEqual(s);
        expect(c.isOpen(n)).toBe(true);
        expect(c.minutesBetween(new Date(s), n)).toBe(0);
      }),
      RUNS,
    );
  });

  it("minutesBetween counts the open minutes (sampled minute by minute)", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (spec, s) => {
        const c = new BusinessCalendar(spec);
        const start = Math.floor(s / 60_000) * 60_000; // boundaries are whole minutes in these zones
        let open = 0;
        for (let k = 0; k < 720; k++) if (c.isOpen(new Date(start + k * 60_000))) open++;
        expect(c.minutesBetween(new Date(start), new Date(start + 720 * 60_000))).toBe(open);
      }),
      { numRuns: 100 },
    );
  });

  it("isOpen agrees with the wall clock away from offset changes", () => {
    fc.assert(
      fc.property(calendarArb, fc.integer({ min: FROM, max: TO }), (spec, t) => {
        const zone = spec.timeZone;
        const near = [t - 30 * 3_600_000, t + 30 * 3_600_000].map(
          (x) => DateTime.fromMillis(x, { zone }).offset,
        );
        fc.pre(near[0] === near[1] && DateTime.fromMillis(t, { zone }).offset === near[0]);
        const c = new BusinessCalendar(spec);
        const local = DateTime.fromMillis(t, { zone });
        const minute = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
        const day = WEEKDAYS[local.weekday - 1]!;
        const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
        const expected =
          !spec.holidays.includes(local.toISODate()!) &&
          spec.hours[day].some(([a, b]) => toMin(a) <= minute && minute < toMin(b));
        expect(c.isOpen(new Date(t))).toBe(expected);
      }),
      RUNS,
    );
  });
});
