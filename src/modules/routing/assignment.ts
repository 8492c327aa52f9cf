/**
 * Choosing the agent for a case inside a queue, without the database: the service counts each
 * agent's load in SQL (under the queue's and the agents' advisory locks) and asks this module
 * who gets the case and why.
 *
 * - Only agents who are `available`, inside their working hours and below their capacity
 *   (open cases; cases waiting on the customer or on hold do not count) can take a case.
 * - round_robin: the next eligible agent after the one who got the queue's last case (by id).
 * - least_loaded: the lowest load for its capacity, where each open case weighs its priority
 *   (low 1, normal 2, high 3, urgent 4); then fewer open cases; then by id.
 * - skills: only agents holding the case's product and `lang:<code>` skills, least loaded
 *   among them. A skill nobody in the team holds (whatever their status) is not required, so a
 *   case never waits for a skill the team does not have.
 */

import type { Strategy } from "./routing.tables.ts";

export type Presence = "available" | "away" | "offline";

export type AgentLoad = {
  id: string;
  name: string;
  status: Presence;
  capacity: number;
  skills: string[];
  /** Open cases they own (status category open). */
  openCases: number;
  /** The same cases, each weighted by priority. */
  load: number;
  /** Inside their working hours now (true when they have no schedule). */
  inHours: boolean;
};

export type CaseNeeds = { product: string | null; language: string | null };

export type Choice = { agent: AgentLoad | null; explanation: string };

export const PRIORITY_WEIGHT = { low: 1, normal: 2, high: 3, urgent: 4 } as const;

const norm = (s: string) => s.trim().toLowerCase();

export const languageSkill = (language: string) => `lang:${norm(language)}`;

/** Why an agent cannot take a case now, or null when they can. */
export function unavailableBecause(
  a: AgentLoad,
): "away" | "offline" | "outside hours" | "at capacity" | null {
  if (a.status !== "available") return a.status;
  if (!a.inHours) return "outside hours";
  if (a.openCases >= a.capacity) return "at capacity";
  return null;
}

/** "2 away, 1 at capacity": why nobody could take it. */
function nobodySummary(agents: readonly AgentLoad[]): string {
  if (agents.length === 0) return "nobody in the queue's team can work cases";
  const counts = new Map<string, number>();
  for (const a of agents) {
    const why = unavailableBecause(a) ?? "available";
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  return [...counts].map(([why, n]) => `${n} ${why}`).join(", ");
}

const loadText = (a: AgentLoad) => `${a.openCases} of ${a.capacity} open`;

function leastLoaded(candidates: readonly AgentLoad[]): AgentLoad | undefined {
  return [...candidates].sort(
    (x, y) =>
      x.load / x.capacity - y.load / y.capacity ||
      x.openCases - y.openCases ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  )[0];
}

/** The skills a case needs that someone in the pool has (the others are dropped, and said so). */
export function requiredSkills(
  needs: CaseNeeds,
  pool: readonly AgentLoad[],
): { required: string[]; dropped: string[] } {
  const wanted = [
    ...(needs.product ? [norm(needs.product)] : []),
    ...(needs.language ? [languageSkill(needs.language)] : []),
  ];
  const required: string[] = [];
  const dropped: string[] = [];
  for (const skill of wanted) {
    if (pool.some((a) => a.skills.some((s) => norm(s) === skill))) required.push(skill);
    else dropped.push(skill);
  }
  return { required, dropped };
}

/**
 * Who gets the case. `agents` is the queue's pool (its team's case workers) with their loads,
 * in id order; `exclude` are agents who must not get it (the one handing it back).
 */
export function chooseAgent(
  strategy: Strategy,
  agents: readonly AgentLoad[],
  needs: CaseNeeds,
  options: { lastUserId?: string | null | undefined; exclude?: ReadonlySet<string> | undefined } = {},
): Choice {
  if (strategy === "manual") return { agent: null, explanation: "the queue is assigned by hand" };
  const pool = options.exclude ? agents.filter((a) => !options.exclude?.has(a.id)) : [...agents];
  const eligible = pool.filter((a) => unavailableBecause(a) === null);
  if (strategy === "round_robin") {
    const sorted = [...eligible].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    const last = options.lastUserId;
    const next = (last ? sorted.find((a) => a.id > last) : undefined) ?? sorted[0];
    if (!next) return { agent: null, explanation: `waiting for an agent: ${nobodySummary(pool)}` };
    return { agent: next, explanation: `assigned to ${next.name} (round robin; ${loadText(next)})` };
  }
  if (strategy === "least_loaded") {
    const best = leastLoaded(eligible);
    if (!best) return { agent: null, explanation: `waiting for an agent: ${nobodySummary(pool)}` };
    return { agent: best, explanation: `assigned to ${best.name} (least loaded; ${loadText(best)})` };
  }
  const { required, dropped } = requiredSkills(needs, pool);
  const holders = eligible.filter((a) => required.every((skill) => a.skills.some((s) => norm(s) === skill)));
  const best = leastLoaded(holders);
  const droppedText = dropped.length > 0 ? `; nobody in the team has ${dropped.join(", ")}` : "";
  if (!best) {
    const skilled = pool.filter((a) => required.every((skill) => a.skills.some((s) => norm(s) === skill)));
    return {
      agent: null,
      explanation: `waiting for an agent with ${required.join(", ")}: ${nobodySummary(skilled)}${droppedText}`,
    };
  }
  const skillText = required.length > 0 ? `skills ${required.join(", ")}` : "no skills needed";
  return {
    agent: best,
    explanation: `assigned to ${best.name} (skills-based: ${skillText}; ${loadText(best)}${droppedText})`,
  };
}
