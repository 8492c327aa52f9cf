export type OpportunityStage = "qualify" | "propose" | "negotiate" | "won" | "lost";

export interface OpportunitiesTable {
  id: string;
  account_id: string;
  name: string;
  /** numeric(16, 2), parsed as a number by both engines. */
  amount: number;
  stage: OpportunityStage;
  /** `YYYY-MM-DD`. */
  close_date: string | null;
  owner_id: string | null;
  created_at: Date;
  updated_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    opportunities: OpportunitiesTable;
  }
}
