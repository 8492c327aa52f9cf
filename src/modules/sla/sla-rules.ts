import type { BusinessCalendar } from "./business-time.ts";

/**
 * The SLA rules that need no database: which policy applies to a case and why, and where a
 * clock's due and warning points fall. The service feeds them rows and stores what they say.
 */

export type Priority = "low" | "normal" | "high" | "urgent";
export type AccountTier = "key" | "standard";

/** Each present field is a list of accepted values; an absent field accepts anything. */
export type AppliesWhen = {
  priority?: Priority[] | undefined;
  accountTier?: AccountTier[] | undefined;
  channel?: string[] | undefined;
  product?: string[] | undefined;
  /** true: only cases covered by an entitlement; false: only cases without one. */
  entitled?: boolean | undefined;
};

export type PolicyCandidate = {
  id: string;
  name: string;
  position: number;
  appliesWhen: AppliesWhen;
};

export type CaseFacts = {
  priority: Priority;
  channel: string;
  product: string | null;
  accountTier: AccountTier | null;
  /** The case's entitlement, if any, and the policy it brings. */
  entitlement: { name: string; slaPolicyId: string | null } | null;
};

export type PolicyChoice<P extends PolicyCandidate> = { policy: P; reason: string };

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Why a policy's conditions hold for the case, or null when one does not. */
export function conditionsMet(when: AppliesWhen, c: CaseFacts): string[] | null {
  const reasons: string[] = [];
  if (when.priority) {
    if (!when.priority.includes(c.priority)) return null;
    reasons.push(`priority = ${c.priority}`);
  }
  if (when.accountTier) {
    if (c.accountTier === null || !when.accountTier.includes(c.accountTier)) return null;
    reasons.push(`account tier = ${c.accountTier}`);
  }
  if (when.channel) {
    if (!when.channel.includes(c.channel)) return null;
    reasons.push(`channel = ${c.channel}`);
  }
  if (when.product) {
    const product = c.product;
    if (product === null || !when.product.some((p) => sameText(p, product))) return null;
    reasons.push(`product = ${product}`);
  }
  if (when.entitled !== undefined) {
    if (when.entitled !== (c.entitlement !== null)) return null;
    reasons.push(when.entitled ? `entitled (${c.entitlement?.name})` : "no entitlement");
  }
  return reasons;
}

/**
 * An entitlement that brings its own policy wins (the customer paid for it); otherwise the
 * first active policy in order whose conditions all hold.
 */
export function choosePolicy<P extends PolicyCandidate>(
  policiesInOrder: readonly P[],
  c: CaseFacts,
): PolicyChoice<P> | null {
  const brought = c.entitlement?.slaPolicyId;
  if (brought) {
    const policy = policiesInOrder.find((p) => p.id === brought);
    if (policy) return { policy, reason: `entitlement "${c.entitlement?.name}" brings this policy` };
  }
  for (const policy of policiesInOrder) {
    const reasons = conditionsMet(policy.appliesWhen, c);
    if (reasons === null) continue;
    const why = reasons.length > 0 ? reasons.join("; ") : "it applies to every case";
    return { policy, reason: `first matching policy (order ${policy.position}): ${why}` };
  }
  return null;
}

export type WarningRule = { percent: number | null; minutesBefore: number | null };

/** Business minutes into the target at which the warning point falls, or null for none. */
export function warningAfter(target: number, rule: WarningRule): number | null {
  if (rule.percent !== null) return (target * rule.percent) / 100;
  if (rule.minutesBefore !== null) return Math.max(0, target - rule.minutesBefore);
  return null;
}

export type RunningClock = {
  targetMinutes: number;
  /** Business minutes used in earlier (paused-off) segments. */
  usedMinutes: number;
  runningSince: Date;
};

/**
 * Where a running clock's due and warning points fall. Exact when the point lies in the current
 * segment; a point already passed in an earlier segment (a re-evaluation that shortened the
 * target after pauses) is placed at the segment's start, i.e. already due.
 */
export function clockPoints(
  cal: BusinessCalendar,
  clock: RunningClock,
  warning: WarningRule,
): { dueAt: Date; warningAt: Date | null } {
  const at = (mark: number) =>
    mark > clock.usedMinutes
      ? cal.addMinutes(clock.runningSince, mark - clock.usedMinutes)
      : clock.runningSince;
  const w = warningAfter(clock.targetMinutes, warning);
  return { dueAt: at(clock.targetMinutes), warningAt: w === null ? null : at(w) };
}

/** Business minutes a clock has used by `now`. */
export function usedBy(cal: BusinessCalendar, clock: Omit<RunningClock, "targetMinutes">, now: Date): number {
  return clock.usedMinutes + cal.minutesBetween(clock.runningSince, now);
}

/** The priority one step more urgent (escalation); urgent stays urgent. */
export function raised(p: Priority): Priority {
  const order: Priority[] = ["low", "normal", "high", "urgent"];
  return order[Math.min(order.indexOf(p) + 1, order.length - 1)] as Priority;
}
