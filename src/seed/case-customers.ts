import type { CaseCustomer } from "./cases.ts";
import { type Rng, WeightedIndex } from "./random.ts";

/** An account and its contacts, as the case makers need them. */
export type CaseAccount = {
  id: string;
  name: string;
  annualRevenue: number;
  key: boolean;
  country: string;
  timeZone: string;
  accountManager: string | null;
  createdAt: number;
  /** In a fixed order: the first ones write to support most (every account has its regulars). */
  contacts: { id: string; name: string; timeZone: string | null; createdAt: number }[];
};

/**
 * Chooses who raises a case. Bigger accounts raise more (weight: the square root of revenue, key
 * accounts half as much again: more users, more at stake), and within an account a few people
 * write most of the time (weight 1/rank). Only people who were already contacts at that moment
 * can write.
 */
export class CustomerPicker {
  private readonly index: WeightedIndex;

  constructor(
    private readonly rng: Rng,
    private readonly accounts: readonly CaseAccount[],
  ) {
    this.index = new WeightedIndex(
      accounts.map((a) =>
        a.contacts.length === 0 ? 0 : Math.sqrt(Math.max(a.annualRevenue, 2_000)) * (a.key ? 1.5 : 1),
      ),
    );
  }

  /** Someone who could have written at `at`; undefined if nobody could (no account old enough). */
  pick(at: number): CaseCustomer | undefined {
    for (let attempt = 0; attempt < 20; attempt++) {
      const account = this.accounts[this.index.pick(this.rng)]!;
      const customer = this.customerOf(account, at);
      if (customer) return customer;
    }
    return undefined;
  }

  /**
   * `n` customers of different accounts who could have written at `at`, from `countries` when
   * there are enough of them there (an outage in one region), otherwise from anywhere.
   */
  pickDistinct(n: number, at: number, countries?: readonly string[]): CaseCustomer[] {
    const wanted = countries ? new Set(countries) : undefined;
    const eligible = this.accounts.filter(
      (a) => a.createdAt <= at && a.contacts.some((c) => c.createdAt <= at),
    );
    const local = wanted ? eligible.filter((a) => wanted.has(a.country)) : eligible;
    const pool = local.length >= n * 2 ? local : eligible;
    const weights = new WeightedIndex(
      pool.map((a) => Math.sqrt(Math.max(a.annualRevenue, 2_000)) * (a.key ? 1.5 : 1)),
    );
    const chosen = new Set<number>();
    for (let attempt = 0; chosen.size < Math.min(n, pool.length) && attempt < n * 50; attempt++) {
      chosen.add(weights.pick(this.rng));
    }
    return [...chosen].map((i) => this.customerOf(pool[i]!, at)!);
  }

  private customerOf(account: CaseAccount, at: number): CaseCustomer | undefined {
    if (account.createdAt > at) return undefined;
    let total = 0;
    for (let i = 0; i < account.contacts.length; i++) {
      if (account.contacts[i]!.createdAt <= at) total += 1 / (i + 1);
    }
    if (total === 0) return undefined;
    let r = this.rng.next() * total;
    let contact = account.contacts[0]!;
    for (let i = 0; i < account.contacts.length; i++) {
      const c = account.contacts[i]!;
      if (c.createdAt > at) continue;
      contact = c;
      r -= 1 / (i + 1);
      if (r < 0) break;
    }
    return {
      accountId: account.id,
      accountName: account.name,
      key: account.key,
      country: account.country,
      timeZone: account.timeZone,
      accountManager: account.accountManager,
      contact: { id: contact.id, name: contact.name, timeZone: contact.timeZone },
    };
  }
}
