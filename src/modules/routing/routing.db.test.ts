import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { SYSTEM } from "../../platform/auth/actor.ts";
import { drainWork } from "../../platform/worker.ts";
import { as, contactActor, insertAccount, insertContact, staffActor } from "../cases/cases.fixtures.ts";

/** Assignment through the services on a real database, at volume. */

let c: TestContainer;
let manager: Awaited<ReturnType<typeof staffActor>>;
let creator: Awaited<ReturnType<typeof staffActor>>;

async function pool(size: number, capacity: number) {
  const ids: string[] = [];
  for (let i = 0; i < size; i++) {
    const u = await c.users.create(SYSTEM, {
      email: `rr-${size}-${i}-${Math.random().toString(36).slice(2, 8)}@example.test`,
      name: `RR ${i}`,
      role: "agent",
      capacity,
    });
    await c.users.update(SYSTEM, u.id, { status: "available" });
    ids.push(u.id);
  }
  const team = await c.users.createTeam(as(manager), { name: `RR team ${Math.random()}`, memberIds: ids });
  const queue = await c.queues.create(as(manager), { name: `RR queue ${Math.random()}`, teamId: team.id });
  return { ids, queueId: queue.id };
}

beforeAll(async () => {
  c = await createTestContainer();
  manager = await staffActor(c.users, "manager");
  creator = await staffActor(c.users, "agent");
});
afterAll(async () => c?.testDb.drop());

describe("round robin over 1,000 cases", () => {
  it("every agent gets the same number, give or take one, in strict turn", async () => {
    const { ids, queueId } = await pool(7, 1000);
    await c.routing.setQueueAssignment(as(manager), queueId, { strategy: "round_robin" });
    const owners: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const created = await c.cases.create(as(creator), { subject: `Case ${i}`, queueId });
      owners.push(created.ownerId ?? "none");
    }
    const counts = ids.map((id) => owners.filter((o) => o === id).length);
    expect(counts.reduce((s, x) => s + x, 0)).toBe(1000);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // Strict turn: no agent gets two in a row.
    for (let i = 1; i < owners.length; i++) expect(owners[i]).not.toBe(owners[i - 1]);
  }, 600_000);

  it("when an agent is away for a while, the others share the work and the turn carries on", async () => {
    const { ids, queueId } = await pool(3, 1000);
    await c.routing.setQueueAssignment(as(manager), queueId, { strategy: "round_robin" });
    const owners: (string | null)[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) await c.users.update(SYSTEM, ids[1]!, { status: "away" });
      if (i === 20) await c.users.update(SYSTEM, ids[1]!, { status: "available" });
      owners.push((await c.cases.create(as(creator), { subject: `Away ${i}`, queueId })).ownerId);
    }
    await drainWork(c);
    const during = owners.slice(10, 20);
    expect(during).not.toContain(ids[1]);
    expect(during.filter((o) => o === ids[0])).toHaveLength(5);
    expect(owners.slice(20)).toContain(ids[1]);
  });
});

describe("portal contacts", () => {
  it("see no routing: every routing call is refused and a case's routing is null for them", async () => {
    const accountId = await insertAccount(c.db.kysely, "Portal Co");
    const contactId = await insertContact(c.db.kysely, accountId, "Pat Portal");
    const contact = contactActor(contactId, accountId);
    await c.routing.createRule(as(manager), { name: "Help", order: 1, when: { keywords: ["help"] } });
    const raised = await c.cases.create(as(contact), { subject: "Help" });
    expect(raised.routing).toBeNull();
    expect((await c.cases.get(creator, raised.id)).routing?.explanation).toBe(
      "matched rule 1 'Help': keyword: help",
    );
    const refused = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: "forbidden" });
    await refused(c.routing.listRules(contact));
    await refused(c.routing.testRules(contact, { case: { subject: "x" } }));
    await refused(c.routing.agentLoads(contact, {}));
    await refused(c.routing.queueSummaries(contact));
    await refused(c.routing.caseRouting(contact, raised.id));
    await refused(c.routing.handBack(as(contact)));
    await expect(c.routing.reroute(as(contact), raised.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
