import { useSyncExternalStore } from "react";

/**
 * Accounts and contacts known to be deleted in this browser session (by us, or by someone else
 * as the live stream told us). Their screens say so at once instead of refetching into a 404.
 */
type TKind = "account" | "contact";

const deleted = new Set<string>();
const listeners = new Set<() => void>();

export function markDeleted(kind: TKind, id: string): void {
  const key = `${kind}:${id}`;
  if (deleted.has(key)) return;
  deleted.add(key);
  for (const listener of listeners) listener();
}

export function isDeleted(kind: TKind, id: string): boolean {
  return deleted.has(`${kind}:${id}`);
}

export function useIsDeleted(kind: TKind, id: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => deleted.has(`${kind}:${id}`),
  );
}
