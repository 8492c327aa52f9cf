import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { feedIcs, invitationIcs } from "./ical.ts";

/** Parsed back by an independent parser (ical.js), never by the library that wrote it. */
function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return { cal, events: cal.getAllSubcomponents("vevent") };
}

const base = {
  uid: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000@keepdesk.test",
  stamp: new Date("2026-03-02T09:00:00Z"),
  start: new Date("2026-03-04T14:00:00Z"),
  end: new Date("2026-03-04T14:45:00Z"),
  summary: "Quarterly review; agenda, etc.",
  description: "Line one\nLine two",
  location: "Room 4, Level 2",
  url: "https://meet.example.test/abc",
  organizer: { name: "Ada Agent", email: "ada@keepdesk.test" },
  attendees: [
    { name: "Wile E. Coyote", email: "wile@acme.test" },
    { name: null, email: "road.runner@acme.test" },
  ],
};

describe("invitations", () => {
  it("REQUEST: method, UID, sequence, start and end in UTC, organizer and attendees", () => {
    const { cal, events } = parse(invitationIcs({ ...base, sequence: 0, method: "REQUEST" }));
    expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.getFirstPropertyValue("uid")).toBe(base.uid);
    expect(e.getFirstPropertyValue("sequence")).toBe(0);
    expect((e.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString()).toBe(
      "2026-03-04T14:00:00.000Z",
    );
    expect((e.getFirstPropertyValue("dtend") as ICAL.Time).toJSDate().toISOString()).toBe(
      "2026-03-04T14:45:00.000Z",
    );
    expect((e.getFirstPropertyValue("dtstamp") as ICAL.Time).toJSDate().toISOString()).toBe(
      "2026-03-02T09:00:00.000Z",
    );
    expect(e.getFirstPropertyValue("summary")).toBe(base.summary);
    expect(e.getFirstPropertyValue("description")).toBe(base.description);
    expect(e.getFirstPropertyValue("location")).toBe(base.location);
    expect(e.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(String(e.getFirstPropertyValue("organizer")).toLowerCase()).toBe("mailto:ada@keepdesk.test");
    const attendees = e.getAllProperties("attendee");
    expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
      "mailto:wile@acme.test",
      "mailto:road.runner@acme.test",
    ]);
    expect(attendees[0]!.getParameter("cn")).toBe("Wile E. Coyote");
    expect(attendees[0]!.getParameter("rsvp")).toBe("TRUE");
  });

  it("CANCEL: same UID, a higher sequence, STATUS:CANCELLED", () => {
    const { cal, events } = parse(invitationIcs({ ...base, sequence: 2, method: "CANCEL" }));
    expect(cal.getFirstPropertyValue("method")).toBe("CANCEL");
    const e = events[0]!;
    expect(e.getFirstPropertyValue("uid")).toBe(base.uid);
    expect(e.getFirstPropertyValue("sequence")).toBe(2);
    expect(e.getFirstPropertyValue("status")).toBe("CANCELLED");
  });
});

describe("the calendar feed", () => {
  it("lists every event with its UID and times, and no METHOD", () => {
    const text = feedIcs({
      name: "Keepdesk — Ada",
      stamp: base.stamp,
      events: [
        { uid: "a@h", sequence: 0, start: base.start, end: base.end, summary: "Promise: call back" },
        {
          uid: "b@h",
          sequence: 3,
          start: base.end,
          end: new Date("2026-03-04T15:00:00Z"),
          summary: "Review",
        },
      ],
    });
    const { cal, events } = parse(text);
    expect(cal.getFirstPropertyValue("method")).toBeNull();
    expect(events.map((e) => e.getFirstPropertyValue("uid"))).toEqual(["a@h", "b@h"]);
    expect(events[1]!.getFirstPropertyValue("sequence")).toBe(3);
  });
});
