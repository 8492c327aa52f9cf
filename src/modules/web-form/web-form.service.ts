import { type Actor, type RequestCtx, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Config } from "../../platform/config.ts";
import type { Database, Trx } from "../../platform/db/database.ts";
import { invalid } from "../../platform/errors.ts";
import { newId } from "../../platform/ids.ts";
import type { Logger } from "../../platform/logger.ts";
import { RateLimit } from "../../platform/rate-limit.ts";
import type { AccountsService, Contact } from "../accounts/accounts.service.ts";
import type { CasesService } from "../cases/cases.service.ts";
import { isFreeMailDomain } from "../email/sender-accounts.ts";
import { webFormRepository as repo } from "./web-form.repository.ts";

/** Posts per client address per window (spam included). */
export const WEB_FORM_WINDOW_MS = 10 * 60_000;
export const MAX_WEB_FORM_POSTS_PER_IP = 5;
const postLimit = new RateLimit(
  WEB_FORM_WINDOW_MS,
  "Too many messages from your address. Wait a few minutes and try again.",
);
/** The hidden field people never fill in and bots do. */
export const HONEYPOT_FIELD = "website";

export type WebFormInput = Record<string, unknown>;
export type WebFormResult = { message: string };

const ACCEPTED: WebFormResult = {
  message: "Thank you. We received your message and will answer by email.",
};

const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/**
 * The public web form: anyone may post (no sign-in). The sender becomes a contact as inbound
 * email does (their address; else the account owning their domain; else a new account), and a
 * case with channel `web` opens through the cases module (routing, SLA and the acknowledgement
 * mail apply). A filled-in honeypot is answered exactly like a real post and creates nothing.
 */
export class WebFormService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly accounts: AccountsService,
    private readonly cases: CasesService,
  ) {}

  async submit(input: WebFormInput, meta: { ip?: string | undefined }): Promise<WebFormResult> {
    const now = this.clock.now();
    const ip = meta.ip ?? "unknown";
    const k = this.db.kysely;
    await postLimit.enforce([[repo.countSince(k, ip, postLimit.since(now)), MAX_WEB_FORM_POSTS_PER_IP]]);
    const honeypot = input[HONEYPOT_FIELD];
    if (typeof honeypot === "string" ? honeypot.trim() !== "" : honeypot !== undefined && honeypot !== null) {
      await repo.insert(k, { id: newId(), ip, outcome: "spam", case_id: null, email: null, created_at: now });
      this.log.info({ ip }, "web form: honeypot filled in, nothing created");
      return ACCEPTED;
    }
    const name = field(input, "name", { max: 200, required: false });
    const email = field(input, "email", { max: 320, required: true })!;
    if (!EMAIL_RE.test(email)) throw invalid("/email", "must be an email address");
    const subject = field(input, "subject", { max: 500, required: true })!;
    const message = field(input, "message", { max: 20_000, required: true })!;
    const product = field(input, "product", { max: 200, required: false });
    const ctx: RequestCtx = { actor: { kind: "system" }, ip };
    await this.cases.tx(async (trx) => {
      const contact = await this.contactFor(trx, ctx, email, name);
      const row = await this.cases.insertCase(
        trx,
        ctx,
        {
          subject,
          description: message,
          accountId: contact.accountId,
          contactId: contact.id,
          product,
          channel: "web",
        },
        { status: "new" },
      );
      await repo.insert(trx, {
        id: newId(),
        ip,
        outcome: "created",
        case_id: row.id,
        email,
        created_at: now,
      });
    });
    return ACCEPTED;
  }

  /** The HTML to paste into a web page (Admin → Channels). */
  snippet(actor: Actor): { html: string; endpoint: string } {
    requireRole(actor, ["admin", "manager"], "read the web form snippet");
    const endpoint = `${this.config.publicUrl}/api/v1/web-form`;
    return { html: snippetHtml(endpoint), endpoint };
  }

  async stats(actor: Actor): Promise<{ since: string; created: number; spam: number }> {
    requireRole(actor, ["admin", "manager"], "read web form statistics");
    const since = new Date(this.clock.now().getTime() - 30 * 24 * 3600_000);
    return { since: since.toISOString(), ...(await repo.counts(this.db.kysely, since)) };
  }

  private async contactFor(
    trx: Trx,
    ctx: RequestCtx,
    email: string,
    name: string | undefined,
  ): Promise<Contact> {
    const existing = await this.accounts.contactByEmailIn(trx, email);
    if (existing) return existing;
    const domain = email.split("@")[1]?.toLowerCase() ?? "";
    const personal = !domain || isFreeMailDomain(domain);
    const who = name || email.split("@")[0] || email;
    const account =
      (personal ? undefined : await this.accounts.accountByDomainIn(trx, domain)) ??
      (await this.accounts.createAccountIn(trx, ctx, personal ? { name: who } : { name: domain, domain }));
    return this.accounts.createContactIn(trx, ctx, { accountId: account.id, name: who, email });
  }
}

function field(
  input: WebFormInput,
  key: string,
  opts: { max: number; required: boolean },
): string | undefined {
  const raw = input[key];
  if (raw === undefined || raw === null) {
    if (opts.required) throw invalid(`/${key}`, "is required");
    return undefined;
  }
  if (typeof raw !== "string") throw invalid(`/${key}`, "must be text");
  const v = raw.replaceAll("\u0000", "").trim();
  if (v === "") {
    if (opts.required) throw invalid(`/${key}`, "must not be blank");
    return undefined;
  }
  if (v.length > opts.max) throw invalid(`/${key}`, `at most ${opts.max} characters`);
  return v;
}

export function snippetHtml(endpoint: string): string {
  return `<form action="${endpoint}" method="post" accept-charset="utf-8">
  <p><label for="kd-name">Your name</label><br>
    <input id="kd-name" name="name" autocomplete="name" maxlength="200"></p>
  <p><label for="kd-email">Email</label><br>
    <input id="kd-email" name="email" type="email" autocomplete="email" required maxlength="320"></p>
  <p><label for="kd-subject">Subject</label><br>
    <input id="kd-subject" name="subject" required maxlength="500"></p>
  <p><label for="kd-message">How can we help?</label><br>
    <textarea id="kd-message" name="message" rows="6" required maxlength="20000"></textarea></p>
  <!-- Spam trap: people never see or fill this field. Leave it in. -->
  <p style="position:absolute;left:-10000px" aria-hidden="true">
    <label for="kd-website">Website</label>
    <input id="kd-website" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></p>
  <p><button type="submit">Send</button></p>
</form>`;
}
