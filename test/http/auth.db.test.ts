import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FAILED_PER_EMAIL } from "../../src/modules/auth/auth.service.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe("sign-in", () => {
  it("sets an HttpOnly SameSite session cookie and returns the user and a CSRF token", async () => {
    await t.signInAs("agent", "ann@example.test");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ANN@example.test", password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((k) => k.name === "kd_session")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    const body = res.json();
    expect(body.user.email).toBe("ann@example.test");
    expect(body.user).not.toHaveProperty("passwordHash");
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it("refuses a wrong password with 401 problem+json and audits the failure", async () => {
    await t.signInAs("agent", "bob@example.test");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "bob@example.test", password: "wrong-password" },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({ status: 401, title: "Not signed in" });
    const rows = await t.c.db.kysely
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "auth.login_failed")
      .execute();
    expect(rows.some((r) => r.actor_email === "bob@example.test")).toBe(true);
  });

  it("names the missing or malformed field on bad input", async () => {
    const missing = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "x@example.test" },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: "/password", message: "is required" }]);
    const malformed = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "not-an-email", password: "x" },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].path).toBe("/email");
    const notJson = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.headers["content-type"]).toContain("application/problem+json");
  });

  it("rate-limits repeated failures for one email with 429", async () => {
    await t.signInAs("agent", "carol@example.test");
    for (let i = 0; i < MAX_FAILED_PER_EMAIL; i++) {
      const r = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "carol@example.test", password: `nope-${i}` },
      });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "carol@example.test", password: TEST_PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers["retry-after"]).toBeDefined();
    // After the window the right password works again.
    t.c.clock.advanceMinutes(16);
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "carol@example.test", password: TEST_PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe("sessions and CSRF", () => {
  it("answers 401 without a session and 200 with one", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    const s = await t.signInAs("manager");
    const me = await s.request({ method: "GET", url: "/api/v1/me" });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.role).toBe("manager");
    expect(me.json().csrfToken).toBe(s.csrfToken);
  });

  it("refuses a cookie-authenticated change without the CSRF token", async () => {
    const s = await t.signInAs("agent");
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/me",
      headers: { cookie: s.cookie },
      payload: { status: "available" },
    });
    expect(res.statusCode).toBe(403);
    const ok = await s.request({ method: "PATCH", url: "/api/v1/me", payload: { status: "available" } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe("available");
  });

  it("ends the session on logout", async () => {
    const s = await t.signInAs("agent");
    expect((await s.request({ method: "POST", url: "/api/v1/auth/logout" })).statusCode).toBe(204);
    expect((await s.request({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
  });
});

describe("API tokens", () => {
  it("creates a token shown once, stored hashed, usable as Bearer without CSRF, and revocable", async () => {
    const s = await t.signInAs("admin");
    const created = await s.request({ method: "POST", url: "/api/v1/api-tokens", payload: { name: "CI" } });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const stored = await t.c.db.kysely
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const viaToken = await t.app.inject({
      method: "POST",
      url: "/api/v1/teams",
      headers: { authorization: `Bearer ${token}` },
      payload: { name: "Token team" },
    });
    expect(viaToken.statusCode).toBe(201);
    const list = await s.request({ method: "GET", url: "/api/v1/api-tokens" });
    expect(JSON.stringify(list.json())).not.toContain(token);
    expect((await s.request({ method: "DELETE", url: `/api/v1/api-tokens/${id}` })).statusCode).toBe(204);
    const after = await t.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
  });
});

describe("audit", () => {
  it("records sign-ins and admin changes, readable by admins only", async () => {
    const admin = await t.signInAs("admin");
    const created = await admin.request({
      method: "POST",
      url: "/api/v1/users",
      payload: {
        email: "new.agent@example.test",
        name: "New Agent",
        role: "agent",
        password: "long-enough-pw",
      },
    });
    expect(created.statusCode).toBe(201);
    const audit = await admin.request({ method: "GET", url: "/api/v1/audit?limit=200" });
    expect(audit.statusCode).toBe(200);
    const actions = audit.json().items.map((e: { action: string }) => e.action);
    expect(actions).toContain("auth.login");
    expect(actions).toContain("user.created");
    const agent = await t.signInAs("agent");
    expect((await agent.request({ method: "GET", url: "/api/v1/audit" })).statusCode).toBe(403);
  });
});
