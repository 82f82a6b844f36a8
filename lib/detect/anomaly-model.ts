/**
 * The unsupervised model: an isolation forest over per-user, per-hour behaviour features. It knows
 * no attack, only what is rare; its scores are also what the evaluation's PR-AUC measures.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { HOUR_MS } from "../time";
import type { Detection } from "./detection";
import { actorEntity, actorExpr, bytesOutColumn, detectorView, outsideDestinationExpr } from "./events";
import { IsolationForest, type IsolationForestOptions } from "./isolation-forest";
import { hourProfiles, hoursOutside, usualHours } from "./off-hours";
import { median } from "./robust";
import { windowStartExpr } from "./windows";

/** The features of one user-hour, in {@link FEATURE_NAMES} order. */
export const FEATURE_NAMES = [
  "events (log)",
  "failed logins (log)",
  "successful logins (log)",
  "distinct source addresses",
  "distinct countries",
  "bytes to outside addresses (log)",
  "share of system calls and file reads",
  "hours outside usual hours",
] as const;

/** Per-user, per-hour windows with their features. */
export interface WindowFeatures {
  readonly user: string[];
  /** Epoch milliseconds of each window's first and last event. */
  readonly first: number[];
  readonly last: number[];
  readonly events: number[];
  /** One row of {@link FEATURE_NAMES} per window. */
  readonly rows: number[][];
}

/** Returns the features of every user-hour that has events. */
export function windowFeatures(frame: DataFrame): WindowFeatures {
  const view = detectorView(frame);
  const hasCountry = view.columns.includes("country");
  const outside = view.columns.includes("destination") ? outsideDestinationExpr(view) : pl.lit(true);
  const sent = bytesOutColumn(view);
  const windows = view
    .withColumns(
      actorExpr().alias("user"),
      pl.col("timestamp").cast(pl.Int64).alias("t"),
      windowStartExpr(pl.col("timestamp").cast(pl.Int64), HOUR_MS).alias("w"),
      (sent ? pl.when(outside).then(pl.col(sent)).otherwise(pl.lit(0)) : pl.lit(0)).cast(pl.Float64).fillNull(0).alias("out"),
    )
    .groupBy(["user", "w"])
    .agg(
      pl.len().alias("events"),
      pl.col("log_type").eq(pl.lit("login_failed")).cast(pl.UInt32).sum().alias("failed"),
      pl.col("log_type").eq(pl.lit("login_success")).cast(pl.UInt32).sum().alias("success"),
      pl.col("ip_address").nUnique().alias("sources"),
      (hasCountry ? pl.col("country").nUnique() : pl.lit(1)).alias("countries"),
      pl.col("out").sum().alias("out"),
      pl.col("log_type").isIn(["system_call", "file_access"]).cast(pl.UInt32).sum().alias("recon"),
      pl.col("t").min().alias("first"),
      pl.col("t").max().alias("last"),
    )
    .sort(["user", "w"]);
  const profiles = hourProfiles(frame);
  const usual = new Map([...profiles].map(([u, p]) => [u, usualHours(p, 0.9)]));
  const col = (name: string): number[] => windows.getColumn(name).toArray().map(Number);
  const user = windows.getColumn("user").toArray() as string[];
  const [w, events, failed, success, sources, countries, out, recon] = ["w", "events", "failed", "success", "sources", "countries", "out", "recon"].map(col);
  const rows = user.map((u, i) => [
    Math.log1p(events[i]),
    Math.log1p(failed[i]),
    Math.log1p(success[i]),
    sources[i],
    countries[i],
    Math.log1p(out[i]),
    recon[i] / events[i],
    hoursOutside((((w[i] / HOUR_MS) % 24) + 24) % 24, usual.get(u)!),
  ]);
  return { user, first: col("first"), last: col("last"), events, rows };
}

/** Options of {@link scoreIsolationForest} and {@link detectIsolationForest}. */
export interface IsolationForestDetectorOptions extends IsolationForestOptions {
  /** Windows scoring at least this are detections. Default `0.7`; ordinary windows score about 0.4. */
  threshold?: number;
  /** Hours of the user's activity that must be seen before their windows are scored. Default `24`. */
  minWindows?: number;
}

/** A user-hour with its isolation-forest score. */
export interface ScoredWindow {
  readonly user: string;
  readonly first: number;
  readonly last: number;
  readonly events: number;
  readonly score: number;
  readonly features: readonly number[];
}

/** Returns every user-hour with its anomaly score (for PR curves and score histograms). */
export function scoreIsolationForest(frame: DataFrame, options: IsolationForestDetectorOptions = {}): ScoredWindow[] {
  const { minWindows = 24, ...forestOptions } = options;
  checkInteger("minWindows", minWindows, 0, 1e9);
  const features = windowFeatures(frame);
  if (features.rows.length === 0) return [];
  const forest = IsolationForest.fit(features.rows, forestOptions);
  const windowsPerUser = new Map<string, number>();
  for (const u of features.user) windowsPerUser.set(u, (windowsPerUser.get(u) ?? 0) + 1);
  const scored: ScoredWindow[] = [];
  features.rows.forEach((row, i) => {
    // An account seen for a handful of hours has no normal to deviate from; score it neutral.
    const known = (windowsPerUser.get(features.user[i]) ?? 0) >= minWindows;
    scored.push({ user: features.user[i], first: features.first[i], last: features.last[i], events: features.events[i], score: known ? forest.score(row) : 0.5, features: row });
  });
  return scored;
}

/** The ATT&CK technique given to the model's detections: it has none of its own, so the umbrella of account misuse. */
export const ANOMALY_TECHNIQUE = "T1078";

/**
 * Returns a detection for every user-hour whose isolation-forest score reaches `threshold`, with
 * the features that stand furthest from the typical window as evidence.
 * @example
 * detectIsolationForest(logs)[0].evidence.unusual // => ["failed logins (log): 3.87 (typical 0)", …]
 */
export function detectIsolationForest(frame: DataFrame, options: IsolationForestDetectorOptions = {}): Detection[] {
  const { threshold = 0.7 } = options;
  checkNumber("threshold", threshold, 0, 1);
  const scored = scoreIsolationForest(frame, options);
  if (scored.length === 0) return [];
  const typical = FEATURE_NAMES.map((_, f) => median(scored.map((s) => s.features[f])));
  const spread = FEATURE_NAMES.map((_, f) => {
    const values = scored.map((s) => Math.abs(s.features[f] - typical[f]));
    return Math.max(median(values), 1e-6);
  });
  return scored
    .filter((s) => s.score >= threshold)
    .map((s) => {
      const unusual = s.features
        .map((v, f) => ({ f, z: Math.abs(v - typical[f]) / spread[f], v }))
        .sort((a, b) => b.z - a.z)
        .slice(0, 3)
        .map(({ f, v }) => `${FEATURE_NAMES[f]}: ${Number(v.toFixed(2))} (typical ${Number(typical[f].toFixed(2))})`);
      return {
        rule: "isolation_forest",
        technique: ANOMALY_TECHNIQUE,
        entity: actorEntity(s.user),
        start: s.first,
        end: s.last,
        eventCount: s.events,
        score: s.score,
        observed: Number(s.score.toFixed(3)),
        expected: threshold,
        measure: "isolation-forest anomaly score of the user-hour",
        window: "1 h tumbling",
        evidence: { unusual, features: Object.fromEntries(FEATURE_NAMES.map((n, f) => [n, Number(s.features[f].toFixed(3))])) },
      };
    });
}
