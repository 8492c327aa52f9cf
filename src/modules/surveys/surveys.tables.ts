import type { SurveyType } from "./survey-stats.ts";

export type SurveyStatus = "sent" | "answered" | "held_back";
export type SurveyTrigger = "manual" | "resolution" | "schedule";

export interface SurveySettingsTable {
  id: boolean;
  csat_enabled: boolean;
  csat_delay_minutes: number;
  use_ces: boolean;
  nps_enabled: boolean;
  nps_interval_days: number;
  answer_window_days: number;
  contact_fatigue_days: number;
  account_fatigue_days: number;
  updated_at: Date;
}

export interface CaseResolutionsTable {
  case_id: string;
  resolved_by_id: string | null;
  owner_id: string | null;
  team_id: string | null;
  resolved_at: Date;
}

export interface SurveysTable {
  id: string;
  type: SurveyType;
  status: SurveyStatus;
  trigger: SurveyTrigger;
  held_back_rule: string | null;
  contact_id: string;
  account_id: string;
  case_id: string | null;
  team_id: string | null;
  resolved_by_id: string | null;
  created_by_id: string | null;
  token_hash: string | null;
  score: number | null;
  comment: string | null;
  recovery_task_id: string | null;
  feedback_item_id: string | null;
  created_at: Date;
  sent_at: Date | null;
  expires_at: Date | null;
  answered_at: Date | null;
  commented_at: Date | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    survey_settings: SurveySettingsTable;
    case_resolutions: CaseResolutionsTable;
    surveys: SurveysTable;
  }
}
