import { escapeHtml as esc } from "../../platform/html.ts";
import {
  type ComponentStatus,
  type PublicIncident,
  type PublicStatus,
  STATUS_LABEL,
} from "./incidents.service.ts";

/**
 * The public status page (`GET /status`): plain server-rendered HTML, no script, no sign-in,
 * refreshing itself every 60 seconds. Status is said in words and a symbol, never colour alone.
 */

const OVERALL: Record<ComponentStatus, string> = {
  operational: "All systems operational",
  degraded: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};
const COMPONENT: Record<ComponentStatus, string> = {
  operational: "Operational",
  degraded: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};
const SYMBOL: Record<ComponentStatus, string> = {
  operational: "✓",
  degraded: "!",
  partial_outage: "▲",
  major_outage: "✕",
};
const IMPACT: Record<PublicIncident["impact"], { label: string; status: ComponentStatus }> = {
  minor: { label: "Minor impact", status: "degraded" },
  major: { label: "Major impact", status: "partial_outage" },
  critical: { label: "Critical impact", status: "major_outage" },
};

const dateTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const when = (iso: string) =>
  `<time datetime="${esc(iso)}">${esc(dateTime.format(new Date(iso)).replace(",", ""))} UTC</time>`;

const CSS = `
:root{--ink:#1a1b1e;--muted:#495057;--line:#dee2e6;--bg:#f6f7f9;--ok:#1f6f2e;--deg:#f59f00;--part:#c2410c;--major:#b02525}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink);margin:0;line-height:1.5}
a{color:#1864ab}
.wrap{max-width:820px;margin:0 auto;padding:0 16px}
header{background:#fff;border-bottom:1px solid var(--line)}
header .wrap{display:flex;align-items:baseline;justify-content:space-between;gap:12px;flex-wrap:wrap;padding-top:18px;padding-bottom:18px}
h1{font-size:1.35rem;margin:0}
.sub{color:var(--muted);font-size:.9rem;margin:0}
main.wrap{padding-top:24px;padding-bottom:8px}
.banner{display:flex;align-items:center;gap:14px;border-radius:10px;padding:18px 20px;margin:0 0 28px;color:#fff;font-size:1.25rem;font-weight:700}
.banner .sym{display:inline-flex;align-items:center;justify-content:center;width:36px;height:36px;border-radius:50%;background:rgba(255,255,255,.22);font-size:1.1rem;flex:none}
.banner p{margin:0}
.banner small{display:block;font-size:.85rem;font-weight:400;opacity:.95}
.s-operational.banner{background:var(--ok)}
.s-degraded.banner{background:var(--deg);color:#1a1b1e}
.s-degraded.banner .sym{background:rgba(0,0,0,.12)}
.s-partial_outage.banner{background:var(--part)}
.s-major_outage.banner{background:var(--major)}
h2{font-size:1.1rem;margin:28px 0 10px}
section:first-of-type h2{margin-top:0}
.card{background:#fff;border:1px solid var(--line);border-radius:10px}
ul.components{list-style:none;margin:0;padding:0}
ul.components li{display:flex;justify-content:space-between;align-items:center;gap:12px;padding:12px 16px;border-top:1px solid var(--line)}
ul.components li:first-child{border-top:0}
.cname{font-weight:600}
.cdesc{display:block;color:var(--muted);font-size:.875rem;font-weight:400}
.pill{display:inline-flex;align-items:center;gap:6px;white-space:nowrap;font-size:.875rem;font-weight:600;padding:3px 10px;border-radius:999px;border:1px solid currentColor}
.pill.s-operational{color:var(--ok)}
.pill.s-degraded{color:#8a5300}
.pill.s-partial_outage{color:var(--part)}
.pill.s-major_outage{color:var(--major)}
article.incident{padding:16px 18px;margin:0 0 14px;border-left-width:6px}
article.incident.s-degraded{border-left-color:var(--deg)}
article.incident.s-partial_outage{border-left-color:var(--part)}
article.incident.s-major_outage{border-left-color:var(--major)}
article.incident.resolved{border-left-color:var(--ok)}
article h3{font-size:1.05rem;margin:0 0 4px}
.meta{color:var(--muted);font-size:.875rem;margin:0 0 10px;display:flex;gap:8px 14px;flex-wrap:wrap}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline li{position:relative;padding:0 0 12px 18px;border-left:2px solid var(--line);margin-left:4px}
ol.timeline li:last-child{padding-bottom:0}
ol.timeline li::before{content:"";position:absolute;left:-6px;top:6px;width:10px;height:10px;border-radius:50%;background:#868e96}
ol.timeline li:first-child::before{background:var(--ink)}
.ustatus{font-weight:700}
.umsg{margin:2px 0 0;white-space:pre-line;overflow-wrap:anywhere}
.utime{color:var(--muted);font-size:.8125rem}
.empty{color:var(--muted);margin:0;padding:14px 16px}
footer{color:var(--muted);font-size:.8125rem;padding:16px 0 32px}
@media (max-width:560px){
  .banner{font-size:1.1rem;padding:14px 16px}
  ul.components li{flex-direction:column;align-items:flex-start;gap:6px}
}
`;

function updatesList(updates: PublicIncident["updates"]): string {
  if (updates.length === 0) return "";
  return `<ol class="timeline" aria-label="Updates, newest first">${updates
    .map(
      (u) =>
        `<li><span class="ustatus">${esc(STATUS_LABEL[u.status])}</span> · <span class="utime">${when(u.createdAt)}</span><p class="umsg">${esc(u.message)}</p></li>`,
    )
    .join("")}</ol>`;
}

function incidentArticle(
  i: PublicIncident & { resolvedAt?: string },
  names: Map<string, string>,
  resolved: boolean,
): string {
  const impact = IMPACT[i.impact];
  const affected = i.componentIds.map((id) => names.get(id)).filter((n): n is string => n !== undefined);
  const id = `inc-${esc(i.id)}`;
  return `<article class="card incident ${resolved ? "resolved" : `s-${impact.status}`}" aria-labelledby="${id}">
<h3 id="${id}">${esc(i.title)}</h3>
<p class="meta"><span>${esc(resolved ? "Resolved" : STATUS_LABEL[i.status])}</span><span>${esc(impact.label)}</span>${
    affected.length ? `<span>Affects: ${affected.map(esc).join(", ")}</span>` : ""
  }<span>Started ${when(i.startedAt)}</span>${i.resolvedAt ? `<span>Resolved ${when(i.resolvedAt)}</span>` : ""}</p>
${updatesList(i.updates)}
</article>`;
}

export function statusPage(status: PublicStatus, options: { organisation: string; now: Date }): string {
  const org = options.organisation;
  const names = new Map(status.components.map((c) => [c.id, c.name]));
  const overall = status.status;
  const components = status.components.length
    ? `<ul class="components card">${status.components
        .map(
          (c) =>
            `<li><span class="cname">${esc(c.name)}${c.description ? `<span class="cdesc">${esc(c.description)}</span>` : ""}</span><span class="pill s-${c.status}"><span aria-hidden="true">${SYMBOL[c.status]}</span>${esc(COMPONENT[c.status])}</span></li>`,
        )
        .join("")}</ul>`
    : `<p class="card empty">No components are listed.</p>`;
  const open = status.incidents.map((i) => incidentArticle(i, names, false)).join("\n");
  const recent = status.recent.length
    ? status.recent.map((i) => incidentArticle(i, names, true)).join("\n")
    : `<p class="card empty">No incidents in the last 14 days.</p>`;
  const detail =
    status.incidents.length === 0
      ? "Everything is running normally."
      : `${status.incidents.length} open incident${status.incidents.length === 1 ? "" : "s"}: details below.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>${esc(org)} status · ${esc(OVERALL[overall])}</title>
<style>${CSS}</style>
</head>
<body>
<header><div class="wrap"><h1>${esc(org)} status</h1><p class="sub">Service status and incidents</p></div></header>
<main class="wrap">
<section aria-labelledby="overall-h">
<h2 id="overall-h" class="visually-hidden" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">Overall status</h2>
<div class="banner s-${overall}" role="status"><span class="sym" aria-hidden="true">${SYMBOL[overall]}</span><p>${esc(OVERALL[overall])}<small>${esc(detail)}</small></p></div>
</section>
${
  status.incidents.length
    ? `<section aria-labelledby="open-h">
<h2 id="open-h">Open incidents</h2>
${open}
</section>
`
    : ""
}<section aria-labelledby="components-h">
<h2 id="components-h">Components</h2>
${components}
</section>
<section aria-labelledby="recent-h">
<h2 id="recent-h">Resolved in the last 14 days</h2>
${recent}
</section>
</main>
<footer><div class="wrap">Updated ${when(options.now.toISOString())}. This page refreshes every minute.</div></footer>
</body>
</html>`;
}
