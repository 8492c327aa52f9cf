import { describe, expect, it } from "vitest";
import {
  countdownText,
  describeState,
  formatTarget,
  shortDuration,
  slaState,
  spokenDuration,
  type TSlaClock,
} from "./sla-format";

const NOW = Date.parse("2026-03-02T10:00:00.000Z");
const MIN = 60_000;

function clock(overrides: Partial<TSlaClock>): TSlaClock {
  return {
    kpi: "firstResponse",
    dueAt: new Date(NOW + 60 * MIN).toISOString(),
    warningAt: null,
    status: "running",
    targetMinutes: 120,
    startedAt: new Date(NOW - 60 * MIN).toISOString(),
    metAt: null,
    breachedAt: null,
    pausedAt: null,
    remainingMinutes: 60,
    ...overrides,
  };
}

describe("slaState", () => {
  it("is none without clocks, met when every clock was met", () => {
    expect(slaState([], NOW)).toEqual({ kind: "none" });
    expect(slaState(undefined, NOW)).toEqual({ kind: "none" });
    const met = slaState(
      [clock({ status: "met", metAt: new Date(NOW).toISOString(), remainingMinutes: null })],
      NOW,
    );
    expect(met.kind).toBe("met");
    expect(describeState(met)).toBe("All SLA targets met");
  });

  it("shows the soonest owed clock, skipping met ones", () => {
    const state = slaState(
      [
        clock({
          kpi: "resolution",
          dueAt: new Date(NOW + 300 * MIN).toISOString(),
          targetMinutes: 480,
          remainingMinutes: 300,
        }),
        clock({ kpi: "firstResponse", status: "met", metAt: new Date(NOW).toISOString() }),
        clock({
          kpi: "nextResponse",
          dueAt: new Date(NOW + 72 * MIN).toISOString(),
          targetMinutes: 120,
          remainingMinutes: 72,
        }),
      ],
      NOW,
    );
    expect(state.kind).toBe("due");
    if (state.kind !== "due") return;
    expect(state.clock.kpi).toBe("nextResponse");
    expect(countdownText(state.msLeft)).toBe("1h 12m");
    expect(describeState(state)).toBe("Next response due in 1 hour 12 minutes");
  });

  it("colours by the share of business time left", () => {
    const tone = (remaining: number, extra: Partial<TSlaClock> = {}) => {
      const state = slaState(
        [
          clock({
            targetMinutes: 100,
            remainingMinutes: remaining,
            dueAt: new Date(NOW + remaining * MIN).toISOString(),
            ...extra,
          }),
        ],
        NOW,
      );
      return state.kind === "due" ? state.tone : state.kind;
    };
    expect(tone(80)).toBe("ok");
    expect(tone(50)).toBe("warn");
    expect(tone(30)).toBe("warn");
    expect(tone(20)).toBe("late");
    // The policy's warning point makes it amber even with more than half left.
    expect(tone(80, { status: "warning" })).toBe("warn");
    expect(tone(80, { warningAt: new Date(NOW - MIN).toISOString() })).toBe("warn");
  });

  it("never trusts a stale remaining count past the due time", () => {
    // Fetched an hour ago with 90 minutes left; the due point is now 10 minutes away.
    const state = slaState(
      [clock({ targetMinutes: 100, remainingMinutes: 90, dueAt: new Date(NOW + 10 * MIN).toISOString() })],
      NOW,
    );
    expect(state.kind === "due" && state.tone).toBe("late");
  });

  it("counts overdue time negative and red", () => {
    const state = slaState(
      [
        clock({
          status: "breached",
          dueAt: new Date(NOW - 25 * MIN).toISOString(),
          breachedAt: new Date(NOW - 25 * MIN).toISOString(),
          remainingMinutes: -25,
        }),
      ],
      NOW,
    );
    expect(state.kind === "due" && state.tone).toBe("late");
    if (state.kind !== "due") return;
    expect(countdownText(state.msLeft)).toBe("\u221225m");
    expect(describeState(state)).toBe("First response overdue by 25 minutes");
  });

  it("is paused only when every owed clock is paused", () => {
    const paused = clock({
      kpi: "resolution",
      status: "paused",
      pausedAt: new Date(NOW).toISOString(),
      remainingMinutes: 200,
    });
    expect(slaState([paused], NOW).kind).toBe("paused");
    expect(describeState(slaState([paused], NOW))).toBe(
      "Resolution paused, 3 hours 20 minutes of business time left",
    );
    expect(slaState([paused, clock({})], NOW).kind).toBe("due");
  });
});

describe("durations", () => {
  it("formats dense and spoken times", () => {
    expect(shortDuration(42)).toBe("42m");
    expect(shortDuration(65)).toBe("1h 05m");
    expect(shortDuration(60 * 24 * 2 + 4 * 60 + 10)).toBe("2d 4h");
    expect(spokenDuration(1)).toBe("1 minute");
    expect(spokenDuration(120)).toBe("2 hours");
    expect(spokenDuration(61)).toBe("1 hour 1 minute");
    expect(countdownText(30_000)).toBe("1m");
  });

  it("formats targets in hours", () => {
    expect(formatTarget(45)).toBe("45 min");
    expect(formatTarget(60)).toBe("1 h");
    expect(formatTarget(480)).toBe("8 h");
    expect(formatTarget(90)).toBe("1 h 30 min");
  });
});
