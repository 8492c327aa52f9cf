import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { as, insertAccount, insertContact, staffActor } from "../../modules/cases/cases.fixtures.ts";
import { Rng } from "../random.ts";
import type { DemoCase, SeedData } from "../seed-context.ts";
import { escalationsStep } from "./escalations.ts";

/** The demo's escalations: a few open ones on open cases, which the escalation queries see. */

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
});
afterAll(() => c.testDb.drop());

describe("escalations seed step", () => {
  it("leaves open escalations on open cases only", async () => {
    const agent = await staffActor(c.users, "agent");
    const accountId = await insertAccount(c.db.kysely, "Seeded");
    const contactId = await insertContact(c.db.kysely, accountId, "Sam Seed");
    const cases: DemoCase[] = [];
    for (let i = 0; i < 6; i++) {
      const k = await c.cases.create(as(agent), { subject: `Case ${i}`, contactId });
      cases.push({
        id: k.id,
        accountId,
        contactId,
        ownerId: agent.kind === "user" ? agent.id : null,
        createdAt: new Date(k.createdAt),
        resolvedAt: i === 0 ? new Date() : null,
      } as DemoCase);
    }
    const data: SeedData = { cases };
    await c.db.kysely.transaction().execute((trx) =>
      escalationsStep.run({
        c,
        trx,
        rng: new Rng(7),
        refDate: c.clock.now(),
        data,
        progress: () => ({ tick() {}, done() {} }) as never,
      }),
    );
    const rows = await c.db.kysely.selectFrom("case_escalations").selectAll().execute();
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.closed_at === null && r.case_id !== cases[0]!.id)).toBe(true);
    expect(rows.some((r) => r.raised_by_contact_id === contactId)).toBe(true);
    expect(rows.some((r) => r.raised_by_user_id !== null)).toBe(true);
    expect(await c.escalations.hasOpenForAccount(c.db.kysely, accountId)).toBe(true);
  });
});
