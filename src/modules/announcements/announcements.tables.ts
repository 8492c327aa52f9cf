import type { ColumnType } from "kysely";
import type { Segment } from "../segments/segments.ts";

/** A JSON value written as text and read back parsed (jsonb). */
type Json<T> = ColumnType<T, string, string>;

export type AnnouncementStatus = "draft" | "scheduled" | "sending" | "sent" | "cancelled";
export type RecipientStatus = "pending" | "sent" | "skipped";
export type PreferenceSource = "link" | "staff" | "portal";

export interface AnnouncementsTable {
  id: string;
  subject: string;
  body: string;
  segment: Json<Segment>;
  languages: string[] | null;
  status: AnnouncementStatus;
  scheduled_for: Date | null;
  sending_started_at: Date | null;
  sent_at: Date | null;
  cancelled_at: Date | null;
  created_by_id: string | null;
  sent_by_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AnnouncementRecipientsTable {
  announcement_id: string;
  contact_id: string;
  account_id: string;
  email: string;
  name: string;
  status: RecipientStatus;
  skip_reason: "opted_out" | null;
  token_hash: string | null;
  mail_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface ContactCommunicationPreferencesTable {
  contact_id: string;
  announcements_opt_out_at: Date | null;
  source: PreferenceSource;
  updated_by_id: string | null;
  updated_at: Date;
}

export interface ContactCommunicationPreferenceChangesTable {
  id: string;
  contact_id: string;
  announcements: boolean;
  source: PreferenceSource;
  changed_by_id: string | null;
  announcement_id: string | null;
  changed_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    announcements: AnnouncementsTable;
    announcement_recipients: AnnouncementRecipientsTable;
    contact_communication_preferences: ContactCommunicationPreferencesTable;
    contact_communication_preference_changes: ContactCommunicationPreferenceChangesTable;
  }
}
