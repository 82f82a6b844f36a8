/**
 * Figures as data: plain Plotly `{ data, layout }` objects that tests can inspect and any Plotly
 * renderer can draw (notebooks, the HTML report, Plotly's own tools).
 */

/** One Plotly trace: `type` plus whatever attributes that trace type takes. */
export interface Trace {
  type: "pie" | "bar" | "scatter" | "histogram" | "heatmap";
  name?: string;
  [attribute: string]: unknown;
}

/** A Plotly figure: traces and layout, as `Plotly.newPlot(div, data, layout)` takes them. */
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown> & { title?: { text: string } };
}

/**
 * Returns text made safe for Plotly labels. Plotly reads a subset of HTML in labels (`<b>`,
 * `<a href>`, `<br>`); log values are attacker-controlled, so `&`, `<` and `>` become entities,
 * which Plotly shows as the literal characters.
 * @example
 * plotlyText("<b>x</b>") // => "&lt;b&gt;x&lt;/b&gt;"
 */
export function plotlyText(text: string): string {
  // Plotly typesets a text between `$`s with MathJax where a page has it; `&#36;` shows as `$`.
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\$/g, "&#36;");
}

/** The colours of threatlab's figures: calm for normal data, warm for threats and anomalies. */
export const COLORS = {
  normal: "#4C78A8",
  anomaly: "#E45756",
  threats: ["#4C78A8", "#F58518", "#E45756", "#B279A2", "#EECA3B", "#72B7B2", "#9D755D"],
  line: "#54A24B",
} as const;
