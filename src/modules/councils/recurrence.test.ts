import { describe, expect, it } from "vitest";
import { nextOccurrence, occurrences, recurrenceProblem } from "./recurrence.ts";

describe("council meeting recurrence", () => {
  it("keeps a weekly 15:00 London meeting at 15:00 local across the March change (UTC moves)", () => {
    const list = occurrences(
      {
        rrule: "FREQ=WEEKLY;BYDAY=TU",
        start: "2026-03-17T15:00",
        timeZone: "Europe/London",
        durationMinutes: 60,
      },
      new Date("2026-03-01T00:00:00Z"),
      new Date("2026-04-08T00:00:00Z"),
    );
    expect(list.map((o) => o.startsAt.toISOString())).toEqual([
      "2026-03-17T15:00:00.000Z", // GMT
      "2026-03-24T15:00:00.000Z", // GMT
      "2026-03-31T14:00:00.000Z", // BST from 29 March
      "2026-04-07T14:00:00.000Z",
    ]);
    expect(list.map((o) => o.local)).toEqual([
      "2026-03-17T15:00",
      "2026-03-24T15:00",
      "2026-03-31T15:00",
      "2026-04-07T15:00",
    ]);
    expect(list[2]!.endsAt.toISOString()).toBe("2026-03-31T15:00:00.000Z");
  });

  it("monthly on the second Tuesday in New York, across the November change", () => {
    const list = occurrences(
      {
        rrule: "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        start: "2026-09-08T09:30",
        timeZone: "America/New_York",
        durationMinutes: 90,
      },
      new Date("2026-09-01T00:00:00Z"),
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(list.map((o) => o.startsAt.toISOString())).toEqual([
      "2026-09-08T13:30:00.000Z", // EDT (UTC-4)
      "2026-10-13T13:30:00.000Z",
      "2026-11-10T14:30:00.000Z", // EST (UTC-5) from 1 November
      "2026-12-08T14:30:00.000Z",
    ]);
  });

  it("a meeting at a wall time the spring change skips moves forward by the gap", () => {
    const list = occurrences(
      {
        rrule: "FREQ=DAILY;COUNT=3",
        start: "2026-03-28T01:30",
        timeZone: "Europe/London",
        durationMinutes: 30,
      },
      new Date("2026-03-27T00:00:00Z"),
      new Date("2026-04-01T00:00:00Z"),
    );
    // 28 Mar 01:30 GMT; 29 Mar 01:30 does not exist (01:00 → 02:00): 02:30 BST = 01:30Z; 30 Mar 01:30 BST.
    expect(list.map((o) => o.startsAt.toISOString())).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("honours COUNT and UNTIL and finds the next one", () => {
    const r = {
      rrule: "FREQ=WEEKLY;COUNT=2",
      start: "2026-06-01T10:00",
      timeZone: "Europe/Berlin",
      durationMinutes: 60,
    };
    expect(nextOccurrence(r, new Date("2026-06-02T00:00:00Z"))?.startsAt.toISOString()).toBe(
      "2026-06-08T08:00:00.000Z",
    );
    expect(nextOccurrence(r, new Date("2026-06-09T00:00:00Z"))).toBeNull();
  });

  it("names what is wrong with a rule", () => {
    const ok = {
      rrule: "FREQ=WEEKLY",
      start: "2026-06-01T10:00",
      timeZone: "Europe/Berlin",
      durationMinutes: 60,
    };
    expect(recurrenceProblem(ok)).toBeNull();
    expect(recurrenceProblem({ ...ok, rrule: "FREQ=SOMETIMES" })?.path).toBe("/rrule");
    expect(recurrenceProblem({ ...ok, rrule: "FREQ=MINUTELY" })?.path).toBe("/rrule");
    expect(recurrenceProblem({ ...ok, rrule: "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY" })?.path).toBe(
      "/rrule",
    );
    expect(recurrenceProblem({ ...ok, timeZone: "Mars/Olympus" })?.path).toBe("/timeZone");
    expect(recurrenceProblem({ ...ok, start: "2026-13-01T10:00" })?.path).toBe("/start");
  });
});
