import { type RequestCtx, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import { AppError, invalid, ruleRefused } from "../../platform/errors.ts";
import type { AccountsService } from "../accounts/accounts.service.ts";
import type { ActivitiesService, Activity } from "../activities/activities.service.ts";
import { CASE_WORKERS } from "../cases/case-access.ts";
import type { CaseMessagesService } from "../cases/case-messages.service.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { Case, CasesService } from "../cases/cases.service.ts";
import type { Priority } from "../cases/cases.tables.ts";

export type LogCall = {
  /** Add the call to this case … */
  caseId?: string | undefined;
  /** … or open a new case (channel phone) for it. */
  newCase?:
    | {
        subject: string;
        accountId?: string | undefined;
        contactId?: string | undefined;
        priority?: Priority | undefined;
        product?: string | undefined;
      }
    | undefined;
  direction: "in" | "out";
  durationMinutes?: number | undefined;
  durationSeconds?: number | undefined;
  /** What was said: the new case's description, and a line on the thread. */
  notes?: string | undefined;
  outcome?: string | undefined;
  /** When the call happened (default now). */
  at?: string | undefined;
};

export type LoggedCall = { case: Case; created: boolean; activity: Activity; messageId: string | null };

/**
 * "Log a call" from the agent workspace: the call activity and the case it belongs to (a new
 * phone case, or a line on an existing one) in one transaction, so neither exists without the
 * other. An incoming call on an existing case is the customer speaking (a `customer` message:
 * it ends waiting-on-customer and reopens a resolved case, as an email would); an outgoing
 * one is an internal note (the answer itself is the call; promises to call back are kept by it).
 */
export class CallsService {
  constructor(
    private readonly clock: Clock,
    private readonly accounts: AccountsService,
    private readonly cases: CasesService,
    private readonly caseMessages: CaseMessagesService,
    private readonly activities: ActivitiesService,
  ) {}

  async log(ctx: RequestCtx, input: LogCall): Promise<LoggedCall> {
    const actor = ctx.actor;
    if (actor.kind === "contact") throw new AppError("forbidden", "Staff only");
    requireRole(actor, CASE_WORKERS, "log calls on cases");
    if ((input.caseId === undefined) === (input.newCase === undefined)) {
      throw invalid(
        input.caseId === undefined ? "/caseId" : "/newCase",
        "give exactly one of caseId or newCase",
      );
    }
    const now = this.clock.now();
    const at = input.at ?? now.toISOString();
    if (Number.isNaN(Date.parse(at))) throw invalid("/at", "must be a date-time");
    if (Date.parse(at) > now.getTime() + 5 * 60_000)
      throw invalid("/at", "a logged call cannot be in the future");
    const notes = input.notes?.trim() || undefined;
    return this.cases.tx(async (trx) => {
      let row: CaseRow;
      let created = false;
      let messageId: string | null = null;
      if (input.newCase) {
        const nc = input.newCase;
        row = await this.cases.insertCase(
          trx,
          ctx,
          {
            subject: nc.subject,
            description: notes ?? null,
            accountId: nc.accountId,
            contactId: nc.contactId,
            priority: nc.priority,
            product: nc.product,
            channel: "phone",
            receivedAt: input.direction === "in" ? at : undefined,
          },
          { status: "new" },
        );
        created = true;
      } else {
        row = await this.cases.lockVisible(trx, actor, input.caseId!);
        if (row.merged_into_id)
          throw ruleRefused("That case was merged into another one; log the call there");
        const minutes = durationLabel(input);
        const line = `${input.direction === "in" ? "Phone call from the customer" : "Phone call to the customer"}${minutes}${
          notes ? `:\n\n${notes}` : "."
        }`;
        const kind = input.direction === "in" && row.contact_id ? "customer" : "note";
        const message = await this.caseMessages.addIn(trx, ctx, row.id, { kind, body: line });
        messageId = message.id;
        // A customer message past the reopen window lands on a follow-up case: log the call there.
        row = (await this.cases.findRow(trx, message.caseId)) ?? row;
      }
      const contact = row.contact_id ? await this.accounts.contactIn(trx, row.contact_id) : undefined;
      const activity = await this.activities.createIn(trx, ctx, {
        type: "call",
        subject: `${input.direction === "in" ? "Call from" : "Call to"} ${contact?.name ?? "the customer"}`,
        caseId: row.id,
        direction: input.direction,
        durationMinutes: input.durationMinutes,
        durationSeconds: input.durationSeconds,
        notes: notes ?? null,
        outcome: input.outcome ?? null,
        dueAt: at,
        status: "done",
      });
      const fresh = (await this.cases.findRow(trx, row.id)) ?? row;
      const c = await this.cases.present(trx, fresh, await this.cases.catalogue(trx), actor);
      return { case: c, created, activity, messageId };
    });
  }
}

function durationLabel(input: {
  durationMinutes?: number | undefined;
  durationSeconds?: number | undefined;
}): string {
  const seconds =
    input.durationSeconds ?? (input.durationMinutes !== undefined ? input.durationMinutes * 60 : undefined);
  if (seconds === undefined) return "";
  const m = Math.round(seconds / 60);
  return m < 1 ? " (under a minute)" : ` (${m} min)`;
}
