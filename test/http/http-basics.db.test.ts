import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
});
afterAll(async () => t?.close());

describe("health and readiness", () => {
  it("answers /health and /ready without signing in", async () => {
    expect((await t.app.inject({ url: "/health" })).json()).toEqual({ status: "ok" });
    const ready = await t.app.inject({ url: "/ready" });
    expect(ready.statusCode).toBe(200);
  });

  it("/ready answers 503 when the database is behind the migrations on disk", async () => {
    await sql`delete from schema_migrations where version = 3`.execute(t.c.db.kysely);
    const res = await t.app.inject({ url: "/ready" });
    expect(res.statusCode).toBe(503);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    await sql`insert into schema_migrations (version, name) values (3, 'customers')`.execute(t.c.db.kysely);
    expect((await t.app.inject({ url: "/ready" })).statusCode).toBe(200);
  });
});

describe("OpenAPI", () => {
  it("serves the document at /api/docs/json with the public contract's routes", async () => {
    const res = await t.app.inject({ url: "/api/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      "/api/v1/auth/login",
      "/api/v1/me",
      "/api/v1/users",
      "/api/v1/teams",
      "/api/v1/api-tokens",
      "/api/v1/audit",
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const loginResponses = doc.paths["/api/v1/auth/login"].post.responses;
    expect(Object.keys(loginResponses["401"].content)).toEqual(["application/problem+json"]);
    const ui = await t.app.inject({ url: "/api/docs" });
    expect([200, 302]).toContain(ui.statusCode);
  });
});

describe("security headers", () => {
  it("sets CSP, nosniff, frame and referrer headers", async () => {
    const res = await t.app.inject({ url: "/health" });
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
  });
});

const forged = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");

describe("bad input never gets a 500", () => {
  const uuid = "0190a3c4-0000-7000-8000-000000000000";
  const cases: {
    method: "POST" | "PATCH" | "GET" | "DELETE";
    url: string;
    payload?: unknown;
    path: string;
  }[] = [
    { method: "POST", url: "/api/v1/users", payload: { name: "X", role: "agent" }, path: "/email" },
    {
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "x@example.test", name: "X", role: "boss" },
      path: "/role",
    },
    {
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "x@example.test", name: "", role: "agent" },
      path: "/name",
    },
    {
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "x@example.test", name: "X", role: "agent", password: "short" },
      path: "/password",
    },
    {
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "x@example.test", name: "X", role: "agent", capacity: -1 },
      path: "/capacity",
    },
    {
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "x@example.test", name: "X", role: "agent", timeZone: "Mars/Olympus" },
      path: "/timeZone",
    },
    {
      method: "POST",
      url: "/api/v1/users",
      payload: { email: "x@example.test", name: "X", role: "agent", teamIds: ["nope"] },
      path: "/teamIds/0",
    },
    { method: "PATCH", url: `/api/v1/users/${uuid}`, payload: { status: "asleep" }, path: "/status" },
    { method: "PATCH", url: "/api/v1/me", payload: { name: 5 }, path: "/name" },
    { method: "POST", url: "/api/v1/teams", payload: {}, path: "/name" },
    { method: "POST", url: "/api/v1/teams", payload: { name: "T", leadId: "x" }, path: "/leadId" },
    { method: "PATCH", url: `/api/v1/teams/${uuid}`, payload: { memberIds: "all" }, path: "/memberIds" },
    { method: "DELETE", url: "/api/v1/teams/123", path: "/id" },
    { method: "POST", url: "/api/v1/api-tokens", payload: { name: "" }, path: "/name" },
    { method: "GET", url: "/api/v1/users?limit=0", path: "/limit" },
    { method: "GET", url: "/api/v1/users?limit=abc", path: "/limit" },
    { method: "GET", url: "/api/v1/users?cursor=garbage", path: "/cursor" },
    { method: "GET", url: "/api/v1/audit?actorId=1", path: "/actorId" },
    { method: "GET", url: `/api/v1/users/urn:uuid:${uuid}`, path: "/id" },
    { method: "GET", url: `/api/v1/users?cursor=${forged(["x", "not-a-uuid"])}`, path: "/cursor" },
    { method: "GET", url: `/api/v1/audit?cursor=${forged(["yesterday", uuid])}`, path: "/cursor" },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.url} ${JSON.stringify(c.payload ?? "")} → 400 naming ${c.path}`, async () => {
      const res = await admin.request({ method: c.method, url: c.url, payload: c.payload as object });
      expect(res.statusCode).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      const body = res.json();
      expect(body).toMatchObject({
        status: 400,
        title: expect.any(String),
        detail: expect.any(String),
        type: expect.any(String),
      });
      expect(body.errors.map((e: { path: string }) => e.path)).toContain(c.path);
    });
  }

  it("rejects a non-JSON body with 415 problem+json", async () => {
    const res = await admin.request({
      method: "POST",
      url: "/api/v1/teams",
      headers: { "content-type": "text/plain" },
      payload: "name=x",
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });

  it("answers unknown API routes with a 404 problem", async () => {
    const res = await admin.request({ method: "GET", url: "/api/v1/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });
});
