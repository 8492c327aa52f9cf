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
import type { Config } from "../../platform/config.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, conflict, invalid, notFound } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { escapeHtml } from "../../platform/html.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, encodeCursor, oneOf, type Page } from "../../platform/pagination.ts";
import type { DueTimer, TimerRegistry } from "../../platform/timers/timers.ts";
import { assertVisible, maySeeCase } from "../cases/case-access.ts";
import { assertText, guarded, parseDate } from "../cases/case-input.ts";
import type { CaseMessagesService } from "../cases/case-messages.service.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import { categoryOf } from "../cases/case-status-machine.ts";
import type { CasesService } from "../cases/cases.service.ts";
import { isAutomaticSenderAddress } from "../email/loop-guard.ts";
import type { MailService } from "../mail/mail.service.ts";
import {
  describeSegment,
  isEverybody,
  normalizeSegment,
  type Segment,
  segmentIncludesAccount,
} from "../segments/segments.ts";
import {
  type At,
  type ComponentRow,
  type IncidentRow,
  type IncidentView,
  incidentsRepository as repo,
  type UpdateView,
} from "./incidents.repository.ts";
import type { IncidentImpact, IncidentStatus } from "./incidents.tables.ts";

export const INCIDENT_STATUSES: readonly IncidentStatus[] = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
];
export const INCIDENT_IMPACTS: readonly IncidentImpact[] = ["minor", "major", "critical"];
export const COMPONENT_STATUSES = ["operational", "degraded", "partial_outage", "major_outage"] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** The timer that tells customers about one update, in batches (payload `{ updateId }`). */
export const INCIDENT_NOTIFY_TIMER = "incident.notify";
/** Contacts told (or linked cases resolved) per timer run. */
export const NOTIFY_BATCH = 200;
/** Cases opened this long before an incident started may still be reports of it. */
export const SUGGEST_LOOKBACK_MS = 2 * 3600_000;
/** How long a resolved incident stays on the status page. */
export const RECENT_DAYS = 14;

const WRITERS: readonly Role[] = ["admin", "manager", "agent"];
const COMPONENT_ADMINS: readonly Role[] = ["admin", "manager"];

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};
const IMPACT_STATUS: Record<IncidentImpact, ComponentStatus> = {
  minor: "degraded",
  major: "partial_outage",
  critical: "major_outage",
};

export type StatusComponent = {
  id: string;
  name: string;
  description: string | null;
  position: number;
  status: ComponentStatus;
};

export type IncidentUpdate = {
  id: string;
  status: IncidentStatus;
  message: string;
  notify: boolean;
  noticesQueued: number;
  createdById: string | null;
  createdAt: string;
};

export type Incident = {
  id: string;
  number: string;
  title: string;
  description: string | null;
  status: IncidentStatus;
  impact: IncidentImpact;
  public: boolean;
  componentIds: string[];
  affects: Segment | null;
  affectsText: string;
  startedAt: string;
  resolvedAt: string | null;
  createdById: string | null;
  createdAt: string;
  updatedAt: string;
  linkedCaseCount: number;
  affectedAccountCount: number;
  contactsNotified: number;
  updates?: IncidentUpdate[];
};

export type IncidentCase = {
  caseId: string;
  number: string;
  subject: string;
  status: string;
  priority: string;
  accountId: string | null;
  accountName: string | null;
  contactId: string | null;
  contactName: string | null;
  linkedAt: string | null;
  linkedById: string | null;
};

export type PublicIncident = {
  id: string;
  number: string;
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  startedAt: string;
  componentIds: string[];
  updates: { status: IncidentStatus; message: string; createdAt: string }[];
};
export type PublicStatus = {
  status: ComponentStatus;
  components: StatusComponent[];
  incidents: PublicIncident[];
  recent: (PublicIncident & { resolvedAt: string })[];
};

export type CreateIncident = {
  title: string;
  description?: string | null | undefined;
  impact: IncidentImpact;
  status?: IncidentStatus | undefined;
  public?: boolean | undefined;
  componentIds?: string[] | undefined;
  affects?: Segment | null | undefined;
  message?: string | undefined;
  notify?: boolean | undefined;
  startedAt?: string | undefined;
};
export type PatchIncident = {
  title?: string | undefined;
  description?: string | null | undefined;
  impact?: IncidentImpact | undefined;
  public?: boolean | undefined;
  componentIds?: string[] | undefined;
  affects?: Segment | null | undefined;
};
export type PostUpdate = {
  status: IncidentStatus;
  message: string;
  notify?: boolean | undefined;
  resolveLinkedCases?: boolean | undefined;
};

const worst = (a: ComponentStatus, b: ComponentStatus): ComponentStatus =>
  COMPONENT_STATUSES.indexOf(a) >= COMPONENT_STATUSES.indexOf(b) ? a : b;

export const formatIncidentNumber = (n: number) => `INC-${String(n).padStart(6, "0")}`;
const INC_PATTERN = /^inc-?0*(\d{1,15})$/i;

/**
 * Service incidents: known problems with a public timeline of updates, the cases that report
 * them, the accounts they affect (a segment), and the telling of affected customers before they
 * call (a timer working in batches). Also the status components and the public status.
 */
export class IncidentsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly timers: TimerRegistry,
    private readonly config: Config,
    private readonly cases: CasesService,
    private readonly caseMessages: CaseMessagesService,
    private readonly mail: MailService,
  ) {}

  registerTimers(): void {
    this.timers.register(INCIDENT_NOTIFY_TIMER, (t, trx) => this.notifyRun(t, trx));
  }

  // ---- components ----

  async listComponents(actor: Actor): Promise<StatusComponent[]> {
    requireStaff(actor);
    return this.components(this.db.kysely);
  }

  async createComponent(
    ctx: RequestCtx,
    input: { name: string; description?: string | null | undefined; position?: number | undefined },
  ): Promise<StatusComponent> {
    requireRole(ctx.actor, COMPONENT_ADMINS, "change status components");
    const name = cleanName(input.name);
    return this.tx(async (trx) => {
      if (await repo.componentNameTaken(trx, name))
        throw conflict(`A component named ${name} already exists`, "/name");
      const now = this.clock.now();
      const id = newId();
      await repo.insertComponent(trx, {
        id,
        name,
        description: cleanText(input.description, "/description"),
        position: input.position ?? 0,
        archived_at: null,
        created_at: now,
        updated_at: now,
      });
      await this.bus.append(trx, {
        type: "status_component.created",
        entityType: "status_component",
        entityId: id,
        actorId: actorId(ctx.actor),
        data: { name },
      });
      return (await this.components(trx)).find((c) => c.id === id)!;
    });
  }

  async updateComponent(
    ctx: RequestCtx,
    id: string,
    input: {
      name?: string | undefined;
      description?: string | null | undefined;
      position?: number | undefined;
    },
  ): Promise<StatusComponent> {
    requireRole(ctx.actor, COMPONENT_ADMINS, "change status components");
    return this.tx(async (trx) => {
      if (!(await repo.lockComponent(trx, id))) throw notFound("Status component");
      const name = input.name !== undefined ? cleanName(input.name) : undefined;
      if (name !== undefined && (await repo.componentNameTaken(trx, name, id)))
        throw conflict(`A component named ${name} already exists`, "/name");
      await repo.updateComponent(trx, id, {
        ...(name !== undefined ? { name } : {}),
        ...(input.description !== undefined
          ? { description: cleanText(input.description, "/description") }
          : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        updated_at: this.clock.now(),
      });
      await this.bus.append(trx, {
        type: "status_component.updated",
        entityType: "status_component",
        entityId: id,
        actorId: actorId(ctx.actor),
      });
      return (await this.components(trx)).find((c) => c.id === id)!;
    });
  }

  async deleteComponent(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, COMPONENT_ADMINS, "change status components");
    await this.tx(async (trx) => {
      if (!(await repo.lockComponent(trx, id))) throw notFound("Status component");
      const now = this.clock.now();
      await repo.updateComponent(trx, id, { archived_at: now, updated_at: now });
      await this.bus.append(trx, {
        type: "status_component.archived",
        entityType: "status_component",
        entityId: id,
        actorId: actorId(ctx.actor),
      });
    });
  }

  // ---- incidents ----

  async list(
    actor: Actor,
    query: {
      state?: "open" | "resolved" | undefined;
      impact?: string[] | undefined;
      q?: string | undefined;
      limit?: number | undefined;
      cursor?: string | undefined;
    },
  ): Promise<Page<Incident>> {
    requireStaff(actor);
    const db = this.db.kysely;
    const limit = clampLimit(query.limit);
    const cursor = decodeCursor(query.cursor, ["number"]);
    const offset = cursor ? Number(cursor[0]) : 0;
    const q = query.q?.trim();
    const numberMatch = q ? (INC_PATTERN.exec(q) ?? /^0*(\d{1,15})$/.exec(q)) : null;
    const rows = await repo.listIncidents(
      db,
      {
        ...(query.state ? { state: query.state } : {}),
        ...(query.impact ? { impact: oneOf(query.impact, INCIDENT_IMPACTS, "/impact") } : {}),
        ...(q ? { q } : {}),
        ...(numberMatch ? { number: Number(numberMatch[1]) } : {}),
      },
      limit,
      offset,
    );
    const page = rows.slice(0, limit);
    return {
      items: await this.present(db, page, false),
      nextCursor: rows.length > limit ? encodeCursor([offset + limit]) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<Incident> {
    requireStaff(actor);
    return this.presentOne(this.db.kysely, id);
  }

  async create(ctx: RequestCtx, input: CreateIncident): Promise<Incident> {
    requireRole(ctx.actor, WRITERS, "create incidents");
    const title = cleanTitle(input.title);
    const status = input.status ?? "investigating";
    if (status === "resolved")
      throw invalid("/status", "a new incident cannot start resolved; post a resolved update instead");
    const now = this.clock.now();
    const startedAt = input.startedAt !== undefined ? parseDate(input.startedAt, "/startedAt") : now;
    if (startedAt.getTime() > now.getTime() + 60_000)
      throw invalid("/startedAt", "must not be in the future");
    const message = cleanMessage(
      input.message ?? `We are investigating reports of a problem with ${title}.`,
      "/message",
    );
    const affects = input.affects ? normalizeSegment(input.affects) : null;
    return this.tx(async (trx) => {
      const componentIds = await this.checkComponents(trx, input.componentIds ?? []);
      const id = newId();
      await repo.insertIncident(trx, {
        id,
        title,
        description: cleanText(input.description, "/description"),
        status,
        impact: input.impact,
        public: input.public ?? true,
        affects: affects ? JSON.stringify(affects) : null,
        started_at: startedAt,
        resolved_at: null,
        created_by_id: actorId(ctx.actor),
        created_at: now,
        updated_at: now,
      });
      await repo.setComponents(trx, id, componentIds);
      const row = (await repo.lockIncident(trx, id))!;
      await this.bus.append(trx, {
        type: "incident.created",
        entityType: "incident",
        entityId: id,
        actorId: actorId(ctx.actor),
        data: { number: formatIncidentNumber(row.number), title, impact: input.impact, public: row.public },
      });
      await this.writeUpdate(trx, ctx, row, { status, message, notify: input.notify ?? true });
      return this.presentOne(trx, id);
    });
  }

  async update(ctx: RequestCtx, id: string, input: PatchIncident): Promise<Incident> {
    requireRole(ctx.actor, WRITERS, "change incidents");
    return this.tx(async (trx) => {
      const row = await repo.lockIncident(trx, id);
      if (!row) throw notFound("Incident");
      const fields: string[] = [];
      const set: Parameters<typeof repo.updateIncident>[2] = {};
      if (input.title !== undefined) {
        set.title = cleanTitle(input.title);
        fields.push("title");
      }
      if (input.description !== undefined) {
        set.description = cleanText(input.description, "/description");
        fields.push("description");
      }
      if (input.impact !== undefined) {
        set.impact = input.impact;
        fields.push("impact");
      }
      if (input.public !== undefined) {
        set.public = input.public;
        fields.push("public");
      }
      if (input.affects !== undefined) {
        const affects = input.affects ? normalizeSegment(input.affects) : null;
        set.affects = affects ? JSON.stringify(affects) : null;
        fields.push("affects");
      }
      if (input.componentIds !== undefined) {
        await repo.setComponents(trx, id, await this.checkComponents(trx, input.componentIds));
        fields.push("componentIds");
      }
      await repo.updateIncident(trx, id, { ...set, updated_at: this.clock.now() });
      if (fields.length > 0)
        await this.bus.append(trx, {
          type: "incident.updated",
          entityType: "incident",
          entityId: id,
          actorId: actorId(ctx.actor),
          data: { fields },
        });
      return this.presentOne(trx, id);
    });
  }

  async postUpdate(ctx: RequestCtx, id: string, input: PostUpdate): Promise<IncidentUpdate> {
    requireRole(ctx.actor, WRITERS, "post incident updates");
    const message = cleanMessage(input.message, "/message");
    if (input.resolveLinkedCases && input.status !== "resolved")
      throw invalid("/resolveLinkedCases", "only with status resolved");
    return this.tx(async (trx) => {
      const row = await repo.lockIncident(trx, id);
      if (!row) throw notFound("Incident");
      const updateId = await this.writeUpdate(trx, ctx, row, {
        status: input.status,
        message,
        notify: input.notify ?? true,
        resolveLinkedCases: input.resolveLinkedCases ?? false,
      });
      return presentUpdate((await repo.findUpdate(trx, updateId))!);
    });
  }

  async previewAudience(
    actor: Actor,
    input: { affects: Segment | null; incidentId?: string | undefined },
  ): Promise<{ accounts: number; contacts: number }> {
    requireStaff(actor);
    const db = this.db.kysely;
    if (input.incidentId && !(await repo.findIncident(db, input.incidentId))) throw notFound("Incident");
    const affects = input.affects ? normalizeSegment(input.affects) : null;
    return repo.countAudience(db, repo.audienceAccountIds(db, affects, input.incidentId, this.at()));
  }

  // ---- linked cases ----

  async linkedCases(actor: Actor, id: string): Promise<{ items: IncidentCase[] }> {
    requireStaff(actor);
    const db = this.db.kysely;
    if (!(await repo.findIncident(db, id))) throw notFound("Incident");
    const rows = await repo.linkedCases(db, id);
    return {
      items: rows.map((r) => ({
        caseId: r.case_id,
        number: formatCaseNumber(r.number),
        subject: r.subject,
        status: r.status,
        priority: r.priority,
        accountId: r.account_id,
        accountName: r.account_name,
        contactId: r.contact_id,
        contactName: r.contact_name,
        linkedAt: r.linked_at.toISOString(),
        linkedById: r.linked_by_id,
      })),
    };
  }

  async linkCases(ctx: RequestCtx, id: string, input: { caseIds: string[] }): Promise<{ linked: number }> {
    requireRole(ctx.actor, WRITERS, "link cases to incidents");
    return this.tx(async (trx) => {
      const incident = await repo.lockIncident(trx, id);
      if (!incident) throw notFound("Incident");
      const latest = incident.resolved_at ? undefined : await repo.latestNotifyingUpdate(trx, id);
      const catalogue = await this.cases.catalogue(trx);
      const seen = new Set<string>();
      let linked = 0;
      for (const [i, caseId] of input.caseIds.entries()) {
        if (seen.has(caseId)) continue;
        seen.add(caseId);
        const row = await this.cases.lockRow(trx, caseId);
        if (!row || !maySeeCase(ctx.actor, row)) throw notFound("Case");
        const other = await repo.otherOpenIncidentOf(trx, caseId, id);
        if (other)
          throw new AppError(
            "conflict",
            `${formatCaseNumber(row.number)} is already linked to the open incident ${formatIncidentNumber(other.number)} (${other.title})`,
            {
              errors: [{ path: `/caseIds/${i}`, message: "is linked to another open incident" }],
              incidentId: other.id,
            },
          );
        const now = this.clock.now();
        if (
          !(await repo.insertLink(trx, {
            incident_id: id,
            case_id: caseId,
            linked_by_id: actorId(ctx.actor),
            linked_at: now,
          }))
        )
          continue;
        linked++;
        await this.cases.recordHistory(trx, ctx, caseId, [
          { field: "incident", from: null, to: incidentRef(incident) },
        ]);
        await this.bus.append(trx, {
          type: "incident.case_linked",
          entityType: "incident",
          entityId: id,
          accountId: row.account_id,
          actorId: actorId(ctx.actor),
          data: { caseId, number: formatIncidentNumber(incident.number) },
        });
        // Already told others: the case's contact hears the latest news on the case thread now.
        if (
          latest &&
          row.contact_id &&
          !row.merged_into_id &&
          categoryOf(row.status, catalogue) !== "resolved"
        ) {
          const contact = await repo.contact(trx, row.contact_id);
          if (contact && (await this.tellOnCase(trx, incident, latest, caseId, contact))) {
            await this.reportAccounts(trx, incident, latest.id);
          }
        }
      }
      return { linked };
    });
  }

  async unlinkCase(ctx: RequestCtx, id: string, caseId: string): Promise<void> {
    requireRole(ctx.actor, WRITERS, "link cases to incidents");
    await this.tx(async (trx) => {
      const incident = await repo.lockIncident(trx, id);
      if (!incident) throw notFound("Incident");
      const row = await this.cases.lockRow(trx, caseId);
      if (!row || !(await repo.deleteLink(trx, id, caseId))) throw notFound("Linked case");
      await this.cases.recordHistory(trx, ctx, caseId, [
        { field: "incident", from: incidentRef(incident), to: null },
      ]);
      await this.bus.append(trx, {
        type: "incident.case_unlinked",
        entityType: "incident",
        entityId: id,
        accountId: row.account_id,
        actorId: actorId(ctx.actor),
        data: { caseId },
      });
    });
  }

  async suggestedCases(actor: Actor, id: string): Promise<{ items: IncidentCase[] }> {
    requireStaff(actor);
    const db = this.db.kysely;
    const incident = await repo.findIncident(db, id);
    if (!incident) throw notFound("Incident");
    const affects = segmentOf(incident);
    const rows = await repo.suggestionCandidates(db, {
      incidentId: id,
      since: new Date(incident.started_at.getTime() - SUGGEST_LOOKBACK_MS),
      accountIds: affects ? repo.affectedAccountIds(db, { id, affects }, this.at()) : null,
      limit: 500,
    });
    const titleWords = words(incident.title);
    const products = new Set((affects?.products ?? []).map((p) => p.toLowerCase()));
    const scored = rows.map((r, index) => {
      const shared = [...words(r.subject)].filter((w) => titleWords.has(w)).length;
      const product = r.product !== null && products.has(r.product.toLowerCase()) ? 1 : 0;
      return { r, index, score: shared * 2 + product * 3 };
    });
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return {
      items: scored.slice(0, 50).map(({ r }) => ({
        caseId: r.case_id,
        number: formatCaseNumber(r.number),
        subject: r.subject,
        status: r.status,
        priority: r.priority,
        accountId: r.account_id,
        accountName: r.account_name,
        contactId: r.contact_id,
        contactName: r.contact_name,
        linkedAt: null,
        linkedById: null,
      })),
    };
  }

  async affectedAccounts(
    actor: Actor,
    id: string,
    query: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<
    Page<{ accountId: string; name: string; tier: string; contactsNotified: number; linkedCases: number }>
  > {
    requireStaff(actor);
    const db = this.db.kysely;
    const incident = await repo.findIncident(db, id);
    if (!incident) throw notFound("Incident");
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["string", "uuid"]) as [string, string] | undefined;
    const rows = await repo.affectedAccounts(
      db,
      { id, affects: segmentOf(incident) },
      this.at(),
      limit,
      after,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        accountId: r.id,
        name: r.name,
        tier: r.tier,
        contactsNotified: Number(r.contacts_notified),
        linkedCases: Number(r.linked_cases),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.name.toLowerCase(), last.id]) : null,
    };
  }

  /** Incidents a case is linked to (any state) plus open incidents affecting its account. */
  async caseIncidents(
    actor: Actor,
    caseId: string,
  ): Promise<{
    items: {
      id: string;
      number: string;
      title: string;
      status: IncidentStatus;
      impact: IncidentImpact;
      startedAt: string;
      linked: boolean;
    }[];
  }> {
    requireStaff(actor);
    const db = this.db.kysely;
    const row = assertVisible(actor, await this.cases.findRow(db, caseId));
    const linked = await repo.incidentsLinkedTo(db, caseId);
    const linkedIds = new Set(linked.map((i) => i.id));
    const affecting: IncidentRow[] = [];
    if (row.account_id) {
      for (const i of await repo.openIncidents(db, { publicOnly: false })) {
        if (linkedIds.has(i.id)) continue;
        const affects = segmentOf(i);
        if (affects && (await segmentIncludesAccount(db, affects, row.account_id, this.at())))
          affecting.push(i);
      }
    }
    return {
      items: [
        ...linked.map((i) => ({ i, linked: true })),
        ...affecting.map((i) => ({ i, linked: false })),
      ].map(({ i, linked }) => ({
        id: i.id,
        number: formatIncidentNumber(i.number),
        title: i.title,
        status: i.status,
        impact: i.impact,
        startedAt: i.started_at.toISOString(),
        linked,
      })),
    };
  }

  // ---- customers ----

  /** What the public status page shows: no internal descriptions, no accounts, no private incidents. */
  async publicStatus(): Promise<PublicStatus> {
    const db = this.db.kysely;
    const components = await this.components(db);
    const open = await repo.openIncidents(db, { publicOnly: true });
    const since = new Date(this.clock.now().getTime() - RECENT_DAYS * 86_400_000);
    const recent = await repo.recentlyResolved(db, since);
    const all = [...open, ...recent];
    const componentIds = await repo.componentIdsOf(
      db,
      all.map((i) => i.id),
    );
    const updates = await repo.updatesOf(
      db,
      all.map((i) => i.id),
    );
    const shape = (i: IncidentRow): PublicIncident => ({
      id: i.id,
      number: formatIncidentNumber(i.number),
      title: i.title,
      status: i.status,
      impact: i.impact,
      startedAt: i.started_at.toISOString(),
      componentIds: componentIds.get(i.id) ?? [],
      updates: updates
        .filter((u) => u.incident_id === i.id)
        .map((u) => ({ status: u.status, message: u.message, createdAt: u.created_at.toISOString() })),
    });
    let overall: ComponentStatus = "operational";
    for (const c of components) overall = worst(overall, c.status);
    for (const i of open) overall = worst(overall, IMPACT_STATUS[i.impact]);
    return {
      status: overall,
      components,
      incidents: open.map(shape),
      recent: recent.map((i) => ({ ...shape(i), resolvedAt: i.resolved_at!.toISOString() })),
    };
  }

  /** Open public incidents affecting the contact's account or linked to one of its cases. */
  async portalIncidents(actor: Actor): Promise<{
    items: {
      id: string;
      number: string;
      title: string;
      status: IncidentStatus;
      impact: IncidentImpact;
      startedAt: string;
      lastUpdate: { message: string; createdAt: string } | null;
    }[];
  }> {
    if (actor.kind !== "contact") throw notFound("Incidents");
    const db = this.db.kysely;
    const linked = new Set((await repo.openIncidentIdsLinkedToAccount(db, actor.accountId)).map((r) => r.id));
    const mine: IncidentRow[] = [];
    for (const i of await repo.openIncidents(db, { publicOnly: true })) {
      const affects = segmentOf(i);
      if (
        linked.has(i.id) ||
        (affects && (await segmentIncludesAccount(db, affects, actor.accountId, this.at())))
      )
        mine.push(i);
    }
    const updates = await repo.updatesOf(
      db,
      mine.map((i) => i.id),
    );
    return {
      items: mine.map((i) => {
        const last = updates.find((u) => u.incident_id === i.id);
        return {
          id: i.id,
          number: formatIncidentNumber(i.number),
          title: i.title,
          status: i.status,
          impact: i.impact,
          startedAt: i.started_at.toISOString(),
          lastUpdate: last ? { message: last.message, createdAt: last.created_at.toISOString() } : null,
        };
      }),
    };
  }

  /**
   * Whether an open incident affects the account: its segment includes it, or one of its linked
   * cases is the account's. Surveys hold back while this is true.
   */
  async affectsAccount(db: Executor, accountId: string): Promise<boolean> {
    if ((await repo.openIncidentIdsLinkedToAccount(db, accountId)).length > 0) return true;
    for (const i of await repo.openIncidents(db, { publicOnly: false })) {
      const affects = segmentOf(i);
      if (affects && (await segmentIncludesAccount(db, affects, accountId, this.at()))) return true;
    }
    return false;
  }

  /** The organisation's name for the status page: the display name of the From address. */
  organisationName(): string {
    const m = /^\s*"?([^"<]+?)"?\s*</.exec(this.config.mailFrom);
    return m?.[1]?.trim() || "Keepdesk";
  }

  // ---- telling customers ----

  /** One batch of telling customers about an update; schedules the next batch while any remain. */
  async notifyRun(timer: DueTimer, trx: Trx): Promise<void> {
    const updateId = String(timer.payload.updateId ?? "");
    const update = updateId ? await repo.findUpdate(trx, updateId) : undefined;
    if (!update) return;
    const incident = await repo.findIncident(trx, update.incident_id);
    if (!incident) return;
    let budget = NOTIFY_BATCH;
    let more = false;
    // Where the previous run's mails stopped (phase 3), as (account, contact).
    let mailAfter = mailCursorOf(timer.payload.mailAfter);
    // 1. Each open linked case: a public reply on its thread (mailed, threaded, in the portal).
    if (update.notify || update.resolve_linked_cases) {
      const pending = await repo.pendingCaseNotices(trx, incident.id, update.id, budget);
      for (const p of pending) {
        const contact = await repo.contact(trx, p.contact_id);
        if (contact) await this.tellOnCase(trx, incident, update, p.case_id, contact);
      }
      budget -= pending.length;
      more = budget <= 0;
    }
    // 2. Resolve the open linked cases (after every reply is on its thread).
    if (!more && update.resolve_linked_cases) {
      const open = await repo.openLinkedCaseIds(trx, incident.id, budget);
      const catalogue = await this.cases.catalogue(trx);
      for (const { id } of open) {
        const row = await this.cases.lockRow(trx, id);
        if (!row || row.merged_into_id || categoryOf(row.status, catalogue) === "resolved") continue;
        await this.cases.commit(
          trx,
          SYSTEM,
          row,
          this.cases.statusSet(row, "resolved", catalogue),
          catalogue,
          {
            extra: [{ field: "incident", from: null, to: { ...incidentRef(incident), resolved: true } }],
          },
        );
      }
      budget -= open.length;
      more = budget <= 0;
    }
    // 3. Every other contact of an affected account: one email.
    if (!more && update.notify) {
      const accountIds = repo.affectedAccountIds(
        trx,
        { id: incident.id, affects: segmentOf(incident) },
        this.at(),
      );
      const next = await repo.nextMailContacts(trx, accountIds, mailAfter, budget);
      for (const contact of next) await this.tellByMail(trx, incident, update, contact);
      const last = next.at(-1);
      if (last) mailAfter = { accountId: last.account_id, contactId: last.id };
      budget -= next.length;
      more = budget <= 0;
    }
    if (more) {
      await this.timers.schedule(trx, {
        kind: INCIDENT_NOTIFY_TIMER,
        dueAt: this.clock.now(),
        payload: { updateId: update.id, ...(mailAfter ? { mailAfter } : {}) },
      });
      return;
    }
    await this.reportAccounts(trx, incident, update.id);
  }

  /** A public reply on the case thread, once per contact and update. */
  private async tellOnCase(
    trx: Trx,
    incident: IncidentRow,
    update: { id: string; status: IncidentStatus; message: string },
    caseId: string,
    contact: { id: string; account_id: string },
  ): Promise<boolean> {
    const fresh = await repo.insertNotice(trx, {
      id: newId(),
      update_id: update.id,
      incident_id: incident.id,
      contact_id: contact.id,
      account_id: contact.account_id,
      channel: "case",
      case_id: caseId,
      created_at: this.clock.now(),
    });
    if (!fresh) return false;
    await this.caseMessages.addIn(trx, SYSTEM, caseId, {
      kind: "reply",
      body: `${update.message}\n\n— ${incident.title}: ${STATUS_LABEL[update.status]} (${formatIncidentNumber(incident.number)})`,
    });
    return true;
  }

  private async tellByMail(
    trx: Trx,
    incident: IncidentRow,
    update: { id: string; status: IncidentStatus; message: string },
    contact: { id: string; name: string; email: string; account_id: string },
  ): Promise<void> {
    const fresh = await repo.insertNotice(trx, {
      id: newId(),
      update_id: update.id,
      incident_id: incident.id,
      contact_id: contact.id,
      account_id: contact.account_id,
      channel: "email",
      case_id: null,
      created_at: this.clock.now(),
    });
    // An automatic address (noreply …) is counted as told and never mailed.
    if (!fresh || isAutomaticSenderAddress(contact.email)) return;
    const label = STATUS_LABEL[update.status];
    const link = incident.public ? `${this.config.publicUrl}/status` : null;
    const text = [
      update.message,
      "",
      `${formatIncidentNumber(incident.number)} · ${incident.title} · ${label}`,
      ...(link ? ["", `Follow it on our status page: ${link}`] : []),
      "",
      `You receive this because your organisation is affected. — ${this.organisationName()}`,
    ].join("\n");
    const html = [
      ...update.message.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`),
      `<p><strong>${escapeHtml(formatIncidentNumber(incident.number))}</strong> · ${escapeHtml(incident.title)} · ${escapeHtml(label)}</p>`,
      ...(link ? [`<p><a href="${escapeHtml(link)}">Follow it on our status page</a></p>`] : []),
      `<p style="color:#666">You receive this because your organisation is affected. — ${escapeHtml(this.organisationName())}</p>`,
    ].join("\n");
    await this.mail.enqueue(trx, {
      to: contact.email,
      toName: contact.name,
      subject: `[Status] ${incident.title} — ${label}`,
      text,
      html,
      headers: {
        "Auto-Submitted": "auto-generated",
        "X-Keepdesk-Incident": formatIncidentNumber(incident.number),
      },
      purpose: "incident.notice",
    });
  }

  /** `incident.notice_sent` once per account told about the update (the health ledger credits it). */
  private async reportAccounts(trx: Trx, incident: IncidentRow, updateId: string): Promise<void> {
    const unreported = await repo.unreportedAccounts(trx, updateId);
    if (unreported.length === 0) return;
    // The ledger credits only the first notice an account gets about an incident.
    const toldBefore = await repo.accountsToldBefore(trx, incident.id, updateId);
    const fresh = await repo.markAccountsReported(
      trx,
      updateId,
      unreported.map((a) => ({ accountId: a.account_id, contacts: Number(a.contacts) })),
      this.clock.now(),
    );
    for (const a of unreported) {
      if (!fresh.has(a.account_id)) continue;
      const contacts = Number(a.contacts);
      const first = !toldBefore.has(a.account_id);
      await this.bus.append(trx, {
        type: "incident.notice_sent",
        entityType: "account",
        entityId: a.account_id,
        accountId: a.account_id,
        data: {
          incidentId: incident.id,
          updateId,
          contacts,
          first,
          number: formatIncidentNumber(incident.number),
        },
      });
    }
  }

  // ---- internals ----

  private async writeUpdate(
    trx: Trx,
    ctx: RequestCtx,
    row: IncidentRow,
    input: { status: IncidentStatus; message: string; notify: boolean; resolveLinkedCases?: boolean },
  ): Promise<string> {
    const now = this.clock.now();
    const id = newId();
    await repo.insertUpdate(trx, {
      id,
      incident_id: row.id,
      status: input.status,
      message: input.message,
      notify: input.notify,
      resolve_linked_cases: input.resolveLinkedCases ?? false,
      created_by_id: actorId(ctx.actor),
      created_at: now,
    });
    const resolving = input.status === "resolved";
    await repo.updateIncident(trx, row.id, {
      status: input.status,
      resolved_at: resolving ? (row.resolved_at ?? now) : null,
      updated_at: now,
    });
    const base = { entityType: "incident", entityId: row.id, actorId: actorId(ctx.actor) };
    await this.bus.append(trx, {
      ...base,
      type: "incident.update_posted",
      data: { updateId: id, status: input.status, from: row.status, notify: input.notify },
    });
    if (resolving && !row.resolved_at)
      await this.bus.append(trx, { ...base, type: "incident.resolved", data: { updateId: id } });
    if (!resolving && row.resolved_at)
      await this.bus.append(trx, {
        ...base,
        type: "incident.reopened",
        data: { updateId: id, to: input.status },
      });
    if (input.notify || input.resolveLinkedCases)
      await this.timers.schedule(trx, { kind: INCIDENT_NOTIFY_TIMER, dueAt: now, payload: { updateId: id } });
    return id;
  }

  private async checkComponents(db: Executor, ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const live = await repo.liveComponentIds(db, unique);
    ids.forEach((id, i) => {
      if (!live.has(id)) throw invalid(`/componentIds/${i}`, "no such status component");
    });
    return unique;
  }

  private async components(db: Executor): Promise<StatusComponent[]> {
    const rows = await repo.listComponents(db);
    const impacts = await repo.openImpactsByComponent(db);
    return rows.map((r: ComponentRow) => {
      let status: ComponentStatus = "operational";
      for (const i of impacts) if (i.component_id === r.id) status = worst(status, IMPACT_STATUS[i.impact]);
      return { id: r.id, name: r.name, description: r.description, position: r.position, status };
    });
  }

  private async presentOne(db: Executor, id: string): Promise<Incident> {
    const row = await repo.findIncident(db, id);
    if (!row) throw notFound("Incident");
    return (await this.present(db, [row], true))[0]!;
  }

  private async present(db: Executor, rows: IncidentView[], withUpdates: boolean): Promise<Incident[]> {
    const ids = rows.map((r) => r.id);
    const componentIds = await repo.componentIdsOf(db, ids);
    const updates = withUpdates ? await repo.updatesOf(db, ids) : [];
    const out: Incident[] = [];
    for (const r of rows) {
      const affects = segmentOf(r);
      out.push({
        id: r.id,
        number: formatIncidentNumber(r.number),
        title: r.title,
        description: r.description,
        status: r.status,
        impact: r.impact,
        public: r.public,
        componentIds: componentIds.get(r.id) ?? [],
        affects,
        affectsText: affects
          ? isEverybody(affects)
            ? "every account"
            : describeSegment(affects)
          : "the accounts of linked cases",
        startedAt: r.started_at.toISOString(),
        resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
        createdById: r.created_by_id,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        linkedCaseCount: Number(r.linked_case_count),
        affectedAccountCount: await repo.countAffected(db, { id: r.id, affects }, this.at()),
        contactsNotified: Number(r.contacts_notified),
        ...(withUpdates ? { updates: updates.filter((u) => u.incident_id === r.id).map(presentUpdate) } : {}),
      });
    }
    return out;
  }

  private at(): At {
    const now = this.clock.now();
    return { today: now.toISOString().slice(0, 10), now };
  }

  private tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }
}

function presentUpdate(u: UpdateView): IncidentUpdate {
  return {
    id: u.id,
    status: u.status,
    message: u.message,
    notify: u.notify,
    noticesQueued: Number(u.notices_queued),
    createdById: u.created_by_id,
    createdAt: u.created_at.toISOString(),
  };
}

function segmentOf(row: { affects: unknown }): Segment | null {
  if (row.affects === null || row.affects === undefined) return null;
  const value = typeof row.affects === "string" ? JSON.parse(row.affects) : row.affects;
  return value as Segment;
}

function incidentRef(i: IncidentRow) {
  return { id: i.id, number: formatIncidentNumber(i.number), title: i.title };
}

function cleanTitle(value: string): string {
  assertText(value, "/title");
  const title = value.trim();
  if (title === "") throw invalid("/title", "must not be blank");
  return title;
}

function cleanName(value: string): string {
  assertText(value, "/name");
  const name = value.trim();
  if (name === "") throw invalid("/name", "must not be blank");
  return name;
}

function cleanMessage(value: string, path: string): string {
  assertText(value, path);
  const message = value.trim();
  if (message === "") throw invalid(path, "must not be blank");
  if (message.length > 5000) throw invalid(path, "must be at most 5000 characters");
  return message;
}

function cleanText(value: string | null | undefined, path: string): string | null {
  if (value === null || value === undefined) return null;
  assertText(value, path);
  return value.trim() || null;
}

const STOP_WORDS = new Set([
  "the",
  "and",
  "for",
  "with",
  "not",
  "are",
  "was",
  "our",
  "from",
  "can",
  "cannot",
  "problem",
  "issue",
  "error",
  "some",
  "when",
]);

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 3 && !STOP_WORDS.has(w)),
  );
}

/** The keyset cursor of the mail phase, from a timer payload (absent on the first run). */
function mailCursorOf(value: unknown): { accountId: string; contactId: string } | null {
  const v = value as { accountId?: unknown; contactId?: unknown } | null | undefined;
  return typeof v?.accountId === "string" && typeof v.contactId === "string"
    ? { accountId: v.accountId, contactId: v.contactId }
    : null;
}
