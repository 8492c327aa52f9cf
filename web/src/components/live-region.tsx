import { VisuallyHidden } from "@mantine/core";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";

type TAnnounce = (message: string) => void;

const AnnouncerContext = createContext<TAnnounce | null>(null);

/**
 * One polite live region for the whole shell. Screen readers read what is announced here
 * without moving focus: page changes now; new cases and updates in later releases.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  const timer = useRef<number | undefined>(undefined);

  const announce = useCallback<TAnnounce>((next) => {
    // Clear first so that announcing the same words twice is still heard twice.
    setMessage("");
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMessage(next), 60);
  }, []);

  const value = useMemo(() => announce, [announce]);
  return (
    <AnnouncerContext.Provider value={value}>
      {children}
      <VisuallyHidden role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
        {message}
      </VisuallyHidden>
    </AnnouncerContext.Provider>
  );
}

export function useAnnounce(): TAnnounce {
  const announce = useContext(AnnouncerContext);
  if (!announce) throw new Error("useAnnounce() needs an <AnnouncerProvider> above it");
  return announce;
}
