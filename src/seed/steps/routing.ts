import { routingRepository } from "../../modules/routing/routing.repository.ts";
import type { Strategy } from "../../modules/routing/routing.tables.ts";
import type { RuleThen, RuleWhen } from "../../modules/routing/routing-rules.ts";
import type { QueueKey } from "../case-catalogue.ts";
import { DAY_MS } from "../random.ts";
import { need, type SeedStep } from "../seed-context.ts";

type RulePlan = {
  name: string;
  order: number;
  when: RuleWhen;
  then: Omit<RuleThen, "queueId"> & { queue?: QueueKey };
  continue?: boolean;
};

/** A help desk's rule set, most specific first, the catch-all last. */
const RULES: RulePlan[] = [
  {
    name: "Outages",
    order: 10,
    when: { keywords: ["outage", "down", "not loading", "unavailable", "500"] },
    then: { queue: "incidents", priority: "urgent", tags: ["outage"] },
  },
  {
    name: "Key accounts: tag them",
    order: 20,
    when: { accountTier: ["key"] },
    then: { tags: ["key-account"] },
    continue: true,
  },
  {
    name: "Key accounts at risk",
    order: 25,
    when: { accountTier: ["key"], healthBand: ["at_risk"] },
    then: { queue: "key-accounts", priority: "high" },
  },
  {
    name: "Invoices and payments",
    order: 30,
    when: { keywords: ["invoice*", "refund*", "payment*", "charge*", "vat", "receipt*"] },
    then: { queue: "invoices" },
  },
  { name: "Billing Portal", order: 35, when: { product: ["Billing Portal"] }, then: { queue: "invoices" } },
  {
    name: "Plans and renewals",
    order: 40,
    when: { keywords: ["renewal", "renew", "upgrade", "downgrade", "licen*", "plan"] },
    then: { queue: "plans" },
  },
  {
    name: "Sign-in and access",
    order: 50,
    when: { keywords: ["password", "login", "log in", "sign in", "sso", "saml", "locked out", "2fa"] },
    then: { queue: "access" },
  },
  {
    name: "API and connectors",
    order: 60,
    when: { product: ["Public API", "Data Connectors"] },
    then: { queue: "integrations" },
  },
  {
    name: "Bugs and slowness",
    order: 70,
    when: { keywords: ["crash*", "error*", "bug", "broken", "slow", "timeout*", "freez*"] },
    then: { queue: "bugs" },
  },
  {
    name: "How-to questions",
    order: 80,
    when: { keywords: ["how do i", "how to", "how can", "where can i", "is it possible"] },
    then: { queue: "howto", priority: "low" },
  },
  { name: "Everything else", order: 1000, when: {}, then: { queue: "general" } },
];

/** How each demo queue hands out its cases. */
const STRATEGIES: Record<QueueKey, Strategy> = {
  general: "round_robin",
  access: "least_loaded",
  howto: "least_loaded",
  integrations: "skills",
  bugs: "skills",
  incidents: "manual",
  invoices: "least_loaded",
  plans: "round_robin",
  onboarding: "manual",
  "key-accounts": "least_loaded",
};

/**
 * The routing step: the rule set above and each queue's strategy. Seeded cases keep the
 * placement they were made with (they were created before these rules, so they show no
 * routing decision); new cases are routed and assigned by them.
 */
export const routingStep: SeedStep = {
  name: "routing",
  async run(ctx) {
    const { trx, rng, refDate } = ctx;
    const queues = need(ctx.data, "queues");
    const task = ctx.progress(RULES.length + queues.length);
    const at = new Date(refDate.getTime() - 30 * DAY_MS);
    const queueOf = new Map(queues.map((q) => [q.key, q.id]));
    for (const plan of RULES) {
      const { queue, ...then } = plan.then;
      const queueId = queue ? queueOf.get(queue) : undefined;
      await routingRepository.insertRule(trx, {
        id: rng.id(at),
        name: plan.name,
        position: plan.order,
        conditions: plan.when as Record<string, unknown>,
        actions: { ...then, ...(queueId ? { queueId } : {}) } as Record<string, unknown>,
        continue_after: plan.continue ?? false,
        active: true,
        created_at: at,
        updated_at: at,
      });
      task.tick();
    }
    await routingRepository.bumpRulesVersion(trx);
    for (const q of queues) {
      const strategy = STRATEGIES[q.key as QueueKey] ?? "manual";
      if (strategy !== "manual") await routingRepository.upsertAssignment(trx, q.id, strategy, at);
      task.tick();
    }
    task.done();
  },
};
