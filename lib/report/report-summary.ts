/**
 * The summary of a report run: what was read, how, over which period, what happened most, and
 * what was found. Written as summary.json and shown at the top of report.html.
 */
import pl, { type DataFrame } from "nodejs-polars";
import type { Alert } from "../alerts/alerts";
import { topEntities, type EntityCount } from "../analyze/top-entities";
import { countsToObject, valueCounts } from "../analyze/value-counts";
import { SEVERITIES } from "../detect/detection";
import type { DetectionRun } from "../detect/suite";
import type { IngestReport } from "../io/ingest/records";
import { describeIngest } from "../io/ingest/records";
import { isoUtc } from "../time";
import { hasTutorialColumns } from "../visualize/overview";
import { summarizeTutorial, type TutorialSummary } from "./tutorial-summary";

/** Everything summary.json holds. */
export interface ReportSummary {
  readonly file: string;
  readonly format: string;
  readonly clock: string;
  readonly ingest: {
    readonly lines: number;
    readonly parsed_lines: number;
    readonly events: number;
    readonly skipped_lines: number;
    readonly unrecognised_lines: number;
    readonly first_unrecognised_line: number | null;
    readonly malformed_lines: number;
    readonly first_malformed_line: number | null;
    readonly long_lines: number;
    readonly duplicates: number;
    readonly account: string;
    readonly warnings: readonly string[];
  };
  readonly time_range: { readonly first: string; readonly last: string } | null;
  readonly events_by_type: Record<string, number>;
  readonly top_users: EntityCount[];
  readonly top_sources: EntityCount[];
  readonly top_destinations: EntityCount[];
  readonly alerts: { readonly total: number; readonly by_severity: Record<string, number>; readonly by_rule: Record<string, number> };
  readonly rules_run: string[];
  readonly rules_skipped: { rule: string; reason: string }[];
  /** The tutorial's parity numbers, for files in the tutorial's format; null otherwise. */
  readonly tutorial: TutorialSummary | null;
}

/** Returns the summary of a report run. */
export function summarizeReport(events: DataFrame, ingest: IngestReport, run: DetectionRun, alerts: readonly Alert[]): ReportSummary {
  const times = events.height > 0 ? events.select(pl.col("timestamp").min().cast(pl.Int64).alias("a"), pl.col("timestamp").max().cast(pl.Int64).alias("b")).row(0) : null;
  const count = (values: string[]): Record<string, number> => {
    const out: Record<string, number> = Object.create(null);
    for (const v of values) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  const bySeverity: Record<string, number> = {};
  for (const s of [...SEVERITIES].reverse()) bySeverity[s] = alerts.filter((a) => a.severity === s).length;
  return {
    file: ingest.file,
    format: ingest.format,
    clock: ingest.clock,
    ingest: {
      lines: ingest.lines, parsed_lines: ingest.parsedLines, events: ingest.events, skipped_lines: ingest.skippedLines,
      unrecognised_lines: ingest.unrecognisedLines, first_unrecognised_line: ingest.firstUnrecognised?.line ?? null,
      malformed_lines: ingest.malformedLines, first_malformed_line: ingest.firstMalformed?.line ?? null,
      long_lines: ingest.longLines, duplicates: ingest.duplicates, account: describeIngest(ingest), warnings: ingest.warnings,
    },
    time_range: times ? { first: isoUtc(Number(times[0])), last: isoUtc(Number(times[1])) } : null,
    events_by_type: countsToObject(valueCounts(events, "log_type")),
    top_users: topEntities(events, "user_id"),
    top_sources: topEntities(events, "ip_address"),
    top_destinations: topEntities(events, "destination"),
    alerts: { total: alerts.length, by_severity: bySeverity, by_rule: count(alerts.map((a) => a.rule)) },
    rules_run: Object.keys(run.seconds),
    rules_skipped: run.skipped,
    tutorial: hasTutorialColumns(events) ? summarizeTutorial(events) : null,
  };
}
