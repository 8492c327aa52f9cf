import { type Actor, actorId, type RequestCtx, SYSTEM } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, conflict, invalid, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { assertVisible } from "../cases/case-access.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import { categoryOf, type StatusCatalogue } from "../cases/case-status-machine.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { CaseHooks, CasesService } from "../cases/cases.service.ts";
import type { NotificationsService } from "../notifications/notifications.service.ts";
import type { UsersService } from "../users/users.service.ts";
import { type EscalationRow, escalationsRepository as repo } from "./escalations.repository.ts";

export const CASE_ESCALATED = "case.escalated";
export const CASE_ESCALATION_CLOSED = "case.escalation_closed";
export const MAX_REASON_LENGTH = 2000;

export type Escalation = {
  id: string;
  caseId: string;
  accountId: string | null;
  contactId: string | null;
  reason: string;
  by: "contact" | "staff";
  raisedByContactId: string | null;
  raisedByUserId: string | null;
  createdAt: string;
  closedAt: string | null;
  open: boolean;
};

export function presentEscalation(r: EscalationRow): Escalation {
  return {
    id: r.id,
    caseId: r.case_id,
    accountId: r.account_id,
    contactId: r.contact_id,
    reason: r.reason,
    by: r.raised_by_contact_id ? "contact" : "staff",
    raisedByContactId: r.raised_by_contact_id,
    raisedByUserId: r.raised_by_user_id,
    createdAt: r.created_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    open: r.closed_at === null,
  };
}

/**
 * Escalation to a manager: a customer (portal) or a staff member says "this needs a manager",
 * with a reason. The team lead of the case's team (else the leads of the owner's teams, else the
 * managers) and the owner are notified in the app and by email; `case.escalated` is appended.
 * Open until the case is resolved, closed or merged.
 */
export class EscalationsService implements CaseHooks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly cases: CasesService,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Does this contact have an open escalation (survey fatigue rules ask before sending). */
  async hasOpenForContact(db: Executor, contactId: string): Promise<boolean> {
    return repo.hasOpen(db, "contact_id", contactId);
  }

  /** Does any case of this account have an open escalation. */
  async hasOpenForAccount(db: Executor, accountId: string): Promise<boolean> {
    return repo.hasOpen(db, "account_id", accountId);
  }

  /** A case's escalations, newest first (staff, and the case's own account in the portal). */
  async listForCase(actor: Actor, caseId: string): Promise<Escalation[]> {
    const db = this.db.kysely;
    assertVisible(actor, await this.cases.findRow(db, caseId));
    return (await repo.listForCase(db, caseId)).map(presentEscalation);
  }

  /** Which of these cases have an open escalation (lists). */
  async openCaseIds(db: Executor, caseIds: string[]): Promise<Set<string>> {
    return repo.openCaseIds(db, caseIds);
  }

  async escalate(ctx: RequestCtx, caseId: string, input: { reason: string }): Promise<Escalation> {
    // Read before the transaction: the user list opens its own connection.
    const managers = await this.managers();
    return this.cases.tx(async (trx) => {
      const row = await this.cases.lockVisible(trx, ctx.actor, caseId);
      return this.escalateIn(trx, ctx, row, input, managers);
    });
  }

  /** Active managers (who hear of an escalation when no team lead is known). */
  async managers(): Promise<string[]> {
    const page = await this.users.list(SYSTEM.actor, { role: "manager", active: true, limit: 200 });
    return page.items.map((u) => u.id);
  }

  /** Escalates inside the caller's transaction; `row` is the locked case the actor may see. */
  async escalateIn(
    trx: Trx,
    ctx: RequestCtx,
    row: CaseRow,
    input: { reason: string },
    managers: string[],
  ): Promise<Escalation> {
    const actor = ctx.actor;
    if (actor.kind === "system") throw new AppError("forbidden", "Escalations are raised by people");
    const reason = input.reason.replaceAll("\u0000", "").trim();
    if (reason === "") throw invalid("/reason", "must not be blank");
    if (reason.length > MAX_REASON_LENGTH)
      throw invalid("/reason", `at most ${MAX_REASON_LENGTH} characters`);
    if (row.merged_into_id) throw ruleRefused("This case was merged into another one; escalate that case");
    const catalogue = await this.cases.catalogue(trx);
    if (categoryOf(row.status, catalogue) === "resolved") {
      throw ruleRefused("This case is resolved. Reply to it (or raise a new one) to take it further.");
    }
    const open = await repo.openForCase(trx, row.id);
    if (open) {
      throw conflict(
        `This case was already escalated on ${open.created_at.toISOString().slice(0, 10)}; a manager is looking at it`,
      );
    }
    const now = this.clock.now();
    const id = newId();
    const byContact = actor.kind === "contact";
    await repo.insert(trx, {
      id,
      case_id: row.id,
      account_id: row.account_id,
      contact_id: row.contact_id,
      reason,
      raised_by_contact_id: byContact ? actor.id : null,
      raised_by_user_id: byContact ? null : actor.id,
      created_at: now,
      closed_at: null,
    });
    await this.cases.recordHistory(trx, ctx, row.id, [
      {
        field: "escalated",
        from: null,
        to: { escalationId: id, by: byContact ? "contact" : "staff", reason },
      },
    ]);
    await this.bus.append(trx, {
      type: CASE_ESCALATED,
      entityType: "case",
      entityId: row.id,
      accountId: row.account_id,
      actorId: actorId(actor),
      data: { reason, by: byContact ? "contact" : "staff", escalationId: id, contactId: row.contact_id },
    });
    const recipients = await this.recipients(trx, row, managers);
    const who = byContact ? "The customer" : `${actor.email}`;
    const number = formatCaseNumber(row.number);
    await this.notifications.notify(trx, {
      userIds: recipients.filter((u) => u !== actorId(actor)),
      kind: CASE_ESCALATED,
      title: `Escalated to a manager: ${number} ${row.subject}`,
      body: `${who} asked for a manager: ${reason}`,
      link: `/cases/${row.id}`,
      caseId: row.id,
      email: true,
      dedupeKey: `case.escalated:${id}`,
      actorId: actorId(actor),
    });
    return presentEscalation((await repo.openForCase(trx, row.id))!);
  }

  /** The case's team lead, else the leads of the owner's teams, else the managers; plus the owner. */
  private async recipients(db: Executor, row: CaseRow, managers: string[]): Promise<string[]> {
    const leads = new Set<string>();
    if (row.team_id) {
      const team = await this.users.teamIn(db, row.team_id);
      if (team?.leadId) leads.add(team.leadId);
    }
    if (leads.size === 0 && row.owner_id) {
      const owner = await this.users.userIn(db, row.owner_id);
      for (const teamId of owner?.teamIds ?? []) {
        const team = await this.users.teamIn(db, teamId);
        if (team?.leadId && team.leadId !== row.owner_id) leads.add(team.leadId);
      }
    }
    if (leads.size === 0) {
      for (const m of managers) leads.add(m);
    }
    if (row.owner_id) leads.add(row.owner_id);
    return [...leads];
  }

  // ---- case hooks ----

  /** Resolving, closing or merging a case closes its open escalation. */
  async afterChange(
    trx: Trx,
    ctx: RequestCtx,
    before: CaseRow,
    after: CaseRow,
    fields: string[],
    catalogue: StatusCatalogue,
  ): Promise<void> {
    const resolvedNow =
      fields.includes("status") &&
      categoryOf(after.status, catalogue) === "resolved" &&
      (categoryOf(before.status, catalogue) !== "resolved" || after.status === "closed");
    const mergedNow = !before.merged_into_id && after.merged_into_id !== null;
    if (!resolvedNow && !mergedNow) return;
    const closed = await repo.closeForCase(trx, after.id, this.clock.now());
    for (const escalationId of closed) {
      await this.bus.append(trx, {
        type: CASE_ESCALATION_CLOSED,
        entityType: "case",
        entityId: after.id,
        accountId: after.account_id,
        actorId: actorId(ctx.actor),
        data: { escalationId, status: after.status, merged: mergedNow },
      });
    }
  }
}
