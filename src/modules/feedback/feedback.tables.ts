export type FeedbackKind = "complaint" | "idea" | "praise" | "question";
export type FeedbackSource = "survey" | "case" | "portal" | "council" | "agent";
export type FeedbackStatus = "new" | "planned" | "in_progress" | "done" | "wont_do";

export interface FeedbackItemsTable {
  id: string;
  kind: FeedbackKind;
  source: FeedbackSource;
  title: string;
  body: string | null;
  status: FeedbackStatus;
  account_id: string | null;
  contact_id: string | null;
  case_id: string | null;
  survey_id: string | null;
  created_by_id: string | null;
  loop_closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface FeedbackVotesTable {
  item_id: string;
  account_id: string;
  contact_id: string | null;
  created_at: Date;
}

export interface FeedbackLoopTellingsTable {
  id: string;
  item_id: string;
  contact_id: string;
  email: string;
  told_by_id: string | null;
  told_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    feedback_items: FeedbackItemsTable;
    feedback_votes: FeedbackVotesTable;
    feedback_loop_tellings: FeedbackLoopTellingsTable;
  }
}
