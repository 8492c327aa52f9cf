import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * The customer portal over HTTP: sign-in by one-time link (single use, expiry, no enumeration,
 * rate limits), a separate identity from staff sessions, isolation between accounts, and what
 * a contact does there (raise, read, reply, call back, escalate).
 */

type PortalSession = {
  cookie: string;
  csrfToken: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
};

let t: TestApp;
let admin: Session;
let agent: Session;
let lead: Session;
let teamId: string;
let accountA: string;
let accountB: string;
let contactA: { id: string; email: string };
let colleagueA: { id: string; email: string };
let contactB: { id: string; email: string };
let alice: PortalSession;
let bob: PortalSession;
let ipCounter = 0;
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function latestLinkToken(email: string): Promise<string | undefined> {
  const page = await t.c.mail.list(
    t.c.db.kysely,
    { kind: "system" },
    { to: email, purpose: "portal.sign_in" },
  );
  const text = page.items[0]?.text ?? "";
  const m = /\/portal\/sign-in\?token=([A-Za-z0-9_%.~-]+)/.exec(text);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

async function requestLink(email: string, ip = freshIp()) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/portal/auth/request-link",
    payload: { email },
    remoteAddress: ip,
  });
}

async function redeem(token: string) {
  return t.app.inject({ method: "POST", url: "/api/v1/portal/auth/sign-in", payload: { token } });
}

/** Signs a contact in the way a person does: ask for a link, open it. */
async function portalSignIn(email: string): Promise<PortalSession> {
  const asked = await requestLink(email);
  expect(asked.statusCode, asked.body).toBe(202);
  const token = await latestLinkToken(email);
  expect(token).toBeTruthy();
  const res = await redeem(token!);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((k) => k.name === "kd_portal");
  expect(cookie?.path).toBe("/api/v1/portal");
  expect(cookie?.httpOnly).toBe(true);
  const header = `kd_portal=${cookie!.value}`;
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie: header,
    csrfToken,
    request: (opts) =>
      t.app.inject({
        ...opts,
        headers: { cookie: header, "x-csrf-token": csrfToken, ...(opts.headers ?? {}) },
      }),
  };
}

async function ok<T = Record<string, unknown>>(
  s: { request(o: InjectOptions): Promise<LightMyRequestResponse> },
  method: InjectOptions["method"],
  url: string,
  payload?: unknown,
  expected = method === "POST" ? 201 : 200,
): Promise<T> {
  const res = await s.request({
    method,
    url,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });
  expect(res.statusCode, res.body).toBe(expected);
  return res.json() as T;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  agent = await t.signInAs("agent");
  lead = await t.signInAs("manager");
  const team = await ok<{ id: string }>(admin, "POST", "/api/v1/teams", {
    name: "Support",
    leadId: lead.userId,
    memberIds: [agent.userId],
  });
  teamId = team.id;
  accountA = (await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: "Acme" })).id;
  accountB = (await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: "Globex" })).id;
  const contact = async (accountId: string, name: string, email: string) =>
    ok<{ id: string; email: string }>(admin, "POST", "/api/v1/contacts", { accountId, name, email });
  contactA = await contact(accountA, "Alice Archer", "alice@acme.test");
  colleagueA = await contact(accountA, "Carl Cooper", "carl@acme.test");
  contactB = await contact(accountB, "Bob Baker", "bob@globex.test");
  alice = await portalSignIn(contactA.email);
  bob = await portalSignIn(contactB.email);
});

afterAll(async () => {
  await t?.close();
});

describe("signing in by emailed link", () => {
  it("answers the same for a known and an unknown address, and mails only the known one", async () => {
    const known = await requestLink(colleagueA.email);
    const unknown = await requestLink("nobody@nowhere.test");
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(await latestLinkToken("nobody@nowhere.test")).toBeUndefined();
    const mail = await t.c.mail.list(
      t.c.db.kysely,
      { kind: "system" },
      { to: colleagueA.email, purpose: "portal.sign_in" },
    );
    expect(mail.items[0]!.text).toContain("expires in 15 minutes");
    expect(mail.items[0]!.headers["Auto-Submitted"]).toBe("auto-generated");
  });

  it("stores only a hash of the token", async () => {
    await requestLink(colleagueA.email);
    const token = (await latestLinkToken(colleagueA.email))!;
    const rows = await t.c.db.kysely.selectFrom("portal_sign_in_tokens").select("token_hash").execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it("a link works once", async () => {
    await requestLink(colleagueA.email);
    const token = (await latestLinkToken(colleagueA.email))!;
    expect((await redeem(token)).statusCode).toBe(200);
    const again = await redeem(token);
    expect(again.statusCode).toBe(401);
    expect(again.headers["content-type"]).toContain("application/problem+json");
    expect(again.cookies.find((k) => k.name === "kd_portal")).toBeUndefined();
  });

  it("a link expires after 15 minutes (fake clock)", async () => {
    await requestLink(colleagueA.email);
    const token = (await latestLinkToken(colleagueA.email))!;
    t.c.clock.advance(15 * 60_000 + 1000);
    expect((await redeem(token)).statusCode).toBe(401);
    // A link asked for now works within its 15 minutes.
    await requestLink(colleagueA.email);
    const fresh = (await latestLinkToken(colleagueA.email))!;
    t.c.clock.advance(14 * 60_000);
    expect((await redeem(fresh)).statusCode).toBe(200);
  });

  it("an unknown token is a 401 and a malformed body names the field", async () => {
    expect((await redeem("x".repeat(43))).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/portal/auth/request-link",
      payload: { email: "nope" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/email");
  });

  it("limits link requests per address (known or not) and per client address", async () => {
    t.c.clock.advance(20 * 60_000);
    for (const email of ["dan@acme.test", "nobody2@nowhere.test"]) {
      for (let i = 0; i < 5; i++) expect((await requestLink(email)).statusCode).toBe(202);
      const limited = await requestLink(email);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["content-type"]).toContain("application/problem+json");
    }
    const ip = "10.200.0.1";
    for (let i = 0; i < 20; i++)
      expect((await requestLink(`someone${i}@nowhere.test`, ip)).statusCode).toBe(202);
    expect((await requestLink("someone-else@nowhere.test", ip)).statusCode).toBe(429);
    // The window passes.
    t.c.clock.advance(16 * 60_000);
    expect((await requestLink("someone-else@nowhere.test", ip)).statusCode).toBe(202);
  });
});

describe("a separate identity", () => {
  it("staff endpoints refuse a portal session", async () => {
    for (const url of [
      "/api/v1/me",
      "/api/v1/cases",
      "/api/v1/accounts",
      "/api/v1/activities",
      "/api/v1/dev-mailbox",
    ]) {
      const res = await alice.request({ method: "GET", url });
      expect(res.statusCode, url).toBe(401);
    }
    const post = await alice.request({ method: "POST", url: "/api/v1/cases", payload: { subject: "x" } });
    expect(post.statusCode).toBe(401);
  });

  it("portal endpoints refuse staff cookies and API tokens", async () => {
    expect((await agent.request({ method: "GET", url: "/api/v1/portal/me" })).statusCode).toBe(401);
    expect((await agent.request({ method: "GET", url: "/api/v1/portal/cases" })).statusCode).toBe(401);
    const token = await ok<{ token: string }>(agent, "POST", "/api/v1/api-tokens", { name: "script" });
    const res = await t.app.inject({
      method: "GET",
      url: "/api/v1/portal/cases",
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it("changes need the portal CSRF token", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/portal/cases",
      headers: { cookie: alice.cookie },
      payload: { subject: "No token", description: "x" },
    });
    expect(res.statusCode).toBe(403);
  });

  it("me names the contact and its account", async () => {
    const me = await ok<{
      me: { contact: { id: string }; account: { id: string; name: string } };
      csrfToken: string;
    }>(alice, "GET", "/api/v1/portal/me");
    expect(me.me.contact.id).toBe(contactA.id);
    expect(me.me.account).toEqual({ id: accountA, name: "Acme" });
    expect(me.csrfToken).toBe(alice.csrfToken);
  });

  it("signing out ends the portal session", async () => {
    await requestLink(contactA.email);
    const s = await redeem((await latestLinkToken(contactA.email))!);
    const cookie = `kd_portal=${s.cookies.find((k) => k.name === "kd_portal")!.value}`;
    const csrf = s.json().csrfToken as string;
    const out = await t.app.inject({
      method: "POST",
      url: "/api/v1/portal/auth/sign-out",
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: "GET", url: "/api/v1/portal/me", headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });
});

describe("cases in the portal", () => {
  type PortalCase = {
    id: string;
    number: string;
    channel: string;
    status: string;
    statusLabel: string;
    state: string;
    contactName: string | null;
    expectedReplyBy: string | null;
    escalated: boolean;
  };
  let mine: PortalCase;
  let colleagues: { id: string };
  let theirs: { id: string };

  beforeAll(async () => {
    mine = await ok<PortalCase>(alice, "POST", "/api/v1/portal/cases", {
      subject: "Printer on fire",
      description: "Smoke everywhere",
    });
    colleagues = await ok(agent, "POST", "/api/v1/cases", {
      subject: "Carl's VPN",
      contactId: colleagueA.id,
    });
    theirs = await ok(agent, "POST", "/api/v1/cases", { subject: "Globex secret", contactId: contactB.id });
  });

  it("raises a case through the cases module: channel portal, acknowledged by email", async () => {
    expect(mine.channel).toBe("portal");
    expect(mine.statusLabel).toBe("Received");
    expect(mine.contactName).toBe("You");
    const staffView = await ok<{ channel: string; contactId: string; accountId: string }>(
      agent,
      "GET",
      `/api/v1/cases/${mine.id}`,
    );
    expect(staffView).toMatchObject({ channel: "portal", contactId: contactA.id, accountId: accountA });
    await drainWork(t.c);
    const acks = await t.c.mail.list(
      t.c.db.kysely,
      { kind: "system" },
      { to: contactA.email, purpose: "case.notification.received" },
    );
    expect(acks.items.some((m) => m.subject.includes(mine.number))).toBe(true);
  });

  it("suggests knowledge articles: not yet (no knowledge base), so no field pretends to", async () => {
    expect(mine).not.toHaveProperty("suggestedArticles");
  });

  it("lists the account's cases (a colleague's too), never another account's", async () => {
    const page = await ok<{ items: PortalCase[] }>(alice, "GET", "/api/v1/portal/cases");
    const ids = page.items.map((c) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).toContain(colleagues.id);
    expect(ids).not.toContain(theirs.id);
    expect(page.items.find((c) => c.id === colleagues.id)!.contactName).toBe("Carl Cooper");
    const bobs = await ok<{ items: PortalCase[] }>(bob, "GET", "/api/v1/portal/cases");
    expect(bobs.items.map((c) => c.id)).toEqual([theirs.id]);
  });

  it("a guessed id of another account's case, message or file is a 404", async () => {
    const note = await ok<{ id: string }>(agent, "POST", `/api/v1/cases/${theirs.id}/messages`, {
      kind: "reply",
      body: "For Bob only",
    });
    const [file] = await t.c.caseMessages.upload(
      { actor: { kind: "system" } },
      theirs.id,
      { internal: false },
      [{ filename: "bob.txt", mimetype: "text/plain", data: Buffer.from("Globex only"), path: "/files/0" }],
    );
    expect(
      (await bob.request({ method: "GET", url: `/api/v1/portal/attachments/${file!.id}` })).statusCode,
    ).toBe(200);
    const probes: [InjectOptions["method"], string, unknown?][] = [
      ["GET", `/api/v1/portal/cases/${theirs.id}`],
      ["GET", `/api/v1/portal/cases/${theirs.id}/messages`],
      ["POST", `/api/v1/portal/cases/${theirs.id}/messages`, { body: "hi" }],
      ["POST", `/api/v1/portal/cases/${theirs.id}/escalate`, { reason: "let me in" }],
      [
        "POST",
        `/api/v1/portal/cases/${theirs.id}/callback`,
        {
          from: new Date(t.c.clock.now().getTime() + 3600_000).toISOString(),
          to: new Date(t.c.clock.now().getTime() + 7200_000).toISOString(),
        },
      ],
      ["GET", `/api/v1/portal/attachments/${file!.id}`],
      ["GET", `/api/v1/portal/attachments/${note.id}`],
      ["GET", "/api/v1/portal/cases/00000000-0000-4000-8000-000000000000"],
    ];
    for (const [method, url, payload] of probes) {
      const res = await alice.request({
        method,
        url,
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain("Globex");
    }
  });

  it("the thread is public: replies and customer messages, never internal notes or internal files", async () => {
    await ok(agent, "POST", `/api/v1/cases/${mine.id}/messages`, {
      kind: "note",
      body: "INTERNAL: customer is grumpy",
    });
    await ok(agent, "POST", `/api/v1/cases/${mine.id}/messages`, { kind: "reply", body: "We are on it" });
    const [internal] = await t.c.caseMessages.upload(
      { actor: { kind: "system" } },
      mine.id,
      { internal: true },
      [{ filename: "secret.txt", mimetype: "text/plain", data: Buffer.from("internal"), path: "/files/0" }],
    );
    const thread = await ok<{
      items: { kind: string; body: string; authorName: string; fromYou: boolean }[];
    }>(alice, "GET", `/api/v1/portal/cases/${mine.id}/messages`);
    expect(thread.items.map((m) => m.kind)).toEqual(["reply"]);
    expect(JSON.stringify(thread)).not.toContain("INTERNAL");
    expect(thread.items[0]!.authorName).toBe("Test (support)");
    expect(
      (await alice.request({ method: "GET", url: `/api/v1/portal/attachments/${internal!.id}` })).statusCode,
    ).toBe(404);
  });

  it("shows when we aim to answer while a response is owed", async () => {
    const allWeek = [["00:00", "24:00"]];
    const cal = await ok<{ id: string }>(admin, "POST", "/api/v1/calendars", {
      name: "Always",
      timeZone: "UTC",
      hours: {
        mon: allWeek,
        tue: allWeek,
        wed: allWeek,
        thu: allWeek,
        fri: allWeek,
        sat: allWeek,
        sun: allWeek,
      },
    });
    await ok(admin, "POST", "/api/v1/sla-policies", {
      name: "Portal standard",
      calendarId: cal.id,
      order: 1,
      firstResponseMinutes: 120,
      resolutionMinutes: 960,
    });
    const created = await ok<PortalCase>(alice, "POST", "/api/v1/portal/cases", {
      subject: "With an SLA",
      description: "Please",
    });
    const staff = await ok<{ sla: { kpi: string; dueAt: string; status: string }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${created.id}`,
    );
    const first = staff.sla.find((s) => s.kpi === "firstResponse");
    expect(first?.dueAt).toBe(new Date(t.c.clock.now().getTime() + 120 * 60_000).toISOString());
    expect(created.expectedReplyBy).toBe(first!.dueAt);
    // Once answered, nothing is owed until the customer writes again.
    await ok(agent, "POST", `/api/v1/cases/${created.id}/messages`, { kind: "reply", body: "Looking" });
    expect(
      (await ok<PortalCase>(alice, "GET", `/api/v1/portal/cases/${created.id}`)).expectedReplyBy,
    ).toBeNull();
    expect(created).not.toHaveProperty("sla");
    expect(created).not.toHaveProperty("priority");
  });

  it("a reply is a customer message; on a resolved case it reopens it", async () => {
    await ok(agent, "PATCH", `/api/v1/cases/${mine.id}`, { status: "resolved" }, 200);
    const msg = await ok<{ kind: string; fromYou: boolean; authorName: string; caseId: string }>(
      alice,
      "POST",
      `/api/v1/portal/cases/${mine.id}/messages`,
      { body: "Still smoking" },
    );
    expect(msg).toMatchObject({ kind: "customer", fromYou: true, authorName: "You", caseId: mine.id });
    const after = await ok<PortalCase>(alice, "GET", `/api/v1/portal/cases/${mine.id}`);
    expect(after.state).not.toBe("resolved");
    const staffThread = await ok<{ items: { kind: string; contactId: string }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${mine.id}/messages`,
    );
    expect(staffThread.items.at(-1)).toMatchObject({ kind: "customer", contactId: contactA.id });
    const bad = await alice.request({
      method: "POST",
      url: `/api/v1/portal/cases/${mine.id}/messages`,
      payload: { body: "" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/body");
  });

  it("a call-back request is a promise for the case owner, due at the end of the window", async () => {
    await ok(agent, "PATCH", `/api/v1/cases/${mine.id}`, { ownerId: agent.userId }, 200);
    const now = t.c.clock.now().getTime();
    const from = new Date(now + 2 * 3600_000).toISOString();
    const to = new Date(now + 4 * 3600_000).toISOString();
    const res = await ok<{ from: string; to: string; phone: string | null }>(
      alice,
      "POST",
      `/api/v1/portal/cases/${mine.id}/callback`,
      { from, to, phone: "+44 20 7946 0000", note: "After lunch please" },
    );
    expect(res.phone).toBe("+44 20 7946 0000");
    const promises = await ok<{
      items: {
        type: string;
        ownerId: string;
        dueAt: string;
        status: string;
        notes: string;
        caseId: string;
      }[];
    }>(agent, "GET", `/api/v1/activities?caseId=${mine.id}&type=promise`);
    expect(promises.items).toHaveLength(1);
    expect(promises.items[0]).toMatchObject({
      ownerId: agent.userId,
      dueAt: to,
      status: "open",
      caseId: mine.id,
    });
    expect(promises.items[0]!.notes).toContain("+44 20 7946 0000");
    expect(promises.items[0]!.notes).toContain("After lunch please");
    const bell = await ok<{ items: { kind: string; caseId: string }[] }>(
      agent,
      "GET",
      "/api/v1/notifications",
    );
    expect(bell.items.some((n) => n.kind === "portal.callback_requested" && n.caseId === mine.id)).toBe(true);
  });

  it("a call-back window must make sense, naming the field", async () => {
    const now = t.c.clock.now().getTime();
    const at = (h: number) => new Date(now + h * 3600_000).toISOString();
    const cases: [Record<string, string>, string][] = [
      [{ from: at(2), to: at(1) }, "/to"],
      [{ from: at(-5), to: at(1) }, "/from"],
      [{ from: at(1), to: at(30) }, "/to"],
      [{ from: at(1), to: at(2), phone: "call me maybe" }, "/phone"],
      [{ from: "yesterday", to: at(2) }, "/from"],
    ];
    for (const [payload, path] of cases) {
      const res = await alice.request({
        method: "POST",
        url: `/api/v1/portal/cases/${mine.id}/callback`,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errors[0].path).toBe(path);
    }
  });

  it("escalating notifies the team lead, appends case.escalated and keeps an open row until resolved", async () => {
    const c = await ok<PortalCase>(agent, "POST", "/api/v1/cases", {
      subject: "Escalate me",
      contactId: contactA.id,
      teamId,
    });
    const before = await readEvents(t.c.db.kysely);
    const lastSeq = before.at(-1)?.seq ?? 0;
    expect(await t.c.escalations.hasOpenForContact(t.c.db.kysely, contactA.id)).toBe(false);
    const e = await ok<{ id: string; open: boolean; reason: string }>(
      alice,
      "POST",
      `/api/v1/portal/cases/${c.id}/escalate`,
      { reason: "Nobody has answered for a week" },
    );
    expect(e.open).toBe(true);
    const events = (await readEvents(t.c.db.kysely, lastSeq)).filter((ev) => ev.type === "case.escalated");
    expect(events).toHaveLength(1);
    expect(events[0]!.entityId).toBe(c.id);
    expect(events[0]!.data).toMatchObject({
      reason: "Nobody has answered for a week",
      by: "contact",
      escalationId: e.id,
    });
    const bell = await ok<{ items: { kind: string; caseId: string; body: string }[] }>(
      lead,
      "GET",
      "/api/v1/notifications",
    );
    const n = bell.items.find((x) => x.kind === "case.escalated" && x.caseId === c.id);
    expect(n?.body).toContain("Nobody has answered for a week");
    expect(await t.c.escalations.hasOpenForContact(t.c.db.kysely, contactA.id)).toBe(true);
    expect(await t.c.escalations.hasOpenForAccount(t.c.db.kysely, accountA)).toBe(true);
    expect(await t.c.escalations.hasOpenForAccount(t.c.db.kysely, accountB)).toBe(false);
    const listed = await ok<PortalCase>(alice, "GET", `/api/v1/portal/cases/${c.id}`);
    expect(listed.escalated).toBe(true);

    const again = await alice.request({
      method: "POST",
      url: `/api/v1/portal/cases/${c.id}/escalate`,
      payload: { reason: "again" },
    });
    expect(again.statusCode).toBe(409);

    const staffList = await ok<{
      items: { id: string; by: string; open: boolean; raisedByContactId: string }[];
    }>(agent, "GET", `/api/v1/cases/${c.id}/escalations`);
    expect(staffList.items).toEqual([
      expect.objectContaining({ id: e.id, by: "contact", open: true, raisedByContactId: contactA.id }),
    ]);

    await ok(agent, "PATCH", `/api/v1/cases/${c.id}`, { status: "resolved" }, 200);
    expect(await t.c.escalations.hasOpenForContact(t.c.db.kysely, contactA.id)).toBe(false);
    const closed = await ok<{ items: { open: boolean; closedAt: string | null }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${c.id}/escalations`,
    );
    expect(closed.items[0]!.open).toBe(false);
    // A resolved case is not escalated: the customer replies to reopen it.
    const refused = await alice.request({
      method: "POST",
      url: `/api/v1/portal/cases/${c.id}/escalate`,
      payload: { reason: "x" },
    });
    expect(refused.statusCode).toBe(422);
  });

  it("staff escalate from the case too (by: staff); with no team lead the managers hear of it", async () => {
    const c = await ok<{ id: string }>(agent, "POST", "/api/v1/cases", {
      subject: "Staff escalation",
      contactId: contactB.id,
    });
    const lastSeq = (await readEvents(t.c.db.kysely)).at(-1)?.seq ?? 0;
    const e = await ok<{ by: string; raisedByUserId: string }>(
      agent,
      "POST",
      `/api/v1/cases/${c.id}/escalations`,
      {
        reason: "Key account threatens to leave",
      },
    );
    expect(e).toMatchObject({ by: "staff", raisedByUserId: agent.userId });
    const ev = (await readEvents(t.c.db.kysely, lastSeq)).find((x) => x.type === "case.escalated");
    expect(ev?.data).toMatchObject({ by: "staff" });
    const bell = await ok<{ items: { kind: string; caseId: string }[] }>(
      lead,
      "GET",
      "/api/v1/notifications",
    );
    expect(bell.items.some((x) => x.kind === "case.escalated" && x.caseId === c.id)).toBe(true);
    const blank = await agent.request({
      method: "POST",
      url: `/api/v1/cases/${c.id}/escalations`,
      payload: { reason: "  " },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].path).toBe("/reason");
  });
});
