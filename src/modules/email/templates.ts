import { invalid } from "../../platform/errors.ts";
import { escapeHtml } from "../../platform/html.ts";
import type { TemplateMoment } from "./email.tables.ts";

/**
 * The customer notification templates: plain text with `{{placeholders}}` and sections
 * (`{{#sla.firstResponseDue}}…{{/sla.firstResponseDue}}` shows its content only when the value
 * is not empty, `{{^…}}…{{/…}}` only when it is). The HTML part is the rendered text escaped,
 * so nothing a customer typed (a case subject, a name) can become markup. Pure; tested beside.
 */

export const MOMENTS: readonly TemplateMoment[] = ["received", "assigned", "waiting", "resolved"];

export const MOMENT_LABELS: Record<TemplateMoment, string> = {
  received: "Received (acknowledgement)",
  assigned: "Assigned to an agent",
  waiting: "Waiting on the customer",
  resolved: "Resolved",
};

/** Every placeholder a template may use, with what it holds. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  "case.number": "The case number, e.g. CS-000123",
  "case.subject": "The case's subject",
  "case.status": "The case's status, e.g. waiting on customer",
  "case.priority": "low, normal, high or urgent",
  "case.url": "Where the customer follows the case in the portal",
  "case.reopenDays": "Days within which a reply reopens a resolved case",
  "contact.name": "The customer's name",
  "contact.email": "The customer's email address",
  "account.name": "The customer's organisation",
  "sla.firstResponseDue": "When we aim to answer, in the customer's time zone (empty without an SLA)",
  "sla.resolutionDue": "When we aim to resolve the case, in the customer's time zone (empty without an SLA)",
  "agent.name": "The agent who owns the case (empty when unassigned)",
  "team.name": "The team the case is with",
  "portal.url": "The customer portal",
  "company.name": "Our name, from the From address (KEEPDESK_MAIL_FROM)",
};

export type TemplateText = { subject: string; body: string };
export type TemplateValues = Partial<Record<string, string>>;

const SIGN_OFF = "Kind regards,\n{{company.name}}";

export const DEFAULT_TEMPLATES: Readonly<Record<TemplateMoment, TemplateText>> = {
  received: {
    subject: "We have received your request: {{case.subject}}",
    body: `Hello {{contact.name}},

thank you for contacting us. We have received your request "{{case.subject}}" and opened case {{case.number}} for it.

{{#sla.firstResponseDue}}
We aim to answer by {{sla.firstResponseDue}}.

{{/sla.firstResponseDue}}
To add anything, simply reply to this email{{#case.url}}, or follow the case at {{case.url}}{{/case.url}}.

${SIGN_OFF}`,
  },
  assigned: {
    subject:
      "{{#agent.name}}{{agent.name}} is looking after your request{{/agent.name}}{{^agent.name}}Your request is being looked after{{/agent.name}}: {{case.subject}}",
    body: `Hello {{contact.name}},

{{#agent.name}}{{agent.name}}{{/agent.name}}{{^agent.name}}One of our team{{/agent.name}} is now looking after case {{case.number}} ("{{case.subject}}") and will be in touch.

To add anything, simply reply to this email.

${SIGN_OFF}`,
  },
  waiting: {
    subject: "We need your reply: {{case.subject}}",
    body: `Hello {{contact.name}},

to go on with case {{case.number}} ("{{case.subject}}") we need a reply from you. Please see our last message and simply answer this email.

${SIGN_OFF}`,
  },
  resolved: {
    subject: "Your request has been resolved: {{case.subject}}",
    body: `Hello {{contact.name}},

we have resolved case {{case.number}} ("{{case.subject}}"). If anything is still not right, simply reply to this email{{#case.reopenDays}} within {{case.reopenDays}} days{{/case.reopenDays}} and we will pick it up again.

${SIGN_OFF}`,
  },
};

type Node =
  | { t: "text"; s: string }
  | { t: "var"; key: string }
  | { t: "section"; key: string; inverted: boolean; children: Node[] };

const TAG_RE = /\{\{\s*([#^/]?)\s*([a-zA-Z][\w.]*)\s*\}\}/g;
/** A section tag alone on its line takes the line with it (as in Mustache). */
const STANDALONE_RE = /^[ \t]*(\{\{\s*[#^/]\s*[a-zA-Z][\w.]*\s*\}\})[ \t]*\r?\n/gm;

export const MAX_SUBJECT_TEMPLATE = 300;
export const MAX_BODY_TEMPLATE = 20_000;

/** Parses a template; a problem (unknown placeholder, unbalanced section) is a 400 at `path`. */
export function parseTemplate(template: string, path: string): Node[] {
  const source = template.replace(STANDALONE_RE, "$1");
  const root: Node[] = [];
  const stack: { key: string; children: Node[] }[] = [{ key: "", children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG_RE)) {
    const [whole, sigil, key] = m as unknown as [string, string, string];
    const at = m.index ?? 0;
    const top = stack[stack.length - 1]!;
    if (at > last) top.children.push({ t: "text", s: source.slice(last, at) });
    last = at + whole.length;
    if (!(key in PLACEHOLDERS)) throw invalid(path, `{{${key}}} is not a placeholder Keepdesk knows`);
    if (sigil === "") top.children.push({ t: "var", key });
    else if (sigil === "/") {
      if (top.key !== key) throw invalid(path, `{{/${key}}} closes a section that is not open`);
      stack.pop();
    } else {
      const node: Node = { t: "section", key, inverted: sigil === "^", children: [] };
      top.children.push(node);
      stack.push({ key, children: node.children });
    }
  }
  if (stack.length > 1)
    throw invalid(path, `the section {{#${stack[stack.length - 1]!.key}}} is never closed`);
  if (last < source.length) root.push({ t: "text", s: source.slice(last) });
  if (/\{\{|\}\}/.test(stripTags(source))) throw invalid(path, "has a stray {{ or }}");
  return root;
}

function stripTags(source: string): string {
  return source.replace(TAG_RE, "");
}

function renderNodes(nodes: Node[], values: TemplateValues): string {
  let out = "";
  for (const n of nodes) {
    if (n.t === "text") out += n.s;
    else if (n.t === "var") out += values[n.key] ?? "";
    else {
      const present = (values[n.key] ?? "").trim() !== "";
      if (present !== n.inverted) out += renderNodes(n.children, values);
    }
  }
  return out;
}

/** Renders a template to text. */
export function renderTemplate(template: string, values: TemplateValues, path = "/body"): string {
  return renderNodes(parseTemplate(template, path), values);
}

/** Plain text as simple HTML: escaped, paragraphs on blank lines, web links clickable. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const body = paragraphs
    .map((p) => {
      const escaped = escapeHtml(p).replace(/\bhttps?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
      return `<p>${escaped.replaceAll("\n", "<br>\n")}</p>`;
    })
    .join("\n");
  return `<!doctype html>\n<html><body style="font-family: sans-serif; font-size: 14px; line-height: 1.5">\n${body}\n</body></html>`;
}

export type RenderedMail = { subject: string; text: string; html: string };

/** Subject (one line) and body of a moment's mail; the HTML is the text escaped. */
export function renderMail(template: TemplateText, values: TemplateValues): RenderedMail {
  const subject = renderTemplate(template.subject, values, "/subject").replace(/\s+/g, " ").trim();
  const text = renderTemplate(template.body, values, "/body")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { subject: subject || "Your request", text, html: textToHtml(text) };
}

/** Checks an admin's edit: known placeholders, balanced sections, sane lengths. */
export function checkTemplate(t: TemplateText): TemplateText {
  const subject = t.subject.trim();
  if (!subject) throw invalid("/subject", "must not be empty");
  if (subject.length > MAX_SUBJECT_TEMPLATE)
    throw invalid("/subject", `must be at most ${MAX_SUBJECT_TEMPLATE} characters`);
  if (/[\r\n]/.test(subject)) throw invalid("/subject", "must be one line");
  if (!t.body.trim()) throw invalid("/body", "must not be empty");
  if (t.body.length > MAX_BODY_TEMPLATE)
    throw invalid("/body", `must be at most ${MAX_BODY_TEMPLATE} characters`);
  if (t.body.includes("\0") || subject.includes("\0"))
    throw invalid("/body", "must not contain NUL characters");
  parseTemplate(subject, "/subject");
  parseTemplate(t.body, "/body");
  return { subject, body: t.body.replace(/\r\n?/g, "\n") };
}
