import type { ColumnType, Generated } from "kysely";

export type Json = ColumnType<
  Record<string, unknown>,
  string | Record<string, unknown>,
  string | Record<string, unknown>
>;

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  entity_type: string;
  entity_id: string;
  account_id: string | null;
  actor_id: string | null;
  customer_visible: Generated<boolean>;
  audience_user_id: string | null;
  data: Json;
  occurred_at: Date;
}

export interface EventDeliveriesTable {
  handler: string;
  event_seq: number;
  status: Generated<"pending" | "done" | "dead">;
  attempts: Generated<number>;
  available_at: Date;
  last_error: string | null;
  done_at: Date | null;
}

export interface TimersTable {
  id: string;
  kind: string;
  due_at: Date;
  available_at: Date;
  payload: Json;
  dedupe_key: string | null;
  status: Generated<"pending" | "done" | "cancelled" | "dead">;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Date;
  fired_at: Date | null;
}

declare module "../db/tables.ts" {
  interface Tables {
    events: EventsTable;
    event_deliveries: EventDeliveriesTable;
    timers: TimersTable;
  }
}
