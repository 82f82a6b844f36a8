/**
 * The one shape every detector returns, so that alerts, evaluation and figures accept any of them.
 */

/** What a detection is about: a source (IP address, or host or workstation name), an account, or the whole login service. */
export type EntityType = "source" | "user" | "service";

/** The entity a detection names, e.g. `{ type: "source", value: "203.0.113.7" }`. */
export interface Entity {
  readonly type: EntityType;
  readonly value: string;
}

/**
 * One finding of one detector: who, when, how much, against what expectation, and why.
 *
 * `observed` and `expected` are in the unit named by `measure` (e.g. 31 observed against 10
 * expected "distinct accounts with failed logins"); `score` orders detections of one rule, higher
 * meaning more suspicious. The detection is about the entity's events between `start` and `end`,
 * restricted to `logTypes` when given (evaluation uses exactly that selection).
 */
export interface Detection {
  /** The detector's name, e.g. `"password_spray"`. */
  readonly rule: string;
  /** MITRE ATT&CK technique the rule looks for, e.g. `"T1110.003"`. */
  readonly technique: string;
  readonly entity: Entity;
  /** Epoch milliseconds (UTC) of the first and last event in the window. */
  readonly start: number;
  readonly end: number;
  /** Events of the entity in the window that the rule counted. */
  readonly eventCount: number;
  readonly score: number;
  readonly observed: number;
  /** The threshold or the entity's baseline that `observed` was compared with. */
  readonly expected: number;
  /** What `observed` and `expected` count. */
  readonly measure: string;
  /** The window the rule looked through, in words, e.g. `"10 min sliding"`. */
  readonly window: string;
  /** Facts for the analyst: sample accounts, history, the source's country, … */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Only these log types of the entity's events belong to the detection; all when absent. */
  readonly logTypes?: readonly string[];
}

/** Returns a readable duration: `"12 ms"`, `"45 s"`, `"9 min"`, `"3.5 h"`, `"2 d"`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86400).toFixed(1))} d`;
}

/** Returns `detections` sorted by start time, then rule, then entity: a stable, readable order. */
export function sortDetections(detections: readonly Detection[]): Detection[] {
  return [...detections].sort(
    (a, b) => a.start - b.start || a.rule.localeCompare(b.rule) || a.entity.value.localeCompare(b.entity.value),
  );
}

/** How urgent an alert is. */
export type Severity = "low" | "medium" | "high" | "critical";

/** Severities from least to most urgent. */
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
