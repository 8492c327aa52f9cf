import {
  type Actor,
  type RequestCtx,
  type Role,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import { hashPassword, verifyPassword } from "../../platform/auth/passwords.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor } from "../../platform/db/database.ts";
import { AppError, conflict, invalid, notFound } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import { assertTimeZone } from "../../platform/time-zone.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { usersRepository as repo, type UserRow } from "./users.repository.ts";
import type { Presence } from "./users.tables.ts";

export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: Presence;
  active: boolean;
  teamIds: string[];
  skills: string[];
  capacity: number;
  timeZone: string;
  createdAt: string;
};

export type Team = { id: string; name: string; leadId: string | null; memberIds: string[] };

export type CreateUser = {
  email: string;
  name: string;
  role: Role;
  password?: string | undefined;
  teamIds?: string[] | undefined;
  skills?: string[] | undefined;
  capacity?: number | undefined;
  timeZone?: string | undefined;
};

export type UpdateUser = Partial<Omit<CreateUser, "email">> & {
  email?: string;
  status?: Presence;
  active?: boolean;
  /** Required when users change their own password. */
  currentPassword?: string;
};

export const MIN_PASSWORD_LENGTH = 8;

export function presentUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    active: r.active,
    teamIds: r.team_ids,
    skills: r.skills,
    capacity: r.capacity,
    timeZone: r.time_zone,
    createdAt: r.created_at.toISOString(),
  };
}

/** Staff accounts and teams. Admins manage them; everyone may edit their own profile and presence. */
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
  ) {}

  /** A user read on the caller's executor, for other modules inside their transactions (no permission check). */
  async userIn(db: Executor, id: string): Promise<User | undefined> {
    const row = await repo.findById(db, id);
    return row && presentUser(row);
  }

  /** A team read on the caller's executor; see `userIn`. */
  async teamIn(db: Executor, id: string): Promise<Team | undefined> {
    const row = await repo.findTeam(db, id);
    return row && presentTeam(row);
  }

  async get(actor: Actor, id: string): Promise<User> {
    requireStaff(actor);
    const row = await repo.findById(this.db.kysely, id);
    if (!row) throw notFound("User");
    return presentUser(row);
  }

  async list(
    actor: Actor,
    query: { role?: string; teamId?: string; q?: string; active?: boolean; limit?: number; cursor?: string },
  ): Promise<Page<User>> {
    requireStaff(actor);
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["string", "uuid"]) as [string, string] | undefined;
    const rows = await repo.list(this.db.kysely, { ...query, after, limit });
    return toPage(rows, limit, (r) => [r.name.toLowerCase(), r.id], presentUser);
  }

  async create(ctx: RequestCtx, input: CreateUser): Promise<User> {
    requireRole(ctx.actor, ["admin"], "create users");
    return this.db.kysely.transaction().execute(async (trx) => {
      const user = await this.insertUser(trx, input);
      await this.audit.record(trx, ctx, {
        action: "user.created",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, role: user.role },
      });
      await this.bus.append(trx, {
        type: "user.created",
        entityType: "user",
        entityId: user.id,
        actorId: ctx.actor.kind === "system" ? null : ctx.actor.id,
        data: { role: user.role },
      });
      return user;
    });
  }

  /** Used by `create`, the bootstrap admin, `keepdesk user create` and the demo seed. */
  async insertUser(trx: Executor, input: CreateUser): Promise<User> {
    const email = input.email.trim();
    if (await repo.findByEmail(trx, email))
      throw conflict(`A user with email ${email} already exists`, "/email");
    if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
      throw invalid("/password", `must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    assertTimeZone(input.timeZone);
    const teamIds = [...new Set(input.teamIds ?? [])];
    await this.assertTeamsExist(trx, teamIds);
    const now = this.clock.now();
    const id = newId();
    await repo.insert(trx, {
      id,
      email,
      name: input.name.trim(),
      role: input.role,
      status: "offline",
      active: true,
      password_hash: input.password ? await hashPassword(input.password) : null,
      capacity: input.capacity ?? 10,
      skills: input.skills ?? [],
      time_zone: input.timeZone ?? "UTC",
      created_at: now,
      updated_at: now,
    });
    await repo.setTeams(trx, id, teamIds);
    return presentUser((await repo.findById(trx, id))!);
  }

  async update(ctx: RequestCtx, id: string, input: UpdateUser): Promise<User> {
    const actor = ctx.actor;
    requireStaff(actor);
    const isSelf = actor.kind === "user" && actor.id === id;
    const isAdmin = actor.kind === "system" || (actor.kind === "user" && actor.role === "admin");
    const adminOnly: (keyof UpdateUser)[] = ["email", "role", "teamIds", "skills", "capacity", "active"];
    const touchesAdminFields = adminOnly.some((k) => input[k] !== undefined);
    // Managers set capacity, skills and teams of agents on the team lead board.
    const isManager = actor.kind === "user" && actor.role === "manager";
    const managerFields: (keyof UpdateUser)[] = ["teamIds", "skills", "capacity"];
    const managerMayDo =
      isManager && adminOnly.every((k) => input[k] === undefined || managerFields.includes(k));
    if (!isAdmin && !(isSelf && !touchesAdminFields) && !managerMayDo) {
      throw new AppError(
        "forbidden",
        isSelf ? "Only an admin may change that field" : "You may only edit yourself",
      );
    }
    return this.db.kysely.transaction().execute(async (trx) => {
      const current = await repo.findById(trx, id);
      if (!current) throw notFound("User");
      const set: Partial<Parameters<typeof repo.update>[2]> = {};
      if (input.email !== undefined && input.email.toLowerCase() !== current.email.toLowerCase()) {
        if (await repo.findByEmail(trx, input.email))
          throw conflict(`A user with email ${input.email} already exists`, "/email");
        set.email = input.email.trim();
      }
      if (input.name !== undefined) set.name = input.name.trim();
      if (input.role !== undefined) {
        if (isSelf && input.role !== "admin" && current.role === "admin") {
          throw new AppError("rule", "You cannot remove your own admin role");
        }
        set.role = input.role;
      }
      if (input.status !== undefined) set.status = input.status;
      if (input.capacity !== undefined) set.capacity = input.capacity;
      if (input.skills !== undefined) set.skills = input.skills;
      if (input.timeZone !== undefined) {
        assertTimeZone(input.timeZone);
        set.time_zone = input.timeZone;
      }
      if (input.active !== undefined) {
        if (isSelf && !input.active) throw new AppError("rule", "You cannot deactivate yourself");
        set.active = input.active;
      }
      if (input.password !== undefined) {
        if (input.password.length < MIN_PASSWORD_LENGTH) {
          throw invalid("/password", `must be at least ${MIN_PASSWORD_LENGTH} characters`);
        }
        if (isSelf && actor.kind === "user") {
          const ok =
            current.password_hash !== null &&
            input.currentPassword !== undefined &&
            (await verifyPassword(current.password_hash, input.currentPassword));
          if (!ok) throw invalid("/currentPassword", "is not your current password");
        }
        set.password_hash = await hashPassword(input.password);
      }
      if (Object.keys(set).length > 0) {
        set.updated_at = this.clock.now();
        await repo.update(trx, id, set);
      }
      if (input.teamIds !== undefined) {
        const teamIds = [...new Set(input.teamIds)];
        await this.assertTeamsExist(trx, teamIds);
        await repo.setTeams(trx, id, teamIds);
      }
      const changed = Object.keys(input).filter((k) => k !== "currentPassword" && k !== "password");
      if (input.password !== undefined) changed.push("password");
      if (touchesAdminFields || !isSelf) {
        await this.audit.record(trx, ctx, {
          action: "user.updated",
          targetType: "user",
          targetId: id,
          details: { fields: changed },
        });
      }
      if (input.active === false) {
        // A deactivated user is signed out everywhere at once.
        await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      }
      await this.bus.append(trx, {
        type: input.status !== undefined && changed.length === 1 ? "user.status_changed" : "user.updated",
        entityType: "user",
        entityId: id,
        actorId: actor.kind === "system" ? null : actor.id,
        data: { fields: changed, ...(input.status ? { status: input.status } : {}) },
      });
      return presentUser((await repo.findById(trx, id))!);
    });
  }

  /** Users are deactivated, not deleted: cases and history keep pointing at them. */
  async deactivate(ctx: RequestCtx, id: string): Promise<void> {
    await this.update(ctx, id, { active: false, status: "offline" });
  }

  async countUsers(): Promise<number> {
    return repo.count(this.db.kysely);
  }

  private async assertTeamsExist(db: Executor, teamIds: string[]): Promise<void> {
    const found = new Set(await repo.existingTeamIds(db, teamIds));
    const missing = teamIds.findIndex((t) => !found.has(t));
    if (missing >= 0) throw invalid(`/teamIds/${missing}`, "no such team");
  }

  // ---- teams ----

  async listTeams(actor: Actor): Promise<Team[]> {
    requireStaff(actor);
    return (await repo.listTeams(this.db.kysely)).map(presentTeam);
  }

  async getTeam(actor: Actor, id: string): Promise<Team> {
    requireStaff(actor);
    const row = await repo.findTeam(this.db.kysely, id);
    if (!row) throw notFound("Team");
    return presentTeam(row);
  }

  async createTeam(
    ctx: RequestCtx,
    input: { name: string; leadId?: string | undefined; memberIds?: string[] | undefined },
  ): Promise<Team> {
    requireRole(ctx.actor, ["admin", "manager"], "create teams");
    return this.db.kysely.transaction().execute(async (trx) => {
      const team = await this.insertTeam(trx, input);
      await this.audit.record(trx, ctx, {
        action: "team.created",
        targetType: "team",
        targetId: team.id,
        details: { name: team.name },
      });
      await this.bus.append(trx, {
        type: "team.created",
        entityType: "team",
        entityId: team.id,
        actorId: ctx.actor.kind === "system" ? null : ctx.actor.id,
      });
      return team;
    });
  }

  async insertTeam(
    trx: Executor,
    input: { name: string; leadId?: string | undefined; memberIds?: string[] | undefined },
  ): Promise<Team> {
    const name = input.name.trim();
    if (await repo.findTeamByName(trx, name)) throw conflict(`A team named ${name} already exists`, "/name");
    if (input.leadId) await this.assertUsersExist(trx, [input.leadId], "/leadId");
    const memberIds = [...new Set(input.memberIds ?? [])];
    await this.assertUsersExist(trx, memberIds, "/memberIds");
    const now = this.clock.now();
    const id = newId();
    await repo.insertTeam(trx, { id, name, lead_id: input.leadId ?? null, created_at: now, updated_at: now });
    await repo.setTeamMembers(trx, id, memberIds);
    return presentTeam((await repo.findTeam(trx, id))!);
  }

  async updateTeam(
    ctx: RequestCtx,
    id: string,
    input: { name?: string; leadId?: string | null; memberIds?: string[] },
  ): Promise<Team> {
    requireRole(ctx.actor, ["admin", "manager"], "change teams");
    return this.db.kysely.transaction().execute(async (trx) => {
      const current = await repo.findTeam(trx, id);
      if (!current) throw notFound("Team");
      const set: { name?: string; lead_id?: string | null; updated_at?: Date } = {};
      if (input.name !== undefined && input.name.trim().toLowerCase() !== current.name.toLowerCase()) {
        if (await repo.findTeamByName(trx, input.name))
          throw conflict(`A team named ${input.name} already exists`, "/name");
        set.name = input.name.trim();
      }
      if (input.leadId !== undefined) {
        if (input.leadId) await this.assertUsersExist(trx, [input.leadId], "/leadId");
        set.lead_id = input.leadId;
      }
      if (Object.keys(set).length > 0)
        await repo.updateTeam(trx, id, { ...set, updated_at: this.clock.now() });
      if (input.memberIds !== undefined) {
        const memberIds = [...new Set(input.memberIds)];
        await this.assertUsersExist(trx, memberIds, "/memberIds");
        await repo.setTeamMembers(trx, id, memberIds);
      }
      await this.audit.record(trx, ctx, {
        action: "team.updated",
        targetType: "team",
        targetId: id,
        details: { fields: Object.keys(input) },
      });
      await this.bus.append(trx, {
        type: "team.updated",
        entityType: "team",
        entityId: id,
        actorId: ctx.actor.kind === "system" ? null : ctx.actor.id,
      });
      return presentTeam((await repo.findTeam(trx, id))!);
    });
  }

  async deleteTeam(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, ["admin"], "delete teams");
    await this.db.kysely.transaction().execute(async (trx) => {
      const current = await repo.findTeam(trx, id);
      if (!current) throw notFound("Team");
      await repo.deleteTeam(trx, id);
      await this.audit.record(trx, ctx, {
        action: "team.deleted",
        targetType: "team",
        targetId: id,
        details: { name: current.name },
      });
      await this.bus.append(trx, {
        type: "team.deleted",
        entityType: "team",
        entityId: id,
        actorId: ctx.actor.kind === "system" ? null : ctx.actor.id,
      });
    });
  }

  private async assertUsersExist(db: Executor, ids: string[], path: string): Promise<void> {
    const found = new Set(await repo.existingUserIds(db, ids));
    const missing = ids.findIndex((u) => !found.has(u));
    if (missing >= 0)
      throw invalid(ids.length === 1 && path === "/leadId" ? path : `${path}/${missing}`, "no such user");
  }
}

function presentTeam(r: { id: string; name: string; lead_id: string | null; member_ids: string[] }): Team {
  return { id: r.id, name: r.name, leadId: r.lead_id, memberIds: r.member_ids };
}
