import { useEffect, useRef } from "react";
import { useLocation } from "react-router-dom";
import { useAnnounce } from "./live-region";

/**
 * Client-side navigation is silent to screen readers, so say where the user landed, using
 * the title the new page sets (read a tick later, once the page's own effects have run).
 * The first page after a load is left to the browser, which reads it already.
 *
 * What made the user move can be said first: `navigate(to, { state: { announce: "Account
 * deleted: Acme" } })` is read as "Account deleted: Acme. Customers".
 */
export function RouteAnnouncer() {
  const { pathname, state } = useLocation();
  const announce = useAnnounce();
  const previous = useRef(pathname);
  const lead =
    typeof (state as { announce?: unknown } | null)?.announce === "string"
      ? (state as { announce: string }).announce
      : "";

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const timer = window.setTimeout(() => {
      const title = document.title.replace(/ · Keepdesk$/, "");
      announce(lead ? `${lead}. ${title}` : title);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [pathname, lead, announce]);

  return null;
}
