import { type Actor, type RequestCtx, requireRole, requireStaff } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { CasesService } from "../cases/cases.service.ts";
import {
  BusinessCalendar,
  type CalendarSpec,
  calendarProblems,
  WEEKDAYS,
  type WeeklyHours,
} from "./business-time.ts";
import {
  type CalendarRow,
  type PolicyInsert,
  type PolicyRow,
  slaRepository as repo,
} from "./sla.repository.ts";
import type { AppliesWhen } from "./sla-rules.ts";

export type Calendar = {
  id: string;
  name: string;
  timeZone: string;
  hours: WeeklyHours;
  holidays: string[];
  createdAt: string;
  updatedAt: string;
};

export type CalendarInput = {
  name?: string | undefined;
  timeZone?: string | undefined;
  hours?: Partial<Record<string, [string, string][]>> | undefined;
  holidays?: string[] | undefined;
};

/** What happens at a warning or breach (set per policy). */
export type SlaAction =
  | { type: "notify"; to?: ("owner" | "teamLead" | "managers")[] | undefined }
  | { type: "raisePriority" }
  | { type: "reassign"; teamId?: string | undefined; toTeamLead?: boolean | undefined }
  | { type: "addTag"; tag: string };

export type SlaPolicy = {
  id: string;
  name: string;
  calendarId: string;
  order: number;
  appliesWhen: AppliesWhen;
  firstResponseMinutes: number;
  nextResponseMinutes: number | null;
  resolutionMinutes: number;
  warningPercent: number | null;
  warningMinutesBefore: number | null;
  pauseOn: string[];
  warningActions: SlaAction[];
  breachActions: SlaAction[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

export type PolicyInput = {
  name?: string | undefined;
  calendarId?: string | undefined;
  order?: number | undefined;
  appliesWhen?: AppliesWhen | undefined;
  firstResponseMinutes?: number | undefined;
  nextResponseMinutes?: number | null | undefined;
  resolutionMinutes?: number | undefined;
  warningPercent?: number | null | undefined;
  warningMinutesBefore?: number | null | undefined;
  pauseOn?: string[] | undefined;
  warningActions?: SlaAction[] | undefined;
  breachActions?: SlaAction[] | undefined;
  active?: boolean | undefined;
};

export const DEFAULT_PAUSE_ON = ["waiting_on_customer"];
export const DEFAULT_ACTIONS: SlaAction[] = [{ type: "notify" }];

export function presentCalendar(r: CalendarRow): Calendar {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    hours: fullWeek(r.hours),
    holidays: r.holidays,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function presentPolicy(r: PolicyRow): SlaPolicy {
  return {
    id: r.id,
    name: r.name,
    calendarId: r.calendar_id,
    order: r.position,
    appliesWhen: r.applies_when as AppliesWhen,
    firstResponseMinutes: r.first_response_minutes,
    nextResponseMinutes: r.next_response_minutes,
    resolutionMinutes: r.resolution_minutes,
    warningPercent: r.warning_percent,
    warningMinutesBefore: r.warning_minutes_before,
    pauseOn: r.pause_on,
    warningActions: r.warning_actions as SlaAction[],
    breachActions: r.breach_actions as SlaAction[],
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function fullWeek(hours: Partial<Record<string, [string, string][]>>): WeeklyHours {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, hours[d] ?? []])) as WeeklyHours;
}

const calendarCache = new Map<string, { stamp: number; cal: BusinessCalendar }>();

/** A calendar row as arithmetic, built once per version of the row. */
export function businessCalendar(r: CalendarRow): BusinessCalendar {
  const stamp = r.updated_at.getTime();
  const hit = calendarCache.get(r.id);
  if (hit && hit.stamp === stamp) return hit.cal;
  const cal = new BusinessCalendar({ timeZone: r.time_zone, hours: fullWeek(r.hours), holidays: r.holidays });
  calendarCache.set(r.id, { stamp, cal });
  return cal;
}

const requireManager = (actor: Actor, what: string) => requireRole(actor, ["admin", "manager"], what);

/**
 * Business calendars and SLA policies: what managers set up. Policy edits apply to cases whose
 * policy is evaluated afterwards (new cases, and cases whose priority or other conditions change).
 */
export class SlaConfigService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
  ) {}

  // ---- calendars ----

  async listCalendars(actor: Actor, query: { limit?: number | undefined; cursor?: string | undefined }) {
    requireStaff(actor);
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["string", "uuid"]);
    const rows = await repo.listCalendars(
      this.db.kysely,
      after ? { name: after[0] as string, id: after[1] as string } : undefined,
      limit,
    );
    return toPage(rows, limit, (r) => [r.name.toLowerCase(), r.id], presentCalendar);
  }

  async getCalendar(actor: Actor, id: string): Promise<Calendar> {
    requireStaff(actor);
    const row = await repo.findCalendar(this.db.kysely, id);
    if (!row) throw notFound("Calendar");
    return presentCalendar(row);
  }

  async createCalendar(
    ctx: RequestCtx,
    input: Required<Pick<CalendarInput, "name" | "timeZone" | "hours">> & CalendarInput,
  ) {
    requireManager(ctx.actor, "set up business calendars");
    const spec = checkCalendar({
      timeZone: input.timeZone,
      hours: fullWeek(input.hours),
      holidays: input.holidays ?? [],
    });
    const now = this.clock.now();
    return this.tx(async (trx) => {
      const row = await repo.insertCalendar(trx, {
        id: newId(),
        name: requiredText(input.name, "/name"),
        time_zone: spec.timeZone,
        hours: spec.hours,
        holidays: spec.holidays,
        created_at: now,
        updated_at: now,
      });
      await this.audit.record(trx, ctx, {
        action: "calendar.created",
        targetType: "calendar",
        targetId: row.id,
        details: { name: row.name },
      });
      return presentCalendar(row);
    });
  }

  async updateCalendar(ctx: RequestCtx, id: string, input: CalendarInput): Promise<Calendar> {
    requireManager(ctx.actor, "change business calendars");
    return this.tx(async (trx) => {
      const before = await repo.findCalendar(trx, id);
      if (!before) throw notFound("Calendar");
      const spec = checkCalendar({
        timeZone: input.timeZone ?? before.time_zone,
        hours: fullWeek(input.hours ?? before.hours),
        holidays: input.holidays ?? before.holidays,
      });
      // A second edit within the same millisecond must still rebuild cached arithmetic.
      const now = new Date(Math.max(this.clock.now().getTime(), before.updated_at.getTime() + 1));
      const row = await repo.updateCalendar(trx, id, {
        ...(input.name !== undefined ? { name: requiredText(input.name, "/name") } : {}),
        time_zone: spec.timeZone,
        hours: spec.hours,
        holidays: spec.holidays,
        updated_at: now,
      });
      if (!row) throw notFound("Calendar");
      await this.audit.record(trx, ctx, {
        action: "calendar.updated",
        targetType: "calendar",
        targetId: id,
        details: { name: row.name },
      });
      return presentCalendar(row);
    });
  }

  async deleteCalendar(ctx: RequestCtx, id: string): Promise<void> {
    requireManager(ctx.actor, "delete business calendars");
    await this.tx(async (trx) => {
      const row = await repo.findCalendar(trx, id);
      if (!row) throw notFound("Calendar");
      const users = await repo.policiesUsingCalendar(trx, id);
      if (users.length > 0) {
        throw ruleRefused(`The calendar is used by SLA policies: ${users.join(", ")}. Change them first`, {
          policies: users,
        });
      }
      await repo.deleteCalendar(trx, id);
      await this.audit.record(trx, ctx, {
        action: "calendar.deleted",
        targetType: "calendar",
        targetId: id,
        details: { name: row.name },
      });
    });
  }

  // ---- policies ----

  async listPolicies(actor: Actor): Promise<Page<SlaPolicy>> {
    requireStaff(actor);
    const rows = await repo.listPolicies(this.db.kysely);
    return { items: rows.map(presentPolicy), nextCursor: null };
  }

  async getPolicy(actor: Actor, id: string): Promise<SlaPolicy> {
    requireStaff(actor);
    const row = await repo.findPolicy(this.db.kysely, id);
    if (!row) throw notFound("SLA policy");
    return presentPolicy(row);
  }

  async createPolicy(ctx: RequestCtx, input: PolicyInput): Promise<SlaPolicy> {
    requireManager(ctx.actor, "set up SLA policies");
    return this.tx(async (trx) => {
      const now = this.clock.now();
      const row = await this.checkedPolicy(trx, undefined, input);
      const stored = await repo.insertPolicy(trx, { ...row, id: newId(), created_at: now, updated_at: now });
      await this.audit.record(trx, ctx, {
        action: "sla_policy.created",
        targetType: "sla_policy",
        targetId: stored.id,
        details: { name: stored.name },
      });
      return presentPolicy(stored);
    });
  }

  async updatePolicy(ctx: RequestCtx, id: string, input: PolicyInput): Promise<SlaPolicy> {
    requireManager(ctx.actor, "change SLA policies");
    return this.tx(async (trx) => {
      const before = await repo.findPolicy(trx, id);
      if (!before) throw notFound("SLA policy");
      const row = await this.checkedPolicy(trx, before, input);
      const stored = await repo.updatePolicy(trx, id, { ...row, updated_at: this.clock.now() });
      if (!stored) throw notFound("SLA policy");
      await this.audit.record(trx, ctx, {
        action: "sla_policy.updated",
        targetType: "sla_policy",
        targetId: id,
        details: { name: stored.name },
      });
      return presentPolicy(stored);
    });
  }

  /** Cases that ran under it keep their clocks (and the policy's name on them). */
  async deletePolicy(ctx: RequestCtx, id: string): Promise<void> {
    requireManager(ctx.actor, "delete SLA policies");
    await this.tx(async (trx) => {
      const row = await repo.findPolicy(trx, id);
      if (!row) throw notFound("SLA policy");
      await repo.deletePolicy(trx, id);
      await this.audit.record(trx, ctx, {
        action: "sla_policy.deleted",
        targetType: "sla_policy",
        targetId: id,
        details: { name: row.name },
      });
    });
  }

  private async checkedPolicy(
    trx: Trx,
    before: PolicyRow | undefined,
    input: PolicyInput,
  ): Promise<Omit<PolicyInsert, "id" | "created_at" | "updated_at">> {
    const name = input.name ?? before?.name;
    if (name === undefined) throw invalid("/name", "is required");
    const calendarId = input.calendarId ?? before?.calendar_id;
    if (calendarId === undefined) throw invalid("/calendarId", "is required");
    if (input.calendarId !== undefined && !(await repo.findCalendar(trx, calendarId))) {
      throw invalid("/calendarId", "no such calendar");
    }
    const first = input.firstResponseMinutes ?? before?.first_response_minutes;
    if (first === undefined) throw invalid("/firstResponseMinutes", "is required");
    const resolution = input.resolutionMinutes ?? before?.resolution_minutes;
    if (resolution === undefined) throw invalid("/resolutionMinutes", "is required");
    const next =
      input.nextResponseMinutes !== undefined
        ? input.nextResponseMinutes
        : (before?.next_response_minutes ?? null);
    let warningPercent =
      input.warningPercent !== undefined ? input.warningPercent : (before?.warning_percent ?? null);
    let warningMinutesBefore =
      input.warningMinutesBefore !== undefined
        ? input.warningMinutesBefore
        : (before?.warning_minutes_before ?? null);
    if (input.warningPercent != null && input.warningMinutesBefore != null) {
      throw invalid("/warningMinutesBefore", "give either warningPercent or warningMinutesBefore, not both");
    }
    // Setting one kind of warning point replaces the other.
    if (input.warningPercent != null) warningMinutesBefore = null;
    if (input.warningMinutesBefore != null) warningPercent = null;
    if (before === undefined && warningPercent === null && warningMinutesBefore === null) warningPercent = 75;
    const shortest = Math.min(first, resolution, next ?? Number.POSITIVE_INFINITY);
    if (warningMinutesBefore !== null && warningMinutesBefore >= shortest) {
      throw invalid("/warningMinutesBefore", `must be less than the shortest target (${shortest} minutes)`);
    }
    const pauseOn = input.pauseOn ?? before?.pause_on ?? DEFAULT_PAUSE_ON;
    const catalogue = await this.cases.catalogue(trx);
    pauseOn.forEach((s, i) => {
      const category = catalogue.get(s);
      if (category === undefined) throw invalid(`/pauseOn/${i}`, `${s} is not a known status`);
      if (category === "resolved")
        throw invalid(`/pauseOn/${i}`, `${s} ends the case; it cannot pause a clock`);
    });
    const warningActions =
      input.warningActions ?? (before?.warning_actions as SlaAction[]) ?? DEFAULT_ACTIONS;
    const breachActions = input.breachActions ?? (before?.breach_actions as SlaAction[]) ?? DEFAULT_ACTIONS;
    await this.checkActions(trx, warningActions, "/warningActions");
    await this.checkActions(trx, breachActions, "/breachActions");
    const appliesWhen = input.appliesWhen ?? (before?.applies_when as AppliesWhen) ?? {};
    return {
      name: requiredText(name, "/name"),
      calendar_id: calendarId,
      position: input.order ?? before?.position ?? 100,
      applies_when: cleanAppliesWhen(appliesWhen),
      first_response_minutes: first,
      next_response_minutes: next,
      resolution_minutes: resolution,
      warning_percent: warningPercent,
      warning_minutes_before: warningMinutesBefore,
      pause_on: [...new Set(pauseOn)],
      warning_actions: warningActions,
      breach_actions: breachActions,
      active: input.active ?? before?.active ?? true,
    };
  }

  private async checkActions(trx: Trx, actions: SlaAction[], path: string): Promise<void> {
    for (const [i, a] of actions.entries()) {
      if (a.type === "reassign") {
        if (!a.teamId && !a.toTeamLead) throw invalid(`${path}/${i}`, "reassign needs teamId or toTeamLead");
        if (a.teamId && !(await repo.teamExists(trx, a.teamId)))
          throw invalid(`${path}/${i}/teamId`, "no such team");
      }
      if (a.type === "addTag" && (a.tag.trim() === "" || a.tag.includes(","))) {
        throw invalid(`${path}/${i}/tag`, "must be a tag without commas");
      }
    }
  }

  private tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return this.cases.tx(work);
  }
}

function requiredText(v: string, path: string): string {
  const t = v.trim();
  if (t === "") throw invalid(path, "must not be blank");
  return t;
}

function checkCalendar(spec: CalendarSpec): CalendarSpec {
  const problems = calendarProblems(spec);
  const first = problems[0];
  if (first) {
    // "No working time" is a rule the calendar breaks, not a malformed field: 422.
    if (first.path === "/hours" && problems.length === 1)
      throw ruleRefused(first.message, { errors: problems });
    throw new AppError("validation", "The calendar is not valid", { errors: problems });
  }
  return { ...spec, holidays: [...new Set(spec.holidays)].sort() };
}

function cleanAppliesWhen(w: AppliesWhen): AppliesWhen {
  const out: AppliesWhen = {};
  if (w.priority?.length) out.priority = [...new Set(w.priority)];
  if (w.accountTier?.length) out.accountTier = [...new Set(w.accountTier)];
  if (w.channel?.length) out.channel = [...new Set(w.channel)];
  if (w.product?.length) out.product = [...new Set(w.product.map((p) => p.trim()).filter((p) => p !== ""))];
  if (w.entitled !== undefined) out.entitled = w.entitled;
  return out;
}
