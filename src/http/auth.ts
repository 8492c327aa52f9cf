import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Container } from "../container.ts";
import type { Authenticated } from "../modules/auth/auth.service.ts";
import type { RequestCtx } from "../platform/auth/actor.ts";
import { safeEqual } from "../platform/auth/secrets.ts";
import { AppError } from "../platform/errors.ts";

export const SESSION_COOKIE = "kd_session";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    auth?: Authenticated;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in itself, health, public forms). */
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Authenticates every /api route that is not marked public: a session cookie (and, for
 * state changes, the CSRF token that came with it) or an API token as a Bearer header.
 */
export function registerAuthHook(app: FastifyInstance, c: Container) {
  app.addHook("preHandler", async (request) => {
    const url = request.routeOptions.url ?? "";
    if (!url.startsWith("/api/v1/") || request.routeOptions.config.public) return;
    request.auth = await authenticate(request, c);
  });
}

async function authenticate(request: FastifyRequest, c: Container): Promise<Authenticated> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const auth = match ? await c.auth.authenticateToken(match[1]!) : undefined;
    if (!auth) throw new AppError("unauthenticated", "The API token is not valid");
    return auth;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  const auth = cookie ? await c.auth.authenticateSession(cookie) : undefined;
  if (!auth) throw new AppError("unauthenticated", "Sign in first");
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) {
      throw new AppError("forbidden", "Missing or wrong X-CSRF-Token header", { title: "CSRF check failed" });
    }
  }
  return auth;
}

/** The service context of a signed-in request. */
export function ctxOf(request: FastifyRequest): RequestCtx {
  if (!request.auth) throw new AppError("unauthenticated", "Sign in first");
  return { actor: request.auth.actor, ip: request.ip, requestId: request.id };
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
