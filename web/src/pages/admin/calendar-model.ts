import { ApiError } from "../../api/problem";
import type { TCalendar, TWeekday } from "../../sla/api";

/** Business calendars as the editor handles them: presets, summaries, times typed loosely. */

export type THours = TCalendar["hours"];
export type TInterval = [string, string];

export const WEEKDAYS: readonly TWeekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export const dayLabel: Record<TWeekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

const dayShort: Record<TWeekday, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

export function emptyWeek(): THours {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

export function officeHours(): THours {
  const day = (): TInterval[] => [["09:00", "17:00"]];
  return { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: [], sun: [] };
}

export function aroundTheClock(): THours {
  const day = (): TInterval[] => [["00:00", "24:00"]];
  return { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: day(), sun: day() };
}

/** Minutes from midnight, or null when `time` is not HH:MM (24:00 allowed as an end). */
export function minutesOf(time: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return null;
  return h * 60 + m;
}

/**
 * What a person typed, as HH:MM: "9" → "09:00", "930" → "09:30", "9:5" → "09:05", "17.30" →
 * "17:30". Anything else is returned as typed, for the server (or the form) to say why.
 */
export function normalizeTime(typed: string): string {
  const value = typed.trim();
  let h: number;
  let m: number;
  let match = /^(\d{1,2})(?:[:.h](\d{1,2}))?$/.exec(value);
  if (match) {
    h = Number(match[1]);
    m = match[2] === undefined ? 0 : Number(match[2]);
  } else {
    match = /^(\d{1,2})(\d{2})$/.exec(value);
    if (!match) return value;
    h = Number(match[1]);
    m = Number(match[2]);
  }
  if (h > 24 || m > 59 || (h === 24 && m > 0)) return value;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** Working minutes of a day's intervals (well-formed ones only). */
export function dayMinutes(intervals: readonly TInterval[]): number {
  let total = 0;
  for (const [start, end] of intervals) {
    const a = minutesOf(start);
    const b = minutesOf(end);
    if (a !== null && b !== null && b > a) total += b - a;
  }
  return total;
}

export function weekMinutes(hours: THours): number {
  return WEEKDAYS.reduce((sum, day) => sum + dayMinutes(hours[day]), 0);
}

function intervalsText(intervals: readonly TInterval[]): string {
  if (intervals.length === 0) return "closed";
  if (intervals.length === 1 && intervals[0]?.[0] === "00:00" && intervals[0]?.[1] === "24:00")
    return "all day";
  return intervals.map(([start, end]) => `${start}–${end}`).join(", ");
}

/** "Mon–Fri 09:00–17:00 · Sat–Sun closed", "Around the clock". */
export function summarizeHours(hours: THours): string {
  const texts = WEEKDAYS.map((day) => intervalsText(hours[day]));
  if (texts.every((text) => text === "all day")) return "Around the clock";
  const runs: { from: TWeekday; to: TWeekday; text: string }[] = [];
  WEEKDAYS.forEach((day, index) => {
    const text = texts[index] as string;
    const last = runs[runs.length - 1];
    if (last && last.text === text) last.to = day;
    else runs.push({ from: day, to: day, text });
  });
  return runs
    .map((run) => `${dayShort[run.from]}${run.from === run.to ? "" : `–${dayShort[run.to]}`} ${run.text}`)
    .join(" · ");
}

/** Every field message of an API error, keyed by its full JSON pointer ("/hours/mon/0/1"). */
export function problemsByPath(error: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!(error instanceof ApiError)) return map;
  for (const { path, message } of error.problem?.errors ?? []) {
    const previous = map.get(path);
    map.set(path, previous ? `${previous}; ${message}` : message);
  }
  return map;
}

/** Messages for an interval row: the pair itself, its start and its end. */
export function intervalProblem(problems: Map<string, string>, day: TWeekday, index: number): string | null {
  const base = `/hours/${day}/${index}`;
  const parts = [
    problems.get(base),
    problems.has(`${base}/0`) ? `start ${problems.get(`${base}/0`)}` : undefined,
    problems.has(`${base}/1`) ? `end ${problems.get(`${base}/1`)}` : undefined,
  ].filter(Boolean);
  return parts.length ? capital(readablePointers(parts.join("; "))) : null;
}

/** "overlaps 09:00–17:00 (/hours/mon/0)" → "overlaps 09:00–17:00 (Monday, interval 1)". */
export function readablePointers(message: string): string {
  return message.replace(
    /\/hours\/(mon|tue|wed|thu|fri|sat|sun)\/(\d+)/g,
    (_, day: TWeekday, index: string) => `${dayLabel[day]}, interval ${Number(index) + 1}`,
  );
}

export function capital(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
