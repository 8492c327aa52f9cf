import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INCIDENT_NOTIFY_TIMER } from "../../src/modules/incidents/incidents.service.ts";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * Service incidents over HTTP: components and their derived status, incidents and their
 * timeline, linked cases, telling affected customers (once each), the portal, the public status.
 */

type Requester = { request(o: InjectOptions): Promise<LightMyRequestResponse> };
type Incident = {
  id: string;
  number: string;
  title: string;
  description: string | null;
  status: string;
  impact: string;
  public: boolean;
  componentIds: string[];
  affects: Record<string, unknown> | null;
  affectsText: string;
  startedAt: string;
  resolvedAt: string | null;
  linkedCaseCount: number;
  affectedAccountCount: number;
  contactsNotified: number;
  updates?: { id: string; status: string; message: string; notify: boolean; noticesQueued: number }[];
};
type Component = { id: string; name: string; status: string };

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let sales: Session;
let portalA: Requester;
let portalC: Requester;
let accA: string;
let accB: string;
let accC: string;
let a1: { id: string; email: string };
let a2: { id: string; email: string };
let b1: { id: string; email: string };
let c1: { id: string; email: string };
let web: Component;
let email: Component;

async function req(s: Requester, method: InjectOptions["method"], url: string, payload?: unknown) {
  return s.request({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}
async function ok<T>(
  s: Requester,
  method: InjectOptions["method"],
  url: string,
  payload?: unknown,
  code?: number,
) {
  const res = await req(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(code ?? (method === "POST" ? 201 : 200));
  return res.json() as T;
}
async function bad(
  s: Requester,
  method: InjectOptions["method"],
  url: string,
  payload: unknown,
  path: string,
) {
  const res = await req(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers["content-type"]).toContain("application/problem+json");
  const paths = (res.json() as { errors?: { path: string }[] }).errors?.map((e) => e.path) ?? [];
  expect(paths, res.body).toContain(path);
}
const drain = () => drainWork(t.c);
let n = 0;
async function contact(accountId: string) {
  n++;
  return ok<{ id: string; email: string }>(admin, "POST", "/api/v1/contacts", {
    accountId,
    name: `Person ${n}`,
    email: `person${n}@incidents.test`,
  });
}
async function newCase(contactId: string, subject: string, extra: Record<string, unknown> = {}) {
  return ok<{ id: string; number: string; status: string }>(agent, "POST", "/api/v1/cases", {
    subject,
    contactId,
    ...extra,
  });
}
async function incident(body: Record<string, unknown>) {
  return ok<Incident>(agent, "POST", "/api/v1/incidents", { impact: "minor", notify: false, ...body });
}
async function mails(to: string, purpose?: string) {
  const q = `to=${encodeURIComponent(to)}${purpose ? `&purpose=${purpose}` : ""}&limit=200`;
  return (
    await ok<{ items: { subject: string; text: string; purpose: string }[] }>(
      admin,
      "GET",
      `/api/v1/dev-mailbox?${q}`,
    )
  ).items;
}
async function replies(caseId: string) {
  const page = await ok<{ items: { kind: string; body: string; authorId: string | null }[] }>(
    agent,
    "GET",
    `/api/v1/cases/${caseId}/messages?limit=200`,
  );
  return page.items.filter((m) => m.kind === "reply");
}

async function portalSignIn(address: string): Promise<Requester> {
  const asked = await t.app.inject({
    method: "POST",
    url: "/api/v1/portal/auth/request-link",
    payload: { email: address },
    remoteAddress: `10.7.0.${++n}`,
  });
  expect(asked.statusCode).toBe(202);
  const page = await t.c.mail.list(
    t.c.db.kysely,
    { kind: "system" },
    { to: address, purpose: "portal.sign_in" },
  );
  const token = decodeURIComponent(
    /\/portal\/sign-in\?token=([A-Za-z0-9_%.~-]+)/.exec(page.items[0]!.text)![1]!,
  );
  const res = await t.app.inject({ method: "POST", url: "/api/v1/portal/auth/sign-in", payload: { token } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = `kd_portal=${res.cookies.find((k) => k.name === "kd_portal")!.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    request: (o) => t.app.inject({ ...o, headers: { cookie, "x-csrf-token": csrf, ...(o.headers ?? {}) } }),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
  accA = (await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: "Acme" })).id;
  accB = (await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: "Bolt" })).id;
  accC = (await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", { name: "Crane" })).id;
  a1 = await contact(accA);
  a2 = await contact(accA);
  b1 = await contact(accB);
  c1 = await contact(accC);
  portalA = await portalSignIn(a1.email);
  portalC = await portalSignIn(c1.email);
  web = await ok<Component>(admin, "POST", "/api/v1/status-components", { name: "Web app", position: 1 });
  email = await ok<Component>(manager, "POST", "/api/v1/status-components", {
    name: "Email delivery",
    description: "Outbound and inbound mail",
    position: 2,
  });
  await drain();
});
afterAll(() => t.close());

describe("status components", () => {
  it("are created by admins and managers, named uniquely, listed in order", async () => {
    expect(web.status).toBe("operational");
    const dup = await req(admin, "POST", "/api/v1/status-components", { name: "web APP" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].path).toBe("/name");
    await bad(admin, "POST", "/api/v1/status-components", { name: "" }, "/name");
    await bad(admin, "POST", "/api/v1/status-components", { name: "x", colour: "red" }, "/colour");
    expect((await req(agent, "POST", "/api/v1/status-components", { name: "API" })).statusCode).toBe(403);
    const list = await ok<{ items: Component[] }>(sales, "GET", "/api/v1/status-components");
    expect(list.items.map((c) => c.name)).toEqual(["Web app", "Email delivery"]);
  });

  it("are renamed and archived (gone from the list)", async () => {
    const api = await ok<Component>(admin, "POST", "/api/v1/status-components", {
      name: "Legacy API",
      position: 9,
    });
    const renamed = await ok<Component>(admin, "PATCH", `/api/v1/status-components/${api.id}`, {
      name: "Old API",
    });
    expect(renamed.name).toBe("Old API");
    expect(
      (await req(admin, "PATCH", `/api/v1/status-components/${api.id}`, { name: "Web app" })).statusCode,
    ).toBe(409);
    expect((await req(agent, "DELETE", `/api/v1/status-components/${api.id}`)).statusCode).toBe(403);
    expect((await req(admin, "DELETE", `/api/v1/status-components/${api.id}`)).statusCode).toBe(204);
    const list = await ok<{ items: Component[] }>(admin, "GET", "/api/v1/status-components");
    expect(list.items.map((c) => c.id)).not.toContain(api.id);
    // An archived component can no longer be named by an incident.
    await bad(
      agent,
      "POST",
      "/api/v1/incidents",
      { title: "x", impact: "minor", componentIds: [api.id] },
      "/componentIds/0",
    );
  });
});

describe("incidents", () => {
  it("refuse bad input, naming the field", async () => {
    const url = "/api/v1/incidents";
    await bad(agent, "POST", url, { impact: "minor" }, "/title");
    await bad(agent, "POST", url, { title: "   ", impact: "minor" }, "/title");
    await bad(agent, "POST", url, { title: "x", impact: "huge" }, "/impact");
    await bad(agent, "POST", url, { title: "x", impact: "minor", status: "resolved" }, "/status");
    await bad(
      agent,
      "POST",
      url,
      { title: "x", impact: "minor", startedAt: "2030-01-01T00:00:00Z" },
      "/startedAt",
    );
    await bad(
      agent,
      "POST",
      url,
      { title: "x", impact: "minor", componentIds: [crypto.randomUUID()] },
      "/componentIds/0",
    );
    await bad(
      agent,
      "POST",
      url,
      { title: "x", impact: "minor", affects: { tiers: ["gold"] } },
      "/affects/tiers/0",
    );
    await bad(agent, "POST", url, { title: "x", impact: "minor", message: "" }, "/message");
    const created = await incident({ title: "Bad input target" });
    await bad(agent, "PATCH", `${url}/${created.id}`, { title: "" }, "/title");
    await bad(agent, "PATCH", `${url}/${created.id}`, { impact: "none" }, "/impact");
    await bad(
      agent,
      "POST",
      `${url}/${created.id}/updates`,
      { status: "monitoring", message: "" },
      "/message",
    );
    await bad(agent, "POST", `${url}/${created.id}/updates`, { status: "over", message: "x" }, "/status");
    await bad(
      agent,
      "POST",
      `${url}/${created.id}/updates`,
      { status: "monitoring", message: "x", resolveLinkedCases: true },
      "/resolveLinkedCases",
    );
    await bad(agent, "POST", `${url}/${created.id}/cases`, { caseIds: [] }, "/caseIds");
    expect((await req(agent, "GET", `${url}/${crypto.randomUUID()}`)).statusCode).toBe(404);
    await ok(agent, "POST", `${url}/${created.id}/updates`, { status: "resolved", message: "Done." });
  });

  it("are created with a first public update, listed, read and changed", async () => {
    const started = new Date(t.c.clock.now().getTime() - 30 * 60_000).toISOString();
    const inc = await ok<Incident>(agent, "POST", "/api/v1/incidents", {
      title: "Slow dashboards",
      description: "DB replica lag (internal)",
      impact: "major",
      componentIds: [web.id],
      affects: { accountIds: [accA] },
      notify: false,
      startedAt: started,
    });
    expect(inc).toMatchObject({
      status: "investigating",
      public: true,
      componentIds: [web.id],
      startedAt: started,
      resolvedAt: null,
      affectsText: "1 named account",
      affectedAccountCount: 1,
      linkedCaseCount: 0,
    });
    expect(inc.number).toMatch(/^INC-\d{6}$/);
    expect(inc.updates).toHaveLength(1);
    expect(inc.updates![0]).toMatchObject({
      status: "investigating",
      message: "We are investigating reports of a problem with Slow dashboards.",
      notify: false,
    });
    const got = await ok<Incident>(sales, "GET", `/api/v1/incidents/${inc.id}`);
    expect(got.description).toBe("DB replica lag (internal)");
    const patched = await ok<Incident>(agent, "PATCH", `/api/v1/incidents/${inc.id}`, {
      title: "Slow dashboards and reports",
      impact: "critical",
      affects: null,
      componentIds: [web.id, email.id],
    });
    expect(patched).toMatchObject({
      title: "Slow dashboards and reports",
      impact: "critical",
      affects: null,
      affectsText: "the accounts of linked cases",
      affectedAccountCount: 0,
      componentIds: [web.id, email.id],
    });
    const open = await ok<{ items: Incident[] }>(agent, "GET", "/api/v1/incidents?state=open");
    expect(open.items.map((i) => i.id)).toContain(inc.id);
    expect(open.items.every((i) => i.resolvedAt === null)).toBe(true);
    expect(open.items[0]!.updates).toBeUndefined();
    const byNumber = await ok<{ items: Incident[] }>(agent, "GET", `/api/v1/incidents?q=${inc.number}`);
    expect(byNumber.items.map((i) => i.id)).toEqual([inc.id]);
    const resolved = await ok<{ items: Incident[] }>(agent, "GET", "/api/v1/incidents?state=resolved");
    expect(resolved.items.map((i) => i.id)).not.toContain(inc.id);
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, { status: "resolved", message: "Fixed." });
    const all = await ok<{ items: Incident[] }>(agent, "GET", "/api/v1/incidents?limit=200");
    const firstResolved = all.items.findIndex((i) => i.resolvedAt !== null);
    expect(all.items.slice(firstResolved).every((i) => i.resolvedAt !== null)).toBe(true);
  });

  it("sales read only; portal contacts are refused on staff endpoints", async () => {
    const inc = await incident({ title: "Permissions" });
    expect((await req(sales, "GET", "/api/v1/incidents")).statusCode).toBe(200);
    expect((await req(sales, "POST", "/api/v1/incidents", { title: "x", impact: "minor" })).statusCode).toBe(
      403,
    );
    expect((await req(sales, "PATCH", `/api/v1/incidents/${inc.id}`, { title: "y" })).statusCode).toBe(403);
    expect(
      (
        await req(sales, "POST", `/api/v1/incidents/${inc.id}/updates`, {
          status: "identified",
          message: "m",
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await req(sales, "POST", `/api/v1/incidents/${inc.id}/cases`, { caseIds: [crypto.randomUUID()] }))
        .statusCode,
    ).toBe(403);
    for (const url of ["/api/v1/incidents", `/api/v1/incidents/${inc.id}`, "/api/v1/status-components"]) {
      expect((await req(portalA, "GET", url)).statusCode, url).toBe(401);
    }
    expect(
      (await req(portalA, "POST", "/api/v1/incidents", { title: "x", impact: "minor" })).statusCode,
    ).toBe(401);
    // And a staff session is refused on the portal's list.
    expect((await req(agent, "GET", "/api/v1/portal/incidents")).statusCode).toBe(401);
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, { status: "resolved", message: "Done." });
  });

  it("move through statuses: resolved sets resolvedAt, a later update reopens", async () => {
    const inc = await incident({ title: "Transitions" });
    const url = `/api/v1/incidents/${inc.id}`;
    const u1 = await ok<{ status: string; notify: boolean }>(agent, "POST", `${url}/updates`, {
      status: "identified",
      message: "Found it.",
      notify: false,
    });
    expect(u1).toMatchObject({ status: "identified", notify: false });
    expect((await ok<Incident>(agent, "GET", url)).status).toBe("identified");
    t.c.clock.advance(60_000);
    await ok(agent, "POST", `${url}/updates`, { status: "resolved", message: "Fixed.", notify: false });
    const resolved = await ok<Incident>(agent, "GET", url);
    expect(resolved.status).toBe("resolved");
    expect(resolved.resolvedAt).toBe(t.c.clock.now().toISOString());
    expect(resolved.updates!.map((u) => u.status)).toEqual(["resolved", "identified", "investigating"]);
    t.c.clock.advance(60_000);
    await ok(agent, "POST", `${url}/updates`, {
      status: "monitoring",
      message: "It came back.",
      notify: false,
    });
    const reopened = await ok<Incident>(agent, "GET", url);
    expect(reopened).toMatchObject({ status: "monitoring", resolvedAt: null });
    const events = await readEvents(t.c.db.kysely, 0, 100_000);
    const types = events.filter((e) => e.entityId === inc.id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["incident.created", "incident.resolved", "incident.reopened"]),
    );
    await ok(agent, "POST", `${url}/updates`, { status: "resolved", message: "Done.", notify: false });
  });
});

describe("status", () => {
  it("derives each component's status from open public incidents, and the overall status", async () => {
    const components = async () =>
      Object.fromEntries(
        (await ok<{ items: Component[] }>(agent, "GET", "/api/v1/status-components")).items.map((c) => [
          c.name,
          c.status,
        ]),
      );
    const overall = async () =>
      (await t.app.inject({ method: "GET", url: "/api/v1/status" })).json().status as string;
    expect(await components()).toEqual({ "Web app": "operational", "Email delivery": "operational" });
    expect(await overall()).toBe("operational");
    const minor = await incident({ title: "Minor web", impact: "minor", componentIds: [web.id] });
    expect(await components()).toEqual({ "Web app": "degraded", "Email delivery": "operational" });
    expect(await overall()).toBe("degraded");
    const major = await incident({ title: "Major both", impact: "major", componentIds: [web.id, email.id] });
    expect(await components()).toEqual({ "Web app": "partial_outage", "Email delivery": "partial_outage" });
    // A private incident does not show, whatever its impact.
    const hidden = await incident({
      title: "Private",
      impact: "critical",
      public: false,
      componentIds: [email.id],
    });
    expect(await components()).toEqual({ "Web app": "partial_outage", "Email delivery": "partial_outage" });
    // An incident naming no component still sets the overall status.
    const global = await incident({ title: "Everything", impact: "critical" });
    expect(await components()).toEqual({ "Web app": "partial_outage", "Email delivery": "partial_outage" });
    expect(await overall()).toBe("major_outage");
    for (const i of [minor, major, hidden, global])
      await ok(agent, "POST", `/api/v1/incidents/${i.id}/updates`, {
        status: "resolved",
        message: "ok",
        notify: false,
      });
    expect(await components()).toEqual({ "Web app": "operational", "Email delivery": "operational" });
    expect(await overall()).toBe("operational");
  });

  it("GET /api/v1/status shows no internal fields and no private incidents, and needs no sign-in", async () => {
    const pub = await incident({
      title: "Mail delays",
      description: "SECRET-INTERNAL relay quota",
      impact: "major",
      componentIds: [email.id],
      affects: { accountIds: [accA] },
    });
    const priv = await incident({ title: "Private thing", public: false });
    const res = await t.app.inject({ method: "GET", url: "/api/v1/status" });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("SECRET-INTERNAL");
    expect(res.body).not.toContain(accA);
    expect(res.body).not.toContain("Private thing");
    const body = res.json() as {
      status: string;
      incidents: Record<string, unknown>[];
      recent: Record<string, unknown>[];
    };
    expect(body.status).toBe("partial_outage");
    const shown = body.incidents.find((i) => i.id === pub.id)!;
    expect(Object.keys(shown).sort()).toEqual(
      ["componentIds", "id", "impact", "number", "startedAt", "status", "title", "updates"].sort(),
    );
    expect(shown.updates).toEqual([
      {
        status: "investigating",
        message: "We are investigating reports of a problem with Mail delays.",
        createdAt: expect.any(String),
      },
    ]);
    await ok(agent, "POST", `/api/v1/incidents/${pub.id}/updates`, {
      status: "resolved",
      message: "Mail flows again.",
      notify: false,
    });
    await ok(agent, "POST", `/api/v1/incidents/${priv.id}/updates`, {
      status: "resolved",
      message: "x",
      notify: false,
    });
    const after = (await t.app.inject({ method: "GET", url: "/api/v1/status" })).json() as {
      incidents: { id: string }[];
      recent: { id: string; resolvedAt: string }[];
    };
    expect(after.incidents.map((i) => i.id)).not.toContain(pub.id);
    expect(after.recent.find((i) => i.id === pub.id)?.resolvedAt).toBe(t.c.clock.now().toISOString());
    expect(after.recent.map((i) => i.id)).not.toContain(priv.id);
  });

  it("GET /status is an HTML page with the text escaped", async () => {
    const inc = await incident({
      title: `<script>alert("x")</script> & logins`,
      impact: "critical",
      componentIds: [web.id],
      message: "Sign-in <b>fails</b> for some users.",
    });
    const res = await t.app.inject({ method: "GET", url: "/status" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain('<meta http-equiv="refresh" content="60">');
    expect(res.body).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; logins");
    expect(res.body).not.toContain("<script>");
    expect(res.body).toContain("Sign-in &lt;b&gt;fails&lt;/b&gt;");
    expect(res.body).toContain("Major outage");
    expect(res.body).toMatch(/<main[\s>]/);
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, {
      status: "resolved",
      message: "ok",
      notify: false,
    });
    const calm = await t.app.inject({ method: "GET", url: "/status" });
    expect(calm.body).toContain("All systems operational");
  });
});

describe("linked cases", () => {
  it("link with a history line; a case on another open incident is a 409 naming it", async () => {
    const one = await incident({ title: "Export broken" });
    const two = await incident({ title: "Export broken again" });
    const kase = await newCase(a1.id, "Export fails");
    const other = await newCase(b1.id, "Cannot export");
    const linked = await ok<{ linked: number }>(
      agent,
      "POST",
      `/api/v1/incidents/${one.id}/cases`,
      {
        caseIds: [kase.id, kase.id],
      },
      200,
    );
    expect(linked.linked).toBe(1);
    const history = await ok<{ items: { field: string; to: unknown }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${kase.id}/history`,
    );
    expect(history.items.find((h) => h.field === "incident")?.to).toMatchObject({
      id: one.id,
      number: one.number,
    });
    const clash = await req(agent, "POST", `/api/v1/incidents/${two.id}/cases`, {
      caseIds: [other.id, kase.id],
    });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json().errors[0].path).toBe("/caseIds/1");
    // Nothing of the refused request stays.
    expect(
      (await ok<{ items: unknown[] }>(agent, "GET", `/api/v1/incidents/${two.id}/cases`)).items,
    ).toHaveLength(0);
    expect(
      (await req(agent, "POST", `/api/v1/incidents/${two.id}/cases`, { caseIds: [crypto.randomUUID()] }))
        .statusCode,
    ).toBe(404);
    const cases = await ok<{ items: { caseId: string; accountName: string; contactId: string }[] }>(
      agent,
      "GET",
      `/api/v1/incidents/${one.id}/cases`,
    );
    expect(cases.items).toEqual([
      expect.objectContaining({ caseId: kase.id, accountName: "Acme", contactId: a1.id }),
    ]);
    const caseView = await ok<{ items: { id: string; linked: boolean }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${kase.id}/incidents`,
    );
    expect(caseView.items).toEqual([expect.objectContaining({ id: one.id, linked: true })]);
    // Once the first incident is resolved, the case may join another.
    await ok(agent, "POST", `/api/v1/incidents/${one.id}/updates`, {
      status: "resolved",
      message: "ok",
      notify: false,
    });
    await ok(agent, "POST", `/api/v1/incidents/${two.id}/cases`, { caseIds: [kase.id] }, 200);
    // Unlinking leaves a history line too.
    expect((await req(agent, "DELETE", `/api/v1/incidents/${two.id}/cases/${kase.id}`)).statusCode).toBe(204);
    expect((await req(agent, "DELETE", `/api/v1/incidents/${two.id}/cases/${kase.id}`)).statusCode).toBe(404);
    const after = await ok<{ items: { field: string; from: unknown; to: unknown }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${kase.id}/history`,
    );
    expect(after.items.some((h) => h.field === "incident" && h.to === null)).toBe(true);
    await ok(agent, "POST", `/api/v1/incidents/${two.id}/updates`, {
      status: "resolved",
      message: "ok",
      notify: false,
    });
  });

  it("suggests open unlinked cases of affected accounts, matching words first", async () => {
    t.c.clock.advance(3 * 3600_000);
    const early = await newCase(a1.id, "Something odd before");
    t.c.clock.advance(3 * 3600_000);
    // Oldest first: the ranking, not recency, must put the first two ahead of the plain one.
    const match = await newCase(a2.id, "Calendar sync stopped");
    t.c.clock.advance(60_000);
    const product = await newCase(a2.id, "Nothing works", { product: "Sync" });
    t.c.clock.advance(60_000);
    const plain = await newCase(a1.id, "Question about invoices");
    const elsewhere = await newCase(c1.id, "Calendar sync stopped too");
    const linkedElsewhere = await newCase(a1.id, "Calendar sync again");
    const busy = await incident({ title: "Busy" });
    await ok(agent, "POST", `/api/v1/incidents/${busy.id}/cases`, { caseIds: [linkedElsewhere.id] }, 200);
    t.c.clock.advance(60_000);
    const inc = await incident({
      title: "Calendar sync delays",
      affects: { accountIds: [accA], products: [] },
    });
    await ok(agent, "PATCH", `/api/v1/incidents/${inc.id}`, { affects: { accountIds: [accA] } });
    const list = await ok<{ items: { caseId: string; linkedAt: null }[] }>(
      agent,
      "GET",
      `/api/v1/incidents/${inc.id}/suggested-cases`,
    );
    const ids = list.items.map((i) => i.caseId);
    expect(ids[0]).toBe(match.id);
    expect(ids).toContain(plain.id);
    expect(ids).toContain(product.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(ids).not.toContain(early.id);
    expect(ids).not.toContain(linkedElsewhere.id);
    // Newest first among equals: without a product in the segment, the product case is not ranked up.
    expect(ids.indexOf(plain.id)).toBeLessThan(ids.indexOf(product.id));
    // A product named by the segment ranks a case up too.
    await ok(agent, "PATCH", `/api/v1/incidents/${inc.id}`, {
      affects: { accountIds: [accA, accC], products: ["sync"] },
    });
    const withProduct = (
      await ok<{ items: { caseId: string }[] }>(agent, "GET", `/api/v1/incidents/${inc.id}/suggested-cases`)
    ).items.map((i) => i.caseId);
    expect(withProduct.indexOf(product.id)).toBeLessThan(withProduct.indexOf(plain.id));
    expect(withProduct.indexOf(product.id)).toBeGreaterThanOrEqual(0);
    // No segment: any account's cases.
    await ok(agent, "PATCH", `/api/v1/incidents/${inc.id}`, { affects: null });
    const any = (
      await ok<{ items: { caseId: string }[] }>(agent, "GET", `/api/v1/incidents/${inc.id}/suggested-cases`)
    ).items.map((i) => i.caseId);
    expect(any).toContain(elsewhere.id);
    for (const i of [busy, inc])
      await ok(agent, "POST", `/api/v1/incidents/${i.id}/updates`, {
        status: "resolved",
        message: "ok",
        notify: false,
      });
  });
});

describe("telling customers", () => {
  it("linked cases get a public reply, other affected contacts one mail each, nobody twice", async () => {
    const caseA = await newCase(a1.id, "Reports do not load");
    const caseB = await newCase(b1.id, "Reports blank");
    const inc = await incident({ title: "Reports down", affects: { accountIds: [accA] }, impact: "major" });
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/cases`, { caseIds: [caseA.id, caseB.id] }, 200);
    await drain();
    const before = { a2: (await mails(a2.email)).length, c1: (await mails(c1.email)).length };
    const message = "We found the cause of the report outage and are deploying a fix.";
    const upd = await ok<{ id: string }>(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, {
      status: "identified",
      message,
    });
    await drain();
    // The linked cases: a public reply on their thread (which the email module mails).
    for (const k of [caseA, caseB]) {
      const r = await replies(k.id);
      expect(r.filter((m) => m.body.includes(message))).toHaveLength(1);
    }
    expect((await mails(a1.email, "incident.notice")).length).toBe(0);
    expect((await mails(a1.email, "case.reply")).filter((m) => m.text.includes(message))).toHaveLength(1);
    // The other contact of an affected account: one mail.
    const toA2 = await mails(a2.email, "incident.notice");
    expect(toA2).toHaveLength(1);
    expect(toA2[0]!.subject).toBe("[Status] Reports down — Identified");
    expect(toA2[0]!.text).toContain(message);
    expect(toA2[0]!.text).toContain("/status");
    expect((await mails(a2.email)).length).toBe(before.a2 + 1);
    // The unaffected account hears nothing.
    expect((await mails(c1.email)).length).toBe(before.c1);
    // Running the batch again tells nobody twice.
    await t.c.timers.schedule(t.c.db.kysely, {
      kind: INCIDENT_NOTIFY_TIMER,
      dueAt: t.c.clock.now(),
      payload: { updateId: upd.id },
    });
    await drain();
    expect(await mails(a2.email, "incident.notice")).toHaveLength(1);
    expect((await replies(caseA.id)).filter((m) => m.body.includes(message))).toHaveLength(1);
    // One notice_sent per account told, with its contacts.
    const events = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.type === "incident.notice_sent" && e.data.updateId === upd.id,
    );
    expect(events.map((e) => [e.entityType, e.accountId, e.data.contacts]).sort()).toEqual(
      [
        ["account", accA, 2],
        ["account", accB, 1],
      ].sort(),
    );
    const got = await ok<Incident>(agent, "GET", `/api/v1/incidents/${inc.id}`);
    expect(got.contactsNotified).toBe(3);
    expect(got.updates![0]).toMatchObject({ id: upd.id, noticesQueued: 3 });
    expect(got.affectedAccountCount).toBe(2);
    const affected = await ok<{
      items: { accountId: string; contactsNotified: number; linkedCases: number }[];
    }>(agent, "GET", `/api/v1/incidents/${inc.id}/affected-accounts`);
    expect(affected.items).toEqual([
      expect.objectContaining({ accountId: accA, contactsNotified: 2, linkedCases: 1 }),
      expect.objectContaining({ accountId: accB, contactsNotified: 1, linkedCases: 1 }),
    ]);
    const preview = await ok<{ accounts: number; contacts: number }>(
      agent,
      "POST",
      "/api/v1/incidents/preview-audience",
      { affects: { accountIds: [accA] }, incidentId: inc.id },
      200,
    );
    expect(preview).toEqual({ accounts: 2, contacts: 3 });
    expect(await ok(agent, "POST", "/api/v1/incidents/preview-audience", { affects: null }, 200)).toEqual({
      accounts: 0,
      contacts: 0,
    });
    // notify: false tells nobody.
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, {
      status: "monitoring",
      message: "Quietly",
      notify: false,
    });
    await drain();
    expect(await mails(a2.email, "incident.notice")).toHaveLength(1);

    // resolveLinkedCases: the message is the public reply, then each open linked case is resolved.
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, {
      status: "resolved",
      message: "Reports are back. Sorry for the trouble.",
      resolveLinkedCases: true,
    });
    await drain();
    for (const k of [caseA, caseB]) {
      const c = await ok<{ status: string }>(agent, "GET", `/api/v1/cases/${k.id}`);
      expect(c.status).toBe("resolved");
      expect((await replies(k.id)).filter((m) => m.body.includes("Reports are back"))).toHaveLength(1);
    }
    expect(await mails(a2.email, "incident.notice")).toHaveLength(2);
    // The health ledger credits an account once per incident: only its first notice says first.
    const told = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.type === "incident.notice_sent" && e.data.incidentId === inc.id,
    );
    expect(told.length).toBeGreaterThan(2);
    expect(
      told
        .filter((e) => e.data.first === true)
        .map((e) => e.accountId)
        .sort(),
    ).toEqual([accA, accB].sort());
  });

  it("a case linked after a notified update hears the latest one on its thread", async () => {
    const inc = await ok<Incident>(agent, "POST", "/api/v1/incidents", {
      title: "Phone lines",
      impact: "minor",
      message: "Our phone lines are down; email works.",
    });
    await drain();
    const kase = await newCase(b1.id, "Cannot call you");
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/cases`, { caseIds: [kase.id] }, 200);
    expect((await replies(kase.id)).filter((m) => m.body.includes("phone lines are down"))).toHaveLength(1);
    const events = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.type === "incident.notice_sent" && e.data.incidentId === inc.id,
    );
    expect(events.map((e) => e.accountId)).toEqual([accB]);
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, {
      status: "resolved",
      message: "ok",
      notify: false,
    });
  });
});

describe("customers and other capabilities", () => {
  it("the portal lists only incidents of the contact's own account", async () => {
    const mine = await incident({ title: "Acme's outage", affects: { accountIds: [accA] } });
    const viaCase = await incident({ title: "Linked to Acme" });
    const kase = await newCase(a2.id, "Acme report");
    await ok(agent, "POST", `/api/v1/incidents/${viaCase.id}/cases`, { caseIds: [kase.id] }, 200);
    const theirs = await incident({ title: "Bolt's outage", affects: { accountIds: [accB] } });
    const hidden = await incident({ title: "Private Acme", public: false, affects: { accountIds: [accA] } });
    const forA = await ok<{ items: { id: string; lastUpdate: { message: string } | null }[] }>(
      portalA,
      "GET",
      "/api/v1/portal/incidents",
    );
    expect(forA.items.map((i) => i.id).sort()).toEqual([mine.id, viaCase.id].sort());
    expect(forA.items.find((i) => i.id === mine.id)?.lastUpdate?.message).toContain("Acme's outage");
    const forC = await ok<{ items: { id: string }[] }>(portalC, "GET", "/api/v1/portal/incidents");
    expect(forC.items).toEqual([]);
    for (const i of [mine, viaCase, theirs, hidden])
      await ok(agent, "POST", `/api/v1/incidents/${i.id}/updates`, {
        status: "resolved",
        message: "ok",
        notify: false,
      });
    expect((await ok<{ items: unknown[] }>(portalA, "GET", "/api/v1/portal/incidents")).items).toEqual([]);
  });

  it("affectsAccount: by segment or a linked case, only while open", async () => {
    const db = t.c.db.kysely;
    const seg = await incident({ title: "Segment", public: false, affects: { accountIds: [accA] } });
    const linked = await incident({ title: "Linked" });
    const kase = await newCase(b1.id, "Bolt report");
    await ok(agent, "POST", `/api/v1/incidents/${linked.id}/cases`, { caseIds: [kase.id] }, 200);
    expect(await t.c.incidents.affectsAccount(db, accA)).toBe(true);
    expect(await t.c.incidents.affectsAccount(db, accB)).toBe(true);
    expect(await t.c.incidents.affectsAccount(db, accC)).toBe(false);
    const caseView = await ok<{ items: { id: string; linked: boolean }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${kase.id}/incidents`,
    );
    expect(caseView.items).toEqual([expect.objectContaining({ id: linked.id, linked: true })]);
    const acmeCase = await newCase(a1.id, "Acme question");
    const acmeView = await ok<{ items: { id: string; linked: boolean }[] }>(
      agent,
      "GET",
      `/api/v1/cases/${acmeCase.id}/incidents`,
    );
    expect(acmeView.items).toEqual([expect.objectContaining({ id: seg.id, linked: false })]);
    for (const i of [seg, linked])
      await ok(agent, "POST", `/api/v1/incidents/${i.id}/updates`, {
        status: "resolved",
        message: "ok",
        notify: false,
      });
    expect(await t.c.incidents.affectsAccount(db, accA)).toBe(false);
    expect(await t.c.incidents.affectsAccount(db, accB)).toBe(false);
  });

  it("resolved incidents leave the status page after 14 days", async () => {
    const inc = await incident({ title: "Old news" });
    await ok(agent, "POST", `/api/v1/incidents/${inc.id}/updates`, {
      status: "resolved",
      message: "ok",
      notify: false,
    });
    const recent = async () =>
      (
        (await t.app.inject({ method: "GET", url: "/api/v1/status" })).json() as { recent: { id: string }[] }
      ).recent.map((i) => i.id);
    expect(await recent()).toContain(inc.id);
    t.c.clock.advance(15 * 86_400_000);
    expect(await recent()).not.toContain(inc.id);
  });
});
