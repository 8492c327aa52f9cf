import { CONTACT_TITLES, COUNTRIES, type Country, INDUSTRIES } from "./demo-catalogue.ts";
import type { AccountSeedRow, ContactSeedRow } from "./demo-seed.repository.ts";
import { asciiWord, domainWords } from "./names.ts";
import { DAY_MS, isoDate, type Rng } from "./random.ts";

/**
 * Realistic customers: the shapes of the data live here, shared by the demo seed (a few hundred
 * accounts) and the bench generator (hundreds of thousands).
 */

const COUNTRY_BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));
const COUNTRY_WEIGHTS = COUNTRIES.map((c) => [c, c.weight] as const);

/** Demo domains end in .example (RFC 2606): demo mail must never reach a real mailbox. */
export const CUSTOMER_TLD = "example";

export type RevenueShape = {
  /** Median annual revenue of an account, in the currency's units. */
  median: number;
  /** Spread of the log-normal; 1.7 puts about 80% of revenue in the top 20% of accounts. */
  sigma: number;
  /** Share of accounts without revenue (pilots, partners): never key. */
  zeroShare: number;
};

export const DEMO_REVENUE: RevenueShape = { median: 15_000, sigma: 1.7, zeroShare: 0.02 };

/**
 * Annual revenues of `n` accounts: a stratified log-normal draw, so a few large enterprises
 * and a long tail of small customers make the 80/20 split for any seed. Rounded to hundreds.
 */
export function drawRevenues(rng: Rng, n: number, shape: RevenueShape = DEMO_REVENUE): number[] {
  return rng
    .stratifiedLogNormal(n, shape.median, shape.sigma)
    .map((r) => (rng.chance(shape.zeroShare) ? 0 : Math.max(500, Math.round(r / 100) * 100)));
}

/**
 * How many contacts each account gets: one each, the rest shared out by the square root of
 * revenue (a large enterprise has many people who call support, a shop has one).
 */
export function contactCounts(revenues: readonly number[], total: number, max = 40): number[] {
  const counts = revenues.map(() => 1);
  const spare = Math.max(0, total - revenues.length);
  const weights = revenues.map((r) => Math.sqrt(Math.max(r, 0)));
  const weightSum = weights.reduce((s, w) => s + w, 0);
  if (spare === 0 || weightSum === 0) return counts;
  const shares = weights.map((w) => (w / weightSum) * spare);
  let given = 0;
  shares.forEach((s, i) => {
    const whole = Math.min(max - 1, Math.floor(s));
    counts[i]! += whole;
    given += whole;
  });
  // Largest remainders get the rest, so the total comes out exactly (unless every account is full).
  const order = shares
    .map((s, i) => [s - Math.floor(s), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; given < spare && k < order.length * 2; k++) {
    const i = order[k % order.length]![1];
    if (counts[i]! < max) {
      counts[i]! += 1;
      given += 1;
    }
  }
  return counts;
}

export type AccountDraft = { revenue: number; ownerId: string | null };

/** What making an account's contacts needs to know about it. */
export type ContactsOf = { id: string; domain: string; country: string; timeZone: string; createdAt: Date };

export class CustomerFactory {
  private readonly names = new Set<string>();
  private readonly domains = new Set<string>();

  constructor(
    private readonly rng: Rng,
    private readonly refDate: Date,
    private readonly options: {
      /** How far back customer_since dates go. */
      yearsOfCustomers?: number;
      /** Domains are `<name>.<suffix>`; the bench generator adds a run tag so runs never collide. */
      domainSuffix?: string;
    } = {},
  ) {}

  account(draft: AccountDraft): AccountSeedRow {
    const { rng } = this;
    const country = rng.weighted(COUNTRY_WEIGHTS);
    const name = this.uniqueName(country);
    // Large customers have mostly been with us longer: they grew into it.
    const big = draft.revenue > 100_000;
    const span = (this.options.yearsOfCustomers ?? 5) * 365;
    const daysAgo = Math.max(1, Math.floor(span * rng.next() ** (big ? 0.6 : 1)));
    const since = new Date(this.refDate.getTime() - daysAgo * DAY_MS);
    const createdAt = new Date(since.getTime() + rng.int(8 * 60, 18 * 60) * 60_000);
    const updatedAt = new Date(
      Math.min(this.refDate.getTime(), createdAt.getTime() + rng.next() * daysAgo * DAY_MS),
    );
    return {
      id: rng.id(createdAt),
      name,
      domain: this.uniqueDomain(name),
      annual_revenue: draft.revenue,
      owner_id: draft.ownerId,
      tier: "standard",
      industry: rng.weighted(INDUSTRIES),
      country: country.code,
      time_zone: rng.pick(country.timeZones),
      customer_since: isoDate(since),
      created_at: createdAt,
      updated_at: updatedAt,
    };
  }

  /** `n` people at an account, with unique emails on its domain. */
  contacts(account: ContactsOf, n: number): ContactSeedRow[] {
    const { rng } = this;
    const country = COUNTRY_BY_CODE.get(account.country) ?? COUNTRIES[0]!;
    const taken = new Set<string>();
    const rows: ContactSeedRow[] = [];
    for (let i = 0; i < n; i++) {
      // Some staff abroad or expats: an English name and English as their language.
      const local = rng.chance(0.85);
      const faker = local ? country.faker : COUNTRIES[0]!.faker;
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      const email = `${this.localPart(first, last, taken)}@${account.domain}`;
      const createdAt = new Date(
        account.createdAt.getTime() + rng.next() * (this.refDate.getTime() - account.createdAt.getTime()),
      );
      rows.push({
        id: rng.id(createdAt),
        account_id: account.id,
        name: `${first} ${last}`,
        email,
        // The number is the office's, in its country, whoever answers it.
        phone: rng.chance(0.9) ? country.faker.phone.number({ style: "international" }) : null,
        title: rng.chance(0.92) ? rng.weighted(CONTACT_TITLES) : null,
        time_zone: rng.chance(0.9) ? account.timeZone : rng.pick(country.timeZones),
        language: local ? country.language : "en",
        created_at: createdAt,
        updated_at: createdAt,
      });
    }
    return rows;
  }

  private uniqueName(country: Country): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = country.faker.company.name();
      if (!this.names.has(name.toLowerCase())) {
        this.names.add(name.toLowerCase());
        return name;
      }
    }
    // Hundreds of thousands of generated accounts run out of distinct names: a branch name.
    const name = `${country.faker.company.name()} ${country.faker.location.city()}`;
    this.names.add(name.toLowerCase());
    return name;
  }

  private uniqueDomain(name: string): string {
    const suffix = this.options.domainSuffix ?? CUSTOMER_TLD;
    const words = domainWords(name);
    const candidates = [words.slice(0, 1), words.slice(0, 2), words.slice(0, 3)].map((w) => w.join("-"));
    for (const c of candidates) {
      const domain = `${c}.${suffix}`;
      if (!this.domains.has(domain)) {
        this.domains.add(domain);
        return domain;
      }
    }
    const base = candidates[candidates.length - 1]!;
    for (let n = 2; ; n++) {
      const domain = `${base}${n}.${suffix}`;
      if (!this.domains.has(domain)) {
        this.domains.add(domain);
        return domain;
      }
    }
  }

  private localPart(first: string, last: string, taken: Set<string>): string {
    const f = asciiWord(first) || "contact";
    const l = asciiWord(last) || "person";
    const styles = [`${f}.${l}`, `${f[0]}${l}`, `${f}`, `${f}.${l[0]}`];
    const preferred = this.rng.weighted([
      [styles[0]!, 6],
      [styles[1]!, 2],
      [styles[2]!, 1],
    ]);
    for (const candidate of [preferred, ...styles]) {
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
    for (let n = 2; ; n++) {
      const candidate = `${f}.${l}${n}`;
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  }
}
