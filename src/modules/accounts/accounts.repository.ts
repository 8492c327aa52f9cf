import { sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { AccountsTable, ContactsTable, HealthBand } from "./accounts.tables.ts";
import "./accounts.tables.ts";
import type { Tier } from "./pareto.ts";

export type AccountRow = AccountsTable;
export type ContactRow = ContactsTable;

export type AccountSort = "name" | "-annualRevenue";

/**
 * A list row carries its name sort key as the database computed it: `lower()` in Postgres and
 * `toLowerCase()` in JS disagree on some letters, and a cursor must compare like the ORDER BY.
 */
export type Keyed<Row> = Row & { name_key: string };

const nameKey = sql<string>`lower(name)`.as("name_key");

// Any fixed number (the migrator uses 7_312_024): serialises every change that moves the Pareto cut.
const ACCOUNT_TIERS_LOCK = 7_312_031;

const likeOf = (needle: string) => `%${needle.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;

/** All SQL about accounts and their contacts. No rules here: those live in the service. */
export const accountsRepository = {
  async findAccount(db: Executor, id: string): Promise<AccountRow | undefined> {
    return db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
  },

  /** The oldest account whose `domain` is this one (inbound email from an unknown sender). */
  async findAccountByDomain(db: Executor, domain: string): Promise<AccountRow | undefined> {
    return db
      .selectFrom("accounts")
      .selectAll()
      .where(sql`lower(domain)`, "=", domain.toLowerCase())
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
  },

  async findAccountForUpdate(db: Executor, id: string): Promise<AccountRow | undefined> {
    return db.selectFrom("accounts").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  async listAccounts(
    db: Executor,
    f: {
      /** Restricts the list to one account (portal contacts see only their own). */
      id?: string;
      tier?: Tier;
      ownerId?: string;
      q?: string;
      sort: AccountSort;
      after?: [string | number, string];
      limit: number;
    },
  ): Promise<Keyed<AccountRow>[]> {
    let q = db
      .selectFrom("accounts")
      .selectAll()
      .select(nameKey)
      .limit(f.limit + 1);
    q =
      f.sort === "name"
        ? q.orderBy(sql`lower(name)`).orderBy("id")
        : q.orderBy("annual_revenue", "desc").orderBy("id");
    if (f.id) q = q.where("id", "=", f.id);
    if (f.tier) q = q.where("tier", "=", f.tier);
    if (f.ownerId) q = q.where("owner_id", "=", f.ownerId);
    if (f.q) {
      const needle = f.q.trim().toLowerCase();
      const like = likeOf(needle);
      const domain = needle.replace(/^@/, "");
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(name)`, "like", like),
          eb(sql`lower(domain)`, "=", domain),
          eb(
            "id",
            "in",
            eb
              .selectFrom("contacts")
              .select("account_id")
              .where(sql`lower(split_part(email, '@', 2))`, "=", domain),
          ),
          // Only a needle with an @ is an email: "jane@" or "jane@acme.com".
          ...(needle.includes("@")
            ? [
                eb(
                  "id",
                  "in",
                  eb.selectFrom("contacts").select("account_id").where(sql`lower(email)`, "like", like),
                ),
              ]
            : []),
        ]),
      );
    }
    if (f.after) {
      const [key, id] = f.after;
      q =
        f.sort === "name"
          ? q.where(sql<boolean>`(lower(name), id) > (${key}, ${id}::uuid)`)
          : q.where(
              sql<boolean>`(annual_revenue < ${key}::numeric or (annual_revenue = ${key}::numeric and id > ${id}::uuid))`,
            );
    }
    return q.execute();
  },

  async insertAccount(db: Executor, row: AccountRow): Promise<void> {
    await db.insertInto("accounts").values(row).execute();
  },

  async updateAccount(db: Executor, id: string, set: Partial<AccountRow>): Promise<void> {
    await db.updateTable("accounts").set(set).where("id", "=", id).execute();
  },

  /** Deletes the account; its contacts go with it (on delete cascade). Returns how many there were. */
  async deleteAccount(db: Executor, id: string): Promise<number> {
    const row = await db
      .selectFrom("contacts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("account_id", "=", id)
      .executeTakeFirst();
    await db.deleteFrom("accounts").where("id", "=", id).execute();
    return Number(row?.n ?? 0);
  },

  /**
   * Takes the transaction-scoped lock that every change to the Pareto cut holds. Take it before
   * writing any account row: a transaction that locked a row first and waited here could
   * deadlock with the holder, which rewrites tiers of other accounts.
   */
  async lockTiers(trx: Executor): Promise<void> {
    await sql`select pg_advisory_xact_lock(${ACCOUNT_TIERS_LOCK})`.execute(trx);
  },

  async revenuesAndTiers(db: Executor): Promise<{ id: string; annual_revenue: number; tier: Tier }[]> {
    return db.selectFrom("accounts").select(["id", "annual_revenue", "tier"]).execute();
  },

  async setTier(db: Executor, ids: string[], tier: Tier, now: Date): Promise<void> {
    if (ids.length === 0) return;
    await db.updateTable("accounts").set({ tier, updated_at: now }).where("id", "in", ids).execute();
  },

  // ---- contacts ----

  /** The health ledger's score and band (src/modules/health is their only writer). */
  async setHealth(
    db: Executor,
    id: string,
    health: { score: number; band: HealthBand } | null,
  ): Promise<void> {
    await db
      .updateTable("accounts")
      .set({ health_score: health?.score ?? null, health_band: health?.band ?? null })
      .where("id", "=", id)
      .execute();
  },

  /** Many accounts' health at once (a ledger rebuild); accounts not listed are left alone. */
  async setHealthMany(db: Executor, rows: { id: string; score: number; band: HealthBand }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await sql`update accounts a set health_score = u.score, health_band = u.band
        from unnest(${chunk.map((r) => r.id)}::uuid[], ${chunk.map((r) => r.score)}::int[],
                    ${chunk.map((r) => r.band)}::text[]) as u(id, score, band)
        where a.id = u.id`.execute(db);
    }
  },

  async clearAllHealth(db: Executor): Promise<void> {
    await db
      .updateTable("accounts")
      .set({ health_score: null, health_band: null })
      .where("health_score", "is not", null)
      .execute();
  },

  async findContact(db: Executor, id: string): Promise<ContactRow | undefined> {
    return db.selectFrom("contacts").selectAll().where("id", "=", id).executeTakeFirst();
  },

  async findContactForUpdate(db: Executor, id: string): Promise<ContactRow | undefined> {
    return db.selectFrom("contacts").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  },

  async findContactByEmail(db: Executor, email: string): Promise<ContactRow | undefined> {
    return db
      .selectFrom("contacts")
      .selectAll()
      .where(sql`lower(email)`, "=", email.toLowerCase())
      .executeTakeFirst();
  },

  async listContacts(
    db: Executor,
    f: { accountId?: string; q?: string; after?: [string, string]; limit: number },
  ): Promise<Keyed<ContactRow>[]> {
    let q = db
      .selectFrom("contacts")
      .selectAll()
      .select(nameKey)
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .limit(f.limit + 1);
    if (f.accountId) q = q.where("account_id", "=", f.accountId);
    if (f.q) {
      const like = likeOf(f.q.trim());
      q = q.where((eb) => eb.or([eb(sql`lower(name)`, "like", like), eb(sql`lower(email)`, "like", like)]));
    }
    if (f.after) {
      const [name, id] = f.after;
      q = q.where(sql<boolean>`(lower(name), id) > (${name}, ${id}::uuid)`);
    }
    return q.execute();
  },

  async insertContact(db: Executor, row: ContactRow): Promise<void> {
    await db.insertInto("contacts").values(row).execute();
  },

  async updateContact(db: Executor, id: string, set: Partial<ContactRow>): Promise<void> {
    await db.updateTable("contacts").set(set).where("id", "=", id).execute();
  },

  async deleteContact(db: Executor, id: string): Promise<void> {
    await db.deleteFrom("contacts").where("id", "=", id).execute();
  },
};
