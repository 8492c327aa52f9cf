import { type Static, Type } from "@sinclair/typebox";
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { Tables } from "../../platform/db/tables.ts";
import "../accounts/accounts.tables.ts";
import "../cases/cases.tables.ts";
import "../entitlements/entitlements.tables.ts";

/**
 * A segment of customers: which accounts a service incident affects, or who an announcement
 * goes to. Every field narrows (they are ANDed); inside a field any listed value matches; an
 * absent or empty field does not narrow. `{}` is every account.
 *
 * "Uses a product" has no column of its own: an account uses a product when it holds an
 * entitlement for it that is valid today, or raised a case about it in the last 365 days —
 * the two places Keepdesk learns what a customer runs. Products compare case-insensitively.
 */
export const SegmentSchema = Type.Object(
  {
    tiers: Type.Optional(
      Type.Array(Type.Union([Type.Literal("key"), Type.Literal("standard")]), { maxItems: 2 }),
    ),
    healthBands: Type.Optional(
      Type.Array(Type.Union([Type.Literal("healthy"), Type.Literal("watch"), Type.Literal("at_risk")]), {
        maxItems: 3,
      }),
    ),
    countries: Type.Optional(
      Type.Array(Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" }), {
        maxItems: 250,
      }),
    ),
    industries: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
    products: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
    accountIds: Type.Optional(Type.Array(Type.String({ format: "uuid" }), { maxItems: 1000 })),
    ownerIds: Type.Optional(Type.Array(Type.String({ format: "uuid" }), { maxItems: 200 })),
  },
  {
    $id: "Segment",
    additionalProperties: false,
    description: "Accounts matching every given field (any value within a field); {} is every account",
  },
);
export type Segment = Static<typeof SegmentSchema>;

const PRODUCT_CASE_LOOKBACK_DAYS = 365;

type AccountsQuery = SelectQueryBuilder<Tables, "accounts", { id: string }>;

/** The fields that narrow, without empty lists: what is stored and compared. */
export function normalizeSegment(segment: Segment): Segment {
  const out: Segment = {};
  for (const [key, value] of Object.entries(segment) as [keyof Segment, string[] | undefined][]) {
    if (value && value.length > 0) (out as Record<string, string[]>)[key] = [...new Set(value)];
  }
  return out;
}

/** `true` when the segment names no field: every account. */
export function isEverybody(segment: Segment): boolean {
  return Object.keys(normalizeSegment(segment)).length === 0;
}

/** One line a person can read: "key accounts · in GB, IE · using Billing". */
export function describeSegment(segment: Segment): string {
  const s = normalizeSegment(segment);
  const parts: string[] = [];
  if (s.tiers) parts.push(s.tiers.length === 2 ? "all tiers" : `${s.tiers[0]} accounts`);
  if (s.healthBands) parts.push(`health ${s.healthBands.map((b) => b.replace("_", " ")).join(" or ")}`);
  if (s.countries) parts.push(`in ${s.countries.join(", ")}`);
  if (s.industries) parts.push(`industry ${s.industries.join(" or ")}`);
  if (s.products) parts.push(`using ${s.products.join(" or ")}`);
  if (s.accountIds) parts.push(`${s.accountIds.length} named account${s.accountIds.length === 1 ? "" : "s"}`);
  if (s.ownerIds)
    parts.push(`owned by ${s.ownerIds.length} account manager${s.ownerIds.length === 1 ? "" : "s"}`);
  return parts.length === 0 ? "every account" : parts.join(" · ");
}

/**
 * The accounts in a segment, as a subquery of `accounts.id` to join or `in` against.
 * `today` is `YYYY-MM-DD` (entitlement validity); `now` bounds the case look-back.
 */
export function segmentAccountIds(
  db: Executor,
  segment: Segment,
  at: { today: string; now: Date },
): AccountsQuery {
  const s = normalizeSegment(segment);
  let q = db.selectFrom("accounts").select("accounts.id");
  if (s.tiers) q = q.where("accounts.tier", "in", s.tiers);
  if (s.healthBands) q = q.where("accounts.health_band", "in", s.healthBands);
  if (s.countries) q = q.where("accounts.country", "in", s.countries);
  if (s.industries) {
    const lowered = s.industries.map((i) => i.toLowerCase());
    q = q.where(sql<string>`lower(accounts.industry)`, "in", lowered);
  }
  if (s.accountIds) q = q.where("accounts.id", "in", s.accountIds);
  if (s.ownerIds) q = q.where("accounts.owner_id", "in", s.ownerIds);
  if (s.products) q = q.where((eb) => usesProduct(eb, s.products as string[], at));
  return q;
}

function usesProduct(
  eb: ExpressionBuilder<Tables, "accounts">,
  products: string[],
  at: { today: string; now: Date },
) {
  const lowered = products.map((p) => p.toLowerCase());
  const since = new Date(at.now.getTime() - PRODUCT_CASE_LOOKBACK_DAYS * 86_400_000);
  const productList = sql.join(lowered.map((p) => sql`${p}`));
  return eb.or([
    eb.exists(
      eb
        .selectFrom("entitlements")
        .select(sql`1`.as("one"))
        .whereRef("entitlements.account_id", "=", "accounts.id")
        .where("entitlements.starts_on", "<=", at.today)
        .where("entitlements.ends_on", ">=", at.today)
        .where(
          sql<boolean>`exists (select 1 from unnest(entitlements.products) p where lower(p) in (${productList}))`,
        ),
    ),
    eb.exists(
      eb
        .selectFrom("cases")
        .select(sql`1`.as("one"))
        .whereRef("cases.account_id", "=", "accounts.id")
        .where("cases.created_at", ">=", since)
        .where(sql<string>`lower(cases.product)`, "in", lowered),
    ),
  ]);
}

/** Whether one account is in the segment now. */
export async function segmentIncludesAccount(
  db: Executor,
  segment: Segment,
  accountId: string,
  at: { today: string; now: Date },
): Promise<boolean> {
  const row = await segmentAccountIds(db, segment, at)
    .where("accounts.id", "=", accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many accounts the segment holds now (for "this will reach 57 accounts"). */
export async function countSegmentAccounts(
  db: Executor,
  segment: Segment,
  at: { today: string; now: Date },
): Promise<number> {
  const row = await db
    .selectFrom(segmentAccountIds(db, segment, at).as("s"))
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
