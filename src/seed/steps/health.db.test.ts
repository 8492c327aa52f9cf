import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { seedDemo } from "../demo-seed.ts";
import { activitiesStep } from "./activities.ts";
import { casesStep } from "./cases.ts";
import { accountsStep, contactsStep } from "./customers.ts";
import { healthStep } from "./health.ts";
import { slaStep } from "./sla.ts";
import { staffStep } from "./staff.ts";

/** The demo's health: the seeded history replayed into the ledger gives varied health. */

let c: TestContainer;

beforeAll(async () => {
  c = await createTestContainer();
  await seedDemo(c, {
    seed: 11,
    progress: false,
    steps: [staffStep, accountsStep, contactsStep, casesStep, slaStep, activitiesStep, healthStep],
  });
}, 300_000);
afterAll(async () => c?.testDb.drop());

const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(c.db.kysely)).rows;

describe("the health seed step", () => {
  it("scores every account with history, in every band", async () => {
    const bands = await rows<{ band: string | null; n: number }>(
      sql`select health_band as band, count(*)::int as n from accounts group by health_band`,
    );
    const n = Object.fromEntries(bands.map((b) => [b.band ?? "none", b.n]));
    expect(n.healthy).toBeGreaterThan(0);
    expect(n.watch).toBeGreaterThan(0);
    expect(n.at_risk).toBeGreaterThan(0);
    const [entries] = await rows<{ n: number; kinds: number }>(
      sql`select count(*)::int as n, count(distinct kind)::int as kinds from health_entries`,
    );
    expect(entries!.n).toBeGreaterThan(1000);
    expect(entries!.kinds).toBeGreaterThanOrEqual(6);
  });

  it("starts plays for accounts at risk, records some churn, and opens opportunities", async () => {
    const [plays] = await rows<{ n: number }>(
      sql`select count(*)::int as n from health_plays where status = 'open'`,
    );
    expect(plays!.n).toBeGreaterThan(0);
    const churn = await c.retention.churnReport({ kind: "system" }, { from: "2020-01-01" });
    expect(churn.total).toBeGreaterThan(0);
    expect(churn.groups.find((g) => g.group === "service_or_treatment")!.count).toBeGreaterThan(0);
    const board = await c.opportunities.pipeline({ kind: "system" }, {});
    expect(board.stages.reduce((s, x) => s + x.count, 0)).toBeGreaterThan(0);
  });

  it("rebuilding from the events gives the same ledger", async () => {
    const before = await c.health.snapshot(c.db.kysely);
    await c.health.rebuild();
    expect(await c.health.snapshot(c.db.kysely)).toBe(before);
  });
});
