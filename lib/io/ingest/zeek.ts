/**
 * Zeek logs: `conn.log`, `ssh.log` and `http.log`, in Zeek's JSON (`id.orig_h`, or `id_orig_h` as
 * some pipelines rename it) and in its TSV form (`#fields` header). Fields Zeek leaves unset
 * (`-` in TSV, absent in JSON) stay null: a connection without `orig_bytes` has no bytes out.
 */
import { epochSecondsToMs, isoToUtc } from "./json-time";
import { type LineResult, type LogRecord, parseJsonObject, record } from "./records";

/** The Zeek logs threatlab turns into events. */
export type ZeekLog = "conn" | "ssh" | "http";

type Json = Record<string, unknown>;

/** Returns a field, whether written `id.orig_h` or `id_orig_h`. */
function field(o: Json, name: string): unknown {
  return o[name] ?? o[name.replace(/\./g, "_")];
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === "" || v === "-" ? null : String(v));
const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === "-" || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** Returns which Zeek log a record comes from, from `_path`/`@stream` or its fields, or undefined. */
export function zeekKind(o: Json): ZeekLog | "other" | undefined {
  const declared = text(o._path) ?? text(o["@stream"]);
  if (declared) return declared === "conn" || declared === "ssh" || declared === "http" ? declared : "other";
  if (field(o, "id.orig_h") === undefined) return undefined;
  if ("conn_state" in o || "orig_bytes" in o || "history" in o) return "conn";
  if ("auth_success" in o || "auth_attempts" in o || "host_key" in o || "kex_alg" in o || ("client" in o && "server" in o)) return "ssh";
  if ("method" in o || "status_code" in o || "request_body_len" in o) return "http";
  return "other";
}

/** Returns the events of one Zeek record of a known log. */
export function zeekRecord(o: Json, kind: ZeekLog | "other"): LineResult {
  if (kind === "other") return "skipped";
  const ts = field(o, "ts");
  const time = epochSecondsToMs(ts) ?? isoToUtc(ts);
  if (time === null) return { malformed: `no valid ts (${JSON.stringify(ts)})` };
  const common: Partial<LogRecord> = {
    source: text(field(o, "id.orig_h")),
    destination: text(field(o, "id.resp_h")),
    destinationPort: num(field(o, "id.resp_p")),
    eventCode: `zeek:${kind}`,
  };
  if (kind === "conn") {
    return [record(time, "network_traffic", {
      ...common, service: text(o.service), bytesOut: num(o.orig_bytes), bytesIn: num(o.resp_bytes),
      detail: [text(o.proto), text(o.conn_state)].filter(Boolean).join(" ") || null,
    })];
  }
  if (kind === "http") {
    return [record(time, "network_traffic", {
      ...common, service: "http", user: text(o.username), bytesOut: num(o.request_body_len), bytesIn: num(o.response_body_len),
      detail: [text(o.method), text(o.host), text(o.uri), text(o.status_code)].filter(Boolean).join(" ") || null,
    })];
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

/** Parses one line of Zeek JSON. */
export function parseZeekJsonLine(line: string): LineResult {
  const [o, failed] = parseJsonObject(line, "unrecognised");
  if (!o) return failed;
  const kind = zeekKind(o);
  return kind === undefined ? "unrecognised" : zeekRecord(o, kind);
}

/** Reads Zeek's TSV form: the `#` header lines set the separator, the fields and the log's path. */
export class ZeekTsvReader {
  private separator = "\t";
  private unset = "-";
  private empty = "(empty)";
  private fields: string[] | undefined;
  private kind: ZeekLog | "other" | undefined;

  /** Parses one line: header lines are "skipped" (they are part of the format), data lines give events. */
  parseLine(line: string): LineResult {
    if (line.startsWith("#")) {
      const [key, ...rest] = line.slice(1).split(line.startsWith("#separator") ? " " : this.separator);
      const value = rest.join(this.separator);
      if (key === "separator") this.separator = value.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      else if (key === "unset_field") this.unset = value;
      else if (key === "empty_field") this.empty = value;
      else if (key === "path") this.kind = value === "conn" || value === "ssh" || value === "http" ? value : "other";
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
    return kind === undefined ? "unrecognised" : zeekRecord(o, kind);
  }
}
