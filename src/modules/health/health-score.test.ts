import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyEntry,
  type Band,
  bandOf,
  DEFAULT_CONFIG as cfg,
  fadedWeight,
  fadeFactor,
  type HealthState,
  midnightBefore,
  momentsMultiplier,
  scoreOf,
  surveyFactor,
  tick,
} from "./health-score.ts";

const DAY = 86_400_000;
const at = (s: string) => new Date(s);

describe("fading", () => {
  it.each([
    [0, 1],
    [90, 0.5],
    [180, 0.25],
    [45, Math.SQRT1_2],
    [270, 0.125],
  ])("after %i days a weight keeps %f of itself (half-life 90 days)", (days, left) => {
    expect(fadeFactor(cfg, days * DAY)).toBeCloseTo(left, 12);
  });

  it("an entry's faded weight is its weight at or before its time", () => {
    expect(fadedWeight(cfg, -4, at("2026-03-01T00:00:00Z"), at("2026-03-01T00:00:00Z"))).toBe(-4);
    expect(fadedWeight(cfg, -4, at("2026-03-01T00:00:00Z"), at("2026-05-30T00:00:00Z"))).toBeCloseTo(-2, 10);
  });
});

describe("score", () => {
  it.each([
    [0, 70],
    [10, 86],
    [-10, 46],
    [-15, 34],
    [-5, 59],
    [100, 100],
    [-100, 0],
  ])("balance %f scores %i", (balance, score) => {
    expect(scoreOf(cfg, balance)).toBe(score);
  });

  it("is monotone in the balance and stays within 0–100", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (b, d) => {
          const s1 = scoreOf(cfg, b);
          const s2 = scoreOf(cfg, b + d);
          return s1 >= 0 && s2 <= 100 && s2 >= s1;
        },
      ),
    );
  });
});

describe("bands with hysteresis (at_risk below 40, left above 50; watch below 60, left above 70)", () => {
  it.each<[Band | null, number, Band]>([
    [null, 39, "at_risk"],
    [null, 40, "watch"],
    [null, 59, "watch"],
    [null, 60, "healthy"],
    ["healthy", 60, "healthy"],
    ["healthy", 59, "watch"],
    ["healthy", 39, "at_risk"],
    ["watch", 65, "watch"],
    ["watch", 70, "watch"],
    ["watch", 71, "healthy"],
    ["watch", 40, "watch"],
    ["watch", 39, "at_risk"],
    ["at_risk", 45, "at_risk"],
    ["at_risk", 50, "at_risk"],
    ["at_risk", 51, "watch"],
    ["at_risk", 70, "watch"],
    ["at_risk", 71, "healthy"],
  ])("from %s, score %i → %s", (prev, score, band) => {
    expect(bandOf(cfg, prev, score)).toBe(band);
  });

  it("a score wobbling at a border does not flap", () => {
    let band: Band = "healthy";
    const seen: Band[] = [];
    for (const s of [41, 38, 42, 39, 44, 48, 41, 50, 49]) {
      band = bandOf(cfg, band, s);
      seen.push(band);
    }
    expect(seen).toEqual([
      "watch",
      "at_risk",
      "at_risk",
      "at_risk",
      "at_risk",
      "at_risk",
      "at_risk",
      "at_risk",
      "at_risk",
    ]);
  });
});

describe("moments that matter", () => {
  const start = at("2026-01-01T00:00:00Z");
  it.each([
    ["first day", "2026-01-01T10:00:00Z", null, 2],
    ["day 41", "2026-02-11T23:00:00Z", null, 2],
    ["day 42 is past onboarding", "2026-02-12T00:00:00Z", null, 1],
    ["first case later on", "2026-06-01T00:00:00Z", 1, 1.5],
    ["third case", "2026-06-01T00:00:00Z", 3, 1.5],
    ["fourth case", "2026-06-01T00:00:00Z", 4, 1],
    ["first case in onboarding: the larger, not both", "2026-01-05T00:00:00Z", 1, 2],
    ["before the account started", "2025-12-31T00:00:00Z", null, 1],
  ] as const)("%s → ×%f", (_name, when, ordinal, k) => {
    expect(momentsMultiplier(cfg, { at: at(when), accountStart: start, caseOrdinal: ordinal })).toBe(k);
  });
});

describe("surveys on [−1, 1]", () => {
  it.each([
    ["csat", 5, 1],
    ["csat", 3, 0],
    ["csat", 1, -1],
    ["csat", 6, null],
    ["nps", 10, 1],
    ["nps", 9, 1],
    ["nps", 8, 0],
    ["nps", 6, -1],
    ["nps", 0, -1],
    ["ces", 7, 1],
    ["ces", 4, 0],
    ["ces", 1, -1],
  ] as const)("%s %i → %s", (type, score, f) => {
    expect(surveyFactor(type, score)).toBe(f);
  });
});

describe("applying entries", () => {
  it("the first entry starts the balance; later ones add to the faded balance", () => {
    const a = applyEntry(cfg, null, at("2026-03-01T12:00:00Z"), -3);
    expect(a.before).toBeNull();
    expect(a.state).toMatchObject({ balance: -3, score: scoreOf(cfg, -3), band: "healthy", entries: 1 });
    const b = applyEntry(cfg, a.state, at("2026-05-30T12:00:00Z"), -3);
    expect(b.state.balance).toBeCloseTo(-4.5, 10);
    expect(b.state.entries).toBe(2);
  });

  it("debits push an account to at_risk, and it leaves only above the leave threshold", () => {
    let s: HealthState | null = null;
    const t0 = at("2026-03-02T09:00:00Z").getTime();
    const bands: Band[] = [];
    for (let i = 0; i < 4; i++) {
      s = applyEntry(cfg, s, new Date(t0 + i * 60_000), -4).state;
      bands.push(s.band);
    }
    expect(bands).toEqual(["healthy", "watch", "watch", "at_risk"]);
    expect(s!.score).toBeLessThan(40);
    // A credit lifts it above 40 but not above 50: still at risk.
    s = applyEntry(cfg, s, new Date(t0 + 10 * 60_000), 7).state;
    expect(s.score).toBeGreaterThan(40);
    expect(s.score).toBeLessThanOrEqual(50);
    expect(s.band).toBe("at_risk");
  });

  it("an entry older than the balance fades to the balance's time instead", () => {
    const a = applyEntry(cfg, null, at("2026-06-01T00:00:00Z"), 0).state;
    const b = applyEntry(cfg, a, at("2026-03-03T00:00:00Z"), -4);
    expect(b.state.balanceAt).toEqual(a.balanceAt);
    expect(b.state.balance).toBeCloseTo(
      -4 * fadeFactor(cfg, a.balanceAt.getTime() - Date.parse("2026-03-03T00:00:00Z")),
      10,
    );
  });

  it("the daily tick re-evaluates the band at midnight as the balance fades", () => {
    let s = applyEntry(cfg, null, at("2026-01-10T10:00:00Z"), -20).state;
    expect(s.band).toBe("at_risk");
    const m = at("2026-07-10T00:00:00Z");
    s = tick(cfg, s, m);
    expect(s.scoredAt).toEqual(m);
    expect(s.score).toBe(
      scoreOf(cfg, -20 * fadeFactor(cfg, m.getTime() - Date.parse("2026-01-10T10:00:00Z"))),
    );
    expect(s.band).toBe("watch");
    expect(s.bandSince).toEqual(m);
    // Ticking to an earlier or equal instant changes nothing.
    expect(tick(cfg, s, m)).toBe(s);
  });

  it("an entry after a midnight first ticks the band there", () => {
    const s = applyEntry(cfg, null, at("2026-01-10T10:00:00Z"), -20).state;
    const next = applyEntry(cfg, s, at("2026-07-10T08:00:00Z"), 0);
    expect(next.before!.scoredAt).toEqual(midnightBefore(at("2026-07-10T08:00:00Z")));
    expect(next.before!.band).toBe("watch");
  });
});
