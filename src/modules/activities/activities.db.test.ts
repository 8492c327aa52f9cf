import ICAL from "ical.js";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../../../test/support/test-app.ts";
import { SYSTEM } from "../../platform/auth/actor.ts";
import { readEvents } from "../../platform/events/event-bus.ts";
import { drainWork } from "../../platform/worker.ts";
import { contactActor, insertAccount, insertContact } from "../cases/cases.fixtures.ts";

/**
 * Activities over HTTP with a fake clock (Monday 2026-03-02 09:00Z). The contact lives in
 * Sydney (AEDT, UTC+11 in March): 09:00Z is 20:00 on their Monday.
 */

type Activity = {
  id: string;
  type: string;
  status: string;
  dueAt: string | null;
  caseId: string | null;
  contactId: string | null;
  accountId: string | null;
  ownerId: string | null;
  keptAt: string | null;
  keptHow: string | null;
  keptByRef: string | null;
  keptByUserId: string | null;
  brokenAt: string | null;
  remindedAt: string | null;
  overdue: boolean;
  customerTimeZone: string | null;
  customerDueTime: string | null;
  case: { id: string; number: string } | null;
};

let t: TestApp;
let admin: Session;
let lead: Session;
let agent: Session;
let colleague: Session;
let sales: Session;
let accountId: string;
let contactId: string;

const START = "2026-03-02T09:00:00.000Z";
const at = (hhmm: string, day = "2026-03-02") => `${day}T${hhmm}:00.000Z`;

async function call(s: Session, method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: unknown) {
  return s.request({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}
async function ok<T = Activity>(
  s: Session,
  method: "GET" | "POST" | "PATCH",
  url: string,
  payload?: unknown,
) {
  const res = await call(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(method === "POST" ? 201 : 200);
  return res.json() as T;
}
const getActivity = (id: string) => ok(agent, "GET", `/api/v1/activities/${id}`);
const drain = () => drainWork(t.c);
const eventsOf = async (id: string, type?: string) =>
  (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
    (e) => e.entityId === id && (!type || e.type === type),
  );

async function notificationsOf(userId: string, kind: string, titleHas: string) {
  const rows = await sql<{ title: string; body: string | null; link: string | null }>`
    select title, body, link from notifications where user_id = ${userId} and kind = ${kind}`.execute(
    t.c.db.kysely,
  );
  return rows.rows.filter((r) => r.title.includes(titleHas));
}

async function mailsTo(email: string, purpose: string) {
  const rows = await sql<{ id: string; subject: string }>`
    select id, subject from outbound_mail where to_address = ${email} and purpose = ${purpose}
    order by created_at, id`.execute(t.c.db.kysely);
  return rows.rows;
}

async function newCase(subject: string, contact = contactId) {
  return ok<{ id: string; number: string; contactId: string; accountId: string }>(
    agent,
    "POST",
    "/api/v1/cases",
    {
      subject,
      contactId: contact,
      ownerId: agent.userId,
    },
  );
}

const promise = (payload: Record<string, unknown>, s: Session = agent) =>
  ok(s, "POST", "/api/v1/activities", { type: "promise", ...payload });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  lead = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  colleague = await t.signInAs("agent");
  sales = await t.signInAs("sales");
  await t.c.users.createTeam(SYSTEM, {
    name: "Frontline",
    leadId: lead.userId,
    memberIds: [lead.userId, agent.userId, colleague.userId],
  });
  accountId = await insertAccount(t.c.db.kysely, "Acme Pty");
  contactId = await insertContact(t.c.db.kysely, accountId, "Wile Coyote");
  await sql`update contacts set time_zone = 'Australia/Sydney' where id = ${contactId}`.execute(
    t.c.db.kysely,
  );
  t.c.clock.set(START);
});
afterAll(async () => t?.close());
beforeEach(async () => {
  t.c.clock.set(START);
  await drain();
});

describe("creating activities", () => {
  it("makes a promise on a case: contact, account and the customer's local due time come from the case", async () => {
    const c = await newCase("Invoices do not export");
    const p = await promise({ subject: "Call back about the export", caseId: c.id, dueAt: at("10:00") });
    expect(p).toMatchObject({
      type: "promise",
      status: "open",
      caseId: c.id,
      contactId,
      accountId,
      ownerId: agent.userId,
      reminderMinutes: 15,
      customerTimeZone: "Australia/Sydney",
      customerDueTime: "Mon 2 Mar, 21:00",
      case: { id: c.id, number: c.number },
    });
    const [created] = await eventsOf(p.id, "activity.created");
    expect(created?.accountId).toBe(accountId);
  });

  it("answers bad input with a 400 naming the field", async () => {
    const c = await newCase("Bad input case");
    const cases: [Record<string, unknown>, string][] = [
      [{ type: "promise", subject: "x", caseId: c.id }, "/dueAt"],
      [{ type: "promise", subject: "x", caseId: c.id, dueAt: at("08:00") }, "/dueAt"],
      [{ type: "promise", subject: "x", dueAt: at("10:00") }, "/caseId"],
      [{ type: "promise", subject: "   ", caseId: c.id, dueAt: at("10:00") }, "/subject"],
      [{ type: "task", subject: "x", direction: "out" }, "/direction"],
      [{ type: "appointment", subject: "x", startsAt: at("12:00"), endsAt: at("11:00") }, "/endsAt"],
      [{ type: "appointment", subject: "x", endsAt: at("11:00") }, "/startsAt"],
      [{ type: "task", subject: "x", contactId: "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000" }, "/contactId"],
      [{ type: "task", subject: "x", dueAt: "yesterday" }, "/dueAt"],
      [{ type: "meeting", subject: "x" }, "/type"],
      [{ type: "call", subject: "x", dueAt: at("12:00") }, "/dueAt"],
      [
        { type: "appointment", subject: "x", startsAt: at("11:00"), endsAt: at("12:00"), attendees: [{}] },
        "/attendees/0",
      ],
    ];
    for (const [payload, path] of cases) {
      const res = await call(agent, "POST", "/api/v1/activities", payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(400);
      expect(res.json().errors?.[0]?.path, JSON.stringify(payload)).toMatch(new RegExp(`^${path}`));
    }
    const badFilter = await call(agent, "GET", "/api/v1/activities?status=finished");
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().errors[0].path).toBe("/status");
    const badCursor = await call(agent, "GET", "/api/v1/activities?cursor=bm9wZQ");
    expect(badCursor.statusCode).toBe(400);
  });

  it("lists with filters and keyset pages in due order", async () => {
    const c = await newCase("Paging case");
    const ids: string[] = [];
    for (const hh of ["13", "11", "12"]) {
      ids.push(
        (
          await ok(agent, "POST", "/api/v1/activities", {
            type: "task",
            subject: `Page ${hh}`,
            caseId: c.id,
            dueAt: at(`${hh}:00`),
          })
        ).id,
      );
    }
    await ok(agent, "POST", "/api/v1/activities", { type: "task", subject: "Page none", caseId: c.id });
    const first = await ok<{ items: Activity[]; nextCursor: string }>(
      agent,
      "GET",
      `/api/v1/activities?caseId=${c.id}&limit=2`,
    );
    const second = await ok<{ items: Activity[]; nextCursor: string | null }>(
      agent,
      "GET",
      `/api/v1/activities?caseId=${c.id}&limit=2&cursor=${first.nextCursor}`,
    );
    const order = [...first.items, ...second.items].map((a) => a.dueAt);
    expect(order).toEqual([at("11:00"), at("12:00"), at("13:00"), null]);
    expect(second.nextCursor).toBeNull();
    const filtered = await ok<{ items: Activity[] }>(
      agent,
      "GET",
      `/api/v1/activities?caseId=${c.id}&dueAfter=${at("11:30")}&dueBefore=${at("13:00")}&ownerId=me&type=task`,
    );
    expect(filtered.items.map((a) => a.dueAt)).toEqual([at("12:00")]);
  });
});

describe("the promise lifecycle (fake clock, database timers)", () => {
  it("reminds the owner once, in-app and by email, then a reply on the case keeps it", async () => {
    const c = await newCase("Reminder and reply");
    const p = await promise({ subject: "Promise R1", caseId: c.id, dueAt: at("10:00"), reminderMinutes: 15 });
    await drain();
    expect(await notificationsOf(agent.userId, "promise.reminder", "Promise R1")).toHaveLength(0);

    t.c.clock.set(at("09:45"));
    await drain();
    await drain();
    t.c.clock.set(at("09:50"));
    await drain();
    const reminders = await notificationsOf(agent.userId, "promise.reminder", "Promise R1");
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.title).toMatch(/^Promise due .*10:00: Promise R1$/);
    expect(reminders[0]!.body).toContain("21:00 their time (Australia/Sydney)");
    const me = await ok<{ user: { email: string } }>(agent, "GET", "/api/v1/me");
    const emailed = (await mailsTo(me.user.email, "promise.reminder")).filter((m) =>
      m.subject.includes("Promise R1"),
    );
    expect(emailed).toHaveLength(1);
    expect((await getActivity(p.id)).remindedAt).toBe(at("09:45"));

    t.c.clock.set(at("09:55"));
    const message = await ok<{ id: string }>(agent, "POST", `/api/v1/cases/${c.id}/messages`, {
      kind: "reply",
      body: "Here is the fix.",
    });
    const kept = await getActivity(p.id);
    expect(kept).toMatchObject({
      status: "kept",
      keptHow: "reply",
      keptAt: at("09:55"),
      keptByRef: message.id,
      keptByUserId: agent.userId,
    });
    const [event] = await eventsOf(p.id, "promise.kept");
    expect(event).toMatchObject({ accountId, data: expect.objectContaining({ how: "reply" }) });

    t.c.clock.set(at("10:30"));
    await drain();
    expect((await getActivity(p.id)).status).toBe("kept");
    expect(await eventsOf(p.id, "promise.broken")).toHaveLength(0);
  });

  it("an internal note does not keep it; a call logged with the contact does", async () => {
    const c = await newCase("Kept by call");
    const p = await promise({ subject: "Promise C1", caseId: c.id, dueAt: at("11:00") });
    t.c.clock.set(at("09:30"));
    await ok(agent, "POST", `/api/v1/cases/${c.id}/messages`, { kind: "note", body: "Will ring them." });
    expect((await getActivity(p.id)).status).toBe("open");

    t.c.clock.set(at("10:00"));
    const loggedCall = await ok(colleague, "POST", "/api/v1/activities", {
      type: "call",
      subject: "Rang Wile about the export",
      contactId,
      direction: "out",
      durationMinutes: 6,
      outcome: "Fixed together",
    });
    expect(loggedCall).toMatchObject({
      status: "done",
      dueAt: at("10:00"),
      durationSeconds: 360,
      direction: "out",
    });
    expect(await getActivity(p.id)).toMatchObject({
      status: "kept",
      keptHow: "call",
      keptByRef: loggedCall.id,
      keptByUserId: colleague.userId,
      keptAt: at("10:00"),
    });
    t.c.clock.set(at("11:30"));
    await drain();
    expect((await getActivity(p.id)).status).toBe("kept");
  });

  it("breaks at its due time: the owner and their team lead are told, once, and promise.broken is recorded", async () => {
    const c = await newCase("Broken promise");
    const p = await promise({ subject: "Promise B1", caseId: c.id, dueAt: at("10:00"), reminderMinutes: 30 });
    t.c.clock.set(at("09:59"));
    await drain();
    expect((await getActivity(p.id)).status).toBe("open");
    // The worker was down: it catches up at noon; the break is recorded at the due instant.
    t.c.clock.set(at("12:00"));
    await drain();
    await drain();
    const broken = await getActivity(p.id);
    expect(broken).toMatchObject({ status: "broken", brokenAt: at("10:00") });
    const events = await eventsOf(p.id, "promise.broken");
    expect(events).toHaveLength(1);
    expect(events[0]!.accountId).toBe(accountId);
    expect(await notificationsOf(lead.userId, "promise.broken", "Promise B1")).toHaveLength(1);
    expect(await notificationsOf(agent.userId, "promise.broken", "Promise B1")).toHaveLength(1);
    expect(await notificationsOf(colleague.userId, "promise.broken", "Promise B1")).toHaveLength(0);
    const leadMe = await ok<{ user: { email: string } }>(lead, "GET", "/api/v1/me");
    expect(
      (await mailsTo(leadMe.user.email, "promise.broken")).filter((m) => m.subject.includes("Promise B1")),
    ).toHaveLength(1);

    // A late answer does not mend it; it cannot be reopened, kept, moved or deleted.
    await ok(agent, "POST", `/api/v1/cases/${c.id}/messages`, { kind: "reply", body: "Sorry, late." });
    expect((await getActivity(p.id)).status).toBe("broken");
    for (const payload of [{ status: "open" }, { status: "kept" }, { dueAt: at("15:00") }]) {
      const res = await call(agent, "PATCH", `/api/v1/activities/${p.id}`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
    }
    expect((await call(lead, "DELETE", `/api/v1/activities/${p.id}`)).statusCode).toBe(422);
    await ok(agent, "PATCH", `/api/v1/activities/${p.id}`, { notes: "Customer called us instead." });
  });

  it("marking kept by hand cancels its timers; a person cannot break a promise", async () => {
    const c = await newCase("Kept by hand");
    const p = await promise({ subject: "Promise M1", caseId: c.id, dueAt: at("10:00") });
    expect((await call(agent, "PATCH", `/api/v1/activities/${p.id}`, { status: "broken" })).statusCode).toBe(
      422,
    );
    expect((await call(agent, "PATCH", `/api/v1/activities/${p.id}`, { status: "done" })).statusCode).toBe(
      422,
    );
    t.c.clock.set(at("09:20"));
    const kept = await ok(agent, "PATCH", `/api/v1/activities/${p.id}`, { status: "kept" });
    expect(kept).toMatchObject({
      status: "kept",
      keptHow: "manual",
      keptAt: at("09:20"),
      keptByUserId: agent.userId,
    });
    t.c.clock.set(at("11:00"));
    await drain();
    expect((await getActivity(p.id)).status).toBe("kept");
    expect(await notificationsOf(agent.userId, "promise.reminder", "Promise M1")).toHaveLength(0);
  });

  it("moving the due time moves the reminder and the break", async () => {
    const c = await newCase("Moved promise");
    const p = await promise({ subject: "Promise D1", caseId: c.id, dueAt: at("10:00"), reminderMinutes: 15 });
    await ok(agent, "PATCH", `/api/v1/activities/${p.id}`, { dueAt: at("12:00") });
    t.c.clock.set(at("10:30"));
    await drain();
    expect((await getActivity(p.id)).status).toBe("open");
    expect(await notificationsOf(agent.userId, "promise.reminder", "Promise D1")).toHaveLength(0);
    t.c.clock.set(at("11:45"));
    await drain();
    expect(await notificationsOf(agent.userId, "promise.reminder", "Promise D1")).toHaveLength(1);
    t.c.clock.set(at("12:00"));
    await drain();
    expect(await getActivity(p.id)).toMatchObject({ status: "broken", brokenAt: at("12:00") });
  });
});

describe("promise quick picks", () => {
  it("are computed in the customer's zone (Sydney), by case or by contact", async () => {
    const c = await newCase("Quick picks");
    for (const q of [`caseId=${c.id}`, `contactId=${contactId}`]) {
      const picks = await ok<{
        timeZone: string;
        zoneOf: string;
        items: { key: string; at: string; customerTime: string }[];
      }>(agent, "GET", `/api/v1/activities/promise-times?${q}`);
      expect(picks.timeZone).toBe("Australia/Sydney");
      expect(picks.zoneOf).toBe("contact");
      expect(picks.items.map((i) => [i.key, i.at, i.customerTime])).toEqual([
        ["inAnHour", "2026-03-02T10:00:00.000Z", "Mon 2 Mar, 21:00"],
        ["endOfDay", "2026-03-03T06:00:00.000Z", "Tue 3 Mar, 17:00"],
        ["tomorrowMorning", "2026-03-02T23:00:00.000Z", "Tue 3 Mar, 10:00"],
      ]);
    }
    const none = await call(agent, "GET", "/api/v1/activities/promise-times");
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].path).toBe("/contactId");
  });
});

describe("appointments and invitations", () => {
  it("emails an .ics REQUEST, then SEQUENCE+1 on a change and a CANCEL, parsed by ical.js", async () => {
    const guest = "guest.person@partner.test";
    const appt = await ok(agent, "POST", "/api/v1/activities", {
      type: "appointment",
      subject: "Onboarding review",
      contactId,
      startsAt: at("14:00", "2026-03-04"),
      endsAt: at("14:45", "2026-03-04"),
      location: "Video call",
      meetingUrl: "https://meet.example.test/onboarding",
      attendees: [{ contactId }, { email: guest, name: "Guest Person" }, { userId: colleague.userId }],
    });
    const contact = await ok<{ email: string }>(agent, "GET", `/api/v1/contacts/${contactId}`);

    const icsOf = async (email: string, purpose: string, index: number) => {
      const mails = await mailsTo(email, purpose);
      const mail = mails[index];
      expect(mail, `${purpose} #${index} to ${email}`).toBeDefined();
      const detail = await ok<{
        subject: string;
        attachments: { filename: string; contentType: string; content: string; encoding: string }[];
      }>(admin, "GET", `/api/v1/dev-mailbox/${mail!.id}`);
      const file = detail.attachments[0]!;
      const content =
        file.encoding === "base64" ? Buffer.from(file.content, "base64").toString("utf8") : file.content;
      const cal = new ICAL.Component(ICAL.parse(content));
      return { detail, file, cal, event: cal.getFirstSubcomponent("vevent")! };
    };

    const first = await icsOf(contact.email, "activity.invitation", 0);
    expect(first.file.contentType).toMatch(/^text\/calendar; method=REQUEST/);
    expect(first.detail.subject).toContain("Thu 5 Mar, 01:00 – 01:45 (Australia/Sydney)");
    expect(first.cal.getFirstPropertyValue("method")).toBe("REQUEST");
    const uid = first.event.getFirstPropertyValue("uid");
    expect(uid).toBe(`${appt.id}@127.0.0.1`);
    expect((first.event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString()).toBe(
      at("14:00", "2026-03-04"),
    );
    expect((first.event.getFirstPropertyValue("dtend") as ICAL.Time).toJSDate().toISOString()).toBe(
      at("14:45", "2026-03-04"),
    );
    expect(first.event.getFirstPropertyValue("sequence")).toBe(0);
    const attendees = first.event
      .getAllProperties("attendee")
      .map((p) => String(p.getFirstValue()).toLowerCase());
    expect(attendees).toHaveLength(3);
    expect(attendees).toContain(`mailto:${contact.email.toLowerCase()}`);
    expect(attendees).toContain(`mailto:${guest}`);
    expect((await mailsTo(guest, "activity.invitation")).length).toBe(1);

    // Moved by an hour: everyone gets SEQUENCE 1 with the same UID.
    await ok(agent, "PATCH", `/api/v1/activities/${appt.id}`, {
      startsAt: at("15:00", "2026-03-04"),
      endsAt: at("15:45", "2026-03-04"),
    });
    const moved = await icsOf(guest, "activity.invitation", 1);
    expect(moved.detail.subject).toMatch(/^Updated invitation/);
    expect(moved.event.getFirstPropertyValue("uid")).toBe(uid);
    expect(moved.event.getFirstPropertyValue("sequence")).toBe(1);
    expect((moved.event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString()).toBe(
      at("15:00", "2026-03-04"),
    );

    // A notes-free, time-free change (reminder) sends nothing.
    await ok(agent, "PATCH", `/api/v1/activities/${appt.id}`, { reminderMinutes: 30 });
    expect(await mailsTo(guest, "activity.invitation")).toHaveLength(2);

    await ok(agent, "PATCH", `/api/v1/activities/${appt.id}`, { status: "cancelled" });
    const cancel = await icsOf(guest, "activity.cancellation", 0);
    expect(cancel.cal.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(cancel.event.getFirstPropertyValue("uid")).toBe(uid);
    expect(cancel.event.getFirstPropertyValue("sequence")).toBe(2);
    expect(cancel.event.getFirstPropertyValue("status")).toBe("CANCELLED");
  });
});

describe("the calendar feed", () => {
  it("serves the user's activities at a secret URL; a bad, rotated or revoked token is a 404", async () => {
    const c = await newCase("Feed case");
    const p = await promise({ subject: "Feed promise", caseId: c.id, dueAt: at("16:00") }, sales);
    const created = await ok<{ url: string }>(sales, "POST", "/api/v1/me/calendar-feed");
    const path = new URL(created.url).pathname;
    expect(path).toMatch(/^\/api\/v1\/calendar-feed\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await t.app.inject({ method: "GET", url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(res.body));
    const event = cal
      .getAllSubcomponents("vevent")
      .find((e) => e.getFirstPropertyValue("uid") === `${p.id}@127.0.0.1`);
    expect(event?.getFirstPropertyValue("summary")).toBe("Promise: Feed promise");
    expect((event!.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString()).toBe(at("16:00"));
    // Only the owner's: the agent's promises are not in the sales user's feed.
    expect(
      cal
        .getAllSubcomponents("vevent")
        .every((e) => !String(e.getFirstPropertyValue("summary")).includes("Promise R1")),
    ).toBe(true);

    const settings = await ok<{ calendarFeed: { active: boolean } }>(
      sales,
      "GET",
      "/api/v1/me/activity-settings",
    );
    expect(settings.calendarFeed.active).toBe(true);

    for (const bad of [
      "/api/v1/calendar-feed/nope.ics",
      `${path.slice(0, -5)}x.ics`,
      path.replace(".ics", ".txt"),
    ]) {
      expect((await t.app.inject({ method: "GET", url: bad })).statusCode, bad).toBe(404);
    }
    const rotated = await ok<{ url: string }>(sales, "POST", "/api/v1/me/calendar-feed");
    expect((await t.app.inject({ method: "GET", url: path })).statusCode).toBe(404);
    const newPath = new URL(rotated.url).pathname;
    expect((await t.app.inject({ method: "GET", url: newPath })).statusCode).toBe(200);
    expect((await call(sales, "DELETE", "/api/v1/me/calendar-feed")).statusCode).toBe(204);
    expect((await t.app.inject({ method: "GET", url: newPath })).statusCode).toBe(404);
  });
});

describe("my day", () => {
  it("lists overdue and due-today work and breaching cases by due time, in the user's day", async () => {
    const me = await t.signInAs("agent");
    // A 24/7 calendar and a one-hour first response, so a case of theirs breaches today.
    const cal = await ok<{ id: string }>(lead, "POST", "/api/v1/calendars", {
      name: "Always",
      timeZone: "UTC",
      hours: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]),
      ),
    });
    const policy = await ok<{ id: string }>(lead, "POST", "/api/v1/sla-policies", {
      name: "One hour",
      calendarId: cal.id,
      order: 1,
      firstResponseMinutes: 150,
      resolutionMinutes: 6000,
    });
    const breaching = await ok<{ id: string; slaDueAt: string }>(me, "POST", "/api/v1/cases", {
      subject: "Breaching soon",
      contactId,
      ownerId: me.userId,
    });
    expect(breaching.slaDueAt).toBe(at("11:30"));
    await ok(lead, "PATCH", `/api/v1/sla-policies/${policy.id}`, { active: false });

    const task = (subject: string, dueAt?: string, s: Session = me) =>
      ok(s, "POST", "/api/v1/activities", { type: "task", subject, ...(dueAt ? { dueAt } : {}) });
    const overdue = await task("Overdue task", at("16:00", "2026-03-01"));
    const later = await promise({ subject: "Today's promise", contactId, dueAt: at("15:00") }, me);
    const appointment = await ok(me, "POST", "/api/v1/activities", {
      type: "appointment",
      subject: "Today's call with Acme",
      startsAt: at("13:00"),
      endsAt: at("13:30"),
    });
    const soon = await task("Due at ten", at("10:00"));
    await task("Tomorrow's task", at("10:00", "2026-03-03"));
    await task("No due time");
    await task("Someone else's task", at("10:00"), agent);
    const finished = await task("Finished today", at("09:30"));
    await ok(me, "PATCH", `/api/v1/activities/${finished.id}`, { status: "done" });

    const day = await ok<{
      date: string;
      items: { kind: string; state: string; at: string; activity?: Activity; case?: { id: string } }[];
      done: Activity[];
      counts: Record<string, number>;
    }>(me, "GET", "/api/v1/my-day");
    expect(day.date).toBe("2026-03-02");
    expect(day.items.map((i) => [i.kind, i.state, i.activity?.id ?? i.case?.id, i.at])).toEqual([
      ["activity", "overdue", overdue.id, at("16:00", "2026-03-01")],
      ["activity", "dueToday", soon.id, at("10:00")],
      ["case", "breachingSoon", breaching.id, at("11:30")],
      ["activity", "dueToday", appointment.id, at("13:00")],
      ["activity", "dueToday", later.id, at("15:00")],
    ]);
    expect(day.done.map((a) => a.id)).toEqual([finished.id]);
    expect(day.counts).toMatchObject({ overdue: 1, dueToday: 3, breachingSoon: 1 });
  });
});

describe("merging cases", () => {
  it("moves the duplicate's activities to the survivor", async () => {
    const survivor = await newCase("Survivor");
    const duplicate = await newCase("Duplicate");
    const p = await promise({ subject: "Promise on duplicate", caseId: duplicate.id, dueAt: at("17:00") });
    const task = await ok(agent, "POST", "/api/v1/activities", {
      type: "task",
      subject: "Task on duplicate",
      caseId: duplicate.id,
    });
    const res = await call(agent, "POST", `/api/v1/cases/${duplicate.id}/merge`, { intoId: survivor.id });
    expect(res.statusCode, res.body).toBe(200);
    expect((await getActivity(p.id)).caseId).toBe(survivor.id);
    expect((await getActivity(task.id)).caseId).toBe(survivor.id);
    // The promise now follows the survivor: a reply there keeps it.
    await ok(agent, "POST", `/api/v1/cases/${survivor.id}/messages`, {
      kind: "reply",
      body: "Merged; here you go.",
    });
    expect((await getActivity(p.id)).status).toBe("kept");
    // Planning on a merged case is refused, naming the field.
    const refused = await call(agent, "POST", "/api/v1/activities", {
      type: "task",
      subject: "x",
      caseId: duplicate.id,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe("/caseId");
  });
});

describe("reports and the account timeline", () => {
  it("counts promises made, kept, broken and open per owner and team, and overdue tasks", async () => {
    const day = "2026-03-03";
    t.c.clock.set(at("08:00", day));
    const c = await newCase("Report case");
    const keptOne = await promise({ subject: "Rep kept", caseId: c.id, dueAt: at("09:00", day) });
    await promise({ subject: "Rep broken", caseId: c.id, dueAt: at("08:30", day) });
    await promise({ subject: "Rep open", contactId, dueAt: at("18:00", day) }, colleague);
    await ok(agent, "PATCH", `/api/v1/activities/${keptOne.id}`, { status: "kept" });
    await ok(agent, "POST", "/api/v1/activities", {
      type: "task",
      subject: "Rep overdue",
      dueAt: at("08:10", day),
    });
    t.c.clock.set(at("10:00", day));
    await drain();
    const range = `from=${at("00:00", day)}&to=${at("23:59", day)}`;
    const byOwner = await ok<{
      rows: {
        ownerId: string;
        made: number;
        kept: number;
        broken: number;
        open: number;
        keptRate: number | null;
      }[];
      totals: { made: number; kept: number; broken: number; open: number; keptRate: number };
      overdueTasks: { ownerId: string; count: number }[];
    }>(lead, "GET", `/api/v1/reports/promises?${range}`);
    expect(byOwner.totals).toMatchObject({ made: 3, kept: 1, broken: 1, open: 1, keptRate: 50 });
    expect(byOwner.rows.find((r) => r.ownerId === agent.userId)).toMatchObject({
      made: 2,
      kept: 1,
      broken: 1,
      keptRate: 50,
    });
    expect(byOwner.rows.find((r) => r.ownerId === colleague.userId)).toMatchObject({
      made: 1,
      open: 1,
      keptRate: null,
    });
    expect(byOwner.overdueTasks.find((r) => r.ownerId === agent.userId)?.count).toBeGreaterThanOrEqual(1);
    const byTeam = await ok<{ rows: { teamId: string; made: number }[] }>(
      lead,
      "GET",
      `/api/v1/reports/promises?${range}&groupBy=team`,
    );
    expect(byTeam.rows).toHaveLength(1);
    expect(byTeam.rows[0]!.made).toBe(3);
    expect((await call(lead, "GET", `/api/v1/reports/promises?groupBy=planet`)).statusCode).toBe(400);

    const timeline = await ok<{ items: { type: string; entityId: string; data: Record<string, unknown> }[] }>(
      agent,
      "GET",
      `/api/v1/accounts/${accountId}/timeline?type=promise.kept&type=promise.broken&limit=200`,
    );
    expect(timeline.items.some((e) => e.type === "promise.kept" && e.entityId === keptOne.id)).toBe(true);
    expect(timeline.items.some((e) => e.type === "promise.broken" && e.data.subject === "Rep broken")).toBe(
      true,
    );
  });
});

describe("permissions", () => {
  it("every staff role plans and completes; only the owner, creator, managers and admins delete", async () => {
    const c = await newCase("Permissions case");
    const mine = await promise({ subject: "Sales promise", caseId: c.id, dueAt: at("17:00") }, sales);
    expect((await call(colleague, "DELETE", `/api/v1/activities/${mine.id}`)).statusCode).toBe(403);
    const task = await ok(agent, "POST", "/api/v1/activities", {
      type: "task",
      subject: "Shared task",
      ownerId: colleague.userId,
    });
    expect(task.ownerId).toBe(colleague.userId);
    await ok(colleague, "PATCH", `/api/v1/activities/${task.id}`, { status: "done" });
    expect((await call(colleague, "DELETE", `/api/v1/activities/${task.id}`)).statusCode).toBe(204);
    expect((await call(lead, "DELETE", `/api/v1/activities/${mine.id}`)).statusCode).toBe(204);
    expect((await call(agent, "GET", `/api/v1/activities/${mine.id}`)).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: "GET", url: "/api/v1/activities" });
    expect(anonymous.statusCode).toBe(401);
    // Portal contacts have no activities for now.
    const portal = contactActor(contactId, accountId);
    await expect(t.c.activities.list(portal, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(t.c.activities.myDay(portal)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      t.c.activities.create({ actor: portal }, { type: "task", subject: "Sneaky" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
