import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paretoKeyIds } from "../src/modules/accounts/pareto.ts";
import { createProgress } from "../src/seed/progress.ts";
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
});
