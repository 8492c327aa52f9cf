import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { newId } from "../../platform/ids.ts";
import { as, insertAccount, staffActor } from "../cases/cases.fixtures.ts";
import {
  countSegmentAccounts,
  describeSegment,
  isEverybody,
  type Segment,
  segmentAccountIds,
  segmentIncludesAccount,
} from "./segments.ts";

/** Segments: who an incident affects or an announcement reaches. Each field narrows. */
let c: TestContainer;
const ids: Record<string, string> = {};
const now = new Date("2026-06-15T12:00:00Z");
const at = { today: "2026-06-15", now };

beforeAll(async () => {
  c = await createTestContainer();
  const db = c.db.kysely;
  const agent = await staffActor(c.users, "agent");
  for (const [name, tier, country, band, industry] of [
    ["Alpha", "key", "GB", "healthy", "Retail"],
    ["Bravo", "standard", "GB", "at_risk", "Banking"],
    ["Charlie", "key", "IE", "watch", "retail"],
    ["Delta", "standard", "US", null, null],
  ] as const) {
    ids[name] = await insertAccount(db, `${name} Segments Ltd`);
    await db
      .updateTable("accounts")
      .set({ tier, country, health_band: band, health_score: band === null ? null : 50, industry })
      .where("id", "=", ids[name] as string)
      .execute();
  }
  // Alpha uses Billing through a valid entitlement; Bravo's entitlement for it has expired.
  for (const [name, endsOn] of [
    ["Alpha", "2026-12-31"],
    ["Bravo", "2026-01-31"],
  ] as const) {
    await db
      .insertInto("entitlements")
      .values({
        id: newId(),
        account_id: ids[name] as string,
        contact_id: null,
        name: "Plan",
        unit: "cases",
        total: 10,
        used: 0,
        starts_on: "2026-01-01",
        ends_on: endsOn,
        channels: null,
        products: ["Billing", "Reports"],
        sla_policy_id: null,
        consume_on: "resolution",
        when_exhausted: "flag",
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  // Delta raised a case about billing (any case) — that counts as using it.
  await c.cases.create(as(agent), { subject: "Invoice wrong", accountId: ids.Delta, product: "billing" });
});
afterAll(async () => c?.testDb.drop());

const mine = (list: { id: string }[]) =>
  Object.entries(ids)
    .filter(([, id]) => list.some((r) => r.id === id))
    .map(([n]) => n)
    .sort();
const members = async (segment: Segment) => mine(await segmentAccountIds(c.db.kysely, segment, at).execute());

describe("segments", () => {
  it("{} is every account, and each field narrows", async () => {
    expect(await members({})).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
    expect(await members({ tiers: ["key"] })).toEqual(["Alpha", "Charlie"]);
    expect(await members({ countries: ["GB"] })).toEqual(["Alpha", "Bravo"]);
    expect(await members({ tiers: ["key"], countries: ["GB"] })).toEqual(["Alpha"]);
    expect(await members({ healthBands: ["at_risk", "watch"] })).toEqual(["Bravo", "Charlie"]);
    expect(await members({ industries: ["RETAIL"] })).toEqual(["Alpha", "Charlie"]);
    expect(await members({ accountIds: [ids.Bravo as string, ids.Delta as string] })).toEqual([
      "Bravo",
      "Delta",
    ]);
    expect(await members({ tiers: [] })).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
  });

  it("uses a product: a valid entitlement for it or a recent case about it, case-insensitive", async () => {
    expect(await members({ products: ["BILLING"] })).toEqual(["Alpha", "Delta"]);
    expect(await members({ products: ["Reports"] })).toEqual(["Alpha"]);
    // A year later the case no longer counts and the entitlement has ended.
    const later = { today: "2027-07-01", now: new Date("2027-07-01T00:00:00Z") };
    expect(mine(await segmentAccountIds(c.db.kysely, { products: ["Billing"] }, later).execute())).toEqual(
      [],
    );
  });

  it("answers for one account and counts", async () => {
    expect(await segmentIncludesAccount(c.db.kysely, { tiers: ["key"] }, ids.Alpha as string, at)).toBe(true);
    expect(await segmentIncludesAccount(c.db.kysely, { tiers: ["key"] }, ids.Bravo as string, at)).toBe(
      false,
    );
    expect(await countSegmentAccounts(c.db.kysely, { accountIds: [ids.Alpha as string] }, at)).toBe(1);
  });

  it("describes itself in words", () => {
    expect(describeSegment({})).toBe("every account");
    expect(isEverybody({ countries: [] })).toBe(true);
    expect(describeSegment({ tiers: ["key"], countries: ["GB", "IE"], products: ["Billing"] })).toBe(
      "key accounts · in GB, IE · using Billing",
    );
  });
});
