import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** The Customer Council over HTTP. The test clock starts Monday 2026-03-02 09:00Z. */

let t: TestApp;
let admin: Session;
let sales: Session;
let agent: Session;
let big: { account: string; contact: string };
let mid: { account: string; contact: string };
let councilId: string;

async function req(s: Session, method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: unknown) {
  return s.request({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}
async function ok<T>(
  s: Session,
  method: "GET" | "POST" | "PATCH" | "PUT",
  url: string,
  payload?: unknown,
  code?: number,
) {
  const res = await req(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(code ?? (method === "POST" ? 201 : 200));
  return res.json() as T;
}
let n = 0;
async function customer(annualRevenue: number) {
  const account = (
    await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: `Council Co ${++n}`, annualRevenue })
  ).id;
  const contact = (
    await ok<{ id: string }>(admin, "POST", "/api/v1/contacts", {
      accountId: account,
      name: `Member ${n}`,
      email: `member${n}@council.test`,
    })
  ).id;
  return { account, contact };
}
async function mailsTo(email: string, purpose: string) {
  const list = await ok<{ items: { id: string }[] }>(
    admin,
    "GET",
    `/api/v1/dev-mailbox?to=${encodeURIComponent(email)}&purpose=${purpose}`,
  );
  return Promise.all(
    list.items.map((m) =>
      ok<{ subject: string; attachments: { filename: string; contentType: string }[] }>(
        admin,
        "GET",
        `/api/v1/dev-mailbox/${m.id}`,
      ),
    ),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  sales = await t.signInAs("sales");
  agent = await t.signInAs("agent");
  big = await customer(5_000_000);
  mid = await customer(200_000);
  await customer(1_000);
});
afterAll(() => t.close());

describe("councils", () => {
  it("are set up by managers and sales with a valid schedule", async () => {
    const body = {
      name: "Customer Council",
      timeZone: "Europe/London",
      rrule: "FREQ=WEEKLY;BYDAY=TU",
      start: "2026-03-17T15:00",
    };
    expect((await req(agent, "POST", "/api/v1/councils", body)).statusCode).toBe(403);
    const bad = await req(sales, "POST", "/api/v1/councils", { ...body, rrule: "FREQ=NEVER" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/rrule");
    const zone = await req(sales, "POST", "/api/v1/councils", { ...body, timeZone: "Nowhere/City" });
    expect(zone.json().errors[0].path).toBe("/timeZone");
    const council = await ok<{ id: string; durationMinutes: number }>(sales, "POST", "/api/v1/councils", {
      ...body,
      location: "Video call",
    });
    expect(council.durationMinutes).toBe(60);
    councilId = council.id;
  });

  it("expands its schedule in its zone across the DST change", async () => {
    const occ = await ok<{ items: { startsAt: string; local: string }[] }>(
      agent,
      "GET",
      `/api/v1/councils/${councilId}/occurrences?from=2026-03-01T00:00:00Z&to=2026-04-08T00:00:00Z`,
    );
    expect(occ.items.map((o) => o.startsAt)).toEqual([
      "2026-03-17T15:00:00.000Z",
      "2026-03-24T15:00:00.000Z",
      "2026-03-31T14:00:00.000Z",
      "2026-04-07T14:00:00.000Z",
    ]);
    expect(new Set(occ.items.map((o) => o.local.slice(11)))).toEqual(new Set(["15:00"]));
  });

  it("suggests key accounts' contacts by revenue, and takes members once", async () => {
    const suggested = await ok<{ items: { contactId: string; tier: string }[] }>(
      sales,
      "GET",
      `/api/v1/councils/${councilId}/suggested-members`,
    );
    expect(suggested.items[0]!.contactId).toBe(big.contact);
    expect(suggested.items[0]!.tier).toBe("key");
    await ok(sales, "POST", `/api/v1/councils/${councilId}/members`, { contactId: big.contact });
    const members = await ok<{ items: { contactId: string }[] }>(
      sales,
      "POST",
      `/api/v1/councils/${councilId}/members`,
      {
        contactId: mid.contact,
      },
    );
    expect(members.items.map((m) => m.contactId)).toEqual([big.contact, mid.contact]);
    expect(
      (await req(sales, "POST", `/api/v1/councils/${councilId}/members`, { contactId: big.contact }))
        .statusCode,
    ).toBe(422);
    const after = await ok<{ items: { contactId: string }[] }>(
      sales,
      "GET",
      `/api/v1/councils/${councilId}/suggested-members`,
    );
    expect(after.items.map((m) => m.contactId)).not.toContain(big.contact);
    // One contact per account: a colleague at a member's account is not suggested.
    await ok(admin, "POST", "/api/v1/contacts", {
      accountId: big.account,
      name: "Colleague",
      email: "colleague@council.test",
    });
    const again = await ok<{ items: { accountId: string }[] }>(
      sales,
      "GET",
      `/api/v1/councils/${councilId}/suggested-members`,
    );
    expect(again.items.map((m) => m.accountId)).not.toContain(big.account);
  });

  it("schedules meetings at occurrences and invites every member with an .ics", async () => {
    const first = await ok<{ id: string; startsAt: string }>(
      sales,
      "POST",
      `/api/v1/councils/${councilId}/meetings`,
      {},
    );
    expect(first.startsAt).toBe("2026-03-17T15:00:00.000Z");
    const second = await ok<{ startsAt: string }>(
      sales,
      "POST",
      `/api/v1/councils/${councilId}/meetings`,
      {},
    );
    expect(second.startsAt).toBe("2026-03-24T15:00:00.000Z");
    const summer = await ok<{ startsAt: string; endsAt: string }>(
      sales,
      "POST",
      `/api/v1/councils/${councilId}/meetings`,
      {
        startsAt: "2026-03-31T14:00:00Z",
      },
    );
    expect(summer.endsAt).toBe("2026-03-31T15:00:00.000Z");
    const off = await req(sales, "POST", `/api/v1/councils/${councilId}/meetings`, {
      startsAt: "2026-03-31T15:00:00Z",
    });
    expect(off.statusCode).toBe(400);
    expect(off.json().errors[0].path).toBe("/startsAt");
    const again = await req(sales, "POST", `/api/v1/councils/${councilId}/meetings`, {
      startsAt: "2026-03-17T15:00:00Z",
    });
    expect(again.statusCode).toBe(422);
    await drainWork(t.c);
    for (const m of [big, mid]) {
      const c = await t.c.db.kysely
        .selectFrom("contacts")
        .select("email")
        .where("id", "=", m.contact)
        .executeTakeFirstOrThrow();
      const mails = await mailsTo(c.email, "council.invitation");
      expect(mails).toHaveLength(3);
      expect(mails[0]!.attachments[0]).toMatchObject({ filename: "invite.ics" });
      expect(mails[0]!.attachments[0]!.contentType).toContain("method=REQUEST");
    }
  });

  it("keeps agenda, minutes, action items and attendance of a meeting", async () => {
    const council = await ok<{ meetings: { id: string }[] }>(agent, "GET", `/api/v1/councils/${councilId}`);
    const meetingId = council.meetings[0]!.id;
    const idea = await ok<{ id: string }>(agent, "POST", "/api/v1/feedback", {
      kind: "idea",
      title: "Bulk export",
      accountId: big.account,
    });
    const agenda = await ok<{ items: { title: string; feedbackItemId: string | null; position: number }[] }>(
      sales,
      "POST",
      `/api/v1/council-meetings/${meetingId}/agenda`,
      { feedbackItemId: idea.id },
    );
    expect(agenda.items).toEqual([
      expect.objectContaining({ title: "Bulk export", feedbackItemId: idea.id, position: 1 }),
    ]);
    await ok(sales, "POST", `/api/v1/council-meetings/${meetingId}/agenda`, { title: "Roadmap" });
    const empty = await req(sales, "POST", `/api/v1/council-meetings/${meetingId}/agenda`, {});
    expect(empty.json().errors[0].path).toBe("/title");

    const task = await ok<{ activityId: string }>(
      sales,
      "POST",
      `/api/v1/council-meetings/${meetingId}/actions`,
      {
        kind: "task",
        title: "Send the export spec to members",
        dueAt: "2026-03-20T17:00:00Z",
      },
    );
    const activity = await ok<{ type: string; subject: string; ownerId: string }>(
      agent,
      "GET",
      `/api/v1/activities/${task.activityId}`,
    );
    expect(activity).toMatchObject({
      type: "task",
      subject: "Send the export spec to members",
      ownerId: sales.userId,
    });
    const fb = await ok<{ feedbackItemId: string }>(
      sales,
      "POST",
      `/api/v1/council-meetings/${meetingId}/actions`,
      {
        kind: "feedback",
        feedbackKind: "complaint",
        title: "Invoices are hard to read",
        contactId: mid.contact,
      },
    );
    const item = await ok<{ source: string; kind: string; accountId: string }>(
      agent,
      "GET",
      `/api/v1/feedback/${fb.feedbackItemId}`,
    );
    expect(item).toMatchObject({ source: "council", kind: "complaint", accountId: mid.account });

    await ok(sales, "PUT", `/api/v1/council-meetings/${meetingId}/attendance`, {
      contactId: big.contact,
      attended: true,
    });
    await ok(sales, "PUT", `/api/v1/council-meetings/${meetingId}/attendance`, {
      contactId: mid.contact,
      attended: false,
    });
    const stranger = await customer(5);
    const notMember = await req(sales, "PUT", `/api/v1/council-meetings/${meetingId}/attendance`, {
      contactId: stranger.contact,
      attended: true,
    });
    expect(notMember.statusCode).toBe(400);
    expect(notMember.json().errors[0].path).toBe("/contactId");
    await ok(sales, "PATCH", `/api/v1/council-meetings/${meetingId}`, {
      minutes: "Agreed on bulk export.",
      status: "held",
    });

    const meeting = await ok<{
      minutes: string;
      status: string;
      agenda: unknown[];
      actions: unknown[];
      attendance: { contactId: string; attended: boolean | null }[];
    }>(agent, "GET", `/api/v1/council-meetings/${meetingId}`);
    expect(meeting).toMatchObject({ minutes: "Agreed on bulk export.", status: "held" });
    expect(meeting.agenda).toHaveLength(2);
    expect(meeting.actions).toHaveLength(2);
    expect(Object.fromEntries(meeting.attendance.map((a) => [a.contactId, a.attended]))).toEqual({
      [big.contact]: true,
      [mid.contact]: false,
    });
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    const recorded = events.filter((e) => e.type === "council.attendance_recorded");
    expect(recorded.map((e) => [e.accountId, e.data])).toEqual([
      [big.account, { meetingId, councilId, contactId: big.contact, attended: true }],
      [mid.account, { meetingId, councilId, contactId: mid.contact, attended: false }],
    ]);
  });

  it("cancelling a meeting sends members a CANCEL", async () => {
    const council = await ok<{ meetings: { id: string; status: string }[] }>(
      agent,
      "GET",
      `/api/v1/councils/${councilId}`,
    );
    const meeting = council.meetings.find((m) => m.status === "scheduled")!;
    await ok(sales, "PATCH", `/api/v1/council-meetings/${meeting.id}`, { status: "cancelled" });
    await drainWork(t.c);
    const c = await t.c.db.kysely
      .selectFrom("contacts")
      .select("email")
      .where("id", "=", big.contact)
      .executeTakeFirstOrThrow();
    const cancels = await mailsTo(c.email, "council.cancellation");
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.attachments[0]!.contentType).toContain("method=CANCEL");
    const back = await req(sales, "PATCH", `/api/v1/council-meetings/${meeting.id}`, { status: "scheduled" });
    expect(back.statusCode).toBe(422);
  });
});
