import { Button, Text } from "@mantine/core";
import { Link, Navigate, Outlet, useLocation, useNavigate } from "react-router-dom";
import { FullPageLoader } from "../components/full-page-loader";
import classes from "./portal.module.css";
import { usePortalMe, useSignOut } from "./portal-api";

/**
 * The customer portal's own shell: simple, one column, phone first. Signed-out visitors see
 * only the sign-in page; everything else needs a portal session (never a staff one).
 */
export function PortalLayout() {
  const me = usePortalMe();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const onSignIn = location.pathname.startsWith("/portal/sign-in");

  if (me.isPending) return <FullPageLoader />;
  if (!me.data && !onSignIn) return <Navigate to="/portal/sign-in" replace />;

  return (
    <div className={classes.shell}>
      <a className={classes.skip} href="#portal-main">
        Skip to content
      </a>
      <header className={classes.header}>
        <div className={classes.headerInner}>
          <Link to="/portal" className={classes.headerTitle}>
            Customer support
          </Link>
          <span className={classes.spacer} />
          {me.data ? (
            <>
              <Text fz={14} c="dimmed" visibleFrom="xs">
                {me.data.contact.name} · {me.data.account.name}
              </Text>
              <Button
                variant="subtle"
                size="sm"
                onClick={() => signOut.mutate(undefined, { onSettled: () => navigate("/portal/sign-in") })}
              >
                Sign out
              </Button>
            </>
          ) : null}
        </div>
      </header>
      <main id="portal-main" className={classes.main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
