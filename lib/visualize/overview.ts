/**
 * The overview of any log file, for reports: what kinds of events, per day, and from which
 * sources. For files in the tutorial's format the tutorial's own dashboard is used instead.
 */
import type { DataFrame } from "nodejs-polars";
import { topEntities } from "../analyze/top-entities";
import { valueCounts } from "../analyze/value-counts";
import { COLORS, plotlyText, shareChart, type Figure } from "./figure";
import { combineFigures, plotDashboard } from "./dashboard";
import { plotEventVolume } from "./panels";

/**
 * Returns the share of each event type (`log_type`): a pie for up to seven types, else a sorted
 * bar chart (see {@link shareChart}); labels escaped for Plotly.
 * @example
 * plotLogTypes(events).data[0].labels // => ["login_failed", "disconnect", …]
 */
export function plotLogTypes(frame: DataFrame): Figure {
  const counts = valueCounts(frame, "log_type").rows();
  const chart = shareChart("event types", counts.map(([t]) => String(t)), counts.map(([, n]) => Number(n)), "events");
  return { data: chart.data, layout: { title: { text: "Event types" }, ...chart.layout } };
}

/**
 * Returns a horizontal bar chart of the `n` busiest values of `column`, failed logins stacked
 * against other events; labels escaped for Plotly.
 * @example
 * plotTopEntities(logs, "user_id", "Busiest users").data[0].y.length // => 10
 */
export function plotTopEntities(frame: DataFrame, column: string, title: string, n = 10): Figure {
  const top = topEntities(frame, column, n).reverse();
  const labels = top.map((t) => plotlyText(t.value));
  return {
    data: [
      { type: "bar", orientation: "h", name: "failed logins", y: labels, x: top.map((t) => t.failed_logins), marker: { color: COLORS.anomaly }, hovertemplate: "%{y}: %{x} failed logins<extra></extra>" },
      { type: "bar", orientation: "h", name: "other events", y: labels, x: top.map((t) => t.events - t.failed_logins), marker: { color: COLORS.normal }, hovertemplate: "%{y}: %{x} other events<extra></extra>" },
    ],
    layout: { title: { text: plotlyText(title) }, barmode: "stack", xaxis: { title: { text: "events" } }, yaxis: { automargin: true }, showlegend: true },
  };
}

/** Returns true when a frame has the tutorial's labelled columns with values (a tutorial-format file). */
export function hasTutorialColumns(frame: DataFrame): boolean {
  return ["threat_level", "bytes_transferred", "location"].every((c) => frame.columns.includes(c) && frame.getColumn(c).nullCount() < frame.height);
}

/**
 * Returns the overview figure of a report: the tutorial's 2×2 dashboard for tutorial-format data,
 * else event types, events over time (binned to the log's span) and the busiest sources.
 * @example
 * plotOverview(logs).data.map((t) => t.type) // => ["pie", "bar", "bar", "scatter"]   (the tutorial's dashboard)
 */
export function plotOverview(frame: DataFrame): Figure {
  if (hasTutorialColumns(frame)) return plotDashboard(frame);
  return combineFigures([plotLogTypes(frame), plotEventVolume(frame), plotTopEntities(frame, "ip_address", "Busiest sources")], { title: "Overview", columns: 2 });
}
