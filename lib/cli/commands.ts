/**
 * The CLI's commands: each declares its options and runs against the library.
 */
import { extname } from "node:path";
import type { DataFrame } from "nodejs-polars";
import { readLogs, scanLogs } from "../io/read-logs";
import { analyzeStreams, detectStreamingFromEvents, estimatedEvents, parquetHasTutorialColumns, parquetRowCount, streamingFromBytes } from "../io/streaming-choice";
import { sinkParquet, writeLogs, writeLogsInChunks } from "../io/write-logs";
import { writeAtomic } from "../io/atomic-write";
import { createLogGenerator } from "../generate/generate-logs";
import { flagByteAnomalies } from "../detect/percentile-rule";
import { formatTutorialAlerts, tutorialAlerts } from "../alerts/tutorial-alerts";
import { formatTutorialSummary, summarizeTutorial, summarizeTutorialLazy } from "../report/tutorial-summary";
import { InputError, OptionError, invalidOption } from "../errors";
import { alertsToJsonl, buildAlerts } from "../alerts/alerts";
import { formatAlertsTable } from "../alerts/format";
import { plural } from "../alerts/summaries";
import { DEFAULT_RULES, parseRuleList, parseRuleOptions, runDetectorsAsync, type DetectOptions } from "../detect/suite";
import { evaluateDetectors } from "../evaluate/evaluate-detectors";
import { evaluateGrid, formatGrid } from "../evaluate/grid";
import { evaluateLabelledSources, formatLabelledSources } from "../evaluate/labelled-sources";
import { generateScenario, scenarioPieces, scenarioPreset } from "../generate/scenario";
import { formatEvaluation } from "../report/evaluation-report";
import { DEFAULT_MAX_EVENTS, type IngestOptions, type Ingested, LOG_FORMATS, ingestLogs, scanEvents, sniffFormat } from "../io/ingest/ingest";
import { type Events, eventCount, valueCount } from "../detect/events";
import { describeIngest } from "../io/ingest/records";
import { parseColumnMapping } from "../io/formats/generic";
import { formatsMarkdown, formatsText } from "../io/formats/describe";
import { rulesMarkdown, rulesText } from "../detect/describe-rules";
import { checkNotInput } from "../io/atomic-write";
import { parseCidr } from "../net";
import { writeReport } from "../report/write-report";
import { type ProgressSink, progressBar } from "./progress";
import { SAMPLES_SEED, writeSamples } from "../generate/samples";

/** Where the CLI writes: injectable so tests can run it in-process. */
export interface CliIo extends ProgressSink {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal: progress is shown only then. */
  readonly isTTY: boolean;
}

/** One option of a command, as `node:util` `parseArgs` takes it, plus its help. */
export interface CommandOption {
  type: "string" | "boolean";
  help: string;
  valueName?: string;
  short?: string;
  /** The flag may be given several times; its value is then a list. */
  multiple?: boolean;
}

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A CLI command. */
export interface Command {
  summary: string;
  /** The positional arguments, for the usage line. */
  args: string;
  options: Record<string, CommandOption>;
  run(args: CommandArgs, io: CliIo): Promise<void> | void;
}

/** Returns the value of a whole-number flag, or `undefined` (the library's default) when absent. */
function intFlag(values: CommandArgs["values"], name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).replace(/_/g, "");
  if (!/^\d+$/.test(text)) throw invalidOption(`--${name}`, raw, "a whole number ≥ 0");
  const n = Number(text);
  if (n > max) throw invalidOption(`--${name}`, raw, `a whole number from 0 to ${max.toLocaleString("en-US")}`);
  return n;
}

/** The most rows `generate` writes in one run (a billion rows is about 80 GB of CSV). */
export const MAX_GENERATED_ROWS = 1_000_000_000;

/** Returns the value of a numeric flag, or `undefined` (the library's default) when absent. */
function numberFlag(values: CommandArgs["values"], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isFinite(n)) throw invalidOption(`--${name}`, raw, "a number");
  return n;
}

/** Returns the single input file of a command, or throws a usage error. */
function oneFile(positionals: string[], command: string): string {
  if (positionals.length !== 1) {
    throw new OptionError(
      positionals.length === 0
        ? `missing FILE (usage: threatlab ${command} FILE)`
        : `expected one FILE, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  return positionals[0];
}

/** Returns the value of --out, or throws a usage error saying what it is for (`FILE …` or `DIR …`). */
function outFlag(values: CommandArgs["values"], what: string): string {
  const out = values.out;
  if (typeof out !== "string" || out === "") throw new OptionError(`missing --out ${what}`);
  return out;
}

/** Throws a usage error when a command that takes no positional argument got one. */
function noPositionals(positionals: string[], where: string): void {
  if (positionals.length > 0) throw new OptionError(`unexpected argument ${JSON.stringify(positionals[0])} (${where} goes after --out)`);
}

/** Returns the rule set and rule options given by --rules and --option. */
function detectorFlags(values: CommandArgs["values"]): Pick<DetectOptions, "rules" | "options"> {
  const rules = typeof values.rules === "string" ? parseRuleList(values.rules) : [...DEFAULT_RULES];
  const settings = Array.isArray(values.option) ? values.option : [];
  return { rules, options: parseRuleOptions(settings) };
}

/** Returns a callback that reports each finished rule on stderr when it is a terminal. */
function ruleProgress(io: CliIo): DetectOptions["onRule"] {
  return io.isTTY ? (rule, found, seconds) => io.stderr(`  ${rule.padEnd(20)} ${String(found).padStart(6)} detections  ${seconds.toFixed(2)} s`) : undefined;
}

const detectorOptions: Record<string, CommandOption> = {
  rules: { type: "string", valueName: "LIST", help: "rules to run, comma-separated, or all (default: all but the tutorial's percentile)" },
  option: { type: "string", multiple: true, valueName: "RULE.KEY=VALUE", help: "set a rule's option, e.g. brute_force.failures=20 (repeatable)" },
  suppression: { type: "string", valueName: "MINUTES", help: "fold repeats of a rule and entity within this many minutes into one alert (default 60)" },
  internal: { type: "string", valueName: "CIDRS", help: "your networks, comma-separated, e.g. 10.0.0.0/8,203.0.113.0/24 (default: inferred from the data)" },
};

/** Options of every command that reads raw logs. */
const ingestOptions: Record<string, CommandOption> = {
  format: { type: "string", valueName: "NAME", help: `the file's format (default: recognised from the content): ${LOG_FORMATS.join(", ")}` },
  year: { type: "string", valueName: "YYYY", help: "year of syslog timestamps, which carry none (default: the latest year that puts no line after the file's modification time, with a warning)" },
  start: { type: "string", valueName: "TIME", help: "where a clock that counts from the start of a capture starts (Zeek ts below 1980), UTC, e.g. 2025-03-03T09:00:00Z" },
  tz: { type: "string", valueName: "ZONE", help: "time zone of local-time fields, e.g. Europe/Berlin (default UTC)" },
  map: { type: "string", valueName: "FROM=TO,…", help: "rename a CSV's or JSON's columns to event columns, e.g. time=timestamp,src=ip_address" },
  "max-events": { type: "string", valueName: "N", help: `the most events one file may give, a tenth of them from "message repeated" lines (default ${DEFAULT_MAX_EVENTS.toLocaleString("en-US")})` },
};

/** Returns the ingest options given by --format, --year, --tz and --map. */
function ingestFlags(values: CommandArgs["values"]): Omit<IngestOptions, "onProgress"> {
  const year = intFlag(values, "year");
  if (year !== undefined && (year < 1970 || year > 9999)) throw invalidOption("--year", values.year, "a year between 1970 and 9999");
  return {
    format: typeof values.format === "string" ? values.format : undefined,
    year,
    tz: typeof values.tz === "string" ? values.tz : undefined,
    start: typeof values.start === "string" ? values.start : undefined,
    mapping: typeof values.map === "string" ? parseColumnMapping(values.map) : undefined,
    maxEvents: intFlag(values, "max-events"),
  };
}

/** Returns the networks given by --internal, checked. */
function internalFlag(values: CommandArgs["values"]): string[] | undefined {
  if (typeof values.internal !== "string") return undefined;
  const cidrs = values.internal.split(",").map((c) => c.trim()).filter(Boolean);
  if (cidrs.length === 0) throw invalidOption("--internal", values.internal, "networks such as 10.0.0.0/8,192.168.0.0/16");
  for (const c of cidrs) parseCidr("--internal", c);
  return cidrs;
}

/** Ingests a log file (with its account of lines) and writes the events to `out`. */
async function ingestTo(file: string, out: string, values: CommandArgs["values"], io: CliIo): Promise<void> {
  const { events } = await ingestWithAccount(file, values, io);
  writeLogs(events, out);
  io.stderr(`wrote ${events.height.toLocaleString("en-US")} events to ${out}`);
}

/** Reads a log file with a progress bar, then says on stderr how its lines were read. */
async function ingestWithAccount(file: string, values: CommandArgs["values"], io: CliIo): Promise<Ingested> {
  const bar = progressBar(io);
  let ingested: Ingested;
  try {
    ingested = await ingestLogs(file, { ...ingestFlags(values), onProgress: (done, total) => bar.update("reading", done / total) });
  } finally {
    bar.done();
  }
  sayIngest(ingested, io);
  return ingested;
}

/** Prints the account of an ingestion, its clock and its warnings on stderr. */
function sayIngest({ report }: Ingested, io: CliIo): void {
  io.stderr(`${report.file}: ${report.format}${report.sniffed ? " (recognised)" : ""}; ${describeIngest(report)}`);
  io.stderr(`clock: ${report.clock}`);
  for (const w of report.warnings) io.stderr(`warning: ${w}`);
}

const quantileOption: CommandOption = {
  type: "string",
  valueName: "Q",
  help: "quantile of bytes_transferred above which a row is an anomaly (default 0.95)",
};

/**
 * Rows generated and written at a time by `threatlab generate`, so memory stays flat at any size:
 * 1,000,000, or THREATLAB_CHUNK_ROWS (less memory with smaller pieces; the file is the same).
 */
export function generateChunkRows(env: NodeJS.ProcessEnv = process.env): number {
  return positiveIntegerFrom(env.THREATLAB_CHUNK_ROWS) ?? 1_000_000;
}

/** Returns a variable's value when it is a whole number above 0, else undefined. */
function positiveIntegerFrom(value: string | undefined): number | undefined {
  const chosen = Number(value);
  return Number.isSafeInteger(chosen) && chosen > 0 ? chosen : undefined;
}

/**
 * Events per part when `detect` scans a big file and a rule needs each account's events whole:
 * THREATLAB_PART_EVENTS, else the library's default (fewer: less memory, more passes).
 */
export function detectPartEvents(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return positiveIntegerFrom(env.THREATLAB_PART_EVENTS);
}



/**
 * Returns the events `detect` is to work on: a lazy frame that scans the file in batches when
 * asked, or for a file polars can scan (Parquet, or the tutorial's CSV) holding at least
 * {@link detectStreamingFromEvents} events; otherwise the file read whole, with its account.
 */
async function detectEvents(file: string, values: CommandArgs["values"], io: CliIo): Promise<Events> {
  let format: string | undefined = typeof values.format === "string" ? values.format : undefined;
  let streaming = values.streaming === true;
  if (!streaming) {
    try {
      format ??= await sniffFormat(file);
      streaming = estimatedEvents(file, format) >= detectStreamingFromEvents();
    } catch {
      // the reader names the problem
    }
  }
  if (!streaming) return (await ingestWithAccount(file, values, io)).events;
  const events = await scanEvents(file, { format });
  io.stderr(`${file}: scanning in batches (streaming)`);
  return events;
}


/** Returns a command that prints a list made from the code: as text, or as the README's Markdown table. */
function listing(name: string, summary: string, text: () => string, markdown: () => string): Command {
  return {
    summary,
    args: "[--markdown]",
    options: { markdown: { type: "boolean", help: "print the README's Markdown table instead" } },
    run({ values, positionals }, io) {
      if (positionals.length > 0) throw new OptionError(`unexpected argument ${JSON.stringify(positionals[0])} (${name} reads no file)`);
      io.stdout(values.markdown ? markdown() : text());
    },
  };
}

/** Every command, by name. */
export const COMMANDS: Record<string, Command> = {
  generate: {
    summary: "write sample security logs like the tutorial's create_sample_logs (CSV, or Parquet for .parquet)",
    args: "--out FILE [options]",
    options: {
      rows: { type: "string", valueName: "N", help: "number of rows (default 1000)" },
      seed: { type: "string", valueName: "S", help: "random seed; the same seed gives the same file (default 42)" },
      out: { type: "string", valueName: "FILE", help: "where to write; .parquet writes Parquet, anything else CSV" },
      start: { type: "string", valueName: "DATE", help: 'first timestamp, UTC, e.g. 2025-01-01 (default), or "now" for now − days' },
      days: { type: "string", valueName: "D", help: "length of the period in days (default 30)" },
      users: { type: "string", valueName: "U", help: "number of accounts user_1..user_U (default 100)" },
      "threat-rate": { type: "string", valueName: "P", help: "chance a row is labelled a threat (default 0.05)" },
    },
    async run({ values, positionals }, io) {
      noPositionals(positionals, "the output file");
      const out = outFlag(values, "FILE (where to write the logs)");
      const rows = intFlag(values, "rows", MAX_GENERATED_ROWS) ?? 1000;
      const generator = createLogGenerator({
        seed: intFlag(values, "seed"),
        start: typeof values.start === "string" ? values.start : undefined,
        days: intFlag(values, "days"),
        users: intFlag(values, "users"),
        threatRate: numberFlag(values, "threat-rate"),
      });
      // In pieces, one in memory at a time: the file is the same, whatever the size.
      const chunk = generateChunkRows();
      function* pieces(): Generator<DataFrame> {
        let done = 0;
        do {
          const n = Math.min(chunk, rows - done);
          yield generator.next(n);
          done += n;
        } while (done < rows);
      }
      const bar = progressBar(io);
      try {
        await writeLogsInChunks(pieces(), out, (written) => bar.update("generating", rows === 0 ? 1 : written / rows));
      } finally {
        bar.done();
      }
      io.stderr(`wrote ${rows.toLocaleString("en-US")} rows to ${out}`);
    },
  },
  analyze: {
    summary: "the tutorial's analysis of a log file: counts, mean, 95th-percentile anomalies, alerts, daily volume",
    args: "FILE [--json]",
    options: {
      json: { type: "boolean", help: "print one JSON object (the tutorial-parity summary) instead of text" },
      quantile: quantileOption,
      streaming: { type: "boolean", help: `scan the file in batches instead of reading it whole (always for Parquet; for CSV automatic from ${Math.round(streamingFromBytes() / 2 ** 20)} MB here)` },
    },
    run({ values, positionals }, io) {
      const file = oneFile(positionals, "analyze");
      const options = { quantile: numberFlag(values, "quantile") };
      let summary;
      if (analyzeStreams(file, values.streaming === true)) {
        const bar = progressBar(io);
        try {
          bar.update("checking", 0);
          summary = summarizeTutorialLazy(scanLogs(file), { ...options, onProgress: (stage, fraction) => bar.update(stage, fraction) });
        } finally {
          bar.done();
        }
      } else {
        summary = summarizeTutorial(readLogs(file), options);
      }
      io.stdout(values.json ? JSON.stringify(summary, null, 2) : formatTutorialSummary(summary));
    },
  },
  alerts: {
    summary: "print the tutorial's alerts for a log file (labelled threats and byte anomalies)",
    args: "FILE [--json]",
    options: {
      json: { type: "boolean", help: "print the alerts as JSON Lines, one per line" },
      quantile: quantileOption,
    },
    run({ values, positionals }, io) {
      const file = oneFile(positionals, "alerts");
      const alerts = tutorialAlerts(flagByteAnomalies(readLogs(file), { quantile: numberFlag(values, "quantile") }));
      io.stdout(values.json ? alerts.map((a) => JSON.stringify(a)).join("\n") : formatTutorialAlerts(alerts));
    },
  },
  detect: {
    summary: "run the detector suite on a log file in any supported format and print alerts",
    args: "FILE [--jsonl] [options]",
    options: {
      jsonl: { type: "boolean", help: "print one alert per line as JSON (fields: see the README)" },
      streaming: {
        type: "boolean",
        help: `scan a Parquet or tutorial CSV file in batches instead of reading it whole: the same alerts, in far less memory (automatic from ${(detectStreamingFromEvents() / 1e6).toFixed(0)}M events here)`,
      },
      ...ingestOptions,
      ...detectorOptions,
    },
    async run({ values, positionals }, io) {
      const file = oneFile(positionals, "detect");
      const flags = detectorFlags(values);
      const suppressionMinutes = numberFlag(values, "suppression");
      const internal = internalFlag(values);
      const events = await detectEvents(file, values, io);
      const started = performance.now();
      const run = await runDetectorsAsync(events, { ...flags, internal, partEvents: detectPartEvents(), onRule: ruleProgress(io) });
      const alerts = buildAlerts(run.detections, { suppressionMinutes });
      io.stdout(values.jsonl ? alertsToJsonl(alerts).trimEnd() : formatAlertsTable(alerts));
      const skipped = run.skipped.map((s) => `${s.rule} (${s.reason})`).join(", ");
      io.stderr(
        `${plural(alerts.length, "alert")} from ${plural(run.detections.length, "detection")} by ${plural(Object.keys(run.seconds).length, "rule")}` +
          ` on ${plural(eventCount(events), "event")} in ${((performance.now() - started) / 1000).toFixed(1)} s${skipped ? `; skipped: ${skipped}` : ""}`,
      );
    },
  },
  ingest: {
    summary: "read a log file (syslog, Windows JSON, Zeek, CSV, …) into threatlab's event schema",
    args: "FILE --out FILE [options]",
    options: {
      out: { type: "string", valueName: "FILE", help: "where to write the events: .parquet (exact) or .csv (for spreadsheets; formula cells neutralised)" },
      ...ingestOptions,
    },
    async run({ values, positionals }, io) {
      const file = oneFile(positionals, "ingest");
      const out = outFlag(values, "FILE (where to write the events, .parquet or .csv)");
      checkNotInput(out, [file]);
      await ingestTo(file, out, values, io);
    },
  },
  convert: {
    summary: "rewrite a log file as Parquet, the format for big data (the tutorial's columns streamed in batches; other logs through ingest)",
    args: "FILE --out FILE.parquet [options]",
    options: {
      out: { type: "string", valueName: "FILE", help: "where to write: a .parquet file" },
      ...ingestOptions,
    },
    async run({ values, positionals }, io) {
      const file = oneFile(positionals, "convert");
      const out = outFlag(values, "FILE.parquet (where to write)");
      if (extname(out).toLowerCase() !== ".parquet") throw new OptionError(`invalid --out: ${out} (expected a name ending in .parquet)`);
      checkNotInput(out, [file]);
      const format = typeof values.format === "string" ? values.format : await sniffFormat(file);
      if (format === "tutorial-csv" || (format === "parquet" && parquetHasTutorialColumns(file))) {
        // Checked in one streaming pass, then streamed into Parquet: any size, little memory.
        const scan = scanLogs(file);
        writeAtomic(out, (tmp) => sinkParquet(scan, tmp));
        const rows = parquetRowCount(out);
        io.stderr(`wrote ${rows.toLocaleString("en-US")} rows to ${out}`);
        return;
      }
      await ingestTo(file, out, values, io);
    },
  },
  report: {
    summary: "ingest, analyse, detect and write report.html, alerts.jsonl, alerts.csv and summary.json",
    args: "FILE --out DIR [options]",
    options: {
      out: { type: "string", valueName: "DIR", help: "folder for the four outputs (created if needed; existing outputs are replaced whole)" },
      ...ingestOptions,
      ...detectorOptions,
    },
    async run({ values, positionals }, io) {
      const file = oneFile(positionals, "report");
      const out = outFlag(values, "DIR (the folder for report.html and the alert files)");
      const bar = progressBar(io);
      let result;
      try {
        result = await writeReport(file, out, {
          ...ingestFlags(values),
          ...detectorFlags(values),
          internal: internalFlag(values),
          suppressionMinutes: numberFlag(values, "suppression"),
          onProgress: (stage, fraction) => bar.update(stage, fraction),
        });
      } finally {
        bar.done();
      }
      sayIngest(result.ingested, io);
      const { alerts } = result.summary;
      const severities = Object.entries(alerts.by_severity).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
      io.stderr(`${plural(alerts.total, "alert")}${severities ? ` (${severities})` : ""}`);
      io.stdout(Object.values(result.files).join("\n"));
    },
  },
  evaluate: {
    summary: "score the detectors against ground truth: a labelled FILE (a scenario, or a capture with its own labels), or a generated scenario",
    args: "[FILE] [--preset NAME] [--seed N] [--grid] [--json]",
    options: {
      json: { type: "boolean", help: "print the whole evaluation as one JSON object" },
      grid: { type: "boolean", help: "score the suite on 16 generated populations (users × habits × days × attacks) instead of one scenario" },
      preset: { type: "string", valueName: "NAME", help: "scenario to generate when no FILE is given: default (~1M events) or small (default: default)" },
      seed: { type: "string", valueName: "N", help: "seed of the generated scenario (default 42)" },
      ...detectorOptions,
    },
    async run({ values, positionals }, io) {
      if (positionals.length > 1) throw new OptionError(`expected at most one FILE, got ${positionals.length}`);
      if (positionals.length === 1 && (values.preset !== undefined || values.seed !== undefined)) {
        throw new OptionError("--preset and --seed choose a generated scenario; they do not apply to a FILE");
      }
      if (values.grid) {
        if (positionals.length > 0 || values.preset !== undefined) throw new OptionError("--grid generates its own scenarios; it takes no FILE and no --preset");
        const results = evaluateGrid({
          seed: intFlag(values, "seed"), ...detectorFlags(values),
          onSetting: (r, done, total) => io.stderr(`${done}/${total} ${r.setting.name}: precision ${r.alert_precision?.toFixed(3) ?? "–"}, recall ${r.campaign_recall?.toFixed(3) ?? "–"}`),
        });
        io.stdout(values.json ? JSON.stringify(results, null, 2) : formatGrid(results));
        return;
      }
      let events;
      if (positionals.length === 1) {
        const format = await sniffFormat(positionals[0]);
        if (format !== "tutorial-csv" && format !== "parquet") {
          // A real log that carries its own labels (Stratosphere's label column): score by source.
          const { events: real } = await ingestLogs(positionals[0]);
          if (!real.columns.includes("source_label") || valueCount(real, "source_label") === 0) {
            throw new InputError({ file: positionals[0], column: "label" }, "no ground-truth labels to score against (a labelled capture's label column, or a file threatlab scenario wrote)");
          }
          const score = evaluateLabelledSources(real, detectorFlags(values));
          io.stdout(values.json ? JSON.stringify(score, null, 2) : formatLabelledSources(score));
          return;
        }
        events = readLogs(positionals[0]);
        if (!events.columns.includes("attack_id")) {
          throw new InputError({ file: positionals[0], column: "attack_id" }, "no ground-truth labels to score against (threatlab scenario writes a labelled file)");
        }
      } else {
        const preset = typeof values.preset === "string" ? values.preset : "default";
        if (io.isTTY) io.stderr(`generating the ${preset} scenario…`);
        events = generateScenario(scenarioPreset(preset, { seed: intFlag(values, "seed") })).events;
      }
      const evaluation = evaluateDetectors(events, { ...detectorFlags(values), suppressionMinutes: numberFlag(values, "suppression"), onRule: ruleProgress(io) });
      io.stdout(values.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation));
    },
  },
  samples: {
    summary: "write the bundled sample logs (syslog, Windows JSON, Zeek, NDJSON, CSV, Parquet) with planted attacks",
    args: "--out DIR [--seed N]",
    options: {
      out: { type: "string", valueName: "DIR", help: "folder to write them into (data/samples holds the bundled ones)" },
      seed: { type: "string", valueName: "N", help: `random seed (default ${SAMPLES_SEED}, the bundled samples')` },
    },
    run({ values, positionals }, io) {
      noPositionals(positionals, "the folder");
      const out = outFlag(values, "DIR (where to write the samples)");
      const paths = writeSamples(out, intFlag(values, "seed"));
      io.stderr(`wrote ${paths.length} files to ${out}`);
      io.stdout(paths.join("\n"));
    },
  },
  scenario: {
    summary: "write a labelled attack scenario (events plus ground-truth columns) to CSV or Parquet",
    args: "--out FILE [--preset NAME] [--seed N]",
    options: {
      out: { type: "string", valueName: "FILE", help: "where to write; .parquet writes Parquet, anything else CSV" },
      preset: { type: "string", valueName: "NAME", help: "default (30 days, 200 users, ~1M events) or small (default: default)" },
      seed: { type: "string", valueName: "N", help: "random seed (default 42)" },
      days: { type: "string", valueName: "D", help: "length in days (default: the preset's)" },
      users: { type: "string", valueName: "U", help: "number of accounts (default: the preset's)" },
      pieces: {
        type: "string",
        valueName: "N",
        help: "write N scenarios into the file, one in memory at a time, each with its own accounts (suffix -1, -2, …) and seed: for files bigger than memory (10 pieces of 2000 users ≈ 106M events)",
      },
    },
    async run({ values, positionals }, io) {
      noPositionals(positionals, "the output file");
      const out = outFlag(values, "FILE (where to write the scenario)");
      const preset = typeof values.preset === "string" ? values.preset : "default";
      const overrides = Object.fromEntries(
        (["seed", "days", "users"] as const).map((k) => [k, intFlag(values, k)]).filter(([, v]) => v !== undefined),
      );
      const options = scenarioPreset(preset, overrides);
      const pieces = intFlag(values, "pieces") ?? 1;
      if (pieces < 1 || pieces > 100_000) throw invalidOption("--pieces", values.pieces, "a whole number from 1 to 100000");
      let campaigns = 0;
      let attacks = 0;
      const bar = progressBar(io);
      let events: number;
      try {
        bar.update("generating", 0);
        let done = 0;
        const frames = function* (): Generator<DataFrame> {
          for (const piece of scenarioPieces(options, pieces)) {
            campaigns += piece.campaigns;
            attacks += piece.attackEvents;
            yield piece.events;
            bar.update("generating", ++done / pieces);
          }
        };
        events = await writeLogsInChunks(frames(), out);
      } finally {
        bar.done();
      }
      io.stderr(`wrote ${events.toLocaleString("en-US")} events (${attacks.toLocaleString("en-US")} attack events in ${campaigns} campaigns) to ${out}`);
    },
  },
  formats: listing("formats", "list the log formats threatlab reads, each with an example and how its clock is read", formatsText, formatsMarkdown),
  rules: listing("rules", "list the detection rules, each with its technique, base severity and options with their defaults", rulesText, rulesMarkdown),
};
