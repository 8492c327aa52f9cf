import { type Actor, type RequestCtx, requireStaff, SYSTEM } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { invalid, notFound } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import { assertVisible } from "../cases/case-access.ts";
import type { StatusCatalogue } from "../cases/case-status-machine.ts";
import { categoryOf } from "../cases/case-status-machine.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { Case, CaseHooks, CaseMessageFact, CasesService, SlaClock } from "../cases/cases.service.ts";
import { ALWAYS_OPEN, BusinessCalendar } from "./business-time.ts";
import {
  type ClockRow,
  type ComplianceGroup,
  type PolicyRow,
  slaRepository as repo,
} from "./sla.repository.ts";
import type { ClockStatus, Kpi } from "./sla.tables.ts";
import { businessCalendar, type SlaAction } from "./sla-config.service.ts";
import {
  type AppliesWhen,
  type CaseFacts,
  choosePolicy,
  clockPoints,
  type Priority,
  raised,
  usedBy,
} from "./sla-rules.ts";

export const SLA_WARNING_TIMER = "sla.warning";
export const SLA_BREACH_TIMER = "sla.breach";

/** How the SLA capability reaches people; the notifications module fills it in. */
export type SlaNotifier = {
  notify(
    trx: Trx,
    n: {
      userIds: string[];
      kind: string;
      title: string;
      body?: string;
      link?: string;
      caseId?: string;
      email?: boolean;
    },
  ): Promise<unknown>;
};

/** What the SLA capability needs to know of the case's entitlement. */
export type EntitlementFacts = {
  forCase(db: Executor, caseId: string): Promise<{ name: string; slaPolicyId: string | null } | null>;
};

const isOpenClock = (c: ClockRow) =>
  c.status === "running" || c.status === "warning" || c.status === "paused";
/** Not yet answered/resolved: open, or breached and still owed. */
const isOwed = (c: ClockRow) => c.met_at === null;

export type CaseSlaDetail = {
  policy: { id: string | null; name: string; reason: string; evaluatedAt: string } | null;
  clocks: (SlaClock & { id: string; supersededAt: string | null; supersededReason: string | null })[];
};

export type ComplianceRow = {
  kpi: Kpi | null;
  teamId: string | null;
  priority: Priority | null;
  total: number;
  met: number;
  breached: number;
  compliancePercent: number;
  medianBusinessMinutes: number | null;
  p90BusinessMinutes: number | null;
  medianWallMinutes: number | null;
};

/**
 * The clocks each case runs under. Hooks into the case's own transactions (creation, changes,
 * messages) so clocks start, pause, resume, stop and re-evaluate with the change that causes
 * it; warnings and breaches fire from database timers in the worker, exactly once.
 */
export class SlaService implements CaseHooks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly cases: CasesService,
    private readonly entitlements: EntitlementFacts,
    private readonly notifier: SlaNotifier,
  ) {}

  /** Called once by the composition root. */
  registerTimers(): void {
    this.timers.register(SLA_WARNING_TIMER, (t, trx) => this.onWarningTimer(t, trx));
    this.timers.register(SLA_BREACH_TIMER, (t, trx) => this.onBreachTimer(t, trx));
  }

  // ---- case hooks ----

  async afterCreate(trx: Trx, ctx: RequestCtx, row: CaseRow): Promise<CaseRow | undefined> {
    const choice = await this.choose(trx, row);
    if (!choice) return undefined;
    await this.recordChoice(trx, row.id, choice);
    const cal = await this.calendarOf(trx, choice.policy);
    for (const kpi of ["firstResponse", "resolution"] as const) {
      await this.startClock(trx, row, choice.policy, cal, kpi, row.received_at);
    }
    await this.refreshSummary(trx, row.id);
    void ctx;
    return undefined;
  }

  async afterChange(
    trx: Trx,
    ctx: RequestCtx,
    before: CaseRow,
    after: CaseRow,
    fields: string[],
    catalogue: StatusCatalogue,
  ): Promise<void> {
    if (after.merged_into_id && !before.merged_into_id) {
      // A merged duplicate is not a case anyone works: its clocks end without a verdict.
      await this.supersedeAll(trx, after.id, "merged into another case");
      await this.cases.setSlaSummary(trx, after.id, { dueAt: null, state: null });
      return;
    }
    const now = this.clock.now();
    if (fields.includes("status")) {
      const from = categoryOf(before.status, catalogue);
      const into = categoryOf(after.status, catalogue);
      if (from !== "resolved" && into === "resolved") await this.onResolved(trx, after, now);
      else if (from === "resolved" && into !== "resolved") await this.onReopened(trx, after, now);
      else await this.onStatusMove(trx, before, after, now);
    }
    const conditions = ["priority", "channel", "product", "accountId", "contactId", "receivedAt"];
    if (fields.some((f) => conditions.includes(f))) await this.reevaluate(trx, ctx, after, now);
    await this.refreshSummary(trx, after.id);
  }

  async afterMessage(trx: Trx, _ctx: RequestCtx, row: CaseRow, message: CaseMessageFact): Promise<void> {
    const clocks = await repo.lockClocks(trx, row.id);
    if (clocks.length === 0) return;
    const at = message.createdAt;
    if (message.kind === "reply" && message.authorId !== null) {
      // A person's answer; automatic acknowledgements have no author and never count.
      for (const c of clocks) {
        if ((c.kpi === "firstResponse" || c.kpi === "nextResponse") && isOwed(c))
          await this.meet(trx, row, c, at);
      }
    } else if (message.kind === "customer") {
      const sla = await repo.findCaseSla(trx, row.id);
      const policy = sla?.policy_id ? await repo.findPolicy(trx, sla.policy_id) : undefined;
      const firstAnswered = clocks.some((c) => c.kpi === "firstResponse" && c.met_at !== null);
      const waiting = clocks.some((c) => c.kpi === "nextResponse" && isOwed(c));
      if (policy?.next_response_minutes && firstAnswered && !waiting) {
        const cal = await this.calendarOf(trx, policy);
        await this.startClock(trx, row, policy, cal, "nextResponse", at);
      }
    }
    await this.refreshSummary(trx, row.id);
  }

  /** Fills `sla`, `slaPolicy` and `slaDueAt` of cases being answered. */
  async decorate(db: Executor, cases: Case[], _actor: Actor): Promise<void> {
    const ids = cases.map((c) => c.id);
    const [slas, clocks] = await Promise.all([repo.caseSlas(db, ids), repo.currentClocks(db, ids)]);
    if (slas.length === 0 && clocks.length === 0) return;
    const calendars = await this.calendarsFor(
      db,
      slas.map((s) => s.policy_id),
    );
    const now = this.clock.now();
    const slaOf = new Map(slas.map((s) => [s.case_id, s]));
    for (const c of cases) {
      const s = slaOf.get(c.id);
      if (s) c.slaPolicy = { id: s.policy_id ?? "", name: s.policy_name, reason: s.reason };
      const own = latestPerKpi(clocks.filter((k) => k.case_id === c.id));
      const cal = s?.policy_id ? calendars.get(s.policy_id) : undefined;
      c.sla = own.map((k) => presentClock(k, cal, now));
      const due = own.filter(countsDown).map((k) => k.due_at.getTime());
      c.slaDueAt = due.length > 0 ? new Date(Math.min(...due)).toISOString() : null;
    }
  }

  // ---- reads ----

  /** `GET /cases/{id}/sla`: the policy and why, and every clock including superseded ones. */
  async caseDetail(actor: Actor, caseId: string): Promise<CaseSlaDetail> {
    requireStaff(actor);
    const db = this.db.kysely;
    assertVisible(actor, await this.cases.findRow(db, caseId));
    const sla = await repo.findCaseSla(db, caseId);
    const clocks = await repo.allClocks(db, caseId);
    const cal = sla?.policy_id
      ? (await this.calendarsFor(db, [sla.policy_id])).get(sla.policy_id)
      : undefined;
    const now = this.clock.now();
    return {
      policy: sla
        ? {
            id: sla.policy_id,
            name: sla.policy_name,
            reason: sla.reason,
            evaluatedAt: sla.evaluated_at.toISOString(),
          }
        : null,
      clocks: clocks.map((k) => ({
        ...presentClock(k, cal, now),
        id: k.id,
        supersededAt: k.superseded_at?.toISOString() ?? null,
        supersededReason: k.superseded_reason,
      })),
    };
  }

  async compliance(
    actor: Actor,
    query: { from?: string | undefined; to?: string | undefined; groupBy?: string | undefined },
  ): Promise<{ from: string; to: string; groupBy: ComplianceGroup[]; rows: ComplianceRow[] }> {
    requireStaff(actor);
    const now = this.clock.now();
    const to = query.to ? parseInstant(query.to, "/to") : now;
    const from = query.from ? parseInstant(query.from, "/from") : new Date(to.getTime() - 30 * 86_400_000);
    if (from >= to) throw invalid("/from", "must be before to");
    const groups = (query.groupBy ?? "kpi")
      .split(",")
      .map((g) => g.trim())
      .filter((g) => g !== "");
    for (const g of groups) {
      if (!["kpi", "team", "priority"].includes(g))
        throw invalid("/groupBy", `${g} is not one of kpi, team, priority`);
    }
    const groupBy = [...new Set(groups)] as ComplianceGroup[];
    const rows = await repo.compliance(this.db.kysely, { from, to }, groupBy);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      rows: rows.map((r) => ({
        kpi: (r.kpi as Kpi | null) ?? null,
        teamId: r.team_id,
        priority: (r.priority as Priority | null) ?? null,
        total: r.total,
        met: r.met,
        breached: r.total - r.met,
        compliancePercent: r.total === 0 ? 100 : Math.round((1000 * r.met) / r.total) / 10,
        medianBusinessMinutes: round1(r.median),
        p90BusinessMinutes: round1(r.p90),
        medianWallMinutes: r.median_wall === null ? null : round1(Number(r.median_wall) / 60),
      })),
    };
  }

  // ---- timers ----

  private async onWarningTimer(t: DueTimer, trx: Trx): Promise<void> {
    const clock = await repo.lockClock(trx, String(t.payload.clockId));
    if (!clock || clock.superseded_at || clock.status !== "running" || !clock.warning_at) return;
    // A rescheduled point moved the timer; a stale firing (older point) does nothing.
    if (clock.warning_at.getTime() > this.clock.now().getTime()) return;
    const row = await this.cases.lockRow(trx, clock.case_id);
    if (!row) return;
    await repo.updateClock(trx, clock.id, { status: "warning", warned_at: clock.warning_at });
    await this.bus.append(trx, {
      type: "sla.warning",
      entityType: "case",
      entityId: row.id,
      accountId: row.account_id,
      data: { kpi: clock.kpi, clockId: clock.id, dueAt: clock.due_at.toISOString() },
    });
    const policy = clock.policy_id ? await repo.findPolicy(trx, clock.policy_id) : undefined;
    await this.runActions(trx, row, clock, "warning", (policy?.warning_actions as SlaAction[]) ?? []);
    await this.refreshSummary(trx, row.id);
  }

  private async onBreachTimer(t: DueTimer, trx: Trx): Promise<void> {
    const clock = await repo.lockClock(trx, String(t.payload.clockId));
    if (!clock || clock.superseded_at || (clock.status !== "running" && clock.status !== "warning")) return;
    if (clock.due_at.getTime() > this.clock.now().getTime()) return;
    const row = await this.cases.lockRow(trx, clock.case_id);
    if (!row) return;
    // Recorded at the due instant, not when the worker got to it (catching up after downtime).
    await repo.updateClock(trx, clock.id, { status: "breached", breached_at: clock.due_at });
    await this.bus.append(trx, {
      type: "sla.breached",
      entityType: "case",
      entityId: row.id,
      accountId: row.account_id,
      data: { kpi: clock.kpi, clockId: clock.id, dueAt: clock.due_at.toISOString() },
    });
    const policy = clock.policy_id ? await repo.findPolicy(trx, clock.policy_id) : undefined;
    await this.runActions(trx, row, clock, "breach", (policy?.breach_actions as SlaAction[]) ?? []);
    await this.refreshSummary(trx, row.id);
  }

  private async runActions(
    trx: Trx,
    row: CaseRow,
    clock: ClockRow,
    moment: "warning" | "breach",
    actions: SlaAction[],
  ): Promise<void> {
    const kpiName = KPI_NAMES[clock.kpi];
    const number = `CS-${String(row.number).padStart(6, "0")}`;
    const set: Partial<CaseRow> = {};
    let tags = row.tags;
    for (const a of actions) {
      if (a.type === "notify") {
        const to = a.to ?? ["owner", "teamLead"];
        const userIds = new Set<string>();
        if (to.includes("owner") && row.owner_id) userIds.add(row.owner_id);
        if (to.includes("teamLead")) {
          const lead = await repo.teamLead(trx, row.team_id);
          if (lead) userIds.add(lead);
        }
        if (to.includes("managers")) for (const id of await this.managers(trx)) userIds.add(id);
        if (userIds.size === 0) for (const id of await this.managers(trx)) userIds.add(id);
        const title =
          moment === "warning"
            ? `${number}: ${kpiName} due ${relative(clock.due_at, this.clock.now())}`
            : `${number}: ${kpiName} breached`;
        await this.notifier.notify(trx, {
          userIds: [...userIds],
          kind: moment === "warning" ? "sla.warning" : "sla.breached",
          title,
          body: `${row.subject} — ${kpiName} was due ${clock.due_at.toISOString()}`,
          link: `/cases/${row.id}`,
          caseId: row.id,
          email: true,
        });
      } else if (a.type === "raisePriority") {
        set.priority = raised((set.priority ?? row.priority) as Priority);
      } else if (a.type === "reassign") {
        if (a.teamId) set.team_id = a.teamId;
        if (a.toTeamLead) {
          const lead = await repo.teamLead(trx, set.team_id ?? row.team_id);
          if (lead) set.owner_id = lead;
        }
      } else if (a.type === "addTag") {
        const tag = a.tag.trim().toLowerCase();
        if (!tags.includes(tag)) tags = [...tags, tag];
      }
    }
    if (tags !== row.tags) set.tags = tags;
    if (Object.keys(set).length > 0) {
      const catalogue = await this.cases.catalogue(trx);
      await this.cases.commit(trx, SYSTEM, row, set, catalogue, {
        extra: [{ field: "slaEscalation", from: null, to: { kpi: clock.kpi, moment } }],
      });
    }
  }

  private async managers(trx: Trx): Promise<string[]> {
    const rows = await trx
      .selectFrom("users")
      .select("id")
      .where("role", "in", ["manager", "admin"])
      .where("active", "=", true)
      .orderBy("id")
      .limit(20)
      .execute();
    return rows.map((r) => r.id);
  }

  // ---- clock transitions ----

  private async startClock(
    trx: Trx,
    row: CaseRow,
    policy: PolicyRow,
    cal: BusinessCalendar,
    kpi: Kpi,
    startedAt: Date,
    carried: { used: number; startedAt?: Date } = { used: 0 },
  ): Promise<ClockRow> {
    const target = targetOf(policy, kpi);
    const catalogue = await this.cases.catalogue(trx);
    const now = this.clock.now();
    const pausedNow =
      policy.pause_on.includes(row.status) && categoryOf(row.status, catalogue) !== "resolved";
    const runningSince = startedAt;
    const points = clockPoints(
      cal,
      { targetMinutes: target, usedMinutes: carried.used, runningSince },
      warningRule(policy),
    );
    let clock: ClockRow = {
      id: newId(),
      case_id: row.id,
      policy_id: policy.id,
      kpi,
      target_minutes: target,
      started_at: carried.startedAt ?? startedAt,
      used_minutes: carried.used,
      running_since: runningSince,
      paused_at: null,
      due_at: points.dueAt,
      warning_at: points.warningAt,
      status: "running",
      warned_at: null,
      met_at: null,
      breached_at: null,
      elapsed_wall_seconds: null,
      elapsed_business_minutes: null,
      superseded_at: null,
      superseded_reason: null,
      created_at: now,
    };
    clock = await repo.insertClock(trx, clock);
    if (pausedNow) return this.pause(trx, clock, cal, now);
    await this.scheduleTimers(trx, clock);
    return clock;
  }

  private async meet(trx: Trx, row: CaseRow, c: ClockRow, at: Date): Promise<void> {
    const cal = await this.calendarForClock(trx, c);
    const used = c.running_since
      ? usedBy(cal, { usedMinutes: c.used_minutes, runningSince: c.running_since }, at)
      : c.used_minutes;
    const late = at.getTime() > c.due_at.getTime();
    await repo.updateClock(trx, c.id, {
      status: late || c.status === "breached" ? "breached" : "met",
      breached_at: c.breached_at ?? (late ? c.due_at : null),
      met_at: at,
      running_since: null,
      paused_at: null,
      used_minutes: used,
      elapsed_wall_seconds: (at.getTime() - c.started_at.getTime()) / 1000,
      elapsed_business_minutes: used,
    });
    await this.cancelTimers(trx, c.id);
    await this.bus.append(trx, {
      type: late ? "sla.met_late" : "sla.met",
      entityType: "case",
      entityId: row.id,
      accountId: row.account_id,
      data: { kpi: c.kpi, clockId: c.id, dueAt: c.due_at.toISOString(), businessMinutes: round1(used) },
    });
  }

  private async pause(trx: Trx, c: ClockRow, cal: BusinessCalendar, at: Date): Promise<ClockRow> {
    if (!c.running_since) return c;
    const used = usedBy(cal, { usedMinutes: c.used_minutes, runningSince: c.running_since }, at);
    await this.cancelTimers(trx, c.id);
    return repo.updateClock(trx, c.id, {
      status: "paused",
      running_since: null,
      paused_at: at,
      used_minutes: used,
    });
  }

  private async resume(
    trx: Trx,
    c: ClockRow,
    policy: PolicyRow,
    cal: BusinessCalendar,
    at: Date,
  ): Promise<ClockRow> {
    const points = clockPoints(
      cal,
      { targetMinutes: Number(c.target_minutes), usedMinutes: Number(c.used_minutes), runningSince: at },
      warningRule(policy),
    );
    const resumed = await repo.updateClock(trx, c.id, {
      status: c.warned_at ? "warning" : "running",
      running_since: at,
      paused_at: null,
      due_at: points.dueAt,
      warning_at: points.warningAt,
    });
    await this.scheduleTimers(trx, resumed);
    return resumed;
  }

  private async onResolved(trx: Trx, row: CaseRow, now: Date): Promise<void> {
    // Solving the case fulfils every clock still owed, as the customer has their answer.
    for (const c of await repo.lockClocks(trx, row.id)) if (isOwed(c)) await this.meet(trx, row, c, now);
  }

  private async onReopened(trx: Trx, row: CaseRow, now: Date): Promise<void> {
    // A reopen never rewrites a first response already met; the resolution clock resumes with
    // the business time it had used, as a new clock (the finished one stays in the history).
    const clocks = await repo.lockClocks(trx, row.id);
    const resolution = clocks.find((c) => c.kpi === "resolution");
    const sla = await repo.findCaseSla(trx, row.id);
    const policy = sla?.policy_id ? await repo.findPolicy(trx, sla.policy_id) : undefined;
    if (!resolution || !policy) return;
    await repo.updateClock(trx, resolution.id, { superseded_at: now, superseded_reason: "case reopened" });
    const cal = await this.calendarOf(trx, policy);
    await this.startClock(trx, row, policy, cal, "resolution", now, {
      used: Number(resolution.used_minutes),
      startedAt: resolution.started_at,
    });
  }

  private async onStatusMove(trx: Trx, before: CaseRow, after: CaseRow, now: Date): Promise<void> {
    const sla = await repo.findCaseSla(trx, after.id);
    const policy = sla?.policy_id ? await repo.findPolicy(trx, sla.policy_id) : undefined;
    if (!policy) return;
    const wasPaused = policy.pause_on.includes(before.status);
    const isPaused = policy.pause_on.includes(after.status);
    if (wasPaused === isPaused) return;
    const cal = await this.calendarOf(trx, policy);
    for (const c of await repo.lockClocks(trx, after.id)) {
      if (!isOpenClock(c)) continue;
      if (isPaused) await this.pause(trx, c, cal, now);
      else if (c.status === "paused") await this.resume(trx, c, policy, cal, now);
    }
  }

  /**
   * Conditions changed: choose again. Open clocks of a different policy (or target) are
   * superseded by new ones keeping their start and the business time used, so due times count
   * from the original start; finished clocks keep their verdict.
   */
  private async reevaluate(trx: Trx, ctx: RequestCtx, row: CaseRow, now: Date): Promise<void> {
    const current = await repo.findCaseSla(trx, row.id);
    const choice = await this.choose(trx, row);
    const clocks = await repo.lockClocks(trx, row.id);
    if (!choice) {
      if (!current) return;
      await repo.deleteCaseSla(trx, row.id);
      for (const c of clocks) {
        if (!isOpenClock(c)) continue;
        await repo.updateClock(trx, c.id, {
          superseded_at: now,
          superseded_reason: "no policy applies any more",
        });
        await this.cancelTimers(trx, c.id);
      }
      await this.cases.recordHistory(trx, ctx, row.id, [
        { field: "slaPolicy", from: current.policy_name, to: null },
      ]);
      return;
    }
    const { policy } = choice;
    if (
      current?.policy_id === policy.id &&
      clocks.every((c) => !isOpenClock(c) || Number(c.target_minutes) === targetOf(policy, c.kpi))
    ) {
      return;
    }
    await this.recordChoice(trx, row.id, choice);
    if (current?.policy_name !== policy.name || current?.policy_id !== policy.id) {
      await this.cases.recordHistory(trx, ctx, row.id, [
        {
          field: "slaPolicy",
          from: current?.policy_name ?? null,
          to: { name: policy.name, reason: choice.reason },
        },
      ]);
    }
    const cal = await this.calendarOf(trx, policy);
    if (clocks.length === 0) {
      for (const kpi of ["firstResponse", "resolution"] as const) {
        await this.startClock(trx, row, policy, cal, kpi, row.received_at);
      }
      return;
    }
    for (const c of clocks) {
      if (!isOpenClock(c)) continue;
      if (c.kpi === "nextResponse" && !policy.next_response_minutes) {
        await repo.updateClock(trx, c.id, {
          superseded_at: now,
          superseded_reason: `policy ${policy.name} has no next-response target`,
        });
        await this.cancelTimers(trx, c.id);
        continue;
      }
      await repo.updateClock(trx, c.id, {
        superseded_at: now,
        superseded_reason: `re-evaluated: ${policy.name}`,
      });
      await this.cancelTimers(trx, c.id);
      // Never paused and started at receipt: count again from the (possibly corrected) receipt.
      const fresh = Number(c.used_minutes) === 0 && c.paused_at === null && c.kpi !== "nextResponse";
      const start = fresh ? row.received_at : c.running_since;
      const used = fresh || !c.running_since ? Number(c.used_minutes) : Number(c.used_minutes);
      const next = await this.startClock(trx, row, policy, cal, c.kpi, start ?? now, {
        used,
        startedAt: fresh ? row.received_at : c.started_at,
      });
      if (c.status === "paused" && next.status !== "paused") await this.pause(trx, next, cal, now);
      if (c.warned_at)
        await repo.updateClock(trx, next.id, {
          warned_at: c.warned_at,
          status: next.status === "running" ? "warning" : next.status,
        });
    }
  }

  private async supersedeAll(trx: Trx, caseId: string, reason: string): Promise<void> {
    const now = this.clock.now();
    for (const c of await repo.lockClocks(trx, caseId)) {
      if (!isOpenClock(c)) continue;
      await repo.updateClock(trx, c.id, { superseded_at: now, superseded_reason: reason });
      await this.cancelTimers(trx, c.id);
    }
  }

  // ---- helpers ----

  private async choose(trx: Executor, row: CaseRow) {
    const policies = await repo.listPolicies(trx, true);
    if (policies.length === 0) return null;
    const facts: CaseFacts = {
      priority: row.priority,
      channel: row.channel,
      product: row.product,
      accountTier: await repo.accountTier(trx, row.account_id),
      entitlement: await this.entitlements.forCase(trx, row.id),
    };
    return choosePolicy(
      policies.map((p) => ({ ...p, appliesWhen: p.applies_when as AppliesWhen })),
      facts,
    );
  }

  private async recordChoice(trx: Trx, caseId: string, choice: { policy: PolicyRow; reason: string }) {
    await repo.upsertCaseSla(trx, {
      case_id: caseId,
      policy_id: choice.policy.id,
      policy_name: choice.policy.name,
      reason: choice.reason,
      evaluated_at: this.clock.now(),
    });
  }

  private async calendarOf(db: Executor, policy: PolicyRow): Promise<BusinessCalendar> {
    const row = await repo.findCalendar(db, policy.calendar_id);
    if (!row) throw notFound("Calendar");
    return businessCalendar(row);
  }

  private async calendarForClock(db: Executor, c: ClockRow): Promise<BusinessCalendar> {
    const policy = c.policy_id ? await repo.findPolicy(db, c.policy_id) : undefined;
    if (policy) return this.calendarOf(db, policy);
    // The policy was deleted under a running clock: measure in wall-clock time.
    return ALWAYS;
  }

  /** Calendars by policy id. */
  private async calendarsFor(
    db: Executor,
    policyIds: (string | null)[],
  ): Promise<Map<string, BusinessCalendar>> {
    const ids = [...new Set(policyIds.filter((p): p is string => p !== null))];
    const out = new Map<string, BusinessCalendar>();
    if (ids.length === 0) return out;
    const policies = await db
      .selectFrom("sla_policies")
      .select(["id", "calendar_id"])
      .where("id", "in", ids)
      .execute();
    const calendars = await repo.findCalendars(db, [...new Set(policies.map((p) => p.calendar_id))]);
    const byId = new Map(calendars.map((c) => [c.id, businessCalendar(c)]));
    for (const p of policies) {
      const cal = byId.get(p.calendar_id);
      if (cal) out.set(p.id, cal);
    }
    return out;
  }

  private async scheduleTimers(trx: Trx, c: ClockRow): Promise<void> {
    if (c.warning_at && c.warning_at < c.due_at && !c.warned_at) {
      await this.timers.schedule(trx, {
        kind: SLA_WARNING_TIMER,
        dueAt: c.warning_at,
        payload: { clockId: c.id },
        dedupeKey: `sla:${c.id}:warning`,
      });
    }
    await this.timers.schedule(trx, {
      kind: SLA_BREACH_TIMER,
      dueAt: c.due_at,
      payload: { clockId: c.id },
      dedupeKey: `sla:${c.id}:breach`,
    });
  }

  private async cancelTimers(trx: Trx, clockId: string): Promise<void> {
    await this.timers.cancel(trx, `sla:${clockId}:warning`);
    await this.timers.cancel(trx, `sla:${clockId}:breach`);
  }

  /** Keeps the case's soonest due time and overall state for queue sorting and filtering. */
  private async refreshSummary(trx: Trx, caseId: string): Promise<void> {
    const clocks = latestPerKpi(await repo.currentClocks(trx, [caseId]));
    const open = clocks.filter(countsDown);
    const dueAt = open.length > 0 ? new Date(Math.min(...open.map((c) => c.due_at.getTime()))) : null;
    const rank: ClockStatus[] = ["breached", "warning", "running", "paused", "met"];
    const owed = clocks.filter((c) => c.met_at === null);
    const state =
      clocks.length === 0
        ? null
        : (rank.find((s) => (owed.length > 0 ? owed : clocks).some((c) => c.status === s)) ?? null);
    await this.cases.setSlaSummary(trx, caseId, { dueAt, state });
  }
}

/**
 * The clocks a queue counts down to: still owed and not paused. A breached clock still owed
 * counts (its due time is in the past), so overdue cases sort first, not last.
 */
export const countsDown = (c: ClockRow) => c.met_at === null && c.status !== "paused";

/** Wall-clock time, for a clock whose policy was deleted while it ran. */
const ALWAYS = new BusinessCalendar({ timeZone: "UTC", hours: ALWAYS_OPEN, holidays: [] });

const KPI_NAMES: Record<Kpi, string> = {
  firstResponse: "first response",
  nextResponse: "next response",
  resolution: "resolution",
};

function targetOf(policy: PolicyRow, kpi: Kpi): number {
  if (kpi === "firstResponse") return policy.first_response_minutes;
  if (kpi === "resolution") return policy.resolution_minutes;
  return policy.next_response_minutes ?? policy.first_response_minutes;
}

function warningRule(policy: PolicyRow) {
  return { percent: policy.warning_percent, minutesBefore: policy.warning_minutes_before };
}

/** First response, the latest next response, resolution. */
function latestPerKpi(clocks: ClockRow[]): ClockRow[] {
  const out = new Map<Kpi, ClockRow>();
  for (const c of clocks) out.set(c.kpi, c); // ordered oldest first: the last one wins
  const order: Kpi[] = ["firstResponse", "nextResponse", "resolution"];
  return order.flatMap((k) => {
    const c = out.get(k);
    return c ? [c] : [];
  });
}

function presentClock(k: ClockRow, cal: BusinessCalendar | undefined, now: Date): SlaClock {
  let remaining: number | null = null;
  if (k.met_at === null) {
    const used =
      k.running_since && cal
        ? usedBy(cal, { usedMinutes: Number(k.used_minutes), runningSince: k.running_since }, now)
        : Number(k.used_minutes);
    remaining = round1(Number(k.target_minutes) - used);
  }
  return {
    kpi: k.kpi,
    dueAt: k.due_at.toISOString(),
    warningAt: k.warning_at?.toISOString() ?? null,
    status: k.status,
    targetMinutes: Number(k.target_minutes),
    startedAt: k.started_at.toISOString(),
    metAt: k.met_at?.toISOString() ?? null,
    breachedAt: k.breached_at?.toISOString() ?? null,
    pausedAt: k.paused_at?.toISOString() ?? null,
    remainingMinutes: remaining,
  };
}

function round1<T extends number | null>(n: T): T {
  return (n === null ? null : Math.round(Number(n) * 10) / 10) as T;
}

function parseInstant(v: string, path: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid(path, "must be an ISO 8601 date-time");
  return d;
}

function relative(due: Date, now: Date): string {
  const mins = Math.round((due.getTime() - now.getTime()) / 60_000);
  if (mins <= 0) return "now";
  if (mins < 120) return `in ${mins} min`;
  return `in ${Math.round(mins / 60)} h`;
}
