import type { ColumnType } from "kysely";

export type Kpi = "firstResponse" | "nextResponse" | "resolution";
export type ClockStatus = "running" | "paused" | "warning" | "met" | "breached";

/** A JSON value written as text and read back parsed (jsonb). */
type Json<T> = ColumnType<T, string, string>;

export interface CalendarsTable {
  id: string;
  name: string;
  time_zone: string;
  hours: Json<Record<string, [string, string][]>>;
  holidays: Json<string[]>;
  created_at: Date;
  updated_at: Date;
}

export interface SlaPoliciesTable {
  id: string;
  name: string;
  calendar_id: string;
  position: number;
  applies_when: Json<Record<string, unknown>>;
  first_response_minutes: number;
  next_response_minutes: number | null;
  resolution_minutes: number;
  warning_percent: number | null;
  warning_minutes_before: number | null;
  pause_on: string[];
  warning_actions: Json<unknown[]>;
  breach_actions: Json<unknown[]>;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface CaseSlasTable {
  case_id: string;
  policy_id: string | null;
  policy_name: string;
  reason: string;
  evaluated_at: Date;
}

export interface SlaClocksTable {
  id: string;
  case_id: string;
  policy_id: string | null;
  kpi: Kpi;
  target_minutes: number;
  started_at: Date;
  used_minutes: number;
  running_since: Date | null;
  paused_at: Date | null;
  due_at: Date;
  warning_at: Date | null;
  status: ClockStatus;
  warned_at: Date | null;
  met_at: Date | null;
  breached_at: Date | null;
  elapsed_wall_seconds: number | null;
  elapsed_business_minutes: number | null;
  superseded_at: Date | null;
  superseded_reason: string | null;
  created_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    calendars: CalendarsTable;
    sla_policies: SlaPoliciesTable;
    case_slas: CaseSlasTable;
    sla_clocks: SlaClocksTable;
  }
}
