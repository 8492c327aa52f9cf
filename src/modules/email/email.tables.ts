import type { Generated } from "kysely";

export type InboundStatus = "pending" | "processed" | "quarantined" | "duplicate" | "discarded";
export type TemplateMoment = "received" | "assigned" | "waiting" | "resolved";

export interface InboundMailTable {
  id: string;
  received_at: Date;
  raw: Uint8Array;
  size: number;
  envelope_from: string | null;
  envelope_to: Generated<string[]>;
  remote_address: string | null;
  status: Generated<InboundStatus>;
  attempts: Generated<number>;
  error: string | null;
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  flags: Generated<string[]>;
  full_text: string | null;
  case_id: string | null;
  case_message_id: string | null;
  threaded_by: string | null;
  processed_at: Date | null;
}

export interface EmailMessageIdsTable {
  message_id: string;
  case_id: string;
  direction: "in" | "out";
  inbound_mail_id: string | null;
  outbound_mail_id: string | null;
  case_message_id: string | null;
  created_at: Date;
}

export interface EmailThreadsTable {
  case_id: string;
  ref_token: string;
  no_auto_mail_reason: string | null;
  created_at: Date;
}

export interface EmailTemplatesTable {
  moment: TemplateMoment;
  enabled: boolean;
  subject: string;
  body: string;
  updated_at: Date;
  updated_by: string | null;
}

export interface EmailAutoMailTable {
  id: string;
  case_id: string | null;
  moment: string;
  to_address: string;
  status: "sent" | "suppressed";
  reason: string | null;
  outbound_mail_id: string | null;
  created_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    inbound_mail: InboundMailTable;
    email_message_ids: EmailMessageIdsTable;
    email_threads: EmailThreadsTable;
    email_templates: EmailTemplatesTable;
    email_auto_mail: EmailAutoMailTable;
  }
}
