import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertAccount, insertContact } from "../../src/modules/cases/cases.fixtures.ts";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

/**
 * Surveys over HTTP with a fake clock (starts Monday 2026-03-02 09:00Z). Without a business
 * calendar the recovery task falls due at 17:00 UTC on a weekday.
 */

let t: TestApp;
let admin: Session;
let owner: Session;
let resolver: Session;
let sales: Session;
let teamId: string;
let accountId: string;

type Survey = {
  id: string;
  type: string;
  status: string;
  trigger: string;
  heldBackRule: string | null;
  contactId: string;
  caseId: string | null;
  teamId: string | null;
  resolvedById: string | null;
  score: number | null;
  comment: string | null;
  recoveryTaskId: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  answeredAt: string | null;
};
type Mail = { id: string; to: string; subject: string; text: string; purpose: string };

const DAY = 86_400_000;

async function req(s: Session, method: "GET" | "POST" | "PATCH", url: string, payload?: unknown) {
  return s.request({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}
async function ok<T>(
  s: Session,
  method: "GET" | "POST" | "PATCH",
  url: string,
  payload?: unknown,
  code?: number,
) {
  const res = await req(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(code ?? (method === "POST" ? 201 : 200));
  return res.json() as T;
}
const drain = () => drainWork(t.c);

async function newContact(name = "Ada") {
  return insertContact(t.c.db.kysely, accountId, `${name} ${Math.random().toString(36).slice(2, 7)}`);
}
async function newCase(contactId: string, extra: Record<string, unknown> = {}) {
  return ok<{ id: string; number: string }>(owner, "POST", "/api/v1/cases", {
    subject: "Invoices do not export",
    contactId,
    ownerId: owner.userId,
    teamId,
    ...extra,
  });
}
const resolve = (caseId: string, s: Session = resolver) =>
  ok(s, "PATCH", `/api/v1/cases/${caseId}`, { status: "resolved" });
const surveysOf = async (q: string) =>
  (await ok<{ items: Survey[] }>(admin, "GET", `/api/v1/surveys?${q}`)).items;
async function mailsTo(contactId: string): Promise<Mail[]> {
  const c = await t.c.db.kysely
    .selectFrom("contacts")
    .select("email")
    .where("id", "=", contactId)
    .executeTakeFirstOrThrow();
  const list = await ok<{ items: { id: string; purpose: string }[] }>(
    admin,
    "GET",
    `/api/v1/dev-mailbox?to=${encodeURIComponent(c.email)}`,
  );
  const surveys = list.items.filter((m) => m.purpose.startsWith("survey."));
  return Promise.all(surveys.map((m) => ok<Mail>(admin, "GET", `/api/v1/dev-mailbox/${m.id}`)));
}
function links(mail: Mail): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of mail.text.matchAll(/^(\d+): (\S+)$/gm)) out.set(Number(m[1]), m[2]!);
  return out;
}
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
const click = (url: string) => t.app.inject({ method: "GET", url: pathOf(url) });
const tokenOf = (url: string) => new URL(url).pathname.split("/")[2]!;
/** Moves the clock, signing everyone in again (sessions last a week). */
async function jump(ms: number) {
  t.c.clock.advance(ms);
  admin = await t.signIn("admin@surveys.test", TEST_PASSWORD);
  owner = await t.signIn("owner@surveys.test", TEST_PASSWORD);
  resolver = await t.signIn("resolver@surveys.test", TEST_PASSWORD);
  sales = await t.signIn("sales@surveys.test", TEST_PASSWORD);
}
const setSettings = (patch: Record<string, unknown>) => ok(admin, "PATCH", "/api/v1/survey-settings", patch);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin", "admin@surveys.test");
  owner = await t.signInAs("agent", "owner@surveys.test");
  resolver = await t.signInAs("agent", "resolver@surveys.test");
  sales = await t.signInAs("sales", "sales@surveys.test");
  teamId = (await ok<{ id: string }>(admin, "POST", "/api/v1/teams", { name: "Billing" })).id;
});
afterAll(() => t.close());
beforeEach(async () => {
  // Each test starts from the defaults, with fatigue off unless it tests fatigue.
  admin = await t.signIn("admin@surveys.test", TEST_PASSWORD);
  await setSettings({
    csatEnabled: true,
    csatDelayMinutes: 1440,
    useCes: false,
    npsEnabled: false,
    npsIntervalDays: 90,
    answerWindowDays: 28,
    contactFatigueDays: 0,
    accountFatigueDays: 0,
  });
  t.c.surveys.setEscalationCheck(undefined);
  t.c.surveys.setIncidentCheck(undefined);
  // Tests move the clock by weeks: fresh sessions (same users), and a fresh account so
  // account-wide fatigue never reaches across tests.
  await jump(DAY);
  accountId = await insertAccount(t.c.db.kysely, "Acme");
});

describe("settings", () => {
  it("are read by staff, changed by admins, and checked", async () => {
    const s = await ok<Record<string, unknown>>(sales, "GET", "/api/v1/survey-settings");
    expect(s).toMatchObject({ csatDelayMinutes: 1440, answerWindowDays: 28, npsIntervalDays: 90 });
    expect((await req(owner, "PATCH", "/api/v1/survey-settings", { useCes: true })).statusCode).toBe(403);
    const bad = await req(admin, "PATCH", "/api/v1/survey-settings", { answerWindowDays: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/answerWindowDays");
    const unknown = await req(admin, "PATCH", "/api/v1/survey-settings", { delay: 3 });
    expect(unknown.statusCode).toBe(400);
  });
});

describe("CSAT after resolution", () => {
  it("goes out at the delay, attributed to whoever resolved the case", async () => {
    const contactId = await newContact();
    const kase = await newCase(contactId);
    await resolve(kase.id);
    // Someone else touches the case afterwards: attribution stays with the resolver.
    await ok(admin, "POST", `/api/v1/cases/${kase.id}/messages`, { body: "Closing note", kind: "note" });
    t.c.clock.advance(1440 * 60_000 - 1);
    await drain();
    expect(await surveysOf(`caseId=${kase.id}`)).toEqual([]);
    t.c.clock.advance(1);
    await drain();
    const [survey] = await surveysOf(`caseId=${kase.id}`);
    expect(survey).toMatchObject({
      type: "csat",
      status: "sent",
      trigger: "resolution",
      contactId,
      resolvedById: resolver.userId,
      teamId,
    });
    expect(new Date(survey!.expiresAt!).getTime() - new Date(survey!.sentAt!).getTime()).toBe(28 * DAY);
    const [mail] = await mailsTo(contactId);
    expect(mail!.purpose).toBe("survey.csat");
    expect([...links(mail!).keys()]).toEqual([1, 2, 3, 4, 5]);
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    const sent = events.find((e) => e.type === "survey.sent" && e.entityId === survey!.id);
    expect(sent).toMatchObject({
      accountId,
      data: { surveyId: survey!.id, caseId: kase.id, resolvedById: resolver.userId },
    });
  });

  it("asks CES instead when set", async () => {
    await setSettings({ useCes: true, csatDelayMinutes: 60 });
    const contactId = await newContact();
    const kase = await newCase(contactId);
    await resolve(kase.id);
    t.c.clock.advance(60 * 60_000);
    await drain();
    const [survey] = await surveysOf(`caseId=${kase.id}`);
    expect(survey!.type).toBe("ces");
    expect([...links((await mailsTo(contactId))[0]!).keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("is not sent for a case reopened before the timer fired", async () => {
    const contactId = await newContact();
    const kase = await newCase(contactId);
    await resolve(kase.id);
    t.c.clock.advance(60 * 60_000);
    await ok(owner, "PATCH", `/api/v1/cases/${kase.id}`, { status: "open" });
    await jump(2 * DAY);
    await drain();
    expect(await surveysOf(`caseId=${kase.id}`)).toEqual([]);
    expect(await mailsTo(contactId)).toEqual([]);
  });

  it("is not sent for merged cases", async () => {
    const contactId = await newContact();
    const dup = await newCase(contactId);
    const survivor = await newCase(contactId);
    await ok(owner, "POST", `/api/v1/cases/${dup.id}/merge`, { intoId: survivor.id }, 200);
    await jump(2 * DAY);
    await drain();
    expect(await surveysOf(`caseId=${dup.id}`)).toEqual([]);
  });

  it("is not sent for cases closed as spam", async () => {
    const contactId = await newContact();
    const spam = await newCase(contactId, { tags: ["spam"] });
    await resolve(spam.id);
    // Resolved first, marked spam while the timer waits.
    const later = await newCase(contactId);
    await resolve(later.id);
    await ok(owner, "PATCH", `/api/v1/cases/${later.id}`, { tags: ["spam"] });
    await jump(2 * DAY);
    await drain();
    expect(await surveysOf(`caseId=${spam.id}`)).toEqual([]);
    expect(await surveysOf(`caseId=${later.id}`)).toEqual([]);
  });
});

describe("answering from the email", () => {
  async function sentSurvey(type = "csat") {
    const contactId = await newContact();
    const kase = await newCase(contactId);
    await resolve(kase.id);
    const survey = await ok<Survey>(owner, "POST", "/api/v1/surveys", { type, contactId, caseId: kase.id });
    const [mail] = await mailsTo(contactId);
    return { contactId, kase, survey, links: links(mail!) };
  }

  it("takes one click, once, then one comment, once", async () => {
    const { survey, links: l } = await sentSurvey();
    const first = await click(l.get(5)!);
    expect(first.statusCode).toBe(200);
    expect(first.headers["content-type"]).toContain("text/html");
    expect(first.body).toContain("Thank you for your answer");
    expect(first.body).toContain('<label for="comment">');
    // Another link of the same email: refused, the first answer stands.
    const second = await click(l.get(1)!);
    expect(second.statusCode).toBe(409);
    let read = await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`);
    expect(read).toMatchObject({ status: "answered", score: 5, recoveryTaskId: null });
    const token = tokenOf(l.get(5)!);
    const comment = await t.app.inject({
      method: "POST",
      url: `/s/${token}/comment`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "comment=Quick+and+kind%21",
    });
    expect(comment.statusCode, comment.body).toBe(200);
    const again = await t.app.inject({
      method: "POST",
      url: `/s/${token}/comment`,
      payload: { comment: "More" },
    });
    expect(again.statusCode).toBe(409);
    read = await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`);
    expect(read.comment).toBe("Quick and kind!");
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    expect(events.filter((e) => e.type === "survey.answered" && e.entityId === survey.id)).toHaveLength(1);
  });

  it("refuses scores off the scale and unknown tokens", async () => {
    const { survey, links: l } = await sentSurvey();
    const token = tokenOf(l.get(1)!);
    expect((await t.app.inject({ method: "GET", url: `/s/${token}?score=6` })).statusCode).toBe(400);
    expect((await t.app.inject({ method: "GET", url: `/s/${token}?score=x` })).statusCode).toBe(400);
    expect((await t.app.inject({ method: "GET", url: `/s/not-a-token?score=3` })).statusCode).toBe(404);
    expect((await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`)).status).toBe("sent");
  });

  it("expires with the answer window", async () => {
    const { survey, links: l } = await sentSurvey();
    await jump(28 * DAY);
    const res = await click(l.get(4)!);
    expect(res.statusCode).toBe(410);
    expect((await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`)).status).toBe("expired");
    expect((await surveysOf("status=expired")).map((s) => s.id)).toContain(survey.id);
  });

  it("a low score opens a recovery task for the case owner, due at the end of the business day", async () => {
    const { kase, survey, links: l } = await sentSurvey();
    // Tuesday 10:00 UTC of some week: due the same day at 17:00.
    const now = t.c.clock.now();
    const daysToTue = (9 - now.getUTCDay()) % 7 || 7;
    const tue = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysToTue, 10));
    t.c.clock.set(tue);
    const res = await click(l.get(2)!);
    expect(res.statusCode).toBe(200);
    const read = await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`);
    expect(read.recoveryTaskId).not.toBeNull();
    const task = await ok<{ type: string; ownerId: string; caseId: string; dueAt: string; status: string }>(
      admin,
      "GET",
      `/api/v1/activities/${read.recoveryTaskId}`,
    );
    expect(task).toMatchObject({ type: "task", ownerId: owner.userId, caseId: kase.id, status: "open" });
    expect(task.dueAt).toBe(new Date(tue.getTime() + 7 * 3_600_000).toISOString());
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    const answered = events.find((e) => e.type === "survey.answered" && e.entityId === survey.id);
    expect(answered).toMatchObject({
      accountId,
      data: {
        surveyId: survey.id,
        type: "csat",
        score: 2,
        caseId: kase.id,
        resolvedById: resolver.userId,
        teamId,
      },
    });
  });

  it.each([
    ["csat", 3],
    ["nps", 7],
    ["ces", 4],
  ])("%s %i opens no recovery task", async (type, score) => {
    const { survey, links: l } = await sentSurvey(type);
    expect((await click(l.get(score)!)).statusCode).toBe(200);
    expect((await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`)).recoveryTaskId).toBeNull();
  });

  it.each([
    ["nps", 6],
    ["ces", 3],
  ])("%s %i opens one", async (type, score) => {
    const { survey, links: l } = await sentSurvey(type);
    expect((await click(l.get(score)!)).statusCode).toBe(200);
    expect((await ok<Survey>(admin, "GET", `/api/v1/surveys/${survey.id}`)).recoveryTaskId).not.toBeNull();
  });
});

describe("fatigue rules", () => {
  async function heldBack(body: Record<string, unknown>, rule: string) {
    const res = await req(owner, "POST", "/api/v1/surveys", body);
    expect(res.statusCode, res.body).toBe(422);
    const problem = res.json();
    expect(problem.rule).toBe(rule);
    expect(problem.detail).toContain(rule);
    const held = await ok<Survey>(admin, "GET", `/api/v1/surveys/${problem.surveyId}`);
    expect(held).toMatchObject({ status: "held_back", heldBackRule: rule, sentAt: null });
    return held;
  }

  it("one survey per contact per N days", async () => {
    await setSettings({ contactFatigueDays: 14 });
    const contactId = await newContact();
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId });
    await jump(14 * DAY - 1);
    await heldBack({ type: "ces", contactId }, "contact_fatigue");
    expect(await mailsTo(contactId)).toHaveLength(1);
    t.c.clock.advance(1);
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId });
  });

  it("one survey per account per M days", async () => {
    await setSettings({ accountFatigueDays: 7 });
    const a = await newContact("Ann");
    const b = await newContact("Bob");
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId: a });
    await jump(6 * DAY);
    await heldBack({ type: "csat", contactId: b }, "account_fatigue");
    t.c.clock.advance(DAY);
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId: b });
  });

  it("NPS at most once per interval; other surveys still go", async () => {
    const contactId = await newContact();
    await ok(owner, "POST", "/api/v1/surveys", { type: "nps", contactId });
    await jump(89 * DAY);
    await heldBack({ type: "nps", contactId }, "nps_interval");
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId });
    t.c.clock.advance(DAY);
    await ok(owner, "POST", "/api/v1/surveys", { type: "nps", contactId });
  });

  it("none while the contact has an open escalation", async () => {
    const contactId = await newContact();
    const other = await newContact();
    t.c.surveys.setEscalationCheck(async (_db, id) => id === contactId);
    await heldBack({ type: "csat", contactId }, "open_escalation");
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId: other });
  });

  it("none while the contact's case is escalated (the real escalations module)", async () => {
    t.c.surveys.setEscalationCheck((db, id) => t.c.escalations.hasOpenForContact(db, id));
    const contactId = await newContact();
    const kase = await newCase(contactId);
    await ok(owner, "POST", `/api/v1/cases/${kase.id}/escalations`, { reason: "Third outage this month" });
    await heldBack({ type: "csat", contactId, caseId: kase.id }, "open_escalation");
  });

  it("none while the contact's account is affected by an open service incident", async () => {
    const contactId = await newContact();
    t.c.surveys.setIncidentCheck(async (_db, id) => id === accountId);
    await heldBack({ type: "nps", contactId }, "open_incident");
    const elsewhere = await insertAccount(t.c.db.kysely, "Unaffected");
    const other = await insertContact(t.c.db.kysely, elsewhere, "Olga Other");
    await ok(owner, "POST", "/api/v1/surveys", { type: "nps", contactId: other });
  });

  it("none while an open incident affects the account (the real incidents module), again once it is resolved", async () => {
    t.c.surveys.setIncidentCheck((db, id) => t.c.incidents.affectsAccount(db, id));
    const contactId = await newContact();
    const incident = await ok<{ id: string }>(owner, "POST", "/api/v1/incidents", {
      title: "Invoices not generated",
      impact: "major",
      affects: { accountIds: [accountId] },
      notify: false,
    });
    await heldBack({ type: "csat", contactId }, "open_incident");
    await ok(owner, "POST", `/api/v1/incidents/${incident.id}/updates`, {
      status: "resolved",
      message: "Invoices are generated again.",
      notify: false,
    });
    await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId });
  });

  it("holds back automatic sends too, recording the rule and the event", async () => {
    await setSettings({ contactFatigueDays: 30, csatDelayMinutes: 0 });
    const contactId = await newContact();
    await ok(owner, "POST", "/api/v1/surveys", { type: "nps", contactId });
    const kase = await newCase(contactId);
    await resolve(kase.id);
    await drain();
    const [held] = await surveysOf(`caseId=${kase.id}`);
    expect(held).toMatchObject({
      status: "held_back",
      heldBackRule: "contact_fatigue",
      trigger: "resolution",
    });
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    expect(events.find((e) => e.type === "survey.held_back" && e.entityId === held!.id)?.data.rule).toBe(
      "contact_fatigue",
    );
  });
});

describe("manual sends", () => {
  it("check the input and the role", async () => {
    const contactId = await newContact();
    const bad = await req(owner, "POST", "/api/v1/surveys", { type: "xyz", contactId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/type");
    const missing = await req(owner, "POST", "/api/v1/surveys", {
      type: "csat",
      contactId: "0190c6a0-0000-7000-8000-000000000000",
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe("/contactId");
    expect((await req(sales, "POST", "/api/v1/surveys", { type: "csat", contactId })).statusCode).toBe(403);
    const otherAccount = await insertAccount(t.c.db.kysely, "Other");
    const stranger = await insertContact(t.c.db.kysely, otherAccount, "Stranger");
    const kase = await newCase(stranger);
    const wrong = await req(owner, "POST", "/api/v1/surveys", { type: "csat", contactId, caseId: kase.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe("/caseId");
  });
});

describe("NPS schedule", () => {
  it("sweeps contacts with cases once per interval", async () => {
    const contactId = await newContact();
    await newCase(contactId);
    const quiet = await newContact("Quiet");
    await setSettings({ npsEnabled: true });
    await drain();
    const sent = await surveysOf(`contactId=${contactId}&type=nps`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.trigger).toBe("schedule");
    expect(await surveysOf(`contactId=${quiet}`)).toEqual([]);
    t.c.clock.advance(DAY);
    await drain();
    expect(await surveysOf(`contactId=${contactId}&type=nps`)).toHaveLength(1);
    await jump(90 * DAY);
    await drain();
    expect(await surveysOf(`contactId=${contactId}&type=nps`)).toHaveLength(2);
    await setSettings({ npsEnabled: false });
  });
});

describe("results", () => {
  it("by agent and by week, with n and intervals", async () => {
    const from = t.c.clock.now();
    const answer = async (score: number, by: Session) => {
      const contactId = await newContact();
      const kase = await newCase(contactId);
      await resolve(kase.id, by);
      await ok(owner, "POST", "/api/v1/surveys", { type: "csat", contactId, caseId: kase.id });
      const l = links((await mailsTo(contactId))[0]!);
      expect((await click(l.get(score)!)).statusCode).toBe(200);
    };
    await answer(5, resolver);
    await answer(4, resolver);
    await answer(3, resolver);
    await answer(1, owner);
    await jump(7 * DAY);
    await answer(5, owner);
    const to = new Date(t.c.clock.now().getTime() + 1000);
    const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const byAgent = await ok<{
      totals: {
        csat: { value: number; n: number; interval: { low: number; high: number }; smallSample: boolean };
      };
      groups: { key: string; csat: { value: number; n: number } }[];
    }>(admin, "GET", `/api/v1/reports/satisfaction?${q}&groupBy=agent`);
    expect(byAgent.totals.csat).toMatchObject({
      value: 60,
      n: 5,
      smallSample: true,
      interval: { low: 23.1, high: 88.2 },
    });
    expect(byAgent.groups.find((g) => g.key === resolver.userId)!.csat).toMatchObject({ value: 66.7, n: 3 });
    expect(byAgent.groups.find((g) => g.key === owner.userId)!.csat).toMatchObject({ value: 50, n: 2 });
    const byWeek = await ok<{ groups: { key: string; csat: { n: number } }[] }>(
      admin,
      "GET",
      `/api/v1/reports/satisfaction?${q}&groupBy=week`,
    );
    expect(byWeek.groups.map((g) => g.csat.n).filter((n) => n > 0)).toEqual([4, 1]);
    const bad = await req(
      admin,
      "GET",
      `/api/v1/reports/satisfaction?from=${to.toISOString()}&to=${from.toISOString()}`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/from");
  });
});
