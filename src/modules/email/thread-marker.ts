import { randomBytes } from "node:crypto";
import { formatCaseNumber, parseCaseNumber } from "../cases/case-number.ts";

/**
 * How a mail finds its case when the Message-ID headers do not help: the hidden marker we put
 * in every outgoing body (`[ref:CS-000123:k7x9p2m4q8]`, its token random per case and stored,
 * so it cannot be guessed from the number), a `+token` in the address it was sent to, and the
 * case number in the subject (`[CS-000123]`, trusted only from the case's own account).
 */

const TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const MARKER_RE = /\[ref:(CS-\d{6,15}):([a-z2-9]{10,32})\]/gi;
const SUBJECT_NUMBER_RE = /\[#?(CS-\d{1,15})\]/gi;
const REPLY_PREFIX_RE = /^\s*((re|aw|sv|vs|antw|fwd?|wg|tr)(\[\d+\])?\s*:\s*)+/i;

/** A new marker token: 12 characters from an unambiguous alphabet (60 bits). */
export function newRefToken(): string {
  const bytes = randomBytes(12);
  return [...bytes].map((b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join("");
}

export function formatMarker(caseNumber: number, token: string): string {
  return `[ref:${formatCaseNumber(caseNumber)}:${token}]`;
}

/** Markers found in a text (quoted history included: that is where replies carry them). */
export function findMarkers(text: string): { number: number; token: string }[] {
  const out: { number: number; token: string }[] = [];
  for (const m of text.matchAll(MARKER_RE)) {
    const number = parseCaseNumber(m[1] ?? "");
    if (number !== undefined) out.push({ number, token: (m[2] ?? "").toLowerCase() });
  }
  return out;
}

/** `support+k7x9p2m4q8@…`: tokens in the local parts of the addresses a mail was sent to. */
export function plusTokens(addresses: string[]): string[] {
  const out: string[] = [];
  for (const a of addresses) {
    const local = a.split("@")[0] ?? "";
    const plus = local.indexOf("+");
    if (plus >= 0) {
      const token = local.slice(plus + 1).toLowerCase();
      if (/^[a-z2-9]{10,32}$/.test(token)) out.push(token);
    }
  }
  return out;
}

/** Case numbers written as `[CS-000123]` in a subject. */
export function subjectCaseNumbers(subject: string): number[] {
  const out: number[] = [];
  for (const m of subject.matchAll(SUBJECT_NUMBER_RE)) {
    const n = parseCaseNumber(m[1] ?? "");
    if (n !== undefined && !out.includes(n)) out.push(n);
  }
  return out;
}

/** `Re: <subject> [CS-000123]`, without piling up `Re: Re: AW:` or a second number. */
export function replySubject(subject: string, caseNumber: number): string {
  const number = formatCaseNumber(caseNumber);
  const bare = subject
    .replace(REPLY_PREFIX_RE, "")
    .replace(new RegExp(`\\s*\\[#?${number}\\]`, "gi"), "")
    .trim();
  return `Re: ${bare || "your enquiry"} [${number}]`;
}

/** A subject with the case number once, e.g. for notifications: `<text> [CS-000123]`. */
export function withCaseNumber(subject: string, caseNumber: number): string {
  const number = formatCaseNumber(caseNumber);
  return subject.toUpperCase().includes(number) ? subject : `${subject} [${number}]`;
}

/** The `<…>` ids in a Message-ID, In-Reply-To or References header value. */
export function messageIdsIn(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(" ") : value;
  const ids = text.match(/<[^<>\s]{1,900}>/g) ?? [];
  return [...new Set(ids)];
}
