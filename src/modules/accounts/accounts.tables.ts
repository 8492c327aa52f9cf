import type { Tier } from "./pareto.ts";

export type HealthBand = "healthy" | "watch" | "at_risk";

export interface AccountsTable {
  id: string;
  name: string;
  domain: string | null;
  /** numeric(16, 2), parsed as a number by both engines. */
  annual_revenue: number;
  owner_id: string | null;
  /** Derived from the Pareto cut over all accounts; written only by the tier recompute. */
  tier: Tier;
  industry: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  time_zone: string;
  /** `YYYY-MM-DD`. */
  customer_since: string | null;
  /** Both null until the health capability has scored the account. */
  health_score: number | null;
  health_band: HealthBand | null;
  created_at: Date;
  updated_at: Date;
}

export interface ContactsTable {
  id: string;
  account_id: string;
  name: string;
  email: string;
  phone: string | null;
  title: string | null;
  /** Null: the account's time zone applies. */
  time_zone: string | null;
  language: string;
  created_at: Date;
  updated_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    accounts: AccountsTable;
    contacts: ContactsTable;
  }
}
