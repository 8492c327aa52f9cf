/**
 * Query keys of the activity screens (My day, Activities, the case's promises, the promise
 * report). Everything sits under "activities" so one live rule refreshes them all. Kept free of
 * imports so the live module can use it cheaply.
 */
export const activityKeys = {
  all: ["activities"] as const,
  lists: ["activities", "list"] as const,
  list: (filters: unknown) => ["activities", "list", filters] as const,
  myDay: ["activities", "my-day"] as const,
  promiseTimes: (caseId: string) => ["activities", "promise-times", caseId] as const,
  report: (from: string, to: string, groupBy: string) => ["activities", "report", from, to, groupBy] as const,
  settings: ["activities", "settings"] as const,
};

/** Live events about activities: any of them may change any activity screen. */
export const ACTIVITY_EVENT_TYPES = [
  "activity.created",
  "activity.updated",
  "activity.completed",
  "activity.cancelled",
  "activity.reopened",
  "activity.deleted",
  "promise.kept",
  "promise.broken",
] as const;
