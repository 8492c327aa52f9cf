import { DateTime } from "luxon";
import { type Actor, type RequestCtx, requireRole, SYSTEM } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Config } from "../../platform/config.ts";
import type { Database, Executor } from "../../platform/db/database.ts";
import { invalid, notFound } from "../../platform/errors.ts";
import type { AccountsService, Contact } from "../accounts/accounts.service.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { CasesService } from "../cases/cases.service.ts";
import type { UsersService } from "../users/users.service.ts";
import { emailRepository as repo } from "./email.repository.ts";
import type { TemplateMoment } from "./email.tables.ts";
import {
  checkTemplate,
  DEFAULT_TEMPLATES,
  MOMENT_LABELS,
  MOMENTS,
  PLACEHOLDERS,
  type RenderedMail,
  renderMail,
  type TemplateText,
  type TemplateValues,
} from "./templates.ts";
import { withCaseNumber } from "./thread-marker.ts";

export type EmailTemplate = {
  moment: TemplateMoment;
  label: string;
  enabled: boolean;
  subject: string;
  body: string;
  /** True while no admin has edited it: the shipped default. */
  isDefault: boolean;
  updatedAt: string | null;
  updatedById: string | null;
};

export type TemplatePreview = RenderedMail & { values: Record<string, string> };

export type EffectiveTemplate = TemplateText & { enabled: boolean; isDefault: boolean };

const READERS = ["admin", "manager"] as const;
const EDITORS = ["admin"] as const;

/** `Tuesday 3 March, 11:00 (GMT)` in the customer's zone. */
export function formatDue(at: Date | string, zone: string): string {
  let dt = DateTime.fromJSDate(typeof at === "string" ? new Date(at) : at).setZone(zone);
  if (!dt.isValid) dt = DateTime.fromJSDate(typeof at === "string" ? new Date(at) : at).setZone("UTC");
  return dt.setLocale("en-GB").toFormat("cccc d LLLL, HH:mm (ZZZZ)");
}

export function assertMoment(moment: string): TemplateMoment {
  if (!(MOMENTS as readonly string[]).includes(moment)) throw notFound("Template");
  return moment as TemplateMoment;
}

/**
 * The customer notification templates (received, assigned, waiting, resolved): shipped
 * defaults, admin edits (stored per moment), switching a moment off, and the values their
 * placeholders take for a case.
 */
export class EmailTemplatesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly accounts: AccountsService,
    private readonly users: UsersService,
  ) {}

  /** The template in force for a moment, on the caller's executor. */
  async effective(db: Executor, moment: TemplateMoment): Promise<EffectiveTemplate> {
    const row = await repo.findTemplate(db, moment);
    if (row) return { enabled: row.enabled, subject: row.subject, body: row.body, isDefault: false };
    return { ...DEFAULT_TEMPLATES[moment], enabled: true, isDefault: true };
  }

  async list(actor: Actor): Promise<EmailTemplate[]> {
    requireRole(actor, [...READERS], "read email templates");
    const rows = await repo.listTemplates(this.db.kysely);
    return MOMENTS.map((m) =>
      present(
        m,
        rows.find((r) => r.moment === m),
      ),
    );
  }

  async get(actor: Actor, moment: string): Promise<EmailTemplate> {
    requireRole(actor, [...READERS], "read email templates");
    const m = assertMoment(moment);
    return present(m, await repo.findTemplate(this.db.kysely, m));
  }

  /** Saves an edit; omitted fields keep their current (or default) value. */
  async put(
    ctx: RequestCtx,
    moment: string,
    input: { enabled?: boolean | undefined; subject?: string | undefined; body?: string | undefined },
  ): Promise<EmailTemplate> {
    requireRole(ctx.actor, [...EDITORS], "edit email templates");
    const m = assertMoment(moment);
    return this.db.kysely.transaction().execute(async (trx) => {
      const current = await this.effective(trx, m);
      const checked = checkTemplate({
        subject: input.subject ?? current.subject,
        body: input.body ?? current.body,
      });
      const enabled = input.enabled ?? current.enabled;
      await repo.upsertTemplate(trx, {
        moment: m,
        enabled,
        subject: checked.subject,
        body: checked.body,
        updated_at: this.clock.now(),
        updated_by: ctx.actor.kind === "user" ? ctx.actor.id : null,
      });
      await this.audit.record(trx, ctx, {
        action: "email_template.updated",
        targetType: "email_template",
        targetId: undefined,
        details: {
          moment: m,
          enabled,
          subjectChanged: checked.subject !== current.subject,
          bodyChanged: checked.body !== current.body,
        },
      });
      return present(m, await repo.findTemplate(trx, m));
    });
  }

  /** Back to the shipped default (and switched on). */
  async reset(ctx: RequestCtx, moment: string): Promise<EmailTemplate> {
    requireRole(ctx.actor, [...EDITORS], "edit email templates");
    const m = assertMoment(moment);
    return this.db.kysely.transaction().execute(async (trx) => {
      if (await repo.deleteTemplate(trx, m)) {
        await this.audit.record(trx, ctx, {
          action: "email_template.reset",
          targetType: "email_template",
          details: { moment: m },
        });
      }
      return present(m, undefined);
    });
  }

  /**
   * Renders a moment's template (or the draft given) for a real case or for sample values, as
   * the customer would receive it.
   */
  async preview(
    actor: Actor,
    moment: string,
    input: { subject?: string | undefined; body?: string | undefined; caseId?: string | undefined },
  ): Promise<TemplatePreview> {
    requireRole(actor, [...READERS], "preview email templates");
    const m = assertMoment(moment);
    const db = this.db.kysely;
    const current = await this.effective(db, m);
    const draft = checkTemplate({
      subject: input.subject ?? current.subject,
      body: input.body ?? current.body,
    });
    let values: TemplateValues;
    let number = 123;
    if (input.caseId) {
      const row = await this.cases.findRow(db, input.caseId);
      if (!row) throw invalid("/caseId", "no such case");
      values = await this.valuesFor(db, row);
      number = row.number;
    } else {
      values = this.sampleValues();
    }
    const rendered = renderMail(draft, values);
    return {
      ...rendered,
      subject: withCaseNumber(rendered.subject, number),
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v ?? ""])),
    };
  }

  placeholders(): { key: string; description: string }[] {
    return Object.entries(PLACEHOLDERS).map(([key, description]) => ({ key, description }));
  }

  /** What every placeholder holds for this case, dates in the customer's time zone. */
  async valuesFor(db: Executor, row: CaseRow, known?: Contact): Promise<TemplateValues> {
    const contact = known ?? (row.contact_id ? await this.accounts.contactIn(db, row.contact_id) : undefined);
    const accountId = contact?.accountId ?? row.account_id;
    const account = accountId ? await this.accounts.accountIn(db, accountId) : undefined;
    const zone = contact?.timeZone ?? account?.timeZone ?? "UTC";
    const catalogue = await this.cases.catalogue(db);
    const presented = await this.cases.present(db, row, catalogue, SYSTEM.actor);
    const now = this.clock.now().getTime();
    const due = (kpi: "firstResponse" | "resolution") => {
      const clock = presented.sla.find((c) => c.kpi === kpi);
      if (!clock || clock.metAt || clock.status === "met" || clock.status === "breached") return "";
      if (Date.parse(clock.dueAt) < now) return "";
      return formatDue(clock.dueAt, zone);
    };
    const owner = row.owner_id ? await this.users.userIn(db, row.owner_id) : undefined;
    const team = row.team_id ? await this.users.teamIn(db, row.team_id) : undefined;
    const portal = `${this.config.publicUrl}/portal`;
    return {
      "case.number": formatCaseNumber(row.number),
      "case.subject": row.subject,
      "case.status": row.status.replaceAll("_", " "),
      "case.priority": row.priority,
      "case.url": `${portal}/cases/${row.id}`,
      "case.reopenDays": String(await this.cases.reopenWindowDays(db)),
      "contact.name": contact?.name ?? "",
      "contact.email": contact?.email ?? "",
      "account.name": account?.name ?? "",
      "sla.firstResponseDue": due("firstResponse"),
      "sla.resolutionDue": due("resolution"),
      "agent.name": owner?.active ? owner.name : "",
      "team.name": team?.name ?? "",
      "portal.url": portal,
      "company.name": this.companyName(),
    };
  }

  private sampleValues(): TemplateValues {
    const portal = `${this.config.publicUrl}/portal`;
    const inFourHours = new Date(this.clock.now().getTime() + 4 * 3_600_000);
    return {
      "case.number": "CS-000123",
      "case.subject": "Printer on fire",
      "case.status": "open",
      "case.priority": "high",
      "case.url": `${portal}/cases/00000000-0000-0000-0000-000000000000`,
      "case.reopenDays": "14",
      "contact.name": "Wile E. Coyote",
      "contact.email": "wile@acme.example",
      "account.name": "Acme Corporation",
      "sla.firstResponseDue": formatDue(inFourHours, "Europe/London"),
      "sla.resolutionDue": formatDue(new Date(inFourHours.getTime() + 2 * 86_400_000), "Europe/London"),
      "agent.name": "Alex Agent",
      "team.name": "Support",
      "portal.url": portal,
      "company.name": this.companyName(),
    };
  }

  /** The display name of KEEPDESK_MAIL_FROM, or its domain. */
  companyName(): string {
    const from = this.config.mailFrom;
    const name = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1]?.trim();
    return name || (from.split("@")[1]?.replace(/>$/, "") ?? "Support");
  }
}

function present(moment: TemplateMoment, row: Awaited<ReturnType<typeof repo.findTemplate>>): EmailTemplate {
  const base = row ?? { ...DEFAULT_TEMPLATES[moment], enabled: true, updated_at: null, updated_by: null };
  return {
    moment,
    label: MOMENT_LABELS[moment],
    enabled: base.enabled,
    subject: base.subject,
    body: base.body,
    isDefault: !row,
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedById: row?.updated_by ?? null,
  };
}
