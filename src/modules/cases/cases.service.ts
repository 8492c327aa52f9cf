import { type Actor, actorId, type RequestCtx, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { assertVisible, requireCaseWorker, requireStaffOr404 } from "./case-access.ts";
import {
  type CaseHistoryEntry,
  diffCase,
  type HistoryChange,
  presentHistory,
  writeHistory,
} from "./case-history.ts";
import { assertText, guarded, parseDate } from "./case-input.ts";
import { caseNumberInQuery, formatCaseNumber } from "./case-number.ts";
import {
  BUILTIN_CATALOGUE,
  categoryOf,
  classifyTransition,
  type StatusCatalogue,
  withinReopenWindow,
} from "./case-status-machine.ts";
import {
  type CaseRow,
  type CaseSort,
  casesRepository as repo,
  SORT_KEYS,
  sortValues,
} from "./cases.repository.ts";
import type { Channel, Priority, StatusCategory } from "./cases.tables.ts";

export const PRIORITIES: readonly Priority[] = ["low", "normal", "high", "urgent"];
export const CHANNELS: readonly Channel[] = ["email", "portal", "phone", "web", "api"];
export const STATUS_CATEGORIES: readonly StatusCategory[] = ["open", "paused", "resolved"];
export const DEFAULT_REOPEN_WINDOW_DAYS = 14;
export const REOPEN_WINDOW_SETTING = "reopen_window_days";
/** Clocks of mail servers and phones drift; a receivedAt a little ahead of ours is not an error. */
const RECEIVED_AT_SKEW_MS = 5 * 60_000;

export type SlaClock = {
  kpi: "firstResponse" | "nextResponse" | "resolution";
  dueAt: string;
  warningAt: string | null;
  status: "running" | "paused" | "warning" | "met" | "breached";
  targetMinutes: number;
  startedAt: string;
  metAt: string | null;
  breachedAt: string | null;
  pausedAt: string | null;
  /** Business minutes left (negative once overdue); frozen while paused, null once met. */
  remainingMinutes: number | null;
};

export type Case = {
  id: string;
  number: string;
  subject: string;
  description: string | null;
  status: string;
  statusCategory: StatusCategory;
  priority: Priority;
  channel: Channel;
  product: string | null;
  category: string | null;
  accountId: string | null;
  contactId: string | null;
  ownerId: string | null;
  teamId: string | null;
  queueId: string | null;
  tags: string[];
  receivedAt: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  parentId: string | null;
  mergedIntoId: string | null;
  relatedCaseId: string | null;
  /** The SLA clocks now running or finished (filled by the SLA capability's hook). */
  sla: SlaClock[];
  /** The entitlement the case counts against (filled by the entitlements hook). */
  entitlementId: string | null;
  /** How routing placed the case (filled by the routing hook). */
  routing: { ruleId: string | null; explanation: string } | null;
  /** The SLA policy that applies and why (SLA hook). */
  slaPolicy?: { id: string; name: string; reason: string } | null;
  /** When the soonest running clock falls due: what the queue counts down to. */
  slaDueAt?: string | null;
  /** The entitlement with what is left of it, and why it is flagged (entitlements hook). */
  entitlement?: EntitlementSummary | null;
};

export type EntitlementSummary = {
  id: string;
  name: string;
  unit: "cases" | "hours";
  total: number;
  remaining: number;
  endsOn: string;
  /** Set when the case came in against an exhausted or expired entitlement. */
  flag: "exhausted" | "expired" | null;
};

/**
 * What other capabilities (SLAs, entitlements, routing) add to a case. They run inside the
 * case's own transaction, so a case never exists without its clocks, and a refusal (an
 * exhausted entitlement) rolls the whole creation back.
 */
/** A case about to be inserted. */
export type CaseDraft = Omit<
  CaseRow,
  "number" | "priority_rank" | "reopen_count" | "sla_due_at" | "sla_state"
>;

export interface CaseHooks {
  /**
   * Before the row is written (routing): may change the draft's placement. `given` tells which
   * of priority, owner, team and queue the caller set explicitly.
   */
  beforeInsert?(
    trx: Trx,
    ctx: RequestCtx,
    draft: CaseDraft,
    given: { priority: boolean; ownerId: boolean; teamId: boolean; queueId: boolean },
  ): Promise<CaseDraft>;
  /** After the case row, its history and `case.created` are written; may return the row changed. */
  afterCreate?(
    trx: Trx,
    ctx: RequestCtx,
    row: CaseRow,
    catalogue: StatusCatalogue,
  ): Promise<CaseRow | undefined>;
  /** After a change that changed something (`fields` are history field names, e.g. status, priority). */
  afterChange?(
    trx: Trx,
    ctx: RequestCtx,
    before: CaseRow,
    after: CaseRow,
    fields: string[],
    catalogue: StatusCatalogue,
  ): Promise<void>;
  /** After a message is stored on the case (and any status move it caused is committed). */
  afterMessage?(trx: Trx, ctx: RequestCtx, row: CaseRow, message: CaseMessageFact): Promise<void>;
  /** Fills the parts of the case this capability owns, for a batch of cases being answered. */
  decorate?(db: Executor, cases: Case[], actor: Actor): Promise<void>;
}

export type CaseMessageFact = {
  id: string;
  kind: "reply" | "note" | "customer";
  createdAt: Date;
  /** The staff user who wrote it; null for customers and automatic messages. */
  authorId: string | null;
};

export type CaseSummary = { id: string; number: string; subject: string; status: string };

export type CreateCase = {
  subject: string;
  description?: string | null | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  product?: string | undefined;
  category?: string | undefined;
  priority?: Priority | undefined;
  channel?: Channel | undefined;
  ownerId?: string | undefined;
  teamId?: string | undefined;
  queueId?: string | undefined;
  tags?: string[] | undefined;
  receivedAt?: string | undefined;
  parentId?: string | undefined;
};

export type UpdateCase = {
  subject?: string | undefined;
  description?: string | null | undefined;
  accountId?: string | null | undefined;
  contactId?: string | null | undefined;
  product?: string | null | undefined;
  category?: string | null | undefined;
  priority?: Priority | undefined;
  channel?: Channel | undefined;
  status?: string | undefined;
  ownerId?: string | null | undefined;
  teamId?: string | null | undefined;
  queueId?: string | null | undefined;
  /** Replaces the tags; `addTags` / `removeTags` change them one by one. */
  tags?: string[] | undefined;
  addTags?: string[] | undefined;
  removeTags?: string[] | undefined;
  receivedAt?: string | undefined;
  parentId?: string | null | undefined;
  /** When resolving a parent with open children: true resolves them too, false only the parent. */
  resolveChildren?: boolean | undefined;
};

export type CaseQuery = {
  status?: string[] | undefined;
  statusCategory?: string[] | undefined;
  queueId?: string | undefined;
  teamId?: string | undefined;
  /** A user id, or `me`. */
  ownerId?: string | undefined;
  unassigned?: boolean | undefined;
  priority?: string[] | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  tag?: string[] | undefined;
  parentId?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  updatedFrom?: string | undefined;
  updatedTo?: string | undefined;
  q?: string | undefined;
  /** The case's overall SLA state: running, warning, breached, paused, met. */
  slaState?: string[] | undefined;
  /** Minutes: a running clock falls due within this many minutes from now. */
  slaDueWithin?: number | undefined;
  sort?: CaseSort | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentCase(r: CaseRow, catalogue: StatusCatalogue, actor: Actor): Case {
  return {
    id: r.id,
    number: formatCaseNumber(r.number),
    subject: r.subject,
    description: r.description,
    status: r.status,
    statusCategory: catalogue.get(r.status) ?? "open",
    priority: r.priority,
    channel: r.channel,
    product: r.product,
    category: r.category,
    accountId: r.account_id,
    contactId: r.contact_id,
    ownerId: r.owner_id,
    teamId: r.team_id,
    queueId: r.queue_id,
    // Tags are the team's own labels ("angry", "vip"): not for the customer's eyes.
    tags: actor.kind === "contact" ? [] : r.tags,
    receivedAt: r.received_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    reopenCount: r.reopen_count,
    parentId: r.parent_id,
    mergedIntoId: r.merged_into_id,
    relatedCaseId: r.related_case_id,
    sla: [],
    slaPolicy: null,
    slaDueAt: null,
    entitlementId: null,
    entitlement: null,
    routing: null,
  };
}

export function summarise(r: CaseRow): CaseSummary {
  return { id: r.id, number: formatCaseNumber(r.number), subject: r.subject, status: r.status };
}

/** Tags are compared and stored trimmed and in lower case, each once. */
export function normaliseTags(tags: string[], path: string): string[] {
  const out: string[] = [];
  tags.forEach((t, i) => {
    const tag = t.trim().toLowerCase();
    if (tag === "") throw invalid(`${path}/${i}`, "must not be blank");
    assertText(tag, `${path}/${i}`);
    if (tag.includes(",")) throw invalid(`${path}/${i}`, "must not contain a comma");
    if (!out.includes(tag)) out.push(tag);
  });
  return out;
}

const MAX_TAGS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function optionalText(v: string | null | undefined, path: string): string | null {
  if (v === undefined || v === null) return null;
  assertText(v, path);
  const t = v.trim();
  return t === "" ? null : t;
}

function required(v: string, path: string): string {
  assertText(v, path);
  const t = v.trim();
  if (t === "") throw invalid(path, "must not be blank");
  return t;
}

/** A comma-separated or repeated query value, each item checked against `allowed`. */
function listParam<T extends string>(
  values: string[] | undefined,
  path: string,
  allowed: (v: string) => boolean,
  what: string,
): T[] | undefined {
  if (!values) return undefined;
  const items = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  for (const v of items) if (!allowed(v)) throw invalid(path, `${v} is not ${what}`);
  return items.length > 0 ? (items as T[]) : undefined;
}

function dateParam(v: string | undefined, path: string): Date | undefined {
  return v === undefined ? undefined : parseDate(v, path);
}

export function illegalTransition(from: string, to: string, allowed: string[]): AppError {
  const list = allowed.length > 0 ? allowed.join(", ") : "none";
  return ruleRefused(`A case cannot move from ${from} to ${to}. Allowed from ${from}: ${list}`, {
    from,
    to,
    allowed,
  });
}

function mergedRefusal(row: CaseRow): AppError {
  return ruleRefused(
    `${formatCaseNumber(row.number)} was merged into another case and can no longer change; work on that case`,
    { mergedIntoId: row.merged_into_id },
  );
}

/**
 * Cases: the rules of creating, changing, reopening, relating and merging them. Every change
 * writes its history rows and domain events in the same transaction as the change.
 */
export class CasesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
  ) {}

  private readonly hooks: CaseHooks[] = [];

  /** Other capabilities plug in here (composition root); hooks run in the order added. */
  addHooks(hooks: CaseHooks): void {
    this.hooks.push(hooks);
  }

  // ---- reads ----

  async get(actor: Actor, id: string): Promise<Case> {
    const row = assertVisible(actor, await repo.findCase(this.db.kysely, id));
    return this.present(this.db.kysely, row, await this.catalogue(this.db.kysely), actor);
  }

  /** Reads a case row (for other capabilities' timer and event handlers). */
  async findRow(db: Executor, id: string): Promise<CaseRow | undefined> {
    return repo.findCase(db, id);
  }

  /** Reads a case row by its number (inbound email: `[CS-000123]` in a subject). */
  async findRowByNumber(db: Executor, number: number): Promise<CaseRow | undefined> {
    return repo.findCaseByNumber(db, number);
  }

  /** Locks a case row (for other capabilities' timer and event handlers). */
  async lockRow(trx: Trx, id: string): Promise<CaseRow | undefined> {
    return repo.findCaseForUpdate(trx, id);
  }

  /**
   * The SLA capability keeps the soonest due time and overall clock state on the case so
   * queues sort and filter by it. Not a change of the case: no history, no updated_at.
   */
  async setSlaSummary(
    trx: Trx,
    id: string,
    summary: { dueAt: Date | null; state: CaseRow["sla_state"] },
  ): Promise<void> {
    await repo.setSlaSummary(trx, id, summary);
  }

  /** Writes history lines on a case for another capability ("SLA policy changed …"). */
  async recordHistory(trx: Trx, ctx: RequestCtx, id: string, changes: HistoryChange[]): Promise<void> {
    await writeHistory(trx, ctx.actor, id, this.clock.now(), changes);
  }

  /** A case as answered: the row plus what the hooks add. */
  async present(db: Executor, row: CaseRow, catalogue: StatusCatalogue, actor: Actor): Promise<Case> {
    const c = presentCase(row, catalogue, actor);
    await this.decorate(db, [c], actor);
    return c;
  }

  async decorate(db: Executor, cases: Case[], actor: Actor): Promise<void> {
    if (cases.length === 0) return;
    for (const h of this.hooks) await h.decorate?.(db, cases, actor);
  }

  /** Runs the message hooks; the messages service calls it inside its transaction. */
  async messageAdded(trx: Trx, ctx: RequestCtx, row: CaseRow, message: CaseMessageFact): Promise<void> {
    for (const h of this.hooks) await h.afterMessage?.(trx, ctx, row, message);
  }

  async list(actor: Actor, query: CaseQuery): Promise<Page<Case>> {
    const db = this.db.kysely;
    const catalogue = await this.catalogue(db);
    const limit = clampLimit(query.limit);
    const sort = query.sort ?? "-updatedAt";
    const after = this.decodeListCursor(query.cursor, sort);
    if (query.ownerId !== undefined && query.unassigned) {
      throw invalid("/unassigned", "cannot be combined with ownerId");
    }
    let ownerId = query.ownerId;
    if (ownerId === "me") {
      if (actor.kind !== "user") throw invalid("/ownerId", "`me` needs a signed-in staff user");
      ownerId = actor.id;
    }
    assertText(query.q, "/q");
    const q = query.q?.trim() || undefined;
    const rows = await repo.listCases(db, {
      onlyAccountId: actor.kind === "contact" ? actor.accountId : undefined,
      statuses: listParam(query.status, "/status", (v) => catalogue.has(v), "a known status"),
      statusCategories: listParam<StatusCategory>(
        query.statusCategory,
        "/statusCategory",
        (v) => (STATUS_CATEGORIES as readonly string[]).includes(v),
        "one of open, paused, resolved",
      ),
      priorities: listParam<Priority>(
        query.priority,
        "/priority",
        (v) => (PRIORITIES as readonly string[]).includes(v),
        "one of low, normal, high, urgent",
      ),
      queueId: query.queueId,
      teamId: query.teamId,
      ownerId,
      unassigned: query.unassigned,
      accountId: query.accountId,
      contactId: query.contactId,
      parentId: query.parentId,
      tags: query.tag
        ? normaliseTags(
            query.tag.flatMap((t) => t.split(",")).filter((t) => t.trim()),
            "/tag",
          )
        : undefined,
      createdFrom: dateParam(query.createdFrom, "/createdFrom"),
      createdTo: dateParam(query.createdTo, "/createdTo"),
      updatedFrom: dateParam(query.updatedFrom, "/updatedFrom"),
      updatedTo: dateParam(query.updatedTo, "/updatedTo"),
      q,
      number: q ? caseNumberInQuery(q) : undefined,
      searchNotes: actor.kind !== "contact",
      slaStates: listParam(
        query.slaState,
        "/slaState",
        (v) => ["running", "warning", "breached", "paused", "met"].includes(v),
        "one of running, warning, breached, paused, met",
      ),
      slaDueBefore:
        query.slaDueWithin === undefined
          ? undefined
          : new Date(this.clock.now().getTime() + query.slaDueWithin * 60_000),
      sort,
      after,
      limit,
    });
    const page = toPage(
      rows,
      limit,
      (r) => [sort, ...sortValues(r, sort)],
      (r) => presentCase(r, catalogue, actor),
    );
    await this.decorate(db, page.items, actor);
    return page;
  }

  /** `GET /cases/{id}/children`: the child cases, oldest first. */
  async children(
    actor: Actor,
    id: string,
    query: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Page<Case>> {
    assertVisible(actor, await repo.findCase(this.db.kysely, id));
    return this.list(actor, { parentId: id, sort: "createdAt", limit: query.limit, cursor: query.cursor });
  }

  async history(
    actor: Actor,
    id: string,
    query: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Page<CaseHistoryEntry>> {
    requireStaffOr404(actor);
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, 1);
    const afterSeq = after?.[0];
    if (after && (typeof afterSeq !== "number" || !Number.isSafeInteger(afterSeq))) {
      throw invalid("/cursor", "not a cursor this list issued");
    }
    assertVisible(actor, await repo.findCase(this.db.kysely, id));
    const rows = await repo.listHistory(this.db.kysely, id, afterSeq as number | undefined, limit);
    return toPage(rows, limit, (r) => [r.seq], presentHistory);
  }

  // ---- commands ----

  async create(ctx: RequestCtx, input: CreateCase): Promise<Case> {
    const actor = ctx.actor;
    let fields = input;
    if (actor.kind === "contact") {
      // The portal raises cases for the signed-in contact's own account; triage is staff work.
      const staffOnly = [
        "ownerId",
        "teamId",
        "queueId",
        "tags",
        "parentId",
        "channel",
        "receivedAt",
      ] as const;
      for (const k of staffOnly) {
        if (input[k] !== undefined) throw new AppError("forbidden", `Portal contacts may not set ${k}`);
      }
      if (input.accountId !== undefined && input.accountId !== actor.accountId) throw notFound("Account");
      if (input.contactId !== undefined && input.contactId !== actor.id) throw notFound("Contact");
      fields = { ...input, accountId: actor.accountId, contactId: actor.id, channel: "portal" };
    } else {
      requireCaseWorker(actor, "create cases");
    }
    return this.tx(async (trx) => {
      const catalogue = await this.catalogue(trx);
      const row = await this.insertCase(trx, ctx, fields, { status: "new" });
      return this.present(trx, row, catalogue, actor);
    });
  }

  /**
   * Changes fields and status. Returns `created: true` when reopening a case past the reopen
   * window opened a follow-up case instead (the follow-up is the case returned).
   */
  async update(ctx: RequestCtx, id: string, input: UpdateCase): Promise<{ case: Case; created: boolean }> {
    const actor = ctx.actor;
    return this.tx(async (trx) => {
      const before = assertVisible(actor, await repo.findCaseForUpdate(trx, id));
      requireCaseWorker(actor, "change cases");
      if (before.merged_into_id) throw mergedRefusal(before);
      const catalogue = await this.catalogue(trx);
      const set = await this.fieldChanges(trx, before, input);
      if (input.status !== undefined && input.status !== before.status) {
        const to = input.status;
        if (!catalogue.has(to))
          throw invalid("/status", `is not a known status (${[...catalogue.keys()].join(", ")})`);
        const t = classifyTransition(before.status, to, catalogue);
        if (t.kind === "illegal") throw illegalTransition(before.status, to, t.allowed);
        if (t.kind === "reopen" && !(await this.mayReopenInPlace(trx, before))) {
          const followUp = await this.openFollowUp(trx, ctx, before, to, set);
          return { case: await this.present(trx, followUp, catalogue, actor), created: true };
        }
        if (t.kind === "move" && categoryOf(to, catalogue) === "resolved") {
          await this.resolveChildrenFirst(trx, ctx, before, to, catalogue, input.resolveChildren);
        }
        Object.assign(set, this.statusSet(before, to, catalogue));
      }
      const after = await this.commit(trx, ctx, before, set, catalogue);
      return { case: await this.present(trx, after, catalogue, actor), created: false };
    });
  }

  /**
   * `POST /cases/{id}/reopen`: back to work within the reopen window (reopenCount + 1), or a
   * follow-up case linked to this one outside it.
   */
  async reopen(
    ctx: RequestCtx,
    id: string,
    input: { status?: string | undefined } = {},
  ): Promise<{ case: Case; reopened: boolean }> {
    const actor = ctx.actor;
    return this.tx(async (trx) => {
      const before = assertVisible(actor, await repo.findCaseForUpdate(trx, id));
      requireCaseWorker(actor, "reopen cases");
      if (before.merged_into_id) throw mergedRefusal(before);
      const catalogue = await this.catalogue(trx);
      const to = input.status ?? "open";
      if (!catalogue.has(to)) throw invalid("/status", "is not a known status");
      if (categoryOf(before.status, catalogue) !== "resolved") {
        throw ruleRefused(
          `${formatCaseNumber(before.number)} is ${before.status}: only resolved or closed cases reopen`,
          {
            allowed: [],
          },
        );
      }
      const t = classifyTransition(before.status, to, catalogue);
      if (t.kind !== "reopen") {
        const allowed = t.kind === "illegal" ? t.allowed : [];
        throw illegalTransition(
          before.status,
          to,
          allowed.filter((s) => categoryOf(s, catalogue) !== "resolved"),
        );
      }
      if (!(await this.mayReopenInPlace(trx, before))) {
        const followUp = await this.openFollowUp(trx, ctx, before, to, {});
        return { case: await this.present(trx, followUp, catalogue, actor), reopened: false };
      }
      const after = await this.commit(trx, ctx, before, this.statusSet(before, to, catalogue), catalogue);
      return { case: await this.present(trx, after, catalogue, actor), reopened: true };
    });
  }

  /**
   * Merges a duplicate into the case that survives: its messages and attachments move over,
   * its children become the survivor's, and it is closed pointing at the survivor.
   */
  async merge(ctx: RequestCtx, id: string, intoId: string): Promise<{ merged: Case; into: Case }> {
    const actor = ctx.actor;
    return this.tx(async (trx) => {
      const rows = await repo.lockCases(trx, id === intoId ? [id] : [id, intoId]);
      const source = assertVisible(
        actor,
        rows.find((r) => r.id === id),
      );
      requireCaseWorker(actor, "merge cases");
      if (id === intoId) throw ruleRefused("A case cannot be merged into itself");
      const target = rows.find((r) => r.id === intoId);
      if (!target) throw invalid("/intoId", "no such case");
      const s = formatCaseNumber(source.number);
      const t = formatCaseNumber(target.number);
      if (source.merged_into_id) throw ruleRefused(`${s} is already merged into another case`);
      if (target.merged_into_id) {
        throw ruleRefused(`${t} was itself merged into another case; merge into that one`, {
          mergedIntoId: target.merged_into_id,
        });
      }
      if (target.status === "closed")
        throw ruleRefused(`${t} is closed; reopen it first or merge the other way round`);
      if (source.account_id && target.account_id && source.account_id !== target.account_id) {
        throw ruleRefused(`${s} and ${t} belong to different accounts`);
      }
      await repo.lockHierarchy(trx);
      const targetAncestors = await repo.ancestorIds(trx, target.id);
      if (targetAncestors.includes(source.id) && target.parent_id !== source.id) {
        throw ruleRefused(`${t} is a descendant of ${s}; merging would make a loop of parent cases`);
      }
      const catalogue = await this.catalogue(trx);
      const messagesMoved = await repo.moveMessages(trx, source.id, target.id);
      const attachmentsMoved = await repo.moveAttachments(trx, source.id, target.id);
      // Activities (tasks, calls, promises) move too, in the activities hook's afterChange on the
      // duplicate: the survivor carries the whole story.
      const children = await repo.childrenForUpdate(trx, source.id, false);
      for (const child of children) {
        if (child.id === target.id) continue;
        await this.commit(trx, ctx, child, { parent_id: target.id }, catalogue);
      }
      const sourceSet: Partial<CaseRow> = { merged_into_id: target.id };
      if (source.status !== "closed") Object.assign(sourceSet, this.statusSet(source, "closed", catalogue));
      const merged = await this.commit(trx, ctx, source, sourceSet, catalogue);
      const into = await this.commit(
        trx,
        ctx,
        target,
        target.parent_id === source.id ? { parent_id: null } : {},
        catalogue,
        { touch: true, extra: [{ field: "mergedFrom", from: null, to: { id: source.id, number: s } }] },
      );
      await this.bus.append(trx, {
        type: "case.merged",
        entityType: "case",
        entityId: source.id,
        accountId: source.account_id ?? target.account_id,
        actorId: actorId(actor),
        data: { fromId: source.id, intoId: target.id, intoNumber: t, messagesMoved, attachmentsMoved },
      });
      return {
        merged: await this.present(trx, merged, catalogue, actor),
        into: await this.present(trx, into, catalogue, actor),
      };
    });
  }

  /** Admins only: for spam and test data. Everything else is resolved, closed or merged, never deleted. */
  async delete(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, ["admin"], "delete cases");
    await this.tx(async (trx) => {
      const row = await repo.findCaseForUpdate(trx, id);
      if (!row) throw notFound("Case");
      await repo.deleteCase(trx, id);
      await this.audit.record(trx, ctx, {
        action: "case.deleted",
        targetType: "case",
        targetId: id,
        details: { number: formatCaseNumber(row.number), subject: row.subject },
      });
      await this.bus.append(trx, {
        type: "case.deleted",
        entityType: "case",
        entityId: id,
        accountId: row.account_id,
        actorId: actorId(ctx.actor),
        data: { number: formatCaseNumber(row.number) },
      });
    });
  }

  // ---- building blocks, also used by the messages service inside its transactions ----

  /** One transaction; a constraint met by a concurrent change is the caller's 4xx, not a 500. */
  tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }

  async catalogue(db: Executor): Promise<StatusCatalogue> {
    const rows = await repo.listStatuses(db);
    return rows.length > 0 ? new Map(rows.map((r) => [r.key, r.category])) : BUILTIN_CATALOGUE;
  }

  async reopenWindowDays(db: Executor): Promise<number> {
    const v = await repo.getSetting(db, REOPEN_WINDOW_SETTING);
    return typeof v === "number" && v >= 0 ? v : DEFAULT_REOPEN_WINDOW_DAYS;
  }

  async mayReopenInPlace(db: Executor, row: CaseRow): Promise<boolean> {
    return withinReopenWindow(row.resolved_at, this.clock.now(), await this.reopenWindowDays(db));
  }

  /** Locks a case the actor may see (404 otherwise). */
  async lockVisible(trx: Trx, actor: Actor, id: string): Promise<CaseRow> {
    return assertVisible(actor, await repo.findCaseForUpdate(trx, id));
  }

  /** The columns a status change sets besides the status: resolution and reopen bookkeeping. */
  statusSet(before: CaseRow, to: string, catalogue: StatusCatalogue): Partial<CaseRow> {
    const now = this.clock.now();
    const from = categoryOf(before.status, catalogue);
    const into = categoryOf(to, catalogue);
    const set: Partial<CaseRow> = { status: to };
    if (from !== "resolved" && into === "resolved") set.resolved_at = now;
    if (to === "closed" && before.status !== "closed") set.closed_at = now;
    if (from === "resolved" && into !== "resolved") {
      set.resolved_at = null;
      set.closed_at = null;
      set.reopen_count = before.reopen_count + 1;
    }
    return set;
  }

  /**
   * Writes `set`, the history of every tracked field it changes (plus `extra` lines) and the
   * events the changes mean. A change that changes nothing writes nothing (unless `touch`).
   */
  async commit(
    trx: Trx,
    ctx: RequestCtx,
    before: CaseRow,
    set: Partial<CaseRow>,
    catalogue: StatusCatalogue,
    options: { extra?: HistoryChange[]; touch?: boolean } = {},
  ): Promise<CaseRow> {
    const changes = diffCase(before, set);
    const extra = options.extra ?? [];
    if (changes.length === 0 && extra.length === 0 && !options.touch) return before;
    const now = this.clock.now();
    let after = await repo.updateCase(trx, before.id, { ...set, updated_at: now });
    await writeHistory(trx, ctx.actor, before.id, now, [...extra, ...changes]);
    await this.changeEvents(trx, ctx.actor, before, after, changes, catalogue);
    if (changes.length > 0) {
      const fields = changes.map((c) => c.field);
      for (const h of this.hooks) await h.afterChange?.(trx, ctx, before, after, fields, catalogue);
      // A hook may have changed the row (an escalation raising priority): answer what is stored.
      if (this.hooks.some((h) => h.afterChange)) after = (await repo.findCase(trx, before.id)) ?? after;
    }
    return after;
  }

  /** Inserts a case with its creation history and events (create, follow-ups). */
  async insertCase(
    trx: Trx,
    ctx: RequestCtx,
    input: CreateCase,
    extra: { status: string; relatedCaseId?: string },
  ): Promise<CaseRow> {
    const now = this.clock.now();
    const parties = await this.resolveParties(trx, {
      accountId: input.accountId,
      contactId: input.contactId,
    });
    await this.assertAssignees(trx, input);
    if (input.parentId !== undefined) await this.assertParent(trx, undefined, input.parentId);
    const tags = normaliseTags(input.tags ?? [], "/tags");
    if (tags.length > MAX_TAGS) throw invalid("/tags", `at most ${MAX_TAGS} tags`);
    let draft: CaseDraft = {
      id: newId(),
      subject: required(input.subject, "/subject"),
      description: optionalText(input.description, "/description"),
      account_id: parties.accountId,
      contact_id: parties.contactId,
      product: optionalText(input.product, "/product"),
      category: optionalText(input.category, "/category"),
      priority: input.priority ?? "normal",
      channel: input.channel ?? "api",
      status: extra.status,
      owner_id: input.ownerId ?? null,
      team_id: input.teamId ?? null,
      queue_id: input.queueId ?? null,
      tags,
      received_at: this.receivedAt(input.receivedAt) ?? now,
      created_at: now,
      updated_at: now,
      resolved_at: null,
      closed_at: null,
      parent_id: input.parentId ?? null,
      merged_into_id: null,
      related_case_id: extra.relatedCaseId ?? null,
    };
    // Routing places the case (team, queue, priority, owner, tags) before it is written, so the
    // entitlement and SLA hooks after it see the case as routed. `given` says what the caller set.
    const given = {
      priority: input.priority !== undefined,
      ownerId: input.ownerId !== undefined,
      teamId: input.teamId !== undefined,
      queueId: input.queueId !== undefined,
    };
    for (const h of this.hooks) if (h.beforeInsert) draft = await h.beforeInsert(trx, ctx, draft, given);
    await this.assertAssignees(trx, {
      ownerId: draft.owner_id,
      teamId: draft.team_id,
      queueId: draft.queue_id,
    });
    const row = await repo.insertCase(trx, draft);
    const number = formatCaseNumber(row.number);
    await writeHistory(trx, ctx.actor, row.id, now, [
      {
        field: "created",
        from: null,
        to: {
          number,
          status: row.status,
          ...(extra.relatedCaseId ? { followUpOf: extra.relatedCaseId } : {}),
        },
      },
    ]);
    const base = {
      entityType: "case",
      entityId: row.id,
      accountId: row.account_id,
      actorId: actorId(ctx.actor),
    };
    await this.bus.append(trx, {
      ...base,
      type: "case.created",
      customerVisible: true,
      data: {
        number,
        status: row.status,
        priority: row.priority,
        channel: row.channel,
        ...(row.parent_id ? { parentId: row.parent_id } : {}),
        ...(extra.relatedCaseId ? { followUpOf: extra.relatedCaseId } : {}),
      },
    });
    if (row.owner_id || row.team_id) {
      await this.bus.append(trx, {
        ...base,
        type: "case.assigned",
        data: { ownerId: row.owner_id, teamId: row.team_id, previousOwnerId: null, previousTeamId: null },
      });
    }
    let current = row;
    if (this.hooks.length > 0) {
      const catalogue = await this.catalogue(trx);
      for (const h of this.hooks) current = (await h.afterCreate?.(trx, ctx, current, catalogue)) ?? current;
    }
    return current;
  }

  /**
   * The customer came back after the reopen window: a new case, linked to the old one, carrying
   * over who and what it is about. `set` (already validated changes) applies to the new case.
   */
  async openFollowUp(
    trx: Trx,
    ctx: RequestCtx,
    old: CaseRow,
    status: string,
    set: Partial<CaseRow>,
  ): Promise<CaseRow> {
    const merged = { ...old, ...set };
    // The follow-up is a fresh enquiry: it keeps its owner only if they still work here, and
    // hangs under a parent only when this very change says so.
    const owner = merged.owner_id ? await repo.findUser(trx, merged.owner_id) : undefined;
    const row = await this.insertCase(
      trx,
      ctx,
      {
        subject: merged.subject,
        description: merged.description,
        accountId: merged.account_id ?? undefined,
        contactId: merged.contact_id ?? undefined,
        product: merged.product ?? undefined,
        category: merged.category ?? undefined,
        priority: merged.priority,
        channel: merged.channel,
        ownerId: owner?.active ? owner.id : undefined,
        teamId: merged.team_id ?? undefined,
        queueId: merged.queue_id ?? undefined,
        tags: merged.tags,
        parentId: set.parent_id ?? undefined,
      },
      { status, relatedCaseId: old.id },
    );
    await writeHistory(trx, ctx.actor, old.id, this.clock.now(), [
      { field: "followUp", from: null, to: { id: row.id, number: formatCaseNumber(row.number) } },
    ]);
    return row;
  }

  // ---- rules ----

  /** Validates the non-status fields of a change and turns them into column values. */
  private async fieldChanges(trx: Trx, before: CaseRow, input: UpdateCase): Promise<Partial<CaseRow>> {
    const set: Partial<CaseRow> = {};
    if (input.subject !== undefined) set.subject = required(input.subject, "/subject");
    if (input.description !== undefined) set.description = optionalText(input.description, "/description");
    if (input.product !== undefined) set.product = optionalText(input.product, "/product");
    if (input.category !== undefined) set.category = optionalText(input.category, "/category");
    if (input.priority !== undefined) set.priority = input.priority;
    if (input.channel !== undefined) set.channel = input.channel;
    if (input.receivedAt !== undefined) set.received_at = this.receivedAt(input.receivedAt);
    if (input.accountId !== undefined || input.contactId !== undefined) {
      const parties = await this.resolveParties(
        trx,
        { accountId: input.accountId, contactId: input.contactId },
        { accountId: before.account_id, contactId: before.contact_id },
      );
      set.account_id = parties.accountId;
      set.contact_id = parties.contactId;
    }
    await this.assertAssignees(trx, input);
    if (input.ownerId !== undefined) set.owner_id = input.ownerId;
    if (input.teamId !== undefined) set.team_id = input.teamId;
    if (input.queueId !== undefined) set.queue_id = input.queueId;
    if (input.tags !== undefined || input.addTags !== undefined || input.removeTags !== undefined) {
      let tags = input.tags !== undefined ? normaliseTags(input.tags, "/tags") : [...before.tags];
      for (const t of normaliseTags(input.addTags ?? [], "/addTags")) if (!tags.includes(t)) tags.push(t);
      const remove = normaliseTags(input.removeTags ?? [], "/removeTags");
      tags = tags.filter((t) => !remove.includes(t));
      if (tags.length > MAX_TAGS) throw invalid("/tags", `at most ${MAX_TAGS} tags`);
      set.tags = tags;
    }
    if (input.parentId !== undefined && input.parentId !== before.parent_id) {
      if (input.parentId !== null) await this.assertParent(trx, before, input.parentId);
      set.parent_id = input.parentId;
    }
    return set;
  }

  /**
   * A contact implies its account: without accountId the case takes the contact's; with both
   * they must match. Changing only the account keeps a contact only if it belongs there.
   */
  private async resolveParties(
    db: Executor,
    given: { accountId?: string | null | undefined; contactId?: string | null | undefined },
    current: { accountId: string | null; contactId: string | null } = { accountId: null, contactId: null },
  ): Promise<{ accountId: string | null; contactId: string | null }> {
    let accountId = given.accountId !== undefined ? given.accountId : current.accountId;
    let contactId = given.contactId !== undefined ? given.contactId : current.contactId;
    if (given.accountId && !(await repo.accountExists(db, given.accountId))) {
      throw invalid("/accountId", "no such account");
    }
    if (given.contactId) {
      const contact = await repo.findContact(db, given.contactId);
      if (!contact) throw invalid("/contactId", "no such contact");
      if (given.accountId !== undefined && given.accountId !== contact.accountId) {
        throw invalid("/contactId", "belongs to another account than accountId");
      }
      accountId = contact.accountId;
    } else if (contactId && given.accountId !== undefined) {
      const contact = await repo.findContact(db, contactId);
      if (contact && contact.accountId !== given.accountId) {
        throw invalid("/accountId", "the case's contact belongs to another account; change contactId too");
      }
      if (!contact) contactId = null;
    }
    if (contactId === undefined) contactId = null;
    if (accountId === undefined) accountId = null;
    return { accountId, contactId };
  }

  private async assertAssignees(
    db: Executor,
    input: {
      ownerId?: string | null | undefined;
      teamId?: string | null | undefined;
      queueId?: string | null | undefined;
    },
  ): Promise<void> {
    if (input.ownerId) {
      const user = await repo.findUser(db, input.ownerId);
      if (!user) throw invalid("/ownerId", "no such user");
      if (!user.active) throw invalid("/ownerId", "is deactivated");
    }
    if (input.teamId && !(await repo.teamExists(db, input.teamId))) throw invalid("/teamId", "no such team");
    if (input.queueId) {
      const found = await db
        .selectFrom("queues")
        .select("id")
        .where("id", "=", input.queueId)
        .executeTakeFirst();
      if (!found) throw invalid("/queueId", "no such queue");
    }
  }

  /** No self, no loops, no merged parents. */
  private async assertParent(db: Executor, child: CaseRow | undefined, parentId: string): Promise<void> {
    if (child && parentId === child.id) throw ruleRefused("A case cannot be its own parent");
    const parent = await repo.findCase(db, parentId);
    if (!parent) throw invalid("/parentId", "no such case");
    if (parent.merged_into_id) {
      throw ruleRefused(
        `${formatCaseNumber(parent.number)} was merged into another case; use that one as parent`,
      );
    }
    if (child) {
      await repo.lockHierarchy(db);
      const ancestors = await repo.ancestorIds(db, parentId);
      if (ancestors.includes(child.id)) {
        throw ruleRefused(
          `${formatCaseNumber(parent.number)} is already below ${formatCaseNumber(child.number)}; that would make a loop`,
        );
      }
    }
  }

  /**
   * Resolving a parent with open children is a question first (422 listing them); with
   * `resolveChildren: true` they are resolved in the same transaction, depth first.
   */
  private async resolveChildrenFirst(
    trx: Trx,
    ctx: RequestCtx,
    parent: CaseRow,
    to: string,
    catalogue: StatusCatalogue,
    resolveChildren: boolean | undefined,
    depth = 0,
  ): Promise<void> {
    const open = await repo.childrenForUpdate(trx, parent.id, true);
    if (open.length === 0 || resolveChildren === false) return;
    if (resolveChildren === undefined) {
      const list = open.map((c) => formatCaseNumber(c.number)).join(", ");
      throw ruleRefused(
        `${formatCaseNumber(parent.number)} has ${open.length} open child case(s): ${list}. Send resolveChildren: true to resolve them too, or false to resolve only this case`,
        { openChildren: open.map(summarise) },
      );
    }
    if (depth > 100) throw ruleRefused("The tree of child cases is too deep to resolve at once");
    for (const child of open) {
      const t = classifyTransition(child.status, to, catalogue);
      const target = t.kind === "move" ? to : "resolved";
      await this.resolveChildrenFirst(trx, ctx, child, target, catalogue, true, depth + 1);
      await this.commit(trx, ctx, child, this.statusSet(child, target, catalogue), catalogue);
    }
  }

  private receivedAt(value: string | undefined): Date | undefined {
    if (value === undefined) return undefined;
    const d = parseDate(value, "/receivedAt");
    if (d.getTime() > this.clock.now().getTime() + RECEIVED_AT_SKEW_MS) {
      throw invalid("/receivedAt", "must not be in the future");
    }
    return d;
  }

  /** What the changes mean, as events: one `case.updated` plus the specific ones. */
  private async changeEvents(
    trx: Trx,
    actor: Actor,
    before: CaseRow,
    after: CaseRow,
    changes: HistoryChange[],
    catalogue: StatusCatalogue,
  ): Promise<void> {
    if (changes.length === 0) return;
    const base = {
      entityType: "case",
      entityId: after.id,
      accountId: after.account_id,
      actorId: actorId(actor),
    };
    const fields = changes.map((c) => c.field);
    await this.bus.append(trx, { ...base, type: "case.updated", data: { fields } });
    if (fields.includes("status")) {
      const from = categoryOf(before.status, catalogue);
      const into = categoryOf(after.status, catalogue);
      await this.bus.append(trx, {
        ...base,
        type: "case.status_changed",
        customerVisible: true,
        data: { from: before.status, to: after.status, fromCategory: from, toCategory: into },
      });
      if (from !== "resolved" && into === "resolved") {
        await this.bus.append(trx, {
          ...base,
          type: "case.resolved",
          customerVisible: true,
          data: { status: after.status, merged: after.merged_into_id !== null },
        });
      }
      if (from === "resolved" && into !== "resolved") {
        await this.bus.append(trx, {
          ...base,
          type: "case.reopened",
          customerVisible: true,
          data: { from: before.status, to: after.status, reopenCount: after.reopen_count },
        });
      }
    }
    if (fields.includes("ownerId") || fields.includes("teamId")) {
      await this.bus.append(trx, {
        ...base,
        type: "case.assigned",
        data: {
          ownerId: after.owner_id,
          teamId: after.team_id,
          previousOwnerId: before.owner_id,
          previousTeamId: before.team_id,
        },
      });
    }
    if (fields.includes("priority")) {
      await this.bus.append(trx, {
        ...base,
        type: "case.priority_changed",
        data: { from: before.priority, to: after.priority },
      });
    }
  }

  private decodeListCursor(
    cursor: string | undefined,
    sort: CaseSort,
  ): (string | number | null)[] | undefined {
    const keys = SORT_KEYS[sort];
    const values = decodeCursor(cursor, keys.length + 1);
    if (!values) return undefined;
    const bad = () => invalid("/cursor", "not a cursor this list issued (or issued for another sort)");
    if (values[0] !== sort) throw bad();
    const rest = values.slice(1);
    keys.forEach((k, i) => {
      const v = rest[i];
      if (k.column === "id") {
        if (typeof v !== "string" || !UUID.test(v)) throw bad();
      } else if (k.column === "priority_rank") {
        if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 4) throw bad();
      } else if (k.nullable && v === null) {
        // Cases with no running clock, at the end of an SLA-ordered list.
      } else if (typeof v !== "string" || Number.isNaN(Date.parse(v))) {
        throw bad();
      }
    });
    return rest as (string | number | null)[];
  }
}
