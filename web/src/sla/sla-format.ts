import type { components } from "../api/schema";

/**
 * How an SLA clock reads on screen: which clock a case owes next, its signed countdown
 * ("42m", "−1h 05m"), its colour and the words a screen reader says. Pure, so the queue row,
 * the case header and the panel all agree (and tests can pin it down).
 */

export type TSlaClock = components["schemas"]["Case"]["sla"][number];
export type TKpi = TSlaClock["kpi"];

export const KPIS: readonly TKpi[] = ["firstResponse", "nextResponse", "resolution"];

export const kpiLabel: Record<TKpi, string> = {
  firstResponse: "First response",
  nextResponse: "Next response",
  resolution: "Resolution",
};

/** ok: time to spare · warn: inside the warning point · late: little left or breached. */
export type TSlaTone = "ok" | "warn" | "late" | "paused" | "met";

export type TSlaState =
  | { kind: "none" }
  | { kind: "met"; clocks: TSlaClock[] }
  | { kind: "paused"; clock: TSlaClock }
  | { kind: "due"; clock: TSlaClock; msLeft: number; tone: "ok" | "warn" | "late"; share: number };

const MINUTE = 60_000;
const MINUS = "\u2212";

function isOwed(clock: TSlaClock): boolean {
  return clock.status !== "met" && clock.metAt === null;
}

const dueTime = (clock: TSlaClock) => new Date(clock.dueAt).getTime();

/**
 * The clock a case owes next: a running (or breached, still unanswered) clock with the soonest
 * due time; a paused one when every owed clock is paused; "met" when everything was met.
 */
export function slaState(clocks: readonly TSlaClock[] | undefined, now: number): TSlaState {
  if (!clocks || clocks.length === 0) return { kind: "none" };
  const owed = clocks.filter(isOwed);
  if (owed.length === 0) return { kind: "met", clocks: [...clocks] };
  const ticking = owed.filter((clock) => clock.status !== "paused");
  if (ticking.length === 0) {
    const paused = [...owed].sort(
      (a, b) =>
        (a.remainingMinutes ?? Number.POSITIVE_INFINITY) - (b.remainingMinutes ?? Number.POSITIVE_INFINITY),
    )[0] as TSlaClock;
    return { kind: "paused", clock: paused };
  }
  const clock = [...ticking].sort((a, b) => dueTime(a) - dueTime(b))[0] as TSlaClock;
  return { kind: "due", clock, ...toneOf(clock, now) };
}

/**
 * Green with more than half the target left, amber from half (or from the policy's warning
 * point, whichever comes first), red under a quarter and when breached. The share is in
 * business time: the server's remaining minutes, never more than the wall-clock time to the
 * due point (which keeps falling between fetches).
 */
export function toneOf(
  clock: TSlaClock,
  now: number,
): { msLeft: number; tone: "ok" | "warn" | "late"; share: number } {
  const msLeft = dueTime(clock) - now;
  const wallLeft = Math.max(0, msLeft / MINUTE);
  const remaining = Math.min(clock.remainingMinutes ?? wallLeft, wallLeft);
  const share = clock.targetMinutes > 0 ? Math.max(0, remaining) / clock.targetMinutes : 0;
  if (clock.status === "breached" || msLeft <= 0 || share < 0.25) return { msLeft, tone: "late", share };
  const warned =
    clock.status === "warning" || (clock.warningAt !== null && new Date(clock.warningAt).getTime() <= now);
  if (warned || share <= 0.5) return { msLeft, tone: "warn", share };
  return { msLeft, tone: "ok", share };
}

/** Whole minutes, rounded up: 30 s left is "1m", never "0m". */
function minutesOf(ms: number): number {
  return Math.max(1, Math.ceil(Math.abs(ms) / MINUTE));
}

/** "42m", "1h 05m", "2d 4h": dense, for table cells and chips. */
export function shortDuration(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total}m`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  return `${hours}h ${String(mins).padStart(2, "0")}m`;
}

/** "1 hour 12 minutes", "2 days 4 hours": for screen readers. */
export function spokenDuration(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (total < 60) return plural(total, "minute");
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${plural(days, "day")} ${plural(hours, "hour")}` : plural(days, "day");
  return mins > 0 ? `${plural(hours, "hour")} ${plural(mins, "minute")}` : plural(hours, "hour");
}

/** The signed countdown of a ticking clock: "1h 12m", "−25m". */
export function countdownText(msLeft: number): string {
  const text = shortDuration(minutesOf(msLeft));
  return msLeft > 0 ? text : `${MINUS}${text}`;
}

/** What the countdown says to a screen reader, and in its tooltip. */
export function describeState(state: TSlaState): string {
  switch (state.kind) {
    case "none":
      return "No SLA applies";
    case "met":
      return "All SLA targets met";
    case "paused": {
      const left = state.clock.remainingMinutes;
      return `${kpiLabel[state.clock.kpi]} paused${
        left !== null && left > 0 ? `, ${spokenDuration(left)} of business time left` : ""
      }`;
    }
    case "due": {
      const kpi = kpiLabel[state.clock.kpi];
      const minutes = minutesOf(state.msLeft);
      return state.msLeft > 0
        ? `${kpi} due in ${spokenDuration(minutes)}`
        : `${kpi} overdue by ${spokenDuration(minutes)}`;
    }
  }
}

/** The tone a state is drawn in. */
export function stateTone(state: TSlaState): TSlaTone | "none" {
  if (state.kind === "due") return state.tone;
  if (state.kind === "paused") return "paused";
  if (state.kind === "met") return "met";
  return "none";
}

/** A target in business time: "45 min", "1 h", "8 h", "1 h 30 min". */
export function formatTarget(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return "—";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const dueFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** "Tue 3 Mar, 14:05" in the viewer's zone. */
export function formatDue(iso: string): string {
  return dueFormat.format(new Date(iso));
}
