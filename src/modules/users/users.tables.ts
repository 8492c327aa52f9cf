import type { Role } from "../../platform/auth/actor.ts";

export type Presence = "available" | "away" | "offline";

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: Presence;
  active: boolean;
  password_hash: string | null;
  capacity: number;
  skills: string[];
  time_zone: string;
  created_at: Date;
  updated_at: Date;
}

export interface TeamsTable {
  id: string;
  name: string;
  lead_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    users: UsersTable;
    teams: TeamsTable;
    team_members: TeamMembersTable;
  }
}
