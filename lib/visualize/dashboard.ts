/**
 * The tutorial's 2×2 dashboard, built by placing the four panel figures on one grid.
 */
import type { DataFrame } from "nodejs-polars";
import { flagByteAnomalies, type PercentileRuleOptions } from "../detect";
import { type Figure, plotlyText, type Trace } from "./figure";
import { plotAnomalyCounts, plotBytesHistogram, plotDailyVolume, plotThreatLevels } from "./panels";

/** Options of {@link combineFigures}. */
export interface GridOptions {
  /** Number of columns; rows follow from the number of figures. Default `2`. */
  columns?: number;
  /** Title of the whole figure, as plain text (markup shows as written). */
  title?: string;
  /** Height in pixels. Default `850`. */
  height?: number;
  /** Space between columns, as a fraction of the figure's width. Default `0.1`. */
  columnGap?: number;
  /** Space between rows, as a fraction of the figure's height; room for axis and cell titles. Default `0.18`. */
  rowGap?: number;
}

type Axis = Record<string, unknown>;

/**
 * Returns one figure with `figures` laid out on a grid, left to right then top to bottom. Each
 * cell keeps its traces, its axis settings and its title (as an annotation). Cartesian traces get
 * their own pair of axes. A pie takes the left 70% of its cell and the first pie's legend the rest,
 * since its small slices are named only there; a figure that shows a legend (colours that mean
 * something, as stacked bars) keeps its own in its cell's corner; other traces stay out of legends.
 * @example
 * combineFigures([plotThreatLevels(logs), plotDailyVolume(logs)]).data.length // => 2
 */
export function combineFigures(
  figures: readonly Figure[],
  { columns = 2, title, height = 850, columnGap = 0.1, rowGap = 0.18 }: GridOptions = {},
): Figure {
  const rows = Math.ceil(figures.length / columns);
  const span = (index: number, count: number, gap: number): [number, number] => {
    const size = (1 - gap * (count - 1)) / count;
    return [index * (size + gap), index * (size + gap) + size];
  };
  const data: Trace[] = [];
  const layout: Figure["layout"] = { height, showlegend: false, annotations: [] as unknown[], margin: { t: 90, l: 60, r: 30, b: 50 } };
  if (title) layout.title = { text: plotlyText(title) };
  let axis = 0;
  let pieLegend = false;
  let legends = 1;
  figures.forEach((figure, i) => {
    const x = span(i % columns, columns, columnGap);
    const yCell = span(rows - 1 - Math.floor(i / columns), rows, rowGap);
    const cellTitle = figure.layout.title?.text;
    if (cellTitle) {
      (layout.annotations as unknown[]).push({
        text: `<b>${cellTitle}</b>`, x: (x[0] + x[1]) / 2, y: yCell[1] + 0.02,
        xref: "paper", yref: "paper", xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 14 },
      });
    }
    const cartesian = figure.data.some((t) => t.type !== "pie");
    const suffix = cartesian ? (++axis === 1 ? "" : String(axis)) : "";
    // A cell whose colours mean something (its figure shows a legend) keeps a legend of its own, in its corner.
    const ownLegend = cartesian && figure.layout.showlegend === true ? `legend${++legends}` : undefined;
    if (ownLegend) {
      layout.showlegend = true;
      // Bottom right: the busiest-first bar charts this serves have their shortest bars there.
      layout[ownLegend] = { x: x[1], y: yCell[0], xanchor: "right", yanchor: "bottom", bgcolor: "rgba(255,255,255,0.8)" };
    }
    for (const trace of figure.data) {
      if (trace.type === "pie") {
        const split = x[0] + 0.7 * (x[1] - x[0]);
        data.push({ ...trace, domain: { x: [x[0], split], y: yCell }, showlegend: !pieLegend });
        if (!pieLegend) {
          pieLegend = true;
          layout.showlegend = true;
          layout.legend = { x: split + 0.01, y: yCell[1], xanchor: "left", yanchor: "top" };
        }
      } else {
        data.push({ ...trace, xaxis: `x${suffix}`, yaxis: `y${suffix}`, showlegend: Boolean(ownLegend), ...(ownLegend ? { legend: ownLegend } : {}) });
      }
    }
    if (cartesian) {
      layout[`xaxis${suffix}`] = { ...((figure.layout.xaxis as Axis) ?? {}), domain: x, anchor: `y${suffix}` };
      layout[`yaxis${suffix}`] = { ...((figure.layout.yaxis as Axis) ?? {}), domain: yCell, anchor: `x${suffix}` };
    }
    for (const key of ["bargap", "barmode"]) if (key in figure.layout) layout[key] = figure.layout[key];
  });
  return { data, layout };
}

/**
 * Returns the tutorial's 2×2 dashboard: threat-level pie, bytes histogram, anomaly bar and
 * daily volume line, in that order.
 * @example
 * plotDashboard(logs).data.map((t) => t.type) // => ["pie", "bar", "bar", "scatter"]
 */
export function plotDashboard(frame: DataFrame, options: PercentileRuleOptions = {}): Figure {
  const flagged = flagByteAnomalies(frame, options);
  return combineFigures(
    [plotThreatLevels(flagged), plotBytesHistogram(flagged), plotAnomalyCounts(flagged), plotDailyVolume(flagged)],
    { title: "Security log dashboard" },
  );
}
