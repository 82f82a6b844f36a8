/**
 * The unsupervised model: an isolation forest over per-user, per-hour behaviour features. It knows
 * no attack, only what is rare; its scores are also what the evaluation's PR-AUC measures.
 */
import pl, { type DataFrame, type Expr } from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { HOUR_MS } from "../time";
import type { Detection } from "./detection";
import { actorEntity, actorExpr, bytesOutColumn, collectEvents, detectorView, entityParts, type Events, finishSteps, lazyEvents, outsideDestinationExpr, PART_EVENTS, sharedStrings } from "./events";
import { FOREST_DEFAULTS, IsolationForest, type IsolationForestOptions } from "./isolation-forest";
import { hourProfiles, hoursOutside, usualHours } from "./off-hours";
import { median } from "../shared/robust";
import { windowStartExpr } from "./windows";
import { type Rule, raiseSeverity, withDefaults } from "./rule";
import { count, formatBytes } from "./words";

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

/**
 * Returns one feature's value in the units a reader knows: the model sees counts and bytes as
 * log(1 + x) (names ending "(log)", so that a few huge hours do not flatten the rest), which this
 * undoes; bytes in decimal units, a share in percent.
 * @example
 * describeFeature(1, Math.log1p(48), Math.log1p(0)) // => "failed logins: 48 (typical 0)"
 * describeFeature(5, Math.log1p(3.2e9), Math.log1p(2.1e6)) // => "bytes to outside addresses: 3.2 GB (typical 2.1 MB)"
 */
export function describeFeature(feature: number, value: number, typical: number): string {
  const logged = FEATURE_NAMES[feature].endsWith(" (log)");
  const name = FEATURE_NAMES[feature].replace(/ \(log\)$/, "");
  const plain = (v: number): string => {
    const x = logged ? Math.expm1(v) : v;
    if (name.startsWith("bytes")) return formatBytes(x);
    if (name.startsWith("share")) return `${Math.round(x * 100)}%`;
    return logged ? count(x) : String(Number(x.toFixed(1)));
  };
  return `${name}: ${plain(value)} (typical ${plain(typical)})`;
}

/** Per-user, per-hour windows with their features. */
export interface WindowFeatures {
  readonly user: string[];
  /** Epoch milliseconds of each window's first and last event. */
  readonly first: number[];
  readonly last: number[];
  readonly events: number[];
  /** One column per feature of {@link FEATURE_NAMES}, one value per window: millions of windows fit. */
  readonly columns: Float64Array[];
}

/**
 * Returns the features of every user-hour that has events, in (user, hour) order. Each window's
 * features are the user's own, so on a big file they are computed for a group of users at a time
 * (parts of sorted users: the concatenation is in the same order).
 */
export function windowFeatures(frame: Events): WindowFeatures {
  return finishSteps(windowFeatureSteps(frame, PART_EVENTS));
}

/** {@link windowFeatures}, pausing after each part so that a caller can free its memory. */
function* windowFeatureSteps(frame: Events, perPart: number): Generator<void, WindowFeatures> {
  const view = detectorView(frame);
  const hasCountry = view.columns.includes("country");
  // Inside and outside are decided on all the events, never on one part's.
  const outside = view.columns.includes("destination") ? outsideDestinationExpr(view) : pl.lit(true);
  const sent = bytesOutColumn(view);
  // Distinct values per user-hour take about 0.5 GB per 10M events at their peak: parts of 3 × the usual size.
  const parts: WindowFeatures[] = [];
  for (const part of entityParts(view, actorExpr(), 3 * perPart)) {
    parts.push(partFeatures(part, { hasCountry, outside, sent }));
    yield;
  }
  if (parts.length === 1) return parts[0];
  return {
    user: parts.flatMap((p) => p.user),
    first: parts.flatMap((p) => p.first),
    last: parts.flatMap((p) => p.last),
    events: parts.flatMap((p) => p.events),
    columns: FEATURE_NAMES.map((_, f) => {
      const column = new Float64Array(parts.reduce((n, p) => n + p.columns[f].length, 0));
      let at = 0;
      for (const p of parts) {
        column.set(p.columns[f], at);
        at += p.columns[f].length;
      }
      return column;
    }),
  };
}

/** {@link windowFeatures} of the events of some users. */
function partFeatures(view: Events, { hasCountry, outside, sent }: { hasCountry: boolean; outside: Expr; sent: string | undefined }): WindowFeatures {
  const keyed = lazyEvents(view).withColumns(actorExpr().alias("user"), windowStartExpr(pl.col("timestamp").cast(pl.Int64), HOUR_MS).alias("w"));
  // Distinct values per window as distinct (window, value) pairs counted: polars streams that,
  // where a group-by's n_unique would hold every event in memory. A null counts as one value.
  // One plan at a time: run together, the three group-bys would need their memory at once.
  const distinctPerWindow = (column: string, name: string): DataFrame =>
    collectEvents(view, keyed.select("user", "w", column).unique().groupBy(["user", "w"]).agg(pl.len().alias(name)));
  const counted = collectEvents(
    view,
    keyed
      .withColumns(
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        (sent ? pl.when(outside).then(pl.col(sent)).otherwise(pl.lit(0)) : pl.lit(0)).cast(pl.Float64).fillNull(0).alias("out"),
        // Flags made before the group-by: an is_in inside it would make polars hold every event.
        pl.col("log_type").eq(pl.lit("login_failed")).cast(pl.UInt32).alias("failed"),
        pl.col("log_type").eq(pl.lit("login_success")).cast(pl.UInt32).alias("success"),
        pl.col("log_type").isIn(["system_call", "file_access"]).cast(pl.UInt32).alias("recon"),
      )
      .groupBy(["user", "w"])
      .agg(
        pl.len().alias("events"),
        pl.col("failed").sum().alias("failed"),
        pl.col("success").sum().alias("success"),
        pl.col("out").sum().alias("out"),
        pl.col("recon").sum().alias("recon"),
        pl.col("t").min().alias("first"),
        pl.col("t").max().alias("last"),
      ),
  );
  const windows = counted
    .lazy()
    .join(distinctPerWindow("ip_address", "sources").lazy(), { on: ["user", "w"], how: "left" })
    .join(hasCountry ? distinctPerWindow("country", "countries").lazy() : counted.lazy().select("user", "w", pl.lit(1).alias("countries")), { on: ["user", "w"], how: "left" })
    .sort(["user", "w"])
    .collectSync();
  const profiles = hourProfiles(view);
  const usual = new Map([...profiles].map(([u, p]) => [u, usualHours(p, 0.9)]));
  const col = (name: string): Float64Array => Float64Array.from(windows.getColumn(name).cast(pl.Float64).toArray() as number[]);
  const user = sharedStrings(windows.getColumn("user")) as string[];
  const [w, events, failed, success, sources, countries, out, recon] = ["w", "events", "failed", "success", "sources", "countries", "out", "recon"].map(col);
  const columns = [
    events.map(Math.log1p),
    failed.map(Math.log1p),
    success.map(Math.log1p),
    sources,
    countries,
    out.map(Math.log1p),
    recon.map((r, i) => r / events[i]),
    w.map((start, i) => hoursOutside((((start / HOUR_MS) % 24) + 24) % 24, usual.get(user[i])!)),
  ];
  return { user, first: Array.from(col("first")), last: Array.from(col("last")), events: Array.from(events), columns };
}

/** Windows with their isolation-forest scores (0.5, neutral, for users seen too briefly). */
function* scoreWindows(frame: Events, { partEvents, ...options }: IsolationForestDetectorOptions & PartOptions): Generator<void, { features: WindowFeatures; scores: Float64Array }> {
  const { minWindows, threshold: _threshold, ...forestOptions } = withDefaults(ISOLATION_FOREST_DEFAULTS, options);
  checkInteger("minWindows", minWindows, 0, 1e9);
  const features = yield* windowFeatureSteps(frame, partEvents ?? PART_EVENTS);
  const n = features.user.length;
  const scores = new Float64Array(n);
  if (n === 0) return { features, scores };
  const forest = IsolationForest.fitColumns(features.columns, forestOptions);
  const windowsPerUser = new Map<string, number>();
  for (const u of features.user) windowsPerUser.set(u, (windowsPerUser.get(u) ?? 0) + 1);
  const row = new Array<number>(features.columns.length);
  for (let i = 0; i < n; i++) {
    // An account seen for a handful of hours has no normal to deviate from; score it neutral.
    if ((windowsPerUser.get(features.user[i]) ?? 0) < minWindows) {
      scores[i] = 0.5;
      continue;
    }
    for (let f = 0; f < row.length; f++) row[f] = features.columns[f][i];
    scores[i] = forest.score(row);
  }
  return { features, scores };
}

/** How the suite runs the model on a lazy frame: events per part of its features (`runDetectors`' `partEvents`). */
export interface PartOptions {
  /** Events per part of the features on a lazy frame (see `entityParts`). Default `PART_EVENTS`. */
  partEvents?: number;
}

/** The defaults of {@link IsolationForestDetectorOptions}. */
const ISOLATION_FOREST_DEFAULTS = { threshold: 0.7, minWindows: 24, ...FOREST_DEFAULTS };

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

/**
 * Returns every user-hour with its anomaly score (for PR curves and score histograms).
 * @example
 * scoreIsolationForest(generateScenario(scenarioPreset("small")).events).length // => 5780   (its user-hours)
 */
export function scoreIsolationForest(frame: Events, options: IsolationForestDetectorOptions = {}): ScoredWindow[] {
  const { features, scores } = finishSteps(scoreWindows(frame, options));
  return features.user.map((user, i) => ({
    user,
    first: features.first[i],
    last: features.last[i],
    events: features.events[i],
    score: scores[i],
    features: features.columns.map((c) => c[i]),
  }));
}

/** The ATT&CK technique given to the model's detections: it has none of its own, so the umbrella of account misuse. */
export const ANOMALY_TECHNIQUE = "T1078";

/**
 * Returns a detection for every user-hour whose isolation-forest score reaches `threshold`, with
 * the features that stand furthest from the typical window as evidence.
 * @example
 * detectIsolationForest(logs)[0].evidence.unusual // => ["failed logins: 47 (typical 0)", …]
 */
export function detectIsolationForest(frame: Events, options: IsolationForestDetectorOptions = {}): Detection[] {
  return finishSteps(isolationForestSteps(frame, options));
}

/** {@link detectIsolationForest}, pausing after each part of its features (see `Rule.steps` in rule.ts). */
export function* isolationForestSteps(frame: Events, options: IsolationForestDetectorOptions & PartOptions = {}): Generator<void, Detection[]> {
  const { partEvents, ...modelOptions } = options;
  const { threshold } = withDefaults(ISOLATION_FOREST_DEFAULTS, modelOptions);
  checkNumber("threshold", threshold, 0, 1);
  const { features, scores } = yield* scoreWindows(frame, { ...modelOptions, partEvents });
  if (scores.length === 0) return [];
  const { columns } = features;
  const typical = columns.map((values) => median(values));
  const spread = columns.map((values, f) => Math.max(median(values.map((v) => Math.abs(v - typical[f]))), 1e-6));
  const flagged: ScoredWindow[] = [];
  scores.forEach((score, i) => {
    if (score >= threshold) {
      flagged.push({ user: features.user[i], first: features.first[i], last: features.last[i], events: features.events[i], score, features: columns.map((c) => c[i]) });
    }
  });
  return flagged.map((s) => {
    const unusual = s.features
      .map((v, f) => ({ f, z: Math.abs(v - typical[f]) / spread[f], v }))
      .sort((a, b) => b.z - a.z)
      .slice(0, 3)
      .map(({ f, v }) => describeFeature(f, v, typical[f]));
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

/** What an isolation-forest detection holds: the features furthest from the typical hour, in words, and every feature. */
export type IsolationForestEvidence = { unusual: string[]; features: Record<string, number> };

/** The isolation forest over each account's hours. */
export const isolationForest: Rule<"isolation_forest", IsolationForestDetectorOptions, IsolationForestEvidence> = {
  name: "isolation_forest", title: "Isolation forest over user-hours", family: "model", technique: ANOMALY_TECHNIQUE, severity: "low",
  requires: ["timestamp", "user_id", "log_type", "ip_address", "bytes_transferred"], needsValues: [], defaults: ISOLATION_FOREST_DEFAULTS,
  explain: (o) => `account-hours scoring ≥ ${o.threshold} in an isolation forest (${o.trees} trees, ${o.sampleSize} rows each, seed ${o.seed}) over 8 behaviour features, once the account has ${o.minWindows} hours of activity`,
  basis: "Liu, Ting & Zhou 2008",
  detect: detectIsolationForest,
  steps: isolationForestSteps,
  partsItself: true,
  summarize: (d) => `${d.entity.value}: unusual hour (score ${d.observed}): ${d.evidence.unusual.join("; ")}`,
  // Scores live in (0, 1]: a window at 0.8 or more is far out, whatever the threshold.
  escalate: (d, base) => (d.score >= 0.8 ? raiseSeverity(base) : base),
};
