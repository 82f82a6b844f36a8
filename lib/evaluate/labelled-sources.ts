/**
 * Scoring on real logs that carry their own labels (Stratosphere's per-flow `label`, read as
 * `source_label`): the sources with many malicious flows are the attackers to find, and every
 * alert on another entity is a false one. The labels never reach the detectors; they only score.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { buildAlerts } from "../alerts/alerts";
import { type DetectOptions, runDetectors } from "../detect/suite";
import { checkInteger } from "../errors";

/** Options of {@link evaluateLabelledSources}. */
export interface LabelledSourcesOptions extends Pick<DetectOptions, "rules" | "options" | "internal"> {
  /** A source with at least this many flows labelled malicious is an attacker to find. Default `10`. */
  minFlows?: number;
}

/** How the suite scored against a log's own labels. */
export interface LabelledSourcesScore {
  /** Sources with at least `minFlows` malicious flows, and how many of them any alert named. */
  readonly attackers: number;
  readonly found: number;
  readonly recall: number | null;
  readonly alerts: number;
  /** Alerts whose entity is one of the attackers, and their share of all alerts. */
  readonly alerts_on_attackers: number;
  readonly precision: number | null;
  readonly missed: string[];
  /** Alerts on anything else: rule, entity and severity. */
  readonly false_alerts: { rule: string; entity: string; severity: string }[];
}

/**
 * Returns the suite's recall of the labelled attackers (sources with ≥ `minFlows` flows labelled
 * Malicious) and the share of its alerts that name one of them.
 * @example
 * evaluateLabelledSources(stratosphere008).recall // => 0.895 (34 of 38)
 */
export function evaluateLabelledSources(events: DataFrame, { minFlows = 10, ...detect }: LabelledSourcesOptions = {}): LabelledSourcesScore {
  checkInteger("minFlows", minFlows, 1, 1e12);
  const counts = events
    .filter(pl.col("source_label").str.toLowerCase().eq(pl.lit("malicious")).and(pl.col("ip_address").isNotNull()))
    .groupBy("ip_address")
    .agg(pl.len().alias("flows"))
    .filter(pl.col("flows").gtEq(minFlows));
  const attackers = new Set(counts.getColumn("ip_address").toArray() as string[]);
  const alerts = buildAlerts(runDetectors(events, detect).detections);
  const named = new Set(alerts.map((a) => a.entity.value));
  const onAttackers = alerts.filter((a) => attackers.has(a.entity.value));
  const found = [...attackers].filter((s) => named.has(s)).length;
  return {
    attackers: attackers.size,
    found,
    recall: attackers.size === 0 ? null : Number((found / attackers.size).toFixed(4)),
    alerts: alerts.length,
    alerts_on_attackers: onAttackers.length,
    precision: alerts.length === 0 ? null : Number((onAttackers.length / alerts.length).toFixed(4)),
    missed: [...attackers].filter((s) => !named.has(s)).sort(),
    false_alerts: alerts.filter((a) => !attackers.has(a.entity.value)).map((a) => ({ rule: a.rule, entity: a.entity.value, severity: a.severity })),
  };
}

/**
 * Returns the score as text: one line each for recall, precision and the false alerts.
 * @example
 * formatLabelledSources(score, 10)
 * // => "attackers (sources with ≥ 10 malicious flows): 38, found 34 (recall 0.895)\n…"
 */
export function formatLabelledSources(score: LabelledSourcesScore, minFlows = 10): string {
  const share = (x: number | null): string => (x === null ? "–" : String(x));
  return [
    `attackers (sources with ≥ ${minFlows} malicious flows): ${score.attackers}, found ${score.found} (recall ${share(score.recall)})`,
    `alerts: ${score.alerts}, on attackers ${score.alerts_on_attackers} (precision ${share(score.precision)})`,
    `missed: ${score.missed.join(", ") || "none"}`,
    `other alerts: ${score.false_alerts.map((a) => `${a.severity} ${a.rule} on ${a.entity}`).join("; ") || "none"}`,
  ].join("\n");
}
