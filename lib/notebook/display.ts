/**
 * Rich output in the tslab kernel: Plotly figures and escaped tables. The only module that talks
 * to the notebook; everything else returns data.
 *
 * Figures render offline everywhere: the first figure in a kernel session also sends plotly.js
 * itself (from the npm package, never a CDN), and each figure is sent as a bundle of
 * `application/vnd.plotly.v1+json` (used by JupyterLab when its Plotly extension is installed),
 * `text/html` with a small script (JupyterLab without extensions, the classic Notebook, nbconvert's
 * HTML export) and `text/plain`.
 */
import { readFileSync } from "node:fs";
import type { DataFrame } from "nodejs-polars";
import { escapeHtml, notebookHtml, scriptJson, scriptSource } from "../html";
import { hashString } from "../shared/rng";
import type { Figure } from "../visualize/figure";

/** A Jupyter MIME bundle: one representation of the same output per MIME type. */
export type MimeBundle = Record<string, unknown>;

type WriteDisplayData = (data: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void;

/**
 * Returns the tslab kernel's function that sends display data, or `undefined` outside a kernel.
 * It is found among loaded modules rather than by `require("tslab")`, so that it is the running
 * kernel's own copy even when another tslab is installed elsewhere.
 */
function kernelWriter(): WriteDisplayData | undefined {
  for (const [path, module] of Object.entries(require.cache)) {
    if (/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(path)) {
      const write = (module?.exports as { lastWriteDisplayData?: WriteDisplayData } | undefined)?.lastWriteDisplayData;
      if (typeof write === "function") return write;
    }
  }
  return undefined;
}

/**
 * Sends a MIME bundle to the notebook as a display output. Outside a tslab kernel (a plain Node
 * script, a test) it prints the bundle's `text/plain` instead.
 */
export function display(bundle: MimeBundle): void {
  const write = kernelWriter();
  if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
  else console.log(String(bundle["text/plain"] ?? ""));
}

let plotlySource: string | undefined;

/** Returns the plotly.js version bundled with threatlab. */
export function plotlyVersion(): string {
  return (require("plotly.js-dist-min/package.json") as { version: string }).version;
}

/**
 * Returns the bundle that loads plotly.js into the page, inlined from the npm package. It sets
 * `window.Plotly` whatever module loader the page has (the classic Notebook has RequireJS).
 */
export function plotlyLoaderBundle(): MimeBundle {
  plotlySource ??= readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  const html =
    `<script type="text/javascript">if (!window.Plotly) { (function (module, exports, define) {\n` +
    `${scriptSource(plotlySource)}\n}).call(window); }</script>`;
  return {
    "text/html": html,
    "text/plain": `plotly.js ${plotlyVersion()} loaded from the npm package (offline)`,
  };
}

/**
 * The class MathJax 3 leaves alone (its `ignoreHtmlClass`), as JupyterLab and Notebook 7 run it
 * over every output. Plotly writes a label's `&#36;` as a `$` in the SVG, and JupyterLab then
 * typeset "$\\href{…}{CLICKME}$" from a log into a live link (seen in the browser test).
 */
const NO_MATH = "mathjax_ignore";

/**
 * Returns the MIME bundle for one figure. `id` names its `<div>`; the same figure and id give
 * the same bundle, so executed notebooks are reproducible.
 */
export function figureBundle(figure: Figure, id: string): MimeBundle {
  const config = { responsive: true, displaylogo: false };
  const height = Number(figure.layout.height ?? 450);
  const html =
    `<div id="${escapeHtml(id)}" class="threatlab-figure ${NO_MATH}" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var id = ${scriptJson(id)}, fig = ${scriptJson({ data: figure.data, layout: figure.layout, config })};\n` +
    `  var tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(id);\n` +
    `    if (el && el.isConnected && window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }\n` +
    `    if (++tries < 200) { setTimeout(draw, 50); return; }\n` +
    `    if (el) el.textContent = "plotly.js is not loaded: run the notebook from its first cell, or trust it (File > Trust Notebook).";\n` +
    `  }\n` +
    `  draw();\n` +
    `})();</script>`;
  return {
    "application/vnd.plotly.v1+json": { data: figure.data, layout: figure.layout, config },
    "text/html": html,
    "text/plain": describeFigure(figure),
  };
}

/** Returns a one-line description of a figure: its title and its trace types. */
export function describeFigure(figure: Figure): string {
  const title = figure.layout.title?.text ?? "untitled";
  return `Figure "${title}": ${figure.data.map((t) => t.type).join(", ")} (${figure.data.length} trace${figure.data.length === 1 ? "" : "s"})`;
}

let figuresShown = 0;

/**
 * Shows a figure in the notebook; the first call in a kernel session also loads plotly.js.
 * @example
 * showFigure(plotDashboard(logs))
 */
export function showFigure(figure: Figure): void {
  if (figuresShown === 0) display(plotlyLoaderBundle());
  figuresShown++;
  display(figureBundle(figure, `threatlab-figure-${figuresShown}-${hashString(JSON.stringify(figure.layout.title ?? ""))}`));
}

/** Options of {@link tableBundle} and {@link showTable}. */
export interface TableOptions {
  /** Most rows to show. Default `10`. */
  rows?: number;
}

/**
 * Returns the MIME bundle of a frame as an HTML table (every value escaped, `$` kept from MathJax)
 * with a text fallback.
 * @example
 * tableBundle(logs, { rows: 5 })["text/html"] // => "<table class=\"threatlab-table\">…"
 */
export function tableBundle(frame: DataFrame, { rows = 10 }: TableOptions = {}): MimeBundle {
  const shown = frame.head(rows);
  const cell = (value: unknown): string => notebookHtml(value instanceof Date ? value.toISOString().replace("T", " ").slice(0, 19) : String(value ?? ""));
  const head = shown.columns.map((c) => `<th>${notebookHtml(c)}</th>`).join("");
  const body = shown
    .rows()
    .map((row) => `<tr>${row.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`)
    .join("\n");
  const more = frame.height > rows ? `<p>${rows} of ${frame.height.toLocaleString("en-US")} rows shown</p>` : "";
  return {
    "text/html": `<table class="threatlab-table ${NO_MATH}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more}`,
    "text/plain": shown.toString(),
  };
}

/**
 * Shows the first rows of a frame as an escaped HTML table.
 * @example
 * showTable(readLogs("data/sample_logs.csv"), { rows: 5 }) // displays the first 5 of the 1,000 rows, escaped
 */
export function showTable(frame: DataFrame, options: TableOptions = {}): void {
  display(tableBundle(frame, options));
}
