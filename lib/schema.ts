/**
 * The event schema: column names, types, value sets and roles.
 *
 * The tutorial's seven columns are the core. Richer sources (real logs, attack scenarios) add the
 * optional columns listed here. Every column has a role: `event` columns describe what happened and
 * are what detectors may read; `label` columns are ground truth (the tutorial's `threat_level`, and
 * later attack ids and techniques) and must never be read by a detector.
 */
import pl, { type DataFrame, type DataType, type LazyDataFrame } from "nodejs-polars";

/** The tutorial's five log types, in the order the generator draws them. */
export const LOG_TYPES = [
  "login_success",
  "login_failed",
  "file_access",
  "system_call",
  "network_traffic",
] as const;
/** One of {@link LOG_TYPES}. */
export type LogType = (typeof LOG_TYPES)[number];

/** The tutorial's four locations. */
export const LOCATIONS = ["office", "home", "remote", "data_center"] as const;
/** One of {@link LOCATIONS}. */
export type Location = (typeof LOCATIONS)[number];

/** The tutorial's threat levels: `normal` first, then the four threats drawn with equal chance. */
export const THREAT_LEVELS = [
  "normal",
  "brute_force",
  "unusual_location",
  "suspicious_pattern",
  "anomaly",
] as const;
/** One of {@link THREAT_LEVELS}. */
export type ThreatLevel = (typeof THREAT_LEVELS)[number];

/** What a column is for: `event` columns may be read by detectors, `label` columns may not. */
export type ColumnRole = "event" | "label";

/** The logical type of a column; {@link polarsType} gives the polars dtype. */
export type ColumnKind = "datetime" | "string" | "int";

/** Describes one column of the event schema. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly role: ColumnRole;
  /** True for the tutorial's seven columns, which every tutorial-format file must have. */
  readonly tutorial: boolean;
  readonly description: string;
}

const spec = (
  name: string,
  kind: ColumnKind,
  role: ColumnRole,
  tutorial: boolean,
  description: string,
): ColumnSpec => ({ name, kind, role, tutorial, description });

/**
 * Every known column, keyed by name.
 * Timestamps are naive wall-clock times, read and written as `YYYY-MM-DD HH:MM:SS` and treated as UTC.
 */
export const COLUMNS = {
  timestamp: spec("timestamp", "datetime", "event", true, "when the event happened (UTC wall clock)"),
  user_id: spec("user_id", "string", "event", true, "the account, e.g. user_17"),
  log_type: spec("log_type", "string", "event", true, `the kind of event: ${LOG_TYPES.join(", ")}`),
  ip_address: spec("ip_address", "string", "event", true, "the source: an IP address, or a host or workstation name when the log has no address"),
  location: spec("location", "string", "event", true, `where from: ${LOCATIONS.join(", ")}`),
  bytes_transferred: spec("bytes_transferred", "int", "event", true, "bytes moved by the event"),
  threat_level: spec("threat_level", "string", "label", true, "the tutorial's ground-truth label"),
  // Optional columns for richer sources; none of them is required in a tutorial file.
  outcome: spec("outcome", "string", "event", false, "success or failure"),
  host: spec("host", "string", "event", false, "the machine that logged the event"),
  destination: spec("destination", "string", "event", false, "destination address or host"),
  bytes_out: spec("bytes_out", "int", "event", false, "bytes sent by the source"),
  bytes_in: spec("bytes_in", "int", "event", false, "bytes received by the source"),
  destination_port: spec("destination_port", "int", "event", false, "destination port"),
  service: spec("service", "string", "event", false, "network service or protocol (ssh, http, smb…)"),
  event_code: spec("event_code", "string", "event", false, "the source's own event id, e.g. Windows 4625"),
  detail: spec("detail", "string", "event", false, "format-specific detail: logon type, status, request…"),
  country: spec("country", "string", "event", false, "ISO country code of the source"),
  source_fields: spec("source_fields", "string", "event", false, "the source record's own fields as JSON text (syslog host, program, pid, message; a Windows event's data; a Zeek record)"),
  source_file: spec("source_file", "string", "event", false, "the file the event was read from"),
  source_line: spec("source_line", "int", "event", false, "the line the event was read from"),
  attack_id: spec("attack_id", "string", "label", false, "ground truth: the injected campaign"),
  technique: spec("technique", "string", "label", false, "ground truth: MITRE ATT&CK technique id"),
  source_label: spec("source_label", "string", "label", false, "ground truth the log itself carries, e.g. a labelled capture's Benign or Malicious"),
  source_label_detail: spec("source_label_detail", "string", "label", false, "the source's detailed label, e.g. External-Attack-to-Device"),
} as const satisfies Record<string, ColumnSpec>;

/** A known column name. */
export type ColumnName = keyof typeof COLUMNS;

/** The tutorial's seven columns, in the tutorial's order. */
export const TUTORIAL_COLUMNS = [
  "timestamp",
  "user_id",
  "log_type",
  "ip_address",
  "location",
  "bytes_transferred",
  "threat_level",
] as const satisfies readonly ColumnName[];

/** Returns the polars dtype a column of this kind is stored as. */
export function polarsType(kind: ColumnKind): DataType {
  switch (kind) {
    case "datetime":
      return pl.Datetime("ms");
    case "int":
      return pl.Int64;
    case "string":
      return pl.Utf8;
  }
}

/**
 * Returns the names of the ground-truth label columns present in `columns`.
 * @example
 * labelColumns(["timestamp", "bytes_transferred", "threat_level"]) // => ["threat_level"]
 */
export function labelColumns(columns: readonly string[]): string[] {
  return columns.filter((c) => (COLUMNS as Record<string, ColumnSpec>)[c]?.role === "label");
}

/**
 * Returns the frame without its ground-truth label columns: what a detector is allowed to see.
 * @example
 * withoutLabels(logs).columns // => ["timestamp", "user_id", ..., "bytes_transferred"]
 */
export function withoutLabels<F extends DataFrame | LazyDataFrame>(frame: F): F {
  const labels = labelColumns(frame.columns);
  return labels.length === 0 ? frame : ((frame as DataFrame).drop(labels) as F); // LazyDataFrame's drop takes the same names
}

/**
 * The columns of events ingested from real logs (`threatlab ingest`), in order. The tutorial's
 * `location` and `threat_level` are absent: real logs have neither.
 */
export const EVENT_COLUMNS = [
  "timestamp", "user_id", "log_type", "ip_address", "outcome", "host", "destination", "destination_port", "service",
  "bytes_out", "bytes_in", "bytes_transferred", "country", "event_code", "detail", "source_fields", "source_file", "source_line",
] as const satisfies readonly ColumnName[];

/** The columns an event file must have for `threatlab detect` and `report`. */
export const REQUIRED_EVENT_COLUMNS = ["timestamp", "user_id", "log_type", "ip_address"] as const;

/** The timestamp text format used in CSV files: what pandas writes for a naive datetime. */
export const TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S";
