import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { clearSessionCookie, ctxOf, setSessionCookie } from "../../http/auth.ts";
import { Email, IdParams, Name, ProblemResponse, problemResponses } from "../../http/schemas.ts";
import { UpdateSelfBody, UserSchema } from "../users/users.routes.ts";

const SignedInSchema = Type.Object({ user: UserSchema, csrfToken: Type.String() });
const ApiTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  userId: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
  lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

export const authRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/v1/auth/login",
      {
        config: { public: true },
        schema: {
          tags: ["auth"],
          summary: "Sign in; sets the HttpOnly session cookie",
          body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 1000 }) }),
          response: {
            200: SignedInSchema,
            400: ProblemResponse,
            401: ProblemResponse,
            429: ProblemResponse,
          },
        },
      },
      async (request, reply) => {
        const result = await c.auth.login(request.body, {
          ip: request.ip,
          userAgent: request.headers["user-agent"],
        });
        setSessionCookie(reply, result.sessionToken, result.expiresAt, c.config.secureCookies);
        return { user: result.user, csrfToken: result.csrfToken };
      },
    );

    app.post(
      "/api/v1/auth/logout",
      {
        schema: { tags: ["auth"], summary: "Sign out", response: { 204: Type.Null(), ...problemResponses } },
      },
      async (request, reply) => {
        await c.auth.logout(request.auth?.sessionId);
        clearSessionCookie(reply, c.config.secureCookies);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/me",
      {
        schema: {
          tags: ["auth"],
          summary: "The signed-in user, and the CSRF token for this session",
          response: { 200: Type.Object({ user: UserSchema, csrfToken: Type.String() }), ...problemResponses },
        },
      },
      async (request) => ({ user: request.auth!.user, csrfToken: request.auth!.csrfToken ?? "" }),
    );

    app.patch(
      "/api/v1/me",
      {
        schema: {
          tags: ["auth"],
          summary: "Edit your own profile, presence or password",
          body: UpdateSelfBody,
          response: { 200: UserSchema, ...problemResponses },
        },
      },
      async (request) => c.users.update(ctxOf(request), request.auth!.user.id, request.body),
    );

    app.get(
      "/api/v1/api-tokens",
      {
        schema: {
          tags: ["auth"],
          summary: "Your API tokens (all tokens for admins)",
          response: {
            200: Type.Object({ items: Type.Array(ApiTokenSchema), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await c.auth.listTokens(ctxOf(request).actor), nextCursor: null }),
    );

    app.post(
      "/api/v1/api-tokens",
      {
        schema: {
          tags: ["auth"],
          summary: "Create an API token; the token is shown only in this response",
          body: Type.Object({ name: Name }),
          response: {
            201: Type.Intersect([ApiTokenSchema, Type.Object({ token: Type.String() })]),
            ...problemResponses,
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.auth.createToken(ctxOf(request), request.body.name)),
    );

    app.delete(
      "/api/v1/api-tokens/:id",
      {
        schema: {
          tags: ["auth"],
          summary: "Revoke an API token",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.auth.revokeToken(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
