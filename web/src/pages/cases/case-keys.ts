/**
 * Query keys of the cases screens. Everything about cases sits under "cases" (and their
 * settings under "case-config"), so the live stream (web/src/live) can invalidate exactly
 * what an event touches. Kept free of imports so the live module can use it cheaply.
 */
export const caseKeys = {
  all: ["cases"] as const,
  lists: ["cases", "list"] as const,
  list: (filters: unknown) => ["cases", "list", filters] as const,
  detail: (id: string) => ["cases", "detail", id] as const,
  messages: (id: string) => ["cases", "messages", id] as const,
  history: (id: string) => ["cases", "history", id] as const,
  children: (id: string) => ["cases", "children", id] as const,
  config: ["case-config"] as const,
  statuses: ["case-config", "statuses"] as const,
  queues: ["case-config", "queues"] as const,
  teams: ["case-config", "teams"] as const,
};

/** Case events of the live stream, and what each one makes stale. */
export const CASE_EVENT_TYPES = [
  "case.created",
  "case.updated",
  "case.status_changed",
  "case.assigned",
  "case.priority_changed",
  "case.resolved",
  "case.reopened",
  "case.merged",
  "case.deleted",
  "message.added",
  "attachment.added",
] as const;

export const CASE_CONFIG_EVENT_TYPES = [
  "queue.created",
  "queue.updated",
  "queue.deleted",
  "case_status.created",
  "case_status.updated",
  "case_status.deleted",
] as const;

/** The queries a case event touches: its lists, and the case's own screen. */
export function caseEventKeys(event: { type: string; entityId: string }) {
  const id = event.entityId;
  if (event.type === "case.created") return [caseKeys.lists];
  // A merge moves messages and children between two cases: refresh everything about cases.
  if (event.type === "case.merged") return [caseKeys.all];
  const keys: (readonly string[])[] = [caseKeys.lists, caseKeys.detail(id), caseKeys.history(id)];
  if (event.type === "message.added" || event.type === "attachment.added") keys.push(caseKeys.messages(id));
  // A child's change shows on its parent's list of children.
  keys.push(["cases", "children"]);
  return keys;
}
