export interface CouncilsTable {
  id: string;
  name: string;
  description: string | null;
  time_zone: string;
  rrule: string;
  start_local: string;
  duration_minutes: number;
  location: string | null;
  owner_id: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface CouncilMembersTable {
  council_id: string;
  contact_id: string;
  added_at: Date;
}
export type MeetingStatus = "scheduled" | "held" | "cancelled";
export interface CouncilMeetingsTable {
  id: string;
  council_id: string;
  starts_at: Date;
  ends_at: Date;
  status: MeetingStatus;
  minutes: string | null;
  ical_sequence: number;
  invited_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
export interface CouncilAgendaItemsTable {
  id: string;
  meeting_id: string;
  title: string;
  feedback_item_id: string | null;
  position: number;
  created_at: Date;
}
export interface CouncilActionItemsTable {
  id: string;
  meeting_id: string;
  title: string;
  kind: "task" | "feedback";
  activity_id: string | null;
  feedback_item_id: string | null;
  created_by_id: string | null;
  created_at: Date;
}
export interface CouncilAttendanceTable {
  meeting_id: string;
  contact_id: string;
  attended: boolean;
  recorded_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    councils: CouncilsTable;
    council_members: CouncilMembersTable;
    council_meetings: CouncilMeetingsTable;
    council_agenda_items: CouncilAgendaItemsTable;
    council_action_items: CouncilActionItemsTable;
    council_attendance: CouncilAttendanceTable;
  }
}
