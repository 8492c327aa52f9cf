/**
 * Folding quoted history out of an email's text: a reply usually carries the whole thread
 * below the new words. The case message keeps only the new part; the full text stays on the
 * inbound mail. Pure functions, tested beside this file.
 */

/** "On Mon, 2 Mar 2026 at 10:00, Keepdesk <…> wrote:" and its siblings in other languages. */
const ATTRIBUTION = [
  /^On\b.{4,300}\bwrote:$/i,
  /^Am\b.{4,300}\bschrieb\b.{0,300}:$/i,
  /^Le\b.{4,300}\ba écrit\s*:$/i,
  /^El\b.{4,300}\bescribió:$/i,
  /^Il\b.{4,300}\bha scritto:$/i,
  /^Op\b.{4,300}\bschreef\b.{0,300}:$/i,
  /^Em\b.{4,300}\bescreveu:$/i,
];
/** Outlook and friends: a separator line before the quoted message. */
const SEPARATOR = [
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale)\s*-{2,}$/i,
  /^_{10,}$/,
];
const FORWARD = [/^-{2,}\s*Forwarded message\s*-{2,}$/i, /^Begin forwarded message:$/i];
const FORWARD_SUBJECT = /^\s*(fwd?|wg|tr|rv|doorst)\s*:/i;
const HEADER_FROM = /^\*?(From|Von|De|Da|Van)\s*:\*?\s+\S/i;
const HEADER_SENT = /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden)\s*:\*?\s+\S/i;

export type FoldedText = {
  /** What the sender wrote now. */
  text: string;
  /** Whether quoted history was cut off. */
  folded: boolean;
};

/**
 * Splits `text` into the new part and the quoted history below it. Forwarded mail (a `Fwd:`
 * subject or a forwarded-message separator above any quote) is kept whole: what was forwarded
 * is the point of it. A message that would be left empty is kept whole too.
 */
export function foldQuotedHistory(text: string, subject = ""): FoldedText {
  const normalised = text.replace(/\r\n?/g, "\n");
  if (FORWARD_SUBJECT.test(subject)) return { text: normalised.trimEnd(), folded: false };
  const lines = normalised.split("\n");
  const cut = quoteStart(lines);
  if (cut === undefined) return { text: normalised.trimEnd(), folded: false };
  const head = lines.slice(0, cut).join("\n").trimEnd();
  if (head.trim() === "") return { text: normalised.trimEnd(), folded: false };
  return { text: head, folded: true };
}

function quoteStart(lines: string[]): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (FORWARD.some((re) => re.test(line))) return undefined;
    if (ATTRIBUTION.some((re) => re.test(line))) return i;
    // An attribution wrapped onto two lines by the sender's client.
    const next = (lines[i + 1] ?? "").trim();
    if (line && next && ATTRIBUTION.some((re) => re.test(`${line} ${next}`)) && /:$/.test(next)) return i;
    if (SEPARATOR.some((re) => re.test(line))) return i;
    if (HEADER_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => HEADER_SENT.test(l.trim()))) return i;
    if (line.startsWith(">") && restIsQuoted(lines, i)) return i;
  }
  return undefined;
}

/** From line `i` on, every non-blank line is quoted with `>`: a trailing quote. */
function restIsQuoted(lines: string[], i: number): boolean {
  return lines.slice(i).every((l) => l.trim() === "" || l.trimStart().startsWith(">"));
}
