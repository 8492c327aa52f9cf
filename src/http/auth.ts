import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Container } from "../container.ts";
import type { Authenticated } from "../modules/auth/auth.service.ts";
import type { PortalAuthenticated } from "../modules/portal/portal.service.ts";
import type { RequestCtx } from "../platform/auth/actor.ts";
import { safeEqual } from "../platform/auth/secrets.ts";
import { AppError } from "../platform/errors.ts";

export const SESSION_COOKIE = "kd_session";
export const CSRF_HEADER = "x-csrf-token";
/** The customer portal's own session cookie: a separate identity, sent only to /api/v1/portal. */
export const PORTAL_COOKIE = "kd_portal";
export const PORTAL_COOKIE_PATH = "/api/v1/portal";

declare module "fastify" {
  interface FastifyRequest {
    auth?: Authenticated;
    /** The signed-in portal contact (routes marked `portal`). */
    portal?: PortalAuthenticated;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in itself, health, public forms). */
    public?: boolean;
    /** A customer-portal route: only a portal session (cookie kd_portal) is accepted. */
    portal?: boolean;
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
    // Portal routes know only portal sessions; every other route only staff sessions and tokens.
    if (request.routeOptions.config.portal) {
      request.portal = await authenticatePortal(request, c);
      return;
    }
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

async function authenticatePortal(request: FastifyRequest, c: Container): Promise<PortalAuthenticated> {
  const cookie = request.cookies[PORTAL_COOKIE];
  const auth = cookie ? await c.portal.authenticateSession(cookie) : undefined;
  if (!auth) throw new AppError("unauthenticated", "Sign in to the portal first");
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !safeEqual(sent, auth.csrfToken)) {
      throw new AppError("forbidden", "Missing or wrong X-CSRF-Token header", { title: "CSRF check failed" });
    }
  }
  return auth;
}

/** The service context of a signed-in portal request. */
export function portalCtxOf(request: FastifyRequest): RequestCtx & { actor: PortalAuthenticated["actor"] } {
  if (!request.portal) throw new AppError("unauthenticated", "Sign in to the portal first");
  return { actor: request.portal.actor, ip: request.ip, requestId: request.id };
}

export function setPortalCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean) {
  reply.setCookie(PORTAL_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: PORTAL_COOKIE_PATH,
    expires: expiresAt,
  });
}

export function clearPortalCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(PORTAL_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: PORTAL_COOKIE_PATH });
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
