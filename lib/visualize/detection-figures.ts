/**
 * Figures for detection and evaluation: an event timeline with campaigns and alerts overlaid, a
 * user's hour × day activity, a user's countries over time, score distributions, and
 * precision–recall curves. All return Plotly `{ data, layout }`; text from logs goes through
 * {@link plotlyText}.
 */
import pl, { type DataFrame } from "nodejs-polars";
import type { Alert } from "../alerts/alerts";
import { SEVERITIES } from "../detect/detection";
import { windowStartExpr } from "../detect/windows";
import type { PrPoint } from "../evaluate/pr-curve";
import { histogram } from "../analyze/histogram";
import { HOUR_MS, isoUtc } from "../time";
import { COLORS, plotlyText, type Figure, type Trace } from "./figure";

/** A campaign to shade on a timeline: anything with an id, a kind and a time span. */
export interface TimelineCampaign {
  readonly id: string;
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** Options of {@link plotTimeline}. */
export interface TimelineOptions {
  /** Campaigns to shade (ground truth). */
  campaigns?: readonly TimelineCampaign[];
  /** Alerts to mark, by severity. */
  alerts?: readonly Alert[];
  /** Title, as plain text (a file name may be in it: markup shows as written). Default `"Events per hour"`. */
  title?: string;
}

const SEVERITY_COLORS: Record<string, string> = { low: "#72B7B2", medium: "#EECA3B", high: "#F58518", critical: "#E45756" };
const ts = (ms: number): string => isoUtc(ms).replace("T", " ").replace("Z", "");

/**
 * Returns a timeline of events per hour, with each campaign shaded and labelled and each alert
 * marked at its first_seen (colour = severity, hover = summary).
 * @example
 * plotTimeline(events, { campaigns: scenario.campaigns, alerts }).data.map((t) => t.name)
 * // => ["events per hour", "low alerts", "medium alerts", …]
 */
export function plotTimeline(events: DataFrame, { campaigns = [], alerts = [], title = "Events per hour" }: TimelineOptions = {}): Figure {
  const hourly = events
    .select(windowStartExpr(pl.col("timestamp").cast(pl.Int64), HOUR_MS).alias("h"))
    .groupBy("h")
    .agg(pl.len().alias("n"))
    .sort("h");
  const hours = hourly.getColumn("h").toArray().map(Number);
  const counts = hourly.getColumn("n").toArray().map(Number);
  const top = Math.max(1, ...counts);
  const data: Trace[] = [
    {
      type: "scatter", mode: "lines", name: "events per hour", x: hours.map(ts), y: counts,
      line: { color: COLORS.normal, width: 1 }, hovertemplate: "%{x}: %{y} events<extra></extra>",
    },
  ];
  for (const severity of SEVERITIES) {
    const mine = alerts.filter((a) => a.severity === severity);
    if (mine.length === 0) continue;
    data.push({
      type: "scatter", mode: "markers", name: `${severity} alerts`,
      x: mine.map((a) => ts(Date.parse(a.first_seen))),
      y: mine.map((_, i) => top * (1.05 + 0.04 * SEVERITIES.indexOf(severity)) + (i % 3) * top * 0.01),
      text: mine.map((a) => plotlyText(`${a.rule}: ${a.summary}`)),
      marker: { color: SEVERITY_COLORS[severity], size: 9, symbol: "triangle-down", line: { color: "white", width: 0.5 } },
      hovertemplate: "%{text}<extra></extra>",
    });
  }
  const shapes = campaigns.map((c) => ({
    type: "rect", xref: "x", yref: "paper", x0: ts(c.start), x1: ts(Math.max(c.end, c.start + HOUR_MS)), y0: 0, y1: 1,
    fillcolor: COLORS.anomaly, opacity: 0.15, line: { width: 0 },
  }));
  const annotations = campaigns.map((c, i) => ({
    x: ts(c.start), y: 1 - (i % 6) * 0.05, xref: "x", yref: "paper", text: plotlyText(c.id), showarrow: false,
    xanchor: "left", yanchor: "top", font: { size: 10, color: COLORS.anomaly },
  }));
  return {
    data,
    layout: {
      title: { text: plotlyText(title) }, height: 450, shapes, annotations,
      xaxis: { title: { text: "time (UTC)" }, type: "date" },
      yaxis: { title: { text: "events per hour" }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.2 },
      margin: { t: 60, l: 60, r: 20, b: 80 },
    },
  };
}

/**
 * Returns a heatmap of one user's events by hour of day (rows) and date (columns): their habits at
 * a glance, and anything outside them.
 * @example
 * plotUserHeatmap(events, "user_17").data[0].z.length // => 24
 */
export function plotUserHeatmap(events: DataFrame, user: string): Figure {
  const rows = events
    .filter(pl.col("user_id").eq(pl.lit(user)))
    .select(pl.col("timestamp").dt.strftime("%Y-%m-%d").alias("day"), pl.col("timestamp").dt.hour().cast(pl.Int32).alias("hour"))
    .groupBy(["day", "hour"])
    .agg(pl.len().alias("n"));
  const days = [...new Set(rows.getColumn("day").toArray() as string[])].sort();
  const z = Array.from({ length: 24 }, () => new Array<number>(days.length).fill(0));
  const column = new Map(days.map((d, i) => [d, i]));
  for (const [day, hour, n] of rows.rows() as [string, number, number][]) z[hour][column.get(day)!] = Number(n);
  return {
    data: [
      {
        type: "heatmap", name: plotlyText(user), x: days, y: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`), z,
        colorscale: "Blues", colorbar: { title: { text: "events" } }, hovertemplate: "%{x} %{y}: %{z} events<extra></extra>",
      },
    ],
    layout: {
      title: { text: `Activity of ${plotlyText(user)} by hour (UTC) and day` }, height: 480,
      xaxis: { title: { text: "day" } }, yaxis: { title: { text: "hour of day" }, autorange: "reversed" },
    },
  };
}

/**
 * Returns one user's events over time by country (or location), one marker per event: a jump to
 * another continent shows at once.
 * @example
 * plotUserCountries(events, "user_1").data.length // => 1
 */
export function plotUserCountries(events: DataFrame, user: string): Figure {
  const place = events.columns.includes("country") ? "country" : "location";
  const rows = events
    .filter(pl.col("user_id").eq(pl.lit(user)).and(pl.col("log_type").neq(pl.lit("login_failed"))))
    .select(pl.col("timestamp").cast(pl.Int64).alias("t"), pl.col(place).cast(pl.Utf8).alias("p"), pl.col("ip_address").cast(pl.Utf8).alias("ip"));
  const times = rows.getColumn("t").toArray().map(Number);
  return {
    data: [
      {
        type: "scatter", mode: "markers", name: place, x: times.map(ts), y: (rows.getColumn("p").toArray() as string[]).map((p) => plotlyText(p ?? "?")),
        text: (rows.getColumn("ip").toArray() as string[]).map((ip) => plotlyText(ip)),
        marker: { color: COLORS.normal, size: 6, opacity: 0.6 }, hovertemplate: "%{x}: %{y} from %{text}<extra></extra>",
      },
    ],
    layout: {
      title: { text: `Where ${plotlyText(user)} was used from (failed logins excluded)` }, height: 350,
      xaxis: { title: { text: "time (UTC)" }, type: "date" }, yaxis: { title: { text: place }, type: "category" },
    },
  };
}

/** Options of {@link plotScoreDistribution}. */
export interface ScoreDistributionOptions {
  /** Number of bins. Default `40`. */
  bins?: number;
  /** Draw the detection threshold as a dashed line. */
  threshold?: number;
  title?: string;
}

/**
 * Returns the distribution of scores, split into attack and normal units when `labels` are given
 * (log-scale counts, since attacks are rare).
 * @example
 * plotScoreDistribution(scores, labels, { threshold: 0.7 }).data.map((t) => t.name) // => ["normal", "attack"]
 */
export function plotScoreDistribution(scores: readonly number[], labels?: readonly boolean[], { bins = 40, threshold, title = "Score distribution" }: ScoreDistributionOptions = {}): Figure {
  const { edges } = histogram(scores, bins);
  const group = (keep: (i: number) => boolean): number[] => {
    const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
    const width = edges.length > 1 ? edges[1] - edges[0] : 1;
    scores.forEach((s, i) => {
      if (keep(i)) counts[Math.min(counts.length - 1, Math.max(0, Math.floor((s - edges[0]) / width)))]++;
    });
    return counts;
  };
  const centres = edges.slice(0, -1).map((e, i) => (e + edges[i + 1]) / 2);
  const groups: [string, (i: number) => boolean, string][] = labels
    ? [["normal", (i) => !labels[i], COLORS.normal], ["attack", (i) => labels[i], COLORS.anomaly]]
    : [["all", () => true, COLORS.normal]];
  return {
    data: groups.map(([name, keep, color]) => ({
      type: "bar", name, x: centres, y: group(keep), marker: { color, opacity: 0.75 }, hovertemplate: `${name}: %{y} at %{x:.3f}<extra></extra>`,
    })),
    layout: {
      title: { text: plotlyText(title) }, barmode: "overlay", bargap: 0, height: 400,
      xaxis: { title: { text: "score" } }, yaxis: { title: { text: "units (log scale)" }, type: "log" },
      ...(threshold === undefined ? {} : { shapes: [{ type: "line", xref: "x", yref: "paper", x0: threshold, x1: threshold, y0: 0, y1: 1, line: { color: COLORS.anomaly, dash: "dash" } }] }),
    },
  };
}

/**
 * Returns precision–recall curves, one per detector, named with their average precision.
 * @example
 * plotPrecisionRecall({ isolation_forest: { curve, pr_auc: 0.71 } }).data[0].name // => "isolation_forest (AP 0.71)"
 */
export function plotPrecisionRecall(curves: Readonly<Record<string, { curve: readonly PrPoint[]; pr_auc: number | null }>>): Figure {
  return {
    data: Object.entries(curves).map(([name, { curve, pr_auc }], i) => ({
      type: "scatter", mode: "lines", name: `${plotlyText(name)} (AP ${pr_auc === null ? "n/a" : pr_auc.toFixed(2)})`,
      x: curve.map((p) => p.recall), y: curve.map((p) => p.precision), line: { color: COLORS.threats[(i + 1) % COLORS.threats.length], width: 2 },
      hovertemplate: "recall %{x:.2f}, precision %{y:.2f}<extra></extra>",
    })),
    layout: {
      title: { text: "Precision–recall" }, height: 420,
      xaxis: { title: { text: "recall" }, range: [0, 1.02] }, yaxis: { title: { text: "precision" }, range: [0, 1.02] },
    },
  };
}
