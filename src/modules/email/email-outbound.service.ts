import type { Actor, RequestCtx } from "../../platform/auth/actor.ts";
import { requireStaff } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import type { EventBus, StoredEvent } from "../../platform/events/event-bus.ts";
import { escapeHtml } from "../../platform/html.ts";
import { newId } from "../../platform/ids.ts";
import type { Logger } from "../../platform/logger.ts";
import type { AccountsService } from "../accounts/accounts.service.ts";
import { assertVisible } from "../cases/case-access.ts";
import type { CaseMessagesService } from "../cases/case-messages.service.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { CaseHooks, CaseMessageFact, CasesService } from "../cases/cases.service.ts";
import type { MailService } from "../mail/mail.service.ts";
import { emailRepository as repo } from "./email.repository.ts";
import type { TemplateMoment } from "./email.tables.ts";
import type { EmailTemplatesService } from "./email-templates.service.ts";
import type { EmailThreads } from "./email-threads.ts";
import type { InboundMailService } from "./inbound.service.ts";
import { AUTO_MAIL_CAP, AUTO_MAIL_WINDOW_MS, autoMailRefusal, isOwnAddress } from "./loop-guard.ts";
import { renderMail, textToHtml } from "./templates.ts";
import { replySubject, withCaseNumber } from "./thread-marker.ts";

/** The bus handler that sends the customer notifications. */
export const NOTIFY_HANDLER = "email.customer_notifications";
/** Case channels whose new cases are acknowledged by mail. */
const ACKNOWLEDGED_CHANNELS = ["email", "portal", "web"];
/** A first owner given this soon after creation was given at creation: the acknowledgement covers it. */
const AT_CREATION_MS = 2_000;

export type AutoMailEntry = {
  id: string;
  moment: string;
  to: string;
  status: "sent" | "suppressed";
  reason: string | null;
  mailId: string | null;
  createdAt: string;
};

/**
 * Mail to customers about their case. A staff `reply` goes out by email in the reply's own
 * transaction (a case hook), threaded onto the customer's last mail and carrying the case number
 * and our marker. The moments that matter (received, assigned, waiting on you, resolved) are
 * announced by template from case events, exactly once, each subject to loop protection: none to
 * automatic or own addresses, none on cases an automatic sender opened, at most
 * `AUTO_MAIL_CAP` per address per 3 hours. Automatic mail is not a message on the case thread
 * (no author, it must never meet a first-response SLA): it is in the mail log and
 * `GET /cases/{id}/auto-mail`.
 */
export class EmailOutboundService implements CaseHooks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly cases: CasesService,
    private readonly caseMessages: CaseMessagesService,
    private readonly accounts: AccountsService,
    private readonly mail: MailService,
    private readonly threads: EmailThreads,
    private readonly templates: EmailTemplatesService,
    private readonly inbound: InboundMailService,
  ) {}

  /** Called once by the composition root. */
  register(): void {
    this.bus.register({
      name: NOTIFY_HANDLER,
      types: ["case.created", "case.assigned", "case.status_changed", "case.resolved"],
      handle: (event, trx) => this.onCaseEvent(event, trx),
    });
  }

  // ---- replies ----

  async afterMessage(trx: Trx, _ctx: RequestCtx, row: CaseRow, message: CaseMessageFact): Promise<void> {
    if (message.kind !== "reply" || !row.contact_id) return;
    const contact = await this.accounts.contactIn(trx, row.contact_id);
    if (!contact || isOwnAddress(contact.email, this.inbound.ownAddresses)) return;
    const content = await this.caseMessages.messageForMail(trx, message.id);
    if (!content) return;
    const marker = await this.threads.marker(trx, row);
    const { inReplyTo, references } = await this.threads.replyHeaders(trx, row.id);
    const sent = await this.mail.enqueue(trx, {
      to: contact.email,
      toName: contact.name,
      subject: replySubject(row.subject, row.number),
      text: `${content.body.trimEnd()}\n\n${marker}\n`,
      html: withMarker(textToHtml(content.body), marker),
      inReplyTo,
      references,
      headers: { "X-Keepdesk-Case": formatCaseNumber(row.number) },
      attachments: content.files.map((f) => ({
        filename: f.filename,
        contentType: f.contentType,
        content: f.content,
      })),
      purpose: "case.reply",
      caseId: row.id,
    });
    await this.threads.record(trx, {
      messageId: sent.messageId,
      caseId: row.id,
      direction: "out",
      outboundMailId: sent.id,
      caseMessageId: message.id,
    });
  }

  // ---- notifications ----

  private async onCaseEvent(event: StoredEvent, trx: Trx): Promise<void> {
    const row = await this.cases.findRow(trx, event.entityId);
    if (!row || row.merged_into_id) return;
    const moment = this.momentOf(event, row);
    if (moment) await this.notify(trx, moment, row);
  }

  private momentOf(event: StoredEvent, row: CaseRow): TemplateMoment | undefined {
    const d = event.data;
    switch (event.type) {
      case "case.created":
        return ACKNOWLEDGED_CHANNELS.includes(String(d.channel)) ? "received" : undefined;
      case "case.assigned": {
        if (!d.ownerId || d.ownerId === d.previousOwnerId) return undefined;
        const atCreation =
          d.previousOwnerId === null &&
          event.occurredAt.getTime() - row.created_at.getTime() < AT_CREATION_MS;
        return atCreation ? undefined : "assigned";
      }
      case "case.status_changed":
        return d.to === "waiting_on_customer" ? "waiting" : undefined;
      case "case.resolved":
        return d.merged ? undefined : "resolved";
      default:
        return undefined;
    }
  }

  /** Sends (or, by loop protection, holds back and records) one moment's mail for a case. */
  async notify(trx: Trx, moment: TemplateMoment, row: CaseRow): Promise<"sent" | "suppressed" | "skipped"> {
    if (!row.contact_id) return "skipped";
    const template = await this.templates.effective(trx, moment);
    if (!template.enabled) return "skipped";
    const contact = await this.accounts.contactIn(trx, row.contact_id);
    if (!contact) return "skipped";
    const address = contact.email;
    const thread = await this.threads.ensure(trx, row.id);
    let refusal = autoMailRefusal(address, this.inbound.ownAddresses);
    if (!refusal && thread.no_auto_mail_reason) refusal = `the case came from ${thread.no_auto_mail_reason}`;
    if (!refusal) {
      // Two workers notifying the same address must not both slip under the cap.
      await repo.lockAddress(trx, address);
      const since = new Date(this.clock.now().getTime() - AUTO_MAIL_WINDOW_MS);
      const sent = await repo.countAutoSent(trx, address, since);
      if (sent >= AUTO_MAIL_CAP)
        refusal = `${AUTO_MAIL_CAP} automatic mails to this address within 3 hours already`;
    }
    if (refusal) {
      await this.logAuto(trx, { row, moment, address, status: "suppressed", reason: refusal, mailId: null });
      this.log.info({ caseId: row.id, moment, reason: refusal }, "automatic mail held back");
      return "suppressed";
    }
    const values = await this.templates.valuesFor(trx, row, contact);
    const rendered = renderMail(template, values);
    const marker = await this.threads.marker(trx, row);
    const { inReplyTo, references } = await this.threads.replyHeaders(trx, row.id);
    const queued = await this.mail.enqueue(trx, {
      to: address,
      toName: contact.name,
      subject: withCaseNumber(rendered.subject, row.number),
      text: `${rendered.text}\n\n${marker}\n`,
      html: withMarker(rendered.html, marker),
      inReplyTo,
      references,
      headers: {
        // RFC 3834: an answer to the customer's mail, or a notice of our own.
        "Auto-Submitted":
          moment === "received" && row.channel === "email" ? "auto-replied" : "auto-generated",
        // Asks Exchange and Outlook not to answer with out-of-office replies.
        "X-Auto-Response-Suppress": "All",
        "X-Keepdesk-Case": formatCaseNumber(row.number),
      },
      purpose: `case.notification.${moment}`,
      caseId: row.id,
    });
    await this.threads.record(trx, {
      messageId: queued.messageId,
      caseId: row.id,
      direction: "out",
      outboundMailId: queued.id,
    });
    await this.logAuto(trx, { row, moment, address, status: "sent", reason: null, mailId: queued.id });
    return "sent";
  }

  private async logAuto(
    trx: Trx,
    e: {
      row: CaseRow;
      moment: string;
      address: string;
      status: "sent" | "suppressed";
      reason: string | null;
      mailId: string | null;
    },
  ): Promise<void> {
    await repo.insertAutoMail(trx, {
      id: newId(),
      case_id: e.row.id,
      moment: e.moment,
      to_address: e.address,
      status: e.status,
      reason: e.reason,
      outbound_mail_id: e.mailId,
      created_at: this.clock.now(),
    });
  }

  /** `GET /cases/{id}/auto-mail`: the automatic mails of a case, sent or held back and why (staff). */
  async autoMailOf(actor: Actor, caseId: string): Promise<AutoMailEntry[]> {
    requireStaff(actor);
    assertVisible(actor, await this.cases.findRow(this.db.kysely, caseId));
    const rows = await repo.listAutoMail(this.db.kysely, caseId);
    return rows.map((r) => ({
      id: r.id,
      moment: r.moment,
      to: r.to_address,
      status: r.status,
      reason: r.reason,
      mailId: r.outbound_mail_id,
      createdAt: r.created_at.toISOString(),
    }));
  }
}

/** The marker as a small grey line at the end of the HTML body (kept when the customer quotes it). */
function withMarker(html: string, marker: string): string {
  const line = `<p style="color:#9aa0a6;font-size:10px">${escapeHtml(marker)}</p>`;
  return html.includes("</body>") ? html.replace("</body>", `${line}\n</body>`) : `${html}\n${line}`;
}
