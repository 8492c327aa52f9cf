import { type Actor, type RequestCtx, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Executor } from "../../platform/db/database.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import "./audit.tables.ts";

export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
};

export type AuditRecord = {
  action: string;
  targetType?: string;
  targetId?: string;
  /** For sign-in attempts, where there may be no actor yet. */
  email?: string;
  details?: Record<string, unknown>;
};

/** The audit trail: sign-ins, failed sign-ins and every admin change, written in the change's transaction. */
export class AuditService {
  constructor(private readonly clock: Clock) {}

  async record(db: Executor, ctx: RequestCtx, entry: AuditRecord): Promise<void> {
    const actor = ctx.actor;
    await db
      .insertInto("audit_log")
      .values({
        id: newId(),
        at: this.clock.now(),
        actor_id: actor.kind === "system" ? null : actor.id,
        actor_email: entry.email ?? (actor.kind === "system" ? null : actor.email),
        action: entry.action,
        target_type: entry.targetType ?? null,
        target_id: entry.targetId ?? null,
        ip: ctx.ip ?? null,
        details: JSON.stringify(entry.details ?? {}),
      })
      .execute();
  }

  /** Failed sign-ins for an email or from an IP since `since` (the rate limit's counter). */
  async countFailedLogins(db: Executor, by: { email?: string; ip?: string }, since: Date): Promise<number> {
    let q = db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", "auth.login_failed")
      .where("at", ">=", since);
    if (by.email) q = q.where((eb) => eb(eb.fn("lower", ["actor_email"]), "=", by.email!.toLowerCase()));
    if (by.ip) q = q.where("ip", "=", by.ip);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async list(
    db: Executor,
    actor: Actor,
    query: { action?: string; actorId?: string; limit?: number; cursor?: string },
  ): Promise<Page<AuditEntry>> {
    requireRole(actor, ["admin"], "read the audit log");
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    let q = db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("at", "desc")
      .orderBy("id", "desc")
      .limit(limit + 1);
    if (query.action) q = q.where("action", "=", query.action);
    if (query.actorId) q = q.where("actor_id", "=", query.actorId);
    if (after) {
      const [at, id] = after as [string, string];
      q = q.where((eb) =>
        eb.or([eb("at", "<", new Date(at)), eb.and([eb("at", "=", new Date(at)), eb("id", "<", id)])]),
      );
    }
    const rows = await q.execute();
    return toPage(
      rows,
      limit,
      (r) => [r.at.toISOString(), r.id],
      (r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        actorEmail: r.actor_email,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        ip: r.ip,
        details: r.details,
      }),
    );
  }
}
