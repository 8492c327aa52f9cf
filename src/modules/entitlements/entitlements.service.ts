import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { assertVisible, requireCaseWorker } from "../cases/case-access.ts";
import { categoryOf, type StatusCatalogue } from "../cases/case-status-machine.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { Case, CaseHooks, CasesService, EntitlementSummary } from "../cases/cases.service.ts";
import type { SlaNotifier } from "../sla/sla.service.ts";
import {
  type EntitlementRow,
  entitlementsRepository as repo,
  type TimeEntryRow,
} from "./entitlements.repository.ts";
import type { ConsumeOn, EntitlementFlag, EntitlementUnit, WhenExhausted } from "./entitlements.tables.ts";

export type EntitlementStatus = "scheduled" | "active" | "exhausted" | "expired";

export type Entitlement = {
  id: string;
  accountId: string;
  contactId: string | null;
  name: string;
  unit: EntitlementUnit;
  total: number;
  used: number;
  remaining: number;
  startsOn: string;
  endsOn: string;
  channels: string[] | null;
  products: string[] | null;
  slaPolicyId: string | null;
  consumeOn: ConsumeOn;
  whenExhausted: WhenExhausted;
  status: EntitlementStatus;
  createdAt: string;
  updatedAt: string;
};

export type EntitlementInput = {
  accountId?: string | undefined;
  contactId?: string | null | undefined;
  name?: string | undefined;
  unit?: EntitlementUnit | undefined;
  total?: number | undefined;
  startsOn?: string | undefined;
  endsOn?: string | undefined;
  channels?: string[] | null | undefined;
  products?: string[] | null | undefined;
  slaPolicyId?: string | null | undefined;
  consumeOn?: ConsumeOn | undefined;
  whenExhausted?: WhenExhausted | undefined;
};

export type TimeEntry = {
  id: string;
  caseId: string;
  userId: string | null;
  minutes: number;
  note: string | null;
  workedOn: string;
  createdAt: string;
};

const round2 = (n: number) => Math.round(n * 100) / 100;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export function statusOf(r: EntitlementRow, today: string): EntitlementStatus {
  if (today < r.starts_on) return "scheduled";
  if (today > r.ends_on) return "expired";
  if (Number(r.used) >= Number(r.total)) return "exhausted";
  return "active";
}

export function presentEntitlement(r: EntitlementRow, today: string): Entitlement {
  return {
    id: r.id,
    accountId: r.account_id,
    contactId: r.contact_id,
    name: r.name,
    unit: r.unit,
    total: Number(r.total),
    used: Number(r.used),
    remaining: round2(Math.max(0, Number(r.total) - Number(r.used))),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    channels: r.channels,
    products: r.products,
    slaPolicyId: r.sla_policy_id,
    consumeOn: r.consume_on,
    whenExhausted: r.when_exhausted,
    status: statusOf(r, today),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Does the entitlement cover a case on this channel about this product? (Dates and balance aside.) */
export function covers(r: EntitlementRow, c: { channel: string; product: string | null }): boolean {
  if (r.channels && r.channels.length > 0 && !r.channels.includes(c.channel)) return false;
  if (r.products && r.products.length > 0) {
    const p = c.product?.trim().toLowerCase();
    if (!p || !r.products.some((x) => x.trim().toLowerCase() === p)) return false;
  }
  return true;
}

/**
 * Chooses the entitlement a new case counts against: an active one if any (a contact's own plan
 * before the account's, a product-specific one before a general one, the one ending first);
 * otherwise the exhausted or most recently expired one, so the case is flagged rather than the
 * lapse silently ignored. Entitlements not yet started do not count.
 */
export function pickEntitlement(
  candidates: EntitlementRow[],
  c: { channel: string; product: string | null },
  today: string,
): { entitlement: EntitlementRow; flag: EntitlementFlag | null } | null {
  const covering = candidates.filter((r) => covers(r, c));
  const specificity = (r: EntitlementRow) => (r.contact_id ? 2 : 0) + (r.products?.length ? 1 : 0);
  const best = (rows: EntitlementRow[], order: "soonest" | "latest") =>
    [...rows].sort(
      (a, b) =>
        specificity(b) - specificity(a) ||
        (order === "soonest" ? a.ends_on.localeCompare(b.ends_on) : b.ends_on.localeCompare(a.ends_on)) ||
        a.id.localeCompare(b.id),
    )[0];
  const active = best(
    covering.filter((r) => statusOf(r, today) === "active"),
    "soonest",
  );
  if (active) return { entitlement: active, flag: null };
  const exhausted = best(
    covering.filter((r) => statusOf(r, today) === "exhausted"),
    "soonest",
  );
  if (exhausted) return { entitlement: exhausted, flag: "exhausted" };
  const expired = best(
    covering.filter((r) => statusOf(r, today) === "expired"),
    "latest",
  );
  if (expired) return { entitlement: expired, flag: "expired" };
  return null;
}

/**
 * Entitlements: what a customer is entitled to, which case counts against which, and the
 * balance. Hooks into the case's transactions: picked at creation (flagged or refused when
 * lapsed), used up at creation or resolution, given back on reopen.
 */
export class EntitlementsService implements CaseHooks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly notifier: SlaNotifier,
  ) {}

  private today(): string {
    return utcDay(this.clock.now());
  }

  // ---- CRUD ----

  async list(
    actor: Actor,
    query: { accountId?: string | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Page<Entitlement>> {
    const accountId = actor.kind === "contact" ? actor.accountId : query.accountId;
    if (actor.kind !== "contact") requireStaff(actor);
    const limit = clampLimit(query.limit);
    const after = decodeCursor(query.cursor, ["string", "uuid"]);
    const rows = await repo.list(this.db.kysely, {
      accountId,
      after: after ? { endsOn: after[0] as string, id: after[1] as string } : undefined,
      limit,
    });
    const today = this.today();
    return toPage(
      rows,
      limit,
      (r) => [r.ends_on, r.id],
      (r) => presentEntitlement(r, today),
    );
  }

  async get(actor: Actor, id: string): Promise<Entitlement> {
    const row = await repo.find(this.db.kysely, id);
    if (!row || (actor.kind === "contact" && row.account_id !== actor.accountId))
      throw notFound("Entitlement");
    if (actor.kind !== "contact") requireStaff(actor);
    return presentEntitlement(row, this.today());
  }

  async create(ctx: RequestCtx, input: EntitlementInput): Promise<Entitlement> {
    requireRole(ctx.actor, ["admin", "manager", "sales"], "set up entitlements");
    return this.cases.tx(async (trx) => {
      const fields = await this.checked(trx, undefined, input);
      const now = this.clock.now();
      const row = await repo.insert(trx, {
        ...fields,
        id: newId(),
        used: 0,
        created_at: now,
        updated_at: now,
      });
      await this.audit.record(trx, ctx, {
        action: "entitlement.created",
        targetType: "entitlement",
        targetId: row.id,
        details: { name: row.name, accountId: row.account_id },
      });
      await this.bus.append(trx, {
        type: "entitlement.created",
        entityType: "entitlement",
        entityId: row.id,
        accountId: row.account_id,
        actorId: actorId(ctx.actor),
        data: { name: row.name, unit: row.unit, total: Number(row.total) },
      });
      return presentEntitlement(row, this.today());
    });
  }

  async update(ctx: RequestCtx, id: string, input: EntitlementInput): Promise<Entitlement> {
    requireRole(ctx.actor, ["admin", "manager", "sales"], "change entitlements");
    return this.cases.tx(async (trx) => {
      const before = await repo.lock(trx, id);
      if (!before) throw notFound("Entitlement");
      if (input.accountId !== undefined && input.accountId !== before.account_id) {
        throw invalid("/accountId", "an entitlement cannot move to another account");
      }
      const fields = await this.checked(trx, before, input);
      if (fields.total < Number(before.used)) {
        throw ruleRefused(`${before.used} ${before.unit} are already used; the total cannot go below that`);
      }
      const row = await repo.update(trx, id, { ...fields, updated_at: this.clock.now() });
      if (!row) throw notFound("Entitlement");
      await this.audit.record(trx, ctx, {
        action: "entitlement.updated",
        targetType: "entitlement",
        targetId: id,
        details: { name: row.name },
      });
      return presentEntitlement(row, this.today());
    });
  }

  async delete(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, ["admin", "manager"], "delete entitlements");
    await this.cases.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Entitlement");
      const used = await repo.casesUsing(trx, id);
      if (used > 0) {
        throw ruleRefused(
          `${used} case(s) count against this entitlement; end it instead (set endsOn) to keep their history`,
          { cases: used },
        );
      }
      await repo.delete(trx, id);
      await this.audit.record(trx, ctx, {
        action: "entitlement.deleted",
        targetType: "entitlement",
        targetId: id,
        details: { name: row.name },
      });
    });
  }

  // ---- time logged on a case ----

  async logTime(
    ctx: RequestCtx,
    caseId: string,
    input: { minutes: number; note?: string | undefined; workedOn?: string | undefined },
  ): Promise<TimeEntry> {
    return this.cases.tx(async (trx) => {
      const row = await this.cases.lockVisible(trx, ctx.actor, caseId);
      requireCaseWorker(ctx.actor, "log time on cases");
      const now = this.clock.now();
      const entry = await repo.insertTimeEntry(trx, {
        id: newId(),
        case_id: caseId,
        user_id: ctx.actor.kind === "user" ? ctx.actor.id : null,
        minutes: input.minutes,
        note: input.note?.trim() || null,
        worked_on: input.workedOn ?? utcDay(now),
        created_at: now,
      });
      await this.cases.recordHistory(trx, ctx, caseId, [
        { field: "timeLogged", from: null, to: { minutes: input.minutes } },
      ]);
      // Time logged after an hour-based entitlement was charged at resolution still counts.
      const link = await repo.caseLink(trx, caseId);
      if (link && Number(link.consumed) > 0) {
        const ent = await repo.find(trx, link.entitlement_id);
        if (ent?.unit === "hours")
          await this.consume(trx, row, link.entitlement_id, Number(link.consumed) + input.minutes / 60);
      }
      return presentTimeEntry(entry);
    });
  }

  async timeEntries(actor: Actor, caseId: string): Promise<{ items: TimeEntry[]; totalMinutes: number }> {
    requireStaff(actor);
    assertVisible(actor, await this.cases.findRow(this.db.kysely, caseId));
    const rows = await repo.timeEntries(this.db.kysely, caseId);
    return { items: rows.map(presentTimeEntry), totalMinutes: rows.reduce((s, r) => s + r.minutes, 0) };
  }

  // ---- what the SLA capability asks ----

  /** The entitlement a case counts against, when it is in good standing (a lapsed one brings no SLA). */
  async forCase(db: Executor, caseId: string): Promise<{ name: string; slaPolicyId: string | null } | null> {
    const link = await repo.caseLink(db, caseId);
    if (!link || link.flag) return null;
    const row = await repo.find(db, link.entitlement_id);
    return row ? { name: row.name, slaPolicyId: row.sla_policy_id } : null;
  }

  // ---- case hooks ----

  async afterCreate(trx: Trx, ctx: RequestCtx, row: CaseRow): Promise<CaseRow | undefined> {
    await this.attach(trx, ctx, row);
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
    const link = await repo.caseLink(trx, after.id);
    if (fields.includes("status")) {
      const from = categoryOf(before.status, catalogue);
      const into = categoryOf(after.status, catalogue);
      if (link && from !== "resolved" && into === "resolved" && !after.merged_into_id) {
        const ent = await repo.find(trx, link.entitlement_id);
        if (ent?.consume_on === "resolution") {
          const amount = ent.unit === "cases" ? 1 : (await repo.minutesLogged(trx, after.id)) / 60;
          await this.consume(trx, after, ent.id, amount);
        }
      }
      if (link && from === "resolved" && into !== "resolved") {
        const ent = await repo.find(trx, link.entitlement_id);
        // Given back on reopen, taken again when it resolves again.
        if (ent?.consume_on === "resolution") await this.consume(trx, after, ent.id, 0);
      }
    }
    const scope = ["accountId", "contactId", "channel", "product"];
    if (fields.some((f) => scope.includes(f)) && (!link || Number(link.consumed) === 0)) {
      await repo.deleteCaseLink(trx, after.id);
      await this.attach(trx, ctx, after, { refuse: false });
    }
  }

  async decorate(db: Executor, cases: Case[]): Promise<void> {
    const links = await repo.caseLinks(
      db,
      cases.map((c) => c.id),
    );
    if (links.length === 0) return;
    const ents = new Map(
      (await repo.findMany(db, [...new Set(links.map((l) => l.entitlement_id))])).map((e) => [e.id, e]),
    );
    const linkOf = new Map(links.map((l) => [l.case_id, l]));
    for (const c of cases) {
      const link = linkOf.get(c.id);
      const e = link ? ents.get(link.entitlement_id) : undefined;
      if (!link || !e) continue;
      c.entitlementId = e.id;
      c.entitlement = summary(e, link.flag);
    }
  }

  // ---- rules ----

  private async attach(trx: Trx, ctx: RequestCtx, row: CaseRow, options = { refuse: true }): Promise<void> {
    if (!row.account_id) return;
    const candidates = await repo.candidates(trx, row.account_id, row.contact_id);
    const choice = pickEntitlement(candidates, row, this.today());
    if (!choice) return;
    const { entitlement: e, flag } = choice;
    if (flag && e.when_exhausted === "refuse" && options.refuse) {
      const account = await repo.accountName(trx, e.account_id);
      const why =
        flag === "expired"
          ? `expired on ${e.ends_on}`
          : `used up (${Number(e.used)} of ${Number(e.total)} ${e.unit} used)`;
      throw ruleRefused(
        `${account?.name ?? "The account"}'s entitlement "${e.name}" is ${why}, so no new case can be raised against it. Ask the account manager to renew it.`,
        { entitlementId: e.id, flag },
      );
    }
    await repo.setCaseLink(trx, {
      case_id: row.id,
      entitlement_id: e.id,
      flag,
      consumed: 0,
      created_at: this.clock.now(),
    });
    if (flag) {
      await this.bus.append(trx, {
        type: "entitlement.flagged",
        entityType: "case",
        entityId: row.id,
        accountId: row.account_id,
        actorId: actorId(ctx.actor),
        data: { entitlementId: e.id, name: e.name, flag },
      });
      const managers = await this.managers(trx);
      await this.notifier.notify(trx, {
        userIds: managers,
        kind: "entitlement.flagged",
        title: `CS-${String(row.number).padStart(6, "0")} came in on a ${flag} entitlement`,
        body: `"${e.name}" is ${flag}; the case went through flagged for a manager to decide.`,
        link: `/cases/${row.id}`,
        caseId: row.id,
      });
      return;
    }
    if (e.consume_on === "creation") await this.consume(trx, row, e.id, e.unit === "cases" ? 1 : 0);
  }

  /** Sets what the case takes from the entitlement to `amount` (0 gives it back). */
  private async consume(trx: Trx, row: CaseRow, entitlementId: string, amount: number): Promise<void> {
    const link = await repo.caseLink(trx, row.id);
    if (!link) return;
    const target = round2(amount);
    const delta = round2(target - Number(link.consumed));
    if (delta === 0) return;
    const before = await repo.lock(trx, entitlementId);
    if (!before) return;
    const after = await repo.addUsed(trx, entitlementId, delta, this.clock.now());
    await repo.setConsumed(trx, row.id, target);
    const wasExhausted = Number(before.used) >= Number(before.total);
    const isExhausted = Number(after.used) >= Number(after.total);
    await this.bus.append(trx, {
      type: delta > 0 ? "entitlement.used" : "entitlement.restored",
      entityType: "entitlement",
      entityId: entitlementId,
      accountId: after.account_id,
      data: { caseId: row.id, amount: Math.abs(delta), used: Number(after.used), total: Number(after.total) },
    });
    if (!wasExhausted && isExhausted) {
      await this.bus.append(trx, {
        type: "entitlement.exhausted",
        entityType: "entitlement",
        entityId: entitlementId,
        accountId: after.account_id,
        data: { name: after.name, total: Number(after.total), unit: after.unit },
      });
      const account = await repo.accountName(trx, after.account_id);
      const to = new Set(await this.managers(trx));
      if (account?.owner_id) to.add(account.owner_id);
      await this.notifier.notify(trx, {
        userIds: [...to],
        kind: "entitlement.exhausted",
        title: `${account?.name ?? "An account"}: entitlement "${after.name}" is used up`,
        body: `${Number(after.used)} of ${Number(after.total)} ${after.unit} used. Time to talk about renewing.`,
        link: `/accounts/${after.account_id}`,
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

  private async checked(
    trx: Trx,
    before: EntitlementRow | undefined,
    input: EntitlementInput,
  ): Promise<Omit<EntitlementRow, "id" | "used" | "created_at" | "updated_at">> {
    const accountId = before?.account_id ?? input.accountId;
    if (!accountId) throw invalid("/accountId", "is required");
    if (!before && !(await repo.accountExists(trx, accountId)))
      throw invalid("/accountId", "no such account");
    const contactId = input.contactId !== undefined ? input.contactId : (before?.contact_id ?? null);
    if (contactId) {
      const c = await repo.contactAccount(trx, contactId);
      if (!c) throw invalid("/contactId", "no such contact");
      if (c.account_id !== accountId) throw invalid("/contactId", "belongs to another account");
    }
    const name = (input.name ?? before?.name ?? "").trim();
    if (!name) throw invalid("/name", input.name === undefined ? "is required" : "must not be blank");
    const unit = input.unit ?? before?.unit;
    if (!unit) throw invalid("/unit", "is required");
    const total = input.total ?? (before ? Number(before.total) : undefined);
    if (total === undefined) throw invalid("/total", "is required");
    if (Math.round(total * 100) !== total * 100) throw invalid("/total", "at most two decimals");
    if (unit === "cases" && !Number.isInteger(total)) throw invalid("/total", "a number of cases is whole");
    const startsOn = input.startsOn ?? before?.starts_on;
    if (!startsOn) throw invalid("/startsOn", "is required");
    const endsOn = input.endsOn ?? before?.ends_on;
    if (!endsOn) throw invalid("/endsOn", "is required");
    if (endsOn < startsOn) throw invalid("/endsOn", "must not be before startsOn");
    const slaPolicyId = input.slaPolicyId !== undefined ? input.slaPolicyId : (before?.sla_policy_id ?? null);
    if (input.slaPolicyId && !(await repo.policyExists(trx, input.slaPolicyId))) {
      throw invalid("/slaPolicyId", "no such SLA policy");
    }
    const consumeOn = input.consumeOn ?? before?.consume_on ?? "resolution";
    if (unit === "hours" && consumeOn === "creation") {
      throw invalid("/consumeOn", "hour-based entitlements are used up by the time logged, at resolution");
    }
    const clean = (v: string[] | null | undefined) => {
      if (!v) return null;
      const items = [...new Set(v.map((x) => x.trim()).filter((x) => x !== ""))];
      return items.length > 0 ? items : null;
    };
    return {
      account_id: accountId,
      contact_id: contactId,
      name,
      unit,
      total,
      starts_on: startsOn,
      ends_on: endsOn,
      channels: input.channels !== undefined ? clean(input.channels) : (before?.channels ?? null),
      products: input.products !== undefined ? clean(input.products) : (before?.products ?? null),
      sla_policy_id: slaPolicyId,
      consume_on: consumeOn,
      when_exhausted: input.whenExhausted ?? before?.when_exhausted ?? "flag",
    };
  }
}

function summary(e: EntitlementRow, flag: EntitlementFlag | null): EntitlementSummary {
  return {
    id: e.id,
    name: e.name,
    unit: e.unit,
    total: Number(e.total),
    remaining: round2(Math.max(0, Number(e.total) - Number(e.used))),
    endsOn: e.ends_on,
    flag,
  };
}

function presentTimeEntry(r: TimeEntryRow): TimeEntry {
  return {
    id: r.id,
    caseId: r.case_id,
    userId: r.user_id,
    minutes: r.minutes,
    note: r.note,
    workedOn: r.worked_on,
    createdAt: r.created_at.toISOString(),
  };
}
