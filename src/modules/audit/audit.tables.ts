import type { Json } from "../../platform/events/events.tables.ts";

export interface AuditLogTable {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: Json;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    audit_log: AuditLogTable;
  }
}
