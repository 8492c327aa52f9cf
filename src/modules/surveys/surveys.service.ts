import { DateTime } from "luxon";
import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
  SYSTEM,
} from "../../platform/auth/actor.ts";
import { sha256 } from "../../platform/auth/secrets.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Config } from "../../platform/config.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { escapeHtml as esc } from "../../platform/html.ts";
import { newId, newSecret } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, oneOf, type Page, toPage } from "../../platform/pagination.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import type { ActivitiesService } from "../activities/activities.service.ts";
import { guarded, parseDate } from "../cases/case-input.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import { categoryOf, type StatusCatalogue } from "../cases/case-status-machine.ts";
import { type CaseRow, casesRepository } from "../cases/cases.repository.ts";
import type { CaseHooks, CasesService } from "../cases/cases.service.ts";
import type { MailService } from "../mail/mail.service.ts";
import { type ALWAYS_OPEN, BusinessCalendar, WEEKDAYS } from "../sla/business-time.ts";
import { slaRepository } from "../sla/sla.repository.ts";
import { businessCalendar } from "../sla/sla-config.service.ts";
import {
  type Figure,
  figure,
  isLowScore,
  SCALE,
  type SurveyType,
  validScore,
  weekOf,
} from "./survey-stats.ts";
import {
  surveysRepository as repo,
  type SettingsRow,
  type SurveyRow,
  type SurveyView,
} from "./surveys.repository.ts";
import type { SurveyTrigger } from "./surveys.tables.ts";

export const CSAT_DUE_TIMER = "survey.csat_due";
export const NPS_SWEEP_TIMER = "survey.nps_sweep";
export const SURVEY_TYPES: readonly SurveyType[] = ["csat", "nps", "ces"];
const DAY_MS = 86_400_000;
const NPS_SWEEP_BATCH = 200;
const MAX_RANGE_DAYS = 731;

/** The fatigue rules, in the order they are checked; a held-back survey records the first that refused. */
export const FATIGUE_RULES = [
  "open_escalation",
  "open_incident",
  "nps_interval",
  "contact_fatigue",
  "account_fatigue",
] as const;
export type FatigueRule = (typeof FATIGUE_RULES)[number];

/**
 * Whether a contact has an open escalation (src/modules/escalations: `hasOpenForContact`).
 * Injected by the composition root so this module does not depend on the portal's code.
 */
export type OpenEscalationCheck = (db: Executor, contactId: string) => Promise<boolean>;

/**
 * Whether an open service incident affects an account (src/modules/incidents: `affectsAccount`).
 * Asking "how did we do?" while the customer's service is down reads as not listening.
 */
export type OpenIncidentCheck = (db: Executor, accountId: string) => Promise<boolean>;

export type SurveySettings = {
  csatEnabled: boolean;
  csatDelayMinutes: number;
  useCes: boolean;
  npsEnabled: boolean;
  npsIntervalDays: number;
  answerWindowDays: number;
  contactFatigueDays: number;
  accountFatigueDays: number;
  updatedAt: string;
};

export type SurveyStatusOut = "sent" | "answered" | "expired" | "held_back";

export type Survey = {
  id: string;
  type: SurveyType;
  status: SurveyStatusOut;
  trigger: SurveyTrigger;
  heldBackRule: string | null;
  contactId: string;
  accountId: string;
  caseId: string | null;
  teamId: string | null;
  resolvedById: string | null;
  score: number | null;
  comment: string | null;
  recoveryTaskId: string | null;
  feedbackItemId: string | null;
  createdAt: string;
  sentAt: string | null;
  expiresAt: string | null;
  answeredAt: string | null;
  contactName: string | null;
  accountName: string | null;
  case: { id: string; number: string; subject: string } | null;
};

export type SurveyQuery = {
  type?: string[] | undefined;
  status?: string[] | undefined;
  contactId?: string | undefined;
  accountId?: string | undefined;
  caseId?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

export type ResultsQuery = {
  from?: string | undefined;
  to?: string | undefined;
  groupBy?: "week" | "team" | "agent" | undefined;
  teamId?: string | undefined;
  agentId?: string | undefined;
};

export type ResultGroup = { key: string; label: string; csat: Figure; nps: Figure; ces: Figure };
export type Results = {
  from: string;
  to: string;
  groupBy: "week" | "team" | "agent";
  totals: { csat: Figure; nps: Figure; ces: Figure };
  groups: ResultGroup[];
  sent: number;
  answered: number;
  heldBack: number;
};

/** What a public answer page shows. */
export type AnswerOutcome =
  | { kind: "answered"; survey: SurveyRow; token: string }
  | { kind: "already"; survey: SurveyRow; token: string }
  | { kind: "expired" }
  | { kind: "unknown" };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Satisfaction surveys: CSAT (or CES) after resolution, NPS on a schedule, manual sends; one
 * single-use tokenised link per score in the email; fatigue rules; results with intervals.
 */
export class SurveysService implements CaseHooks {
  private openEscalation: OpenEscalationCheck | undefined;
  private openIncident: OpenIncidentCheck | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly config: Config,
    private readonly cases: CasesService,
    private readonly activities: ActivitiesService,
    private readonly mail: MailService,
  ) {}

  /** The escalations capability plugs its check in here (see OpenEscalationCheck). */
  setEscalationCheck(check: OpenEscalationCheck | undefined): void {
    this.openEscalation = check;
  }

  /** The incidents capability plugs its check in here (see OpenIncidentCheck). */
  setIncidentCheck(check: OpenIncidentCheck | undefined): void {
    this.openIncident = check;
  }

  registerTimers(): void {
    this.timers.register(CSAT_DUE_TIMER, (t, trx) => this.csatDue(t, trx));
    this.timers.register(NPS_SWEEP_TIMER, (t, trx) => this.npsSweep(t, trx));
  }

  // ---- settings ----

  async settings(actor: Actor): Promise<SurveySettings> {
    requireStaff(actor);
    return presentSettings(await repo.settings(this.db.kysely));
  }

  async updateSettings(
    ctx: RequestCtx,
    input: Partial<Omit<SurveySettings, "updatedAt">>,
  ): Promise<SurveySettings> {
    requireRole(ctx.actor, ["admin"], "change survey settings");
    return this.tx(async (trx) => {
      const row = await repo.updateSettings(trx, {
        ...(input.csatEnabled !== undefined ? { csat_enabled: input.csatEnabled } : {}),
        ...(input.csatDelayMinutes !== undefined ? { csat_delay_minutes: input.csatDelayMinutes } : {}),
        ...(input.useCes !== undefined ? { use_ces: input.useCes } : {}),
        ...(input.npsEnabled !== undefined ? { nps_enabled: input.npsEnabled } : {}),
        ...(input.npsIntervalDays !== undefined ? { nps_interval_days: input.npsIntervalDays } : {}),
        ...(input.answerWindowDays !== undefined ? { answer_window_days: input.answerWindowDays } : {}),
        ...(input.contactFatigueDays !== undefined ? { contact_fatigue_days: input.contactFatigueDays } : {}),
        ...(input.accountFatigueDays !== undefined ? { account_fatigue_days: input.accountFatigueDays } : {}),
        updated_at: this.clock.now(),
      });
      if (input.npsEnabled === true) {
        await this.timers.schedule(trx, {
          kind: NPS_SWEEP_TIMER,
          dueAt: this.clock.now(),
          dedupeKey: NPS_SWEEP_TIMER,
        });
      }
      return presentSettings(row);
    });
  }

  // ---- reads ----

  async get(actor: Actor, id: string): Promise<Survey> {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Survey");
    return this.present(row);
  }

  async list(actor: Actor, query: SurveyQuery): Promise<Page<Survey>> {
    requireStaff(actor);
    const limit = clampLimit(query.limit);
    const type = oneOf(query.type, SURVEY_TYPES, "/type");
    const status = oneOf(query.status, ["sent", "answered", "expired", "held_back"] as const, "/status");
    const cursor = decodeCursor(query.cursor, ["timestamp", "uuid"]);
    const rows = await repo.list(
      this.db.kysely,
      {
        type,
        status,
        contactId: query.contactId,
        accountId: query.accountId,
        caseId: query.caseId,
        now: this.clock.now(),
      },
      cursor ? { createdAt: cursor[0] as string, id: cursor[1] as string } : undefined,
      limit,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.created_at.toISOString(), r.id],
      (r) => this.present(r),
    );
  }

  async results(actor: Actor, query: ResultsQuery): Promise<Results> {
    requireStaff(actor);
    const now = this.clock.now();
    const to = query.to ? parseDate(query.to, "/to") : now;
    const from = query.from ? parseDate(query.from, "/from") : new Date(to.getTime() - 12 * 7 * DAY_MS);
    if (from >= to) throw invalid("/from", "must be before to");
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
      throw invalid("/from", `the range may span at most ${MAX_RANGE_DAYS} days`);
    const groupBy = query.groupBy ?? "week";
    const rows = await repo.answered(
      this.db.kysely,
      { from, to },
      {
        ...(query.teamId ? { teamId: query.teamId } : {}),
        ...(query.agentId ? { agentId: query.agentId } : {}),
      },
    );
    const groups = new Map<string, { label: string; scores: Record<SurveyType, number[]> }>();
    const all: Record<SurveyType, number[]> = { csat: [], nps: [], ces: [] };
    const empty = () => ({ csat: [], nps: [], ces: [] }) as Record<SurveyType, number[]>;
    if (groupBy === "week") {
      // Every week of the range, even without answers, so a trend line has no holes.
      for (let w = new Date(`${weekOf(from)}T00:00:00Z`); w < to; w = new Date(w.getTime() + 7 * DAY_MS)) {
        const key = w.toISOString().slice(0, 10);
        groups.set(key, { label: key, scores: empty() });
      }
    }
    for (const r of rows) {
      if (r.score === null || !r.answered_at) continue;
      all[r.type].push(r.score);
      let key: string;
      let label: string;
      if (groupBy === "week") {
        key = weekOf(r.answered_at);
        label = key;
      } else if (groupBy === "team") {
        key = r.team_id ?? "none";
        label = r.team_name ?? "No team";
      } else {
        key = r.resolved_by_id ?? "none";
        label = r.agent_name ?? "Not attributed";
      }
      let g = groups.get(key);
      if (!g) {
        g = { label, scores: empty() };
        groups.set(key, g);
      }
      g.scores[r.type].push(r.score);
    }
    const counts = await repo.sentCounts(this.db.kysely, { from, to });
    const sum = (pred: (s: string) => boolean) =>
      counts.filter((c) => pred(c.status)).reduce((a, c) => a + Number(c.count), 0);
    const list = [...groups.entries()].map(([key, g]) => ({
      key,
      label: g.label,
      csat: figure("csat", g.scores.csat),
      nps: figure("nps", g.scores.nps),
      ces: figure("ces", g.scores.ces),
    }));
    if (groupBy === "week") list.sort((a, b) => a.key.localeCompare(b.key));
    else list.sort((a, b) => a.label.localeCompare(b.label));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      totals: { csat: figure("csat", all.csat), nps: figure("nps", all.nps), ces: figure("ces", all.ces) },
      groups: list,
      sent: sum((s) => s !== "held_back"),
      answered: sum((s) => s === "answered"),
      heldBack: sum((s) => s === "held_back"),
    };
  }

  // ---- sending ----

  /**
   * A manual send. A survey held back by a fatigue rule is still recorded (status held_back,
   * with the rule's name), and the caller gets a 422 naming the rule.
   */
  async send(
    ctx: RequestCtx,
    input: { type: SurveyType; contactId: string; caseId?: string | undefined },
  ): Promise<Survey> {
    requireRole(ctx.actor, ["admin", "manager", "agent"], "send surveys");
    const result = await this.tx(async (trx) => {
      const contact = await repo.contact(trx, input.contactId);
      if (!contact) throw invalid("/contactId", "no such contact");
      let caseRow: CaseRow | undefined;
      if (input.caseId) {
        caseRow = await casesRepository.findCase(trx, input.caseId);
        if (!caseRow) throw invalid("/caseId", "no such case");
        if (caseRow.contact_id !== contact.id && caseRow.account_id !== contact.account_id)
          throw invalid("/caseId", "is not a case of this contact's account");
      }
      return this.sendIn(trx, {
        type: input.type,
        contactId: contact.id,
        caseRow,
        trigger: "manual",
        createdById: actorId(ctx.actor),
      });
    });
    const survey = await this.get(SYSTEM.actor, result.id);
    if (result.heldBackRule) {
      throw ruleRefused(
        `The survey was held back by the fatigue rule ${result.heldBackRule}: ${ruleText(result.heldBackRule)}`,
        {
          rule: result.heldBackRule,
          surveyId: result.id,
          errors: [{ path: "/contactId", message: `held back by rule ${result.heldBackRule}` }],
        },
      );
    }
    return survey;
  }

  /** Which fatigue rule (if any) holds a survey to this contact back now. */
  async fatigueRule(
    db: Executor,
    settings: SettingsRow,
    type: SurveyType,
    contact: { id: string; account_id: string },
  ): Promise<FatigueRule | null> {
    const now = this.clock.now().getTime();
    if (this.openEscalation && (await this.openEscalation(db, contact.id))) return "open_escalation";
    if (this.openIncident && (await this.openIncident(db, contact.account_id))) return "open_incident";
    if (type === "nps") {
      const since = new Date(now - settings.nps_interval_days * DAY_MS);
      if (await repo.sentSince(db, { contactId: contact.id, type: "nps" }, since)) return "nps_interval";
    }
    if (settings.contact_fatigue_days > 0) {
      const since = new Date(now - settings.contact_fatigue_days * DAY_MS);
      if (await repo.sentSince(db, { contactId: contact.id }, since)) return "contact_fatigue";
    }
    if (settings.account_fatigue_days > 0) {
      const since = new Date(now - settings.account_fatigue_days * DAY_MS);
      if (await repo.sentSince(db, { accountId: contact.account_id }, since)) return "account_fatigue";
    }
    return null;
  }

  private async sendIn(
    trx: Trx,
    input: {
      type: SurveyType;
      contactId: string;
      caseRow: CaseRow | undefined;
      trigger: SurveyTrigger;
      createdById: string | null;
    },
  ): Promise<{ id: string; heldBackRule: FatigueRule | null }> {
    const settings = await repo.settings(trx);
    const contact = await repo.contact(trx, input.contactId);
    if (!contact) throw invalid("/contactId", "no such contact");
    const now = this.clock.now();
    const caseRow = input.caseRow;
    const resolution = caseRow ? await repo.findResolution(trx, caseRow.id) : undefined;
    const teamId = resolution?.team_id ?? caseRow?.team_id ?? null;
    const resolvedById = resolution?.resolved_by_id ?? null;
    const rule = await this.fatigueRule(trx, settings, input.type, contact);
    const id = newId();
    const base = {
      id,
      type: input.type,
      trigger: input.trigger,
      contact_id: contact.id,
      account_id: contact.account_id,
      case_id: caseRow?.id ?? null,
      team_id: teamId,
      resolved_by_id: resolvedById,
      created_by_id: input.createdById,
      created_at: now,
    };
    const eventBase = {
      entityType: "survey",
      entityId: id,
      accountId: contact.account_id,
      actorId: input.createdById,
    };
    const eventData = {
      surveyId: id,
      type: input.type,
      contactId: contact.id,
      caseId: caseRow?.id ?? null,
      resolvedById,
      teamId,
      trigger: input.trigger,
    };
    if (rule) {
      await repo.insert(trx, { ...base, status: "held_back", held_back_rule: rule });
      await this.bus.append(trx, { ...eventBase, type: "survey.held_back", data: { ...eventData, rule } });
      return { id, heldBackRule: rule };
    }
    const token = newSecret(24);
    const expiresAt = new Date(now.getTime() + settings.answer_window_days * DAY_MS);
    await repo.insert(trx, {
      ...base,
      status: "sent",
      held_back_rule: null,
      token_hash: sha256(token),
      sent_at: now,
      expires_at: expiresAt,
    });
    const mail = surveyMail(this.config.publicUrl, token, input.type, {
      contactName: contact.name,
      caseLabel: caseRow ? `${formatCaseNumber(caseRow.number)} "${caseRow.subject}"` : null,
      expiresAt,
    });
    await this.mail.enqueue(trx, {
      to: contact.email,
      toName: contact.name,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { "Auto-Submitted": "auto-generated" },
      purpose: `survey.${input.type}`,
      caseId: caseRow?.id ?? null,
    });
    await this.bus.append(trx, {
      ...eventBase,
      type: "survey.sent",
      data: { ...eventData, expiresAt: expiresAt.toISOString() },
    });
    return { id, heldBackRule: null };
  }

  // ---- answering (public: the link is the secret) ----

  /** One click: records the score once. A second click, an expired or unknown link answer nothing. */
  async answer(token: string, score: number): Promise<AnswerOutcome> {
    if (!token || token.length > 100) return { kind: "unknown" };
    return this.tx(async (trx) => {
      const row = await repo.lockByTokenHash(trx, sha256(token));
      if (!row || row.status === "held_back") return { kind: "unknown" };
      if (row.status === "answered") return { kind: "already", survey: row, token };
      const now = this.clock.now();
      if (row.expires_at && row.expires_at <= now) return { kind: "expired" };
      if (!validScore(row.type, score)) {
        const { min, max } = SCALE[row.type];
        throw invalid("/score", `must be a whole number from ${min} to ${max}`);
      }
      let recoveryTaskId: string | null = null;
      if (isLowScore(row.type, score)) recoveryTaskId = await this.recoveryTask(trx, row, score);
      await repo.update(trx, row.id, {
        status: "answered",
        score,
        answered_at: now,
        recovery_task_id: recoveryTaskId,
      });
      await this.bus.append(trx, {
        type: "survey.answered",
        entityType: "survey",
        entityId: row.id,
        accountId: row.account_id,
        data: {
          surveyId: row.id,
          type: row.type,
          score,
          contactId: row.contact_id,
          caseId: row.case_id,
          resolvedById: row.resolved_by_id,
          teamId: row.team_id,
          low: isLowScore(row.type, score),
          recoveryTaskId,
        },
      });
      return { kind: "answered", survey: { ...row, status: "answered", score, answered_at: now }, token };
    });
  }

  /** The comment after the score: once, with the same token, while the answer window lasts. */
  async comment(
    token: string,
    text: string,
  ): Promise<"saved" | "already" | "not_answered" | "expired" | "unknown"> {
    const comment = text.trim();
    if (comment === "") throw invalid("/comment", "must not be blank");
    if (comment.length > 5000) throw invalid("/comment", "at most 5000 characters");
    if (!token || token.length > 100) return "unknown";
    return this.tx(async (trx) => {
      const row = await repo.lockByTokenHash(trx, sha256(token));
      if (!row || row.status === "held_back") return "unknown";
      if (row.status !== "answered") return "not_answered";
      if (row.commented_at) return "already";
      const now = this.clock.now();
      if (row.expires_at && row.expires_at <= now) return "expired";
      await repo.update(trx, row.id, { comment, commented_at: now });
      await this.bus.append(trx, {
        type: "survey.commented",
        entityType: "survey",
        entityId: row.id,
        accountId: row.account_id,
        data: {
          surveyId: row.id,
          type: row.type,
          score: row.score,
          comment,
          contactId: row.contact_id,
          caseId: row.case_id,
          resolvedById: row.resolved_by_id,
          teamId: row.team_id,
        },
      });
      return "saved";
    });
  }

  /** Links a feedback item made from this survey's comment (the feedback capability calls it). */
  async linkFeedback(trx: Trx, surveyId: string, itemId: string): Promise<void> {
    await repo.update(trx, surveyId, { feedback_item_id: itemId });
  }

  async findForFeedback(db: Executor, surveyId: string) {
    return repo.find(db, surveyId);
  }

  /**
   * A low score: a task for the case's owner (else the account's owner, else whoever resolved
   * it), due at the end of the same business day.
   */
  private async recoveryTask(trx: Trx, row: SurveyRow, score: number): Promise<string | null> {
    const caseRow = row.case_id ? await casesRepository.findCase(trx, row.case_id) : undefined;
    const contact = await repo.contact(trx, row.contact_id);
    const ownerId = caseRow?.owner_id ?? contact?.account_owner_id ?? row.resolved_by_id;
    if (!ownerId) return null;
    const dueAt = await this.endOfBusinessDay(trx, this.clock.now());
    const what = row.type.toUpperCase();
    const about = caseRow ? ` on ${formatCaseNumber(caseRow.number)}` : "";
    try {
      const task = await this.activities.createIn(trx, SYSTEM, {
        type: "task",
        subject: `Recover: ${contact?.name ?? "a customer"} gave ${what} ${score}${about}`,
        notes: `A low ${what} score (${score}). Call the customer today, find out what went wrong, and put it right.`,
        ownerId,
        ...(caseRow ? { caseId: caseRow.id } : { contactId: row.contact_id }),
        dueAt: dueAt.toISOString(),
        reminderMinutes: null,
      });
      return task.id;
    } catch (e) {
      // An inactive owner: the answer still counts; nobody to give the task to.
      if (e instanceof AppError && e.code === "validation") return null;
      throw e;
    }
  }

  /** The end of the business day (the first calendar by name; Mon–Fri 09:00–17:00 UTC without one). */
  async endOfBusinessDay(db: Executor, at: Date): Promise<Date> {
    const [first] = await slaRepository.listCalendars(db, undefined, 1);
    const cal = first ? businessCalendar(first) : DEFAULT_CALENDAR;
    return endOfBusinessDay(cal, at);
  }

  // ---- automatic sends ----

  /** Records who resolved a case, and plans (or cancels) its CSAT. Runs in the case's transaction. */
  async afterChange(
    trx: Trx,
    ctx: RequestCtx,
    before: CaseRow,
    after: CaseRow,
    fields: string[],
    catalogue: StatusCatalogue,
  ): Promise<void> {
    const key = csatKey(after.id);
    if (after.merged_into_id && !before.merged_into_id) {
      await this.timers.cancel(trx, key);
      return;
    }
    if (!fields.includes("status")) return;
    const from = categoryOf(before.status, catalogue);
    const into = categoryOf(after.status, catalogue);
    if (from !== "resolved" && into === "resolved") {
      const now = this.clock.now();
      await repo.upsertResolution(trx, {
        case_id: after.id,
        resolved_by_id: ctx.actor.kind === "user" ? ctx.actor.id : after.owner_id,
        owner_id: after.owner_id,
        team_id: after.team_id,
        resolved_at: now,
      });
      const settings = await repo.settings(trx);
      if (!settings.csat_enabled || !after.contact_id || after.merged_into_id || isSpam(after)) {
        await this.timers.cancel(trx, key);
        return;
      }
      await this.timers.schedule(trx, {
        kind: CSAT_DUE_TIMER,
        dueAt: new Date(now.getTime() + settings.csat_delay_minutes * 60_000),
        payload: { caseId: after.id },
        dedupeKey: key,
      });
    } else if (from === "resolved" && into !== "resolved") {
      await this.timers.cancel(trx, key);
    } else if (into === "resolved" && isSpam(after)) {
      // Resolved, then closed as spam before the survey went out.
      await this.timers.cancel(trx, key);
    }
  }

  private async csatDue(timer: DueTimer, trx: Trx): Promise<void> {
    const caseId = String(timer.payload.caseId ?? "");
    const row = await casesRepository.findCase(trx, caseId);
    if (!row?.contact_id || row.merged_into_id || isSpam(row)) return;
    const catalogue = await this.cases.catalogue(trx);
    // Reopened since: no survey (a later resolution plans a new one).
    if (categoryOf(row.status, catalogue) !== "resolved") return;
    const settings = await repo.settings(trx);
    if (!settings.csat_enabled) return;
    await this.sendIn(trx, {
      type: settings.use_ces ? "ces" : "csat",
      contactId: row.contact_id,
      caseRow: row,
      trigger: "resolution",
      createdById: null,
    });
  }

  private async npsSweep(timer: DueTimer, trx: Trx): Promise<void> {
    const now = this.clock.now();
    const settings = await repo.settings(trx);
    if (settings.nps_enabled) {
      const due = await repo.npsCandidates(
        trx,
        new Date(now.getTime() - settings.nps_interval_days * DAY_MS),
        new Date(now.getTime() - 7 * DAY_MS),
        NPS_SWEEP_BATCH,
      );
      for (const c of due) {
        await this.sendIn(trx, {
          type: "nps",
          contactId: c.id,
          caseRow: undefined,
          trigger: "schedule",
          createdById: null,
        });
      }
      // A full batch: more are waiting; come back soon rather than tomorrow.
      const next = due.length === NPS_SWEEP_BATCH ? 60_000 : DAY_MS;
      await this.timers.schedule(trx, {
        kind: NPS_SWEEP_TIMER,
        dueAt: new Date(Math.max(now.getTime(), timer.dueAt.getTime()) + next),
        dedupeKey: NPS_SWEEP_TIMER,
      });
    }
    // Off: the timer ends here; turning NPS on schedules it again.
  }

  // ---- presenting ----

  private present(r: SurveyView): Survey {
    const now = this.clock.now();
    const status: SurveyStatusOut =
      r.status === "sent" && r.expires_at && r.expires_at <= now ? "expired" : r.status;
    return {
      id: r.id,
      type: r.type,
      status,
      trigger: r.trigger,
      heldBackRule: r.held_back_rule,
      contactId: r.contact_id,
      accountId: r.account_id,
      caseId: r.case_id,
      teamId: r.team_id,
      resolvedById: r.resolved_by_id,
      score: r.score,
      comment: r.comment,
      recoveryTaskId: r.recovery_task_id,
      feedbackItemId: r.feedback_item_id,
      createdAt: r.created_at.toISOString(),
      sentAt: iso(r.sent_at),
      expiresAt: iso(r.expires_at),
      answeredAt: iso(r.answered_at),
      contactName: r.contact_name,
      accountName: r.account_name,
      case:
        r.case_id && r.case_number !== null
          ? { id: r.case_id, number: formatCaseNumber(r.case_number), subject: r.case_subject ?? "" }
          : null,
    };
  }

  private async tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }
}

const csatKey = (caseId: string) => `survey.csat:${caseId}`;

/** Closed as spam: a status named spam (a custom resolved status) or the tag spam. */
export function isSpam(row: { status: string; tags: string[] }): boolean {
  return row.status === "spam" || row.tags.some((t) => t.toLowerCase() === "spam");
}

const DEFAULT_CALENDAR = new BusinessCalendar({
  timeZone: "UTC",
  hours: Object.fromEntries(
    WEEKDAYS.map((d) => [d, d === "sat" || d === "sun" ? [] : [["09:00", "17:00"]]]),
  ) as unknown as typeof ALWAYS_OPEN,
  holidays: [],
});

/**
 * The end of the business day `at` falls in; outside working time, the end of the next working
 * day. The last instant of the day's last working interval.
 */
export function endOfBusinessDay(cal: BusinessCalendar, at: Date): Date {
  const start = cal.isOpen(at) ? at : cal.nextOpening(at);
  const day = DateTime.fromJSDate(start, { zone: cal.timeZone }).startOf("day");
  const midnight = day.plus({ days: 1 }).toJSDate();
  const minutes = cal.minutesBetween(start, midnight);
  return cal.addMinutes(start, minutes);
}

function ruleText(rule: FatigueRule): string {
  switch (rule) {
    case "open_escalation":
      return "the contact has an open escalation";
    case "open_incident":
      return "the contact's account is affected by an open service incident";
    case "nps_interval":
      return "the contact had a relationship (NPS) survey within the NPS interval";
    case "contact_fatigue":
      return "the contact had a survey within the contact fatigue period";
    case "account_fatigue":
      return "someone at the account had a survey within the account fatigue period";
  }
}

function presentSettings(r: SettingsRow): SurveySettings {
  return {
    csatEnabled: r.csat_enabled,
    csatDelayMinutes: r.csat_delay_minutes,
    useCes: r.use_ces,
    npsEnabled: r.nps_enabled,
    npsIntervalDays: r.nps_interval_days,
    answerWindowDays: r.answer_window_days,
    contactFatigueDays: r.contact_fatigue_days,
    accountFatigueDays: r.account_fatigue_days,
    updatedAt: r.updated_at.toISOString(),
  };
}

// ---- the email ----

export const QUESTIONS: Record<
  SurveyType,
  { question: (about: string | null) => string; low: string; high: string }
> = {
  csat: {
    question: (about) => `How satisfied are you with how we handled ${about ?? "your request"}?`,
    low: "very dissatisfied",
    high: "very satisfied",
  },
  nps: {
    question: () => "How likely are you to recommend us to a friend or colleague?",
    low: "not at all likely",
    high: "extremely likely",
  },
  ces: {
    question: (about) => `We made it easy for you to handle ${about ?? "your request"}. Do you agree?`,
    low: "strongly disagree",
    high: "strongly agree",
  },
};

export function answerUrl(publicUrl: string, token: string, score: number): string {
  return `${publicUrl}/s/${token}?score=${score}`;
}

function surveyMail(
  publicUrl: string,
  token: string,
  type: SurveyType,
  ctx: { contactName: string; caseLabel: string | null; expiresAt: Date },
) {
  const q = QUESTIONS[type];
  const { min, max } = SCALE[type];
  const scores = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const question = q.question(ctx.caseLabel);
  const until = ctx.expiresAt.toISOString().slice(0, 10);
  const subject =
    type === "nps"
      ? "How likely are you to recommend us?"
      : ctx.caseLabel
        ? `How did we do with ${ctx.caseLabel}?`
        : "How did we do?";
  const text = [
    `Hello ${ctx.contactName},`,
    "",
    question,
    `One click answers (${min} = ${q.low}, ${max} = ${q.high}):`,
    "",
    ...scores.map((s) => `${s}: ${answerUrl(publicUrl, token, s)}`),
    "",
    `The links work once, until ${until}. Thank you for your time.`,
  ].join("\n");
  const html = `<p>Hello ${esc(ctx.contactName)},</p>
<p>${esc(question)}</p>
<p>${scores
    .map(
      (s) =>
        `<a href="${esc(answerUrl(publicUrl, token, s))}" style="display:inline-block;min-width:28px;padding:8px;margin:2px;border:1px solid #888;border-radius:4px;text-align:center;text-decoration:none">${s}</a>`,
    )
    .join(" ")}</p>
<p style="color:#555">${min} = ${esc(q.low)}, ${max} = ${esc(q.high)}. The links work once, until ${until}.</p>`;
  return { subject, text, html };
}
