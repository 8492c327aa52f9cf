import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../test/support/test-db.ts";
import { type App, buildApp } from "../http/app.ts";
import { SYSTEM } from "./auth/actor.ts";
import { createLogger } from "./logger.ts";

/** Everything the logger writes, as text. */
function capture() {
  const chunks: string[] = [];
  return {
    stream: { write: (chunk: string) => void chunks.push(chunk) },
    text: () => chunks.join(""),
  };
}

describe("logs never contain secrets", () => {
  const PASSWORD = "Tr0ub4dor&3-horse-staple";
  const WRONG_PASSWORD = "not-the-password-7c1f";
  const log = capture();
  let c: TestContainer;
  let app: App;

  beforeAll(async () => {
    c = await createTestContainer({ log: createLogger("trace", log.stream) });
    await c.users.create(SYSTEM, {
      email: "ada@example.test",
      name: "Ada",
      role: "admin",
      password: PASSWORD,
    });
    app = await buildApp(c);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await c?.testDb.drop();
  });

  it("keeps passwords, session cookies, CSRF tokens and API tokens out of request logs", async () => {
    const failed = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ada@example.test", password: WRONG_PASSWORD },
    });
    expect(failed.statusCode).toBe(401);
    const invalid = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "not-an-email", password: PASSWORD },
    });
    expect(invalid.statusCode).toBe(400);

    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ada@example.test", password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const session = login.cookies.find((k) => k.name === "kd_session")!.value;
    const csrfToken: string = login.json().csrfToken;
    const headers = { cookie: `kd_session=${session}`, "x-csrf-token": csrfToken };

    const created = await app.inject({
      method: "POST",
      url: "/api/v1/api-tokens",
      headers,
      payload: { name: "CI" },
    });
    expect(created.statusCode).toBe(201);
    const apiToken: string = created.json().token;

    const viaToken = await app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${apiToken}`, cookie: `kd_session=${session}` },
    });
    expect(viaToken.statusCode).toBe(200);
    const badToken = await app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `Bearer ${apiToken}x` },
    });
    expect(badToken.statusCode).toBe(401);
    const changed = await app.inject({
      method: "PATCH",
      url: "/api/v1/me",
      headers,
      payload: { status: "available" },
    });
    expect(changed.statusCode).toBe(200);
    const wrongCsrf = await app.inject({
      method: "PATCH",
      url: "/api/v1/me",
      headers: { ...headers, "x-csrf-token": `${csrfToken}x` },
      payload: { status: "away" },
    });
    expect(wrongCsrf.statusCode).toBe(403);

    const text = log.text();
    // The requests were logged (so the checks below look at something) …
    expect(text).toContain('"url":"/api/v1/auth/login"');
    expect(text).toContain('"url":"/api/v1/api-tokens"');
    expect(text).toContain('"url":"/api/v1/me"');
    expect(text).toContain('"statusCode":403');
    // … and no secret is in them, in any form.
    for (const secret of [PASSWORD, WRONG_PASSWORD, session, csrfToken, apiToken]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
  });

  it("redacts secrets that code passes to the logger itself", () => {
    const own = capture();
    const logger = createLogger("trace", own.stream);
    logger.info(
      {
        req: { headers: { cookie: "kd_session=s3cr3t-cookie", authorization: "Bearer s3cr3t-bearer" } },
        headers: { cookie: "kd_session=s3cr3t-cookie-2", authorization: "Bearer s3cr3t-bearer-2" },
        password: "s3cr3t-password",
        user: { email: "ada@example.test", password: "s3cr3t-nested", passwordHash: "$argon2id$s3cr3t-hash" },
        body: { password: "s3cr3t-body" },
        token: "s3cr3t-token",
        session: { csrfToken: "s3cr3t-csrf" },
      },
      "something happened",
    );
    logger.info({ res: { headers: { "set-cookie": "kd_session=s3cr3t-set-cookie" } } }, "response");
    logger.info({ req: { headers: { "x-csrf-token": "s3cr3t-csrf-header" } } }, "request");
    const text = own.text();
    expect(text).toContain("something happened");
    expect(text).toContain("ada@example.test");
    expect(text).toContain("[redacted]");
    expect(text).not.toMatch(/s3cr3t/);
  });
});
