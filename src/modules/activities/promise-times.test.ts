import { describe, expect, it } from "vitest";
import { dayBounds, promiseTimes } from "./promise-times.ts";

const pick = (now: string, zone: string) =>
  Object.fromEntries(promiseTimes(new Date(now), zone).map((p) => [p.key, p]));

describe("promise quick picks", () => {
  it("in Sydney on a Monday evening (AEDT, UTC+11): tomorrow's 17:00 and 10:00, hand-computed", () => {
    // 2026-03-02T09:00Z is Monday 20:00 in Sydney: today's 17:00 has passed.
    const p = pick("2026-03-02T09:00:00Z", "Australia/Sydney");
    expect(p.inAnHour!.at).toBe("2026-03-02T10:00:00.000Z");
    expect(p.inAnHour!.customerTime).toBe("Mon 2 Mar, 21:00");
    // Tuesday 17:00 AEDT = 06:00Z.
    expect(p.endOfDay!.at).toBe("2026-03-03T06:00:00.000Z");
    expect(p.endOfDay!.customerTime).toBe("Tue 3 Mar, 17:00");
    // Tuesday 10:00 AEDT = Monday 23:00Z.
    expect(p.tomorrowMorning!.at).toBe("2026-03-02T23:00:00.000Z");
    expect(p.tomorrowMorning!.customerLabel).toBe("Tue 3 Mar, 10:00 their time (Australia/Sydney)");
  });

  it("in Sydney on a Monday morning: today's 17:00; an hour rounds up to five minutes", () => {
    // 2026-03-01T22:02:30Z is Monday 09:02:30 in Sydney.
    const p = pick("2026-03-01T22:02:30Z", "Australia/Sydney");
    expect(p.inAnHour!.at).toBe("2026-03-01T23:05:00.000Z");
    expect(p.endOfDay!.at).toBe("2026-03-02T06:00:00.000Z");
    expect(p.endOfDay!.customerTime).toBe("Mon 2 Mar, 17:00");
    expect(p.tomorrowMorning!.at).toBe("2026-03-02T23:00:00.000Z");
  });

  it("keeps wall times across the end of daylight saving (Sydney, 5 April 2026: +11 → +10)", () => {
    // Saturday 4 April 20:00 AEDT = 09:00Z; Sunday is AEST (UTC+10).
    const p = pick("2026-04-04T09:00:00Z", "Australia/Sydney");
    expect(p.tomorrowMorning!.at).toBe("2026-04-05T00:00:00.000Z");
    expect(p.endOfDay!.at).toBe("2026-04-05T07:00:00.000Z");
  });

  it("at exactly 17:00 their time the end of day is tomorrow's", () => {
    const p = pick("2026-03-02T17:00:00Z", "Europe/London");
    expect(p.endOfDay!.at).toBe("2026-03-03T17:00:00.000Z");
  });

  it("in a zone west of UTC (Los Angeles, PST)", () => {
    // 2026-03-02T09:00Z is 01:00 PST on Monday.
    const p = pick("2026-03-02T09:00:00Z", "America/Los_Angeles");
    expect(p.endOfDay!.at).toBe("2026-03-03T01:00:00.000Z");
    expect(p.tomorrowMorning!.at).toBe("2026-03-03T18:00:00.000Z");
  });

  it("refuses an unknown zone", () => {
    expect(() => promiseTimes(new Date(), "Mars/Olympus")).toThrow(/time zone/);
  });
});

describe("dayBounds", () => {
  it("is the user's calendar day, not UTC's", () => {
    const d = dayBounds(new Date("2026-03-02T09:00:00Z"), "Australia/Sydney");
    expect(d.date).toBe("2026-03-02");
    expect(d.start.toISOString()).toBe("2026-03-01T13:00:00.000Z");
    expect(d.end.toISOString()).toBe("2026-03-02T13:00:00.000Z");
  });
});
