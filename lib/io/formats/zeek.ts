/**
 * Zeek logs: `conn`, `ssh`, `http`, `dns` and `notice`, in Zeek's JSON (`id.orig_h`, or
 * `id_orig_h` as some pipelines rename it) and in its TSV form (`#fields` header). Fields Zeek
 * leaves unset (`-` in TSV, absent in JSON) stay null: a connection without `orig_bytes` has no
 * bytes out. Labelled captures (Stratosphere's `label` and `detailedlabel` columns) keep their
 * labels apart, as ground truth. A `ts` that counts seconds from the start of the capture rather
 * than from 1970 is recognised and anchored with `--start`.
 */
import { epochSecondsToMs, isoToUtc } from "../ingest/json-time";
import { type LineResult, type LogRecord, parseJsonObject, record } from "../ingest/records";
import { isoUtc } from "../../time";
import { type ReadContext, type ReadOutcome, type RecordReader, type TextFormat, firstJson } from "./format";

/** The Zeek logs threatlab turns into events. */
export type ZeekLog = "conn" | "ssh" | "http" | "dns" | "notice";
const ZEEK_LOGS: readonly string[] = ["conn", "ssh", "http", "dns", "notice"];

type Json = Record<string, unknown>;

/** Returns a field, whether written `id.orig_h` or `id_orig_h`. */
function field(o: Json, name: string): unknown {
  return o[name] ?? o[name.replace(/\./g, "_")];
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === "" || v === "-" || typeof v === "object" ? null : String(v));
const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === "-" || v === "" || typeof v === "object") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** Fields of labelled captures that are ground truth, not observations. */
const LABEL_FIELDS = ["label", "detailedlabel", "detailed-label", "detailed_label"];

/** Returns which Zeek log a record comes from, from `_path`/`@stream` or its fields, or undefined. */
export function zeekKind(o: Json): ZeekLog | "other" | undefined {
  const declared = text(o._path) ?? text(o["@stream"]);
  if (declared) return ZEEK_LOGS.includes(declared) ? (declared as ZeekLog) : "other";
  if (field(o, "id.orig_h") === undefined && !("note" in o && "msg" in o)) return undefined;
  if ("conn_state" in o || "orig_bytes" in o || "history" in o) return "conn";
  if ("auth_success" in o || "auth_attempts" in o || "host_key" in o || "kex_alg" in o || ("client" in o && "server" in o)) return "ssh";
  if ("method" in o || "status_code" in o || "request_body_len" in o) return "http";
  if ("query" in o || "qtype" in o || "rcode" in o) return "dns";
  if ("note" in o && "msg" in o) return "notice";
  return "other";
}

/** Epoch seconds below this (1980-01-01) are read as seconds from the start of a capture. */
const RELATIVE_BEFORE_S = 315_532_800;

/** Returns a record's fields without its labels, and the labels. */
function splitLabels(o: Json): [Json, string | null, string | null] {
  if (!LABEL_FIELDS.some((f) => f in o)) return [o, null, null];
  const fields: Json = {};
  for (const [k, v] of Object.entries(o)) if (!LABEL_FIELDS.includes(k)) fields[k] = v;
  return [fields, text(o.label), text(o.detailedlabel ?? o["detailed-label"] ?? o.detailed_label)];
}

/**
 * Reads the Zeek records of one file: the clock (absolute, or relative to `--start`), and the
 * events of each record.
 */
class ZeekClock {
  private relative = 0;
  private absolute = 0;

  constructor(private readonly context: ReadContext) {}

  /** Returns epoch ms for a record's `ts`, or null. */
  time(ts: unknown): number | null {
    const seconds = num(ts);
    if (seconds === null) return isoToUtc(ts);
    if (seconds >= RELATIVE_BEFORE_S) {
      this.absolute++;
      return epochSecondsToMs(seconds);
    }
    this.relative++;
    return Math.round((this.context.start ?? 0) + seconds * 1000);
  }

  outcome(): ReadOutcome {
    if (this.relative === 0) return { clock: "Zeek ts (epoch seconds, UTC)" };
    const anchor = this.context.start;
    const clock = anchor === undefined ? "Zeek ts counted from the start of the capture, placed from 1970-01-01 (no --start)" : `Zeek ts counted from the start of the capture, anchored at --start ${isoUtc(anchor)}`;
    const warnings = [
      `${this.relative.toLocaleString("en-US")} records have a ts below 1980 (seconds from the start of the capture, not from 1970)` +
        (anchor === undefined ? "; their times start at 1970-01-01: anchor them with --start (the capture's start, e.g. --start 2025-03-03T09:00:00Z)" : "") +
        (this.absolute > 0 ? `; ${this.absolute.toLocaleString("en-US")} others have epoch times` : ""),
    ];
    return { clock, warnings };
  }
}

/**
 * Zeek's connection states in which the responder never took the connection: no reply to the SYN
 * (S0), rejected (REJ), the originator gave up after its SYN (RSTOS0, SH), or only the responder's
 * half was seen (RSTRH, SHR). What a scan or a probe leaves behind.
 */
const UNANSWERED_STATES = new Set(["S0", "REJ", "RSTOS0", "RSTRH", "SH", "SHR"]);
/** States in which both sides spoke (established, or a reply seen). */
const ANSWERED_STATES = new Set(["SF", "S1", "S2", "S3", "RSTO", "RSTR"]);

/**
 * Returns whether a connection was answered: "failure" for an unanswered or rejected attempt, or
 * an ICMP echo request without a reply; "success" where both sides spoke; null where Zeek cannot
 * tell (OTH: a connection seen mid-stream, such as a long-lived one split by Zeek's timeouts).
 * @example
 * connOutcome({ proto: "tcp", conn_state: "S0" }) // => "failure"
 */
export function connOutcome(o: Json): "success" | "failure" | null {
  const state = text(o.conn_state);
  if (state !== null && UNANSWERED_STATES.has(state)) return "failure";
  if (state !== null && ANSWERED_STATES.has(state)) return "success";
  if (text(o.proto) === "icmp" && num(field(o, "id.orig_p")) === 8) return (num(o.resp_pkts) ?? 0) > 0 ? "success" : "failure";
  return null;
}

/** Returns the events of one Zeek record of a known log. */
function zeekRecord(o: Json, kind: ZeekLog | "other", clock: ZeekClock): LineResult {
  if (kind === "other") return "skipped";
  const ts = field(o, "ts");
  const time = clock.time(ts);
  if (time === null) return { malformed: `no valid ts (${JSON.stringify(ts)})` };
  // Counts and ports are never negative, ports never past 65535: such a record is not Zeek's.
  for (const name of ["orig_bytes", "resp_bytes", "request_body_len", "response_body_len", "id.orig_p", "id.resp_p"]) {
    const n = num(field(o, name));
    if (n !== null && (n < 0 || (name.startsWith("id.") && n > 65535))) return { malformed: `${name} is ${n}, expected ${name.startsWith("id.") ? "a port (0–65535)" : "a count of bytes"}` };
  }
  const [fields, label, labelDetail] = splitLabels(o);
  const common: Partial<LogRecord> = {
    source: text(field(o, "id.orig_h")),
    destination: text(field(o, "id.resp_h")),
    destinationPort: num(field(o, "id.resp_p")),
    eventCode: `zeek:${kind}`,
    sourceFields: JSON.stringify(fields), label, labelDetail,
  };
  switch (kind) {
    case "conn":
      return [record(time, "network_traffic", {
        ...common, service: text(o.service), bytesOut: num(o.orig_bytes), bytesIn: num(o.resp_bytes), outcome: connOutcome(o),
        detail: [text(o.proto), text(o.conn_state)].filter(Boolean).join(" ") || null,
      })];
    case "http":
      return [record(time, "network_traffic", {
        ...common, service: "http", user: text(o.username), bytesOut: num(o.request_body_len), bytesIn: num(o.response_body_len),
        detail: [text(o.method), text(o.host), text(o.uri), text(o.status_code)].filter(Boolean).join(" ") || null,
      })];
    case "dns":
      return [record(time, "dns_query", {
        ...common, service: "dns",
        detail: [text(o.qtype_name) ?? text(o.qtype), text(o.query), text(o.rcode_name) ?? text(o.rcode)].filter(Boolean).join(" ") || null,
      })];
    case "notice":
      return [record(time, "ids_notice", {
        ...common, source: text(o.src) ?? common.source ?? null, destination: text(o.dst) ?? common.destination ?? null, destinationPort: num(o.p) ?? common.destinationPort ?? null,
        service: "zeek-notice", detail: [text(o.note), text(o.msg)].filter(Boolean).join(": ") || null,
      })];
    case "ssh":
      break;
  }
  // ssh: Zeek saw an authentication outcome (and how many attempts) but never the user name.
  const success = o.auth_success === true || o.auth_success === "T";
  const outcomeKnown = o.auth_success !== undefined && o.auth_success !== null && o.auth_success !== "-";
  const detail = [text(o.client), text(o.server)].filter(Boolean).join(" → ") || null;
  if (!outcomeKnown) return [record(time, "ssh_session", { ...common, service: "ssh", detail })];
  const attempts = Math.max(1, Math.min(num(o.auth_attempts) ?? 1, 10_000));
  const failures = success ? attempts - 1 : attempts;
  const events = Array.from({ length: failures }, () => record(time, "login_failed", { ...common, service: "ssh", outcome: "failure", detail }));
  if (success) events.push(record(time, "login_success", { ...common, service: "ssh", outcome: "success", detail }));
  return events;
}

/** Reads Zeek's JSON lines. */
class ZeekJsonReader implements RecordReader<string> {
  private readonly clock: ZeekClock;

  constructor(context: ReadContext) {
    this.clock = new ZeekClock(context);
  }

  read(line: string): LineResult {
    const [o, failed] = parseJsonObject(line, "unrecognised");
    if (!o) return failed;
    const kind = zeekKind(o);
    return kind === undefined ? "unrecognised" : zeekRecord(o, kind, this.clock);
  }

  finish(): ReadOutcome {
    return this.clock.outcome();
  }
}

/** Reads Zeek's TSV form: the `#` header lines set the separator, the fields and the log's path. */
export class ZeekTsvReader implements RecordReader<string> {
  private separator = "\t";
  private unset = "-";
  private empty = "(empty)";
  private fields: string[] | undefined;
  private kind: ZeekLog | "other" | undefined;
  private readonly clock: ZeekClock;

  constructor(context: ReadContext) {
    this.clock = new ZeekClock(context);
  }

  /** Parses one line: header lines are "skipped" (they are part of the format), data lines give events. */
  read(line: string): LineResult {
    if (line.startsWith("#")) {
      const [key, ...rest] = line.slice(1).split(line.startsWith("#separator") ? " " : this.separator);
      const value = rest.join(this.separator);
      if (key === "separator") this.separator = value.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      else if (key === "unset_field") this.unset = value;
      else if (key === "empty_field") this.empty = value;
      else if (key === "path") this.kind = ZEEK_LOGS.includes(value) ? (value as ZeekLog) : "other";
      else if (key === "fields") this.fields = rest;
      return "skipped";
    }
    if (line.trim() === "") return "skipped";
    if (!this.fields) return { malformed: "a data line before the #fields header" };
    const values = line.split(this.separator);
    if (values.length !== this.fields.length) return { malformed: `expected ${this.fields.length} tab-separated fields, found ${values.length}` };
    const o: Json = {};
    this.fields.forEach((name, i) => {
      const v = values[i];
      if (v !== this.unset) o[name] = v === this.empty ? "" : v;
    });
    const kind = this.kind ?? zeekKind(o);
    return kind === undefined ? "unrecognised" : zeekRecord(o, kind, this.clock);
  }

  finish(): ReadOutcome {
    return this.clock.outcome();
  }
}

const ZEEK_CLOCK = "ts in epoch seconds (UTC); a ts below 1980 counts from the capture's start and is anchored with --start";

/** Zeek logs as JSON lines. */
export const zeekJson: TextFormat = {
  kind: "text",
  name: "zeek-json",
  title: "Zeek conn, ssh, http, dns and notice logs as JSON lines (id.orig_h or id_orig_h)",
  example: '{"ts":1588206741.532272,"uid":"CPKuRr3fL4F8tgqXQ1","id.orig_h":"10.0.1.4","id.orig_p":60760,"id.resp_h":"192.168.0.4","id.resp_p":80,"proto":"tcp","orig_bytes":3018,"conn_state":"SF"}',
  clock: ZEEK_CLOCK,
  sniff: (head) => {
    const o = firstJson(head);
    return o !== undefined && zeekKind(o) !== undefined;
  },
  open: (context) => new ZeekJsonReader(context),
};

/** Zeek logs in their TSV form. */
export const zeekTsv: TextFormat = {
  kind: "text",
  name: "zeek-tsv",
  title: "Zeek conn, ssh, http, dns and notice logs in Zeek's TSV (#fields header), labelled captures included",
  example: String.raw`1655071231.749548\tCEL3aLvvNGvO6Ecoa\t193.201.9.232\t46563\t147.32.81.167\t3933\ttcp\t-\t0.000010\t0\t0\tS0\t… (tab-separated)`,
  clock: ZEEK_CLOCK,
  sniff: (head) => /^#(separator|fields|path)\b/.test(head.lines[0] ?? ""),
  open: (context) => new ZeekTsvReader(context),
};
