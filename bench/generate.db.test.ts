import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paretoKeyIds } from "../src/modules/accounts/pareto.ts";
import { seedDemo } from "../src/seed/demo-seed.ts";
import { createProgress } from "../src/seed/progress.ts";
import { staffStep } from "../src/seed/steps/staff.ts";
import { createTestContainer, type TestContainer } from "../test/support/test-db.ts";
import { generate } from "./generate.ts";

let c: TestContainer;
beforeAll(async () => {
  c = await createTestContainer();
});
afterAll(async () => c?.testDb.drop());

const silent = createProgress("generate", "silent");

describe("bench data generator", () => {
  it("adds accounts and contacts in batches, runs can be stacked, tiers cover the whole table", async () => {
    const plan = { accounts: 450, contactsPerAccount: 3, seed: 5, batchSize: 100 };
    const first = await generate(c.db, plan, silent);
    expect(first.made).toEqual({ accounts: 450, contacts: 1_350 });
    // Same seed again: new domains, so no contact email collides with the first run's.
    const second = await generate(c.db, plan, silent);
    expect(second.made).toEqual({ accounts: 450, contacts: 1_350 });

    const { rows } = await sql<{ id: string; annual_revenue: number; tier: string }>`
      select id, annual_revenue, tier from accounts`.execute(c.db.kysely);
    expect(rows).toHaveLength(900);
    const key = paretoKeyIds(rows.map((r) => ({ id: r.id, annualRevenue: r.annual_revenue })));
    for (const r of rows) expect(r.tier).toBe(key.has(r.id) ? "key" : "standard");
    const [n] = (
      await sql<{ contacts: number; emails: number }>`
        select count(*)::int as contacts, count(distinct lower(email))::int as emails from contacts`.execute(
        c.db.kysely,
      )
    ).rows;
    expect(n).toEqual({ contacts: 2_700, emails: 2_700 });
  });

  it("adds cases raised by the accounts' contacts and worked by the staff, in batches, numbered in order", async () => {
    const other = await createTestContainer();
    try {
      // Staff in teams (the demo's), then accounts, then cases over them.
      await seedDemo(other, { seed: 3, progress: false, steps: [staffStep] });
      const plan = {
        accounts: 120,
        contactsPerAccount: 3,
        seed: 9,
        batchSize: 700,
        cases: 2_500,
        messagesPerCase: 2,
        caseMonths: 6,
      };
      const { made } = await generate(other.db, plan, silent);
      expect(made.cases).toBe(2_500);
      expect(made["case messages"]).toBeGreaterThan(2_500);
      const [r] = (
        await sql<{
          cases: number;
          numbers: number;
          max: number;
          foreign: number;
          longest: number;
          queues: number;
          unowned_worked: number;
          bad_status: number;
          history: number;
        }>`
          select (select count(*)::int from cases) as cases,
                 (select count(distinct number)::int from cases) as numbers,
                 (select max(number)::int from cases) as max,
                 (select count(*)::int from cases c join contacts k on k.id = c.contact_id
                   where k.account_id <> c.account_id) as foreign,
                 (select max(n)::int from (select count(*) as n from case_messages group by case_id) x) as longest,
                 (select count(distinct queue_id)::int from cases) as queues,
                 (select count(*)::int from cases where status not in ('new') and owner_id is null) as unowned_worked,
                 (select count(*)::int from cases c join case_statuses s on s.key = c.status
                   where (s.category = 'resolved') <> (c.resolved_at is not null)) as bad_status,
                 (select count(*)::int from case_history) as history`.execute(other.db.kysely)
      ).rows;
      expect(r).toMatchObject({
        cases: 2_500,
        numbers: 2_500,
        max: 2_500,
        foreign: 0,
        longest: 2,
        queues: 10,
        unowned_worked: 0,
        bad_status: 0,
      });
      expect(r!.history).toBe(made["case history"]);
      // Numbers follow time, batch after batch.
      const order = await sql<{ inversions: number }>`
        select count(*)::int as inversions from (
          select created_at < lag(created_at) over (order by number) - interval '1 day' as back from cases) x
        where back`.execute(other.db.kysely);
      expect(order.rows[0]!.inversions).toBe(0);
    } finally {
      await other.testDb.drop();
    }
  }, 120_000);
});
