import { sql } from "kysely";
import { paretoKeyIds } from "../modules/accounts/pareto.ts";
import type { Role } from "../platform/auth/actor.ts";
import type { Executor } from "../platform/db/database.ts";

/**
 * Bulk writes of the demo seed and the bench generator. Rows go in as one array per column
 * through `INSERT … SELECT FROM unnest(…)`, a few thousand rows a statement: one round trip
 * and one plan per batch, and the same SQL on PGlite and the server. (COPY into an in-memory
 * PGlite degrades badly past a few hundred thousand rows: DESIGN.md, decision 1.)
 *
 * Seeding is loading, not a user's command: it writes the tables directly, without the
 * services' per-row checks, audit entries and events.
 */

export type UserSeedRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: "available" | "away" | "offline";
  password_hash: string;
  capacity: number;
  skills: string[];
  time_zone: string;
  created_at: Date;
};

export type TeamSeedRow = { id: string; name: string; lead_id: string; created_at: Date };
export type TeamMemberSeedRow = { team_id: string; user_id: string };

export type AccountSeedRow = {
  id: string;
  name: string;
  domain: string;
  annual_revenue: number;
  owner_id: string | null;
  tier: "key" | "standard";
  industry: string;
  country: string;
  time_zone: string;
  customer_since: string;
  created_at: Date;
  updated_at: Date;
};

export type ContactSeedRow = {
  id: string;
  account_id: string;
  name: string;
  email: string;
  phone: string | null;
  title: string | null;
  time_zone: string | null;
  language: string;
  created_at: Date;
  updated_at: Date;
};

/** Rows per statement: big enough to amortise the round trip, small enough for PGlite's memory. */
export const BATCH_SIZE = 2_000;

function column<R, K extends keyof R>(rows: readonly R[], key: K): R[K][] {
  return rows.map((r) => r[key]);
}

/** Runs `insert` on consecutive slices of `rows`, reporting each slice's size. */
export async function inBatches<R>(
  rows: readonly R[],
  insert: (batch: readonly R[]) => Promise<void>,
  onBatch: (n: number) => void = () => {},
  size = BATCH_SIZE,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    await insert(batch);
    onBatch(batch.length);
  }
}

export const demoSeedRepository = {
  async insertUsers(db: Executor, rows: readonly UserSeedRow[]): Promise<void> {
    if (rows.length === 0) return;
    // A text[] per row cannot ride in a text[] column array (Postgres arrays are rectangular),
    // so skills travel as JSON and are unpacked per row.
    await sql`
      insert into users (id, email, name, role, status, active, password_hash, capacity, skills, time_zone, created_at, updated_at)
      select u.id, u.email, u.name, u.role, u.status, true, u.password_hash, u.capacity,
             array(select jsonb_array_elements_text(u.skills)), u.time_zone, u.created_at, u.created_at
      from unnest(
        ${column(rows, "id")}::uuid[], ${column(rows, "email")}::text[], ${column(rows, "name")}::text[],
        ${column(rows, "role")}::text[], ${column(rows, "status")}::text[], ${column(rows, "password_hash")}::text[],
        ${column(rows, "capacity")}::int[], ${rows.map((r) => JSON.stringify(r.skills))}::jsonb[],
        ${column(rows, "time_zone")}::text[], ${column(rows, "created_at")}::timestamptz[]
      ) as u(id, email, name, role, status, password_hash, capacity, skills, time_zone, created_at)
    `.execute(db);
  },

  async insertTeams(db: Executor, rows: readonly TeamSeedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into teams (id, name, lead_id, created_at, updated_at)
      select t.id, t.name, t.lead_id, t.created_at, t.created_at
      from unnest(
        ${column(rows, "id")}::uuid[], ${column(rows, "name")}::text[], ${column(rows, "lead_id")}::uuid[],
        ${column(rows, "created_at")}::timestamptz[]
      ) as t(id, name, lead_id, created_at)
    `.execute(db);
  },

  async insertTeamMembers(db: Executor, rows: readonly TeamMemberSeedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into team_members (team_id, user_id)
      select * from unnest(${column(rows, "team_id")}::uuid[], ${column(rows, "user_id")}::uuid[])
    `.execute(db);
  },

  async insertAccounts(db: Executor, rows: readonly AccountSeedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into accounts (id, name, domain, annual_revenue, owner_id, tier, industry, country, time_zone,
                            customer_since, created_at, updated_at)
      select * from unnest(
        ${column(rows, "id")}::uuid[], ${column(rows, "name")}::text[], ${column(rows, "domain")}::text[],
        ${column(rows, "annual_revenue")}::numeric[], ${column(rows, "owner_id")}::uuid[],
        ${column(rows, "tier")}::text[], ${column(rows, "industry")}::text[], ${column(rows, "country")}::text[],
        ${column(rows, "time_zone")}::text[], ${column(rows, "customer_since")}::date[],
        ${column(rows, "created_at")}::timestamptz[], ${column(rows, "updated_at")}::timestamptz[]
      )
    `.execute(db);
  },

  async insertContacts(db: Executor, rows: readonly ContactSeedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into contacts (id, account_id, name, email, phone, title, time_zone, language, created_at, updated_at)
      select * from unnest(
        ${column(rows, "id")}::uuid[], ${column(rows, "account_id")}::uuid[], ${column(rows, "name")}::text[],
        ${column(rows, "email")}::text[], ${column(rows, "phone")}::text[], ${column(rows, "title")}::text[],
        ${column(rows, "time_zone")}::text[], ${column(rows, "language")}::text[],
        ${column(rows, "created_at")}::timestamptz[], ${column(rows, "updated_at")}::timestamptz[]
      )
    `.execute(db);
  },

  async countAccounts(db: Executor): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db);
    return rows[0]?.n ?? 0;
  },

  /**
   * Recomputes every account's tier with the Pareto cut over the whole table, after rows were
   * added in bulk beside existing ones. Returns how many accounts are key.
   */
  async retierAccounts(db: Executor): Promise<number> {
    const { rows } = await sql<{ id: string; annual_revenue: number }>`
      select id, annual_revenue from accounts
    `.execute(db);
    const key = [...paretoKeyIds(rows.map((r) => ({ id: r.id, annualRevenue: Number(r.annual_revenue) })))];
    await sql`
      update accounts set tier = case when id = any(${key}::uuid[]) then 'key' else 'standard' end
      where tier <> case when id = any(${key}::uuid[]) then 'key' else 'standard' end
    `.execute(db);
    return key.length;
  },
};
