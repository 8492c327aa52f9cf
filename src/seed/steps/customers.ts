import { paretoKeyIds } from "../../modules/accounts/pareto.ts";
import { CustomerFactory, contactCounts, drawRevenues } from "../customers.ts";
import { type AccountSeedRow, inBatches, demoSeedRepository as repo } from "../demo-seed.repository.ts";
import { need, type SeedStep } from "../seed-context.ts";

export const DEMO_ACCOUNTS = 300;
export const DEMO_CONTACTS = 1_000;

/**
 * Accounts with Pareto-shaped revenue, each owned by an account manager, tiered by the Pareto
 * cut, and their contacts (bigger accounts have more people who call).
 */
export const accountsStep: SeedStep = {
  name: "accounts",
  async run(ctx) {
    const { rng, refDate } = ctx;
    const sales = need(ctx.data, "users").filter((u) => u.role === "sales");
    const task = ctx.progress(DEMO_ACCOUNTS);
    const revenues = drawRevenues(rng, DEMO_ACCOUNTS);
    // The largest accounts are dealt round the account managers like cards, so each has a
    // few key accounts; the long tail is shared out at random.
    const byRevenue = revenues.map((r, i) => [r, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const owners = new Array<string | null>(revenues.length).fill(null);
    byRevenue.forEach(([, i], rank) => {
      if (sales.length === 0) return;
      owners[i] = rank < sales.length * 6 ? sales[rank % sales.length]!.id : rng.pick(sales).id;
    });
    const factory = new CustomerFactory(rng, refDate);
    const rows: AccountSeedRow[] = revenues.map((revenue, i) =>
      factory.account({ revenue, ownerId: owners[i]! }),
    );
    const key = paretoKeyIds(rows.map((r) => ({ id: r.id, annualRevenue: r.annual_revenue })));
    for (const r of rows) r.tier = key.has(r.id) ? "key" : "standard";

    const existing = await repo.countAccounts(ctx.trx);
    await inBatches(rows, (batch) => repo.insertAccounts(ctx.trx, batch), task.tick);
    // Seeding beside accounts already there (seed --force): the cut is over all of them.
    if (existing > 0) await repo.retierAccounts(ctx.trx);
    task.done();

    ctx.data.accounts = rows.map((r) => ({
      id: r.id,
      name: r.name,
      domain: r.domain,
      annualRevenue: r.annual_revenue,
      tier: r.tier,
      ownerId: r.owner_id,
      country: r.country,
      timeZone: r.time_zone,
      customerSince: r.customer_since,
      createdAt: r.created_at,
    }));
  },
};

export const contactsStep: SeedStep = {
  name: "contacts",
  async run(ctx) {
    const accounts = need(ctx.data, "accounts");
    const counts = contactCounts(
      accounts.map((a) => a.annualRevenue),
      DEMO_CONTACTS,
    );
    const task = ctx.progress(counts.reduce((s, n) => s + n, 0));
    const factory = new CustomerFactory(ctx.rng, ctx.refDate);
    const rows = accounts.flatMap((account, i) => factory.contacts(account, counts[i]!));
    await inBatches(rows, (batch) => repo.insertContacts(ctx.trx, batch), task.tick);
    task.done();
    ctx.data.contacts = rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      name: r.name,
      email: r.email,
      language: r.language,
      timeZone: r.time_zone,
      createdAt: r.created_at,
    }));
  },
};
