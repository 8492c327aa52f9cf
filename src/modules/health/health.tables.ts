import type { Json } from "../../platform/events/events.tables.ts";
import type { Band, EntryKind } from "./health-score.ts";

export interface HealthSettingsTable {
  id: boolean;
  config: Json;
  updated_at: Date;
  updated_by: string | null;
}

export interface HealthEntriesTable {
  id: string;
  account_id: string;
  source_event_id: string;
  source_seq: number;
  kind: EntryKind;
  case_id: string | null;
  at: Date;
  base_weight: number;
  multiplier: number;
  weight: number;
  balance_after: number;
  score_before: number | null;
  score_after: number;
  detail: Json;
}

export interface AccountHealthTable {
  account_id: string;
  balance: number;
  balance_at: Date;
  score: number;
  band: Band;
  scored_at: Date;
  band_since: Date;
  entries: number;
}

export interface HealthCaseOrdinalsTable {
  case_id: string;
  account_id: string;
  ordinal: number;
}

export type PlayReason = "entered_at_risk" | "score_drop" | "manual";
export type PlayOutcome = "recovered" | "lost" | "no_longer_needed";

export interface HealthPlaysTable {
  id: string;
  account_id: string;
  reason: PlayReason;
  status: "open" | "ended";
  outcome: PlayOutcome | null;
  key_account: boolean;
  score_at_start: number | null;
  trigger: Json;
  task_ids: Json;
  notes: string | null;
  started_at: Date;
  started_by: string | null;
  ended_at: Date | null;
  ended_by: string | null;
}

export type ChurnReason =
  | "customer_service"
  | "low_quality"
  | "missing_features"
  | "switched_service"
  | "too_complex"
  | "too_expensive"
  | "unused"
  | "other";
export type ChurnGroup = "service_or_treatment" | "product" | "competitor" | "price" | "other";

export interface ChurnRecordsTable {
  id: string;
  account_id: string;
  lost_on: string;
  revenue_lost: number;
  reason: ChurnReason;
  reason_group: ChurnGroup;
  notes: string | null;
  debits: Json;
  created_at: Date;
  created_by: string | null;
  won_back_at: Date | null;
  won_back_by: string | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    health_settings: HealthSettingsTable;
    health_entries: HealthEntriesTable;
    account_health: AccountHealthTable;
    health_case_ordinals: HealthCaseOrdinalsTable;
    health_plays: HealthPlaysTable;
    churn_records: ChurnRecordsTable;
  }
}
