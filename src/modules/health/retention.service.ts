import {
  type Actor,
  actorId,
  type RequestCtx,
  type Role,
  requireRole,
  requireStaff,
  SYSTEM,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { conflict, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import { type EventBus, readAccountEvents, type StoredEvent } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { AccountsService } from "../accounts/accounts.service.ts";
import type { ActivitiesService } from "../activities/activities.service.ts";
import type { CasesService } from "../cases/cases.service.ts";
import type { NotificationsService } from "../notifications/notifications.service.ts";
import {
  activeManagers,
  type ChurnRow,
  type PlayRow,
  healthRepository as repo,
} from "./health.repository.ts";
import {
  type AccountHealth,
  HEALTH_BAND_CHANGED,
  HEALTH_SCORE_DROPPED,
  type HealthEntry,
  type HealthService,
} from "./health.service.ts";
import type { ChurnGroup, ChurnReason, PlayOutcome, PlayReason } from "./health.tables.ts";
import type { Band } from "./health-score.ts";

export const CHURN_REASONS: Record<ChurnReason, ChurnGroup> = {
  customer_service: "service_or_treatment",
  low_quality: "product",
  missing_features: "product",
  switched_service: "competitor",
  too_complex: "product",
  too_expensive: "price",
  unused: "other",
  other: "other",
};
export const CHURN_GROUPS: readonly ChurnGroup[] = [
  "service_or_treatment",
  "product",
  "competitor",
  "price",
  "other",
];
export const PLAY_OUTCOMES: readonly PlayOutcome[] = ["recovered", "lost", "no_longer_needed"];

/** Account managers and leads run plays and record churn; every staff role reads them. */
const RETAINERS: readonly Role[] = ["admin", "manager", "sales"];
const DAY_MS = 86_400_000;
const PLAYS_HANDLER = "health.plays";

export type Play = {
  id: string;
  accountId: string;
  accountName: string | null;
  reason: PlayReason;
  status: "open" | "ended";
  outcome: PlayOutcome | null;
  keyAccount: boolean;
  scoreAtStart: number | null;
  trigger: Record<string, unknown>;
  taskIds: string[];
  notes: string | null;
  startedAt: string;
  startedById: string | null;
  endedAt: string | null;
  endedById: string | null;
};

export type ChurnRecord = {
  id: string;
  accountId: string;
  accountName: string | null;
  lostOn: string;
  revenueLost: number;
  reason: ChurnReason;
  reasonGroup: ChurnGroup;
  notes: string | null;
  /** The ledger's last debits before the loss: what led there. */
  debits: HealthEntry[];
  createdAt: string;
  createdById: string | null;
  wonBackAt: string | null;
  wonBackById: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const arr = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : typeof v === "string" ? (JSON.parse(v) as unknown[]) : [];

function presentPlay(r: PlayRow & { account_name?: string }): Play {
  return {
    id: r.id,
    accountId: r.account_id,
    accountName: r.account_name ?? null,
    reason: r.reason,
    status: r.status,
    outcome: r.outcome,
    keyAccount: r.key_account,
    scoreAtStart: r.score_at_start,
    trigger: (r.trigger ?? {}) as Record<string, unknown>,
    taskIds: arr(r.task_ids) as string[],
    notes: r.notes,
    startedAt: r.started_at.toISOString(),
    startedById: r.started_by,
    endedAt: iso(r.ended_at),
    endedById: r.ended_by,
  };
}

function presentChurn(r: ChurnRow & { account_name?: string }): ChurnRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    accountName: r.account_name ?? null,
    lostOn: r.lost_on,
    revenueLost: Number(r.revenue_lost),
    reason: r.reason,
    reasonGroup: r.reason_group,
    notes: r.notes,
    debits: arr(r.debits) as HealthEntry[],
    createdAt: r.created_at.toISOString(),
    createdById: r.created_by,
    wonBackAt: iso(r.won_back_at),
    wonBackById: r.won_back_by,
  };
}

const dateOnly = (v: string, path: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()))
    throw invalid(path, "must be a date YYYY-MM-DD");
  return v;
};

/**
 * Retention: plays started by the ledger's band changes and drops (edge-triggered, one open per
 * account and reason), churn records with the debits that led there, and the sales views (the
 * account brief, ready for an offer, Pareto curve, dashboards).
 */
export class RetentionService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly accounts: AccountsService,
    private readonly activities: ActivitiesService,
    private readonly notifications: NotificationsService,
    private readonly cases: CasesService,
    private readonly health: HealthService,
  ) {}

  register(): void {
    this.bus.register({
      name: PLAYS_HANDLER,
      types: [HEALTH_BAND_CHANGED, HEALTH_SCORE_DROPPED],
      handle: (e, trx) => this.onHealthEvent(trx, e),
    });
  }

  private async onHealthEvent(trx: Trx, e: StoredEvent): Promise<void> {
    if (!e.accountId) return;
    const d = e.data as { to?: Band; from?: Band | number; score?: number; points?: number; days?: number };
    if (e.type === HEALTH_BAND_CHANGED) {
      if (d.to === "at_risk")
        await this.startIn(trx, SYSTEM, e.accountId, "entered_at_risk", {
          from: d.from ?? null,
          score: d.score ?? null,
        });
      if (d.to === "healthy") await this.endOpenIn(trx, e.accountId, "recovered", null);
      return;
    }
    await this.startIn(trx, SYSTEM, e.accountId, "score_drop", {
      from: d.from ?? null,
      to: d.score ?? (e.data.to as number | undefined) ?? null,
      points: d.points ?? null,
      days: d.days ?? null,
    });
  }

  // ---- plays ----

  /** Starts a play unless one is open for this account and reason; tasks for the owner, managers told. */
  async startIn(
    trx: Trx,
    ctx: RequestCtx,
    accountId: string,
    reason: PlayReason,
    trigger: Record<string, unknown>,
    notes: string | null = null,
  ): Promise<Play | null> {
    const account = await this.accounts.accountIn(trx, accountId);
    if (!account) return null;
    if (await repo.openChurnFor(trx, accountId)) return null;
    const cfg = await this.health.configIn(trx);
    const now = this.clock.now();
    const key = account.tier === "key";
    const id = newId();
    const inserted = await repo.insertPlay(trx, {
      id,
      account_id: accountId,
      reason,
      status: "open",
      outcome: null,
      key_account: key,
      score_at_start: account.health.score,
      trigger,
      task_ids: [] as unknown as Record<string, unknown>,
      notes,
      started_at: now,
      started_by: actorId(ctx.actor),
      ended_at: null,
      ended_by: null,
    });
    if (!inserted) return null;
    const managers = await activeManagers(trx);
    const ownerId = account.ownerId ?? managers[0] ?? (ctx.actor.kind === "user" ? ctx.actor.id : undefined);
    const dueAt = new Date(
      now.getTime() + (key ? cfg.plays.keyTaskDays : cfg.plays.standardTaskDays) * DAY_MS,
    );
    const why =
      reason === "entered_at_risk"
        ? `health fell to at risk (score ${account.health.score ?? "?"})`
        : reason === "score_drop"
          ? `health dropped ${String(trigger.points ?? "")} points in ${String(trigger.days ?? "")} days`
          : "started by hand";
    const taskIds: string[] = [];
    if (ownerId) {
      for (const subject of [`Call ${account.name}: ${why}`, `Review ${account.name}'s open cases`]) {
        const task = await this.activities.createIn(trx, SYSTEM, {
          type: "task",
          subject,
          notes: `Retention play (${reason.replaceAll("_", " ")}). Open the account: /accounts/${accountId}`,
          ownerId,
          accountId,
          dueAt: dueAt.toISOString(),
        });
        taskIds.push(task.id);
      }
      await repo.setPlayTasks(trx, id, taskIds);
    }
    const recipients = [...new Set([...managers, ...(account.ownerId ? [account.ownerId] : [])])];
    await this.notifications.notify(trx, {
      userIds: recipients,
      kind: "play.started",
      title: `${key ? "Key account at risk" : "Retention play"}: ${account.name}`,
      body: `A retention play started: ${why}.`,
      link: `/accounts/${accountId}`,
      email: key,
      dedupeKey: `play.started:${id}`,
    });
    await this.bus.append(trx, {
      type: "play.started",
      entityType: "play",
      entityId: id,
      accountId,
      actorId: actorId(ctx.actor),
      data: { reason, keyAccount: key, score: account.health.score, taskIds, trigger },
    });
    return presentPlay((await repo.findPlay(trx, id))!);
  }

  private async endOpenIn(
    trx: Trx,
    accountId: string,
    outcome: PlayOutcome,
    by: string | null,
    notes?: string,
  ) {
    for (const p of await repo.openPlays(trx, accountId))
      await this.endIn(trx, p, outcome, by, notes ?? null);
  }

  private async endIn(trx: Trx, p: PlayRow, outcome: PlayOutcome, by: string | null, notes: string | null) {
    const now = this.clock.now();
    await repo.endPlay(trx, p.id, {
      outcome,
      ended_at: now,
      ended_by: by,
      ...(notes !== null ? { notes } : {}),
    });
    await this.bus.append(trx, {
      type: "play.ended",
      entityType: "play",
      entityId: p.id,
      accountId: p.account_id,
      actorId: by,
      data: { reason: p.reason, outcome, startedAt: p.started_at.toISOString() },
    });
  }

  async startPlay(
    ctx: RequestCtx,
    accountId: string,
    input: { notes?: string | null | undefined },
  ): Promise<Play> {
    requireRole(ctx.actor, RETAINERS, "start a retention play");
    if (!(await this.accounts.accountIn(this.db.kysely, accountId))) throw notFound("Account");
    return this.db.kysely.transaction().execute(async (trx) => {
      const play = await this.startIn(trx, ctx, accountId, "manual", {}, input.notes?.trim() || null);
      if (!play) throw conflict("This account already has an open play started by hand, or is marked lost");
      return play;
    });
  }

  async endPlay(
    ctx: RequestCtx,
    id: string,
    input: { outcome: PlayOutcome; notes?: string | null | undefined },
  ): Promise<Play> {
    requireRole(ctx.actor, RETAINERS, "end a retention play");
    if (!PLAY_OUTCOMES.includes(input.outcome))
      throw invalid("/outcome", `must be one of ${PLAY_OUTCOMES.join(", ")}`);
    return this.db.kysely.transaction().execute(async (trx) => {
      const p = await repo.findPlay(trx, id, true);
      if (!p) throw notFound("Play");
      if (p.status !== "open") throw ruleRefused("This play has already ended", { outcome: p.outcome });
      await this.endIn(trx, p, input.outcome, actorId(ctx.actor), input.notes?.trim() || null);
      return presentPlay((await repo.findPlay(trx, id))!);
    });
  }

  async getPlay(actor: Actor, id: string): Promise<Play> {
    requireStaff(actor);
    const p = await repo.findPlay(this.db.kysely, id);
    if (!p) throw notFound("Play");
    return presentPlay(p);
  }

  async listPlays(
    actor: Actor,
    q: {
      status?: "open" | "ended" | undefined;
      accountId?: string | undefined;
      reason?: PlayReason | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
    },
  ) {
    requireStaff(actor);
    const limit = Math.min(200, Math.max(1, q.limit ?? 50));
    const offset = Math.max(0, q.offset ?? 0);
    const rows = await repo.listPlays(this.db.kysely, {
      ...(q.status ? { status: q.status } : {}),
      ...(q.accountId ? { accountId: q.accountId } : {}),
      ...(q.reason ? { reason: q.reason } : {}),
      limit: limit + 1,
      offset,
    });
    return {
      items: rows.slice(0, limit).map((r) => ({
        ...presentPlay(r),
        accountName: r.account_name,
        annualRevenue: Number(r.annual_revenue),
        health: { score: r.health_score, band: r.health_band },
      })),
      nextOffset: rows.length > limit ? offset + limit : null,
    };
  }

  /** Plays started in the range: how they ended (or are still open), per reason and in total. */
  async playReport(actor: Actor, q: { from?: string | undefined; to?: string | undefined }) {
    requireStaff(actor);
    const now = this.clock.now();
    // Default: up to the end of today (UTC), so plays started just now count.
    const to = q.to ? new Date(q.to) : new Date((Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 90 * DAY_MS);
    if (Number.isNaN(from.getTime())) throw invalid("/from", "must be a date-time");
    if (Number.isNaN(to.getTime())) throw invalid("/to", "must be a date-time");
    const rows = await repo.playReport(this.db.kysely, from, to);
    const blank = () => ({ started: 0, open: 0, recovered: 0, lost: 0, no_longer_needed: 0 });
    const byReason: Record<string, ReturnType<typeof blank>> = {};
    const totals = blank();
    for (const r of rows) {
      const n = Number(r.n);
      byReason[r.reason] ??= blank();
      const b = byReason[r.reason]!;
      for (const t of [b, totals]) {
        t.started += n;
        if (r.status === "open") t.open += n;
        else if (r.outcome) t[r.outcome] += n;
      }
    }
    const ended = totals.recovered + totals.lost + totals.no_longer_needed;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      totals,
      recoveredRate: ended === 0 ? null : Math.round((1000 * totals.recovered) / ended) / 10,
      byReason: Object.entries(byReason).map(([reason, c]) => ({ reason, ...c })),
    };
  }

  // ---- churn ----

  async markLost(
    ctx: RequestCtx,
    accountId: string,
    input: {
      lostOn?: string | undefined;
      revenueLost?: number | undefined;
      reason: ChurnReason;
      notes?: string | null | undefined;
    },
  ): Promise<ChurnRecord> {
    requireRole(ctx.actor, RETAINERS, "mark an account lost");
    const group = CHURN_REASONS[input.reason];
    if (!group) throw invalid("/reason", `must be one of ${Object.keys(CHURN_REASONS).join(", ")}`);
    const lostOn = input.lostOn
      ? dateOnly(input.lostOn, "/lostOn")
      : this.clock.now().toISOString().slice(0, 10);
    if (input.revenueLost !== undefined && !(input.revenueLost >= 0))
      throw invalid("/revenueLost", "must be ≥ 0");
    return this.db.kysely
      .transaction()
      .execute((trx) => this.markLostIn(trx, ctx, accountId, { ...input, lostOn }));
  }

  /** `markLost` inside the caller's transaction (the demo seed); no permission check. */
  async markLostIn(
    trx: Trx,
    ctx: RequestCtx,
    accountId: string,
    input: {
      lostOn: string;
      revenueLost?: number | undefined;
      reason: ChurnReason;
      notes?: string | null | undefined;
    },
  ): Promise<ChurnRecord> {
    const group = CHURN_REASONS[input.reason];
    const lostOn = input.lostOn;
    {
      const account = await this.accounts.accountIn(trx, accountId);
      if (!account || ctx.actor.kind === "contact") throw notFound("Account");
      const debits = await this.health.lastDebitsIn(trx, accountId, 5);
      const id = newId();
      const now = this.clock.now();
      const row: ChurnRow = {
        id,
        account_id: accountId,
        lost_on: lostOn,
        revenue_lost: input.revenueLost ?? account.annualRevenue,
        reason: input.reason,
        reason_group: group,
        notes: input.notes?.trim() || null,
        debits: debits as unknown as ChurnRow["debits"],
        created_at: now,
        created_by: actorId(ctx.actor),
        won_back_at: null,
        won_back_by: null,
      };
      if (!(await repo.insertChurn(trx, row)))
        throw conflict("This account is already marked lost", "/accountId");
      await this.endOpenIn(trx, accountId, "lost", actorId(ctx.actor));
      await this.bus.append(trx, {
        type: "account.lost",
        entityType: "account",
        entityId: accountId,
        accountId,
        actorId: actorId(ctx.actor),
        data: {
          churnId: id,
          reason: input.reason,
          reasonGroup: group,
          revenueLost: row.revenue_lost,
          lostOn,
        },
      });
      return presentChurn({ ...(await repo.findChurn(trx, id))!, account_name: account.name });
    }
  }

  async wonBack(ctx: RequestCtx, churnId: string): Promise<ChurnRecord> {
    requireRole(ctx.actor, RETAINERS, "record a won-back account");
    return this.db.kysely.transaction().execute(async (trx) => {
      const r = await repo.findChurn(trx, churnId, true);
      if (!r) throw notFound("Churn record");
      if (r.won_back_at) throw ruleRefused("This account was already won back");
      await repo.wonBack(trx, churnId, this.clock.now(), actorId(ctx.actor));
      await this.bus.append(trx, {
        type: "account.won_back",
        entityType: "account",
        entityId: r.account_id,
        accountId: r.account_id,
        actorId: actorId(ctx.actor),
        data: { churnId, reason: r.reason },
      });
      return presentChurn((await repo.findChurn(trx, churnId))!);
    });
  }

  async getChurn(actor: Actor, id: string): Promise<ChurnRecord> {
    requireStaff(actor);
    const r = await repo.findChurn(this.db.kysely, id);
    if (!r) throw notFound("Churn record");
    return presentChurn(r);
  }

  async listChurn(
    actor: Actor,
    q: {
      accountId?: string | undefined;
      from?: string | undefined;
      to?: string | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
    },
  ) {
    requireStaff(actor);
    const limit = Math.min(200, Math.max(1, q.limit ?? 50));
    const offset = Math.max(0, q.offset ?? 0);
    const rows = await repo.listChurn(this.db.kysely, {
      ...(q.accountId ? { accountId: q.accountId } : {}),
      ...(q.from ? { from: dateOnly(q.from, "/from") } : {}),
      ...(q.to ? { to: dateOnly(q.to, "/to") } : {}),
      limit: limit + 1,
      offset,
    });
    return {
      items: rows.slice(0, limit).map(presentChurn),
      nextOffset: rows.length > limit ? offset + limit : null,
    };
  }

  /** Lost accounts by reason group and reason: counts, revenue and shares (the business's own 68/14/9). */
  async churnReport(
    actor: Actor,
    q: { from?: string | undefined; to?: string | undefined; includeWonBack?: boolean | undefined },
  ) {
    requireStaff(actor);
    const today = this.clock.now().toISOString().slice(0, 10);
    const to = q.to
      ? dateOnly(q.to, "/to")
      : new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    const from = q.from
      ? dateOnly(q.from, "/from")
      : new Date(Date.parse(`${to}T00:00:00Z`) - 365 * DAY_MS).toISOString().slice(0, 10);
    const rows = await repo.churnTotals(this.db.kysely, from, to, q.includeWonBack ?? true);
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    const revenue = rows.reduce((s, r) => s + Number(r.revenue ?? 0), 0);
    const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((1000 * n) / of) / 10);
    const groups = CHURN_GROUPS.map((g) => {
      const rs = rows.filter((r) => r.reason_group === g);
      const n = rs.reduce((s, r) => s + Number(r.n), 0);
      const rev = rs.reduce((s, r) => s + Number(r.revenue ?? 0), 0);
      return {
        group: g,
        count: n,
        percent: pct(n, total),
        revenueLost: rev,
        revenuePercent: pct(rev, revenue),
      };
    });
    const reasons = (Object.keys(CHURN_REASONS) as ChurnReason[]).map((reason) => {
      const r = rows.find((x) => x.reason === reason);
      const n = Number(r?.n ?? 0);
      return {
        reason,
        group: CHURN_REASONS[reason],
        count: n,
        percent: pct(n, total),
        revenueLost: Number(r?.revenue ?? 0),
      };
    });
    return { from, to, total, revenueLost: revenue, groups, reasons };
  }

  // ---- sales views ----

  /** What a salesperson reads before calling: open problems, promises, surveys, health, escalations. */
  async brief(actor: Actor, accountId: string) {
    requireStaff(actor);
    const db = this.db.kysely;
    const account = await this.accounts.accountIn(db, accountId);
    if (!account) throw notFound("Account");
    const health: AccountHealth = await this.health.accountHealth(actor, accountId);
    const open = await this.cases.list(actor, { accountId, statusCategory: ["open", "paused"], limit: 50 });
    const promises = await this.activities.list(actor, {
      accountId,
      type: ["promise"],
      status: ["open", "broken"],
      limit: 50,
    });
    const now = this.clock.now().getTime();
    const recentBroken = promises.items.filter(
      (p) => p.status === "broken" && p.brokenAt && now - Date.parse(p.brokenAt) < 90 * DAY_MS,
    );
    const surveyEvents = await readAccountEvents(db, accountId, { limit: 5, types: ["survey.answered"] });
    const escalationEvents = await readAccountEvents(db, accountId, { limit: 5, types: ["case.escalated"] });
    const plays = await repo.listPlays(db, { accountId, status: "open", limit: 10, offset: 0 });
    const churn = await repo.openChurnFor(db, accountId);
    const week = Math.max(0, health.trend.length - 1);
    const weekAgo = health.trend.find((t) => now - Date.parse(t.at) <= 30 * DAY_MS) ?? health.trend[week];
    return {
      account: {
        id: account.id,
        name: account.name,
        tier: account.tier,
        annualRevenue: account.annualRevenue,
        ownerId: account.ownerId,
        customerSince: account.customerSince,
      },
      health: {
        score: health.score,
        band: health.band,
        bandSince: health.bandSince,
        /** Score change over the last 30 days (null without history). */
        change30d: health.score !== null && weekAgo ? health.score - weekAgo.score : null,
        trend: health.trend,
        explanation: health.explanation.slice(0, 3),
      },
      openCases: open.items.map((c) => ({
        id: c.id,
        number: c.number,
        subject: c.subject,
        status: c.status,
        priority: c.priority,
        createdAt: c.createdAt,
        slaState: slaStateOf(c.sla),
        slaDueAt: c.slaDueAt ?? null,
        sla: c.sla.map((k) => ({ kpi: k.kpi, status: k.status, dueAt: k.dueAt })),
      })),
      openCasesMore: open.nextCursor !== null,
      promises: {
        due: promises.items
          .filter((p) => p.status === "open")
          .map((p) => ({
            id: p.id,
            subject: p.subject,
            dueAt: p.dueAt,
            ownerId: p.ownerId,
            caseId: p.caseId,
            overdue: p.overdue,
          })),
        broken: recentBroken.map((p) => ({
          id: p.id,
          subject: p.subject,
          dueAt: p.dueAt,
          ownerId: p.ownerId,
          caseId: p.caseId,
          brokenAt: p.brokenAt,
        })),
      },
      surveys: surveyEvents.map((e) => ({
        type: String(e.data.type ?? ""),
        score: Number(e.data.score),
        comment: typeof e.data.comment === "string" ? e.data.comment : null,
        caseId: typeof e.data.caseId === "string" ? e.data.caseId : null,
        answeredAt: e.occurredAt.toISOString(),
      })),
      escalations: escalationEvents.map((e) => ({
        caseId: e.entityId,
        reason: typeof e.data.reason === "string" ? e.data.reason : null,
        by: typeof e.data.by === "string" ? e.data.by : null,
        at: e.occurredAt.toISOString(),
      })),
      openPlays: plays.map((p) => presentPlay(p)),
      lost: churn ? { churnId: churn.id, lostOn: churn.lost_on, reason: churn.reason } : null,
    };
  }

  async readyForOffer(actor: Actor, q: { minScore?: number | undefined; limit?: number | undefined }) {
    requireStaff(actor);
    const rows = await repo.readyForOffer(
      this.db.kysely,
      q.minScore ?? 70,
      Math.min(200, Math.max(1, q.limit ?? 50)),
    );
    return {
      items: rows.map((r) => ({
        accountId: r.id,
        name: r.name,
        tier: r.tier,
        annualRevenue: Number(r.annual_revenue),
        ownerId: r.owner_id,
        health: { score: r.health_score, band: r.health_band },
      })),
    };
  }

  /** The revenue concentration curve (at most ~100 points) and key accounts with their health. */
  async pareto(actor: Actor) {
    requireStaff(actor);
    const rows = await repo.revenueCurve(this.db.kysely);
    const total = rows.reduce((s, r) => s + Number(r.annual_revenue), 0);
    const n = rows.length;
    const step = Math.max(1, Math.ceil(n / 100));
    const curve: { accountsPercent: number; revenuePercent: number }[] = [
      { accountsPercent: 0, revenuePercent: 0 },
    ];
    let cum = 0;
    rows.forEach((r, i) => {
      cum += Number(r.annual_revenue);
      if ((i + 1) % step === 0 || i === n - 1)
        curve.push({
          accountsPercent: Math.round((1000 * (i + 1)) / n) / 10,
          revenuePercent: total === 0 ? 0 : Math.round((1000 * cum) / total) / 10,
        });
    });
    const key = rows.filter((r) => r.tier === "key");
    const keyRevenue = key.reduce((s, r) => s + Number(r.annual_revenue), 0);
    return {
      accounts: n,
      totalRevenue: total,
      keyAccounts: key.length,
      keyRevenuePercent: total === 0 ? 0 : Math.round((1000 * keyRevenue) / total) / 10,
      curve,
      key: key.slice(0, 200).map((r) => ({
        accountId: r.id,
        name: r.name,
        annualRevenue: Number(r.annual_revenue),
        health: { score: r.health_score, band: r.health_band },
      })),
    };
  }

  /** Health distribution, accounts moved to at_risk this week, revenue at risk, churn by reason group. */
  async dashboard(actor: Actor) {
    requireStaff(actor);
    const db = this.db.kysely;
    const now = this.clock.now();
    const dist = await repo.bandDistribution(db);
    const bands = (["healthy", "watch", "at_risk", null] as const).map((band) => {
      const rs = dist.filter((r) => r.band === band);
      return {
        band: band ?? "unscored",
        accounts: rs.reduce((s, r) => s + Number(r.n), 0),
        keyAccounts: rs.filter((r) => r.tier === "key").reduce((s, r) => s + Number(r.n), 0),
        revenue: rs.reduce((s, r) => s + Number(r.revenue ?? 0), 0),
      };
    });
    const moved = await repo.movedToAtRisk(db, new Date(now.getTime() - 7 * DAY_MS));
    const atRisk = bands.find((b) => b.band === "at_risk")!;
    const watch = bands.find((b) => b.band === "watch")!;
    const churn = await this.churnReport(actor, {});
    return {
      asOf: now.toISOString(),
      bands,
      revenueAtRisk: atRisk.revenue,
      revenueOnWatch: watch.revenue,
      movedToAtRisk: moved.map((m) => ({
        accountId: m.id,
        name: m.name,
        tier: m.tier,
        annualRevenue: Number(m.annual_revenue),
        score: m.score,
        since: m.band_since.toISOString(),
      })),
      churnByGroup: churn.groups,
      churnTotal: churn.total,
    };
  }
}

/** The case's SLA at a glance: breached beats warning beats running beats paused; met when all met. */
function slaStateOf(sla: { status: string }[]): string | null {
  if (sla.length === 0) return null;
  for (const s of ["breached", "warning", "running", "paused"]) if (sla.some((k) => k.status === s)) return s;
  return "met";
}
