/**
 * The four panels of the tutorial's dashboard, one function each.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { columnHistogram, countByThreatLevel, dailyCounts, eventVolume, type VolumeUnit } from "../analyze";
import { flagByteAnomalies, type PercentileRuleOptions } from "../detect";
import { THREAT_LEVELS } from "../schema";
import { COLORS, plotlyText, shareChart, type Figure } from "./figure";

const base = (title: string, layout: Record<string, unknown> = {}): Figure["layout"] => ({
  title: { text: title },
  margin: { t: 60, l: 60, r: 20, b: 50 },
  ...layout,
});

/**
 * Returns a pie chart of the `threat_level` counts (tutorial panel 1). The known levels come in
 * the tutorial's order with fixed colours; unknown labels follow.
 * @example
 * plotThreatLevels(logs).data[0].labels // => ["normal", "brute_force", …]
 */
export function plotThreatLevels(frame: DataFrame): Figure {
  const counts = new Map<string, number>();
  for (const row of countByThreatLevel(frame).toRecords()) counts.set(String(row.threat_level), Number(row.count));
  const known = THREAT_LEVELS.filter((level) => counts.has(level));
  const labels = [...known, ...[...counts.keys()].filter((k) => !(THREAT_LEVELS as readonly string[]).includes(k))];
  // Labels inside the slices: outside, the thin threat slices' labels collide with the title.
  const chart = shareChart("threat level", labels, labels.map((l) => counts.get(l) ?? 0), "logs");
  return { data: chart.data, layout: base("Threat levels (labels)", chart.layout) };
}

/** Options of {@link plotBytesHistogram}. */
export interface BytesHistogramOptions {
  /** Number of equal-width bins. Default `50`, the tutorial's. */
  bins?: number;
  /** Draw a dashed vertical line at this many bytes (e.g. the anomaly threshold). Default: none. */
  threshold?: number | null;
}

/**
 * Returns a histogram of `bytes_transferred` (tutorial panel 2): equal-width bins computed as
 * numpy/matplotlib do, drawn as bars, so the figure stays small however many rows there are.
 * @example
 * plotBytesHistogram(logs).data[0].y.length // => 50
 */
export function plotBytesHistogram(frame: DataFrame, { bins = 50, threshold = null }: BytesHistogramOptions = {}): Figure {
  const { edges, counts } = columnHistogram(frame, "bytes_transferred", bins);
  const width = edges.length > 1 ? edges[1] - edges[0] : 1;
  const marks =
    threshold === null
      ? {}
      : {
          shapes: [{ type: "line", xref: "x", yref: "paper", x0: threshold, x1: threshold, y0: 0, y1: 1, line: { color: COLORS.anomaly, dash: "dash", width: 2 } }],
          annotations: [{ x: threshold, y: 1, xref: "x", yref: "paper", text: `threshold ${Math.round(threshold).toLocaleString("en-US")}`, showarrow: false, xanchor: "right", yanchor: "bottom", font: { color: COLORS.anomaly } }],
        };
  return {
    data: [
      {
        type: "bar",
        name: "bytes transferred",
        x: counts.map((_, i) => (edges[i] + edges[i + 1]) / 2),
        y: counts,
        width: counts.map(() => width),
        customdata: counts.map((_, i) => [edges[i], edges[i + 1]]),
        marker: { color: COLORS.normal, line: { color: "white", width: 0.5 } },
        hovertemplate: "%{customdata[0]:,.0f} – %{customdata[1]:,.0f} bytes: %{y} logs<extra></extra>",
      },
    ],
    layout: base(`Bytes transferred (${bins} bins)`, {
      xaxis: { title: { text: "bytes transferred" } },
      yaxis: { title: { text: "logs" } },
      bargap: 0,
      ...marks,
    }),
  };
}

/**
 * Returns a bar chart of normal versus anomalous rows (tutorial panel 3). Flags the frame with
 * `flagByteAnomalies` first unless it already has an `is_anomaly` column.
 * @example
 * plotAnomalyCounts(logs).data[0].y // => [950, 50]
 */
export function plotAnomalyCounts(frame: DataFrame, options: PercentileRuleOptions = {}): Figure {
  const flagged = frame.columns.includes("is_anomaly") ? frame : flagByteAnomalies(frame, options);
  const anomalies: number = flagged.select(pl.col("is_anomaly").cast(pl.UInt32).sum().alias("n")).row(0)[0] ?? 0;
  return {
    data: [
      {
        type: "bar",
        name: "rows",
        x: ["Normal", "Anomaly"],
        y: [flagged.height - anomalies, anomalies],
        marker: { color: [COLORS.normal, COLORS.anomaly] },
        text: [flagged.height - anomalies, anomalies].map(String),
        textposition: "auto",
        hovertemplate: "%{x}: %{y} logs<extra></extra>",
      },
    ],
    layout: base("Normal vs anomalous logs", {
      yaxis: { title: { text: "logs" } },
    }),
  };
}

/**
 * Returns a line chart of logs per calendar date (tutorial panel 4).
 * @example
 * plotDailyVolume(logs).data[0].x[0] // => "2025-01-01"
 */
export function plotDailyVolume(frame: DataFrame): Figure {
  const days = dailyCounts(frame);
  return {
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "logs per day",
        x: days.getColumn("date").toArray().map(String),
        y: days.getColumn("count").toArray().map(Number),
        line: { color: COLORS.line },
        hovertemplate: "%{x}: %{y} logs<extra></extra>",
      },
    ],
    layout: base("Daily log volume", {
      // A date axis over one or two days zooms into hours (ticks such as 23:59:59.999): name the days instead.
      xaxis: { title: { text: "date" }, type: days.height < 3 ? "category" : "date" },
      yaxis: { title: { text: "logs" }, rangemode: "tozero" },
    }),
  };
}

/** Tick labels for each bin of {@link eventVolume}. */
const TICKS: Record<VolumeUnit, string> = { minute: "%H:%M", hour: "%H:%M\n%b %d", day: "%b %d\n%Y" };

/**
 * Returns events over time binned to the log's span (minutes for up to two hours, hours for up to
 * three days, else days; see {@link eventVolume}), for logs of any length.
 * @example
 * plotEventVolume(oneHourOfLogs).layout.title.text // => "Events per minute"
 */
export function plotEventVolume(frame: DataFrame): Figure {
  const { unit, counts } = eventVolume(frame);
  return {
    data: [
      {
        type: "scatter",
        mode: counts.height > 60 ? "lines" : "lines+markers",
        name: `events per ${unit}`,
        x: counts.getColumn("start").toArray().map(String),
        y: counts.getColumn("count").toArray().map(Number),
        line: { color: COLORS.line },
        hovertemplate: `%{x}: %{y} events<extra></extra>`,
      },
    ],
    layout: base(`Events per ${unit}`, {
      xaxis: { title: { text: unit === "day" ? "date" : "time" }, type: counts.height < 2 ? "category" : "date", tickformat: TICKS[unit] },
      yaxis: { title: { text: "events" }, rangemode: "tozero" },
    }),
  };
}
