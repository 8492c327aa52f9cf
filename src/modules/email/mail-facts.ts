import { createHash } from "node:crypto";
import { convert } from "html-to-text";
import { type AddressObject, simpleParser } from "mailparser";
import type { HeaderLookup } from "./loop-guard.ts";
import { messageIdsIn } from "./thread-marker.ts";

/** A mail we could not read at all: it goes to quarantine with this message. */
export class UnreadableMail extends Error {
  constructor(
    message: string,
    /** What could be read of it anyway (shown in the quarantine). */
    readonly partial: { messageId: string | null; from: string | null; subject: string | null } | null = null,
  ) {
    super(message);
    this.name = "UnreadableMail";
  }
}

export type InboundAttachment = {
  filename: string | undefined;
  contentType: string;
  content: Buffer;
  /** An inline image of the HTML body (`Content-Disposition: inline` with a Content-ID). */
  inline: boolean;
};

/** What processing needs from a raw mail, decoded (charsets, transfer encodings, RFC 2047/2231). */
export type InboundFacts = {
  /** `<…>`; a synthetic `<sha256@inbound.keepdesk.invalid>` of the raw bytes when it has none. */
  messageId: string;
  hasMessageId: boolean;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string } | null;
  /** To and Cc addresses, lower case. */
  recipients: string[];
  subject: string;
  /** The text part, or the HTML converted to text when there is none; quoted history included. */
  text: string;
  html: string | null;
  attachments: InboundAttachment[];
  /** The top-level media type, e.g. `multipart/report`. */
  contentType: string;
  header: HeaderLookup;
  /** Message-IDs named inside attached messages and header parts (what a bounce is about). */
  embeddedMessageIds: string[];
};

export const MAX_SUBJECT_LENGTH = 300;

/** Parses a raw message with mailparser. Throws `UnreadableMail` when nothing in it can be read. */
export async function readMail(raw: Buffer): Promise<InboundFacts> {
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, {
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextLinks: true,
      skipTextToHtml: true,
    });
  } catch (err) {
    throw new UnreadableMail(`the message could not be parsed: ${(err as Error).message}`);
  }
  const lines = new Map<string, string>();
  for (const h of parsed.headerLines ?? []) {
    if (lines.has(h.key)) continue;
    const colon = h.line.indexOf(":");
    lines.set(h.key, clean(h.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, " ")).trim());
  }
  const header: HeaderLookup = (name) => lines.get(name.toLowerCase());
  const contentType = (header("content-type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();

  const html = typeof parsed.html === "string" && parsed.html.trim() ? parsed.html : null;
  let text = clean(parsed.text ?? "");
  if (!text.trim() && html) text = clean(htmlToText(html));
  const attachments: InboundAttachment[] = parsed.attachments.map((a) => ({
    filename: a.filename ? clean(a.filename) : undefined,
    contentType: (a.contentType || "application/octet-stream").toLowerCase(),
    content: a.content,
    inline: a.contentDisposition === "inline" || Boolean(a.related),
  }));

  const fromValue = firstAddress(parsed.from);
  const own = messageIdsIn(parsed.messageId ?? header("message-id"));
  const subject = clean(parsed.subject ?? "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_SUBJECT_LENGTH);

  if (!text.trim() && !html && attachments.length === 0 && hasBody(raw)) {
    const multipart = /^multipart\//.test(contentType) && !/boundary\s*=/i.test(header("content-type") ?? "");
    throw new UnreadableMail(
      multipart
        ? "broken MIME: a multipart message without a boundary; no part of it could be read"
        : "broken MIME: the message has a body but no part of it could be read",
      { messageId: own[0] ?? null, from: fromValue?.address ?? null, subject: subject || null },
    );
  }

  const messageId =
    own[0] ?? `<${createHash("sha256").update(raw).digest("hex").slice(0, 40)}@inbound.keepdesk.invalid>`;
  const embedded = new Set<string>();
  for (const a of attachments) {
    if (
      /^(text\/rfc822-headers|message\/rfc822|message\/delivery-status|message\/global)/.test(a.contentType)
    ) {
      for (const id of headerMessageIds(a.content.toString("utf8"))) embedded.add(id);
    }
  }
  for (const id of headerMessageIds(text)) embedded.add(id);
  embedded.delete(messageId);

  return {
    messageId,
    hasMessageId: own.length > 0,
    inReplyTo: messageIdsIn(parsed.inReplyTo),
    references: messageIdsIn(parsed.references),
    from: fromValue,
    recipients: [...addresses(parsed.to), ...addresses(parsed.cc)],
    subject,
    text,
    html,
    attachments,
    contentType,
    header,
    embeddedMessageIds: [...embedded],
  };
}

/** HTML to readable text: scripts, styles and images dropped, links kept as `text [url]`. */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
      { selector: "table", format: "dataTable" },
    ],
  });
}

/** Postgres text holds no NUL; other control characters except tab and line breaks go too. */
function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

/** Whether anything but white space follows the header block. */
function hasBody(raw: Buffer): boolean {
  const s = raw.toString("latin1");
  const at = s.search(/\r?\n\r?\n/);
  return at >= 0 && /\S/.test(s.slice(at));
}

function list(a: AddressObject | AddressObject[] | undefined): AddressObject[] {
  if (!a) return [];
  return Array.isArray(a) ? a : [a];
}

function flatten(a: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const out: { address: string; name: string }[] = [];
  for (const obj of list(a)) {
    for (const v of obj.value) {
      if (v.address) out.push({ address: v.address, name: v.name ?? "" });
      for (const g of v.group ?? []) if (g.address) out.push({ address: g.address, name: g.name ?? "" });
    }
  }
  return out;
}

const EMAIL_RE = /^[^\s<>@",;]+@[^\s<>@",;]+\.[^\s<>@",;]+$|^[^\s<>@",;]+@[^\s<>@",;]+$/;

function firstAddress(
  a: AddressObject | AddressObject[] | undefined,
): { address: string; name: string } | null {
  const first = flatten(a).find((v) => EMAIL_RE.test(v.address.trim()));
  if (!first) return null;
  return { address: first.address.trim().toLowerCase(), name: clean(first.name).replace(/\s+/g, " ").trim() };
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  return flatten(a)
    .map((v) => v.address.trim().toLowerCase())
    .filter((v) => EMAIL_RE.test(v));
}

/** `Message-ID: <…>` lines in a block of headers (a bounce's copy of what bounced). */
function headerMessageIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*Message-ID\s*:\s*(<[^<>\s]{1,900}>)/gim)) if (m[1]) out.push(m[1]);
  return out;
}
