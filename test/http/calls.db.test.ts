import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** "Log a call": a new phone case or a line on an existing one, with the call activity, at once. */

let t: TestApp;
let agent: Session;
let sales: Session;
let accountId: string;
let contactId: string;

async function post<T = Record<string, unknown>>(s: Session, url: string, payload: unknown, expected = 201) {
  const res = await s.request({ method: "POST", url, payload: payload as Record<string, unknown> });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json() as T;
}
async function get<T = Record<string, unknown>>(s: Session, url: string) {
  const res = await s.request({ method: "GET", url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}

type Logged = {
  case: { id: string; channel: string; status: string; description: string | null; contactId: string };
  created: boolean;
  activity: {
    id: string;
    type: string;
    status: string;
    direction: string;
    durationSeconds: number;
    caseId: string;
    dueAt: string;
  };
  messageId: string | null;
};

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
  accountId = (await post<{ id: string }>(agent, "/api/v1/accounts", { name: "Initech" })).id;
  contactId = (
    await post<{ id: string }>(agent, "/api/v1/contacts", {
      accountId,
      name: "Peter Gibbons",
      email: "peter@initech.test",
    })
  ).id;
});

afterAll(async () => {
  await t?.close();
});

describe("POST /api/v1/calls", () => {
  it("opens a phone case with the logged call", async () => {
    const r = await post<Logged>(agent, "/api/v1/calls", {
      newCase: { subject: "TPS reports missing", contactId },
      direction: "in",
      durationMinutes: 7,
      notes: "Cannot find the cover sheet",
      outcome: "Will check the archive",
    });
    expect(r.created).toBe(true);
    expect(r.case).toMatchObject({
      channel: "phone",
      status: "new",
      description: "Cannot find the cover sheet",
      contactId,
    });
    expect(r.activity).toMatchObject({
      type: "call",
      status: "done",
      direction: "in",
      durationSeconds: 420,
      caseId: r.case.id,
    });
    expect(r.activity.dueAt).toBe(t.c.clock.now().toISOString());
    const calls = await get<{ items: { id: string }[] }>(
      agent,
      `/api/v1/activities?caseId=${r.case.id}&type=call`,
    );
    expect(calls.items.map((a) => a.id)).toEqual([r.activity.id]);
  });

  it("adds an incoming call to an existing case as the customer's words (reopening a resolved case)", async () => {
    const c = await post<{ id: string }>(agent, "/api/v1/cases", { subject: "Stapler", contactId });
    const resolved = await agent.request({
      method: "PATCH",
      url: `/api/v1/cases/${c.id}`,
      payload: { status: "resolved" },
    });
    expect(resolved.statusCode).toBe(200);
    const r = await post<Logged>(agent, "/api/v1/calls", {
      caseId: c.id,
      direction: "in",
      durationSeconds: 30,
      notes: "Wants the red one",
    });
    expect(r.created).toBe(false);
    expect(r.case.id).toBe(c.id);
    expect(r.case.status).not.toBe("resolved");
    const thread = await get<{ items: { id: string; kind: string; body: string }[] }>(
      agent,
      `/api/v1/cases/${c.id}/messages`,
    );
    const line = thread.items.find((m) => m.id === r.messageId)!;
    expect(line.kind).toBe("customer");
    expect(line.body).toContain("Phone call from the customer (1 min)");
    expect(line.body).toContain("Wants the red one");
  });

  it("an outgoing call is an internal note and keeps a call-back promise", async () => {
    const c = await post<{ id: string }>(agent, "/api/v1/cases", { subject: "Call me", contactId });
    const promise = await post<{ id: string }>(agent, "/api/v1/activities", {
      type: "promise",
      subject: "Call Peter back",
      caseId: c.id,
      dueAt: new Date(t.c.clock.now().getTime() + 3600_000).toISOString(),
    });
    const r = await post<Logged>(agent, "/api/v1/calls", {
      caseId: c.id,
      direction: "out",
      durationMinutes: 3,
    });
    const thread = await get<{ items: { id: string; kind: string }[] }>(
      agent,
      `/api/v1/cases/${c.id}/messages`,
    );
    expect(thread.items.find((m) => m.id === r.messageId)!.kind).toBe("note");
    const kept = await get<{ status: string; keptHow: string }>(agent, `/api/v1/activities/${promise.id}`);
    expect(kept).toMatchObject({ status: "kept", keptHow: "call" });
  });

  it("is all or nothing: a bad call leaves no case behind", async () => {
    const before = await get<{ items: unknown[] }>(agent, "/api/v1/cases?limit=200");
    const res = await agent.request({
      method: "POST",
      url: "/api/v1/calls",
      payload: {
        newCase: { subject: "Ghost", contactId },
        direction: "in",
        // Refused by the activity rules, after the case was written in the same transaction.
        durationMinutes: 2,
        durationSeconds: 120,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe("/durationMinutes");
    const after = await get<{ items: unknown[] }>(agent, "/api/v1/cases?limit=200");
    expect(after.items).toHaveLength(before.items.length);
  });

  it("needs exactly one of caseId and newCase, names bad fields, and is for case workers", async () => {
    const none = await agent.request({ method: "POST", url: "/api/v1/calls", payload: { direction: "in" } });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].path).toBe("/caseId");
    const dir = await agent.request({
      method: "POST",
      url: "/api/v1/calls",
      payload: { newCase: { subject: "x" }, direction: "sideways" },
    });
    expect(dir.statusCode).toBe(400);
    expect(dir.json().errors[0].path).toBe("/direction");
    const missing = await agent.request({
      method: "POST",
      url: "/api/v1/calls",
      payload: { caseId: "00000000-0000-4000-8000-000000000000", direction: "in" },
    });
    expect(missing.statusCode).toBe(404);
    const future = await agent.request({
      method: "POST",
      url: "/api/v1/calls",
      payload: {
        newCase: { subject: "x" },
        direction: "in",
        at: new Date(t.c.clock.now().getTime() + 3 * 3600_000).toISOString(),
      },
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe("/at");
    const bySales = await sales.request({
      method: "POST",
      url: "/api/v1/calls",
      payload: { newCase: { subject: "x" }, direction: "in" },
    });
    expect(bySales.statusCode).toBe(403);
  });
});
