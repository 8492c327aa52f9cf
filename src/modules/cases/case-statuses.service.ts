import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/database.ts";
import { conflict, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { assertText, guarded } from "./case-input.ts";
import { allowedTransitions, behavesAs } from "./case-status-machine.ts";
import { casesRepository as repo, type StatusRow } from "./cases.repository.ts";
import { type CasesService, REOPEN_WINDOW_SETTING } from "./cases.service.ts";
import type { StatusCategory } from "./cases.tables.ts";

export type CaseStatus = {
  key: string;
  label: string;
  category: StatusCategory;
  builtin: boolean;
  position: number;
  /** The built-in status whose transitions this one follows. */
  behavesAs: string;
  /** Statuses a case in this one may move to. */
  transitions: string[];
};

export type CaseSettings = { reopenWindowDays: number };

export const MAX_REOPEN_WINDOW_DAYS = 3650;

/** Admin configuration of cases: custom statuses and the reopen window. */
export class CaseStatusesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
  ) {}

  async list(actor: Actor): Promise<CaseStatus[]> {
    requireStaff(actor);
    const rows = await repo.listStatuses(this.db.kysely);
    return this.present(rows);
  }

  async create(
    ctx: RequestCtx,
    input: { key: string; label: string; category: StatusCategory; position?: number | undefined },
  ): Promise<CaseStatus> {
    requireRole(ctx.actor, ["admin"], "add case statuses");
    const key = input.key.trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(key)) {
      throw invalid("/key", "2–40 characters: lower-case letters, digits and _; starting with a letter");
    }
    assertText(input.label, "/label");
    const label = input.label.trim();
    if (label === "") throw invalid("/label", "must not be blank");
    return guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        if (await repo.findStatus(trx, key)) throw conflict(`A status ${key} already exists`, "/key");
        await repo.insertStatus(trx, {
          key,
          label,
          category: input.category,
          position: input.position ?? 1000,
          created_at: this.clock.now(),
        });
        await this.audit.record(trx, ctx, {
          action: "case_status.created",
          targetType: "case_status",
          targetId: key,
          details: { label, category: input.category },
        });
        await this.bus.append(trx, {
          type: "case_status.created",
          entityType: "case_status",
          entityId: key,
          actorId: actorId(ctx.actor),
          data: { category: input.category },
        });
        return this.present(await repo.listStatuses(trx)).find((s) => s.key === key)!;
      }),
    );
  }

  /** Label and position only: a status's category decides what cases in it mean (SLA pauses, reports). */
  async update(
    ctx: RequestCtx,
    key: string,
    input: { label?: string | undefined; position?: number | undefined },
  ): Promise<CaseStatus> {
    requireRole(ctx.actor, ["admin"], "change case statuses");
    return guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        if (!(await repo.findStatus(trx, key))) throw notFound("Case status");
        const set: { label?: string; position?: number } = {};
        if (input.label !== undefined) {
          assertText(input.label, "/label");
          set.label = input.label.trim();
          if (set.label === "") throw invalid("/label", "must not be blank");
        }
        if (input.position !== undefined) set.position = input.position;
        if (Object.keys(set).length > 0) await repo.updateStatus(trx, key, set);
        await this.audit.record(trx, ctx, {
          action: "case_status.updated",
          targetType: "case_status",
          targetId: key,
          details: set,
        });
        await this.bus.append(trx, {
          type: "case_status.updated",
          entityType: "case_status",
          entityId: key,
          actorId: actorId(ctx.actor),
        });
        return this.present(await repo.listStatuses(trx)).find((s) => s.key === key)!;
      }),
    );
  }

  async delete(ctx: RequestCtx, key: string): Promise<void> {
    requireRole(ctx.actor, ["admin"], "delete case statuses");
    await guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        const row = await repo.findStatus(trx, key);
        if (!row) throw notFound("Case status");
        if (row.builtin) throw ruleRefused(`${key} is built in and cannot be deleted`);
        if (await repo.statusInUse(trx, key)) {
          throw conflict(`Cases are in status ${key}; move them to another status first`);
        }
        await repo.deleteStatus(trx, key);
        await this.audit.record(trx, ctx, {
          action: "case_status.deleted",
          targetType: "case_status",
          targetId: key,
        });
        await this.bus.append(trx, {
          type: "case_status.deleted",
          entityType: "case_status",
          entityId: key,
          actorId: actorId(ctx.actor),
        });
      }),
    );
  }

  // ---- settings ----

  async settings(actor: Actor): Promise<CaseSettings> {
    requireStaff(actor);
    return { reopenWindowDays: await this.cases.reopenWindowDays(this.db.kysely) };
  }

  async updateSettings(
    ctx: RequestCtx,
    input: { reopenWindowDays?: number | undefined },
  ): Promise<CaseSettings> {
    requireRole(ctx.actor, ["admin"], "change case settings");
    return guarded(() =>
      this.db.kysely.transaction().execute(async (trx) => {
        if (input.reopenWindowDays !== undefined) {
          const days = input.reopenWindowDays;
          if (!Number.isInteger(days) || days < 0 || days > MAX_REOPEN_WINDOW_DAYS) {
            throw invalid(
              "/reopenWindowDays",
              `must be a whole number of days from 0 to ${MAX_REOPEN_WINDOW_DAYS}`,
            );
          }
          const before = await this.cases.reopenWindowDays(trx);
          await repo.putSetting(trx, REOPEN_WINDOW_SETTING, days, this.clock.now(), actorId(ctx.actor));
          await this.audit.record(trx, ctx, {
            action: "case_settings.updated",
            targetType: "case_settings",
            targetId: REOPEN_WINDOW_SETTING,
            details: { from: before, to: days },
          });
          await this.bus.append(trx, {
            type: "case_settings.updated",
            entityType: "case_settings",
            entityId: REOPEN_WINDOW_SETTING,
            actorId: actorId(ctx.actor),
            data: { reopenWindowDays: days },
          });
        }
        return { reopenWindowDays: await this.cases.reopenWindowDays(trx) };
      }),
    );
  }

  private present(rows: StatusRow[]): CaseStatus[] {
    const catalogue = new Map(rows.map((r) => [r.key, r.category]));
    return rows.map((r) => ({
      key: r.key,
      label: r.label,
      category: r.category,
      builtin: r.builtin,
      position: r.position,
      behavesAs: behavesAs(r.key, catalogue),
      transitions: allowedTransitions(r.key, catalogue),
    }));
  }
}
