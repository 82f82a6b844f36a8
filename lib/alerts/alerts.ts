/**
 * From detections to alerts: one alert per entity, rule and window, repeats within a suppression
 * window folded into one alert with a count (as Elastic's alert suppression and Splunk's
 * throttling do), a severity, the ATT&CK technique, a one-line summary and the evidence.
 */
import type { Detection, Entity, Severity } from "../detect/detection";
import { type AnyRule, escalateByScore } from "../detect/rule";
import { RULES, type RuleName } from "../detect/suite";
import { checkNumber } from "../errors";
import { hashString } from "../shared/rng";
import { MINUTE_MS, isoUtc } from "../time";
import { summarizeDetection } from "./summaries";

/** An alert, as exported to JSON Lines; see the README for every field. */
export interface Alert {
  /** Stable id: the same detections always give the same id. */
  readonly id: string;
  readonly rule: string;
  readonly technique: string;
  readonly severity: Severity;
  readonly entity: Entity;
  /** ISO-8601 UTC time of the first and last event of the alert. */
  readonly first_seen: string;
  readonly last_seen: string;
  /** Events the grouped detections counted. */
  readonly event_count: number;
  /** Detections folded into this alert by suppression (1 when it stands alone). */
  readonly count: number;
  /** The highest score among them. */
  readonly score: number;
  readonly observed: number;
  readonly expected: number;
  readonly measure: string;
  readonly window: string;
  readonly summary: string;
  /** The evidence of the strongest detection. */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Log types the alert is about (all when absent): which events it covers, for evaluation. */
  readonly log_types?: readonly string[];
}

/** Options of {@link buildAlerts}. */
export interface AlertOptions {
  /**
   * Detections of one rule and entity that start within this many minutes of the previous one's
   * end join it instead of raising a new alert. Default `60`, Splunk's usual throttle window.
   */
  suppressionMinutes?: number;
}

/**
 * Returns the severity of an alert: the rule's own escalation of its base severity (by default
 * critical when an attack on credentials ended in a successful login, one step up when the
 * strongest detection scored three times its threshold or more).
 */
export function severityOf(rule: string, strongest: Detection): Severity {
  const spec = (RULES as Record<string, AnyRule | undefined>)[rule];
  if (!spec) return "low";
  return (spec.escalate ?? escalateByScore)(strongest, spec.severity);
}

/**
 * Returns the alerts for a list of detections, ordered by first_seen.
 * @example
 * buildAlerts(runDetectors(logs).detections)[0]
 * // => { rule: "password_spray", severity: "medium", technique: "T1110.003",
 * //      summary: "203.0.113.7 tried 31 accounts with 1–2 passwords each in 9 min; …", … }
 */
export function buildAlerts(detections: readonly Detection[], { suppressionMinutes = 60 }: AlertOptions = {}): Alert[] {
  checkNumber("suppressionMinutes", suppressionMinutes, 0, 60 * 24 * 365);
  const gap = suppressionMinutes * MINUTE_MS;
  const groups = new Map<string, Detection[]>();
  for (const d of detections) {
    const key = `${d.rule}\u0000${d.entity.type}\u0000${d.entity.value}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(d);
  }
  const alerts: Alert[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.start - b.start || a.end - b.end);
    let run: Detection[] = [];
    let end = -Infinity;
    const flush = (): void => {
      if (run.length > 0) alerts.push(toAlert(run));
      run = [];
    };
    for (const d of group) {
      if (run.length > 0 && d.start > end + gap) flush();
      run.push(d);
      end = run.length === 1 ? d.end : Math.max(end, d.end);
    }
    flush();
  }
  return alerts.sort((a, b) => a.first_seen.localeCompare(b.first_seen) || a.rule.localeCompare(b.rule) || a.entity.value.localeCompare(b.entity.value));
}

/** Folds one run of detections (same rule and entity, close in time) into an alert. */
function toAlert(run: readonly Detection[]): Alert {
  const strongest = run.reduce((best, d) => (d.score > best.score ? d : best));
  const start = Math.min(...run.map((d) => d.start));
  const end = Math.max(...run.map((d) => d.end));
  const rule = strongest.rule;
  const summary = summarizeDetection(strongest) + (run.length > 1 ? ` (and ${run.length - 1} more such window${run.length > 2 ? "s" : ""} until ${isoUtc(end)})` : "");
  return {
    id: hashString(`${rule}|${strongest.entity.type}|${strongest.entity.value}|${start}`).toString(16).padStart(8, "0"),
    rule,
    technique: strongest.technique,
    severity: severityOf(rule, strongest),
    entity: strongest.entity,
    first_seen: isoUtc(start),
    last_seen: isoUtc(end),
    event_count: run.reduce((n, d) => n + d.eventCount, 0),
    count: run.length,
    score: Number(strongest.score.toFixed(3)),
    observed: strongest.observed,
    expected: strongest.expected,
    measure: strongest.measure,
    window: strongest.window,
    summary,
    evidence: strongest.evidence,
    ...(strongest.logTypes ? { log_types: [...strongest.logTypes] } : {}),
  };
}

/**
 * Returns the alerts as JSON Lines: one JSON object per line, ending in a newline.
 * @example
 * alertsToJsonl(alerts).split("\n")[0] // => '{"id":"bd1d47ea","rule":"off_hours","technique":"T1078","severity":"low",…}'
 */
export function alertsToJsonl(alerts: readonly Alert[]): string {
  return alerts.map((a) => `${JSON.stringify(a)}\n`).join("");
}

/** Returns the rule of an alert as a known rule name, or undefined for a rule from elsewhere. */
export function ruleOf(alert: Alert): RuleName | undefined {
  return alert.rule in RULES ? (alert.rule as RuleName) : undefined;
}
