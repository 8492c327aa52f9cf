import { useEffect, useRef } from "react";
import { useLocation } from "react-router-dom";
import { useAnnounce } from "./live-region";

/**
 * Client-side navigation is silent to screen readers, so say where the user landed, using
 * the title the new page sets (read a tick later, once the page's own effects have run).
 * The first page after a load is left to the browser, which reads it already.
 */
export function RouteAnnouncer() {
  const { pathname } = useLocation();
  const announce = useAnnounce();
  const previous = useRef(pathname);

  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const timer = window.setTimeout(() => announce(document.title.replace(/ · Keepdesk$/, "")), 0);
    return () => window.clearTimeout(timer);
  }, [pathname, announce]);

  return null;
}
