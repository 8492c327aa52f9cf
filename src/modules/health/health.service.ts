import {
  type Actor,
  actorId,
  type RequestCtx,
  type Role,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound } from "../../platform/errors.ts";
import type { EventBus, StoredEvent } from "../../platform/events/event-bus.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import type { AccountsService } from "../accounts/accounts.service.ts";
import { type EntryRow, healthRepository as repo, type StateRow } from "./health.repository.ts";
import { entryFor, HEALTH_SIGNAL_RECORDED, LEDGER_EVENT_TYPES } from "./health-entries.ts";
import {
  applyEntry,
  type Band,
  configProblems,
  type EntryKind,
  fadedWeight,
  type HealthConfig,
  type HealthState,
  mergeConfig,
  midnightBefore,
  momentsMultiplier,
  SIGNAL_KINDS,
  type SignalKind,
  tick,
} from "./health-score.ts";

export const HEALTH_TICK_TIMER = "health.tick";
export const HEALTH_BAND_CHANGED = "health.band_changed";
export const HEALTH_SCORE_DROPPED = "health.score_dropped";
const LEDGER_HANDLER = "health.ledger";
const DAY_MS = 86_400_000;
/** Entries older than this many half-lives weigh under 0.1 % and are left out of explanations. */
const EXPLAIN_HALF_LIVES = 10;
const EXPLAIN_SCAN = 500;

export const SETTINGS_EDITORS: readonly Role[] = ["admin", "manager"];

export type HealthEntry = {
  id: string;
  kind: EntryKind;
  at: string;
  caseId: string | null;
  baseWeight: number;
  multiplier: number;
  weight: number;
  /** The weight as it stands now, after fading. */
  fadedWeight: number;
  scoreAfter: number;
  sourceEventId: string;
  detail: Record<string, unknown>;
};

export type AccountHealth = {
  accountId: string;
  score: number | null;
  band: Band | null;
  balance: number;
  scoredAt: string | null;
  bandSince: string | null;
  entries: number;
  /** Onboarding: entries until this day weigh more ('moments that matter'); null when not known. */
  momentsUntil: string | null;
  /** The score after each recent entry, oldest first, and now. */
  trend: { at: string; score: number }[];
  /** The entries that move the score most right now (largest faded weight, either sign). */
  explanation: HealthEntry[];
};

type Transition = { from: Band | null; to: Band; score: number; at: Date };

export type RebuildProgress = (done: number, total: number) => void;
export type RebuildOptions = { asOf?: Date; onProgress?: RebuildProgress; pageSize?: number };

const iso = (d: Date) => d.toISOString();

function stateOf(r: StateRow): HealthState {
  return {
    balance: r.balance,
    balanceAt: r.balance_at,
    score: r.score,
    band: r.band,
    scoredAt: r.scored_at,
    bandSince: r.band_since,
    entries: r.entries,
  };
}

function rowOf(accountId: string, s: HealthState): StateRow {
  return {
    account_id: accountId,
    balance: s.balance,
    balance_at: s.balanceAt,
    score: s.score,
    band: s.band,
    scored_at: s.scoredAt,
    band_since: s.bandSince,
    entries: s.entries,
  };
}

function startOf(a: { customer_since: string | null; created_at: Date }): Date {
  return a.customer_since ? new Date(`${a.customer_since}T00:00:00Z`) : a.created_at;
}

export function presentEntry(cfg: HealthConfig, r: EntryRow, asOf: Date): HealthEntry {
  return {
    id: r.id,
    kind: r.kind,
    at: iso(r.at),
    caseId: r.case_id,
    baseWeight: r.base_weight,
    multiplier: r.multiplier,
    weight: r.weight,
    fadedWeight: Math.round(fadedWeight(cfg, r.weight, r.at, asOf) * 1000) / 1000,
    scoreAfter: r.score_after,
    sourceEventId: r.source_event_id,
    detail: (r.detail ?? {}) as Record<string, unknown>,
  };
}

/**
 * The experience ledger: bus handlers turn the events that matter into weighted entries keyed by
 * the event id (a replay writes nothing twice), the balance fades with a half-life, and the
 * score and band (with hysteresis) go to the account (`accounts.health`). Pure arithmetic in
 * `health-score.ts`; reactions (plays) listen to `health.band_changed` / `health.score_dropped`.
 */
export class HealthService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly accounts: AccountsService,
  ) {}

  register(): void {
    this.bus.register({
      name: LEDGER_HANDLER,
      types: LEDGER_EVENT_TYPES,
      handle: (e, trx) => this.post(trx, e),
    });
    this.timers.register(HEALTH_TICK_TIMER, (t, trx) => this.onTick(t, trx));
  }

  // ---- settings ----

  async configIn(db: Executor): Promise<HealthConfig> {
    return mergeConfig(await repo.config(db));
  }

  async settings(actor: Actor): Promise<HealthConfig> {
    requireStaff(actor);
    return this.configIn(this.db.kysely);
  }

  async updateSettings(ctx: RequestCtx, input: Partial<HealthConfig>): Promise<HealthConfig> {
    requireRole(ctx.actor, SETTINGS_EDITORS, "change the health weights");
    return this.db.kysely.transaction().execute(async (trx) => {
      const current = await this.configIn(trx);
      const next = mergeConfig({
        ...current,
        ...input,
        weights: { ...current.weights, ...(input.weights ?? {}) },
        bands: { ...current.bands, ...(input.bands ?? {}) },
        moments: { ...current.moments, ...(input.moments ?? {}) },
        plays: { ...current.plays, ...(input.plays ?? {}) },
      });
      const problems = configProblems(next);
      if (problems.length > 0)
        throw new AppError("validation", problems.map((p) => `${p.path.slice(1)}: ${p.message}`).join("; "), {
          errors: problems,
        });
      await repo.saveConfig(trx, next, actorId(ctx.actor), this.clock.now());
      await this.bus.append(trx, {
        type: "health.settings_changed",
        entityType: "health_settings",
        entityId: "00000000-0000-0000-0000-000000000000",
        actorId: actorId(ctx.actor),
        data: { changed: Object.keys(input) },
      });
      return next;
    });
  }

  // ---- the ledger (live) ----

  /** The bus handler: one event, at most one entry, exactly once. */
  async post(trx: Trx, e: StoredEvent): Promise<void> {
    if (!e.accountId) return;
    const cfg = await this.configIn(trx);
    const draft = entryFor(cfg, e);
    if (!draft) return;
    const account = await this.accounts.accountIn(trx, e.accountId);
    if (!account) return;
    await repo.lockAccount(trx, e.accountId);
    const locked = await repo.lockState(trx, e.accountId);
    if (await repo.hasEntry(trx, e.id)) return;
    let ordinal: number | null = null;
    if (draft.caseId) {
      ordinal = draft.newCase
        ? await repo.assignOrdinal(trx, draft.caseId, e.accountId)
        : await repo.ordinalOf(trx, draft.caseId);
    }
    const start = account.customerSince
      ? new Date(`${account.customerSince}T00:00:00Z`)
      : new Date(account.createdAt);
    const multiplier = momentsMultiplier(cfg, {
      at: e.occurredAt,
      accountStart: start,
      caseOrdinal: ordinal,
    });
    const weight = draft.baseWeight * multiplier;
    const prev = locked ? stateOf(locked) : null;
    const { state, before } = applyEntry(cfg, prev, e.occurredAt, weight);
    const inserted = await repo.insertEntry(trx, {
      id: e.id,
      account_id: e.accountId,
      source_event_id: e.id,
      source_seq: e.seq,
      kind: draft.kind,
      case_id: draft.caseId,
      at: e.occurredAt,
      base_weight: draft.baseWeight,
      multiplier,
      weight,
      balance_after: state.balance,
      score_before: before?.score ?? null,
      score_after: state.score,
      detail: JSON.stringify(draft.detail),
    });
    if (!inserted) return;
    await repo.upsertState(trx, rowOf(e.accountId, state));
    await this.accounts.setHealthIn(trx, e.accountId, { score: state.score, band: state.band });
    const transitions: Transition[] = [];
    if (prev && before && before.band !== prev.band)
      transitions.push({ from: prev.band, to: before.band, score: before.score, at: before.scoredAt });
    const from = before?.band ?? null;
    if (state.band !== from)
      transitions.push({ from, to: state.band, score: state.score, at: state.scoredAt });
    for (const t of transitions) await this.announceBand(trx, e.accountId, t);
    if (before) await this.checkDrop(trx, cfg, e.accountId, before.score, state.score, e.occurredAt);
    await this.scheduleTick(trx, e.occurredAt);
  }

  private async announceBand(trx: Trx, accountId: string, t: Transition): Promise<void> {
    await this.bus.append(trx, {
      type: HEALTH_BAND_CHANGED,
      entityType: "account",
      entityId: accountId,
      accountId,
      data: { from: t.from, to: t.to, score: t.score, at: iso(t.at) },
    });
  }

  /** Edge: the score has just fallen `dropPoints` below its peak within `dropDays`. */
  private async checkDrop(
    trx: Trx,
    cfg: HealthConfig,
    accountId: string,
    before: number,
    after: number,
    at: Date,
  ) {
    const p = cfg.plays;
    if (after >= before) return;
    const peak = await repo.peakSince(trx, accountId, new Date(at.getTime() - p.dropDays * DAY_MS));
    const top = Math.max(peak ?? before, before);
    if (top - after >= p.dropPoints && top - before < p.dropPoints) {
      await this.bus.append(trx, {
        type: HEALTH_SCORE_DROPPED,
        entityType: "account",
        entityId: accountId,
        accountId,
        data: { from: top, to: after, points: top - after, days: p.dropDays },
      });
    }
  }

  private async scheduleTick(trx: Trx, at: Date): Promise<void> {
    const next = new Date(midnightBefore(at).getTime() + DAY_MS);
    await this.timers.schedule(trx, {
      kind: HEALTH_TICK_TIMER,
      dueAt: next,
      dedupeKey: `${HEALTH_TICK_TIMER}:${next.toISOString().slice(0, 10)}`,
    });
  }

  /** The daily timer: every scored account's band as its balance has faded by midnight. */
  private async onTick(_t: DueTimer, trx: Trx): Promise<void> {
    // Catching up after downtime goes straight to the last midnight: between entries a balance
    // only fades towards 0 (a monotone path), so hysteresis ends in the same band either way.
    const m = midnightBefore(this.clock.now());
    await this.tickAll(trx, m, true);
    await this.scheduleTick(trx, m);
  }

  /** Evaluates every state not yet evaluated at midnight `m`; with `announce`, band changes become events. */
  async tickAll(trx: Trx, m: Date, announce: boolean): Promise<number> {
    const cfg = await this.configIn(trx);
    let after: string | null = null;
    let changed = 0;
    for (;;) {
      const rows = await repo.statesToTick(trx, m, after, 2000);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.account_id;
      const updates: StateRow[] = [];
      const moves: { accountId: string; tier: string; t: Transition }[] = [];
      for (const r of rows) {
        const s = stateOf(r);
        const n = tick(cfg, s, m);
        updates.push(rowOf(r.account_id, n));
        if (n.band !== s.band)
          moves.push({
            accountId: r.account_id,
            tier: r.tier,
            t: { from: s.band, to: n.band, score: n.score, at: m },
          });
      }
      await repo.updateStates(trx, updates);
      await this.accounts.setHealthManyIn(
        trx,
        updates.map((u) => ({ id: u.account_id, score: u.score, band: u.band })),
      );
      // Key accounts first: their plays start (and their tasks fall due) before the others'.
      moves.sort((a, b) => (a.tier === b.tier ? 0 : a.tier === "key" ? -1 : 1));
      if (announce) for (const mv of moves) await this.announceBand(trx, mv.accountId, mv.t);
      changed += moves.length;
    }
    return changed;
  }

  // ---- replay ----

  /**
   * Rebuilds the ledger from every event in order: entries, states and case ordinals are
   * replaced, accounts' health rewritten, and every state evaluated at the last midnight before
   * `asOf`. Runs in one transaction and announces nothing (no plays start from history).
   */
  async rebuild(options: RebuildOptions = {}) {
    return this.db.kysely.transaction().execute((trx) => this.rebuildIn(trx, options));
  }

  /** `rebuild` inside the caller's transaction (the demo seed). */
  async rebuildIn(trx: Trx, options: RebuildOptions = {}) {
    const asOf = options.asOf ?? this.clock.now();
    const pageSize = options.pageSize ?? 10_000;
    {
      const cfg = await this.configIn(trx);
      await repo.clearLedger(trx);
      const total = await repo.countLedgerEvents(trx, LEDGER_EVENT_TYPES);
      const starts = new Map<string, Date>();
      for (const a of await repo.accountStarts(trx)) starts.set(a.id, startOf(a));
      const states = new Map<string, HealthState>();
      const ordinals = new Map<string, number>();
      const caseCount = new Map<string, number>();
      const newOrdinals: { case_id: string; account_id: string; ordinal: number }[] = [];
      let afterSeq = 0;
      let done = 0;
      let written = 0;
      for (;;) {
        const events = await repo.ledgerEvents(trx, LEDGER_EVENT_TYPES, afterSeq, pageSize);
        if (events.length === 0) break;
        afterSeq = events[events.length - 1]!.seq;
        const entries: EntryRow[] = [];
        for (const e of events) {
          done++;
          const accountId = e.accountId!;
          const start = starts.get(accountId);
          if (!start) continue;
          const draft = entryFor(cfg, e);
          if (!draft) continue;
          let ordinal: number | null = null;
          if (draft.caseId) {
            ordinal = ordinals.get(draft.caseId) ?? null;
            if (ordinal === null && draft.newCase) {
              ordinal = (caseCount.get(accountId) ?? 0) + 1;
              caseCount.set(accountId, ordinal);
              ordinals.set(draft.caseId, ordinal);
              newOrdinals.push({ case_id: draft.caseId, account_id: accountId, ordinal });
            }
          }
          const multiplier = momentsMultiplier(cfg, {
            at: e.occurredAt,
            accountStart: start,
            caseOrdinal: ordinal,
          });
          const weight = draft.baseWeight * multiplier;
          const { state, before } = applyEntry(cfg, states.get(accountId) ?? null, e.occurredAt, weight);
          states.set(accountId, state);
          entries.push({
            id: e.id,
            account_id: accountId,
            source_event_id: e.id,
            source_seq: e.seq,
            kind: draft.kind,
            case_id: draft.caseId,
            at: e.occurredAt,
            base_weight: draft.baseWeight,
            multiplier,
            weight,
            balance_after: state.balance,
            score_before: before?.score ?? null,
            score_after: state.score,
            detail: draft.detail,
          });
        }
        await repo.insertEntries(trx, entries);
        written += entries.length;
        options.onProgress?.(done, total);
      }
      await repo.insertOrdinals(trx, newOrdinals);
      const m = midnightBefore(asOf);
      const rows: StateRow[] = [];
      for (const [accountId, s] of states) rows.push(rowOf(accountId, tick(cfg, s, m)));
      await repo.insertStates(trx, rows);
      await this.accounts.setHealthManyIn(
        trx,
        rows.map((r) => ({ id: r.account_id, score: r.score, band: r.band })),
        { clearFirst: true },
      );
      await this.scheduleTick(trx, asOf);
      options.onProgress?.(total, total);
      return { events: done, entries: written, accounts: rows.length };
    }
  }

  // ---- reads ----

  private async assertAccount(actor: Actor, accountId: string): Promise<void> {
    if (actor.kind === "contact") throw notFound("Account");
    if (!(await this.accounts.accountIn(this.db.kysely, accountId))) throw notFound("Account");
  }

  async accountHealth(actor: Actor, accountId: string): Promise<AccountHealth> {
    await this.assertAccount(actor, accountId);
    const db = this.db.kysely;
    const cfg = await this.configIn(db);
    const now = this.clock.now();
    const account = (await this.accounts.accountIn(db, accountId))!;
    const state = await repo.state(db, accountId);
    const recent = await repo.entries(db, accountId, { limit: EXPLAIN_SCAN });
    const horizon = now.getTime() - EXPLAIN_HALF_LIVES * cfg.halfLifeDays * DAY_MS;
    const explanation = recent
      .filter((r) => r.at.getTime() >= horizon && r.weight !== 0)
      .map((r) => presentEntry(cfg, r, now))
      .sort((a, b) => Math.abs(b.fadedWeight) - Math.abs(a.fadedWeight) || b.at.localeCompare(a.at))
      .slice(0, 5);
    const trend = recent
      .slice(0, 60)
      .reverse()
      .map((r) => ({ at: iso(r.at), score: r.score_after }));
    if (state && trend.length > 0 && state.scored_at.getTime() > recent[0]!.at.getTime())
      trend.push({ at: iso(state.scored_at), score: state.score });
    const start = account.customerSince
      ? new Date(`${account.customerSince}T00:00:00Z`)
      : new Date(account.createdAt);
    return {
      accountId,
      score: state?.score ?? null,
      band: state?.band ?? null,
      balance: state ? Math.round(state.balance * 1000) / 1000 : 0,
      scoredAt: state ? iso(state.scored_at) : null,
      bandSince: state ? iso(state.band_since) : null,
      entries: state?.entries ?? 0,
      momentsUntil: new Date(start.getTime() + cfg.moments.onboardingDays * DAY_MS)
        .toISOString()
        .slice(0, 10),
      trend,
      explanation,
    };
  }

  async entries(
    actor: Actor,
    accountId: string,
    query: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<{ items: HealthEntry[]; nextCursor: string | null }> {
    await this.assertAccount(actor, accountId);
    const db = this.db.kysely;
    const cfg = await this.configIn(db);
    const limit = Math.min(200, Math.max(1, query.limit ?? 50));
    let before: { at: Date; seq: number } | undefined;
    if (query.cursor) {
      const [at, seq] = Buffer.from(query.cursor, "base64url").toString().split("|");
      const d = new Date(at ?? "");
      if (Number.isNaN(d.getTime()) || !Number.isFinite(Number(seq)))
        throw invalid("/cursor", "is not a valid cursor");
      before = { at: d, seq: Number(seq) };
    }
    const rows = await repo.entries(db, accountId, { limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => presentEntry(cfg, r, this.clock.now())),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(`${iso(last.at)}|${last.source_seq}`).toString("base64url")
          : null,
    };
  }

  /** The account's most recent debits (for a churn record: what led there). */
  async lastDebitsIn(db: Executor, accountId: string, limit = 5): Promise<HealthEntry[]> {
    const cfg = await this.configIn(db);
    const now = this.clock.now();
    return (await repo.lastDebits(db, accountId, limit)).map((r) => presentEntry(cfg, r, now));
  }

  // ---- signals recorded by hand ----

  async recordSignal(
    ctx: RequestCtx,
    accountId: string,
    input: { kind: SignalKind; notes?: string | null | undefined },
  ): Promise<{ eventId: string; kind: SignalKind; at: string }> {
    requireStaff(ctx.actor);
    if (!SIGNAL_KINDS.includes(input.kind))
      throw invalid("/kind", `must be one of ${SIGNAL_KINDS.join(", ")}`);
    await this.assertAccount(ctx.actor, accountId);
    const notes = input.notes?.trim() || null;
    return this.db.kysely.transaction().execute(async (trx) => {
      const e = await this.bus.append(trx, {
        type: HEALTH_SIGNAL_RECORDED,
        entityType: "account",
        entityId: accountId,
        accountId,
        actorId: actorId(ctx.actor),
        data: { kind: input.kind, notes },
      });
      return { eventId: e.id, kind: input.kind, at: iso(e.occurredAt) };
    });
  }

  /** Byte-stable dump of the ledger (replay determinism checks). */
  async snapshot(db: Executor): Promise<string> {
    const entries = await db.selectFrom("health_entries").selectAll().orderBy("source_seq").execute();
    const states = await db.selectFrom("account_health").selectAll().orderBy("account_id").execute();
    const ordinals = await db.selectFrom("health_case_ordinals").selectAll().orderBy("case_id").execute();
    return JSON.stringify({ entries, states, ordinals });
  }
}
