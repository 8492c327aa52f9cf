import type { ColumnType, Generated } from "kysely";

export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved";
export type IncidentImpact = "minor" | "major" | "critical";
export type NoticeChannel = "case" | "email";

/** A JSON value written as text and read back parsed (jsonb). */
type JsonValue = ColumnType<unknown, string | null, string | null>;

export interface StatusComponentsTable {
  id: string;
  name: string;
  description: string | null;
  position: number;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface IncidentsTable {
  id: string;
  /** From `incident_number_seq`; shown as INC-000012. */
  number: Generated<number>;
  title: string;
  description: string | null;
  status: IncidentStatus;
  impact: IncidentImpact;
  public: boolean;
  /** A Segment, or null (only the accounts of linked cases). */
  affects: JsonValue;
  started_at: Date;
  resolved_at: Date | null;
  created_by_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface IncidentComponentsTable {
  incident_id: string;
  component_id: string;
}

export interface IncidentUpdatesTable {
  id: string;
  incident_id: string;
  status: IncidentStatus;
  message: string;
  notify: boolean;
  resolve_linked_cases: boolean;
  created_by_id: string | null;
  created_at: Date;
}

export interface IncidentCasesTable {
  incident_id: string;
  case_id: string;
  linked_by_id: string | null;
  linked_at: Date;
}

export interface IncidentNoticesTable {
  id: string;
  update_id: string;
  incident_id: string;
  contact_id: string;
  account_id: string;
  channel: NoticeChannel;
  case_id: string | null;
  created_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    status_components: StatusComponentsTable;
    incidents: IncidentsTable;
    incident_components: IncidentComponentsTable;
    incident_updates: IncidentUpdatesTable;
    incident_cases: IncidentCasesTable;
    incident_notices: IncidentNoticesTable;
  }
}

export interface IncidentNoticeAccountsTable {
  update_id: string;
  account_id: string;
  contacts: number;
  created_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    incident_notice_accounts: IncidentNoticeAccountsTable;
  }
}
