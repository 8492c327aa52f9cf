import { describe, expect, it } from "vitest";
import {
  allowedTransitions,
  BUILTIN_CATALOGUE,
  BUILTIN_STATUSES,
  behavesAs,
  classifyTransition,
  type StatusCatalogue,
  withinReopenWindow,
} from "./case-status-machine.ts";

// The whole built-in machine, row by row: from → every status, and what the move is.
// m = move, r = reopen (judged by the window), - = refused, · = no change.
const TABLE: Record<string, string> = {
  //                  new  open  woc  hold  res  closed
  new: "              ·    m     m    m     m    m",
  open: "             -    ·     m    m     m    m",
  waiting_on_customer: "-    m     ·    m     m    m",
  on_hold: "          -    m     m    ·     m    m",
  resolved: "         -    r     -    -     ·    m",
  closed: "           -    r     -    -     -    ·",
};

const KIND: Record<string, string> = { m: "move", r: "reopen", "-": "illegal", "·": "none" };

describe("built-in status machine", () => {
  for (const from of BUILTIN_STATUSES) {
    const row = TABLE[from]!.trim().split(/\s+/);
    BUILTIN_STATUSES.forEach((to, i) => {
      const expected = KIND[row[i]!]!;
      it(`${from} → ${to}: ${expected}`, () => {
        expect(classifyTransition(from, to, BUILTIN_CATALOGUE).kind).toBe(expected);
      });
    });
  }

  it("names the allowed statuses when it refuses", () => {
    const t = classifyTransition("closed", "on_hold", BUILTIN_CATALOGUE);
    expect(t).toEqual({ kind: "illegal", allowed: ["open"] });
    expect(classifyTransition("open", "new", BUILTIN_CATALOGUE)).toEqual({
      kind: "illegal",
      allowed: ["waiting_on_customer", "on_hold", "resolved", "closed"],
    });
  });

  it("refuses an unknown status, listing the known ones allowed", () => {
    expect(classifyTransition("new", "bogus", BUILTIN_CATALOGUE)).toEqual({
      kind: "illegal",
      allowed: ["open", "waiting_on_customer", "on_hold", "resolved", "closed"],
    });
  });

  it("no status ever goes back to new", () => {
    for (const from of BUILTIN_STATUSES)
      expect(allowedTransitions(from, BUILTIN_CATALOGUE)).not.toContain("new");
  });
});

describe("custom statuses behave like the built-in of their category", () => {
  const catalogue: StatusCatalogue = new Map([
    ...BUILTIN_CATALOGUE,
    ["in_progress", "open"],
    ["waiting_on_vendor", "paused"],
    ["duplicate", "resolved"],
  ]);

  it.each([
    ["in_progress", "open"],
    ["waiting_on_vendor", "on_hold"],
    ["duplicate", "resolved"],
    ["new", "new"],
  ])("%s behaves as %s", (key, builtin) => {
    expect(behavesAs(key, catalogue)).toBe(builtin);
  });

  it.each([
    ["new", "in_progress", "move"],
    ["open", "in_progress", "move"],
    ["in_progress", "open", "move"],
    ["in_progress", "new", "illegal"],
    ["in_progress", "waiting_on_vendor", "move"],
    ["waiting_on_vendor", "waiting_on_customer", "move"],
    ["on_hold", "waiting_on_vendor", "move"],
    ["waiting_on_vendor", "duplicate", "move"],
    ["duplicate", "closed", "move"],
    ["duplicate", "open", "reopen"],
    ["duplicate", "in_progress", "reopen"],
    ["closed", "in_progress", "reopen"],
    ["resolved", "duplicate", "illegal"],
    ["duplicate", "waiting_on_vendor", "illegal"],
    ["closed", "duplicate", "illegal"],
  ])("%s → %s: %s", (from, to, kind) => {
    expect(classifyTransition(from, to, catalogue).kind).toBe(kind);
  });

  it("lists custom statuses among the allowed ones", () => {
    expect(allowedTransitions("open", catalogue)).toEqual([
      "waiting_on_customer",
      "on_hold",
      "resolved",
      "closed",
      "in_progress",
      "waiting_on_vendor",
      "duplicate",
    ]);
  });
});

describe("reopen window", () => {
  const resolved = new Date("2026-03-01T12:00:00Z");
  it.each([
    ["2026-03-01T12:00:00Z", 14, true],
    ["2026-03-15T12:00:00Z", 14, true],
    ["2026-03-15T12:00:01Z", 14, false],
    ["2026-03-01T12:00:00Z", 0, true],
    ["2026-03-01T12:00:01Z", 0, false],
  ])("at %s with %i days: %s", (now, days, expected) => {
    expect(withinReopenWindow(resolved, new Date(now), days)).toBe(expected);
  });

  it("a case never resolved is always within", () => {
    expect(withinReopenWindow(null, new Date("2030-01-01T00:00:00Z"), 0)).toBe(true);
  });
});
