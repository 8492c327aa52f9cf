/**
 * Loop protection: which mail is machine-made, and who never gets automatic mail from us, so
 * two helpdesks (or a helpdesk and an out-of-office reply) can never ping-pong. Pure functions,
 * tested beside this file; the per-address cap is counted in `EmailNotifier`.
 */

/** At most this many automatic mails to one address … */
export const AUTO_MAIL_CAP = 10;
/** … within this window. */
export const AUTO_MAIL_WINDOW_MS = 3 * 60 * 60_000;

/** Header names (lower case) → values, as the parser gives them. */
export type HeaderLookup = (name: string) => string | undefined;

export type Classification = {
  /** What we noticed: auto_reply, bounce, list, bulk, automatic_sender, own_address, null_sender. */
  flags: string[];
  /**
   * The mail itself is machine-made (an auto-reply, a bounce, our own mail come back): it lands
   * as an internal note on the case it belongs to and never changes the case's status.
   */
  automatic: boolean;
  /** Why we must not answer it automatically; null: acknowledgements may go out. */
  noAutoMailReason: string | null;
};

const AUTOMATIC_LOCAL =
  /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-_.].*|.*[-_.]no[-_.]?reply|bounces?(\+.*)?|.*[-_.]bounces?)$/i;

/** mailer-daemon@, postmaster@, noreply@, no-reply@, do-not-reply@, bounces+…@ … */
export function isAutomaticSenderAddress(address: string): boolean {
  const local = address.split("@")[0] ?? "";
  return AUTOMATIC_LOCAL.test(local);
}

export type OwnAddresses = { addresses: string[]; domains: string[] };

/** Our From address, or any address at our own mail domain. */
export function isOwnAddress(address: string, own: OwnAddresses): boolean {
  const a = address.trim().toLowerCase();
  const domain = a.split("@")[1] ?? "";
  return own.addresses.includes(a) || own.domains.includes(domain);
}

/**
 * Classifies an inbound mail from its headers, sender and structure (RFC 3834 and the headers
 * mail systems actually send).
 */
export function classifyInbound(input: {
  header: HeaderLookup;
  from: string;
  envelopeFrom: string | null;
  contentType: string;
  subject: string;
  own: OwnAddresses;
}): Classification {
  const { header } = input;
  const flags = new Set<string>();
  const autoSubmitted = header("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith("no")) flags.add("auto_reply");
  if (header("x-autoreply") || header("x-autorespond") || header("x-autoresponder")) flags.add("auto_reply");
  const suppress = header("x-auto-response-suppress")?.toLowerCase() ?? "";
  const noAnswerWanted = /\b(all|oof|autoreply)\b/.test(suppress);
  if (/^multipart\/report\b/i.test(input.contentType)) flags.add("bounce");
  const precedence = header("precedence")?.trim().toLowerCase();
  if (precedence === "list") flags.add("list");
  if (precedence === "bulk" || precedence === "junk") flags.add("bulk");
  if (header("list-id") || header("list-unsubscribe") || header("list-post")) flags.add("list");
  const local = input.from.split("@")[0] ?? "";
  if (/^(mailer-daemon|postmaster)$/i.test(local)) flags.add("bounce");
  if (isAutomaticSenderAddress(input.from)) flags.add("automatic_sender");
  if (isOwnAddress(input.from, input.own)) flags.add("own_address");
  // An empty envelope sender (MAIL FROM:<>) is how bounces and auto-replies are sent.
  if (input.envelopeFrom === "") flags.add("null_sender");
  const automatic =
    flags.has("auto_reply") || flags.has("bounce") || flags.has("own_address") || flags.has("null_sender");
  let reason: string | null = null;
  if (flags.has("own_address")) reason = "sent from one of our own addresses";
  else if (flags.has("bounce")) reason = "a delivery failure report (bounce)";
  else if (flags.has("auto_reply")) reason = "an automatic reply (Auto-Submitted / X-Autoreply)";
  else if (flags.has("null_sender")) reason = "an empty envelope sender (automatic mail)";
  else if (flags.has("list")) reason = "mailing-list mail (List-Id / List-Unsubscribe / Precedence: list)";
  else if (flags.has("bulk")) reason = `bulk mail (Precedence: ${precedence})`;
  else if (flags.has("automatic_sender")) reason = "an automatic sender address (noreply, mailer-daemon …)";
  else if (noAnswerWanted) reason = "the sender asked for no automatic replies (X-Auto-Response-Suppress)";
  else if (/^\s*(automatic reply|auto(matic)?[- ]?reply|autoreply|out of office)\s*:/i.test(input.subject))
    reason = "an automatic reply (subject)";
  return { flags: [...flags], automatic, noAutoMailReason: reason };
}

/**
 * Why an automatic mail to `address` must not go out, or null. The cap is checked by the
 * caller, which counts what was sent.
 */
export function autoMailRefusal(address: string, own: OwnAddresses): string | null {
  if (isOwnAddress(address, own)) return "one of our own addresses";
  if (isAutomaticSenderAddress(address)) return "an automatic address (noreply, mailer-daemon …)";
  return null;
}
