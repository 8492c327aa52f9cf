import type { TRule, TRuleInput, TRuleThen, TRuleWhen, TSampleCase } from "./api";

/**
 * The rule editor's model, free of React: a rule as the form holds it, to and from the API,
 * and one-line summaries of its conditions and actions for the list.
 */

export type TNames = {
  queue: (id: string) => string | undefined;
  team: (id: string) => string | undefined;
  user: (id: string) => string | undefined;
  calendar: (id: string) => string | undefined;
};

export type THoursMode = "any" | "inside" | "outside";
export type TOwnerMode = "none" | "user" | "account";

export type TRuleDraft = {
  name: string;
  order: number | string;
  active: boolean;
  continue: boolean;
  priority: string[];
  channel: string[];
  accountTier: string[];
  healthBand: string[];
  product: string[];
  category: string[];
  language: string[];
  tags: string[];
  keywords: string[];
  accountOwnerId: string[];
  hoursMode: THoursMode;
  calendarId: string | null;
  queueId: string | null;
  teamId: string | null;
  setPriority: string | null;
  ownerMode: TOwnerMode;
  ownerId: string | null;
  addTags: string[];
};

export const tierLabel: Record<string, string> = { key: "Key account", standard: "Standard account" };
export const bandLabel: Record<string, string> = { healthy: "Healthy", watch: "Watch", at_risk: "At risk" };
const priorityWord: Record<string, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };

export function newDraft(order: number): TRuleDraft {
  return {
    name: "",
    order,
    active: true,
    continue: false,
    priority: [],
    channel: [],
    accountTier: [],
    healthBand: [],
    product: [],
    category: [],
    language: [],
    tags: [],
    keywords: [],
    accountOwnerId: [],
    hoursMode: "any",
    calendarId: null,
    queueId: null,
    teamId: null,
    setPriority: null,
    ownerMode: "none",
    ownerId: null,
    addTags: [],
  };
}

export function draftOf(
  rule: Pick<TRule, "name" | "order" | "active" | "continue" | "when" | "then">,
): TRuleDraft {
  const w = rule.when;
  const t = rule.then;
  return {
    name: rule.name,
    order: rule.order,
    active: rule.active,
    continue: rule.continue,
    priority: w.priority ?? [],
    channel: w.channel ?? [],
    accountTier: w.accountTier ?? [],
    healthBand: w.healthBand ?? [],
    product: w.product ?? [],
    category: w.category ?? [],
    language: w.language ?? [],
    tags: w.tags ?? [],
    keywords: w.keywords ?? [],
    accountOwnerId: w.accountOwnerId ?? [],
    hoursMode: w.withinHours ? (w.withinHours.inside ? "inside" : "outside") : "any",
    calendarId: w.withinHours?.calendarId ?? null,
    queueId: t.queueId ?? null,
    teamId: t.teamId ?? null,
    setPriority: t.priority ?? null,
    ownerMode: t.ownerId ? "user" : t.assignToAccountOwner ? "account" : "none",
    ownerId: t.ownerId ?? null,
    addTags: t.tags ?? [],
  };
}

const toNumber = (value: number | string): number | null => {
  if (value === "") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
};

/** The API body. Empty lists and unset actions are left out. */
export function bodyOf(d: TRuleDraft): TRuleInput {
  const when: TRuleWhen = {};
  if (d.priority.length) when.priority = d.priority as NonNullable<TRuleWhen["priority"]>;
  if (d.channel.length) when.channel = d.channel as NonNullable<TRuleWhen["channel"]>;
  if (d.accountTier.length) when.accountTier = d.accountTier as NonNullable<TRuleWhen["accountTier"]>;
  if (d.healthBand.length) when.healthBand = d.healthBand as NonNullable<TRuleWhen["healthBand"]>;
  if (d.product.length) when.product = d.product;
  if (d.category.length) when.category = d.category;
  if (d.language.length) when.language = d.language;
  if (d.tags.length) when.tags = d.tags;
  if (d.keywords.length) when.keywords = d.keywords;
  if (d.accountOwnerId.length) when.accountOwnerId = d.accountOwnerId;
  if (d.hoursMode !== "any" && d.calendarId) {
    when.withinHours = { calendarId: d.calendarId, inside: d.hoursMode === "inside" };
  }
  const then: TRuleThen = {};
  if (d.queueId) then.queueId = d.queueId;
  if (d.teamId) then.teamId = d.teamId;
  if (d.setPriority) then.priority = d.setPriority as NonNullable<TRuleThen["priority"]>;
  if (d.ownerMode === "user" && d.ownerId) then.ownerId = d.ownerId;
  if (d.ownerMode === "account") then.assignToAccountOwner = true;
  if (d.addTags.length) then.tags = d.addTags;
  return {
    name: d.name.trim(),
    order: toNumber(d.order) ?? 0,
    active: d.active,
    continue: d.continue,
    when,
    then,
  };
}

const list = (values: readonly string[], label = (v: string) => v) => values.map(label).join(" or ");

/** "Product Billing Portal · words invoice, refund · key accounts", or "Every case". */
export function conditionsSummary(when: TRuleWhen, names: TNames): string {
  const parts: string[] = [];
  if (when.priority?.length) parts.push(`priority ${list(when.priority, (p) => priorityWord[p] ?? p)}`);
  if (when.channel?.length) parts.push(`channel ${list(when.channel)}`);
  if (when.product?.length) parts.push(`product ${list(when.product)}`);
  if (when.category?.length) parts.push(`category ${list(when.category)}`);
  if (when.keywords?.length) parts.push(`words ${when.keywords.join(", ")}`);
  if (when.tags?.length) parts.push(`tagged ${list(when.tags)}`);
  if (when.language?.length) parts.push(`language ${list(when.language)}`);
  if (when.accountTier?.length) parts.push(list(when.accountTier, (t) => (tierLabel[t] ?? t).toLowerCase()));
  if (when.healthBand?.length)
    parts.push(`health ${list(when.healthBand, (b) => (bandLabel[b] ?? b).toLowerCase())}`);
  if (when.accountOwnerId?.length) {
    parts.push(`account owner ${list(when.accountOwnerId, (id) => names.user(id) ?? "someone removed")}`);
  }
  if (when.withinHours) {
    const cal = names.calendar(when.withinHours.calendarId) ?? "a removed calendar";
    parts.push(`${when.withinHours.inside ? "inside" : "outside"} ${cal} hours`);
  }
  if (parts.length === 0) return "Every case";
  const text = parts.join(" · ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Queue Invoices · priority High · owner: account owner · tags vip", or "Nothing". */
export function actionsSummary(then: TRuleThen, names: TNames): string {
  const parts: string[] = [];
  if (then.queueId) parts.push(`queue ${names.queue(then.queueId) ?? "(removed)"}`);
  if (then.teamId) parts.push(`team ${names.team(then.teamId) ?? "(removed)"}`);
  if (then.priority) parts.push(`priority ${priorityWord[then.priority] ?? then.priority}`);
  if (then.ownerId) parts.push(`owner ${names.user(then.ownerId) ?? "(removed)"}`);
  if (then.assignToAccountOwner) parts.push("owner: the account owner");
  if (then.tags?.length) parts.push(`tag ${then.tags.join(", ")}`);
  if (parts.length === 0) return "Nothing (stops here)";
  const text = parts.join(" · ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function hasConditions(when: TRuleWhen): boolean {
  return Object.values(when).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null));
}

/**
 * The active rules no case can reach: those after an active rule with no conditions that does
 * not continue (it catches every case).
 */
export function unreachable(
  rules: readonly Pick<TRule, "id" | "active" | "continue" | "when">[],
): Set<string> {
  const out = new Set<string>();
  let caught = false;
  for (const rule of rules) {
    if (!rule.active) continue;
    if (caught) out.add(rule.id);
    else if (!rule.continue && !hasConditions(rule.when)) caught = true;
  }
  return out;
}

export type TSampleDraft = {
  subject: string;
  description: string;
  priority: string | null;
  channel: string | null;
  product: string;
  category: string;
  tags: string[];
  language: string;
  accountTier: string | null;
  healthBand: string | null;
  accountId: string | null;
  receivedAt: string;
};

export function newSample(): TSampleDraft {
  return {
    subject: "",
    description: "",
    priority: null,
    channel: null,
    product: "",
    category: "",
    tags: [],
    language: "",
    accountTier: null,
    healthBand: null,
    accountId: null,
    receivedAt: "",
  };
}

/** The tester's sample as the API takes it; blank fields are left out. */
export function sampleBody(s: TSampleDraft): TSampleCase {
  const out: TSampleCase = { subject: s.subject.trim() || "(no subject)" };
  if (s.description.trim()) out.description = s.description;
  if (s.priority) out.priority = s.priority as NonNullable<TSampleCase["priority"]>;
  if (s.channel) out.channel = s.channel as NonNullable<TSampleCase["channel"]>;
  if (s.product.trim()) out.product = s.product.trim();
  if (s.category.trim()) out.category = s.category.trim();
  if (s.tags.length) out.tags = s.tags;
  if (s.language.trim()) out.language = s.language.trim().toLowerCase();
  if (s.accountTier) out.accountTier = s.accountTier as NonNullable<TSampleCase["accountTier"]>;
  if (s.healthBand) out.healthBand = s.healthBand as NonNullable<TSampleCase["healthBand"]>;
  if (s.accountId) out.accountId = s.accountId;
  if (s.receivedAt) {
    const at = new Date(s.receivedAt);
    if (!Number.isNaN(at.getTime())) out.receivedAt = at.toISOString();
  }
  return out;
}
