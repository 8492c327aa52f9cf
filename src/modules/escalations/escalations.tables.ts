export interface CaseEscalationsTable {
  id: string;
  case_id: string;
  account_id: string | null;
  contact_id: string | null;
  reason: string;
  raised_by_contact_id: string | null;
  raised_by_user_id: string | null;
  created_at: Date;
  closed_at: Date | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    case_escalations: CaseEscalationsTable;
  }
}
