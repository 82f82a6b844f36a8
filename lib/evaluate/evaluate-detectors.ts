/**
 * The end-to-end evaluation behind `threatlab evaluate`: run the detector suite on labelled events,
 * turn each rule's detections (and all of them together) into alerts, score them, and set the
 * tutorial's rule — and the tutorial's label-reading alerts — beside them.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { type Alert, type AlertOptions, buildAlerts } from "../alerts/alerts";
import { scoreIsolationForest } from "../detect/anomaly-model";
import type { Detection } from "../detect/detection";
import { detectPercentileRule } from "../detect/percentile-rule";
import { DEFAULT_RULES, type DetectOptions, type RuleName, checkRuleNames, runDetectors } from "../detect/suite";
import { type Scores, evaluate } from "./evaluate";
import { type GroundTruth, forEachCovered, groundTruth } from "./ground-truth";
import { averagePrecision, precisionRecallCurve, thinCurve, type PrPoint } from "./pr-curve";

/** Options of {@link evaluateDetectors}. */
export interface EvaluationOptions extends DetectOptions, AlertOptions {}

/** One target of the issue that defined threatlab's detection, checked. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly actual: number | null;
  /** null when the target does not apply to this data (e.g. a timing target below 1M events). */
  readonly met: boolean | null;
}

/** A scored detector's precision–recall summary. */
export interface ScoredDetector {
  readonly pr_auc: number | null;
  /** What was scored: "events" or "user-hours". */
  readonly unit: string;
  readonly curve: PrPoint[];
}

/** Everything `threatlab evaluate` reports. */
export interface Evaluation {
  readonly events: number;
  readonly attack_events: number;
  readonly attack_share: number;
  readonly campaigns: number;
  /** Seconds the detector suite took, in all and per rule. */
  readonly detect_seconds: number;
  readonly rule_seconds: Partial<Record<RuleName, number>>;
  /** All chosen rules together (the tutorial's excluded). */
  readonly ensemble: Scores;
  /** Each rule alone. */
  readonly detectors: Record<string, Scores>;
  /** Precision–recall of the detectors that score every unit. */
  readonly scored: Record<string, ScoredDetector>;
  /** The tutorial's 95th-percentile rule alone, and the tutorial's alerts, which also read the labels. */
  readonly tutorial: { readonly percentile_rule: Scores; readonly alerts_reading_labels: Scores };
  readonly targets: TargetCheck[];
}

/** Returns the tutorial's step-6 alerts as detections: labelled rows (the answer key) and p95 rows. */
export function tutorialAlertDetections(frame: DataFrame): Detection[] {
  const labelled = frame
    .filter(pl.col("threat_level").neq(pl.lit("normal")))
    .select(pl.col("user_id").cast(pl.Utf8), pl.col("timestamp").cast(pl.Int64), pl.col("threat_level").cast(pl.Utf8));
  const byLabel: Detection[] = (labelled.rows() as [string, number, string][]).map(([user, t, level]) => ({
    rule: "tutorial_alerts",
    technique: "label",
    entity: { type: "user", value: user },
    start: Number(t),
    end: Number(t),
    eventCount: 1,
    score: 1,
    observed: 1,
    expected: 0,
    measure: "rows labelled as a threat",
    window: "one event",
    evidence: { threat_level: level },
  }));
  return [...byLabel, ...detectPercentileRule(frame).map((d) => ({ ...d, rule: "tutorial_alerts" }))];
}

/** Returns true for each unit (window of an entity) that covers at least one attack event. */
function windowLabels(truth: GroundTruth, windows: readonly { user: string; first: number; last: number }[]): boolean[] {
  return windows.map((w) => {
    let attack = false;
    forEachCovered(truth, { type: "user", value: w.user }, w.first, w.last, undefined, (row) => {
      if (truth.attackId[row] !== null) attack = true;
    });
    return attack;
  });
}


/**
 * Runs the detectors on labelled events and returns the scores of each rule, of the ensemble and
 * of the tutorial's rule, with the targets checked.
 * @example
 * const e = evaluateDetectors(generateScenario(scenarioPreset("small")).events);
 * e.ensemble.campaign_recall // => 1
 */
export function evaluateDetectors(frame: DataFrame, options: EvaluationOptions = {}): Evaluation {
  const { rules = DEFAULT_RULES, suppressionMinutes, ...detectOptions } = options;
  const chosen = checkRuleNames(rules).filter((r) => r !== "percentile");
  const truth = groundTruth(frame);
  const started = performance.now();
  const run = runDetectors(frame, { ...detectOptions, rules: chosen });
  const detectSeconds = (performance.now() - started) / 1000;
  const alertOptions = { suppressionMinutes };
  const alertsOf = (detections: readonly Detection[]): Alert[] => buildAlerts(detections, alertOptions);

  const detectors: Record<string, Scores> = {};
  for (const rule of chosen) detectors[rule] = evaluate(alertsOf(run.detections.filter((d) => d.rule === rule)), truth);

  const scored: Record<string, ScoredDetector> = {};
  const bytes = frame.select(pl.col("bytes_transferred").cast(pl.Float64)).getColumn("bytes_transferred").toArray() as number[];
  const isAttack = frame.select(pl.col("attack_id").isNotNull().alias("a")).getColumn("a").toArray() as boolean[];
  const percentileCurve = precisionRecallCurve(bytes, isAttack);
  scored.percentile = { pr_auc: averagePrecision(bytes, isAttack), unit: "events, scored by bytes", curve: thinCurve(percentileCurve) };
  if (chosen.includes("isolation_forest")) {
    const windows = scoreIsolationForest(frame, detectOptions.options?.isolation_forest ?? {});
    const labels = windowLabels(truth, windows);
    const scores = windows.map((w) => w.score);
    scored.isolation_forest = { pr_auc: averagePrecision(scores, labels), unit: "user-hours, scored by the isolation forest", curve: thinCurve(precisionRecallCurve(scores, labels)) };
  }

  const ensemble = evaluate(alertsOf(run.detections), truth);
  const targets: TargetCheck[] = Object.entries(ensemble.by_kind).map(([kind, k]) => {
    const bar = kind === "low_and_slow_spraying" ? 0.8 : 1;
    return { name: `campaign recall: ${kind}`, target: bar === 1 ? "= 1.0" : "≥ 0.8", actual: k.recall, met: k.recall >= bar };
  });
  targets.push({ name: "alert precision (ensemble)", target: "≥ 0.9", actual: ensemble.alert_precision, met: ensemble.alert_precision !== null && ensemble.alert_precision >= 0.9 });
  // Quality targets only: how fast the suite runs depends on the machine and is judged by npm run bench.

  return {
    events: truth.totalEvents,
    attack_events: truth.attackEvents,
    attack_share: Number((truth.attackEvents / Math.max(1, truth.totalEvents)).toFixed(5)),
    campaigns: truth.campaigns.size,
    detect_seconds: Number(detectSeconds.toFixed(3)),
    rule_seconds: Object.fromEntries(Object.entries(run.seconds).map(([r, s]) => [r, Number((s as number).toFixed(3))])),
    ensemble,
    detectors,
    scored,
    tutorial: {
      percentile_rule: evaluate(alertsOf(detectPercentileRule(frame)), truth),
      alerts_reading_labels: evaluate(alertsOf(tutorialAlertDetections(frame)), truth),
    },
    targets,
  };
}


/**
 * Returns the isolation forest's score for every user-hour with its ground-truth label (true when
 * the hour holds an attack event of that user): what a score-distribution figure needs.
 * @example
 * labelledWindowScores(generateScenario(scenarioPreset("small")).events).labels.filter(Boolean).length // => 1206
 */
export function labelledWindowScores(frame: DataFrame, options: EvaluationOptions = {}): { scores: number[]; labels: boolean[] } {
  const windows = scoreIsolationForest(frame, options.options?.isolation_forest ?? {});
  return { scores: windows.map((w) => w.score), labels: windowLabels(groundTruth(frame), windows) };
}
