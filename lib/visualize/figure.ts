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
  /** Seven distinct colours: a pie never has more slices than this (see {@link shareChart}). */
  threats: ["#4C78A8", "#F58518", "#E45756", "#B279A2", "#EECA3B", "#72B7B2", "#9D755D"],
  line: "#54A24B",
} as const;

/**
 * Returns the trace and layout for parts of a whole: a pie while every slice can have its own
 * colour (at most seven), else a bar chart sorted from the largest, which stays readable with any
 * number of categories. Labels are escaped for Plotly; pie labels too small to read are hidden
 * (the legend and the hover still name every slice).
 * @example
 * shareChart("event types", ["a", "b"], [3, 1], "events").data[0].type // => "pie"
 */
export function shareChart(name: string, labels: readonly string[], values: readonly number[], unit: string, colors: readonly string[] = COLORS.threats): Pick<Figure, "data"> & { layout: Record<string, unknown> } {
  if (labels.length <= COLORS.threats.length) {
    return {
      data: [{
        type: "pie", name, labels: labels.map(plotlyText), values: [...values], sort: false,
        marker: { colors: labels.map((_, i) => colors[i]) },
        textinfo: "percent", textposition: "inside",
        hovertemplate: `%{label}: %{value} ${unit} (%{percent})<extra></extra>`,
      }],
      layout: { uniformtext: { minsize: 10, mode: "hide" } },
    };
  }
  const order = labels.map((label, i) => ({ label, value: values[i] })).sort((a, b) => b.value - a.value).reverse();
  return {
    data: [{
      type: "bar", orientation: "h", name, y: order.map((o) => plotlyText(o.label)), x: order.map((o) => o.value),
      marker: { color: COLORS.normal }, hovertemplate: `%{y}: %{x} ${unit}<extra></extra>`,
    }],
    layout: { xaxis: { title: { text: unit } }, yaxis: { automargin: true }, height: Math.max(350, 22 * labels.length + 120) },
  };
}
