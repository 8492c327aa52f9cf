import { useEffect } from "react";
import { useOptionalAnnounce } from "./live-region";

// The first page after a load is announced by the browser itself; later, client-side
// navigations are silent to screen readers unless we say where the user landed.
let isFirstPage = true;

export function usePageTitle(title: string): void {
  const announce = useOptionalAnnounce();
  useEffect(() => {
    document.title = `${title} · Keepdesk`;
    if (isFirstPage) {
      isFirstPage = false;
      return;
    }
    announce(`${title} page`);
  }, [title, announce]);
}
