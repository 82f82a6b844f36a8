/**
 * The evaluation as readable text: campaigns found, per technique, per detector, the tutorial's
 * rule beside them, and the targets.
 */
import pl, { type DataFrame } from "nodejs-polars";
import type { Evaluation } from "../evaluate/evaluate-detectors";
import type { Scores } from "../evaluate/evaluate";

const pct = (x: number | null): string => (x === null ? "   –" : x.toFixed(2).padStart(4));
const num = (n: number): string => n.toLocaleString("en-US");

/**
 * Returns the evaluation as text, in the order an analyst reads it.
 * @example
 * formatEvaluation(evaluateDetectors(events)).split("\n")[0]
 * // => "Events: 22,376, of which 2,681 attack events (11.98%) in 10 campaigns"   (the small scenario)
 */
export function formatEvaluation(e: Evaluation): string {
  const lines: string[] = [];
  lines.push(`Events: ${num(e.events)}, of which ${num(e.attack_events)} attack events (${(e.attack_share * 100).toFixed(2)}%) in ${e.campaigns} campaigns`);
  lines.push(`Detector suite: ${e.detect_seconds.toFixed(2)} s`);
  lines.push("", "Campaigns found (all detectors together):");
  for (const [kind, k] of Object.entries(e.ensemble.by_kind).sort()) lines.push(`  ${kind.padEnd(24)} ${`${k.found}/${k.campaigns}`.padStart(5)}   recall ${pct(k.recall)}`);
  lines.push("", "Per technique (all detectors):", `  ${"technique".padEnd(10)} campaigns  found  alerts  alert-P  event-P  event-R     F1`);
  for (const [t, s] of Object.entries(e.ensemble.by_technique)) {
    lines.push(`  ${t.padEnd(10)} ${String(s.campaigns).padStart(9)}  ${String(s.campaigns_found).padStart(5)}  ${String(s.alerts).padStart(6)}     ${pct(s.alert_precision)}     ${pct(s.event_precision)}     ${pct(s.event_recall)}   ${pct(s.f1)}`);
  }
  const row = (name: string, s: Scores, prAuc?: number | null): string =>
    `  ${name.padEnd(30)} ${String(s.alerts).padStart(6)} ${s.alerts_per_10k_events.toFixed(2).padStart(8)}     ${pct(s.alert_precision)}       ${pct(s.campaign_recall)}     ${pct(s.event_precision)}     ${pct(s.event_recall)}  ${prAuc === undefined ? "     " : pct(prAuc)}`;
  lines.push("", "Per detector:", `  ${"detector".padEnd(30)} alerts  /10k ev  alert-P  campaign-R  event-P  event-R  PR-AUC`);
  lines.push(row("all detectors (ensemble)", e.ensemble));
  for (const [rule, s] of Object.entries(e.detectors)) lines.push(row(rule, s, e.scored[rule]?.pr_auc));
  lines.push(row("tutorial: 95th-percentile rule", e.tutorial.percentile_rule, e.scored.percentile?.pr_auc));
  lines.push(row("tutorial: its alerts (read labels)", e.tutorial.alerts_reading_labels));
  lines.push("", "Targets:");
  for (const t of e.targets) lines.push(`  ${t.met === null ? "–" : t.met ? "✓" : "✗"} ${t.name}: ${t.actual ?? "n/a"} (target ${t.target})${t.met === null ? " — not applicable to this data" : ""}`);
  return lines.join("\n");
}

/**
 * Returns one row per detector (and the ensemble and the tutorial's rule): alerts, alerts per 10k
 * events, alert precision, campaign recall, event precision and recall, PR-AUC where scored.
 * @example
 * evaluationFrame(evaluation).columns
 * // => ["detector", "alerts", "per_10k_events", "alert_precision", "campaign_recall", "event_precision", "event_recall", "pr_auc"]
 */
export function evaluationFrame(e: Evaluation): DataFrame {
  const rows: [string, Scores, number | null | undefined][] = [
    ["all detectors", e.ensemble, undefined],
    ...Object.entries(e.detectors).map(([rule, s]): [string, Scores, number | null | undefined] => [rule, s, e.scored[rule]?.pr_auc]),
    ["tutorial: p95 rule", e.tutorial.percentile_rule, e.scored.percentile?.pr_auc],
    ["tutorial: its alerts (read labels)", e.tutorial.alerts_reading_labels, undefined],
  ];
  const r = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Number(x.toFixed(3)));
  return pl.DataFrame({
    detector: rows.map(([name]) => name),
    alerts: rows.map(([, s]) => s.alerts),
    per_10k_events: rows.map(([, s]) => r(s.alerts_per_10k_events)),
    alert_precision: rows.map(([, s]) => r(s.alert_precision)),
    campaign_recall: rows.map(([, s]) => r(s.campaign_recall)),
    event_precision: rows.map(([, s]) => r(s.event_precision)),
    event_recall: rows.map(([, s]) => r(s.event_recall)),
    pr_auc: rows.map(([, , auc]) => r(auc)),
  });
}

/**
 * Returns the per-technique scores of a set of alerts as a table.
 * @example
 * techniqueFrame(evaluation.ensemble).columns
 * // => ["technique", "campaigns", "found", "alerts", "alert_precision", "event_precision", "event_recall", "f1"]
 */
export function techniqueFrame(scores: Scores): DataFrame {
  const entries = Object.entries(scores.by_technique);
  return pl.DataFrame({
    technique: entries.map(([t]) => t),
    campaigns: entries.map(([, s]) => s.campaigns),
    found: entries.map(([, s]) => s.campaigns_found),
    alerts: entries.map(([, s]) => s.alerts),
    alert_precision: entries.map(([, s]) => s.alert_precision),
    event_precision: entries.map(([, s]) => s.event_precision),
    event_recall: entries.map(([, s]) => s.event_recall),
    f1: entries.map(([, s]) => s.f1),
  });
}
