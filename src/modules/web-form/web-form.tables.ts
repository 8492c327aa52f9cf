export interface WebFormSubmissionsTable {
  id: string;
  ip: string | null;
  outcome: "created" | "spam";
  case_id: string | null;
  email: string | null;
  created_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    web_form_submissions: WebFormSubmissionsTable;
  }
}
