import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { FullPageLoader } from "../components/full-page-loader";
import { ServerUnreachable } from "../components/server-unreachable";
import { loginPathFor } from "./next-path";
import { useSession } from "./session";

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();

  if (session.data === undefined) {
    if (session.isError) return <ServerUnreachable error={session.error} onRetry={() => session.refetch()} />;
    return <FullPageLoader />;
  }
  if (session.data.status === "signed-out") {
    return <Navigate to={session.data.reason === "signed-out" ? "/login" : loginPathFor(location)} replace />;
  }
  return children;
}
