/**
 * Reading log files in the event schema, with validation that says exactly what is wrong and where.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { extname } from "node:path";
import pl, { type DataFrame, type DataType, type Expr, type LazyDataFrame } from "nodejs-polars";
import { collectStreaming } from "../shared/frame";
import { InputError, describeFsError } from "../errors";
import { TUTORIAL_COLUMNS } from "../schema";
import { parseUtc } from "../time";
import { csvRecords, type CsvRecord } from "./csv-scan";

/** Options of {@link readLogs} and {@link readLogsCsv}. */
export interface ReadLogsOptions {
  /** Columns the file must have; any others are kept as text. Default: the tutorial's seven. */
  requiredColumns?: readonly string[];
  /**
   * Text columns to return as polars `Categorical` instead of `String`: for columns of few distinct
   * values (`log_type`, `threat_level`), smaller to hold and several times faster to count. The
   * values and every check are the same. Default: none.
   */
  categorical?: readonly string[];
}

/** The columns of `options.categorical` that `columns` has, other than the two typed ones. */
function categoricalOf(options: ReadLogsOptions, columns: readonly string[]): string[] {
  return (options.categorical ?? []).filter((c) => columns.includes(c) && c !== "timestamp" && c !== "bytes_transferred");
}

/** Casts the columns of `options.categorical` that `columns` has to `Categorical`. */
const asCategorical = (options: ReadLogsOptions, columns: readonly string[]): Expr[] => categoricalOf(options, columns).map((c) => pl.col(c).cast(pl.Categorical));

/** What a valid timestamp looks like, for error messages. */
const TIMESTAMP_EXAMPLE = "2025-01-31 13:00:00";
const TIMESTAMP_PATTERN = String.raw`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$`;
const TIMESTAMP_RE = new RegExp(TIMESTAMP_PATTERN);
const WHOLE_NUMBER_PATTERN = String.raw`^\d+$`;
/** Columns the fast path adds for a moment, named so that they cannot clash with a log's. */
const MISFITS = ["\u0000timestamp misfits", "\u0000bytes misfits"] as const;
/** The one timestamp layout of the fast path (the generator's and the tutorial's). */
const FAST_TIMESTAMP_PATTERN = String.raw`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`;
const WHOLE_NUMBER_RE = new RegExp(WHOLE_NUMBER_PATTERN);

/**
 * A check on one column: a polars expression true where a value is bad, and the same test in
 * TypeScript that explains a bad value once polars has found the row.
 */
interface ColumnCheck {
  readonly column: string;
  bad(c: Expr): Expr;
  explain(value: string): string | undefined;
}

const isTimestamp = (v: string): boolean => TIMESTAMP_RE.test(v) && parseUtc(v) !== undefined;

const CHECKS: readonly ColumnCheck[] = [
  {
    column: "timestamp",
    bad: (c) => c.str.contains(TIMESTAMP_PATTERN).not().or(parseTimestamp(c).isNull()),
    explain: (v) => (isTimestamp(v) ? undefined : `expected a timestamp like ${TIMESTAMP_EXAMPLE}, got ${quote(v)}`),
  },
  {
    column: "bytes_transferred",
    bad: (c) => c.str.contains(WHOLE_NUMBER_PATTERN).not().or(c.cast(pl.Int64, false).isNull()),
    explain: (v) =>
      !WHOLE_NUMBER_RE.test(v) || !Number.isSafeInteger(Number(v))
        ? `expected a whole number of bytes ≥ 0, got ${quote(v)}`
        : undefined,
  },
];

/**
 * Returns an expression that parses text to `Datetime("ms")` with exactly `format`, and throws on
 * any value that does not match it whole (polars' `strict` and `exact`), caching repeated values.
 * nodejs-polars' public `strptime` sets neither, so this calls the same native function with them;
 * a test pins the behaviour, so an upgrade that changes it fails loudly.
 */
export function strictDatetime(text: Expr, format: string): Expr {
  const native = (text as unknown as { _expr: { strToDatetime(...args: unknown[]): unknown } })._expr;
  const { _Expr } = require("nodejs-polars/bin/lazy/expr") as { _Expr(native: unknown): Expr };
  return _Expr(native.strToDatetime(format, "ms", undefined, true, true, true));
}

/** Returns the expression that parses `YYYY-MM-DD[ T]HH:MM:SS[.f]` text to `Datetime("ms")`. */
function parseTimestamp(c: Expr): Expr {
  return c.str.replace("T", " ").str.strptime(pl.Datetime("ms"), "%Y-%m-%d %H:%M:%S%.f").cast(pl.Datetime("ms"));
}

/** Returns a value shown in an error message: quoted, and cut short if long. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/**
 * Returns the logs in a file as a polars DataFrame in the event schema: a `.parquet` file is read
 * as Parquet, anything else as CSV (see {@link readLogsCsv}).
 * @example
 * readLogs("data/sample_logs.csv").height // => 1000
 */
export function readLogs(path: string, options: ReadLogsOptions = {}): DataFrame {
  return extname(path).toLowerCase() === ".parquet" ? readLogsParquet(path, options) : readLogsCsv(path, options);
}

/** The polars dtype families accepted for typed columns in Parquet files. */
const INTEGER_TYPES = new Set(["Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"]);

/**
 * Returns the logs in a Parquet file, checked like a CSV: the required columns present,
 * `timestamp` a datetime or date column, `bytes_transferred` whole numbers ≥ 0, no missing values.
 * Problems are reported by row (1-based) and column.
 */
export function readLogsParquet(path: string, options: ReadLogsOptions = {}): DataFrame {
  return scanLogsParquet(path, options, (plan) => plan.collectSync(), true).collectSync();
}

/**
 * Returns a lazy frame over a log file in the tutorial's format (CSV or Parquet), checked like
 * {@link readLogs} without holding the file in memory: the checks run as one streaming pass, and
 * the frame reads the file again, in batches, each time a plan over it is collected. For files
 * bigger than memory; Parquet is much faster to scan than CSV (`threatlab convert`).
 * @example
 * scanLogs("data/sample_logs.csv").select(pl.len()).collectSync().row(0)[0] // => 1000
 */
export function scanLogs(path: string, options: ReadLogsOptions = {}): LazyDataFrame {
  return extname(path).toLowerCase() === ".parquet" ? scanLogsParquet(path, options, collectStreaming, false) : scanLogsCsv(path, options, collectStreaming);
}

/**
 * The Parquet side of {@link readLogsParquet} and {@link scanLogs}; `collect` runs the check.
 * `inMemory` reads the file once and checks the frame; otherwise the file is scanned, and read
 * again by each plan over the result.
 */
function scanLogsParquet(path: string, options: ReadLogsOptions, collect: (plan: LazyDataFrame) => DataFrame, inMemory: boolean): LazyDataFrame {
  const required = options.requiredColumns ?? TUTORIAL_COLUMNS;
  checkReadable(path);
  let scan: LazyDataFrame;
  let schema: Record<string, DataType>;
  try {
    scan = inMemory ? pl.readParquet(path).lazy() : pl.scanParquet(path);
    schema = scan.head(0).collectSync().schema;
  } catch (error) {
    throw new InputError({ file: path }, `not a readable Parquet file (${firstLine(error)})`);
  }
  const columns = Object.keys(schema);
  checkColumns(path, columns, required, undefined, "columns");
  const kind = (column: string): string => schema[column].variant;
  if (columns.includes("timestamp") && !["Datetime", "Date"].includes(kind("timestamp"))) {
    throw new InputError({ file: path, column: "timestamp" }, `expected a datetime column, found ${kind("timestamp")}`);
  }
  if (columns.includes("bytes_transferred") && !INTEGER_TYPES.has(kind("bytes_transferred"))) {
    throw new InputError({ file: path, column: "bytes_transferred" }, `expected a column of whole numbers, found ${kind("bytes_transferred")}`);
  }
  const bad = pl.anyHorizontal([
    ...required.map((c) => pl.col(c).isNull()),
    ...(columns.includes("bytes_transferred") ? [pl.col("bytes_transferred").lt(0)] : []),
  ]);
  const checked = [...new Set([...required, ...(columns.includes("bytes_transferred") ? ["bytes_transferred"] : [])])];
  const problems = collect(scan.select(...checked).withRowIndex("row", 1).filter(bad).head(1)).toRecords();
  if (problems.length > 0) {
    const first = problems[0];
    const column = required.find((c) => first[c] === null) ?? "bytes_transferred";
    const problem = first[column] === null ? "expected a value, found null" : `expected a whole number of bytes ≥ 0, got ${first[column]}`;
    throw new InputError({ file: path, column }, `row ${first.row}: ${problem}`);
  }
  return scan.withColumns(
    ...(columns.includes("timestamp") ? [pl.col("timestamp").cast(pl.Datetime("ms"))] : []),
    ...(columns.includes("bytes_transferred") ? [pl.col("bytes_transferred").cast(pl.Int64)] : []),
    ...asCategorical(options, columns),
  );
}

/**
 * The CSV side of {@link scanLogs}: the header checked as {@link readLogsCsv} does, then one
 * streaming pass counts the values it would refuse. Blank lines are dropped, as pandas does;
 * anything else is located by the line scanner and reported with its line.
 */
function scanLogsCsv(path: string, options: ReadLogsOptions, collect: (plan: LazyDataFrame) => DataFrame): LazyDataFrame {
  const required = options.requiredColumns ?? TUTORIAL_COLUMNS;
  checkReadable(path);
  const header = readHeader(path);
  checkColumns(path, header, required, 1, "a header naming");
  const raw = pl.scanCSV(path, { inferSchemaLength: 0, hasHeader: true, truncateRaggedLines: false });
  const checks = CHECKS.filter((c) => header.includes(c.column));
  const bad = pl.anyHorizontal([...required.map((c) => pl.col(c).isNull()), ...checks.map((c) => c.bad(pl.col(c.column)))]);
  const blank = pl.allHorizontal(header.map((c) => pl.col(c).isNull()));
  let counts: number[];
  try {
    counts = collect(raw.select(bad.and(blank.not()).cast(pl.UInt32).sum().alias("bad"), blank.cast(pl.UInt32).sum().alias("blank"))).row(0) as number[];
  } catch (error) {
    throw locateProblem(path, header, required) ?? new InputError({ file: path }, `not readable as CSV (${firstLine(error)})`);
  }
  if (counts[0] > 0) {
    throw locateProblem(path, header, required) ?? new InputError({ file: path }, "a data row is not readable as the tutorial's CSV");
  }
  return (counts[1] > 0 ? raw.filter(blank.not()) : raw).withColumns(
    ...(header.includes("timestamp") ? [parseTimestamp(pl.col("timestamp")).alias("timestamp")] : []),
    ...(header.includes("bytes_transferred") ? [pl.col("bytes_transferred").cast(pl.Int64).alias("bytes_transferred")] : []),
    ...asCategorical(options, header),
  );
}

/**
 * Returns the logs in a CSV file in the tutorial's format (a header line, then one event per line)
 * as a polars DataFrame: `timestamp` as `Datetime("ms")` (the written wall-clock time, as UTC),
 * `bytes_transferred` as `Int64`, other columns as text. Blank lines are skipped, as pandas does.
 *
 * Throws an {@link InputError} naming the file, the line and the column for: a missing or empty
 * file, a header without a required column, a row with too few or too many fields, an empty
 * required value, an unparsable timestamp, or a byte count that is not a whole number ≥ 0.
 * @example
 * readLogsCsv("data/sample_logs.csv").select("timestamp", "bytes_transferred").head(1)
 * // ┌─────────────────────┬───────────────────┐
 * // │ timestamp           ┆ bytes_transferred │
 * // │ datetime[ms]        ┆ i64               │
 * // ╞═════════════════════╪═══════════════════╡
 * // │ 2025-01-21 12:00:00 ┆ 421054            │
 * // └─────────────────────┴───────────────────┘
 */
export function readLogsCsv(path: string, options: ReadLogsOptions = {}): DataFrame {
  const required = options.requiredColumns ?? TUTORIAL_COLUMNS;
  checkReadable(path);
  const header = readHeader(path);
  checkColumns(path, header, required, 1, "a header naming");

  const clean = readCleanCsv(path, header, required, categoricalOf(options, header));
  if (clean) return clean;
  let raw: DataFrame;
  try {
    raw = pl.readCSV(path, { inferSchemaLength: 0, truncateRaggedLines: false, hasHeader: true });
  } catch (error) {
    throw locateProblem(path, header, required) ?? new InputError({ file: path }, `not readable as CSV (${firstLine(error)})`);
  }

  const checks = CHECKS.filter((c) => header.includes(c.column));
  const missing = pl.anyHorizontal(required.map((c) => pl.col(c).isNull()));
  const invalid = checks.map((c) => c.bad(pl.col(c.column)));
  const bad = pl.anyHorizontal([missing, ...invalid]);
  const flagged: number = raw.select(bad.cast(pl.UInt32).sum().alias("n")).row(0)[0];
  let valid = raw;
  if (flagged > 0) {
    // Rows of nulls may be blank lines, which are skipped; anything else is an error.
    const problem = locateProblem(path, header, required);
    if (problem) throw problem;
    valid = raw.filter(pl.allHorizontal(header.map((c) => pl.col(c).isNull())).not());
    // Should polars and the scanner ever read a record differently, still never pass bad rows on.
    const left = valid.withRowIndex("row", 1).filter(bad).head(1).toRecords();
    if (left.length > 0) throw new InputError({ file: path }, `data row ${left[0].row}: not readable as the tutorial's CSV`);
  }
  return valid.withColumns(
    ...(header.includes("timestamp") ? [parseTimestamp(pl.col("timestamp")).alias("timestamp")] : []),
    ...(header.includes("bytes_transferred") ? [pl.col("bytes_transferred").cast(pl.Int64).alias("bytes_transferred")] : []),
    ...asCategorical(options, header),
  );
}

/**
 * The fast path of {@link readLogsCsv}, for a file with nothing wrong in it: every column read as
 * text in one pass, timestamps checked against the one layout `YYYY-MM-DD HH:MM:SS` and parsed
 * strictly, byte counts checked as digits. Returns `undefined` at the first sign of anything else — another timestamp
 * layout (a "T", fractions of a second), an empty field, a blank line, a byte count that is not
 * digits — and the careful path then reads the file, accepts what it accepts, skips what pandas
 * skips and names what is wrong. Both paths accept and return the same things.
 */
function readCleanCsv(path: string, header: readonly string[], required: readonly string[], categorical: readonly string[]): DataFrame | undefined {
  if (!header.includes("timestamp") || !header.includes("bytes_transferred")) return undefined;
  let frame: DataFrame;
  try {
    // Categorical columns are read as such: the reader builds each distinct value once.
    const dtypes = Object.fromEntries(categorical.map((c) => [c, pl.Categorical]));
    frame = pl.readCSV(path, { hasHeader: true, inferSchemaLength: 0, truncateRaggedLines: false, dtypes });
    if (frame.width !== header.length) return undefined;
    // Null counts are kept with each column (free).
    const nulls = frame.select(...required).nullCount().row(0) as number[];
    if (frame.height === 0 || nulls.some((n) => n > 0)) return undefined;
    // One select, its expressions side by side: the typed columns, and how many values are not in
    // the layout (a count broadcast down the frame). Strict parsing and casting throw on a day that
    // does not exist or a count too big for 64 bits.
    const timestamp = pl.col("timestamp");
    const bytes = pl.col("bytes_transferred");
    const typed = frame.select(
      ...header.map((c) =>
        c === "timestamp" ? strictDatetime(timestamp, "%Y-%m-%d %H:%M:%S").alias(c) : c === "bytes_transferred" ? bytes.cast(pl.Int64, true).alias(c) : pl.col(c),
      ),
      timestamp.str.contains(FAST_TIMESTAMP_PATTERN).not().sum().alias(MISFITS[0]),
      bytes.str.contains(WHOLE_NUMBER_PATTERN).not().sum().alias(MISFITS[1]),
    );
    const [timestampMisfits, bytesMisfits] = MISFITS.map((c) => typed.getColumn(c).get(0) as number);
    return timestampMisfits === 0 && bytesMisfits === 0 ? typed.drop(...MISFITS) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the size of `path` in bytes; throws an {@link InputError} unless it is a non-empty
 * regular file (`emptyHint` says what the file should have held).
 */
export function checkReadable(path: string, emptyHint = `expected a header line naming ${TUTORIAL_COLUMNS.join(",")}`): number {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new InputError({ file: path }, "is a directory, expected a log file");
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file: path }, code === "ENOENT" ? "no such file" : `cannot be read: ${describeFsError(error)}`);
  }
  if (size === 0) throw new InputError({ file: path }, `the file is empty${emptyHint ? ` (${emptyHint})` : ""}`);
  return size;
}

/** Returns the column names on the first line, after checking that the file is text. */
function readHeader(path: string): string[] {
  const fd = openSync(path, "r");
  const head = Buffer.alloc(65536);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  if (head.subarray(0, n).includes(0)) {
    throw new InputError({ file: path }, "is a binary file, expected CSV text");
  }
  const first = csvRecords(path).next();
  return first.done ? [] : first.value.fields;
}

/** The most columns a CSV of events may have: a log has tens; a million-column header is an attack on the reader. */
export const MAX_COLUMNS = 1000;

/** Throws an {@link InputError} when a required column is missing or a name is repeated. */
function checkColumns(path: string, columns: readonly string[], required: readonly string[], line: number | undefined, expected: string): void {
  if (columns.length > MAX_COLUMNS) throw new InputError({ file: path, line }, `has ${columns.length.toLocaleString("en-US")} columns; threatlab reads files of at most ${MAX_COLUMNS.toLocaleString("en-US")} (expected ${expected} ${required.join(",")})`);
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const names = missing.map((c) => `"${c}"`).join(", ");
    throw new InputError(
      { file: path, line },
      `missing column${missing.length > 1 ? "s" : ""} ${names} (expected ${expected} ${required.join(",")})`,
    );
  }
  const seen = new Set<string>();
  const repeated = columns.find((c) => seen.size === seen.add(c).size);
  if (repeated !== undefined) throw new InputError({ file: path, line }, `column "${repeated}" appears twice`);
}

/**
 * Returns an {@link InputError} for the first bad record in the file, or `undefined` when every
 * record is well formed (blank lines are allowed). Scans the file in TypeScript: error path only.
 */
function locateProblem(path: string, header: readonly string[], required: readonly string[]): InputError | undefined {
  for (const record of csvRecords(path)) {
    if (record.index === 0 || record.blank) continue;
    const error = describeRecord(path, record, header, required);
    if (error) return error;
  }
  return undefined;
}

/** Returns an {@link InputError} for one record, or `undefined` when it is valid. */
function describeRecord(path: string, record: CsvRecord, header: readonly string[], required: readonly string[]): InputError | undefined {
  const { fields, line } = record;
  if (fields.length !== header.length) {
    const kind = fields.length < header.length ? "too few" : "too many";
    return new InputError({ file: path, line }, `expected ${header.length} fields, found ${fields.length} (${kind} fields in this row)`);
  }
  for (const column of required) {
    const value = fields[header.indexOf(column)];
    if (value === "") return new InputError({ file: path, line, column }, "expected a value, found an empty field");
    const problem = CHECKS.find((c) => c.column === column)?.explain(value);
    if (problem) return new InputError({ file: path, line, column }, problem);
  }
  return undefined;
}

/** Returns the first line of an error's message. */
function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
