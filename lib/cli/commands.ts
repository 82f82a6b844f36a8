/**
 * The CLI's commands: each declares its options and runs against the library.
 */
import { readLogs } from "../io/read-logs";
import { writeLogs } from "../io/write-logs";
import { generateLogs } from "../generate/generate-logs";
import { flagByteAnomalies } from "../detect/percentile-rule";
import { formatTutorialAlerts, tutorialAlerts } from "../alerts/tutorial-alerts";
import { formatTutorialSummary, summarizeTutorial } from "../report/tutorial-summary";
import { OptionError, invalidOption } from "../errors";

/** Where the CLI writes: injectable so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** One option of a command, as `node:util` `parseArgs` takes it, plus its help. */
export interface CommandOption {
  type: "string" | "boolean";
  help: string;
  valueName?: string;
  short?: string;
}

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | undefined>;
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
function intFlag(values: CommandArgs["values"], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).replace(/_/g, "");
  if (!/^\d+$/.test(text)) throw invalidOption(`--${name}`, raw, "a whole number ≥ 0");
  return Number(text);
}

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

const quantileOption: CommandOption = {
  type: "string",
  valueName: "Q",
  help: "quantile of bytes_transferred above which a row is an anomaly (default 0.95)",
};

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
    run({ values, positionals }, io) {
      if (positionals.length > 0) throw new OptionError(`unexpected argument ${JSON.stringify(positionals[0])} (the output file goes after --out)`);
      const out = values.out;
      if (typeof out !== "string" || out === "") throw new OptionError("missing --out FILE (where to write the logs)");
      const frame = generateLogs({
        rows: intFlag(values, "rows"),
        seed: intFlag(values, "seed"),
        start: typeof values.start === "string" ? values.start : undefined,
        days: intFlag(values, "days"),
        users: intFlag(values, "users"),
        threatRate: numberFlag(values, "threat-rate"),
      });
      writeLogs(frame, out);
      io.stderr(`wrote ${frame.height.toLocaleString("en-US")} rows to ${out}`);
    },
  },
  analyze: {
    summary: "the tutorial's analysis of a log file: counts, mean, 95th-percentile anomalies, alerts, daily volume",
    args: "FILE [--json]",
    options: {
      json: { type: "boolean", help: "print one JSON object (the tutorial-parity summary) instead of text" },
      quantile: quantileOption,
    },
    run({ values, positionals }, io) {
      const file = oneFile(positionals, "analyze");
      const summary = summarizeTutorial(readLogs(file), { quantile: numberFlag(values, "quantile") });
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
};
