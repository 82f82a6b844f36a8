/**
 * Ingestion: any supported log file (format given or recognised from its content, gzip read
 * transparently) into events in threatlab's schema, with an account of every line.
 */
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";
import { InputError, invalidOption } from "../../errors";
import { checkTimeZone } from "../../time";
import { checkReadable, isLazyFrame, lazyFrame, readLogs, readLogsParquet, scanLogs } from "../read-logs";
import { EVENT_COLUMNS, TUTORIAL_COLUMNS } from "../../schema";
import { readLines, openText } from "../lines";
import { type ColumnMapping, applyMapping, parseEventJsonLine, rowToRecord } from "./generic";
import { type IngestReport, type LineResult, RecordTable } from "./records";
import { looksLikeSyslog, parseSyslogLine, type SyslogContext } from "./syslog";
import { dropRepeatedValidations, flattenWindowsEvent, parseWindowsLine } from "./windows";
import { parseZeekJsonLine, zeekKind, ZeekTsvReader } from "./zeek";

/** The formats threatlab reads. */
export const LOG_FORMATS = ["tutorial-csv", "csv", "ndjson", "parquet", "syslog", "windows-json", "zeek-json", "zeek-tsv"] as const;

/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Options of {@link ingestLogs}. */
export interface IngestOptions {
  /** The file's format; recognised from the content when absent. */
  format?: string;
  /** Year of syslog timestamps, which carry none. Default: the current year (with a warning). */
  year?: number;
  /** Time zone of local-time fields (syslog, Windows EventTime, naive ISO text). Default UTC. */
  tz?: string;
  /** Column names of a CSV or JSON file mapped to event-schema names. */
  mapping?: ColumnMapping;
  /** Called with bytes read and the file's size, for a progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Lines longer than this are skipped and counted. Default 1 MiB. */
  maxLineBytes?: number;
}

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

/**
 * Returns the format of a file recognised from its first 64 KiB: Parquet magic, Zeek's `#fields`
 * header, JSON (Windows, Zeek or events), a syslog header, or CSV. Throws an {@link InputError} for
 * a binary file or a content threatlab does not read.
 */
export async function sniffFormat(path: string): Promise<LogFormat> {
  const head = await readHead(path, SNIFF_BYTES);
  if (head.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  if (head.length === 0) throw new InputError({ file: path }, "the file is empty (after decompression)");
  checkText(path, head);
  if (head.includes(0)) throw new InputError({ file: path }, "is a binary file, not a log format threatlab reads (" + LOG_FORMATS.join(", ") + ")");
  if (head.length === SNIFF_BYTES && !head.includes(0x0a)) {
    throw new InputError({ file: path, line: 1 }, `the first line is over ${SNIFF_BYTES / 1024} KiB long, too long to recognise the format; name it with --format (${LOG_FORMATS.join(", ")}) to read the other lines`);
  }
  const lines = head.toString("utf8").split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  const first = lines[0] ?? "";
  if (/^#(separator|fields|path)\b/.test(first)) return "zeek-tsv";
  if (first.trimStart().startsWith("{")) {
    for (const line of lines.slice(0, 20)) {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line);
      } catch {
        continue;
      }
      if (flattenWindowsEvent(o)) return "windows-json";
      if (zeekKind(o) !== undefined) return "zeek-json";
      if ("timestamp" in o) return "ndjson";
      throw new InputError({ file: path, line: 1 }, `JSON lines with keys ${Object.keys(o).slice(0, 8).join(", ")} are not a format threatlab recognises; for events use "timestamp", "log_type", "user_id", "ip_address", or --format ndjson with --map`);
    }
    throw new InputError({ file: path, line: 1 }, "the first lines start like JSON but none parses (a JSON line cut in half?)");
  }
  if (looksLikeSyslog(first)) return "syslog";
  if (first.includes(",")) {
    const header = first.replace(/^\uFEFF/, "").split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    return TUTORIAL_COLUMNS.every((c) => header.includes(c)) ? "tutorial-csv" : "csv";
  }
  throw new InputError({ file: path, line: 1 }, `not a format threatlab recognises (first line: ${JSON.stringify(first.slice(0, 80))}); choose one with --format (${LOG_FORMATS.join(", ")})`);
}

/** Splits one CSV line into fields (quotes within the line honoured). */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** The columns an events Parquet file must have: events need a time and a kind. */
const PARQUET_REQUIRED = ["timestamp", "log_type"];

/**
 * Returns the events of a Parquet file in the schema: the event columns it lacks are unknown (null)
 * exactly as in events read from text, so every format gives the detectors the same frame. Rows
 * read whole are numbered as `source_line`; a scan leaves it unknown, since numbering rows would
 * stop polars from pushing a rule's filters into the scan (it would read every row in full).
 */
function parquetEvents<F extends DataFrame | LazyDataFrame>(events: F, path: string): F {
  const integers = new Set(["destination_port", "bytes_out", "bytes_in", "bytes_transferred"]);
  let lazy = lazyFrame(events);
  if (!events.columns.includes("source_line") && !isLazyFrame(events)) lazy = lazy.withRowIndex("source_line", 1).withColumns(pl.col("source_line").cast(pl.Int64));
  const absent = EVENT_COLUMNS.filter((c) => !events.columns.includes(c));
  lazy = lazy.withColumns(...absent.map((c) => (c === "source_file" ? pl.lit(path) : pl.lit(null).cast(integers.has(c) ? pl.Int64 : pl.Utf8)).alias(c)));
  const extra = events.columns.filter((c) => !(EVENT_COLUMNS as readonly string[]).includes(c));
  lazy = lazy.select(...EVENT_COLUMNS, ...extra);
  return (isLazyFrame(events) ? lazy : lazy.collectSync()) as F;
}

/**
 * Returns a lazy frame over an events file that polars can scan — Parquet, or CSV in the
 * tutorial's format — checked in one streaming pass and then read in batches by each plan over it
 * (see {@link scanLogs}): the same events as {@link ingestLogs} gives, for files bigger than memory.
 * Other formats are parsed line by line into memory; `threatlab convert` turns them into Parquet.
 */
export async function scanEvents(path: string, options: Pick<IngestOptions, "format"> = {}): Promise<LazyDataFrame> {
  checkReadable(path, "");
  const format = options.format ?? (await sniffFormat(path));
  if (format === "tutorial-csv") return scanLogs(path);
  if (format === "parquet") return parquetEvents(scanLogs(path, { requiredColumns: PARQUET_REQUIRED }), path);
  throw new InputError({ file: path }, `is ${format}, which is read whole, not scanned in batches (threatlab convert it to Parquet first)`);
}

/** Returns the frame of an events file in the schema (Parquet or tutorial CSV), read whole by polars. */
function frameIngest(path: string, format: LogFormat, sniffed: boolean): Ingested {
  const events = format === "tutorial-csv" ? readLogs(path) : parquetEvents(readLogsParquet(path, { requiredColumns: PARQUET_REQUIRED }), path);
  const report: IngestReport = {
    file: path, format, sniffed, lines: events.height + (format === "tutorial-csv" ? 1 : 0), events: events.height, parsedLines: events.height,
    skippedLines: format === "tutorial-csv" ? 1 : 0, unrecognisedLines: 0, malformedLines: 0, longLines: 0, duplicates: 0,
    clock: "timestamps as written, read as UTC", warnings: [],
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
  const { year, tz, mapping = {}, onProgress, maxLineBytes } = options;
  const size = checkReadable(path, "");
  if (options.format !== undefined && !(LOG_FORMATS as readonly string[]).includes(options.format)) {
    throw invalidOption("format", options.format, LOG_FORMATS.join(", "));
  }
  const zone = tz === undefined ? "UTC" : checkTimeZone("tz", tz);
  const sniffed = options.format === undefined;
  const format = (options.format as LogFormat | undefined) ?? (await sniffFormat(path));
  if (!sniffed && format !== "parquet") {
    const head = await readHead(path, SNIFF_BYTES);
    checkText(path, head);
    if (head.includes(0)) throw new InputError({ file: path }, `is a binary file, not ${format} text`);
  }
  if (format === "parquet" || format === "tutorial-csv") return frameIngest(path, format, sniffed);

  const warnings: string[] = [];
  const assumedYear = year ?? new Date().getUTCFullYear();
  const syslog: SyslogContext = { year: assumedYear, zone };
  const zeekTsv = new ZeekTsvReader();
  let csvHeader: string[] | undefined;
  let sawYearless = false;
  const parse = (line: string): LineResult => {
    switch (format) {
      case "syslog": {
        if (!sawYearless && /^[A-Z][a-z]{2} /.test(line)) sawYearless = true;
        return parseSyslogLine(line, syslog);
      }
      case "windows-json":
        return parseWindowsLine(line, { zone: tz === undefined ? undefined : zone });
      case "zeek-json":
        return parseZeekJsonLine(line);
      case "zeek-tsv":
        return zeekTsv.parseLine(line);
      case "ndjson":
        return line.trim() === "" ? "skipped" : parseEventJsonLine(line, zone, mapping);
      case "csv": {
        if (line.trim() === "") return "skipped";
        const fields = splitCsvLine(line);
        if (!fields) return { malformed: "an unclosed quote" };
        if (!csvHeader) {
          csvHeader = fields.map((f) => f.replace(/^\uFEFF/, "").trim());
          const mapped = csvHeader.map((c) => mapping[c] ?? c);
          const missing = ["timestamp", "log_type"].filter((c) => !mapped.includes(c));
          if (missing.length > 0) throw new InputError({ file: path, line: 1 }, `missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} (name them in the header or map them with --map)`);
          return "skipped";
        }
        if (fields.length !== csvHeader.length) return { malformed: `expected ${csvHeader.length} fields, found ${fields.length}` };
        const row: Record<string, string> = {};
        csvHeader.forEach((c, i) => (row[c] = fields[i]));
        return rowToRecord(applyMapping(row, mapping), zone);
      }
    }
  };

  const table = new RecordTable(path);
  let parsedLines = 0;
  let skippedLines = 0;
  let unrecognisedLines = 0;
  let malformedLines = 0;
  let longLines = 0;
  let firstUnrecognised: IngestReport["firstUnrecognised"];
  let firstMalformed: IngestReport["firstMalformed"];
  const lines = await readLines(path, {
    maxLineBytes,
    onProgress: onProgress ? (bytes) => onProgress(bytes, size) : undefined,
    onLine: (line, number) => {
      const result = line.trim() === "" ? "skipped" : parse(line);
      if (result === "skipped") skippedLines++;
      else if (result === "unrecognised") {
        unrecognisedLines++;
        firstUnrecognised ??= { line: number, text: line.slice(0, 200) };
      } else if (!Array.isArray(result)) {
        malformedLines++;
        firstMalformed ??= { line: number, reason: result.malformed };
      } else {
        parsedLines++;
        for (const r of result) table.add(r, number);
      }
    },
    onLongLine: (number, bytes) => {
      longLines++;
      firstMalformed ??= { line: number, reason: `${bytes.toLocaleString("en-US")} bytes long, over the ${(maxLineBytes ?? 1 << 20).toLocaleString("en-US")}-byte limit` };
    },
  });

  if (parsedLines === 0) {
    const first = firstMalformed && (!firstUnrecognised || firstMalformed.line < firstUnrecognised.line) ? firstMalformed : undefined;
    const line = first?.line ?? firstUnrecognised?.line;
    const why = first ? first.reason : firstUnrecognised ? `not ${format}: ${JSON.stringify(firstUnrecognised.text.slice(0, 80))}` : format === "csv" || format === "zeek-tsv"
        ? "it has a header but no records"
        : `no ${format} record in it is of a kind threatlab turns into events (${skippedLines.toLocaleString("en-US")} skipped)`;
    let hint = "";
    if (!sniffed) {
      try {
        const actual = await sniffFormat(path);
        if (actual !== format) hint = `; the content looks like ${actual} (try --format ${actual})`;
      } catch {
        // Nothing better to suggest.
      }
    }
    throw new InputError({ file: path, line }, `${why}; no line of ${lines.toLocaleString("en-US")} could be read as ${format}${hint}`);
  }

  let duplicates = 0;
  if (format === "windows-json") {
    const drop = dropRepeatedValidations(table.records());
    duplicates = drop.size;
    if (duplicates > 0) {
      let i = 0;
      table.filter(() => !drop.has(i++));
    }
  }
  if (format === "syslog" && sawYearless && year === undefined) {
    warnings.push(`syslog timestamps carry no year; assumed ${assumedYear} (set it with --year)`);
  }
  const clock =
    format === "syslog"
      ? `syslog time${sawYearless ? ` (year ${assumedYear}${year === undefined ? ", assumed" : ""})` : ""} read as ${zone}${zone === "UTC" ? "" : ", converted to UTC"}`
      : format === "windows-json"
        ? tz === undefined ? "@timestamp (UTC, collector time); set --tz to use the host's EventTime" : `EventTime (host local time) in ${zone}, converted to UTC`
        : format.startsWith("zeek") ? "Zeek ts (epoch seconds, UTC)" : `timestamps with an offset as given; without one, read as ${zone}`;
  const events = table.toFrame();
  const report: IngestReport = {
    file: path, format, sniffed, lines, events: events.height, parsedLines, skippedLines, unrecognisedLines, firstUnrecognised,
    malformedLines, firstMalformed, longLines, duplicates, clock, warnings,
  };
  return { events, report };
}
