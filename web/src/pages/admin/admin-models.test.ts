import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/problem";
import {
  aroundTheClock,
  emptyWeek,
  intervalProblem,
  normalizeTime,
  officeHours,
  problemsByPath,
  summarizeHours,
  weekMinutes,
} from "./calendar-model";
import { conditionsSummary, nextOrder, reorder, targetsSummary } from "./policy-model";

describe("calendar model", () => {
  it("summarises a week in runs of equal days", () => {
    expect(summarizeHours(officeHours())).toBe("Mon–Fri 09:00–17:00 · Sat–Sun closed");
    expect(summarizeHours(aroundTheClock())).toBe("Around the clock");
    const split = {
      ...emptyWeek(),
      mon: [
        ["09:00", "12:00"],
        ["13:00", "17:00"],
      ] as [string, string][],
    };
    expect(summarizeHours(split)).toBe("Mon 09:00–12:00, 13:00–17:00 · Tue–Sun closed");
    expect(weekMinutes(officeHours())).toBe(5 * 8 * 60);
    expect(weekMinutes(aroundTheClock())).toBe(7 * 24 * 60);
  });

  it("reads times typed loosely", () => {
    expect(normalizeTime("9")).toBe("09:00");
    expect(normalizeTime("930")).toBe("09:30");
    expect(normalizeTime("17.30")).toBe("17:30");
    expect(normalizeTime("24")).toBe("24:00");
    expect(normalizeTime("25")).toBe("25");
    expect(normalizeTime("noon")).toBe("noon");
  });

  it("pins the server's problems on the interval they are about", () => {
    const error = new ApiError(400, {
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      errors: [
        { path: "/hours/tue/1", message: "overlaps 09:00–17:00 (/hours/tue/0)" },
        { path: "/hours/mon/0/1", message: "must be after the start 09:00" },
      ],
    });
    const problems = problemsByPath(error);
    expect(intervalProblem(problems, "tue", 1)).toBe("Overlaps 09:00–17:00 (Tuesday, interval 1)");
    expect(intervalProblem(problems, "mon", 0)).toBe("End must be after the start 09:00");
    expect(intervalProblem(problems, "mon", 1)).toBeNull();
  });
});

describe("policy model", () => {
  it("describes conditions and targets", () => {
    expect(conditionsSummary({})).toBe("Every case");
    expect(conditionsSummary({ priority: ["urgent", "high"], accountTier: ["key"], entitled: true })).toBe(
      "Priority urgent or high · Key accounts · Covered by an entitlement",
    );
    expect(
      targetsSummary({ firstResponseMinutes: 60, resolutionMinutes: 480, nextResponseMinutes: null }),
    ).toBe("1 h / 8 h");
  });

  it("swaps order numbers, or renumbers when two share one", () => {
    const list = [
      { id: "a", order: 10 },
      { id: "b", order: 20 },
      { id: "c", order: 30 },
    ];
    expect(reorder(list, 1, -1)).toEqual([
      { id: "b", order: 10 },
      { id: "a", order: 20 },
    ]);
    expect(reorder(list, 0, -1)).toEqual([]);
    const tied = [
      { id: "a", order: 5 },
      { id: "b", order: 5 },
      { id: "c", order: 30 },
    ];
    expect(reorder(tied, 0, 1)).toEqual([
      { id: "b", order: 10 },
      { id: "a", order: 20 },
    ]);
    expect(nextOrder(list)).toBe(40);
    expect(nextOrder([])).toBe(10);
  });
});
