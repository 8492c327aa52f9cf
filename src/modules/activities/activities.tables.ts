import type { Generated } from "kysely";

export type ActivityType = "task" | "call" | "appointment" | "promise";
export type ActivityStatus = "open" | "done" | "kept" | "broken" | "cancelled";
export type CallDirection = "in" | "out";
export type KeptHow = "call" | "reply" | "manual";

/** One invited person, resolved when the appointment is saved (emails are what invitations go to). */
export type StoredAttendee = {
  type: "user" | "contact" | "email";
  userId?: string;
  contactId?: string;
  email: string;
  name: string | null;
};

export interface ActivitiesTable {
  id: string;
  type: ActivityType;
  subject: string;
  notes: string | null;
  status: ActivityStatus;
  owner_id: string | null;
  created_by_id: string | null;
  case_id: string | null;
  account_id: string | null;
  contact_id: string | null;
  /** Due time (tasks, promises), start (appointments), when it happened (logged calls). */
  due_at: Date | null;
  starts_at: Date | null;
  ends_at: Date | null;
  direction: CallDirection | null;
  duration_seconds: number | null;
  outcome: string | null;
  location: string | null;
  meeting_url: string | null;
  /** jsonb: written as JSON text, read back parsed. */
  attendees: StoredAttendee[] | string;
  ical_sequence: number;
  reminder_minutes: number | null;
  reminded_at: Date | null;
  completed_at: Date | null;
  kept_at: Date | null;
  kept_how: KeptHow | null;
  kept_by_ref: string | null;
  kept_by_user_id: string | null;
  broken_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ActivityUserSettingsTable {
  user_id: string;
  reminder_minutes: Generated<number>;
  feed_token_hash: string | null;
  feed_created_at: Date | null;
  updated_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    activities: ActivitiesTable;
    activity_user_settings: ActivityUserSettingsTable;
  }
}
