/**
 * Alerts as text for a terminal: one line each, most urgent first.
 */
import { SEVERITIES } from "../detect/detection";
import type { Alert } from "./alerts";

/**
 * Returns the alerts as aligned lines of severity, rule, entity, first seen and summary, most
 * urgent first, then by time; at most `limit` lines and a line saying how many were left out.
 * @example
 * formatAlertsTable(alerts, { limit: 2 }).split("\n")[1]
 * // => "CRITICAL impossible_travel   2025-01-12 14:00:33  user_5 was in FR then JP 29 min later: 9,810 km at 20,235 km/h"
 */
export function formatAlertsTable(alerts: readonly Alert[], { limit = 200 }: { limit?: number } = {}): string {
  if (alerts.length === 0) return "No alerts.";
  const ordered = [...alerts].sort(
    (a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.first_seen.localeCompare(b.first_seen),
  );
  const shown = ordered.slice(0, limit);
  const ruleWidth = Math.max(4, ...shown.map((a) => a.rule.length));
  const lines = shown.map(
    (a) => `${a.severity.toUpperCase().padEnd(8)} ${a.rule.padEnd(ruleWidth)} ${a.first_seen.slice(0, 19).replace("T", " ")}  ${a.summary}`,
  );
  if (ordered.length > shown.length) lines.push(`… and ${ordered.length - shown.length} more (use --jsonl for all)`);
  return [`${"SEVERITY".padEnd(8)} ${"RULE".padEnd(ruleWidth)} ${"FIRST SEEN (UTC)".padEnd(19)}  SUMMARY`, ...lines].join("\n");
}
