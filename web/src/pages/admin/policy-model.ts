import type { TAppliesWhen, TPolicy, TSlaAction } from "../../sla/api";
import { formatTarget } from "../../sla/sla-format";
import { channelLabel, priorityLabel } from "../cases/case-format";

/** SLA policies as the admin screens describe them. */

export const tierLabel = { key: "Key accounts", standard: "Standard accounts" } as const;

export const notifyLabel = { owner: "Owner", teamLead: "Team lead", managers: "Managers" } as const;

export const actionTypeLabel: Record<TSlaAction["type"], string> = {
  notify: "Notify",
  raisePriority: "Raise priority",
  reassign: "Reassign",
  addTag: "Add tag",
};

/** "Priority urgent or high · Key accounts · Email" — or "Every case". */
export function conditionsSummary(when: TAppliesWhen): string {
  const parts: string[] = [];
  if (when.priority?.length) {
    parts.push(`Priority ${when.priority.map((p) => priorityLabel[p].toLowerCase()).join(" or ")}`);
  }
  if (when.accountTier?.length) {
    parts.push(
      when.accountTier.length === 2 ? "Any account" : tierLabel[when.accountTier[0] as "key" | "standard"],
    );
  }
  if (when.channel?.length) parts.push(when.channel.map((c) => channelLabel[c]).join(" or "));
  if (when.product?.length) parts.push(`Product ${when.product.join(" or ")}`);
  if (when.entitled === true) parts.push("Covered by an entitlement");
  if (when.entitled === false) parts.push("No entitlement");
  return parts.length ? parts.join(" · ") : "Every case";
}

/** "1 h / 8 h" (first response / resolution), with next response when set. */
export function targetsSummary(
  policy: Pick<TPolicy, "firstResponseMinutes" | "nextResponseMinutes" | "resolutionMinutes">,
): string {
  const main = `${formatTarget(policy.firstResponseMinutes)} / ${formatTarget(policy.resolutionMinutes)}`;
  return policy.nextResponseMinutes ? `${main} · next ${formatTarget(policy.nextResponseMinutes)}` : main;
}

export function warningSummary(policy: Pick<TPolicy, "warningPercent" | "warningMinutesBefore">): string {
  if (policy.warningMinutesBefore) return `warns ${formatTarget(policy.warningMinutesBefore)} before due`;
  return `warns at ${policy.warningPercent ?? 75}% of the target`;
}

export function actionSummary(action: TSlaAction, teamName: (id: string) => string | undefined): string {
  switch (action.type) {
    case "notify":
      return `notify ${(action.to ?? ["owner", "teamLead"]).map((to) => notifyLabel[to].toLowerCase()).join(", ")}`;
    case "raisePriority":
      return "raise the priority one step";
    case "reassign": {
      const team = action.teamId ? (teamName(action.teamId) ?? "a team") : null;
      if (team && action.toTeamLead) return `reassign to ${team}'s lead`;
      if (team) return `reassign to ${team}`;
      return "reassign to the team lead";
    }
    case "addTag":
      return `tag “${action.tag}”`;
  }
}

/**
 * The `order` values after moving `index` one place up (-1) or down (+1): the two swap their
 * numbers, or, when they share one, the list is renumbered 10, 20, 30…. Returns only the
 * policies whose number changes.
 */
export function reorder(
  policies: readonly Pick<TPolicy, "id" | "order">[],
  index: number,
  delta: -1 | 1,
): { id: string; order: number }[] {
  const target = index + delta;
  const a = policies[index];
  const b = policies[target];
  if (!a || !b) return [];
  if (a.order !== b.order) {
    return [
      { id: a.id, order: b.order },
      { id: b.id, order: a.order },
    ];
  }
  const ids = policies.map((policy) => policy.id);
  [ids[index], ids[target]] = [ids[target] as string, ids[index] as string];
  const changes: { id: string; order: number }[] = [];
  ids.forEach((id, at) => {
    const order = (at + 1) * 10;
    const before = policies.find((policy) => policy.id === id);
    if (before && before.order !== order) changes.push({ id, order });
  });
  return changes;
}

/** The next free order number: after the last policy, in steps of 10. */
export function nextOrder(policies: readonly Pick<TPolicy, "order">[]): number {
  const last = policies.reduce((max, policy) => Math.max(max, policy.order), 0);
  return Math.floor(last / 10) * 10 + 10;
}
