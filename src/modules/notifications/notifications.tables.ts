export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  case_id: string | null;
  dedupe_key: string | null;
  created_at: Date;
  read_at: Date | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    notifications: NotificationsTable;
  }
}
