import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { onUnauthorized } from "../api/client";
import { sessionQueryKey, signedOutAfter, type TSession } from "./session";

/**
 * Turns any 401 from the API into "signed out": the session query flips, cached data of the
 * old session is dropped, and <RequireAuth> sends the user to the sign-in page.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        const previous = queryClient.getQueryData<TSession>(sessionQueryKey);
        if (previous?.status !== "signed-in") return;
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
        queryClient.setQueryData<TSession>(sessionQueryKey, signedOutAfter(previous));
      }),
    [queryClient],
  );
  return children;
}
