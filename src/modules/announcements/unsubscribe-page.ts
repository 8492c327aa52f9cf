import { escapeHtml as esc } from "../../platform/html.ts";
/**
 * The public page an announcement's unsubscribe link lands on: plain server-rendered HTML (no
 * script, no sign-in). GET only shows it (mail scanners prefetch links); its buttons POST.
 */

export type UnsubscribeView =
  | { kind: "subscribed"; token: string; email: string }
  | { kind: "unsubscribed"; token: string; email: string; justNow: boolean }
  | { kind: "resubscribed"; token: string; email: string }
  | { kind: "sample" }
  | { kind: "unknown" };

/** `wile@acme.test` → `w***@acme.test`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} · Keepdesk</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1a1b1e;margin:0}
main{max-width:560px;margin:48px auto;background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:32px}
h1{font-size:1.5rem;margin:0 0 12px}
p{line-height:1.5}
.muted{color:#495057;font-size:.95rem}
button{margin-top:12px;font:inherit;font-weight:600;border-radius:4px;padding:10px 18px;cursor:pointer;min-height:44px}
.primary{background:#c92a2a;color:#fff;border:0}
.secondary{background:#fff;color:#1864ab;border:1px solid #1864ab}
button:focus-visible{outline:3px solid #4dabf7;outline-offset:2px}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

function form(token: string, action: "unsubscribe" | "resubscribe", label: string, cls: string): string {
  return `<form method="post" action="/u/${esc(token)}">
<input type="hidden" name="action" value="${action}">
<button type="submit" class="${cls}">${esc(label)}</button>
</form>`;
}

const SERVICE_NOTE =
  '<p class="muted">Replies to your cases, their status mails and surveys about our service are not affected.</p>';

export function unsubscribePage(view: UnsubscribeView): { status: number; html: string } {
  switch (view.kind) {
    case "subscribed":
      return {
        status: 200,
        html: page(
          "Unsubscribe",
          `<h1>Unsubscribe from announcements?</h1>
<p>You will no longer receive announcements of new services at <strong>${esc(maskEmail(view.email))}</strong>.</p>
${SERVICE_NOTE}
${form(view.token, "unsubscribe", "Unsubscribe", "primary")}`,
        ),
      };
    case "unsubscribed":
      return {
        status: 200,
        html: page(
          "Unsubscribed",
          `<h1>${view.justNow ? "You are unsubscribed" : "You are already unsubscribed"}</h1>
<p role="status">We will send no more announcements to <strong>${esc(maskEmail(view.email))}</strong>.</p>
${SERVICE_NOTE}
<p>Changed your mind?</p>
${form(view.token, "resubscribe", "Resubscribe", "secondary")}`,
        ),
      };
    case "resubscribed":
      return {
        status: 200,
        html: page(
          "Subscribed",
          `<h1>You are subscribed again</h1>
<p role="status">Announcements of new services will reach <strong>${esc(maskEmail(view.email))}</strong> again.</p>
${form(view.token, "unsubscribe", "Unsubscribe", "secondary")}`,
        ),
      };
    case "sample":
      return {
        status: 200,
        html: page(
          "Test copy",
          "<h1>This is a test copy</h1><p>In the real announcement this link lets the contact unsubscribe. From a test copy it changes nothing.</p>",
        ),
      };
    case "unknown":
      return {
        status: 404,
        html: page(
          "Link not found",
          "<h1>We could not find this link</h1><p>Please use the unsubscribe link in your email, or reply to it and we will take you off the list.</p>",
        ),
      };
  }
}
