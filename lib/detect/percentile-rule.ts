/**
 * The tutorial's detector: standardise bytes_transferred and flag rows above the 95th percentile.
 */
import pl, { type DataFrame, type Expr } from "nodejs-polars";
import type { Detection } from "./detection";
import { collectEvents, type Events, lazyEvents } from "./events";
import { quantileExpr } from "../shared/quantile";
import { type Rule, withDefaults } from "./rule";
import { formatBytes } from "./words";

/** Options of {@link flagByteAnomalies} and {@link anomalyThreshold}. */
export interface PercentileRuleOptions {
  /** The quantile whose value is the threshold. Default `0.95`, the tutorial's 95th percentile. */
  quantile?: number;
}

/** The defaults of {@link PercentileRuleOptions}. */
export const PERCENTILE_DEFAULTS = { quantile: 0.95 };

/**
 * Returns the anomaly threshold: the linear-interpolated `quantile` of `bytes_transferred`
 * (pandas: `df['bytes_transferred'].quantile(0.95)`), or `null` for no rows.
 * @example
 * anomalyThreshold(logs) // => 949878.2 on data/sample_logs.csv
 */
export function anomalyThreshold(frame: Events, options: PercentileRuleOptions = {}): number | null {
  const { quantile } = withDefaults(PERCENTILE_DEFAULTS, options);
  const expr = quantileExpr(pl.col("bytes_transferred"), quantile);
  const [q, n] = collectEvents(frame, lazyEvents(frame).select(expr.alias("q"), pl.len().alias("n"))).row(0);
  return Number(n) === 0 ? null : q;
}

/**
 * Returns an expression for the z-score of `column` with the population standard deviation, as
 * scikit-learn's `StandardScaler` computes it; a column with no spread scores 0, as there.
 * @example
 * logs.select(zScoreExpr("bytes_transferred").alias("z")).getColumn("z").get(0) // => -0.2318…   (the sample's first row)
 */
export function zScoreExpr(column: string): Expr {
  const x = pl.col(column).cast(pl.Float64);
  const centred = x.sub(x.mean());
  const std = centred.pow(2).mean().pow(0.5);
  return pl.when(std.eq(0)).then(pl.lit(0)).otherwise(centred.div(std));
}

/**
 * Returns the frame with two new columns: `bytes_zscore` (bytes_transferred standardised) and
 * `is_anomaly`, true where bytes_transferred is strictly greater than its linear-interpolated
 * `quantile` (default the 95th percentile) — the tutorial's step 4, exactly. By construction it
 * flags about 5% of rows whatever the data hold.
 * @example
 * flagByteAnomalies(logs).filter(pl.col("is_anomaly")).height // => 50 of 1000
 */
export function flagByteAnomalies(frame: DataFrame, options: PercentileRuleOptions = {}): DataFrame {
  return flagBytesAbove(frame.withColumns(zScoreExpr("bytes_transferred").alias("bytes_zscore")), anomalyThreshold(frame, options));
}

/**
 * Returns the frame with `is_anomaly`: true where bytes_transferred is strictly greater than
 * `threshold` (all false when the threshold is null, as for no rows). The second half of
 * {@link flagByteAnomalies}, for a threshold already computed.
 * @example
 * flagBytesAbove(logs, 900_000).filter(pl.col("is_anomaly")).height
 */
export function flagBytesAbove(frame: DataFrame, threshold: number | null): DataFrame {
  const above = threshold === null ? pl.lit(false) : pl.col("bytes_transferred").gt(pl.lit(threshold));
  return frame.withColumns(above.alias("is_anomaly"));
}

/** The technique given to the tutorial rule's detections: it looks at bytes, so exfiltration. */
export const PERCENTILE_TECHNIQUE = "T1048";

/**
 * Returns the tutorial's rule as detections, one per event above the threshold (entity: the
 * user), so that it can be scored beside the real detectors as the baseline to beat.
 * @example
 * detectPercentileRule(logs).length // => about 5% of the events, whatever they are
 */
export function detectPercentileRule(frame: Events, options: PercentileRuleOptions = {}): Detection[] {
  const threshold = anomalyThreshold(frame, options);
  if (threshold === null) return [];
  const above = collectEvents(
    frame,
    lazyEvents(frame)
      .filter(pl.col("bytes_transferred").gt(pl.lit(threshold)))
      .select(pl.col("user_id").cast(pl.Utf8), pl.col("timestamp").cast(pl.Int64), pl.col("bytes_transferred").cast(pl.Float64)),
  );
  const { quantile } = withDefaults(PERCENTILE_DEFAULTS, options);
  return (above.rows() as [string, number, number][]).map(([user, t, bytes]) => ({
    rule: "percentile",
    technique: PERCENTILE_TECHNIQUE,
    entity: { type: "user" as const, value: user },
    start: Number(t),
    end: Number(t),
    eventCount: 1,
    score: bytes / threshold,
    observed: bytes,
    expected: threshold,
    measure: `bytes in one event (threshold: the ${Math.round(quantile * 100)}th percentile of all events)`,
    window: "one event",
    evidence: { bytes, threshold },
  }));
}

/** What a percentile detection holds. */
export type PercentileEvidence = { bytes: number; threshold: number };

/** The tutorial's rule: every event above the 95th percentile of bytes, kept as the baseline to beat. */
export const percentile: Rule<"percentile", PercentileRuleOptions, PercentileEvidence> = {
  name: "percentile", title: "The tutorial's 95th-percentile rule", family: "tutorial", technique: PERCENTILE_TECHNIQUE, severity: "low",
  requires: ["timestamp", "user_id", "bytes_transferred"], needsValues: ["bytes_transferred"], defaults: PERCENTILE_DEFAULTS,
  explain: (o) => `the tutorial's rule: bytes above the ${Math.round((o.quantile ?? 0) * 100)}th percentile of all events (kept as the baseline to beat; not run by default)`,
  basis: "the tutorial",
  detect: detectPercentileRule,
  summarize: (d) => `${d.entity.value} moved ${formatBytes(d.observed)} in one event, above the tutorial's threshold of ${formatBytes(d.expected)}`,
  // The tutorial's rule never escalates: it is there to be compared, not to wake anyone.
  escalate: (_d, base) => base,
};
