import { escapeHtml as esc } from "../../platform/html.ts";
/**
 * How an announcement reads in the mailbox: a personal greeting, the body (plain text with a
 * little markdown: paragraphs, `- ` lists, `## ` headings, **bold**, *italic*, [links](https://…)
 * and bare https links), placeholders `{{name}}`, `{{firstName}}`, `{{account}}`, and a footer
 * with the unsubscribe link. Pure functions: the compose page's preview and the sent mail are
 * the same rendering.
 */

export type MailPerson = { name: string; accountName: string | null };
export type RenderedMail = { subject: string; text: string; html: string };

function firstName(name: string): string {
  const trimmed = name.trim();
  return trimmed.split(/\s+/)[0] ?? trimmed;
}

/** Fills `{{name}}`, `{{firstName}}` and `{{account}}`; unknown placeholders stay as written. */
export function fillPlaceholders(text: string, person: MailPerson): string {
  return text.replace(/\{\{\s*(name|firstName|account)\s*\}\}/g, (_m, key: string) => {
    if (key === "name") return person.name.trim();
    if (key === "firstName") return firstName(person.name);
    return person.accountName ?? "";
  });
}

const LINK_RE = /\[([^\]\n]{1,500})\]\((https?:\/\/[^\s)]{1,2000})\)/g;
const URL_RE = /(^|[\s(])(https?:\/\/[^\s<]{1,2000}[^\s<.,;:!?)'"])/g;

/** Inline markdown of one (already placeholder-filled) line as HTML. */
function inline(line: string): string {
  // Links first, out of the text, so their URLs are not touched by emphasis.
  const links: string[] = [];
  const hold = (html: string) => `\uE000${links.push(html) - 1}\uE000`;
  let s = line.replace(LINK_RE, (_m, text: string, url: string) =>
    hold(`<a href="${esc(url)}">${esc(text)}</a>`),
  );
  s = s.replace(
    URL_RE,
    (_m, pre: string, url: string) => `${pre}${hold(`<a href="${esc(url)}">${esc(url)}</a>`)}`,
  );
  s = esc(s)
    .replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, "$1<em>$2</em>");
  return s.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => links[Number(i)]!);
}

/** The body's markdown-lite as HTML blocks. */
export function bodyHtml(body: string): string {
  const blocks = body
    .replace(/\r\n?/g, "\n")
    .trim()
    .split(/\n{2,}/);
  const out: string[] = [];
  for (const block of blocks) {
    const lines = block.split("\n");
    const heading = /^#{1,3}\s+(.*)$/.exec(lines[0]!);
    if (heading) {
      out.push(`<h2 style="font-size:18px;margin:24px 0 8px">${inline(heading[1]!)}</h2>`);
      lines.shift();
      if (lines.length === 0) continue;
    }
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      out.push(
        `<ul style="margin:0 0 16px;padding-left:24px">${lines
          .map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ""))}</li>`)
          .join("")}</ul>`,
      );
      continue;
    }
    out.push(`<p style="margin:0 0 16px">${lines.map(inline).join("<br>")}</p>`);
  }
  return out.join("\n");
}

/** Plain-text alternative: markup dropped, links written out. */
export function bodyText(body: string): string {
  return body
    .replace(/\r\n?/g, "\n")
    .trim()
    .replace(LINK_RE, (_m, text: string, url: string) => `${text} (${url})`)
    .replace(/\*\*([^*\n]+)\*\*/g, "$1")
    .replace(/^#{1,3}\s+/gm, "");
}

/** The whole mail for one person. `unsubscribeUrl` goes in the footer (and the caller's headers). */
export function renderAnnouncementMail(
  announcement: { subject: string; body: string },
  person: MailPerson,
  unsubscribeUrl: string,
): RenderedMail {
  const subject = fillPlaceholders(announcement.subject, person).replace(/\s+/g, " ").trim();
  const body = fillPlaceholders(announcement.body, person);
  const greeting = `Hello ${person.name.trim()},`;
  const text = [
    greeting,
    "",
    bodyText(body),
    "",
    "--",
    "You receive announcements of new services because you are a customer contact.",
    `Unsubscribe from announcements: ${unsubscribeUrl}`,
    "Replies to your cases and their status mails are not affected.",
  ].join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:0;background:#f6f7f9">
<div style="max-width:600px;margin:0 auto;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:15px;line-height:1.55;color:#1a1b1e;background:#ffffff">
<p style="margin:0 0 16px">${esc(greeting)}</p>
${bodyHtml(body)}
<hr style="border:0;border-top:1px solid #dee2e6;margin:24px 0 12px">
<p style="margin:0;font-size:13px;color:#495057">You receive announcements of new services because you are a customer contact.
<a href="${esc(unsubscribeUrl)}" style="color:#1864ab">Unsubscribe from announcements</a>. Replies to your cases and their status mails are not affected.</p>
</div>
</body></html>`;
  return { subject, text, html };
}
