import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
  SYSTEM,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus, StoredEvent } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { requireCaseWorker } from "../cases/case-access.ts";
import { assertText } from "../cases/case-input.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import { categoryOf, type StatusCatalogue } from "../cases/case-status-machine.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import {
  type Case,
  type CaseDraft,
  type CaseHooks,
  type CasesService,
  normaliseTags,
} from "../cases/cases.service.ts";
import type { BusinessCalendar } from "../sla/business-time.ts";
import { slaRepository } from "../sla/sla.repository.ts";
import type { SlaNotifier } from "../sla/sla.service.ts";
import { businessCalendar } from "../sla/sla-config.service.ts";
import type { UsersService } from "../users/users.service.ts";
import type { Presence } from "../users/users.tables.ts";
import {
  type AgentLoad,
  type Choice,
  chooseAgent,
  PRIORITY_WEIGHT,
  unavailableBecause,
} from "./assignment.ts";
import {
  type AgentLoadRow,
  type DecisionRow,
  type RuleRow,
  routingRepository as repo,
} from "./routing.repository.ts";
import type { DecisionTrigger, Strategy } from "./routing.tables.ts";
import {
  type CaseFacts,
  type Directory,
  type Evaluation,
  evaluateRules,
  type Given,
  NOTHING_GIVEN,
  type Placement,
  type Priority,
  type RuleSpec,
  type RuleThen,
  type RuleWhen,
} from "./routing-rules.ts";

export const ROUTING_DRAIN_TIMER = "routing.drain";
export const ROUTING_HANDLER = "routing.assign";
export const STRATEGIES: readonly Strategy[] = ["manual", "round_robin", "least_loaded", "skills"];

/** How many waiting cases one drain of a queue hands out at most (the next event continues). */
const DRAIN_BATCH = 200;

export type RoutingRule = {
  id: string;
  name: string;
  order: number;
  active: boolean;
  continue: boolean;
  when: RuleWhen;
  then: RuleThen;
  createdAt: string;
  updatedAt: string;
};

export type RuleInput = {
  name?: string | undefined;
  order?: number | undefined;
  active?: boolean | undefined;
  continue?: boolean | undefined;
  when?: RuleWhen | undefined;
  then?: RuleThen | undefined;
};

/** A case as it would arrive, for "which rule would match?". */
export type SampleCase = {
  subject: string;
  description?: string | undefined;
  priority?: Priority | undefined;
  channel?: string | undefined;
  product?: string | undefined;
  category?: string | undefined;
  tags?: string[] | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  receivedAt?: string | undefined;
  /** Override what the account/contact would say. */
  language?: string | undefined;
  accountTier?: "key" | "standard" | undefined;
  healthBand?: "healthy" | "watch" | "at_risk" | undefined;
  accountOwnerId?: string | undefined;
};

export type RuleTestResult = {
  matched: { ruleId: string; name: string; position: number }[];
  trace: {
    ruleId: string;
    name: string;
    position: number;
    matched: boolean;
    reasons: string[];
    failed: string | null;
    actions: string[];
  }[];
  result: Placement;
  explanation: string;
  assignment: { strategy: Strategy; userId: string | null; explanation: string } | null;
};

export type QueueAssignment = {
  queueId: string;
  strategy: Strategy;
  lastUserId: string | null;
  updatedAt: string | null;
};

export type QueueSummary = {
  queueId: string;
  name: string;
  teamId: string | null;
  strategy: Strategy;
  waiting: number;
  oldestWaitingAt: string | null;
};

export type AgentLoadView = {
  id: string;
  name: string;
  role: string;
  status: Presence;
  capacity: number;
  skills: string[];
  teamIds: string[];
  openCases: number;
  load: number;
  pausedCases: number;
  calendarId: string | null;
  inHours: boolean;
  /** Would get a new case now. */
  acceptsCases: boolean;
  /** Why not: away, offline, outside hours, at capacity. */
  reason: string | null;
};

export type CaseRoutingDetail = {
  ruleId: string | null;
  explanation: string | null;
  decisions: {
    id: string;
    at: string;
    trigger: DecisionTrigger;
    ruleId: string | null;
    ruleIds: string[];
    explanation: string;
    actorId: string | null;
  }[];
};

type Pending = {
  /** No active rules and no queue strategy involved: nothing was decided, nothing is stored. */
  nothing: boolean;
  evaluation: Evaluation;
  assignment: Choice | null;
  ruleIds: string[];
  ownerByRouting: boolean;
};

const requireManager = (actor: Actor, what: string) => requireRole(actor, ["admin", "manager"], what);
const routingCtx = (ctx: RequestCtx): RequestCtx => ({ actor: SYSTEM.actor, requestId: ctx.requestId });
const joinExplanation = (rules: string, assignment: string | null) =>
  assignment ? `${rules}; ${assignment}` : rules;

export function presentRule(r: RuleRow): RoutingRule {
  return {
    id: r.id,
    name: r.name,
    order: r.position,
    active: r.active,
    continue: r.continue_after,
    when: r.conditions as RuleWhen,
    then: r.actions as RuleThen,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const specOf = (r: RuleRow): RuleSpec => ({
  id: r.id,
  name: r.name,
  when: r.conditions as RuleWhen,
  then: r.actions as RuleThen,
  continue: r.continue_after,
});

/**
 * Routing and assignment. Rules place a new case before it is written (team, queue, priority,
 * owner, tags) and on demand (re-route); inside a queue its strategy picks the agent, under
 * advisory locks so two cases never take one agent's last slot; cases that found nobody wait
 * and are handed out as capacity frees (event handler `routing.assign`, timer `routing.drain`).
 */
export class RoutingService implements CaseHooks {
  /** Decisions made in beforeInsert, stored once the case row exists (afterCreate). */
  private readonly pending = new WeakMap<Trx, Map<string, Pending>>();
  /** Cases whose change this service is making itself: afterChange leaves them alone. */
  private readonly own = new WeakMap<Trx, Set<string>>();
  /** Cases being handed back: the assignment that follows says so. */
  private readonly handingBack = new WeakMap<Trx, Map<string, string>>();
  /** The active rules as of a version of `routing_rules_version` (reloaded when it moves). */
  private rulesCache: { version: number; specs: RuleSpec[] } | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly users: UsersService,
    private readonly notifier: SlaNotifier,
  ) {}

  /** Called once by the composition root. */
  register(): void {
    this.timers.register(ROUTING_DRAIN_TIMER, (t, trx) => this.onDrainTimer(t, trx));
    this.bus.register({
      name: ROUTING_HANDLER,
      types: [
        "case.status_changed",
        "case.assigned",
        "user.status_changed",
        "user.updated",
        "team.updated",
        "queue.updated",
        "routing.schedule_changed",
      ],
      handle: (event, trx) => this.onEvent(event, trx),
    });
  }

  // ---- rules: CRUD ----

  async listRules(actor: Actor): Promise<{ items: RoutingRule[]; nextCursor: null }> {
    requireStaff(actor);
    return { items: (await repo.listRules(this.db.kysely)).map(presentRule), nextCursor: null };
  }

  async getRule(actor: Actor, id: string): Promise<RoutingRule> {
    requireStaff(actor);
    const row = await repo.findRule(this.db.kysely, id);
    if (!row) throw notFound("Routing rule");
    return presentRule(row);
  }

  async createRule(ctx: RequestCtx, input: RuleInput): Promise<RoutingRule> {
    requireManager(ctx.actor, "set up routing rules");
    return this.cases.tx(async (trx) => {
      const now = this.clock.now();
      const checked = await this.checkedRule(trx, undefined, input);
      const row = await repo.insertRule(trx, { ...checked, id: newId(), created_at: now, updated_at: now });
      await repo.bumpRulesVersion(trx);
      await this.audit.record(trx, ctx, {
        action: "routing_rule.created",
        targetType: "routing_rule",
        targetId: row.id,
        details: { name: row.name },
      });
      await this.bus.append(trx, {
        type: "routing_rule.created",
        entityType: "routing_rule",
        entityId: row.id,
        actorId: actorId(ctx.actor),
      });
      return presentRule(row);
    });
  }

  async updateRule(ctx: RequestCtx, id: string, input: RuleInput): Promise<RoutingRule> {
    requireManager(ctx.actor, "change routing rules");
    return this.cases.tx(async (trx) => {
      const before = await repo.findRule(trx, id);
      if (!before) throw notFound("Routing rule");
      const checked = await this.checkedRule(trx, before, input);
      const row = await repo.updateRule(trx, id, { ...checked, updated_at: this.clock.now() });
      if (!row) throw notFound("Routing rule");
      await repo.bumpRulesVersion(trx);
      await this.audit.record(trx, ctx, {
        action: "routing_rule.updated",
        targetType: "routing_rule",
        targetId: id,
        details: { name: row.name, fields: Object.keys(input) },
      });
      await this.bus.append(trx, {
        type: "routing_rule.updated",
        entityType: "routing_rule",
        entityId: id,
        actorId: actorId(ctx.actor),
      });
      return presentRule(row);
    });
  }

  /** Decisions keep their explanation; their rule link is cleared. */
  async deleteRule(ctx: RequestCtx, id: string): Promise<void> {
    requireManager(ctx.actor, "delete routing rules");
    await this.cases.tx(async (trx) => {
      const row = await repo.findRule(trx, id);
      if (!row) throw notFound("Routing rule");
      await repo.deleteRule(trx, id);
      await repo.bumpRulesVersion(trx);
      await this.audit.record(trx, ctx, {
        action: "routing_rule.deleted",
        targetType: "routing_rule",
        targetId: id,
        details: { name: row.name },
      });
      await this.bus.append(trx, {
        type: "routing_rule.deleted",
        entityType: "routing_rule",
        entityId: id,
        actorId: actorId(ctx.actor),
      });
    });
  }

  /** "Which rule would match this sample case?" against the stored rules, or a draft list. */
  async testRules(
    actor: Actor,
    input: { case: SampleCase; rules?: (RuleInput & { id?: string | undefined })[] | undefined },
  ): Promise<RuleTestResult> {
    requireStaff(actor);
    const db = this.db.kysely;
    const sample = input.case;
    assertText(sample.subject, "/case/subject");
    let specs: RuleSpec[];
    if (input.rules) {
      specs = [];
      for (const [i, r] of input.rules.entries()) {
        const checked = await this.checkedRule(db, undefined, r, `/rules/${i}`);
        if (!checked.active) continue;
        specs.push({
          id: r.id ?? `draft-${i + 1}`,
          name: checked.name,
          when: checked.conditions as RuleWhen,
          then: checked.actions as RuleThen,
          continue: checked.continue_after,
        });
      }
      // Draft rules are evaluated in their given order (stable for equal orders).
      const order = new Map(
        input.rules.map((r, i) => [r.id ?? `draft-${i + 1}`, [r.order ?? 100, i] as const]),
      );
      specs.sort((a, b) => {
        const [oa, ia] = order.get(a.id) ?? [0, 0];
        const [ob, ib] = order.get(b.id) ?? [0, 0];
        return oa - ob || ia - ib;
      });
    } else {
      specs = await this.activeRules(db, (await repo.decisionFacts(db, null, null)).rules_version);
    }
    if (sample.accountId && !(await repo.exists(db, "accounts", sample.accountId))) {
      throw invalid("/case/accountId", "no such account");
    }
    if (sample.contactId && !(await repo.exists(db, "contacts", sample.contactId))) {
      throw invalid("/case/contactId", "no such contact");
    }
    const known = await repo.caseFacts(db, sample.accountId ?? null, sample.contactId ?? null);
    let receivedAt = this.clock.now();
    if (sample.receivedAt !== undefined) {
      receivedAt = new Date(sample.receivedAt);
      if (Number.isNaN(receivedAt.getTime())) throw invalid("/case/receivedAt", "is not a date-time");
    }
    const tags = normaliseTags(sample.tags ?? [], "/case/tags");
    const facts: CaseFacts = {
      subject: sample.subject,
      description: sample.description ?? null,
      priority: sample.priority ?? "normal",
      channel: sample.channel ?? "api",
      product: sample.product?.trim() || null,
      category: sample.category?.trim() || null,
      tags,
      language: sample.language ?? known.language,
      accountTier: sample.accountTier ?? known.tier,
      healthBand: sample.healthBand ?? known.health_band,
      accountOwnerId: sample.accountOwnerId ?? known.account_owner_id,
      receivedAt,
    };
    const start: Placement = { teamId: null, queueId: null, priority: facts.priority, ownerId: null, tags };
    const dir = await this.directory(db, specs, facts);
    const evaluation = evaluateRules(specs, facts, start, NOTHING_GIVEN, dir);
    let assignment: RuleTestResult["assignment"] = null;
    const p = evaluation.placement;
    if (p.queueId && !p.ownerId) {
      const queue = await repo.routedQueue(db, p.queueId);
      const strategy = queue?.strategy ?? "manual";
      const agents = queue?.team_id ? await this.loads(db, { teamId: queue.team_id }) : [];
      const choice = chooseAgent(
        strategy,
        agents,
        { product: facts.product, language: facts.language },
        { lastUserId: queue?.last_user_id },
      );
      assignment = { strategy, userId: choice.agent?.id ?? null, explanation: choice.explanation };
    }
    return {
      matched: evaluation.matched.map((s) => ({
        ruleId: s.rule.id,
        name: s.rule.name,
        position: s.position,
      })),
      trace: evaluation.trace.map((s) => ({
        ruleId: s.rule.id,
        name: s.rule.name,
        position: s.position,
        matched: s.check.matched,
        reasons: s.check.matched ? s.check.reasons : [],
        failed: s.check.matched ? null : s.check.failed,
        actions: s.did,
      })),
      result: p,
      explanation: joinExplanation(evaluation.explanation, assignment?.explanation ?? null),
      assignment,
    };
  }

  // ---- case hooks ----

  async beforeInsert(trx: Trx, _ctx: RequestCtx, draft: CaseDraft, given: Given): Promise<CaseDraft> {
    const { facts, rulesVersion } = await this.factsOf(trx, draft);
    const rules = await this.activeRules(trx, rulesVersion);
    const start: Placement = {
      teamId: draft.team_id,
      queueId: draft.queue_id,
      priority: draft.priority,
      ownerId: draft.owner_id,
      tags: draft.tags,
    };
    const dir = await this.directory(trx, rules, facts, start);
    const evaluation = evaluateRules(rules, facts, start, given, dir);
    const p = evaluation.placement;
    const next: CaseDraft = {
      ...draft,
      team_id: p.teamId,
      queue_id: p.queueId,
      priority: p.priority,
      owner_id: p.ownerId,
      tags: p.tags,
    };
    let assignment: Choice | null = null;
    if (!next.owner_id && next.queue_id) {
      // `new` is a built-in open status; only follow-ups arrive in another one.
      const open =
        next.status === "new" || categoryOf(next.status, await this.cases.catalogue(trx)) === "open";
      if (open) {
        assignment = await this.pickFor(
          trx,
          next.queue_id,
          { product: next.product, language: facts.language },
          undefined,
          dir.routed(next.queue_id),
        );
        if (assignment?.agent) next.owner_id = assignment.agent.id;
      }
    }
    this.pendingOf(trx).set(draft.id, {
      evaluation,
      assignment,
      ruleIds: evaluation.matched.map((s) => s.rule.id),
      ownerByRouting: next.owner_id !== null && next.owner_id !== draft.owner_id,
      nothing: rules.length === 0 && assignment === null,
    });
    return next;
  }

  async afterCreate(trx: Trx, ctx: RequestCtx, row: CaseRow): Promise<CaseRow | undefined> {
    const pending = this.pendingOf(trx).get(row.id);
    if (!pending) return undefined;
    this.pendingOf(trx).delete(row.id);
    // Routing not set up (no rules, no assigning queue): the case's `routing` stays null.
    if (pending.nothing) return undefined;
    const { evaluation, assignment, ruleIds, ownerByRouting } = pending;
    const ruleId = ruleIds.at(-1) ?? null;
    const assignmentText = assignment?.explanation ?? null;
    await repo.insertDecision(trx, {
      id: newId(),
      case_id: row.id,
      at: this.clock.now(),
      trigger: "created",
      rule_id: ruleId,
      rule_ids: ruleIds,
      rules_explanation: evaluation.explanation,
      assignment_explanation: assignmentText,
      actor_id: actorId(ctx.actor),
    });
    if (ruleIds.length > 0 || assignment?.agent) {
      await this.cases.recordHistory(trx, routingCtx(ctx), row.id, [
        { field: "routing", from: null, to: joinExplanation(evaluation.explanation, assignmentText) },
      ]);
    }
    if (row.owner_id && ownerByRouting && row.owner_id !== actorId(ctx.actor)) {
      await this.notifyAssignee(trx, row, row.owner_id);
    }
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
    if (this.ownOf(trx).has(after.id)) return;
    if (after.merged_into_id || after.owner_id !== null || after.queue_id === null) return;
    if (categoryOf(after.status, catalogue) !== "open") return;
    const ownerCleared = fields.includes("ownerId") && before.owner_id !== null;
    const movedQueue = fields.includes("queueId");
    const backToWork = fields.includes("status") && categoryOf(before.status, catalogue) !== "open";
    if (!ownerCleared && !movedQueue && !backToWork) return;
    const handedBackBy = this.handingBack.get(trx)?.get(after.id);
    await this.assignExisting(trx, ctx, after, catalogue, {
      exclude: ownerCleared && before.owner_id ? new Set([before.owner_id]) : undefined,
      trigger: handedBackBy ? "handback" : "assignment",
      prefix: handedBackBy ? `handed back by ${handedBackBy}` : undefined,
      recordWaiting: true,
    });
  }

  /** Fills `routing` of cases being answered (staff only: it names rules and agents). */
  async decorate(db: Executor, cases: Case[], actor: Actor): Promise<void> {
    if (actor.kind === "contact") return;
    const rows = await repo.latestDecisions(
      db,
      cases.map((c) => c.id),
    );
    if (rows.length === 0) return;
    const byCase = new Map(rows.map((r) => [r.case_id, r]));
    for (const c of cases) {
      const d = byCase.get(c.id);
      if (d) c.routing = { ruleId: d.rule_id, explanation: explanationOf(d) };
    }
  }

  // ---- re-route and the case's routing history ----

  /** `POST /cases/{id}/reroute`: the rules again, on the case as it is now; they override its placement. */
  async reroute(ctx: RequestCtx, caseId: string): Promise<Case> {
    const actor = ctx.actor;
    return this.cases.tx(async (trx) => {
      const row = await this.cases.lockVisible(trx, actor, caseId);
      requireCaseWorker(actor, "re-route cases");
      if (row.merged_into_id) {
        throw ruleRefused(`${formatCaseNumber(row.number)} was merged into another case; re-route that one`, {
          mergedIntoId: row.merged_into_id,
        });
      }
      const catalogue = await this.cases.catalogue(trx);
      const { facts, rulesVersion } = await this.factsOf(trx, row);
      const rules = await this.activeRules(trx, rulesVersion);
      const start: Placement = {
        teamId: row.team_id,
        queueId: row.queue_id,
        priority: row.priority,
        ownerId: row.owner_id,
        tags: row.tags,
      };
      const dir = await this.directory(trx, rules, facts, start);
      const evaluation = evaluateRules(rules, facts, start, NOTHING_GIVEN, dir);
      const p = evaluation.placement;
      const ruleSetOwner = p.ownerId !== row.owner_id;
      let owner = p.ownerId;
      let assignment: Choice | null = null;
      const movedQueue = p.queueId !== row.queue_id;
      if (
        !ruleSetOwner &&
        p.queueId &&
        (movedQueue || owner === null) &&
        categoryOf(row.status, catalogue) === "open"
      ) {
        assignment = await this.pickFor(trx, p.queueId, { product: row.product, language: facts.language });
        owner = assignment?.agent?.id ?? (movedQueue ? null : owner);
      }
      const ruleIds = evaluation.matched.map((s) => s.rule.id);
      const assignmentText = assignment?.explanation ?? null;
      const text = joinExplanation(evaluation.explanation, assignmentText);
      this.ownOf(trx).add(row.id);
      let after: CaseRow;
      try {
        after = await this.cases.commit(
          trx,
          ctx,
          row,
          { team_id: p.teamId, queue_id: p.queueId, priority: p.priority, tags: p.tags, owner_id: owner },
          catalogue,
          { touch: true, extra: [{ field: "routing", from: null, to: `re-routed: ${text}` }] },
        );
      } finally {
        this.ownOf(trx).delete(row.id);
      }
      await repo.insertDecision(trx, {
        id: newId(),
        case_id: row.id,
        at: this.clock.now(),
        trigger: "reroute",
        rule_id: ruleIds.at(-1) ?? null,
        rule_ids: ruleIds,
        rules_explanation: evaluation.explanation,
        assignment_explanation: assignmentText,
        actor_id: actorId(actor),
      });
      if (assignment?.agent) await this.setLastUser(trx, p.queueId, assignment.agent.id);
      if (after.owner_id && after.owner_id !== row.owner_id && actorId(actor) !== after.owner_id) {
        await this.notifyAssignee(trx, after, after.owner_id);
      }
      return this.cases.present(trx, after, catalogue, actor);
    });
  }

  async caseRouting(actor: Actor, caseId: string): Promise<CaseRoutingDetail> {
    requireStaff(actor);
    const db = this.db.kysely;
    if (!(await this.cases.findRow(db, caseId))) throw notFound("Case");
    const rows = await repo.decisionsOf(db, caseId);
    const latest = rows[0];
    return {
      ruleId: latest?.rule_id ?? null,
      explanation: latest ? explanationOf(latest) : null,
      decisions: rows.map((d) => ({
        id: d.id,
        at: d.at.toISOString(),
        trigger: d.trigger,
        ruleId: d.rule_id,
        ruleIds: d.rule_ids,
        explanation: explanationOf(d),
        actorId: d.actor_id,
      })),
    };
  }

  // ---- queue strategies, schedules, the load board ----

  async getQueueAssignment(actor: Actor, queueId: string): Promise<QueueAssignment> {
    requireStaff(actor);
    const db = this.db.kysely;
    if ((await repo.existing(db, "queues", [queueId])).size === 0) throw notFound("Queue");
    const row = await repo.findAssignment(db, queueId);
    return {
      queueId,
      strategy: row?.strategy ?? "manual",
      lastUserId: row?.last_user_id ?? null,
      updatedAt: row?.updated_at.toISOString() ?? null,
    };
  }

  /** Sets the strategy; a queue that now assigns hands out its waiting cases at once. */
  async setQueueAssignment(
    ctx: RequestCtx,
    queueId: string,
    input: { strategy: Strategy },
  ): Promise<QueueAssignment> {
    requireManager(ctx.actor, "change how a queue assigns cases");
    if (!STRATEGIES.includes(input.strategy))
      throw invalid("/strategy", `must be one of ${STRATEGIES.join(", ")}`);
    return this.cases.tx(async (trx) => {
      if ((await repo.existing(trx, "queues", [queueId])).size === 0) throw notFound("Queue");
      const before = await repo.findAssignment(trx, queueId);
      await repo.upsertAssignment(trx, queueId, input.strategy, this.clock.now());
      await this.audit.record(trx, ctx, {
        action: "queue.assignment_changed",
        targetType: "queue",
        targetId: queueId,
        details: { from: before?.strategy ?? "manual", to: input.strategy },
      });
      await this.bus.append(trx, {
        type: "queue.assignment_changed",
        entityType: "queue",
        entityId: queueId,
        actorId: actorId(ctx.actor),
        data: { strategy: input.strategy },
      });
      if (input.strategy !== "manual") await this.drain(trx, [queueId]);
      const row = await repo.findAssignment(trx, queueId);
      return {
        queueId,
        strategy: input.strategy,
        lastUserId: row?.last_user_id ?? null,
        updatedAt: row?.updated_at.toISOString() ?? null,
      };
    });
  }

  async queueSummaries(actor: Actor): Promise<QueueSummary[]> {
    requireStaff(actor);
    const rows = await repo.queueSummaries(this.db.kysely);
    return rows.map((r) => ({
      queueId: r.id,
      name: r.name,
      teamId: r.team_id,
      strategy: r.strategy ?? "manual",
      waiting: r.waiting,
      oldestWaitingAt: r.oldest_waiting_at ? new Date(r.oldest_waiting_at).toISOString() : null,
    }));
  }

  /** The load board: each case worker's open cases against capacity, presence and hours. */
  async agentLoads(actor: Actor, query: { teamId?: string | undefined }): Promise<AgentLoadView[]> {
    requireStaff(actor);
    const db = this.db.kysely;
    const rows = await repo.agentLoads(db, { teamId: query.teamId });
    const hours = await this.hoursOf(db, rows);
    return rows
      .map((r) => {
        const agent = toAgent(r, hours);
        const why = unavailableBecause(agent);
        return {
          id: r.id,
          name: r.name,
          role: r.role,
          status: r.status,
          capacity: r.capacity,
          skills: r.skills,
          teamIds: r.team_ids,
          openCases: r.open_cases,
          load: r.load,
          pausedCases: r.paused_cases,
          calendarId: r.calendar_id,
          inHours: agent.inHours,
          acceptsCases: why === null,
          reason: why,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** An agent's working hours: a business calendar, or null for "whenever available". */
  async setSchedule(
    ctx: RequestCtx,
    userId: string,
    calendarId: string | null,
  ): Promise<{ userId: string; calendarId: string | null }> {
    requireManager(ctx.actor, "set agents' working hours");
    return this.cases.tx(async (trx) => {
      if ((await repo.existing(trx, "users", [userId])).size === 0) throw notFound("User");
      if (calendarId !== null && (await repo.existing(trx, "calendars", [calendarId])).size === 0) {
        throw invalid("/calendarId", "no such calendar");
      }
      await repo.setSchedule(trx, userId, calendarId, this.clock.now());
      await this.audit.record(trx, ctx, {
        action: "user.schedule_changed",
        targetType: "user",
        targetId: userId,
        details: { calendarId },
      });
      await this.bus.append(trx, {
        type: "routing.schedule_changed",
        entityType: "user",
        entityId: userId,
        actorId: actorId(ctx.actor),
        data: { calendarId },
      });
      return { userId, calendarId };
    });
  }

  // ---- presence ----

  /**
   * Gives back the signed-in agent's cases nobody has started (status new, in a queue): they
   * return to their queue and go to someone else. With `status`, sets the presence first
   * ("going away").
   */
  async handBack(
    ctx: RequestCtx,
    input: { status?: Presence | undefined } = {},
  ): Promise<{ items: { id: string; number: string; ownerId: string | null }[] }> {
    const actor = ctx.actor;
    if (actor.kind !== "user")
      throw new AppError("forbidden", "Only a signed-in staff user hands back cases");
    if (input.status !== undefined) await this.users.update(ctx, actor.id, { status: input.status });
    return this.cases.tx(async (trx) => {
      const me = (await repo.users(trx, [actor.id]))[0];
      const catalogue = await this.cases.catalogue(trx);
      const items: { id: string; number: string; ownerId: string | null }[] = [];
      const marks = this.handingBack.get(trx) ?? new Map<string, string>();
      this.handingBack.set(trx, marks);
      for (const id of await repo.unstartedCases(trx, actor.id)) {
        const row = await this.cases.lockRow(trx, id);
        if (!row || row.owner_id !== actor.id || row.status !== "new") continue;
        marks.set(id, me?.name ?? "its owner");
        const after = await this.cases.commit(trx, ctx, row, { owner_id: null }, catalogue);
        marks.delete(id);
        items.push({ id, number: formatCaseNumber(after.number), ownerId: after.owner_id });
      }
      return { items };
    });
  }

  // ---- assignment ----

  /** Chooses (and reserves, by holding the locks) an agent for a case about to be placed in a queue. */
  private async pickFor(
    trx: Trx,
    queueId: string,
    needs: { product: string | null; language: string | null },
    exclude?: ReadonlySet<string>,
    known?: { team_id: string | null; strategy: Strategy | null },
  ): Promise<Choice | null> {
    const before = known ?? (await repo.routedQueue(trx, queueId));
    if (!before?.strategy || before.strategy === "manual") return null;
    if (!before.team_id) return { agent: null, explanation: "waiting: the queue has no team to assign to" };
    await repo.lockPools(trx, [queueId], [before.team_id]);
    // Counted (and the strategy and round robin's place read) only now, under the locks.
    const pool = await repo.pool(trx, queueId, before.team_id);
    if (!pool.strategy || pool.strategy === "manual") return null;
    const agents = await this.agentsOf(trx, pool.agents);
    const choice = chooseAgent(pool.strategy, agents, needs, { lastUserId: pool.lastUserId, exclude });
    const settings = { strategy: pool.strategy };
    if (choice.agent) {
      if (settings.strategy === "round_robin") await repo.setLastUser(trx, queueId, choice.agent.id);
    } else {
      await this.wakeWhenHoursOpen(trx, queueId, agents);
    }
    return choice;
  }

  /** Assigns an existing unowned case in its queue (after a change put it there). */
  private async assignExisting(
    trx: Trx,
    ctx: RequestCtx,
    row: CaseRow,
    catalogue: StatusCatalogue,
    options: {
      exclude?: ReadonlySet<string> | undefined;
      trigger: DecisionTrigger;
      prefix?: string | undefined;
      recordWaiting: boolean;
    },
  ): Promise<void> {
    if (!row.queue_id) return;
    const facts = await repo.caseFacts(trx, row.account_id, row.contact_id);
    const choice = await this.pickFor(
      trx,
      row.queue_id,
      { product: row.product, language: facts.language },
      options.exclude,
    );
    if (!choice) {
      if (options.prefix)
        await this.decide(trx, row, options.trigger, `${options.prefix}; the queue is assigned by hand`, ctx);
      return;
    }
    const text = options.prefix ? `${options.prefix}; ${choice.explanation}` : choice.explanation;
    if (!choice.agent) {
      if (options.recordWaiting) await this.decide(trx, row, options.trigger, text, ctx);
      return;
    }
    await this.giveTo(trx, row, choice.agent, catalogue);
    await this.decide(trx, row, options.trigger, text, ctx);
  }

  /** Sets the owner (history, events, hooks) and tells them. */
  private async giveTo(
    trx: Trx,
    row: CaseRow,
    agent: AgentLoad,
    catalogue: StatusCatalogue,
  ): Promise<CaseRow> {
    this.ownOf(trx).add(row.id);
    try {
      const after = await this.cases.commit(trx, SYSTEM, row, { owner_id: agent.id }, catalogue);
      await this.notifyAssignee(trx, after, agent.id);
      return after;
    } finally {
      this.ownOf(trx).delete(row.id);
    }
  }

  /** Stores an assignment decision, carrying over how the rules placed the case. */
  private async decide(
    trx: Trx,
    row: CaseRow,
    trigger: DecisionTrigger,
    assignment: string,
    ctx: RequestCtx,
  ): Promise<void> {
    const previous = (await repo.latestDecisions(trx, [row.id]))[0];
    let rulesText = previous?.rules_explanation;
    if (rulesText === undefined) {
      const q = row.queue_id ? (await repo.queues(trx, [row.queue_id]))[0] : undefined;
      rulesText = q ? `in queue '${q.name}'` : "no routing decision";
    }
    await repo.insertDecision(trx, {
      id: newId(),
      case_id: row.id,
      at: this.clock.now(),
      trigger,
      rule_id: previous?.rule_id ?? null,
      rule_ids: previous?.rule_ids ?? [],
      rules_explanation: rulesText,
      assignment_explanation: assignment,
      actor_id: actorId(ctx.actor),
    });
  }

  /**
   * Hands out the waiting cases of these queues, most urgent and oldest first, until nobody can
   * take more. Runs from events (capacity freed, an agent back) and the hours timer.
   */
  async drain(trx: Trx, queueIds: readonly string[]): Promise<number> {
    const ids = [...new Set(queueIds)].sort();
    if (ids.length === 0) return 0;
    const queues = await repo.queues(trx, ids);
    const routed: { id: string; teamId: string }[] = [];
    for (const q of queues) {
      const settings = await repo.findAssignment(trx, q.id);
      if (settings && settings.strategy !== "manual" && q.team_id)
        routed.push({ id: q.id, teamId: q.team_id });
    }
    if (routed.length === 0) return 0;
    const catalogue = await this.cases.catalogue(trx);
    // Lock every queue and every agent of their pools in one go (one global order).
    await repo.lockPools(
      trx,
      routed.map((q) => q.id),
      [...new Set(routed.map((q) => q.teamId))],
    );
    let assigned = 0;
    for (const q of routed) {
      const pool = await repo.pool(trx, q.id, q.teamId);
      if (!pool.strategy || pool.strategy === "manual") continue;
      const settings = { strategy: pool.strategy, last_user_id: pool.lastUserId };
      const waiting = await repo.lockWaitingCases(trx, q.id, DRAIN_BATCH);
      if (waiting.length === 0) continue;
      const agents = await this.agentsOf(trx, pool.agents);
      let last = settings.last_user_id;
      let leftWaiting = false;
      for (const id of waiting) {
        const row = await this.cases.findRow(trx, id);
        if (!row || row.owner_id !== null || row.queue_id !== q.id) continue;
        const facts =
          settings.strategy === "skills" ? await repo.caseFacts(trx, row.account_id, row.contact_id) : null;
        const choice = chooseAgent(
          settings.strategy,
          agents,
          { product: row.product, language: facts?.language ?? null },
          { lastUserId: last },
        );
        if (!choice.agent) {
          leftWaiting = true;
          // Another case may need other skills; otherwise nobody can take any more.
          if (settings.strategy === "skills") continue;
          break;
        }
        await this.giveTo(trx, row, choice.agent, catalogue);
        await this.decide(trx, row, "assignment", choice.explanation, SYSTEM);
        choice.agent.openCases += 1;
        choice.agent.load += PRIORITY_WEIGHT[row.priority];
        last = choice.agent.id;
        assigned += 1;
      }
      if (last && last !== settings.last_user_id && settings.strategy === "round_robin") {
        await repo.setLastUser(trx, q.id, last);
      }
      if (leftWaiting) await this.wakeWhenHoursOpen(trx, q.id, agents);
    }
    return assigned;
  }

  private async onEvent(event: StoredEvent, trx: Trx): Promise<void> {
    const queues = new Set<string>();
    const ofUser = async (userId: string) => {
      for (const q of await repo.routedQueuesOfTeams(trx, await repo.teamsOfUser(trx, userId))) queues.add(q);
    };
    const data = event.data;
    switch (event.type) {
      case "case.status_changed": {
        if (data.fromCategory === data.toCategory) return;
        const row = await this.cases.findRow(trx, event.entityId);
        if (!row) return;
        if (row.owner_id) await ofUser(row.owner_id);
        else if (row.queue_id) queues.add(row.queue_id);
        break;
      }
      case "case.assigned": {
        const previous = typeof data.previousOwnerId === "string" ? data.previousOwnerId : null;
        if (previous && previous !== data.ownerId) await ofUser(previous);
        if (data.ownerId === null) {
          const row = await this.cases.findRow(trx, event.entityId);
          if (row?.queue_id) queues.add(row.queue_id);
        }
        break;
      }
      case "user.status_changed":
      case "user.updated":
      case "routing.schedule_changed":
        await ofUser(event.entityId);
        break;
      case "team.updated":
        for (const q of await repo.routedQueuesOfTeams(trx, [event.entityId])) queues.add(q);
        break;
      case "queue.updated":
        queues.add(event.entityId);
        break;
    }
    await this.drain(trx, [...queues]);
  }

  private async onDrainTimer(timer: DueTimer, trx: Trx): Promise<void> {
    const queueId = timer.payload.queueId;
    if (typeof queueId === "string") await this.drain(trx, [queueId]);
  }

  /**
   * Cases wait because the agents who could take them are outside their hours: come back when
   * the first of them starts work.
   */
  private async wakeWhenHoursOpen(trx: Trx, queueId: string, agents: readonly AgentLoad[]): Promise<void> {
    const later = agents.filter((a) => a.status === "available" && !a.inHours && a.openCases < a.capacity);
    if (later.length === 0) return;
    const rows = await repo.agentLoads(trx, { userIds: later.map((a) => a.id) });
    const calendars = await this.calendars(
      trx,
      rows.map((r) => r.calendar_id).filter((c): c is string => c !== null),
    );
    const now = this.clock.now();
    let soonest: Date | null = null;
    for (const r of rows) {
      const cal = r.calendar_id ? calendars.get(r.calendar_id) : undefined;
      if (!cal) continue;
      const at = cal.nextOpening(now);
      if (!soonest || at < soonest) soonest = at;
    }
    if (!soonest) return;
    await this.timers.schedule(trx, {
      kind: ROUTING_DRAIN_TIMER,
      dueAt: soonest,
      payload: { queueId },
      dedupeKey: `${ROUTING_DRAIN_TIMER}:${queueId}`,
    });
  }

  private async notifyAssignee(trx: Trx, row: CaseRow, userId: string): Promise<void> {
    await this.notifier.notify(trx, {
      userIds: [userId],
      kind: "case.assigned",
      title: `${formatCaseNumber(row.number)} was assigned to you`,
      body: row.subject,
      link: `/cases/${row.id}`,
      caseId: row.id,
    });
  }

  // ---- loads and locks ----

  private async loads(db: Executor, filter: { teamId: string }): Promise<AgentLoad[]> {
    return this.agentsOf(db, await repo.agentLoads(db, filter));
  }

  private async agentsOf(
    db: Executor,
    rows: Pick<
      AgentLoadRow,
      "id" | "name" | "status" | "capacity" | "skills" | "calendar_id" | "open_cases" | "load"
    >[],
  ): Promise<AgentLoad[]> {
    const hours = await this.hoursOf(db, rows);
    return rows.map((r) => toAgent(r, hours));
  }

  /** Which agents are inside their working hours now (no schedule: always). */
  private async hoursOf(
    db: Executor,
    rows: Pick<AgentLoadRow, "id" | "calendar_id">[],
  ): Promise<Map<string, boolean>> {
    const ids = [...new Set(rows.map((r) => r.calendar_id).filter((c): c is string => c !== null))];
    const calendars = await this.calendars(db, ids);
    const now = this.clock.now();
    const out = new Map<string, boolean>();
    for (const r of rows) {
      const cal = r.calendar_id ? calendars.get(r.calendar_id) : undefined;
      out.set(r.id, cal ? cal.isOpen(now) : true);
    }
    return out;
  }

  private async calendars(db: Executor, ids: string[]): Promise<Map<string, BusinessCalendar>> {
    const rows = await slaRepository.findCalendars(db, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, businessCalendar(r)]));
  }

  private async setLastUser(trx: Trx, queueId: string | null, userId: string): Promise<void> {
    if (!queueId) return;
    const settings = await repo.findAssignment(trx, queueId);
    if (settings?.strategy === "round_robin") await repo.setLastUser(trx, queueId, userId);
  }

  // ---- facts, names, validation ----

  private async factsOf(
    db: Executor,
    c: Pick<
      CaseRow,
      | "subject"
      | "description"
      | "priority"
      | "channel"
      | "product"
      | "category"
      | "tags"
      | "account_id"
      | "contact_id"
      | "received_at"
    >,
  ): Promise<{ facts: CaseFacts; rulesVersion: number }> {
    const known = await repo.decisionFacts(db, c.account_id, c.contact_id);
    const facts: CaseFacts = {
      subject: c.subject,
      description: c.description,
      priority: c.priority,
      channel: c.channel,
      product: c.product,
      category: c.category,
      tags: c.tags,
      language: known.language,
      accountTier: known.tier,
      healthBand: known.health_band,
      accountOwnerId: known.account_owner_id,
      receivedAt: c.received_at,
    };
    return { facts, rulesVersion: known.rules_version };
  }

  /** The active rules in order, from memory while their version stands. */
  private async activeRules(db: Executor, version: number): Promise<RuleSpec[]> {
    const cached = this.rulesCache;
    if (cached && cached.version === version) return cached.specs;
    const specs = (await repo.listRules(db, true)).map(specOf);
    // Only a version read in the same snapshot as the rules is safe to remember.
    const now = (await repo.decisionFacts(db, null, null)).rules_version;
    if (now === version) this.rulesCache = { version, specs };
    return specs;
  }

  /** The names of everything the rules (and the case) refer to. */
  private async directory(
    db: Executor,
    rules: readonly RuleSpec[],
    facts: CaseFacts,
    start?: Placement,
  ): Promise<
    Directory & { routed(queueId: string): { team_id: string | null; strategy: Strategy | null } | undefined }
  > {
    const teamIds = new Set<string>();
    const queueIds = new Set<string>();
    const userIds = new Set<string>();
    const calendarIds = new Set<string>();
    for (const r of rules) {
      if (r.then.teamId) teamIds.add(r.then.teamId);
      if (r.then.queueId) queueIds.add(r.then.queueId);
      if (r.then.ownerId) userIds.add(r.then.ownerId);
      for (const u of r.when.accountOwnerId ?? []) userIds.add(u);
      if (r.when.withinHours) calendarIds.add(r.when.withinHours.calendarId);
    }
    if (facts.accountOwnerId) userIds.add(facts.accountOwnerId);
    if (start?.queueId) queueIds.add(start.queueId);
    const names = await repo.names(db, { teams: [...teamIds], queues: [...queueIds], users: [...userIds] });
    const calendars = await this.calendarRows(db, [...calendarIds]);
    const t = new Map<string, { name: string }>();
    const q = new Map<string, { name: string; teamId: string | null; strategy: Strategy | null }>();
    const u = new Map<string, { name: string; active: boolean }>();
    for (const x of names) {
      if (x.kind === "team") t.set(x.id, { name: x.name });
      else if (x.kind === "queue") q.set(x.id, { name: x.name, teamId: x.team_id, strategy: x.strategy });
      else u.set(x.id, { name: x.name, active: x.active });
    }
    return {
      team: (id) => t.get(id),
      queue: (id) => q.get(id),
      user: (id) => u.get(id),
      calendar: (id) => calendars.get(id),
      routed: (id) => {
        const found = q.get(id);
        return found ? { team_id: found.teamId, strategy: found.strategy } : undefined;
      },
    };
  }

  private async calendarRows(db: Executor, ids: string[]) {
    const rows = await slaRepository.findCalendars(db, ids);
    return new Map(
      rows.map((r) => {
        const cal = businessCalendar(r);
        return [r.id, { name: r.name, isOpen: (at: Date) => cal.isOpen(at) }];
      }),
    );
  }

  /** Validates a rule (whole, or a change to `before`) into column values. 400s name the field. */
  private async checkedRule(
    db: Executor,
    before: RuleRow | undefined,
    input: RuleInput,
    base = "",
  ): Promise<
    Pick<RuleRow, "name" | "position" | "active" | "continue_after"> & {
      conditions: Record<string, unknown>;
      actions: Record<string, unknown>;
    }
  > {
    const name = input.name ?? before?.name;
    if (name === undefined) throw invalid(`${base}/name`, "is required");
    assertText(name, `${base}/name`);
    if (name.trim() === "") throw invalid(`${base}/name`, "must not be blank");
    const order = input.order ?? before?.position;
    if (order === undefined) throw invalid(`${base}/order`, "is required");
    const when = await this.cleanWhen(
      db,
      input.when ?? (before?.conditions as RuleWhen) ?? {},
      `${base}/when`,
    );
    const then = await this.cleanThen(db, input.then ?? (before?.actions as RuleThen) ?? {}, `${base}/then`);
    return {
      name: name.trim(),
      position: order,
      active: input.active ?? before?.active ?? true,
      continue_after: input.continue ?? before?.continue_after ?? false,
      conditions: when as Record<string, unknown>,
      actions: then as Record<string, unknown>,
    };
  }

  private async cleanWhen(db: Executor, w: RuleWhen, path: string): Promise<RuleWhen> {
    const out: RuleWhen = {};
    const texts = (values: string[] | undefined, field: string, lower = false): string[] | undefined => {
      if (!values?.length) return undefined;
      const seen = new Set<string>();
      const kept: string[] = [];
      values.forEach((v, i) => {
        assertText(v, `${path}/${field}/${i}`);
        const t = lower ? v.trim().toLowerCase() : v.trim();
        if (t === "") throw invalid(`${path}/${field}/${i}`, "must not be blank");
        if (!seen.has(t.toLowerCase())) {
          seen.add(t.toLowerCase());
          kept.push(t);
        }
      });
      return kept;
    };
    if (w.priority?.length) out.priority = [...new Set(w.priority)];
    if (w.accountTier?.length) out.accountTier = [...new Set(w.accountTier)];
    if (w.channel?.length) out.channel = [...new Set(w.channel)];
    if (w.healthBand?.length) out.healthBand = [...new Set(w.healthBand)];
    const product = texts(w.product, "product");
    if (product) out.product = product;
    const category = texts(w.category, "category");
    if (category) out.category = category;
    const language = texts(w.language, "language", true);
    if (language) out.language = language;
    const keywords = texts(w.keywords, "keywords");
    if (keywords) {
      keywords.forEach((k, i) => {
        if (k.replace(/\*$/, "").trim() === "")
          throw invalid(`${path}/keywords/${i}`, "needs at least one letter before *");
        if (k.slice(0, -1).includes("*")) throw invalid(`${path}/keywords/${i}`, "* may only end a keyword");
      });
      out.keywords = keywords;
    }
    if (w.tags?.length) out.tags = normaliseTags(w.tags, `${path}/tags`);
    if (w.accountOwnerId?.length) {
      const ids = [...new Set(w.accountOwnerId)];
      const found = await repo.existing(db, "users", ids);
      const missing = w.accountOwnerId.findIndex((u) => !found.has(u));
      if (missing >= 0) throw invalid(`${path}/accountOwnerId/${missing}`, "no such user");
      out.accountOwnerId = ids;
    }
    if (w.withinHours) {
      if ((await repo.existing(db, "calendars", [w.withinHours.calendarId])).size === 0) {
        throw invalid(`${path}/withinHours/calendarId`, "no such calendar");
      }
      out.withinHours = { calendarId: w.withinHours.calendarId, inside: w.withinHours.inside };
    }
    return out;
  }

  private async cleanThen(db: Executor, t: RuleThen, path: string): Promise<RuleThen> {
    const out: RuleThen = {};
    if (t.ownerId && t.assignToAccountOwner) {
      throw invalid(`${path}/assignToAccountOwner`, "cannot be combined with ownerId: choose one owner");
    }
    if (t.teamId) {
      if ((await repo.existing(db, "teams", [t.teamId])).size === 0)
        throw invalid(`${path}/teamId`, "no such team");
      out.teamId = t.teamId;
    }
    if (t.queueId) {
      if ((await repo.existing(db, "queues", [t.queueId])).size === 0)
        throw invalid(`${path}/queueId`, "no such queue");
      out.queueId = t.queueId;
    }
    if (t.priority) out.priority = t.priority;
    if (t.ownerId) {
      const u = (await repo.users(db, [t.ownerId]))[0];
      if (!u) throw invalid(`${path}/ownerId`, "no such user");
      if (!u.active) throw invalid(`${path}/ownerId`, "is deactivated");
      out.ownerId = t.ownerId;
    }
    if (t.assignToAccountOwner) out.assignToAccountOwner = true;
    if (t.tags?.length) out.tags = normaliseTags(t.tags, `${path}/tags`);
    return out;
  }

  private pendingOf(trx: Trx): Map<string, Pending> {
    let m = this.pending.get(trx);
    if (!m) {
      m = new Map();
      this.pending.set(trx, m);
    }
    return m;
  }

  private ownOf(trx: Trx): Set<string> {
    let s = this.own.get(trx);
    if (!s) {
      s = new Set();
      this.own.set(trx, s);
    }
    return s;
  }
}

function toAgent(
  r: Pick<AgentLoadRow, "id" | "name" | "status" | "capacity" | "skills" | "open_cases" | "load">,
  hours: Map<string, boolean>,
): AgentLoad {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    capacity: r.capacity,
    skills: r.skills,
    openCases: r.open_cases,
    load: r.load,
    inHours: hours.get(r.id) ?? true,
  };
}

function explanationOf(d: DecisionRow): string {
  return joinExplanation(d.rules_explanation, d.assignment_explanation);
}
