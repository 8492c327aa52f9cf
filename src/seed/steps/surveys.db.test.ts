import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { as, insertAccount, insertContact, staffActor } from "../../modules/cases/cases.fixtures.ts";
import { Rng } from "../random.ts";
import type { DemoAccount, DemoCase, DemoContact, SeedData } from "../seed-context.ts";
import { surveysStep } from "./surveys.ts";

/** The demo's surveys: answered CSAT and NPS spread over the months, attributed to resolvers. */

let c: TestContainer;

beforeAll(async () => {
  c = await createTestContainer();
  c.clock.set("2026-09-01T09:00:00Z");
});
afterAll(() => c.testDb.drop());

describe("surveys seed step", () => {
  it("leaves answered surveys over several weeks that the report reads", async () => {
    const agent = await staffActor(c.users, "agent");
    const accountId = await insertAccount(c.db.kysely, "Seeded");
    await c.db.kysely
      .updateTable("accounts")
      .set({ annual_revenue: 250_000 })
      .where("id", "=", accountId)
      .execute();
    const contacts: DemoContact[] = [];
    const cases: DemoCase[] = [];
    for (let i = 0; i < 8; i++) {
      const contactId = await insertContact(c.db.kysely, accountId, `Person ${i}`);
      contacts.push({
        id: contactId,
        accountId,
        name: `Person ${i}`,
        email: "",
        language: "en",
        timeZone: null,
        createdAt: new Date(),
      });
      for (let j = 0; j < 10; j++) {
        const k = await c.cases.create(as(agent), { subject: `Case ${i}-${j}`, contactId });
        const resolvedAt = new Date(Date.parse("2026-09-01T09:00:00Z") - (5 + 16 * j + i) * 86_400_000);
        cases.push({
          id: k.id,
          accountId,
          contactId,
          ownerId: agent.kind === "user" ? agent.id : null,
          teamId: null,
          resolvedAt,
        } as DemoCase);
      }
    }
    const data: SeedData = {
      cases,
      contacts,
      accounts: [{ id: accountId, annualRevenue: 250_000 } as DemoAccount],
    };
    await c.db.kysely.transaction().execute((trx) =>
      surveysStep.run({
        c,
        trx,
        rng: new Rng(7),
        refDate: c.clock.now(),
        data,
        progress: () => ({ tick: () => {}, done: () => {} }) as never,
      }),
    );
    expect(data.surveys!.length).toBeGreaterThan(20);
    const results = await c.surveys.results(agent, {
      from: "2026-03-01T00:00:00Z",
      to: "2026-09-01T09:00:00Z",
      groupBy: "agent",
    });
    expect(results.totals.csat.n).toBeGreaterThan(5);
    expect(results.groups.map((g) => g.key)).toContain(agent.kind === "user" ? agent.id : "");
    const weeks = await c.surveys.results(agent, {
      from: "2026-03-01T00:00:00Z",
      to: "2026-09-01T09:00:00Z",
    });
    expect(weeks.groups.filter((g) => g.csat.n > 0).length).toBeGreaterThan(4);
    const board = await c.feedback.list(agent, { sort: "revenue" });
    expect(board.items).toHaveLength(8);
    expect(board.items[0]!.revenue).toBe(250_000);
    const councils = await c.councils.list(agent);
    expect(councils.items).toHaveLength(1);
    const council = await c.councils.get(agent, councils.items[0]!.id);
    expect(council.members).toHaveLength(1);
    expect(council.meetings.some((m) => m.status === "held")).toBe(true);
    expect(council.meetings.some((m) => m.status === "scheduled")).toBe(true);
  });
});
