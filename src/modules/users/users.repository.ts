import { sql } from "kysely";
import type { Executor } from "../../platform/db/database.ts";
import type { TeamsTable, UsersTable } from "./users.tables.ts";
import "./users.tables.ts";

export type UserRow = UsersTable & { team_ids: string[] };

const teamIdsOf = sql<
  string[]
>`coalesce((select array_agg(tm.team_id::text order by tm.team_id) from team_members tm where tm.user_id = users.id), '{}')`;

/** All SQL about users and teams. No rules here: those live in the services. */
export const usersRepository = {
  async findById(db: Executor, id: string): Promise<UserRow | undefined> {
    return db
      .selectFrom("users")
      .selectAll()
      .select(teamIdsOf.as("team_ids"))
      .where("id", "=", id)
      .executeTakeFirst();
  },

  async findByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
    return db
      .selectFrom("users")
      .selectAll()
      .select(teamIdsOf.as("team_ids"))
      .where(sql`lower(email)`, "=", email.toLowerCase())
      .executeTakeFirst();
  },

  async count(db: Executor): Promise<number> {
    const row = await db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  async list(
    db: Executor,
    f: {
      role?: string;
      teamId?: string;
      q?: string;
      active?: boolean;
      after?: [string, string];
      limit: number;
    },
  ): Promise<UserRow[]> {
    let q = db
      .selectFrom("users")
      .selectAll()
      .select(teamIdsOf.as("team_ids"))
      .orderBy(sql`lower(name)`)
      .orderBy("id")
      .limit(f.limit + 1);
    if (f.role) q = q.where("role", "=", f.role as UsersTable["role"]);
    if (f.active !== undefined) q = q.where("active", "=", f.active);
    if (f.teamId) {
      const teamId = f.teamId;
      q = q.where("id", "in", (eb) =>
        eb.selectFrom("team_members").select("user_id").where("team_id", "=", teamId),
      );
    }
    if (f.q) {
      const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;
      q = q.where((eb) => eb.or([eb(sql`lower(name)`, "like", like), eb(sql`lower(email)`, "like", like)]));
    }
    if (f.after) {
      const [name, id] = f.after;
      q = q.where(sql<boolean>`(lower(name), id) > (${name}, ${id}::uuid)`);
    }
    return q.execute();
  },

  async insert(db: Executor, row: UsersTable): Promise<void> {
    await db.insertInto("users").values(row).execute();
  },

  async update(db: Executor, id: string, set: Partial<UsersTable>): Promise<void> {
    await db.updateTable("users").set(set).where("id", "=", id).execute();
  },

  async setTeams(db: Executor, userId: string, teamIds: string[]): Promise<void> {
    await db.deleteFrom("team_members").where("user_id", "=", userId).execute();
    if (teamIds.length > 0) {
      await db
        .insertInto("team_members")
        .values(teamIds.map((team_id) => ({ team_id, user_id: userId })))
        .execute();
    }
  },

  async existingTeamIds(db: Executor, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom("teams").select("id").where("id", "in", ids).execute();
    return rows.map((r) => r.id);
  },

  async findTeam(db: Executor, id: string): Promise<(TeamsTable & { member_ids: string[] }) | undefined> {
    return db
      .selectFrom("teams")
      .selectAll()
      .select(
        sql<
          string[]
        >`coalesce((select array_agg(tm.user_id::text order by tm.user_id) from team_members tm where tm.team_id = teams.id), '{}')`.as(
          "member_ids",
        ),
      )
      .where("id", "=", id)
      .executeTakeFirst();
  },

  async findTeamByName(db: Executor, name: string): Promise<TeamsTable | undefined> {
    return db
      .selectFrom("teams")
      .selectAll()
      .where(sql`lower(name)`, "=", name.toLowerCase())
      .executeTakeFirst();
  },

  async listTeams(db: Executor): Promise<(TeamsTable & { member_ids: string[] })[]> {
    return db
      .selectFrom("teams")
      .selectAll()
      .select(
        sql<
          string[]
        >`coalesce((select array_agg(tm.user_id::text order by tm.user_id) from team_members tm where tm.team_id = teams.id), '{}')`.as(
          "member_ids",
        ),
      )
      .orderBy(sql`lower(name)`)
      .execute();
  },

  async insertTeam(db: Executor, row: TeamsTable): Promise<void> {
    await db.insertInto("teams").values(row).execute();
  },

  async updateTeam(db: Executor, id: string, set: Partial<TeamsTable>): Promise<void> {
    await db.updateTable("teams").set(set).where("id", "=", id).execute();
  },

  async setTeamMembers(db: Executor, teamId: string, userIds: string[]): Promise<void> {
    await db.deleteFrom("team_members").where("team_id", "=", teamId).execute();
    if (userIds.length > 0) {
      await db
        .insertInto("team_members")
        .values(userIds.map((user_id) => ({ team_id: teamId, user_id })))
        .execute();
    }
  },

  async existingUserIds(db: Executor, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom("users").select("id").where("id", "in", ids).execute();
    return rows.map((r) => r.id);
  },

  async deleteTeam(db: Executor, id: string): Promise<void> {
    await db.deleteFrom("teams").where("id", "=", id).execute();
  },
};
