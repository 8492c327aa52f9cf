export type EntitlementUnit = "cases" | "hours";
export type ConsumeOn = "creation" | "resolution";
export type WhenExhausted = "flag" | "refuse";
export type EntitlementFlag = "exhausted" | "expired";

export interface EntitlementsTable {
  id: string;
  account_id: string;
  contact_id: string | null;
  name: string;
  unit: EntitlementUnit;
  /** numeric(12,2), parsed as a number. */
  total: number;
  used: number;
  /** `YYYY-MM-DD`. */
  starts_on: string;
  ends_on: string;
  channels: string[] | null;
  products: string[] | null;
  sla_policy_id: string | null;
  consume_on: ConsumeOn;
  when_exhausted: WhenExhausted;
  created_at: Date;
  updated_at: Date;
}

export interface CaseEntitlementsTable {
  case_id: string;
  entitlement_id: string;
  flag: EntitlementFlag | null;
  consumed: number;
  created_at: Date;
}

export interface CaseTimeEntriesTable {
  id: string;
  case_id: string;
  user_id: string | null;
  minutes: number;
  note: string | null;
  worked_on: string;
  created_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    entitlements: EntitlementsTable;
    case_entitlements: CaseEntitlementsTable;
    case_time_entries: CaseTimeEntriesTable;
  }
}
