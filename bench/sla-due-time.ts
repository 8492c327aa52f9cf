import { performance } from "node:perf_hooks";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { DateTime } from "luxon";
import { BusinessCalendar, type CalendarSpec, type WeeklyHours } from "../src/modules/sla/business-time.ts";
import type { ProgressTask } from "../src/seed/progress.ts";
import { type Bench, fmt, formatTable, machineLine } from "./lib/bench.ts";

/**
 * Due-time computations per second: `BusinessCalendar.addMinutes` with SLA-like targets
 * (60–2,400 business minutes) from instants spread over 2026, on a split-day calendar
 * (Mon–Fri 08:00–12:00 and 13:00–17:00) with public holidays in a DST zone (America/New_York).
 * Baseline, in the same run on the same inputs: plain luxon `DateTime.fromMillis(start, { zone })
 * .plus({ minutes }).toMillis()` — wall-clock arithmetic in the same zone with no calendar at all.
 * Also measured: the same due time with a calendar built afresh each time (spec validation and
 * compilation included, the per-process zone cache kept), and minutesBetween over the same spans.
 * Pure computation, no database: --engine, --connections and --memory do not apply.
 */
export const slaDueTime: Bench = {
  name: "sla-due-time",
  description: "SLA due times per second (business-calendar addMinutes) vs plain luxon DateTime.plus",
  async run(options) {
    const inputs = makeInputs(20_000);
    const calendar = new BusinessCalendar(SPEC);
    const sides: Record<Side, (i: number) => number> = {
      baseline: (i) =>
        DateTime.fromMillis(inputs.starts[i]!, { zone: SPEC.timeZone })
          .plus({ minutes: inputs.minutes[i]! })
          .toMillis(),
      addMinutes: (i) => calendar.addMinutes(new Date(inputs.starts[i]!), inputs.minutes[i]!).getTime(),
      "fresh calendar": (i) =>
        new BusinessCalendar(SPEC).addMinutes(new Date(inputs.starts[i]!), inputs.minutes[i]!).getTime(),
      minutesBetween: (i) => calendar.minutesBetween(new Date(inputs.starts[i]!), new Date(inputs.dues[i]!)),
    };
    inputs.dues = inputs.starts.map((s, i) => calendar.addMinutes(new Date(s), inputs.minutes[i]!).getTime());

    // Proof the figures are of correct results: every due time maps back to its target.
    let wrong = 0;
    for (let i = 0; i < inputs.starts.length; i++) {
      const back = calendar.minutesBetween(new Date(inputs.starts[i]!), new Date(inputs.dues[i]!));
      if (Math.abs(back - inputs.minutes[i]!) > 1e-6) wrong++;
    }

    const names = Object.keys(sides) as Side[];
    for (const name of names) await measure(sides[name], inputs.starts.length, 0.5); // warm-up (JIT, caches)
    const totals = Object.fromEntries(names.map((n) => [n, { ops: 0, ms: 0 }])) as Record<
      Side,
      { ops: number; ms: number }
    >;
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const label = options.rounds > 1 ? `${name} ${round + 1}` : name;
        const r = await measure(
          sides[name],
          inputs.starts.length,
          options.duration,
          options.progress.task(label, options.duration),
        );
        totals[name].ops += r.ops;
        totals[name].ms += r.ms;
      }
    }
    options.progress.stop();

    const perSecond = (n: Side) => (totals[n].ops / totals[n].ms) * 1000;
    const base = perSecond("baseline");
    const rows = names.map((n) => [
      n === "baseline" ? "baseline: luxon DateTime.plus" : n,
      fmt(perSecond(n)),
      fmt(1e6 / perSecond(n), 2),
      (perSecond(n) / base).toFixed(2),
    ]);
    console.log(
      [
        "",
        `sla-due-time: ${fmt(inputs.starts.length)} start instants over 2026, targets 60–2,400 business minutes, ${SPEC.timeZone} Mon–Fri 08:00–12:00 + 13:00–17:00 with ${SPEC.holidays.length} holidays; ${options.duration} s per measurement × ${options.rounds} round(s)`,
        machineLine(),
        "",
        formatTable(["computation", "per second", "µs each", "/baseline"], rows),
        "",
        `check: ${fmt(inputs.starts.length - wrong)} of ${fmt(inputs.starts.length)} due times give back their target through minutesBetween${wrong > 0 ? ` — ${wrong} WRONG, the figures are void` : ""}`,
        "",
      ].join("\n"),
    );
  },
};

type Side = "baseline" | "addMinutes" | "fresh calendar" | "minutesBetween";

const SPLIT: [string, string][] = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];
const HOURS: WeeklyHours = { mon: SPLIT, tue: SPLIT, wed: SPLIT, thu: SPLIT, fri: SPLIT, sat: [], sun: [] };
/** US federal holidays 2026–2027 (observed dates). */
const SPEC: CalendarSpec = {
  timeZone: "America/New_York",
  hours: HOURS,
  holidays: [
    "2026-01-01",
    "2026-01-19",
    "2026-02-16",
    "2026-05-25",
    "2026-06-19",
    "2026-07-03",
    "2026-09-07",
    "2026-10-12",
    "2026-11-11",
    "2026-11-26",
    "2026-12-25",
    "2027-01-01",
    "2027-01-18",
    "2027-02-15",
    "2027-05-31",
    "2027-06-18",
    "2027-07-05",
  ],
};

const TARGETS = [60, 120, 240, 480, 960, 1440, 2400];

/** Deterministic inputs (a small LCG): starts anywhere in 2026, typical SLA targets. */
function makeInputs(n: number): { starts: number[]; minutes: number[]; dues: number[] } {
  let seed = 20260302;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const from = Date.UTC(2026, 0, 1);
  const span = Date.UTC(2027, 0, 1) - from;
  const starts: number[] = [];
  const minutes: number[] = [];
  for (let i = 0; i < n; i++) {
    starts.push(from + Math.floor(next() * (span / 60_000)) * 60_000);
    minutes.push(
      next() < 0.7 ? TARGETS[Math.floor(next() * TARGETS.length)]! : 60 + Math.floor(next() * 2341),
    );
  }
  return { starts, minutes, dues: [] };
}

/** Runs `fn` over the inputs in turn for `seconds`, in slices that let progress draw. */
async function measure(
  fn: (i: number) => number,
  count: number,
  seconds: number,
  task?: ProgressTask,
): Promise<{ ops: number; ms: number; sink: number }> {
  let ops = 0;
  let ms = 0;
  let sink = 0;
  let i = 0;
  let shown = 0;
  while (ms < seconds * 1000) {
    const t0 = performance.now();
    for (let k = 0; k < 2000; k++) {
      sink += fn(i);
      i = i + 1 === count ? 0 : i + 1;
    }
    ms += performance.now() - t0;
    ops += 2000;
    const whole = Math.min(seconds, Math.floor(ms / 1000));
    if (whole > shown) {
      task?.tick(whole - shown);
      shown = whole;
    }
    await yieldToLoop();
  }
  task?.done();
  if (Number.isNaN(sink)) throw new Error("bench: a computation returned NaN");
  return { ops, ms, sink };
}
