/**
 * Events already in threatlab's schema, as JSON lines or CSV, with an optional mapping for files
 * whose column names differ (`--map time=timestamp,src=ip_address`).
 */
import { InputError, invalidOption } from "../../errors";
import { EVENT_COLUMNS, TUTORIAL_COLUMNS, labelColumns } from "../../schema";
import { epochSecondsToMs, isoToUtc } from "../ingest/json-time";
import { inTimeRange } from "../../time";
import { splitCsvLine } from "../csv-scan";
import { MAX_COLUMNS } from "../read-logs";
import { type LineResult, type LogRecord, parseJsonObject, record } from "../ingest/records";
import { type ReadContext, type RecordReader, type TextFormat, firstJson, simpleReader } from "./format";

/** Maps a file's own column names to event-schema names. */
export type ColumnMapping = Readonly<Record<string, string>>;

/**
 * Returns the mapping written as `from=to,from=to`, checking that every target is an event column.
 * @example
 * parseColumnMapping("time=timestamp,src=ip_address") // => { time: "timestamp", src: "ip_address" }
 */
export function parseColumnMapping(text: string): ColumnMapping {
  const mapping: Record<string, string> = Object.create(null);
  for (const pair of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [from, to, ...extra] = pair.split("=").map((s) => s.trim());
    if (!from || !to || extra.length > 0) throw invalidOption("map", pair, "from=to pairs separated by commas, e.g. time=timestamp,src=ip_address");
    if (!(EVENT_COLUMNS as readonly string[]).includes(to) && to !== "location" && to !== "threat_level") {
      throw invalidOption("map", to, `an event column: ${EVENT_COLUMNS.join(", ")}`);
    }
    mapping[from] = to;
  }
  return mapping;
}

type Row = Record<string, unknown>;

const text = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** Returns a time in epoch ms from ISO text (naive text in `zone`), epoch seconds, or epoch ms. */
export function eventTime(v: unknown, zone: string): number | null {
  if (typeof v === "number" || (typeof v === "string" && /^\d+(\.\d+)?$/.test(v))) {
    const n = Number(v);
    // Epoch milliseconds are 13 digits in this century; seconds are 10.
    return n > 1e11 ? (inTimeRange(Math.round(n)) ?? null) : epochSecondsToMs(n);
  }
  return isoToUtc(v, zone);
}

/** The event fields a row may carry: each is text or a number, never an object or a list. */
const SCALAR_FIELDS = ["timestamp", "log_type", "user_id", "ip_address", "outcome", "host", "destination", "destination_port", "service", "bytes_out", "bytes_in", "bytes_transferred", "country", "event_code", "detail"] as const;
/** The fields that count something: never negative. */
const COUNT_FIELDS = ["bytes_out", "bytes_in", "bytes_transferred"] as const;

/** Returns why a row's fields cannot be an event's (an object where text belongs, a negative count, a port past 65535), or undefined. */
function badField(row: Row): string | undefined {
  for (const k of SCALAR_FIELDS) {
    const v = row[k];
    if (v !== null && typeof v === "object") return `${k} holds ${Array.isArray(v) ? "a list" : "an object"}, expected text or a number`;
  }
  for (const k of COUNT_FIELDS) {
    const n = num(row[k]);
    if (n !== null && n < 0) return `${k} is negative (${n}), expected a count of bytes`;
  }
  const port = num(row.destination_port);
  if (port !== null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) return `destination_port ${port} is not a port number (0–65535)`;
  return undefined;
}

/** Turns one row (already keyed by event-schema names) into a record, or explains what is wrong. */
export function rowToRecord(row: Row, zone: string): LineResult {
  const bad = badField(row);
  if (bad) return { malformed: bad };
  if (row.timestamp === undefined || row.timestamp === null || row.timestamp === "") return { malformed: "no timestamp" };
  const time = eventTime(row.timestamp, zone);
  if (time === null) return { malformed: `timestamp ${JSON.stringify(row.timestamp)} is not ISO-8601 or epoch seconds` };
  const logType = text(row.log_type);
  if (!logType) return { malformed: "no log_type" };
  const fields: Partial<LogRecord> = {
    user: text(row.user_id),
    source: text(row.ip_address),
    outcome: row.outcome === "success" || row.outcome === "failure" ? row.outcome : null,
    host: text(row.host),
    destination: text(row.destination),
    destinationPort: num(row.destination_port),
    service: text(row.service),
    bytesOut: num(row.bytes_out) ?? (row.bytes_in === undefined ? num(row.bytes_transferred) : null),
    bytesIn: num(row.bytes_in),
    country: text(row.country),
    eventCode: text(row.event_code),
    detail: text(row.detail),
    sourceFields: JSON.stringify(withoutLabelFields(row)),
  };
  return [record(time, logType, fields)];
}

/** Returns a row without its ground-truth fields (`threat_level`, `attack_id`, …): those are never an event's. */
function withoutLabelFields(row: Row): Row {
  const labels = labelColumns(Object.keys(row));
  if (labels.length === 0) return row;
  const out: Row = Object.create(null);
  for (const [k, v] of Object.entries(row)) if (!labels.includes(k)) out[k] = v;
  return out;
}

/** Returns `row` with its keys renamed by `mapping`. */
export function applyMapping(row: Row, mapping: ColumnMapping): Row {
  if (Object.keys(mapping).length === 0) return row;
  const out: Row = Object.create(null);
  for (const [key, value] of Object.entries(row)) out[Object.hasOwn(mapping, key) ? mapping[key] : key] = value;
  return out;
}

/** Parses one JSON line of events. */
export function parseEventJsonLine(line: string, zone: string, mapping: ColumnMapping): LineResult {
  const [o, failed] = parseJsonObject(line, { malformed: "not a JSON object" });
  if (!o) return failed;
  return rowToRecord(applyMapping(o, mapping), zone);
}

const GENERIC_CLOCK = "timestamp: ISO-8601 with its offset; without one in --tz (default UTC); or epoch seconds or milliseconds";

/** Events already in the schema, as JSON lines. */
export const ndjson: TextFormat = {
  kind: "text",
  name: "ndjson",
  title: "events in threatlab's schema as JSON lines (other names mapped with --map)",
  example: '{"timestamp":"2025-03-03T09:15:01Z","log_type":"login_failed","user_id":"root","ip_address":"203.0.113.7"}',
  clock: GENERIC_CLOCK,
  sniff: (head) => {
    const o = firstJson(head);
    return o !== undefined && "timestamp" in o;
  },
  open: ({ zone, mapping }) => simpleReader(`timestamps with an offset as given; without one, read as ${zone}`, (line: string) => parseEventJsonLine(line, zone, mapping)),
};

/** Returns true when a first line can be a CSV header: it has commas and does not open a JSON object. */
export function looksLikeCsvHeader(line: string | undefined): line is string {
  return line !== undefined && line.includes(",") && !line.trimStart().startsWith("{");
}

/** Returns a CSV header line's column names. */
export function csvHeader(line: string): string[] {
  return line.replace(/^\uFEFF/, "").split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
}

/** Reads a CSV of events: the header names the columns (mapped with --map), each row is one event. */
function csvReader({ file, zone, mapping }: ReadContext): RecordReader<string> {
  let header: string[] | undefined;
  return simpleReader(`timestamps with an offset as given; without one, read as ${zone}`, (line: string) => {
    if (line.trim() === "") return "skipped";
    const fields = splitCsvLine(line);
    if (!fields) return { malformed: "an unclosed quote" };
    if (!header) {
      if (fields.length > MAX_COLUMNS) throw new InputError({ file, line: 1 }, `has ${fields.length.toLocaleString("en-US")} columns; threatlab reads files of at most ${MAX_COLUMNS.toLocaleString("en-US")}`);
      header = fields.map((f) => f.replace(/^\uFEFF/, "").trim());
      const mapped = header.map((c) => (Object.hasOwn(mapping, c) ? mapping[c] : c));
      const missing = ["timestamp", "log_type"].filter((c) => !mapped.includes(c));
      if (missing.length > 0) throw new InputError({ file, line: 1 }, `missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")} (name them in the header or map them with --map)`);
      return "skipped";
    }
    if (fields.length !== header.length) return { malformed: `expected ${header.length} fields, found ${fields.length}` };
    const row: Record<string, string> = Object.create(null);
    header.forEach((c, i) => (row[c] = fields[i]));
    return rowToRecord(applyMapping(row, mapping), zone);
  });
}

/** Events in any CSV with a header naming their columns. */
export const csv: TextFormat = {
  kind: "text",
  name: "csv",
  title: "events as CSV with a header (other column names mapped with --map)",
  example: "2025-03-03T09:15:01Z,login_failed,root,203.0.113.7 (under the header timestamp,log_type,user_id,ip_address)",
  clock: GENERIC_CLOCK,
  sniff: (head) => looksLikeCsvHeader(head.lines[0]) && !TUTORIAL_COLUMNS.every((c) => csvHeader(head.lines[0]).includes(c)),
  open: csvReader,
};
