import {
  type Actor,
  actorId,
  type RequestCtx,
  type Role,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/database.ts";
import { invalid, notFound } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { AccountsService } from "../accounts/accounts.service.ts";
import type { UsersService } from "../users/users.service.ts";
import { type OpportunityRow, opportunitiesRepository as repo } from "./opportunities.repository.ts";
import type { OpportunitiesTable, OpportunityStage } from "./opportunities.tables.ts";

export const STAGES: readonly OpportunityStage[] = ["qualify", "propose", "negotiate", "won", "lost"];
/** Sales owns the pipeline; leads and admins help. Agents read it (they see what is being sold). */
const SELLERS: readonly Role[] = ["admin", "manager", "sales"];

export type Opportunity = {
  id: string;
  accountId: string;
  accountName: string;
  keyAccount: boolean;
  name: string;
  amount: number;
  stage: OpportunityStage;
  closeDate: string | null;
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type OpportunityInput = {
  accountId?: string | undefined;
  name?: string | undefined;
  amount?: number | undefined;
  stage?: OpportunityStage | undefined;
  closeDate?: string | null | undefined;
  ownerId?: string | null | undefined;
};

function present(r: OpportunityRow): Opportunity {
  return {
    id: r.id,
    accountId: r.account_id,
    accountName: r.account_name,
    keyAccount: r.account_tier === "key",
    name: r.name,
    amount: Number(r.amount),
    stage: r.stage,
    closeDate: r.close_date,
    ownerId: r.owner_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const date = (v: string, path: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw invalid(path, "must be a date YYYY-MM-DD");
  return v;
};

/** Sales opportunities per account, and the pipeline board (open stages with their totals). */
export class OpportunitiesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly accounts: AccountsService,
    private readonly users: UsersService,
  ) {}

  async get(actor: Actor, id: string): Promise<Opportunity> {
    requireStaff(actor);
    const r = await repo.find(this.db.kysely, id);
    if (!r) throw notFound("Opportunity");
    return present(r);
  }

  async list(
    actor: Actor,
    q: {
      accountId?: string | undefined;
      ownerId?: string | undefined;
      stage?: string[] | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
    },
  ) {
    requireStaff(actor);
    const stages = (q.stage ?? []).flatMap((s) => s.split(",")).filter(Boolean);
    for (const s of stages)
      if (!STAGES.includes(s as OpportunityStage))
        throw invalid("/stage", `must be one of ${STAGES.join(", ")}`);
    const limit = Math.min(200, Math.max(1, q.limit ?? 50));
    const offset = Math.max(0, q.offset ?? 0);
    const rows = await repo.list(this.db.kysely, {
      ...(q.accountId ? { accountId: q.accountId } : {}),
      ...(q.ownerId ? { ownerId: q.ownerId === "me" && actor.kind === "user" ? actor.id : q.ownerId } : {}),
      stages: stages as OpportunityStage[],
      limit: limit + 1,
      offset,
    });
    return {
      items: rows.slice(0, limit).map(present),
      nextOffset: rows.length > limit ? offset + limit : null,
    };
  }

  /** The board: every stage with its opportunities (up to 200 each) and totals. */
  async pipeline(actor: Actor, q: { ownerId?: string | undefined }) {
    requireStaff(actor);
    const db = this.db.kysely;
    const columns = [];
    for (const stage of STAGES) {
      const rows = await repo.list(db, {
        stages: [stage],
        ...(q.ownerId ? { ownerId: q.ownerId === "me" && actor.kind === "user" ? actor.id : q.ownerId } : {}),
        limit: 200,
        offset: 0,
      });
      columns.push({
        stage,
        count: rows.length,
        amount: rows.reduce((s, r) => s + Number(r.amount), 0),
        items: rows.map(present),
      });
    }
    return { stages: columns };
  }

  async create(
    ctx: RequestCtx,
    input: OpportunityInput & { accountId: string; name: string },
  ): Promise<Opportunity> {
    requireRole(ctx.actor, SELLERS, "create opportunities");
    return this.db.kysely.transaction().execute(async (trx) => {
      if (!(await this.accounts.accountIn(trx, input.accountId)))
        throw invalid("/accountId", "no such account");
      const name = input.name.trim();
      if (!name) throw invalid("/name", "must not be empty");
      const ownerId = input.ownerId === undefined ? actorId(ctx.actor) : input.ownerId;
      if (ownerId && !(await this.users.userIn(trx, ownerId))) throw invalid("/ownerId", "no such user");
      const now = this.clock.now();
      const id = newId();
      await repo.insert(trx, {
        id,
        account_id: input.accountId,
        name,
        amount: input.amount ?? 0,
        stage: input.stage ?? "qualify",
        close_date: input.closeDate ? date(input.closeDate, "/closeDate") : null,
        owner_id: ownerId,
        created_at: now,
        updated_at: now,
      });
      await this.bus.append(trx, {
        type: "opportunity.created",
        entityType: "opportunity",
        entityId: id,
        accountId: input.accountId,
        actorId: actorId(ctx.actor),
        data: { name, amount: input.amount ?? 0, stage: input.stage ?? "qualify" },
      });
      return present((await repo.find(trx, id))!);
    });
  }

  async update(ctx: RequestCtx, id: string, input: OpportunityInput): Promise<Opportunity> {
    requireRole(ctx.actor, SELLERS, "change opportunities");
    return this.db.kysely.transaction().execute(async (trx) => {
      const before = await repo.find(trx, id);
      if (!before) throw notFound("Opportunity");
      const set: Partial<OpportunitiesTable> = {};
      if (input.name !== undefined) {
        const name = input.name.trim();
        if (!name) throw invalid("/name", "must not be empty");
        set.name = name;
      }
      if (input.amount !== undefined) set.amount = input.amount;
      if (input.stage !== undefined) set.stage = input.stage;
      if (input.closeDate !== undefined)
        set.close_date = input.closeDate ? date(input.closeDate, "/closeDate") : null;
      if (input.ownerId !== undefined) {
        if (input.ownerId && !(await this.users.userIn(trx, input.ownerId)))
          throw invalid("/ownerId", "no such user");
        set.owner_id = input.ownerId;
      }
      if (input.accountId !== undefined && input.accountId !== before.account_id) {
        if (!(await this.accounts.accountIn(trx, input.accountId)))
          throw invalid("/accountId", "no such account");
        set.account_id = input.accountId;
      }
      set.updated_at = this.clock.now();
      await repo.update(trx, id, set);
      await this.bus.append(trx, {
        type: "opportunity.updated",
        entityType: "opportunity",
        entityId: id,
        accountId: set.account_id ?? before.account_id,
        actorId: actorId(ctx.actor),
        data: {
          fields: Object.keys(set).filter((k) => k !== "updated_at"),
          stage: set.stage ?? before.stage,
        },
      });
      return present((await repo.find(trx, id))!);
    });
  }

  async delete(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, SELLERS, "delete opportunities");
    await this.db.kysely.transaction().execute(async (trx) => {
      const before = await repo.find(trx, id);
      if (!before) throw notFound("Opportunity");
      await repo.delete(trx, id);
      await this.bus.append(trx, {
        type: "opportunity.deleted",
        entityType: "opportunity",
        entityId: id,
        accountId: before.account_id,
        actorId: actorId(ctx.actor),
        data: { name: before.name },
      });
    });
  }
}
