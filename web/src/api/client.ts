import createClient, { type Middleware } from "openapi-fetch";
import { ApiError } from "./problem";
import type { paths } from "./schema";

/**
 * The one typed client for the Keepdesk API. The session lives in an HttpOnly cookie; the
 * CSRF token that must accompany every state-changing request is kept here, in memory only,
 * and refreshed from each successful `/me` and `/auth/login` answer.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SESSION_PATHS = new Set(["/api/v1/me", "/api/v1/auth/login"]);
// A 401 from these does not mean "your session ended": login answers 401 for a wrong password.
const NOT_A_SESSION_END = new Set(["/api/v1/auth/login"]);

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

/** Registers a callback run whenever the API says the session is gone (HTTP 401). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function clearCsrfToken(): void {
  csrfToken = null;
}

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method)) {
      request.headers.set("X-CSRF-Token", csrfToken);
    }
    return request;
  },
  async onResponse({ response, schemaPath }) {
    if (response.status === 401 && !NOT_A_SESSION_END.has(schemaPath)) {
      csrfToken = null;
      for (const listener of unauthorizedListeners) listener();
      return undefined;
    }
    if (response.ok && SESSION_PATHS.has(schemaPath)) {
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => null);
      const token = (body as { csrfToken?: unknown } | null)?.csrfToken;
      if (typeof token === "string") csrfToken = token;
    }
    if (response.ok && schemaPath === "/api/v1/auth/logout") csrfToken = null;
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(sessionMiddleware);

/**
 * Runs an openapi-fetch call and returns its data, or throws an ApiError (status 0 when the
 * server could not be reached). Use it in TanStack Query functions and mutations.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return result.data as T;
}
