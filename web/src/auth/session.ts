import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, clearCsrfToken, unwrap } from "../api/client";
import { ApiError } from "../api/problem";
import type { paths } from "../api/schema";

export type TUser = paths["/api/v1/me"]["get"]["responses"][200]["content"]["application/json"]["user"];
export type TRole = TUser["role"];
export type TPresence = TUser["status"];

/** Why nobody is signed in: never was, the session ran out, or the user signed out. */
export type TSignedOutReason = "anonymous" | "expired" | "signed-out";

export type TSession =
  | { status: "signed-in"; user: TUser }
  | { status: "signed-out"; reason: TSignedOutReason };

export const sessionQueryKey = ["session"] as const;

/** What a 401 means depends on what we believed before it arrived. */
export function signedOutAfter(previous: TSession | undefined): TSession {
  if (previous?.status === "signed-in") return { status: "signed-out", reason: "expired" };
  return { status: "signed-out", reason: previous?.reason ?? "anonymous" };
}

export function useSession() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async (): Promise<TSession> => {
      try {
        const { user } = await unwrap(api.GET("/api/v1/me"));
        return { status: "signed-in", user };
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          return signedOutAfter(queryClient.getQueryData<TSession>(sessionQueryKey));
        }
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    // Coming back to the tab re-checks the session (one small request), so an expired one
    // sends the user to sign in at once instead of at their next click.
    refetchOnWindowFocus: "always",
  });
}

/** The signed-in user. Only call it below <RequireAuth>, where a user is guaranteed. */
export function useCurrentUser(): TUser {
  const { data } = useSession();
  if (data?.status !== "signed-in") throw new Error("useCurrentUser() called outside a signed-in area");
  return data.user;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/login", { body: credentials })),
    onSuccess: ({ user }) => {
      const session: TSession = { status: "signed-in", user };
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await unwrap(api.POST("/api/v1/auth/logout"));
      } catch (error) {
        // Already signed out on the server: that is what we wanted.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      clearCsrfToken();
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
      const session: TSession = { status: "signed-out", reason: "signed-out" };
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}

export function canAdminister(role: TRole): boolean {
  return role === "admin" || role === "manager";
}
