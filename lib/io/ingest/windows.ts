/**
 * Windows Security events as JSON lines, in the shapes common collectors export: NXLog (flat
 * fields: EventID, TargetUserName, …), Winlogbeat (`winlog.event_id`, `winlog.event_data`), and
 * EVTX-to-JSON (`Event.System`, `Event.EventData`). Logons (4624/4625), NTLM validation (4776),
 * Kerberos (4768/4769/4771), special privileges (4672), share access (5140/5145) and process
 * creation (4688) become events; other event ids are skipped and counted.
 */
import { isoToUtc } from "./json-time";
import { type LineResult, type LogRecord, parseJsonObject, record } from "./records";
import { wallTimeToUtc } from "../../time";

/** How to read Windows times. */
export interface WindowsContext {
  /**
   * Time zone of the host's local `EventTime`. When set, EventTime is used (it is the event's own
   * time); when undefined, the collector's UTC `@timestamp` is used.
   */
  zone?: string;
}

type Json = Record<string, unknown>;

/** The fields of one event, whatever the collector. */
interface Flat {
  id: number;
  data: Json;
  host: string | null;
  utc: number | null;
  local: number | null;
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" || v === "-" ? null : String(v));

/** Returns the event in one flat shape, or undefined when the object is not a Windows event. */
export function flattenWindowsEvent(o: Json): Flat | undefined {
  const winlog = o.winlog as Json | undefined;
  const evtx = (o.Event as Json | undefined)?.System as Json | undefined;
  if (o.EventID !== undefined) {
    return { id: Number(o.EventID), data: o, host: str(o.Hostname) ?? str(o.Computer), utc: isoToUtc(o["@timestamp"]) ?? isoToUtc(o.TimeCreated), local: localTime(o.EventTime) };
  }
  if (winlog?.event_id !== undefined) {
    return { id: Number(winlog.event_id), data: { ...(winlog.event_data as Json), ...o }, host: str(winlog.computer_name) ?? str((o.host as Json | undefined)?.name), utc: isoToUtc(o["@timestamp"]), local: null };
  }
  if (evtx?.EventID !== undefined) {
    const id = typeof evtx.EventID === "object" ? (evtx.EventID as Json)["#text"] : evtx.EventID;
    const created = (evtx.TimeCreated as Json | undefined)?.SystemTime ?? (evtx.TimeCreated as Json | undefined)?.["@SystemTime"];
    return { id: Number(id), data: { ...((o.Event as Json).EventData as Json) }, host: str(evtx.Computer), utc: isoToUtc(created), local: null };
  }
  return undefined;
}

/** Returns the wall-clock milliseconds of "YYYY-MM-DD HH:MM:SS" local text, or null. */
function localTime(v: unknown): number | null {
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v) : null;
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : null;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Returns the source of an event: the client address when there is one, else the workstation, else the host. */
function sourceOf(d: Json, host: string | null): string | null {
  const address = str(d.IpAddress)?.replace(/^::ffff:/, "") ?? null;
  if (address && address !== "::1" && address !== "127.0.0.1" && (IPV4.test(address) || address.includes(":"))) return address;
  return str(d.WorkstationName) ?? str(d.Workstation) ?? (host ? host.split(".")[0] : null);
}

/** Returns the account name without a realm or domain suffix (`pgustavo@THESHIRE.LOCAL` → `pgustavo`). */
function account(v: unknown): string | null {
  const name = str(v);
  return name === null ? null : name.replace(/@.*$/, "");
}

const failed = (status: unknown): boolean => {
  const s = str(status)?.toLowerCase();
  return s !== null && s !== undefined && s !== "0x0" && s !== "0";
};

type Mapper = (d: Json, host: string | null) => Partial<LogRecord> & { logType: string };

/** What each mapped event id becomes. */
export const WINDOWS_EVENTS: Record<number, Mapper> = {
  4624: (d, h) => ({ logType: "login_success", outcome: "success", user: account(d.TargetUserName), source: sourceOf(d, h), detail: `LogonType=${str(d.LogonType) ?? "?"}` }),
  4625: (d, h) => ({ logType: "login_failed", outcome: "failure", user: account(d.TargetUserName), source: sourceOf(d, h), detail: `LogonType=${str(d.LogonType) ?? "?"} Status=${str(d.Status) ?? "?"} SubStatus=${str(d.SubStatus) ?? "?"}` }),
  4776: (d, h) => ({ logType: failed(d.Status) ? "login_failed" : "login_success", outcome: failed(d.Status) ? "failure" : "success", user: account(d.TargetUserName), source: sourceOf(d, h), service: "ntlm", detail: `Status=${str(d.Status) ?? "?"}` }),
  4768: (d, h) => ({ logType: failed(d.Status) ? "login_failed" : "kerberos_tgt", outcome: failed(d.Status) ? "failure" : "success", user: account(d.TargetUserName), source: sourceOf(d, h), service: "kerberos", detail: `Status=${str(d.Status) ?? "?"} TicketEncryptionType=${str(d.TicketEncryptionType) ?? "?"}` }),
  4769: (d, h) => ({ logType: "kerberos_service_ticket", outcome: failed(d.Status) ? "failure" : "success", user: account(d.TargetUserName), source: sourceOf(d, h), service: "kerberos", destination: str(d.ServiceName), detail: `TicketEncryptionType=${str(d.TicketEncryptionType) ?? "?"}` }),
  4771: (d, h) => ({ logType: "login_failed", outcome: "failure", user: account(d.TargetUserName), source: sourceOf(d, h), service: "kerberos", detail: `Status=${str(d.Status) ?? "?"} (pre-authentication failed)` }),
  4672: (d, h) => ({ logType: "special_privileges", user: account(d.SubjectUserName), source: h ? h.split(".")[0] : null, detail: str(d.PrivilegeList) }),
  5140: (d, h) => ({ logType: "file_access", user: account(d.SubjectUserName), source: sourceOf(d, h), service: "smb", destination: str(d.ShareName), detail: "share accessed" }),
  5145: (d, h) => ({ logType: "file_access", user: account(d.SubjectUserName), source: sourceOf(d, h), service: "smb", destination: str(d.ShareName), detail: str(d.RelativeTargetName) }),
  4688: (d, h) => ({ logType: "system_call", user: account(d.SubjectUserName), source: h ? h.split(".")[0] : null, detail: str(d.NewProcessName) ?? str(d.CommandLine) }),
};

/** Returns the source's country where a pipeline added GeoIP (Elastic's `source.geo.country_iso_code`). */
function geoCountry(o: Json): string | null {
  const geo = (o.source as Json | undefined)?.geo as Json | undefined;
  return str(geo?.country_iso_code);
}

/**
 * Parses one JSON line of Windows events. Returns the event (one), "skipped" for an event id
 * threatlab does not map, or "unrecognised" for JSON that is not a Windows event.
 */
export function parseWindowsLine(line: string, ctx: WindowsContext): LineResult {
  const [o, failed] = parseJsonObject(line, "unrecognised");
  if (!o) return failed;
  const event = flattenWindowsEvent(o);
  if (!event || !Number.isFinite(event.id)) return "unrecognised";
  const map = WINDOWS_EVENTS[event.id];
  if (!map) return "skipped";
  const time = ctx.zone !== undefined && event.local !== null ? wallTimeToUtc(event.local, ctx.zone) : event.utc ?? (event.local !== null ? event.local : null);
  if (time === null) return { malformed: "no @timestamp or EventTime" };
  const fields = map(event.data, event.host);
  return [record(time, fields.logType, { host: event.host, eventCode: String(event.id), country: geoCountry(o), ...fields })];
}

/**
 * Drops NTLM validations (4776) that repeat a logon event (4624/4625) of the same account from the
 * same source within 5 seconds: a domain controller records the attempt a workstation already did.
 * Returns the indices of the rows to drop.
 */
export function dropRepeatedValidations(rows: readonly { r: LogRecord; line: number }[]): Set<number> {
  const logons = new Map<string, number[]>();
  for (const { r } of rows) {
    if (r.eventCode !== "4624" && r.eventCode !== "4625") continue;
    const key = `${r.user?.toLowerCase()}|${r.source?.toLowerCase()}|${r.outcome}`;
    (logons.get(key) ?? logons.set(key, []).get(key)!).push(r.time);
  }
  const drop = new Set<number>();
  rows.forEach(({ r }, i) => {
    if (r.eventCode !== "4776") return;
    const times = logons.get(`${r.user?.toLowerCase()}|${r.source?.toLowerCase()}|${r.outcome}`);
    if (times?.some((t) => Math.abs(t - r.time) <= 5_000)) drop.add(i);
  });
  return drop;
}
