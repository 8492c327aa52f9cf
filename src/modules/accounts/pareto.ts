/**
 * The Pareto cut that splits accounts into value tiers (PRODUCT.md, Customers): the accounts
 * that together bring the top 80% of revenue are *key*, the rest *standard*. Key accounts get
 * tighter SLAs, routing priority and the first retention plays, so the cut must be exact and
 * the same on every run.
 */

export type Tier = "key" | "standard";

/** The share of total revenue the key accounts make up between them. */
export const KEY_REVENUE_SHARE = 0.8;

export type RevenueAccount = { id: string; annualRevenue: number };

/**
 * The ids of the key accounts.
 *
 * Accounts are ranked by revenue, highest first (equal revenues by id, so the cut never depends
 * on the order rows came back in). Walking down the ranking, an account is key while the revenue
 * of the accounts above it is still below 80% of the total: the account that crosses the line is
 * key too, so the key accounts always cover at least 80%, and are the fewest that do.
 *
 * Accounts without revenue are never key, and when nobody has revenue nobody is key.
 *
 * Amounts are compared in whole cents with integer arithmetic (the database keeps two
 * decimals): floating-point sums would decide accounts that sit exactly on the line by rounding
 * noise. Negative or non-finite revenues count as zero.
 */
export function paretoKeyIds(accounts: readonly RevenueAccount[]): Set<string> {
  const ranked = accounts
    .map((a) => ({ id: a.id, cents: toCents(a.annualRevenue) }))
    .filter((a) => a.cents > 0n)
    .sort((a, b) => (a.cents === b.cents ? compareIds(a.id, b.id) : a.cents > b.cents ? -1 : 1));
  const total = ranked.reduce((sum, a) => sum + a.cents, 0n);
  const key = new Set<string>();
  // before < share × total, kept in integers: before × 5 < total × 4 for 80%.
  const [num, den] = shareAsFraction(KEY_REVENUE_SHARE);
  let before = 0n;
  for (const a of ranked) {
    if (before * den >= total * num) break;
    key.add(a.id);
    before += a.cents;
  }
  return key;
}

/** The tier of every account, keyed by id. */
export function paretoTiers(accounts: readonly RevenueAccount[]): Map<string, Tier> {
  const key = paretoKeyIds(accounts);
  return new Map(accounts.map((a) => [a.id, key.has(a.id) ? "key" : "standard"]));
}

function toCents(revenue: number): bigint {
  if (!Number.isFinite(revenue) || revenue <= 0) return 0n;
  return BigInt(Math.round(revenue * 100));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shareAsFraction(share: number): [bigint, bigint] {
  const den = 10_000n;
  return [BigInt(Math.round(share * 10_000)), den];
}
