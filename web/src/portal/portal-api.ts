import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import createClient, { type Middleware } from "openapi-fetch";
import { ApiError } from "../api/problem";
import type { components, paths } from "../api/schema";

/**
 * The portal's own API client. A portal session is a separate identity (cookie kd_portal, sent
 * only to /api/v1/portal): its CSRF token is kept here, apart from the staff client's, and a 401
 * means "sign in to the portal", never the staff sign-in page.
 */

type Schemas = components["schemas"];
export type TPortalMe =
  paths["/api/v1/portal/me"]["get"]["responses"][200]["content"]["application/json"]["me"];
export type TPortalCase =
  paths["/api/v1/portal/cases/{id}"]["get"]["responses"][200]["content"]["application/json"];
export type TPortalMessage =
  paths["/api/v1/portal/cases/{id}/messages"]["get"]["responses"][200]["content"]["application/json"]["items"][number];
export type { Schemas };

let csrfToken: string | null = null;
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

const middleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !SAFE.has(request.method)) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
  async onResponse({ response, schemaPath }) {
    if (response.ok && (schemaPath === "/api/v1/portal/me" || schemaPath === "/api/v1/portal/auth/sign-in")) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { csrfToken?: unknown } | null;
      if (typeof body?.csrfToken === "string") csrfToken = body.csrfToken;
    }
    if (response.status === 401 || schemaPath === "/api/v1/portal/auth/sign-out") csrfToken = null;
    return undefined;
  },
};

export const portalApi = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
portalApi.use(middleware);

async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return result.data as T;
}

export const portalKeys = {
  me: ["portal", "me"] as const,
  cases: (state: string) => ["portal", "cases", state] as const,
  case: (id: string) => ["portal", "case", id] as const,
  thread: (id: string) => ["portal", "thread", id] as const,
};

/** The signed-in contact, or null when not signed in to the portal. */
export function usePortalMe() {
  return useQuery({
    queryKey: portalKeys.me,
    queryFn: async (): Promise<TPortalMe | null> => {
      try {
        return (await unwrap(portalApi.GET("/api/v1/portal/me"))).me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useRequestLink() {
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(portalApi.POST("/api/v1/portal/auth/request-link", { body: { email } })),
  });
}

export function useRedeemLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(portalApi.POST("/api/v1/portal/auth/sign-in", { body: { token } })),
    onSuccess: (data) => {
      qc.removeQueries({ queryKey: ["portal"] });
      qc.setQueryData(portalKeys.me, data.me);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(portalApi.POST("/api/v1/portal/auth/sign-out")),
    onSettled: () => {
      qc.removeQueries({ queryKey: ["portal"] });
      qc.setQueryData(portalKeys.me, null);
    },
  });
}

export function usePortalCases(state: "open" | "resolved" | "all") {
  return useQuery({
    queryKey: portalKeys.cases(state),
    queryFn: () =>
      unwrap(portalApi.GET("/api/v1/portal/cases", { params: { query: { state, limit: 100 } } })),
  });
}

/** Open public incidents affecting the contact's account or one of its cases ("known problems"). */
export function usePortalIncidents() {
  return useQuery({
    queryKey: ["portal", "incidents"] as const,
    queryFn: () => unwrap(portalApi.GET("/api/v1/portal/incidents")),
    staleTime: 60_000,
    refetchInterval: 120_000,
  });
}

export function usePortalCase(id: string) {
  return useQuery({
    queryKey: portalKeys.case(id),
    queryFn: () => unwrap(portalApi.GET("/api/v1/portal/cases/{id}", { params: { path: { id } } })),
  });
}

export function usePortalThread(id: string) {
  return useQuery({
    queryKey: portalKeys.thread(id),
    queryFn: () => unwrap(portalApi.GET("/api/v1/portal/cases/{id}/messages", { params: { path: { id } } })),
  });
}

export function useRaiseCase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { subject: string; description: string; product?: string }) =>
      unwrap(portalApi.POST("/api/v1/portal/cases", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["portal", "cases"] }),
  });
}

export function useReply(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(
        portalApi.POST("/api/v1/portal/cases/{id}/messages", { params: { path: { id } }, body: { body } }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: portalKeys.thread(id) });
      void qc.invalidateQueries({ queryKey: portalKeys.case(id) });
      void qc.invalidateQueries({ queryKey: ["portal", "cases"] });
    },
  });
}

export function useCallback(id: string) {
  return useMutation({
    mutationFn: (body: { from: string; to: string; phone?: string; note?: string }) =>
      unwrap(portalApi.POST("/api/v1/portal/cases/{id}/callback", { params: { path: { id } }, body })),
  });
}

export function useEscalate(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        portalApi.POST("/api/v1/portal/cases/{id}/escalate", { params: { path: { id } }, body: { reason } }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: portalKeys.case(id) }),
  });
}

/** "Tue 3 Mar, 14:00" in the viewer's own time zone. */
export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}
