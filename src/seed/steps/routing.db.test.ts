import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { as, staffActor } from "../../modules/cases/cases.fixtures.ts";
import { SYSTEM } from "../../platform/auth/actor.ts";
import { QUEUE_PLAN } from "../case-catalogue.ts";
import { Rng } from "../random.ts";
import type { DemoQueue, SeedData } from "../seed-context.ts";
import { routingStep } from "./routing.ts";

/** The demo's routing rules and strategies, on the demo's queues, route new cases sensibly. */

let c: TestContainer;
let queues: DemoQueue[];

beforeAll(async () => {
  c = await createTestContainer();
  const manager = await staffActor(c.users, "manager");
  const agent = await c.users.create(SYSTEM, {
    email: "seed-agent@example.test",
    name: "Seed Agent",
    role: "agent",
  });
  await c.users.update(SYSTEM, agent.id, { status: "available" });
  const team = await c.users.createTeam(as(manager), { name: "Everyone", memberIds: [agent.id] });
  queues = [];
  for (const plan of QUEUE_PLAN) {
    const q = await c.queues.create(as(manager), { name: plan.name, teamId: team.id });
    queues.push({ id: q.id, key: plan.key, name: plan.name, teamId: team.id });
  }
  const data: SeedData = { queues };
  await c.db.kysely.transaction().execute((trx) =>
    routingStep.run({
      c,
      trx,
      rng: new Rng(1),
      refDate: c.clock.now(),
      data,
      progress: () => ({ tick: () => {}, done: () => {} }) as never,
    }),
  );
});
afterAll(async () => c?.testDb.drop());

describe("the demo's routing", () => {
  it.each([
    ["Refund for a double charge", null, "invoices", "normal"],
    ["Dashboard is down for everyone", null, "incidents", "urgent"],
    ["Cannot log in since the SSO change", null, "access", "normal"],
    ["Webhook signature check", "Public API", "integrations", "normal"],
    ["How do I share a report?", null, "howto", "low"],
    ["Question about our account", null, "general", "normal"],
  ] as const)("%s → %s", async (subject, product, queueKey, priority) => {
    const creator = await staffActor(c.users, "agent");
    const created = await c.cases.create(as(creator), { subject, ...(product ? { product } : {}) });
    expect(queues.find((q) => q.id === created.queueId)?.key).toBe(queueKey);
    expect(created.priority).toBe(priority);
    expect(created.routing?.ruleId).not.toBeNull();
  });

  it("queues assign by their strategy; incidents wait for a person", async () => {
    const creator = await staffActor(c.users, "agent");
    expect((await c.cases.create(as(creator), { subject: "Invoice copy please" })).ownerId).not.toBeNull();
    expect((await c.cases.create(as(creator), { subject: "Everything is down" })).ownerId).toBeNull();
  });
});
