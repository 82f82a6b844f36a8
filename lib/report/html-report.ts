/**
 * report.html: one self-contained, offline page (plotly.js inlined, no CDN, no request of any
 * kind) with the summary, the overview dashboard, a timeline with alerts, the busiest entities and
 * a sortable alerts table whose rows open to their evidence. Every value that came from a log is
 * escaped: it shows as text and runs nothing.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Alert } from "../alerts/alerts";
import { escapeHtml, scriptJson, scriptSource } from "../html";
import type { Figure } from "../visualize/figure";
import type { EntityCount } from "../analyze/top-entities";
import type { ReportSummary } from "./report-summary";

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#57606a}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}.panel{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px;margin:8px 0}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;cursor:pointer;user-select:none;white-space:nowrap}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums}.sev{font-weight:600;text-transform:uppercase;font-size:12px}
.sev-critical{color:#b42318}.sev-high{color:#c4320a}.sev-medium{color:#9a6700}.sev-low{color:#57606a}
details pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:8px;border-radius:4px;margin:6px 0 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:12px}code{font-size:12px}
`;

// Sorts the alerts table by the clicked column: numbers by data-sort, text by its content.
const SORT_SCRIPT = `
document.querySelectorAll("table.sortable th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute("data-sort") || a.cells[col].textContent;
      var y = b.cells[col].getAttribute("data-sort") || b.cells[col].textContent;
      var nx = Number(x), ny = Number(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
`;

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const n = (x: number): string => x.toLocaleString("en-US");

/** Collects the page's inline scripts, so that the Content-Security-Policy can allow exactly them by hash. */
class Scripts {
  readonly hashes: string[] = [];

  /** Returns a `<script>` element for `code`, remembering its SHA-256. */
  tag(code: string): string {
    this.hashes.push(`'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`);
    return `<script>${code}</script>`;
  }
}

/** Returns a figure's div and the script that draws it (data embedded as script-safe JSON). */
function figureHtml(scripts: Scripts, id: string, figure: Figure): string {
  const height = Number(figure.layout.height ?? 450);
  return (
    `<div class="panel"><div id="${escapeHtml(id)}" style="width:100%;height:${height}px"></div></div>\n` +
    scripts.tag(
      `(function(){var f=${scriptJson({ data: figure.data, layout: figure.layout })};` +
        `Plotly.newPlot(${scriptJson(id)},f.data,f.layout,{responsive:true,displaylogo:false});})();`,
    )
  );
}

/** Returns an HTML table of the busiest entities. */
function entityTable(title: string, rows: readonly EntityCount[]): string {
  if (rows.length === 0) return "";
  const body = rows.map((r) => `<tr><td>${escapeHtml(r.value)}</td><td class="num">${n(r.events)}</td><td class="num">${n(r.failed_logins)}</td></tr>`).join("");
  return `<div><h3>${escapeHtml(title)}</h3><table><thead><tr><th>value</th><th>events</th><th>failed logins</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Returns the sortable alerts table, each row with its evidence folded in. */
function alertsTable(alerts: readonly Alert[]): string {
  if (alerts.length === 0) return `<p class="muted">No alerts.</p>`;
  // Most severe first, then in time order: what an analyst reads first.
  const ordered = [...alerts].sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) || a.first_seen.localeCompare(b.first_seen));
  const rows = ordered.map((a) => {
    const evidence = escapeHtml(JSON.stringify(a.evidence, null, 2));
    return (
      `<tr><td class="sev sev-${escapeHtml(a.severity)}" data-sort="${SEVERITY_RANK[a.severity] ?? 0}">${escapeHtml(a.severity)}</td>` +
      `<td>${escapeHtml(a.rule)}</td><td>${escapeHtml(a.technique)}</td><td>${escapeHtml(a.entity.type)}: ${escapeHtml(a.entity.value)}</td>` +
      `<td data-sort="${Date.parse(a.first_seen)}">${escapeHtml(a.first_seen)}</td><td class="num" data-sort="${a.event_count}">${n(a.event_count)}</td>` +
      `<td>${escapeHtml(a.summary)}<details><summary>evidence</summary><pre>${evidence}</pre>` +
      `<p class="muted">observed ${escapeHtml(String(a.observed))} ${escapeHtml(a.measure)}; expected ${escapeHtml(String(a.expected))}; window ${escapeHtml(a.window)}</p></details></td></tr>`
    );
  });
  return (
    `<table class="sortable" id="alerts"><thead><tr><th aria-sort="descending">severity</th><th>rule</th><th>technique</th><th>entity</th><th>first seen (UTC)</th><th>events</th><th>summary</th></tr></thead>` +
    `<tbody>${rows.join("\n")}</tbody></table>`
  );
}

/** Returns plotly.min.js from the npm package, safe to inline. */
function plotlyScript(): string {
  return scriptSource(readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8"));
}

/** The parts of a report page. */
export interface ReportPage {
  readonly summary: ReportSummary;
  readonly alerts: readonly Alert[];
  readonly overview: Figure;
  readonly timeline: Figure;
  readonly version: string;
}

/**
 * Returns report.html as text.
 * @example
 * writeFileSync("report.html", renderReportHtml({ summary, alerts, overview, timeline, version }))
 */
export function renderReportHtml({ summary, alerts, overview, timeline, version }: ReportPage): string {
  const s = summary;
  const scripts = new Scripts();
  const plotly = scripts.tag(plotlyScript());
  const figures = [figureHtml(scripts, "overview", overview), figureHtml(scripts, "timeline", timeline)];
  const sorter = scripts.tag(SORT_SCRIPT);
  // Scripts run only if their hash is listed: inline event handlers (onerror=…) never run, and nothing is fetched.
  const policy = `default-src 'none'; script-src ${scripts.hashes.join(" ")}; style-src 'unsafe-inline'; img-src data: blob:; font-src data:`;
  const cards = [
    ["events", n(s.ingest.events)],
    ["alerts", n(s.alerts.total)],
    ...Object.entries(s.alerts.by_severity).map(([k, v]) => [k, n(v)]),
  ]
    .map(([label, value]) => `<div class="card"><span class="muted">${escapeHtml(label)}</span><b>${escapeHtml(value)}</b></div>`)
    .join("");
  const warnings = s.ingest.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  const skipped = s.rules_skipped.map((r) => `<li><code>${escapeHtml(r.rule)}</code>: ${escapeHtml(r.reason)}</li>`).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>threatlab report: ${escapeHtml(s.file)}</title>
<style>${CSS}</style>
${plotly}
</head>
<body><main>
<h1>threatlab report</h1>
<p class="muted"><code>${escapeHtml(s.file)}</code> · format ${escapeHtml(s.format)} · clock: ${escapeHtml(s.clock)}</p>
<p>${escapeHtml(s.ingest.account)}${s.time_range ? ` · from ${escapeHtml(s.time_range.first)} to ${escapeHtml(s.time_range.last)}` : ""}</p>
${warnings ? `<ul class="muted">${warnings}</ul>` : ""}
<div class="cards">${cards}</div>
<h2>Overview</h2>
${figures[0]}
<h2>Timeline</h2>
${figures[1]}
<h2>Alerts</h2>
<p class="muted">Click a column to sort; open a summary for its evidence.</p>
${alertsTable(alerts)}
<h2>Busiest entities</h2>
<div class="grid">${entityTable("users", s.top_users)}${entityTable("sources", s.top_sources)}${entityTable("destinations", s.top_destinations)}</div>
<h2>How it was read</h2>
<ul>
<li>${n(s.ingest.lines)} lines: ${n(s.ingest.parsed_lines)} parsed into ${n(s.ingest.events)} events, ${n(s.ingest.skipped_lines)} skipped, ${n(s.ingest.unrecognised_lines)} not recognised${s.ingest.first_unrecognised_line ? ` (first at line ${s.ingest.first_unrecognised_line})` : ""}, ${n(s.ingest.malformed_lines)} malformed${s.ingest.first_malformed_line ? ` (first at line ${s.ingest.first_malformed_line})` : ""}, ${n(s.ingest.long_lines)} too long, ${n(s.ingest.duplicates)} duplicates dropped.</li>
<li>Rules run: ${s.rules_run.map((r) => `<code>${escapeHtml(r)}</code>`).join(", ")}.</li>
${skipped ? `<li>Rules that could not run on this file:<ul>${skipped}</ul></li>` : ""}
</ul>
<p class="muted">Made by threatlab ${escapeHtml(version)}. This page works offline: it loads nothing from the network.</p>
</main>
${sorter}
</body>
</html>
`;
}
