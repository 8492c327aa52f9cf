import { useEffect } from "react";

/** Sets the tab title; <RouteAnnouncer> reads it to tell screen readers where they landed. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Keepdesk`;
  }, [title]);
}
