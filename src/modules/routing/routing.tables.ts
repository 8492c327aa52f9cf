import type { ColumnType } from "kysely";

/** A JSON value written as text and read back parsed (jsonb). */
type Json<T> = ColumnType<T, string, string>;

export type Strategy = "manual" | "round_robin" | "least_loaded" | "skills";
export type DecisionTrigger = "created" | "reroute" | "assignment" | "handback";

export interface RoutingRulesTable {
  id: string;
  name: string;
  position: number;
  conditions: Json<Record<string, unknown>>;
  actions: Json<Record<string, unknown>>;
  continue_after: boolean;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface RoutingRulesVersionTable {
  id: boolean;
  version: number;
}

export interface RoutingDecisionsTable {
  id: string;
  case_id: string;
  at: Date;
  trigger: DecisionTrigger;
  rule_id: string | null;
  rule_ids: string[];
  rules_explanation: string;
  assignment_explanation: string | null;
  actor_id: string | null;
}

export interface QueueAssignmentTable {
  queue_id: string;
  strategy: Strategy;
  last_user_id: string | null;
  updated_at: Date;
}

export interface AgentSchedulesTable {
  user_id: string;
  calendar_id: string;
  updated_at: Date;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    routing_rules: RoutingRulesTable;
    routing_rules_version: RoutingRulesVersionTable;
    routing_decisions: RoutingDecisionsTable;
    queue_assignment: QueueAssignmentTable;
    agent_schedules: AgentSchedulesTable;
  }
}
