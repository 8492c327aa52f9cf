import type { ColumnType, Generated } from "kysely";

export type Priority = "low" | "normal" | "high" | "urgent";
export type Channel = "email" | "portal" | "phone" | "web" | "api";
export type StatusCategory = "open" | "paused" | "resolved";
export type MessageKind = "reply" | "note" | "customer";
export type HistoryActorKind = "user" | "contact" | "system";

/** A JSON value written as text and read back parsed (jsonb). */
type JsonValue = ColumnType<unknown, string, string>;

export interface CaseStatusesTable {
  key: string;
  label: string;
  category: StatusCategory;
  builtin: Generated<boolean>;
  position: Generated<number>;
  created_at: Date;
}

export interface QueuesTable {
  id: string;
  name: string;
  team_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CasesTable {
  id: string;
  /** From `case_number_seq`; shown as CS-000042. */
  number: Generated<number>;
  subject: string;
  description: string | null;
  account_id: string | null;
  contact_id: string | null;
  product: string | null;
  category: string | null;
  priority: Priority;
  priority_rank: ColumnType<number, never, never>;
  channel: Channel;
  status: string;
  owner_id: string | null;
  team_id: string | null;
  queue_id: string | null;
  tags: string[];
  received_at: Date;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  reopen_count: Generated<number>;
  parent_id: string | null;
  merged_into_id: string | null;
  related_case_id: string | null;
  /** The soonest running SLA clock's due time and the clocks' overall state (SLA capability). */
  sla_due_at: Generated<Date | null>;
  sla_state: Generated<"running" | "paused" | "warning" | "met" | "breached" | null>;
  search: ColumnType<string, never, never>;
  /**
   * The words of the thread the customer sees (replies, customer messages) and of the internal
   * notes, kept up to date by triggers on case_messages (migrations/0007_case_thread_search.sql):
   * never written by the application.
   */
  thread_search: ColumnType<string, never, never>;
  notes_search: ColumnType<string, never, never>;
}

export interface CaseMessagesTable {
  id: string;
  case_id: string;
  kind: MessageKind;
  body: string;
  author_id: string | null;
  contact_id: string | null;
  merged_from_case_id: string | null;
  created_at: Date;
  search: ColumnType<string, never, never>;
}

export interface CaseAttachmentsTable {
  id: string;
  case_id: string;
  message_id: string | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  internal: boolean;
  /** Buffer on the pg driver, Uint8Array on PGlite. */
  content: Uint8Array;
  uploaded_by_id: string | null;
  uploaded_by_contact_id: string | null;
  created_at: Date;
}

export interface CaseHistoryTable {
  seq: Generated<number>;
  id: string;
  case_id: string;
  at: Date;
  actor_kind: HistoryActorKind;
  actor_id: string | null;
  field: string;
  old_value: JsonValue;
  new_value: JsonValue;
}

export interface CaseSettingsTable {
  key: string;
  value: JsonValue;
  updated_at: Date;
  updated_by: string | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    case_statuses: CaseStatusesTable;
    queues: QueuesTable;
    cases: CasesTable;
    case_messages: CaseMessagesTable;
    case_attachments: CaseAttachmentsTable;
    case_history: CaseHistoryTable;
    case_settings: CaseSettingsTable;
  }
}
