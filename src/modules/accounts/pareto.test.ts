import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paretoKeyIds, paretoTiers, type RevenueAccount } from "./pareto.ts";

const accounts = (...revenues: number[]): RevenueAccount[] =>
  revenues.map((annualRevenue, i) => ({ id: `a${String(i).padStart(3, "0")}`, annualRevenue }));

const keyOf = (list: RevenueAccount[]) => [...paretoKeyIds(list)].sort();

describe("paretoKeyIds", () => {
  it.each([
    { case: "no accounts", revenues: [], key: [] },
    { case: "all without revenue", revenues: [0, 0, 0], key: [] },
    { case: "one account with revenue", revenues: [0, 500, 0], key: ["a001"] },
    { case: "the account that crosses 80% is key", revenues: [50, 40, 10], key: ["a000", "a001"] },
    { case: "exactly 80% stops there", revenues: [80, 20], key: ["a000"] },
    { case: "just under 80% takes the next one", revenues: [79.99, 20.01], key: ["a000", "a001"] },
    { case: "one giant is alone key", revenues: [10, 900, 40, 50], key: ["a001"] },
    {
      case: "classic 80/20",
      revenues: [400, 300, 100, 50, 40, 30, 30, 20, 20, 10],
      key: ["a000", "a001", "a002"],
    },
    {
      case: "equal revenues: the first 80% by id",
      revenues: [10, 10, 10, 10, 10],
      key: ["a000", "a001", "a002", "a003"],
    },
    { case: "zero revenue is never key", revenues: [100, 0, 0], key: ["a000"] },
    { case: "negative and non-finite count as zero", revenues: [-5, Number.NaN, 7], key: ["a002"] },
  ])("$case", ({ revenues, key }) => {
    expect(keyOf(accounts(...revenues))).toEqual(key);
  });

  it("breaks ties by id whatever the input order", () => {
    const list: RevenueAccount[] = [
      { id: "c", annualRevenue: 10 },
      { id: "a", annualRevenue: 10 },
      { id: "b", annualRevenue: 10 },
      { id: "d", annualRevenue: 10 },
      { id: "e", annualRevenue: 10 },
    ];
    expect(keyOf(list)).toEqual(["a", "b", "c", "d"]);
    expect(keyOf([...list].reverse())).toEqual(["a", "b", "c", "d"]);
  });

  it("decides a boundary that floating-point sums would get wrong", () => {
    // 0.32 is exactly 80% of 0.40, but in floating point 0.8 × (0.32 + 0.08) is 0.32000000000000006,
    // so a float comparison would make the second account key as well.
    expect(keyOf(accounts(0.32, 0.08))).toEqual(["a000"]);
  });
});

describe("paretoTiers", () => {
  it("labels every account", () => {
    const tiers = paretoTiers(accounts(50, 40, 10, 0));
    expect(Object.fromEntries(tiers)).toEqual({
      a000: "key",
      a001: "key",
      a002: "standard",
      a003: "standard",
    });
  });
});

// Revenues as whole cents, so the property's own arithmetic is exact.
const revenueList = fc.array(
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 10_000_000_000 })),
  { maxLength: 60 },
);
const toAccounts = (cents: number[]): RevenueAccount[] =>
  cents.map((c, i) => ({ id: `id-${i}`, annualRevenue: c / 100 }));
const centsOf = (a: RevenueAccount) => BigInt(Math.round(a.annualRevenue * 100));
const sum = (list: RevenueAccount[]) => list.reduce((s, a) => s + centsOf(a), 0n);

describe("paretoKeyIds properties", () => {
  it("key accounts make at least 80% of revenue, and without the smallest of them less than 80%", () => {
    fc.assert(
      fc.property(revenueList, (cents) => {
        const list = toAccounts(cents);
        const keyIds = paretoKeyIds(list);
        const key = list.filter((a) => keyIds.has(a.id));
        const total = sum(list);
        if (total === 0n) return keyIds.size === 0;
        const keyRevenue = sum(key);
        const smallest = key.reduce((min, a) => (centsOf(a) < centsOf(min) ? a : min));
        return keyRevenue * 5n >= total * 4n && (keyRevenue - centsOf(smallest)) * 5n < total * 4n;
      }),
    );
  });

  it("every key account earns at least as much as every standard one, and none earns nothing", () => {
    fc.assert(
      fc.property(revenueList, (cents) => {
        const list = toAccounts(cents);
        const keyIds = paretoKeyIds(list);
        const key = list.filter((a) => keyIds.has(a.id)).map(centsOf);
        const standard = list.filter((a) => !keyIds.has(a.id)).map(centsOf);
        if (key.length === 0) return true;
        // bigints: Math.min does not take them.
        let minKey = key[0]!;
        for (const c of key) if (c < minKey) minKey = c;
        return minKey > 0n && standard.every((c) => c <= minKey);
      }),
    );
  });

  it("does not depend on the order of the input", () => {
    fc.assert(
      fc.property(
        revenueList.chain((cents) =>
          fc.tuple(fc.constant(cents), fc.shuffledSubarray(toAccounts(cents), { minLength: cents.length })),
        ),
        ([cents, shuffled]) => {
          expect(keyOf(shuffled)).toEqual(keyOf(toAccounts(cents)));
        },
      ),
    );
  });
});
