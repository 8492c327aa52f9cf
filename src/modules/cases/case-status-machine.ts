import type { StatusCategory } from "./cases.tables.ts";

/**
 * The case status state machine, pure: which status may follow which, and what a move
 * means (an ordinary move, or a reopen that the reopen window then judges).
 */

export const BUILTIN_STATUSES = [
  "new",
  "open",
  "waiting_on_customer",
  "on_hold",
  "resolved",
  "closed",
] as const;
export type BuiltinStatus = (typeof BUILTIN_STATUSES)[number];

export const BUILTIN_CATEGORY: Record<BuiltinStatus, StatusCategory> = {
  new: "open",
  open: "open",
  waiting_on_customer: "paused",
  on_hold: "paused",
  resolved: "resolved",
  closed: "resolved",
};

/** The whole machine for the built-ins. `closed → open` is a reopen, judged by the window. */
export const BUILTIN_TRANSITIONS: Record<BuiltinStatus, readonly BuiltinStatus[]> = {
  new: ["open", "waiting_on_customer", "on_hold", "resolved", "closed"],
  open: ["waiting_on_customer", "on_hold", "resolved", "closed"],
  waiting_on_customer: ["open", "on_hold", "resolved", "closed"],
  on_hold: ["open", "waiting_on_customer", "resolved", "closed"],
  resolved: ["closed", "open"],
  closed: ["open"],
};

/** Every status the installation knows (built-in and custom), key → category, in display order. */
export type StatusCatalogue = ReadonlyMap<string, StatusCategory>;

export const BUILTIN_CATALOGUE: StatusCatalogue = new Map(
  BUILTIN_STATUSES.map((s) => [s, BUILTIN_CATEGORY[s]]),
);

/** A custom status behaves like this built-in of its category. */
const REPRESENTATIVE: Record<StatusCategory, BuiltinStatus> = {
  open: "open",
  paused: "on_hold",
  resolved: "resolved",
};

export function isBuiltin(key: string): key is BuiltinStatus {
  return (BUILTIN_STATUSES as readonly string[]).includes(key);
}

/** The built-in status whose transitions `key` follows. */
export function behavesAs(key: string, catalogue: StatusCatalogue): BuiltinStatus {
  if (isBuiltin(key)) return key;
  const category = catalogue.get(key);
  if (!category) throw new Error(`Unknown status ${key}`);
  return REPRESENTATIVE[category];
}

export function categoryOf(key: string, catalogue: StatusCatalogue): StatusCategory {
  const category = catalogue.get(key);
  if (!category) throw new Error(`Unknown status ${key}`);
  return category;
}

function mayMove(from: string, to: string, catalogue: StatusCatalogue): boolean {
  if (from === to) return false;
  const a = behavesAs(from, catalogue);
  const b = behavesAs(to, catalogue);
  if (BUILTIN_TRANSITIONS[a].includes(b)) return true;
  // Moving between siblings (open ↔ a custom "in progress", on hold ↔ a custom paused status)
  // is what the built-ins allow between waiting_on_customer and on_hold. Resolved ones are final.
  return a === b && categoryOf(from, catalogue) !== "resolved";
}

/** The statuses a case in `from` may move to, in catalogue order. */
export function allowedTransitions(from: string, catalogue: StatusCatalogue): string[] {
  return [...catalogue.keys()].filter((to) => mayMove(from, to, catalogue));
}

export type Transition =
  | { kind: "none" }
  | { kind: "move" }
  /** From a resolved-category status back to work: the reopen window decides in place or follow-up. */
  | { kind: "reopen" }
  | { kind: "illegal"; allowed: string[] };

export function classifyTransition(from: string, to: string, catalogue: StatusCatalogue): Transition {
  if (from === to) return { kind: "none" };
  if (!catalogue.has(to)) return { kind: "illegal", allowed: allowedTransitions(from, catalogue) };
  if (!mayMove(from, to, catalogue)) return { kind: "illegal", allowed: allowedTransitions(from, catalogue) };
  const reopening = categoryOf(from, catalogue) === "resolved" && categoryOf(to, catalogue) !== "resolved";
  return reopening ? { kind: "reopen" } : { kind: "move" };
}

const DAY_MS = 86_400_000;

/**
 * Whether a case resolved at `resolvedAt` may still be reopened in place at `now`. Outside
 * the window the customer's return opens a follow-up case instead. A case without a
 * resolution time (never properly resolved) is always within.
 */
export function withinReopenWindow(resolvedAt: Date | null, now: Date, windowDays: number): boolean {
  if (!resolvedAt) return true;
  return now.getTime() - resolvedAt.getTime() <= windowDays * DAY_MS;
}
