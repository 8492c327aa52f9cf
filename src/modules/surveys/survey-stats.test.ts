import { describe, expect, it } from "vitest";
import { ces, csat, isLowScore, nps, npsAdjustedWald, validScore, weekOf, wilson } from "./survey-stats.ts";

// Expected figures worked out independently (Python, z = 1.959964).
describe("Wilson interval", () => {
  it.each([
    [8, 10, 0.490162, 0.943318],
    [3, 5, 0.230724, 0.882379],
    [0, 4, 0, 0.489891],
  ])("%i of %i", (k, n, low, high) => {
    const w = wilson(k, n)!;
    expect(w.low).toBeCloseTo(low, 5);
    expect(w.high).toBeCloseTo(high, 5);
  });
  it("has none without answers", () => expect(wilson(0, 0)).toBeNull());
});

describe("NPS adjusted Wald interval", () => {
  it.each([
    [50, 20, 100, 0.140511, 0.442013],
    [3, 1, 6, -0.267433, 0.711877],
  ])("%i promoters, %i detractors of %i", (p, d, n, low, high) => {
    const w = npsAdjustedWald(p, d, n)!;
    expect(w.low).toBeCloseTo(low, 5);
    expect(w.high).toBeCloseTo(high, 5);
  });
});

describe("CSAT", () => {
  it("is the share of 4 and 5 with n and a Wilson interval", () => {
    expect(csat([5, 5, 4, 3, 1])).toEqual({
      value: 60,
      n: 5,
      satisfied: 3,
      interval: { low: 23.1, high: 88.2 },
      smallSample: true,
    });
  });
  it("flags small samples only below 30 answers", () => {
    expect(csat(Array(29).fill(5)).smallSample).toBe(true);
    expect(csat(Array(30).fill(5)).smallSample).toBe(false);
  });
  it("has no value without answers", () => {
    expect(csat([])).toMatchObject({ value: null, n: 0, interval: null });
  });
});

describe("NPS", () => {
  it("is % promoters minus % detractors", () => {
    const scores = [...Array(50).fill(9), ...Array(30).fill(7), ...Array(20).fill(3)];
    expect(nps(scores)).toEqual({
      value: 30,
      n: 100,
      promoters: 50,
      passives: 30,
      detractors: 20,
      interval: { low: 14.1, high: 44.2 },
      smallSample: false,
    });
  });
  it("counts 6 as a detractor, 7 and 8 as passives, 9 as a promoter", () => {
    expect(nps([6, 7, 8, 9])).toMatchObject({ value: 0, promoters: 1, passives: 2, detractors: 1 });
  });
  it("ranges from -100 to 100", () => {
    expect(nps([0, 1]).value).toBe(-100);
    expect(nps([10]).value).toBe(100);
  });
});

describe("CES", () => {
  it("is the mean with a normal interval", () => {
    expect(ces([2, 3, 4, 5, 6])).toEqual({
      value: 4,
      n: 5,
      interval: { low: 2.61, high: 5.39 },
      smallSample: true,
    });
  });
  it("has no interval from one answer", () => expect(ces([7]).interval).toBeNull());
});

describe("low scores and scales", () => {
  it.each([
    ["csat", 1, true],
    ["csat", 2, true],
    ["csat", 3, false],
    ["nps", 6, true],
    ["nps", 7, false],
    ["ces", 3, true],
    ["ces", 4, false],
  ] as const)("%s %i low: %s", (type, score, low) => expect(isLowScore(type, score)).toBe(low));
  it.each([
    ["csat", 0, false],
    ["csat", 5, true],
    ["nps", 0, true],
    ["nps", 11, false],
    ["ces", 7, true],
    ["ces", 8, false],
    ["csat", 2.5, false],
  ] as const)("%s %s valid: %s", (type, score, ok) => expect(validScore(type, score)).toBe(ok));
  it("weeks start on Monday (UTC)", () => {
    expect(weekOf(new Date("2026-03-08T23:00:00Z"))).toBe("2026-03-02");
    expect(weekOf(new Date("2026-03-09T00:00:00Z"))).toBe("2026-03-09");
  });
});
