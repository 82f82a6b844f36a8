/**
 * What every command shares: the command's shape, where it writes, and the flags several commands
 * take (files, --out, numbers, detector and ingest options), each checked with a clear message.
 */
import { detectScans } from "../io/streaming-choice";
import { writeLogs } from "../io/write-logs";
import { OptionError, invalidOption } from "../errors";
import { DEFAULT_RULES, parseRuleList, parseRuleOptions, type DetectOptions } from "../detect/suite";
import { DEFAULT_MAX_EVENTS, type IngestOptions, type Ingested, LOG_FORMATS, ingestLogs, scanEvents } from "../io/ingest/ingest";
import { type Events } from "../detect/events";
import { describeIngest } from "../io/ingest/records";
import { parseColumnMapping } from "../io/formats/generic";
import { parseCidr } from "../net";
import { progressBar } from "./progress";
import { type CliIo, type Command, type CommandArgs, type CommandOption, intFlag } from "./flags";

export { type CliIo, type Command, type CommandArgs, type CommandOption, intFlag, numberFlag, oneFile, quantileOption } from "./flags";

/** The most rows `generate` writes in one run (a billion rows is about 80 GB of CSV). */
export const MAX_GENERATED_ROWS = 1_000_000_000;


/** Returns the value of --out, or throws a usage error saying what it is for (`FILE …` or `DIR …`). */
export function outFlag(values: CommandArgs["values"], what: string): string {
  const out = values.out;
  if (typeof out !== "string" || out === "") throw new OptionError(`missing --out ${what}`);
  return out;
}

/** Throws a usage error when a command that takes no positional argument got one. */
export function noPositionals(positionals: string[], where: string): void {
  if (positionals.length > 0) throw new OptionError(`unexpected argument ${JSON.stringify(positionals[0])} (${where} goes after --out)`);
}

/** Returns the rule set and rule options given by --rules and --option. */
export function detectorFlags(values: CommandArgs["values"]): Pick<DetectOptions, "rules" | "options"> {
  const rules = typeof values.rules === "string" ? parseRuleList(values.rules) : [...DEFAULT_RULES];
  const settings = Array.isArray(values.option) ? values.option : [];
  return { rules, options: parseRuleOptions(settings) };
}

/** Returns a callback that reports each finished rule on stderr when it is a terminal. */
export function ruleProgress(io: CliIo): DetectOptions["onRule"] {
  return io.isTTY ? (rule, found, seconds) => io.stderr(`  ${rule.padEnd(20)} ${String(found).padStart(6)} detections  ${seconds.toFixed(2)} s`) : undefined;
}

export const detectorOptions: Record<string, CommandOption> = {
  rules: { type: "string", valueName: "LIST", help: "rules to run, comma-separated, or all (default: all but the tutorial's percentile)" },
  option: { type: "string", multiple: true, valueName: "RULE.KEY=VALUE", help: "set a rule's option, e.g. brute_force.failures=20 (repeatable)" },
  suppression: { type: "string", valueName: "MINUTES", help: "fold repeats of a rule and entity within this many minutes into one alert (default 60)" },
  internal: { type: "string", valueName: "CIDRS", help: "your networks, comma-separated, e.g. 10.0.0.0/8,203.0.113.0/24 (default: inferred from the data)" },
};

/** Options of every command that reads raw logs. */
export const ingestOptions: Record<string, CommandOption> = {
  format: { type: "string", valueName: "NAME", help: `the file's format (default: recognised from the content): ${LOG_FORMATS.join(", ")}` },
  year: { type: "string", valueName: "YYYY", help: "year of syslog timestamps, which carry none (default: the latest year that puts no line after the file's modification time, with a warning)" },
  start: { type: "string", valueName: "TIME", help: "where a clock that counts from the start of a capture starts (Zeek ts below 1980), UTC, e.g. 2025-03-03T09:00:00Z" },
  tz: { type: "string", valueName: "ZONE", help: "time zone of local-time fields, e.g. Europe/Berlin (default UTC)" },
  map: { type: "string", valueName: "FROM=TO,…", help: "rename a CSV's or JSON's columns to event columns, e.g. time=timestamp,src=ip_address" },
  "max-events": { type: "string", valueName: "N", help: `the most events one file may give, a tenth of them from "message repeated" lines (default ${DEFAULT_MAX_EVENTS.toLocaleString("en-US")})` },
};

/** Returns the ingest options given by --format, --year, --tz and --map. */
export function ingestFlags(values: CommandArgs["values"]): Omit<IngestOptions, "onProgress"> {
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
export function internalFlag(values: CommandArgs["values"]): string[] | undefined {
  if (typeof values.internal !== "string") return undefined;
  const cidrs = values.internal.split(",").map((c) => c.trim()).filter(Boolean);
  if (cidrs.length === 0) throw invalidOption("--internal", values.internal, "networks such as 10.0.0.0/8,192.168.0.0/16");
  for (const c of cidrs) parseCidr("--internal", c);
  return cidrs;
}

/** Ingests a log file (with its account of lines) and writes the events to `out`. */
export async function ingestTo(file: string, out: string, values: CommandArgs["values"], io: CliIo): Promise<void> {
  const { events } = await ingestWithAccount(file, values, io);
  writeLogs(events, out);
  io.stderr(`wrote ${events.height.toLocaleString("en-US")} events to ${out}`);
}

/** Reads a log file with a progress bar, then says on stderr how its lines were read. */
export async function ingestWithAccount(file: string, values: CommandArgs["values"], io: CliIo): Promise<Ingested> {
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
export function sayIngest({ report }: Ingested, io: CliIo): void {
  io.stderr(`${report.file}: ${report.format}${report.sniffed ? " (recognised)" : ""}; ${describeIngest(report)}`);
  io.stderr(`clock: ${report.clock}`);
  for (const w of report.warnings) io.stderr(`warning: ${w}`);
}


/**
 * Rows generated and written at a time by `threatlab generate`, so memory stays flat at any size:
 * 1,000,000, or THREATLAB_CHUNK_ROWS (less memory with smaller pieces; the file is the same).
 */
export function generateChunkRows(env: NodeJS.ProcessEnv = process.env): number {
  return positiveIntegerFrom(env.THREATLAB_CHUNK_ROWS) ?? 1_000_000;
}

/** Returns a variable's value when it is a whole number above 0, else undefined. */
export function positiveIntegerFrom(value: string | undefined): number | undefined {
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
 * Returns the events `detect` is to work on: a lazy frame over the file, read in batches, where
 * the library's `detectScans` says so; otherwise the file read whole, with its account.
 */
export async function detectEvents(file: string, values: CommandArgs["values"], io: CliIo): Promise<Events> {
  const { scan, format } = await detectScans(file, { format: typeof values.format === "string" ? values.format : undefined, asked: values.streaming === true });
  if (!scan) return (await ingestWithAccount(file, values, io)).events;
  const events = await scanEvents(file, { format });
  io.stderr(`${file}: scanning in batches (streaming)`);
  return events;
}

/** Returns a command that prints a list made from the code: as text, or as the README's Markdown table. */
export function listing(name: string, summary: string, text: () => string, markdown: () => string): Command {
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
