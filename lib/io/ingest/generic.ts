/**
 * Events already in threatlab's schema, as JSON lines or CSV, with an optional mapping for files
 * whose column names differ (`--map time=timestamp,src=ip_address`).
 */
import { invalidOption } from "../../errors";
import { EVENT_COLUMNS } from "../../schema";
import { epochSecondsToMs, isoToUtc } from "./json-time";
import { type LineResult, type LogRecord, parseJsonObject, record } from "./records";

/** Maps a file's own column names to event-schema names. */
export type ColumnMapping = Readonly<Record<string, string>>;

/**
 * Returns the mapping written as `from=to,from=to`, checking that every target is an event column.
 * @example
 * parseColumnMapping("time=timestamp,src=ip_address") // => { time: "timestamp", src: "ip_address" }
 */
export function parseColumnMapping(text: string): ColumnMapping {
  const mapping: Record<string, string> = {};
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
    return n > 1e11 ? Math.round(n) : epochSecondsToMs(n);
  }
  return isoToUtc(v, zone);
}

/** Turns one row (already keyed by event-schema names) into a record, or explains what is wrong. */
export function rowToRecord(row: Row, zone: string): LineResult {
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
  };
  return [record(time, logType, fields)];
}

/** Returns `row` with its keys renamed by `mapping`. */
export function applyMapping(row: Row, mapping: ColumnMapping): Row {
  if (Object.keys(mapping).length === 0) return row;
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[mapping[key] ?? key] = value;
  return out;
}

/** Parses one JSON line of events. */
export function parseEventJsonLine(line: string, zone: string, mapping: ColumnMapping): LineResult {
  const [o, failed] = parseJsonObject(line, { malformed: "not a JSON object" });
  if (!o) return failed;
  return rowToRecord(applyMapping(o, mapping), zone);
}
