import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor } from "../../platform/db/database.ts";
import { conflict, invalid, notFound } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { CASE_ADMINS } from "./case-access.ts";
import { assertText, guarded } from "./case-input.ts";
import { casesRepository } from "./cases.repository.ts";
import { type QueueRow, queuesRepository as repo } from "./queues.repository.ts";

export type Queue = { id: string; name: string; teamId: string | null; createdAt: string; updatedAt: string };

function present(r: QueueRow): Queue {
  return {
    id: r.id,
    name: r.name,
    teamId: r.team_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Queues cases wait in. Admins and managers set them up; routing into them comes later. */
export class QueuesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<Queue[]> {
    requireStaff(actor);
    return (await repo.list(this.db.kysely)).map(present);
  }

  async get(actor: Actor, id: string): Promise<Queue> {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Queue");
    return present(row);
  }

  async create(ctx: RequestCtx, input: { name: string; teamId?: string | null | undefined }): Promise<Queue> {
    requireRole(ctx.actor, CASE_ADMINS, "create queues");
    assertText(input.name, "/name");
    const name = input.name.trim();
    if (name === "") throw invalid("/name", "must not be blank");
    return guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        if (await repo.findByName(trx, name)) throw conflict(`A queue named ${name} already exists`, "/name");
        await this.assertTeam(trx, input.teamId);
        const now = this.clock.now();
        const row: QueueRow = {
          id: newId(),
          name,
          team_id: input.teamId ?? null,
          created_at: now,
          updated_at: now,
        };
        await repo.insert(trx, row);
        await this.audit.record(trx, ctx, {
          action: "queue.created",
          targetType: "queue",
          targetId: row.id,
          details: { name },
        });
        await this.bus.append(trx, {
          type: "queue.created",
          entityType: "queue",
          entityId: row.id,
          actorId: actorId(ctx.actor),
        });
        return present(row);
      }),
    );
  }

  async update(
    ctx: RequestCtx,
    id: string,
    input: { name?: string | undefined; teamId?: string | null | undefined },
  ): Promise<Queue> {
    requireRole(ctx.actor, CASE_ADMINS, "change queues");
    return guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        const current = await repo.find(trx, id);
        if (!current) throw notFound("Queue");
        const set: Partial<QueueRow> = {};
        if (input.name !== undefined) {
          assertText(input.name, "/name");
          const name = input.name.trim();
          if (name === "") throw invalid("/name", "must not be blank");
          const clash = await repo.findByName(trx, name);
          if (clash && clash.id !== id) throw conflict(`A queue named ${name} already exists`, "/name");
          set.name = name;
        }
        if (input.teamId !== undefined) {
          await this.assertTeam(trx, input.teamId);
          set.team_id = input.teamId;
        }
        if (Object.keys(set).length > 0) await repo.update(trx, id, { ...set, updated_at: this.clock.now() });
        await this.audit.record(trx, ctx, {
          action: "queue.updated",
          targetType: "queue",
          targetId: id,
          details: { fields: Object.keys(input) },
        });
        await this.bus.append(trx, {
          type: "queue.updated",
          entityType: "queue",
          entityId: id,
          actorId: actorId(ctx.actor),
        });
        return present((await repo.find(trx, id))!);
      }),
    );
  }

  /** Cases in a deleted queue stay, queue-less. */
  async delete(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, CASE_ADMINS, "delete queues");
    await guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        const current = await repo.find(trx, id);
        if (!current) throw notFound("Queue");
        await repo.delete(trx, id);
        await this.audit.record(trx, ctx, {
          action: "queue.deleted",
          targetType: "queue",
          targetId: id,
          details: { name: current.name },
        });
        await this.bus.append(trx, {
          type: "queue.deleted",
          entityType: "queue",
          entityId: id,
          actorId: actorId(ctx.actor),
        });
      }),
    );
  }

  private async assertTeam(db: Executor, teamId: string | null | undefined): Promise<void> {
    if (teamId && !(await casesRepository.teamExists(db, teamId))) throw invalid("/teamId", "no such team");
  }
}
