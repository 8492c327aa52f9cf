import { createContext, type ReactNode, type RefObject, useContext, useEffect } from "react";

/**
 * `/` focuses search. A page with its own search box (the accounts list) registers it here and
 * `/` goes there; elsewhere it goes to the header search.
 */
const PageSearchContext = createContext<RefObject<HTMLInputElement | null> | null>(null);

export function PageSearchProvider({
  target,
  children,
}: {
  target: RefObject<HTMLInputElement | null>;
  children: ReactNode;
}) {
  return <PageSearchContext.Provider value={target}>{children}</PageSearchContext.Provider>;
}

/** Makes `input` the box `/` focuses while the calling page is shown. */
export function usePageSearch(input: RefObject<HTMLInputElement | null>): void {
  const target = useContext(PageSearchContext);
  useEffect(() => {
    if (!target) return;
    target.current = input.current;
    return () => {
      if (target.current === input.current) target.current = null;
    };
  }, [target, input]);
}
