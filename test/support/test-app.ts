import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { type App, buildApp } from "../../src/http/app.ts";
import type { Role } from "../../src/platform/auth/actor.ts";
import { SYSTEM } from "../../src/platform/auth/actor.ts";
import { createTestContainer, type TestContainer } from "./test-db.ts";

export type Session = {
  cookie: string;
  csrfToken: string;
  userId: string;
  /** Sends a request as this user (cookie, and the CSRF header on changes). */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
};

export type TestApp = {
  app: App;
  c: TestContainer;
  /** Creates a user with this role and signs them in. */
  signInAs(role: Role, email?: string): Promise<Session>;
  signIn(email: string, password: string): Promise<Session>;
  close(): Promise<void>;
};

export const TEST_PASSWORD = "correct-horse-battery";
let n = 0;

export async function createTestApp(): Promise<TestApp> {
  const c = await createTestContainer();
  const app = await buildApp(c);
  await app.ready();

  const signIn = async (email: string, password: string): Promise<Session> => {
    const res = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((k) => k.name === "kd_session");
    const body = res.json() as { csrfToken: string; user: { id: string } };
    const cookieHeader = `kd_session=${cookie!.value}`;
    return {
      cookie: cookieHeader,
      csrfToken: body.csrfToken,
      userId: body.user.id,
      request: (opts) =>
        app.inject({
          ...opts,
          headers: { cookie: cookieHeader, "x-csrf-token": body.csrfToken, ...(opts.headers ?? {}) },
        }),
    };
  };

  return {
    app,
    c,
    signIn,
    async signInAs(role, email = `${role}${++n}@example.test`) {
      await c.users.create(SYSTEM, { email, name: `Test ${role} ${n}`, role, password: TEST_PASSWORD });
      return signIn(email, TEST_PASSWORD);
    },
    async close() {
      await app.close();
      await c.testDb.drop();
    },
  };
}
