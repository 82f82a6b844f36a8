/**
 * What every log parser produces: records in the event schema, collected in plain arrays and
 * turned into one polars DataFrame, and the account of what was and was not parsed.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { EVENT_COLUMNS } from "../../schema";

/** One event read from a log line. Times are UTC epoch milliseconds. */
export interface LogRecord {
  time: number;
  user: string | null;
  /** login_success, login_failed, file_access, system_call or network_traffic where one fits; else the format's own word (invalid_user, session_open, disconnect, …). */
  logType: string;
  /** The source: an IP address, or a host or workstation name. */
  source: string | null;
  outcome: "success" | "failure" | null;
  host: string | null;
  destination: string | null;
  destinationPort: number | null;
  service: string | null;
  bytesOut: number | null;
  bytesIn: number | null;
  country: string | null;
  eventCode: string | null;
  detail: string | null;
  /**
   * The source record's own fields as JSON text (syslog's host, program, pid and message; a
   * Windows event's data…), for rules that match fields threatlab does not normalise. Text, made
   * once per record and shared by the events it stands for.
   */
  sourceFields: string | null;
  /** Ground truth the source carries (a labelled capture's per-flow label): never shown to a detector. */
  label: string | null;
  labelDetail: string | null;
}

/** Returns a record with every optional field null. */
export function record(time: number, logType: string, fields: Partial<LogRecord> = {}): LogRecord {
  return {
    time, logType, user: null, source: null, outcome: null, host: null, destination: null, destinationPort: null, service: null,
    bytesOut: null, bytesIn: null, country: null, eventCode: null, detail: null, sourceFields: null, label: null, labelDetail: null, ...fields,
  };
}

/** Collects records with the file and line they came from. */
export class RecordTable {
  private readonly rows: { r: LogRecord; line: number }[] = [];

  constructor(private readonly file: string) {}

  get length(): number {
    return this.rows.length;
  }

  add(r: LogRecord, line: number): void {
    this.rows.push({ r, line });
  }

  /** Keeps only the rows for which `keep` is true. */
  filter(keep: (r: LogRecord, line: number) => boolean): void {
    const kept = this.rows.filter(({ r, line }) => keep(r, line));
    this.rows.length = 0;
    this.rows.push(...kept);
  }

  /** Returns the records. */
  records(): readonly { r: LogRecord; line: number }[] {
    return this.rows;
  }

  /** Returns the events as a DataFrame with {@link EVENT_COLUMNS}, sorted by time (stable). */
  toFrame(): DataFrame {
    const col = <T>(f: (row: { r: LogRecord; line: number }) => T): T[] => this.rows.map(f);
    const bytes = (r: LogRecord): number | null => (r.bytesOut === null && r.bytesIn === null ? null : (r.bytesOut ?? 0) + (r.bytesIn ?? 0));
    const text = (name: string, values: (string | null)[]) => pl.Series(name, values, pl.Utf8);
    const ints = (name: string, values: (number | null)[]) => pl.Series(name, values, pl.Float64).cast(pl.Int64);
    const frame = pl.DataFrame([
      pl.Series("timestamp", col(({ r }) => r.time), pl.Float64).cast(pl.Int64).cast(pl.Datetime("ms")),
      text("user_id", col(({ r }) => r.user)),
      text("log_type", col(({ r }) => r.logType)),
      text("ip_address", col(({ r }) => r.source)),
      text("outcome", col(({ r }) => r.outcome)),
      text("host", col(({ r }) => r.host)),
      text("destination", col(({ r }) => r.destination)),
      ints("destination_port", col(({ r }) => r.destinationPort)),
      text("service", col(({ r }) => r.service)),
      ints("bytes_out", col(({ r }) => r.bytesOut)),
      ints("bytes_in", col(({ r }) => r.bytesIn)),
      ints("bytes_transferred", col(({ r }) => bytes(r))),
      text("country", col(({ r }) => r.country)),
      text("event_code", col(({ r }) => r.eventCode)),
      text("detail", col(({ r }) => r.detail)),
      text("source_fields", col(({ r }) => r.sourceFields)),
      text("source_file", col(() => this.file)),
      ints("source_line", col(({ line }) => line)),
    ]);
    const labelled = this.rows.some(({ r }) => r.label !== null);
    const labels = labelled ? [text("source_label", col(({ r }) => r.label)), text("source_label_detail", col(({ r }) => r.labelDetail))] : [];
    return frame.withColumns(...labels).select(...EVENT_COLUMNS, ...labels.map((s) => s.name)).sort({ by: ["timestamp", "source_line"] });
  }
}

/** How one line fared. */
export type LineResult = LogRecord[] | "skipped" | "unrecognised" | { malformed: string };

/**
 * Parses a JSON line that should hold one object. Returns `[object]`, or `[undefined, result]`:
 * malformed when the line is not JSON, `notObject` when it is JSON but not an object.
 */
export function parseJsonObject(line: string, notObject: LineResult): [Record<string, unknown>] | [undefined, LineResult] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return [undefined, { malformed: `not JSON: ${(error as Error).message.split("\n")[0]}` }];
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? [value as Record<string, unknown>] : [undefined, notObject];
}

/** The account of an ingestion: how many lines became events, and why the others did not. */
export interface IngestReport {
  readonly file: string;
  readonly format: string;
  /** True when the format was recognised from the content rather than given with --format. */
  readonly sniffed: boolean;
  /** What the file is made of: lines of text, or records of a binary format (.evtx). Default lines. */
  readonly unit?: "lines" | "records";
  readonly lines: number;
  readonly events: number;
  /** Lines that became one or more events. */
  readonly parsedLines: number;
  /** What the skipped lines are (default "recognised, not events"). */
  readonly skippedAre?: string;
  /** Lines of the format that threatlab reads but does not turn into events (other Windows event ids, …). */
  readonly skippedLines: number;
  readonly unrecognisedLines: number;
  readonly firstUnrecognised?: { readonly line: number; readonly text: string };
  readonly malformedLines: number;
  readonly firstMalformed?: { readonly line: number; readonly reason: string };
  readonly longLines: number;
  /** Events dropped because another event already records the same attempt (Windows 4776 after 4625). */
  readonly duplicates: number;
  /** Which clock the timestamps came from, in words. */
  readonly clock: string;
  readonly warnings: readonly string[];
}

/**
 * Returns the one-line account of an ingestion, e.g. "1,990 of 2,000 lines parsed; 10 not
 * recognised — first at line 17".
 * @example
 * describeIngest((await ingestLogs("data/samples/auth.log", { year: 2026 })).report) // => "2,088 of 2,088 lines parsed into 2,274 events"
 */
export function describeIngest(report: IngestReport): string {
  const n = (x: number): string => x.toLocaleString("en-US");
  const parts = [`${n(report.parsedLines)} of ${n(report.lines)} ${report.unit ?? "lines"} parsed into ${n(report.events)} events`];
  if (report.skippedLines > 0) parts.push(`${n(report.skippedLines)} skipped (${report.skippedAre ?? "recognised, not events"})`);
  const at = report.unit === "records" ? "record" : "line";
  if (report.unrecognisedLines > 0) parts.push(`${n(report.unrecognisedLines)} not recognised — first at ${at} ${report.firstUnrecognised?.line}`);
  if (report.malformedLines > 0) parts.push(`${n(report.malformedLines)} malformed — first at ${at} ${report.firstMalformed?.line} (${report.firstMalformed?.reason})`);
  if (report.longLines > 0) parts.push(`${n(report.longLines)} too long to read`);
  if (report.duplicates > 0) parts.push(`${n(report.duplicates)} duplicate events dropped`);
  return parts.join("; ");
}
