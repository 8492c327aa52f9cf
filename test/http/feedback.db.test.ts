import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** Feedback items over HTTP: from surveys and cases, votes with revenue, closing the loop. */

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;

type Item = {
  id: string;
  kind: string;
  source: string;
  title: string;
  body: string | null;
  status: string;
  accountId: string | null;
  contactId: string | null;
  caseId: string | null;
  surveyId: string | null;
  votes: number;
  revenue: number;
  loopClosedAt: string | null;
};

async function req(s: Session, method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: unknown) {
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
let n = 0;
async function account(annualRevenue: number) {
  return (
    await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: `Account ${++n}`, annualRevenue })
  ).id;
}
async function contact(accountId: string) {
  const name = `Person ${++n}`;
  return (
    await ok<{ id: string; email: string }>(admin, "POST", "/api/v1/contacts", {
      accountId,
      name,
      email: `person${n}@feedback.test`,
    })
  ).id;
}
async function loopMails(contactId: string) {
  const c = await t.c.db.kysely
    .selectFrom("contacts")
    .select("email")
    .where("id", "=", contactId)
    .executeTakeFirstOrThrow();
  const list = await ok<{ items: { purpose: string }[] }>(
    admin,
    "GET",
    `/api/v1/dev-mailbox?to=${encodeURIComponent(c.email)}&purpose=feedback.loop_closed`,
  );
  return list.items.length;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
});
afterAll(() => t.close());

describe("feedback items", () => {
  it("are made from a survey comment, once, carrying its customer and case", async () => {
    const acc = await account(50_000);
    const ct = await contact(acc);
    const kase = await ok<{ id: string }>(agent, "POST", "/api/v1/cases", {
      subject: "Export broken",
      contactId: ct,
    });
    const survey = await ok<{ id: string }>(agent, "POST", "/api/v1/surveys", {
      type: "csat",
      contactId: ct,
      caseId: kase.id,
    });
    // Answer and comment through the survey service (the HTTP links are tested in surveys.db.test.ts).
    await t.c.db.kysely
      .updateTable("surveys")
      .set({
        status: "answered",
        score: 2,
        comment: "The export still fails on Mondays",
        answered_at: t.c.clock.now(),
      })
      .where("id", "=", survey.id)
      .execute();
    const item = await ok<Item>(agent, "POST", "/api/v1/feedback", {
      kind: "complaint",
      title: "Exports fail on Mondays",
      surveyId: survey.id,
    });
    expect(item).toMatchObject({
      source: "survey",
      body: "The export still fails on Mondays",
      accountId: acc,
      contactId: ct,
      caseId: kase.id,
      surveyId: survey.id,
      status: "new",
      votes: 1,
      revenue: 50_000,
    });
    const linked = await ok<{ feedbackItemId: string }>(admin, "GET", `/api/v1/surveys/${survey.id}`);
    expect(linked.feedbackItemId).toBe(item.id);
    const again = await req(agent, "POST", "/api/v1/feedback", {
      kind: "complaint",
      title: "Again",
      surveyId: survey.id,
    });
    expect(again.statusCode).toBe(422);
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    expect(events.find((e) => e.type === "feedback.created" && e.entityId === item.id)).toMatchObject({
      accountId: acc,
      data: { kind: "complaint", source: "survey" },
    });
  });

  it("are made from a case, and check their parties", async () => {
    const acc = await account(10_000);
    const ct = await contact(acc);
    const kase = await ok<{ id: string }>(agent, "POST", "/api/v1/cases", { subject: "Idea", contactId: ct });
    const item = await ok<Item>(agent, "POST", "/api/v1/feedback", {
      kind: "idea",
      title: "Dark mode",
      caseId: kase.id,
    });
    expect(item).toMatchObject({ source: "case", accountId: acc, contactId: ct, caseId: kase.id });
    // The case panel lists the feedback recorded from that case alone.
    const elsewhere = await ok<{ id: string }>(agent, "POST", "/api/v1/cases", {
      subject: "Other",
      contactId: ct,
    });
    await ok<Item>(agent, "POST", "/api/v1/feedback", {
      kind: "praise",
      title: "Quick",
      caseId: elsewhere.id,
    });
    const fromCase = await ok<{ items: Item[] }>(agent, "GET", `/api/v1/feedback?caseId=${kase.id}`);
    expect(fromCase.items.map((i) => i.title)).toEqual(["Dark mode"]);
    const other = await account(1);
    const bad = await req(agent, "POST", "/api/v1/feedback", {
      kind: "idea",
      title: "X",
      accountId: other,
      contactId: ct,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/contactId");
    const kind = await req(agent, "POST", "/api/v1/feedback", { kind: "wish", title: "X" });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().errors[0].path).toBe("/kind");
    const blank = await req(agent, "POST", "/api/v1/feedback", { kind: "idea", title: "   " });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].path).toBe("/title");
  });

  it("sum the revenue of the accounts that vote, and sort and filter the board", async () => {
    const big = await account(900_000);
    const mid = await account(300_000);
    const small = await account(20_000);
    const tag = `board${Date.now()}`;
    const a = await ok<Item>(agent, "POST", "/api/v1/feedback", {
      kind: "idea",
      title: `${tag} A`,
      accountId: small,
    });
    const b = await ok<Item>(agent, "POST", "/api/v1/feedback", {
      kind: "idea",
      title: `${tag} B`,
      accountId: small,
    });
    await ok(agent, "POST", `/api/v1/feedback/${b.id}/votes`, { accountId: big });
    await ok(agent, "POST", `/api/v1/feedback/${a.id}/votes`, { accountId: mid });
    const withThree = await ok<Item>(agent, "POST", `/api/v1/feedback/${a.id}/votes`, { accountId: big });
    expect(withThree).toMatchObject({ votes: 3, revenue: 1_220_000 });
    const dup = await req(agent, "POST", `/api/v1/feedback/${a.id}/votes`, { accountId: big });
    expect(dup.statusCode).toBe(422);
    const byRevenue = await ok<{ items: Item[] }>(agent, "GET", `/api/v1/feedback?q=${tag}&sort=revenue`);
    expect(byRevenue.items.map((i) => i.id)).toEqual([a.id, b.id]);
    const after = await ok<Item>(agent, "PATCH", `/api/v1/feedback/${a.id}`, {});
    expect(after.votes).toBe(3);
    await ok(agent, "PATCH", `/api/v1/feedback/${a.id}`, { kind: "complaint" });
    const ideas = await ok<{ items: Item[] }>(agent, "GET", `/api/v1/feedback?q=${tag}&kind=idea`);
    expect(ideas.items.map((i) => i.id)).toEqual([b.id]);
    const removed = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/feedback/${a.id}/votes/${big}`,
      headers: { cookie: agent.cookie, "x-csrf-token": agent.csrfToken },
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ votes: 2, revenue: 320_000 });
  });

  it("close the loop: every linked contact told once, each telling recorded", async () => {
    const acc1 = await account(100);
    const raiser = await contact(acc1);
    const acc2 = await account(200);
    const voter = await contact(acc2);
    const acc3 = await account(300);
    const item = await ok<Item>(agent, "POST", "/api/v1/feedback", {
      kind: "idea",
      title: "CSV export",
      contactId: raiser,
    });
    await ok(agent, "POST", `/api/v1/feedback/${item.id}/votes`, { accountId: acc2, contactId: voter });
    // A vote without a contact: nobody there to tell.
    await ok(agent, "POST", `/api/v1/feedback/${item.id}/votes`, { accountId: acc3 });

    const early = await req(manager, "POST", `/api/v1/feedback/${item.id}/close-loop`, {});
    expect(early.statusCode).toBe(422);
    await ok(agent, "PATCH", `/api/v1/feedback/${item.id}`, { status: "done" });
    expect((await req(agent, "POST", `/api/v1/feedback/${item.id}/close-loop`, {})).statusCode).toBe(403);

    const first = await ok<{ told: { contactId: string }[]; alreadyTold: number }>(
      manager,
      "POST",
      `/api/v1/feedback/${item.id}/close-loop`,
      { message: "It ships in version 4.2." },
      200,
    );
    expect(first.told.map((x) => x.contactId).sort()).toEqual([raiser, voter].sort());
    expect(first.alreadyTold).toBe(0);
    await drainWork(t.c);
    expect(await loopMails(raiser)).toBe(1);
    expect(await loopMails(voter)).toBe(1);

    // A second press tells nobody twice; a contact who voted since is told.
    // A colleague at an account whose vote named nobody is not told either.
    const late = await contact(acc3);
    const acc4 = await account(400);
    const lateVoter = await contact(acc4);
    await ok(agent, "POST", `/api/v1/feedback/${item.id}/votes`, { accountId: acc4, contactId: lateVoter });
    const second = await ok<{ told: { contactId: string }[]; alreadyTold: number }>(
      manager,
      "POST",
      `/api/v1/feedback/${item.id}/close-loop`,
      {},
      200,
    );
    expect(second.told.map((x) => x.contactId)).toEqual([lateVoter]);
    expect(second.alreadyTold).toBe(2);
    await drainWork(t.c);
    expect(await loopMails(raiser)).toBe(1);
    expect(await loopMails(lateVoter)).toBe(1);
    expect(await loopMails(late)).toBe(0);

    const detail = await ok<{ tellings: unknown[]; loopClosedAt: string | null; votesBy: unknown[] }>(
      agent,
      "GET",
      `/api/v1/feedback/${item.id}`,
    );
    expect(detail.tellings).toHaveLength(3);
    expect(detail.loopClosedAt).not.toBeNull();
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    const mine = events.filter((e) => e.entityId === item.id);
    expect(mine.filter((e) => e.type === "feedback.loop_closed").map((e) => e.data.told)).toEqual([2, 1]);
    expect(mine.find((e) => e.type === "feedback.status_changed")?.data).toMatchObject({
      from: "new",
      to: "done",
    });
  });
});
