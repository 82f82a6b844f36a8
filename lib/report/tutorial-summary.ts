/**
 * The tutorial's whole analysis in one object: steps 3, 4 and 6 on one frame.
 */
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";
import { countsToObject, dailyCountsPlan, datedCounts, valueCountsPlan } from "../analyze";
import { type PercentileRuleOptions } from "../detect";
import { quantileExpr } from "../shared/quantile";
import { collectStreaming, isLazyFrame } from "../shared/frame";

/** The tutorial-parity summary printed by `threatlab analyze --json`. */
export interface TutorialSummary {
  /** Number of rows (`len(df)`). */
  total: number;
  /** `df['log_type'].value_counts()`, most frequent first. */
  log_type_counts: Record<string, number>;
  /** `df['threat_level'].value_counts()`, most frequent first. */
  threat_level_counts: Record<string, number>;
  /** Rows whose threat_level is not `normal`. */
  threat_count: number;
  /** `df['bytes_transferred'].mean()`; null when there are no rows. */
  mean_bytes: number | null;
  /** `df['bytes_transferred'].quantile(0.95)` (linear); null when there are no rows. */
  anomaly_threshold: number | null;
  /** Rows with bytes_transferred strictly above the threshold. */
  anomaly_count: number;
  /** Rows with threat_level ≠ normal or an anomaly: the tutorial's printed alerts. */
  alert_count: number;
  /** Rows per calendar date written in the file, `{ "YYYY-MM-DD": count }`, oldest first. */
  daily_counts: Record<string, number>;
}

/**
 * The text columns the summary counts: read them as `Categorical` (`readLogs(path, { categorical:
 * SUMMARY_CATEGORICAL })`) and the summary runs several times faster on them, with the same result.
 */
export const SUMMARY_CATEGORICAL: readonly string[] = ["log_type", "threat_level"];

/**
 * Returns the tutorial's numbers for a frame of logs; on any file in the tutorial's schema they
 * equal what the tutorial's pandas code computes. Given a lazy frame (`scanLogs`) it runs in
 * streaming mode, as {@link summarizeTutorialLazy}.
 * @example
 * summarizeTutorial(readLogs("data/sample_logs.csv")).anomaly_count // => 50
 */
export function summarizeTutorial(frame: DataFrame | LazyDataFrame, options: PercentileRuleOptions = {}): TutorialSummary {
  if (isLazyFrame(frame)) return summarizeTutorialLazy(frame, options);
  return summarizeTutorialPlans(frame.lazy(), (plan) => plan.collectSync(), options);
}

/**
 * {@link summarizeTutorial} for a lazy frame, e.g. `scanLogs` of a file bigger than memory: each
 * part of the summary is one plan that polars runs in streaming mode, reading only the columns it
 * needs.
 * @example
 * summarizeTutorialLazy(scanLogs("data/sample_logs.csv")).anomaly_threshold // => 949878.2
 */
export function summarizeTutorialLazy(frame: LazyDataFrame, options: PercentileRuleOptions & { onProgress?: SummaryProgress } = {}): TutorialSummary {
  const { onProgress, ...rest } = options;
  let done = 0;
  const collect = (plan: LazyDataFrame): DataFrame => {
    onProgress?.("summarising", done / SUMMARY_PLANS);
    const result = collectStreaming(plan);
    onProgress?.("summarising", ++done / SUMMARY_PLANS);
    return result;
  };
  return summarizeTutorialPlans(frame, collect, rest);
}

/** Called before and after each plan of a streamed summary with how much of it is done (0 to 1). */
export type SummaryProgress = (stage: string, fraction: number) => void;

/** How many plans a summary runs through `collect`: the numbers, the days, two value counts. */
const SUMMARY_PLANS = 4;

/** The summary's plans, each run by `collect`. */
function summarizeTutorialPlans(frame: LazyDataFrame, collect: (plan: LazyDataFrame) => DataFrame, { quantile = 0.95 }: PercentileRuleOptions): TutorialSummary {
  const bytes = pl.col("bytes_transferred");
  const labelled = pl.col("threat_level").neq(pl.lit("normal"));
  // The threshold needs the whole column sorted: polars' in-memory engine computes it from that
  // one column (8 bytes a row), exactly as for a frame in memory.
  const threshold = frame.select(quantileExpr(bytes, quantile).alias("threshold")).collectSync().row(0)[0] as number | null;
  // Then one plan for every other number, side by side.
  const above = threshold === null ? pl.lit(false) : bytes.gt(pl.lit(threshold));
  const [total, mean, threats, anomalies, alerts] = collect(
    frame.select(
      pl.len().alias("total"),
      bytes.mean().alias("mean"),
      labelled.cast(pl.UInt32).sum().alias("threats"),
      above.cast(pl.UInt32).sum().alias("anomalies"),
      labelled.or(above).cast(pl.UInt32).sum().alias("alerts"),
    ),
  ).row(0) as (number | null)[];
  const daily: Record<string, number> = Object.create(null);
  for (const { date, count } of datedCounts(collect(dailyCountsPlan(frame))).toRecords()) daily[String(date)] = Number(count);
  const empty = Number(total) === 0;
  return {
    total: Number(total),
    log_type_counts: countsToObject(collect(valueCountsPlan(frame, "log_type"))),
    threat_level_counts: countsToObject(collect(valueCountsPlan(frame, "threat_level"))),
    threat_count: Number(threats ?? 0),
    mean_bytes: empty ? null : mean,
    anomaly_threshold: empty ? null : threshold,
    anomaly_count: Number(anomalies ?? 0),
    alert_count: Number(alerts ?? 0),
    daily_counts: daily,
  };
}

const number = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 2 });

/**
 * Returns the summary as readable text, one fact per line, counts as indented lists.
 * @example
 * formatTutorialSummary(summarizeTutorial(logs)).split("\n")[0] // => "Total logs:          1,000"
 */
export function formatTutorialSummary(summary: TutorialSummary): string {
  const counts = (title: string, values: Record<string, number>): string[] => [
    `${title}:`,
    ...Object.entries(values).map(([k, v]) => `  ${k.padEnd(20)} ${number(v).padStart(9)}`),
  ];
  const days = Object.keys(summary.daily_counts);
  return [
    `Total logs:          ${number(summary.total)}`,
    ...counts("Log types", summary.log_type_counts),
    ...counts("Threat levels", summary.threat_level_counts),
    `Labelled threats:    ${number(summary.threat_count)}`,
    `Mean bytes:          ${summary.mean_bytes === null ? "n/a" : number(summary.mean_bytes)}`,
    `Anomaly threshold:   ${summary.anomaly_threshold === null ? "n/a" : `${number(summary.anomaly_threshold)} bytes`}`,
    `Anomalies:           ${number(summary.anomaly_count)}`,
    `Alerts:              ${number(summary.alert_count)}`,
    `Days:                ${days.length}${days.length ? ` (${days[0]} to ${days[days.length - 1]})` : ""}`,
  ].join("\n");
}
