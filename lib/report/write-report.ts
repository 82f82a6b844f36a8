/**
 * `threatlab report`: ingest → analyse → detect → alerts, written as report.html, alerts.jsonl,
 * alerts.csv and summary.json. Each output is written whole or not at all, and none may be the input.
 */
import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Alert, type AlertOptions, alertsToJsonl, buildAlerts } from "../alerts/alerts";
import { OptionError } from "../errors";
import { DEFAULT_RULES, type DetectOptions, runDetectors } from "../detect/suite";
import { checkNotInput, writeAtomicGroup, writeFileSynced } from "../io/atomic-write";
import { toCsv } from "../io/csv-export";
import { type IngestOptions, type Ingested, ingestLogs } from "../io/ingest/ingest";
import { packageVersion } from "../shared/environment";
import { plotTimeline } from "../visualize/detection-figures";
import { plotOverview } from "../visualize/overview";
import { renderReportHtml } from "./html-report";
import { type ReportSummary, summarizeReport } from "./report-summary";

/** Options of {@link writeReport}. */
export interface ReportOptions extends Omit<IngestOptions, "onProgress">, Omit<DetectOptions, "onRule">, AlertOptions {
  /** Called as work progresses: the stage and how far it is, from 0 to 1. */
  onProgress?: (stage: string, fraction: number) => void;
}

/** What a report run wrote. */
export interface ReportRun {
  readonly summary: ReportSummary;
  readonly alerts: readonly Alert[];
  readonly files: { readonly html: string; readonly jsonl: string; readonly csv: string; readonly summary: string };
  readonly ingested: Ingested;
}

/** The columns of alerts.csv. */
export const ALERT_CSV_COLUMNS = [
  "id", "severity", "rule", "technique", "entity_type", "entity", "first_seen", "last_seen", "event_count", "count", "score", "summary", "evidence",
] as const;

/**
 * Returns alerts as CSV, formula prefixes neutralised.
 * @example
 * alertsToCsv(alerts).split("\r\n")[0]
 * // => "id,severity,rule,technique,entity_type,entity,first_seen,last_seen,event_count,count,score,summary,evidence"
 */
export function alertsToCsv(alerts: readonly Alert[]): string {
  return toCsv(
    ALERT_CSV_COLUMNS,
    alerts.map((a) => [a.id, a.severity, a.rule, a.technique, a.entity.type, a.entity.value, a.first_seen, a.last_seen, a.event_count, a.count, a.score, a.summary, JSON.stringify(a.evidence)]),
  );
}

/**
 * Reads `file`, runs the detectors and writes the four outputs into `outDir` (created if needed).
 * @example
 * await writeReport("auth.log", "report/", { year: 2024 })
 */
export async function writeReport(file: string, outDir: string, options: ReportOptions = {}): Promise<ReportRun> {
  const { onProgress, rules, options: ruleOptions, internal, suppressionMinutes, ...ingestOptions } = options;
  const files = {
    html: join(outDir, "report.html"),
    jsonl: join(outDir, "alerts.jsonl"),
    csv: join(outDir, "alerts.csv"),
    summary: join(outDir, "summary.json"),
  };
  try {
    if (!statSync(outDir).isDirectory()) throw new OptionError(`invalid --out: ${outDir} is a file, expected a folder`);
  } catch (error) {
    if (error instanceof OptionError) throw error;
  }
  if (resolve(outDir) === resolve(file)) throw new OptionError(`invalid --out: ${outDir} is the input`);
  for (const path of Object.values(files)) checkNotInput(path, [file]);

  const ingested = await ingestLogs(file, { ...ingestOptions, onProgress: onProgress ? (done, total) => onProgress("reading", done / total) : undefined });
  const { events, report } = ingested;
  const ruleCount = rules?.length ?? DEFAULT_RULES.length;
  let finished = 0;
  const run = runDetectors(events, {
    rules,
    options: ruleOptions,
    internal,
    onRule: onProgress ? () => onProgress("detecting", ++finished / ruleCount) : undefined,
  });
  const alerts = buildAlerts(run.detections, { suppressionMinutes });
  onProgress?.("writing", 0);
  const summary = summarizeReport(events, report, run, alerts);
  const html = renderReportHtml({
    summary,
    alerts,
    overview: plotOverview(events),
    timeline: plotTimeline(events, { alerts, title: "Events per hour, with alerts" }),
    version: packageVersion("threatlab"),
  });
  const outputs: [string, string][] = [
    [files.jsonl, alertsToJsonl(alerts)],
    [files.csv, alertsToCsv(alerts)],
    [files.summary, `${JSON.stringify(summary, null, 2)}\n`],
    [files.html, html],
  ];
  // The four files appear together or not at all: each is written and flushed beside its target,
  // and only then are they renamed into place.
  writeAtomicGroup(
    outputs.map(([path, content], i) => [
      path,
      (tmp: string) => {
        writeFileSynced(tmp, content);
        onProgress?.("writing", (i + 1) / outputs.length);
      },
    ]),
  );
  return { summary, alerts, files, ingested };
}
