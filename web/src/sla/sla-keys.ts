/**
 * Query keys of the SLA and entitlement screens, free of imports so the live module can use
 * them cheaply. Per-case queries sit under "cases", so case events refresh them with the case.
 */
export const slaKeys = {
  config: ["sla-config"] as const,
  calendars: ["sla-config", "calendars"] as const,
  policies: ["sla-config", "policies"] as const,
  entitlements: ["entitlements"] as const,
  entitlementList: (accountId: string | null) => ["entitlements", "list", accountId] as const,
  caseSla: (caseId: string) => ["cases", "sla", caseId] as const,
  timeEntries: (caseId: string) => ["cases", "time", caseId] as const,
  compliance: (from: string, to: string, groupBy: string) => ["reports", "sla", from, to, groupBy] as const,
};

/** A clock reached its warning point or breached (the case's clocks and the queue change). */
export const SLA_EVENT_TYPES = ["sla.warning", "sla.breached"] as const;

/** An entitlement was created, used up, or a case came in on a spent one. */
export const ENTITLEMENT_EVENT_TYPES = [
  "entitlement.created",
  "entitlement.flagged",
  "entitlement.exhausted",
] as const;
