/**
 * Which files the notebooks read (THREATLAB_DATA, or the bundled data), the whole chain on each,
 * and the tables that show what was read and what was found.
 *
 * The notebooks are a top level, like the CLI: `npm start` hands a notebook its data through the
 * kernel's environment, so `dataPath` and `chosenLogs` read `process.env` when no environment is
 * given, and nothing else in the library does (test/structure/flow.test.ts checks it).
 */
import { resolve } from "node:path";
import pl, { type DataFrame } from "nodejs-polars";
import { type Alert, buildAlerts } from "../alerts/alerts";
import { SEVERITIES } from "../detect/detection";
import { type DetectionRun, runDetectors } from "../detect/suite";
import { invalidOption } from "../errors";
import { SAMPLES } from "../generate/samples";
import { type IngestOptions, type Ingested, ingestLogs } from "../io/ingest/ingest";
import { projectRoot, samplePath } from "../shared/paths";

/**
 * Returns the data file the notebooks analyse: the file named by the environment variable
 * `THREATLAB_DATA` when it is set (relative to the current folder), else the bundled sample.
 * @example
 * dataPath() // => "/home/me/threatlab/data/sample_logs.csv"
 */
export function dataPath(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.THREATLAB_DATA?.trim();
  return chosen ? resolve(chosen) : samplePath();
}

/** A log file to read, and how. */
export interface LogChoice {
  /** How tables name it: the file name. */
  readonly label: string;
  readonly path: string;
  readonly options: Omit<IngestOptions, "onProgress">;
}

/**
 * Returns the logs the notebook reads: the file named by THREATLAB_DATA (read with THREATLAB_FORMAT,
 * THREATLAB_YEAR, THREATLAB_TZ and THREATLAB_START when set, as the CLI's --format, --year, --tz
 * and --start), else every bundled sample in data/samples/.
 * @example
 * chosenLogs({}).map((c) => c.label) // => ["auth.log", "security.jsonl", …, "vpn.parquet"]
 * chosenLogs({ THREATLAB_DATA: "/var/log/auth.log", THREATLAB_YEAR: "2024" })[0].options // => { year: 2024 }
 */
export function chosenLogs(env: NodeJS.ProcessEnv = process.env): LogChoice[] {
  const data = env.THREATLAB_DATA?.trim();
  if (!data) {
    return SAMPLES.map((s) => ({ label: s.file, path: resolve(projectRoot(), "data", "samples", s.file), options: { ...s.ingest } }));
  }
  const year = env.THREATLAB_YEAR?.trim();
  if (year !== undefined && year !== "" && !/^\d{4}$/.test(year)) throw invalidOption("THREATLAB_YEAR", year, "a four-digit year");
  const options: LogChoice["options"] = Object.fromEntries(
    Object.entries({ format: env.THREATLAB_FORMAT?.trim() || undefined, year: year ? Number(year) : undefined, tz: env.THREATLAB_TZ?.trim() || undefined, start: env.THREATLAB_START?.trim() || undefined })
      .filter(([, v]) => v !== undefined),
  );
  const path = resolve(data);
  return [{ label: path.split("/").pop() ?? path, path, options }];
}

/** One file taken through ingest → detect → alerts. */
export interface LogRun {
  readonly choice: LogChoice;
  readonly ingested: Ingested;
  readonly detection: DetectionRun;
  readonly alerts: Alert[];
}

/**
 * Runs the whole chain on each chosen file, in order.
 * @example
 * const runs = await analyseLogs(chosenLogs({ THREATLAB_DATA: "data/samples/auth.log", THREATLAB_YEAR: "2026" }));
 * runs[0].alerts.length // => 8
 */
export async function analyseLogs(choices: readonly LogChoice[]): Promise<LogRun[]> {
  const runs: LogRun[] = [];
  for (const choice of choices) {
    const ingested = await ingestLogs(choice.path, choice.options);
    const detection = runDetectors(ingested.events);
    runs.push({ choice, ingested, detection, alerts: buildAlerts(detection.detections) });
  }
  return runs;
}

/** Returns `frame` with the named columns as whole numbers (JavaScript numbers arrive as Float64). */
function whole(frame: DataFrame, columns: readonly string[]): DataFrame {
  return frame.withColumns(...columns.map((c) => pl.col(c).cast(pl.Int64)));
}

/**
 * Returns one row per file: its format, how its lines were read, and the first line that was not.
 * @example
 * ingestFrame(runs).columns.slice(0, 5) // => ["file", "format", "lines", "parsed", "events"]
 */
export function ingestFrame(runs: readonly LogRun[]): DataFrame {
  const column = <T>(f: (r: LogRun) => T): T[] => runs.map(f);
  const report = (r: LogRun) => r.ingested.report;
  const frame = pl.DataFrame({
    file: column((r) => r.choice.label),
    format: column((r) => report(r).format),
    lines: column((r) => report(r).lines),
    parsed: column((r) => report(r).parsedLines),
    events: column((r) => report(r).events),
    skipped: column((r) => report(r).skippedLines),
    not_recognised: column((r) => report(r).unrecognisedLines),
    malformed: column((r) => report(r).malformedLines + report(r).longLines),
    duplicates: column((r) => report(r).duplicates),
    first_problem: column((r) => {
      const { firstUnrecognised: u, firstMalformed: m } = report(r);
      if (m && (!u || m.line < u.line)) return `line ${m.line}: ${m.reason}`;
      return u ? `line ${u.line}: ${u.text.slice(0, 80)}` : "";
    }),
    clock: column((r) => report(r).clock),
  });
  return whole(frame, ["lines", "parsed", "events", "skipped", "not_recognised", "malformed", "duplicates"]);
}

/**
 * Returns alerts as a table, most severe first: severity, rule, entity, first seen, events, summary.
 * @example
 * alertsFrame(runs[0].alerts).columns // => ["severity", "rule", "entity", "first_seen", "events", "summary"]
 */
export function alertsFrame(alerts: readonly Alert[]): DataFrame {
  const rank = (a: Alert): number => SEVERITIES.indexOf(a.severity);
  const sorted = [...alerts].sort((a, b) => rank(b) - rank(a) || a.first_seen.localeCompare(b.first_seen));
  const frame = pl.DataFrame({
    severity: sorted.map((a) => a.severity),
    rule: sorted.map((a) => a.rule),
    entity: sorted.map((a) => a.entity.value),
    first_seen: sorted.map((a) => a.first_seen),
    events: sorted.map((a) => a.event_count),
    summary: sorted.map((a) => a.summary),
  });
  return whole(frame, ["events"]);
}

/**
 * Returns one row per file with its alerts by severity, most severe first.
 * @example
 * alertCountsFrame(runs).row(0) // => ["auth.log", 1, 1, 1, 5, "brute_force, isolation_forest, password_spray"]   (data/samples/auth.log)
 */
export function alertCountsFrame(runs: readonly LogRun[]): DataFrame {
  const severities = [...SEVERITIES].reverse();
  const frame = pl.DataFrame({
    file: runs.map((r) => r.choice.label),
    ...Object.fromEntries(severities.map((s) => [s, runs.map((r) => r.alerts.filter((a) => a.severity === s).length)])),
    rules: runs.map((r) => [...new Set(r.alerts.map((a) => a.rule))].sort().join(", ")),
  });
  return whole(frame, severities);
}
