/**
 * Ingestion: any supported log file (format given or recognised from its content, gzip read
 * transparently) into events in threatlab's schema, with an account of every line.
 */
import { statSync } from "node:fs";
import type { DataFrame, LazyDataFrame } from "nodejs-polars";
import { InputError, invalidOption } from "../../errors";
import { checkTimeZone, toEpochMs } from "../../time";
import { checkReadable } from "../read-logs";
import { readLines, openText } from "../lines";
import type { ColumnMapping } from "../formats/generic";
import type { FrameFormat, Head, LogFormat, ReadContext, RecordReader } from "../formats/format";
import { FORMATS, LOG_FORMATS, findFormat } from "../formats/registry";
import { type IngestReport, type LineResult, RecordTable } from "./records";

export { LOG_FORMATS };

/** Options of {@link ingestLogs}. */
export interface IngestOptions {
  /** The file's format (one of {@link LOG_FORMATS}); recognised from the content when absent. */
  format?: string;
  /** Year of syslog timestamps, which carry none. Default: the latest year that puts no line after the file's modification time (with a warning). */
  year?: number;
  /** Time zone of local-time fields (syslog, Windows EventTime, naive ISO text). Default UTC. */
  tz?: string;
  /** Where a clock that counts from the start of a capture starts (Zeek's relative ts): a UTC date or ISO time. */
  start?: string;
  /** Column names of a CSV or JSON file mapped to event-schema names. */
  mapping?: ColumnMapping;
  /** Called with bytes read and the file's size, for a progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Lines longer than this are skipped and counted. Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * The most events one file may give (Default {@link DEFAULT_MAX_EVENTS}); a tenth of it may come
   * from lines that stand for many ("message repeated N times"). Over it, reading stops with an
   * error that names the limit: 175 KB of repeated lines must not become 15 million events.
   */
  maxEvents?: number;
}

/** The default of {@link IngestOptions.maxEvents}: ten million events, about 8 GB in memory. */
export const DEFAULT_MAX_EVENTS = 10_000_000;

/** Events and the account of how they were read. */
export interface Ingested {
  readonly events: DataFrame;
  readonly report: IngestReport;
}

/** Returns the first `bytes` of a file's text (decompressed when gzip). */
async function readHead(path: string, bytes: number): Promise<Buffer> {
  const { stream } = openText(path);
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= bytes) break;
    }
  } catch (error) {
    if (size === 0) throw new InputError({ file: path }, `the gzip data are truncated or corrupt (${(error as Error).message})`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/** Throws an {@link InputError} for UTF-16 text (as Windows tools often write), which is not read. */
function checkText(path: string, head: Buffer): void {
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (utf16) throw new InputError({ file: path }, "is UTF-16 text; threatlab reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)");
}

/** How much of a file is read to recognise its format. */
const SNIFF_BYTES = 65_536;

/** Returns the head a format's `sniff` sees: the first bytes, their lines, and the first 20 lines as JSON. */
function makeHead(bytes: Buffer): Head {
  const lines = bytes.toString("utf8").split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  const json = lines.slice(0, 20).map((line) => {
    if (!line.trimStart().startsWith("{")) return undefined;
    try {
      const o: unknown = JSON.parse(line);
      return typeof o === "object" && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  });
  return { bytes, lines, json };
}

/** Returns the formats' names, for messages. */
const formatList = (): string => LOG_FORMATS.join(", ");

/**
 * Returns the format of a file, recognised from its first 64 KiB by each format's own `sniff`, in
 * the order of {@link FORMATS}. Throws an {@link InputError} for an empty file, a binary file no
 * format claims, or content threatlab does not read.
 * @example
 * await sniffFormat("auth.log") // => "syslog"
 */
export async function sniffFormat(path: string): Promise<string> {
  return (await recognise(path)).name;
}

/** Returns the format of a file (see {@link sniffFormat}). */
async function recognise(path: string): Promise<LogFormat> {
  const bytes = await readHead(path, SNIFF_BYTES);
  if (bytes.length === 0) throw new InputError({ file: path }, "the file is empty (after decompression)");
  const head = makeHead(bytes);
  const binary = FORMATS.find((f) => f.binary && f.sniff(head));
  if (binary) return binary;
  checkText(path, bytes);
  if (bytes.includes(0)) throw new InputError({ file: path }, `is a binary file, not a log format threatlab reads (${formatList()})`);
  if (bytes.length === SNIFF_BYTES && !bytes.includes(0x0a)) {
    throw new InputError({ file: path, line: 1 }, `the first line is over ${SNIFF_BYTES / 1024} KiB long, too long to recognise the format; name it with --format (${formatList()}) to read the other lines`);
  }
  const found = FORMATS.find((f) => !f.binary && f.sniff(head));
  if (found) return found;
  const first = head.lines[0] ?? "";
  if (first.trimStart().startsWith("{")) {
    const o = head.json.find((j) => j !== undefined);
    if (o) throw new InputError({ file: path, line: 1 }, `JSON lines with keys ${Object.keys(o).slice(0, 8).join(", ")} are not a format threatlab recognises; for events use "timestamp", "log_type", "user_id", "ip_address", or --format ndjson with --map`);
    throw new InputError({ file: path, line: 1 }, "the first lines start like JSON but none parses (a JSON line cut in half?)");
  }
  throw new InputError({ file: path, line: 1 }, `not a format threatlab recognises (first line: ${JSON.stringify(first.slice(0, 80))}); choose one with --format (${formatList()})`);
}

/**
 * Returns a lazy frame over an events file that polars can scan — Parquet, or CSV in the
 * tutorial's format — checked in one streaming pass and then read in batches by each plan over it
 * (see {@link scanLogs}): the same events as {@link ingestLogs} gives, for files bigger than memory.
 * Other formats are parsed record by record into memory; `threatlab convert` turns them into Parquet.
 * @example
 * (await scanEvents("data/samples/vpn.parquet")).collectSync().height // => 574
 */
export async function scanEvents(path: string, options: Pick<IngestOptions, "format"> = {}): Promise<LazyDataFrame> {
  checkReadable(path, "");
  const format = options.format === undefined ? await recognise(path) : checkedFormat(options.format);
  if (format.kind === "frame") return format.scan(path);
  throw new InputError({ file: path }, `is ${format.name}, which is read whole, not scanned in batches (threatlab convert it to Parquet first)`);
}

/** Returns the format named by `--format`, or throws an OptionError listing the names. */
function checkedFormat(name: string): LogFormat {
  const format = findFormat(name);
  if (!format) throw invalidOption("format", name, formatList());
  return format;
}

/** Returns the events of a file polars reads (Parquet, the tutorial's CSV), with its account. */
function frameIngest(path: string, format: FrameFormat, sniffed: boolean): Ingested {
  let events: DataFrame;
  try {
    events = format.read(path);
  } catch (error) {
    if (error instanceof InputError || !(error instanceof Error)) throw error;
    // polars' own complaint about a file it cannot read as this format (a mangled header, a cut file).
    throw new InputError({ file: path }, `cannot be read as ${format.name}: ${error.message.split("\n")[0].slice(0, 200)}`);
  }
  const report: IngestReport = {
    file: path, format: format.name, sniffed, lines: events.height + format.headerLines, events: events.height, parsedLines: events.height,
    skippedLines: format.headerLines, unrecognisedLines: 0, malformedLines: 0, longLines: 0, duplicates: 0,
    clock: format.clock, warnings: [],
  };
  return { events, report };
}

/**
 * Returns the events of a log file and the account of its lines. Throws an {@link InputError} for
 * an empty or binary file, a truncated gzip, or a file in which no line could be read as the format.
 * @example
 * const { events, report } = await ingestLogs("auth.log", { year: 2024 });
 * describeIngest(report) // => "1,990 of 2,000 lines parsed into 2,412 events; 10 not recognised — first at line 17"
 */
export async function ingestLogs(path: string, options: IngestOptions = {}): Promise<Ingested> {
  const { year, tz, mapping = {}, onProgress, maxLineBytes, maxEvents = DEFAULT_MAX_EVENTS } = options;
  const size = checkReadable(path, "");
  const given = options.format === undefined ? undefined : checkedFormat(options.format);
  const zone = tz === undefined ? "UTC" : checkTimeZone("tz", tz);
  const start = options.start === undefined ? undefined : toEpochMs("start", options.start);
  const sniffed = given === undefined;
  const format = given ?? (await recognise(path));
  if (given?.kind === "text") {
    const head = await readHead(path, SNIFF_BYTES);
    checkText(path, head);
    if (head.includes(0)) throw new InputError({ file: path }, `is a binary file, not ${format.name} text`);
  }
  if (format.kind === "frame") return frameIngest(path, format, sniffed);

  const context: ReadContext = { file: path, zone, zoneGiven: tz !== undefined, year, start, modified: statSync(path).mtimeMs, mapping };
  const table = new RecordTable(path);
  const counts = { parsedLines: 0, skippedLines: 0, unrecognisedLines: 0, malformedLines: 0, longLines: 0 };
  let firstUnrecognised: IngestReport["firstUnrecognised"];
  let firstMalformed: IngestReport["firstMalformed"];
  const account = (result: LineResult, number: number, text: () => string): void => {
    if (result === "skipped") counts.skippedLines++;
    else if (result === "unrecognised") {
      counts.unrecognisedLines++;
      firstUnrecognised ??= { line: number, text: text().slice(0, 200) };
    } else if (!Array.isArray(result)) {
      counts.malformedLines++;
      firstMalformed ??= { line: number, reason: result.malformed };
    } else {
      counts.parsedLines++;
      extra += result.length - 1;
      if (table.length + result.length > maxEvents) {
        throw new InputError({ file: path, line: number }, `more than ${maxEvents.toLocaleString("en-US")} events, the limit for one file (raise it with --max-events N)`);
      }
      if (extra > maxEvents / 10) {
        throw new InputError({ file: path, line: number }, `lines that stand for many events ("message repeated N times") make more than ${(maxEvents / 10).toLocaleString("en-US")} events, a tenth of the limit for one file (raise it with --max-events N)`);
      }
      for (const r of result) table.add(r, number);
    }
  };
  let extra = 0;

  let lines: number;
  let reader: RecordReader<unknown>;
  if (format.kind === "binary") {
    const binaryReader = format.open(context);
    reader = binaryReader;
    lines = 0;
    for await (const r of format.records(path)) {
      lines++;
      if (typeof r === "object" && r !== null && "malformed" in r) account(r as { malformed: string }, lines, () => "");
      else account(binaryReader.read(r, lines), lines, () => JSON.stringify(r));
    }
    onProgress?.(size, size);
  } else {
    const textReader = format.open(context);
    reader = textReader as RecordReader<unknown>;
    lines = await readLines(path, {
      maxLineBytes,
      onProgress: onProgress ? (bytes) => onProgress(bytes, size) : undefined,
      onLine: (line, number) => account(line.trim() === "" ? "skipped" : textReader.read(line, number), number, () => line),
      onLongLine: (number, bytes) => {
        counts.longLines++;
        firstMalformed ??= { line: number, reason: `${bytes.toLocaleString("en-US")} bytes long, over the ${(maxLineBytes ?? 1 << 20).toLocaleString("en-US")}-byte limit` };
      },
    });
  }

  if (counts.parsedLines === 0) {
    const first = firstMalformed && (!firstUnrecognised || firstMalformed.line < firstUnrecognised.line) ? firstMalformed : undefined;
    const line = first?.line ?? firstUnrecognised?.line;
    const why = first ? first.reason : firstUnrecognised ? `not ${format.name}: ${JSON.stringify(firstUnrecognised.text.slice(0, 80))}` : format.name === "csv" || format.name === "zeek-tsv"
        ? "it has a header but no records"
        : `no ${format.name} record in it is of a kind threatlab turns into events (${counts.skippedLines.toLocaleString("en-US")} skipped)`;
    let hint = "";
    if (!sniffed) {
      try {
        const actual = await sniffFormat(path);
        if (actual !== format.name) hint = `; the content looks like ${actual} (try --format ${actual})`;
      } catch {
        // Nothing better to suggest.
      }
    }
    throw new InputError({ file: path, line }, `${why}; no ${format.kind === "binary" ? "record" : "line"} of ${lines.toLocaleString("en-US")} could be read as ${format.name}${hint}`);
  }

  const outcome = reader.finish(table);
  const events = table.toFrame();
  const report: IngestReport = {
    file: path, format: format.name, sniffed, unit: format.kind === "binary" ? "records" : "lines", skippedAre: format.skipped, lines, events: events.height, ...counts, firstUnrecognised, firstMalformed,
    duplicates: outcome.duplicates ?? 0, clock: outcome.clock, warnings: outcome.warnings ?? [],
  };
  return { events, report };
}
