/**
 * The routing rules that need no database: does a rule's `when` hold for a case and why, what its
 * `then` does to the case's placement, and the explanation of the whole decision ("matched rule
 * 3 'Billing': product = Billing; keywords: invoice → queue 'Invoices'"). The service loads the
 * rules, the case's facts and the names, and stores what this module says.
 */

export type Priority = "low" | "normal" | "high" | "urgent";
export type AccountTier = "key" | "standard";
export type HealthBand = "healthy" | "watch" | "at_risk";

export const PRIORITIES: readonly Priority[] = ["low", "normal", "high", "urgent"];

/** Each present field must hold; a list accepts any of its values. Absent: anything goes. */
export type RuleWhen = {
  priority?: Priority[] | undefined;
  accountTier?: AccountTier[] | undefined;
  channel?: string[] | undefined;
  product?: string[] | undefined;
  category?: string[] | undefined;
  /** The contact's language (ISO code, e.g. "de"). */
  language?: string[] | undefined;
  /** The case carries at least one of these tags. */
  tags?: string[] | undefined;
  /** At least one appears in the subject or description (whole words; `refund*` matches a prefix). */
  keywords?: string[] | undefined;
  healthBand?: HealthBand[] | undefined;
  /** The account's owner is one of these users. */
  accountOwnerId?: string[] | undefined;
  /** The case was received inside (or outside) the calendar's business hours. */
  withinHours?: { calendarId: string; inside: boolean } | undefined;
};

export type RuleThen = {
  teamId?: string | undefined;
  queueId?: string | undefined;
  priority?: Priority | undefined;
  ownerId?: string | undefined;
  assignToAccountOwner?: boolean | undefined;
  /** Added to the case's tags. */
  tags?: string[] | undefined;
};

export type RuleSpec = {
  id: string;
  name: string;
  when: RuleWhen;
  then: RuleThen;
  /** Keep evaluating the rules below after this one matched. */
  continue: boolean;
};

/** What the rules look at. */
export type CaseFacts = {
  subject: string;
  description: string | null;
  priority: Priority;
  channel: string;
  product: string | null;
  category: string | null;
  tags: string[];
  language: string | null;
  accountTier: AccountTier | null;
  healthBand: HealthBand | null;
  accountOwnerId: string | null;
  receivedAt: Date;
};

/** Where the case ends up. */
export type Placement = {
  teamId: string | null;
  queueId: string | null;
  priority: Priority;
  ownerId: string | null;
  tags: string[];
};

/** Which parts of the placement the caller set explicitly: those win over any rule. */
export type Given = { priority: boolean; ownerId: boolean; teamId: boolean; queueId: boolean };

export const NOTHING_GIVEN: Given = { priority: false, ownerId: false, teamId: false, queueId: false };

/** Names and facts of what rules refer to. Undefined: it no longer exists. */
export type Directory = {
  team(id: string): { name: string } | undefined;
  queue(id: string): { name: string; teamId: string | null } | undefined;
  user(id: string): { name: string; active: boolean } | undefined;
  calendar(id: string): { name: string; isOpen(at: Date): boolean } | undefined;
};

export type Check = { matched: true; reasons: string[] } | { matched: false; failed: string };

export type Step = {
  rule: RuleSpec;
  /** 1-based place in the evaluation order. */
  position: number;
  check: Check;
  /** What its actions did, in words ("queue 'Billing'", "priority kept: set by the caller"). */
  did: string[];
};

export type Evaluation = {
  /** Every rule looked at, in order, until one matched without `continue` (or the list ended). */
  trace: Step[];
  matched: Step[];
  placement: Placement;
  explanation: string;
};

const norm = (s: string) => s.trim().toLowerCase();
const sameText = (a: string, b: string) => norm(a) === norm(b);
const quote = (s: string) => `'${s}'`;
const list = (xs: readonly string[]) => xs.join(", ");

const keywordCache = new Map<string, RegExp>();

/** A keyword or phrase as a whole-word, case-insensitive pattern; a trailing `*` matches a prefix. */
export function keywordPattern(keyword: string): RegExp {
  const k = norm(keyword);
  let re = keywordCache.get(k);
  if (!re) {
    const prefix = k.endsWith("*");
    const body = (prefix ? k.slice(0, -1) : k).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}${prefix ? "" : "(?![\\p{L}\\p{N}])"}`, "iu");
    if (keywordCache.size > 10_000) keywordCache.clear();
    keywordCache.set(k, re);
  }
  return re;
}

/** The keywords found in the text, in the order given. */
export function keywordHits(keywords: readonly string[], text: string): string[] {
  return keywords.filter((k) => norm(k) !== "" && keywordPattern(k).test(text));
}

/** Why a rule's conditions hold for the case, or the first one that does not. */
export function checkConditions(
  when: RuleWhen,
  c: CaseFacts,
  dir: Pick<Directory, "calendar" | "user">,
): Check {
  const reasons: string[] = [];
  const fail = (failed: string): Check => ({ matched: false, failed });
  if (when.priority?.length) {
    if (!when.priority.includes(c.priority))
      return fail(`priority is ${c.priority}, not ${list(when.priority)}`);
    reasons.push(`priority = ${c.priority}`);
  }
  if (when.channel?.length) {
    if (!when.channel.includes(c.channel)) return fail(`channel is ${c.channel}, not ${list(when.channel)}`);
    reasons.push(`channel = ${c.channel}`);
  }
  if (when.product?.length) {
    const p = c.product;
    if (p === null) return fail("the case has no product");
    if (!when.product.some((x) => sameText(x, p))) return fail(`product is ${p}, not ${list(when.product)}`);
    reasons.push(`product = ${p}`);
  }
  if (when.category?.length) {
    const cat = c.category;
    if (cat === null) return fail("the case has no category");
    if (!when.category.some((x) => sameText(x, cat)))
      return fail(`category is ${cat}, not ${list(when.category)}`);
    reasons.push(`category = ${cat}`);
  }
  if (when.language?.length) {
    const lang = c.language;
    if (lang === null) return fail("the case has no contact language");
    if (!when.language.some((x) => sameText(x, lang)))
      return fail(`language is ${lang}, not ${list(when.language)}`);
    reasons.push(`language = ${lang}`);
  }
  if (when.tags?.length) {
    const have = c.tags.map(norm);
    const hits = when.tags.filter((t) => have.includes(norm(t)));
    if (hits.length === 0) return fail(`no tag ${list(when.tags)}`);
    reasons.push(`tag${hits.length > 1 ? "s" : ""} ${list(hits)}`);
  }
  if (when.keywords?.length) {
    const hits = keywordHits(when.keywords, `${c.subject}\n${c.description ?? ""}`);
    if (hits.length === 0)
      return fail(`none of the words ${list(when.keywords)} in the subject or description`);
    reasons.push(`keyword${hits.length > 1 ? "s" : ""}: ${list(hits)}`);
  }
  if (when.accountTier?.length) {
    if (c.accountTier === null) return fail("the case has no account");
    if (!when.accountTier.includes(c.accountTier))
      return fail(`account tier is ${c.accountTier}, not ${list(when.accountTier)}`);
    reasons.push(`account tier = ${c.accountTier}`);
  }
  if (when.healthBand?.length) {
    if (c.healthBand === null) return fail("the account has no health band yet");
    if (!when.healthBand.includes(c.healthBand))
      return fail(`health band is ${c.healthBand}, not ${list(when.healthBand)}`);
    reasons.push(`health = ${c.healthBand}`);
  }
  if (when.accountOwnerId?.length) {
    const owner = c.accountOwnerId;
    if (owner === null) return fail("the account has no owner");
    const name = dir.user(owner)?.name ?? owner;
    if (!when.accountOwnerId.includes(owner))
      return fail(`the account owner is ${name}, not one of those listed`);
    reasons.push(`account owner = ${name}`);
  }
  if (when.withinHours) {
    const cal = dir.calendar(when.withinHours.calendarId);
    if (!cal) return fail("its business calendar no longer exists");
    const open = cal.isOpen(c.receivedAt);
    const where = `${open ? "inside" : "outside"} business hours (${cal.name})`;
    if (open !== when.withinHours.inside) return fail(`received ${where}`);
    reasons.push(`received ${where}`);
  }
  return { matched: true, reasons };
}

/** Applies a matched rule's actions to the placement; returns what it did, in words. */
function applyActions(
  then: RuleThen,
  p: Placement,
  given: Given,
  set: Set<keyof Placement>,
  dir: Directory,
  accountOwnerId: string | null,
): string[] {
  const did: string[] = [];
  if (then.queueId) {
    const q = dir.queue(then.queueId);
    if (!q) did.push("its queue no longer exists");
    else if (given.queueId)
      did.push(`queue ${quote(q.name)} not applied: the queue was set by whoever created the case`);
    else {
      p.queueId = then.queueId;
      set.add("queueId");
      did.push(`queue ${quote(q.name)}`);
    }
  }
  if (then.teamId) {
    const t = dir.team(then.teamId);
    if (!t) did.push("its team no longer exists");
    else if (given.teamId)
      did.push(`team ${quote(t.name)} not applied: the team was set by whoever created the case`);
    else {
      p.teamId = then.teamId;
      set.add("teamId");
      did.push(`team ${quote(t.name)}`);
    }
  }
  if (then.priority) {
    if (given.priority)
      did.push(`priority ${then.priority} not applied: the priority was set by whoever created the case`);
    else {
      p.priority = then.priority;
      set.add("priority");
      did.push(`priority ${then.priority}`);
    }
  }
  if (then.ownerId || then.assignToAccountOwner) {
    let owner: string | null = null;
    let label = "";
    if (then.ownerId) {
      const u = dir.user(then.ownerId);
      if (!u) did.push("its owner no longer exists");
      else if (!u.active) did.push(`owner ${u.name} not applied: deactivated`);
      else {
        owner = then.ownerId;
        label = `owner ${u.name}`;
      }
    } else if (accountOwnerId === null) {
      did.push("no account owner to assign to");
    } else {
      const u = dir.user(accountOwnerId);
      if (!u) did.push("the account owner no longer exists");
      else if (!u.active) did.push(`account owner ${u.name} not applied: deactivated`);
      else {
        owner = accountOwnerId;
        label = `owner ${u.name} (the account owner)`;
      }
    }
    if (owner !== null) {
      if (given.ownerId) did.push(`${label} not applied: the owner was set by whoever created the case`);
      else {
        p.ownerId = owner;
        set.add("ownerId");
        did.push(label);
      }
    }
  }
  if (then.tags?.length) {
    const added = then.tags.map(norm).filter((t) => t !== "" && !p.tags.includes(t));
    p.tags = [...p.tags, ...added];
    if (added.length > 0) did.push(`tag${added.length > 1 ? "s" : ""} ${list(added)}`);
  }
  return did;
}

/**
 * Runs the active rules in order against the case: the first that matches decides, unless it
 * says `continue`, in which case later rules are evaluated too (seeing the priority, tags, team
 * and queue earlier rules set) and their actions apply on top. What the caller set explicitly
 * (`given`) is never overridden. A queue set by a rule brings its team when no team was chosen.
 */
export function evaluateRules(
  rules: readonly RuleSpec[],
  facts: CaseFacts,
  start: Placement,
  given: Given,
  dir: Directory,
): Evaluation {
  const placement: Placement = { ...start, tags: [...start.tags] };
  const set = new Set<keyof Placement>();
  const trace: Step[] = [];
  const matched: Step[] = [];
  let current: CaseFacts = facts;
  for (const [i, rule] of rules.entries()) {
    const check = checkConditions(rule.when, current, dir);
    const step: Step = { rule, position: i + 1, check, did: [] };
    trace.push(step);
    if (!check.matched) continue;
    step.did = applyActions(rule.then, placement, given, set, dir, facts.accountOwnerId);
    matched.push(step);
    current = { ...current, priority: placement.priority, tags: placement.tags };
    if (!rule.continue) break;
  }
  // A queue belongs to a team: the case goes to that team unless a team was chosen.
  if (placement.queueId && set.has("queueId") && !set.has("teamId") && !given.teamId) {
    const q = dir.queue(placement.queueId);
    if (q?.teamId && q.teamId !== placement.teamId) placement.teamId = q.teamId;
  }
  return { trace, matched, placement, explanation: explain(matched, rules.length) };
}

/** "matched rule 3 'Billing': product = Billing; keywords: invoice → queue 'Invoices'". */
export function explain(matched: readonly Step[], ruleCount: number): string {
  if (matched.length === 0)
    return ruleCount === 0 ? "no routing rules are set up" : "no routing rule matched";
  return matched
    .map((s, i) => {
      const why =
        s.check.matched && s.check.reasons.length > 0 ? s.check.reasons.join("; ") : "no conditions";
      const head = `${i === 0 ? "matched " : ""}rule ${s.position} ${quote(s.rule.name)}: ${why}`;
      return s.did.length > 0 ? `${head} → ${s.did.join(", ")}` : head;
    })
    .join("; then ");
}
