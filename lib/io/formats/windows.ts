/**
 * Windows Security events, whatever wrote them: JSON lines as collectors export them — NXLog and
 * OTRF/Mordor (flat fields: EventID, TargetUserName, …), Winlogbeat/Elastic ECS (`winlog.event_id`,
 * `winlog.event_data`), `evtx_dump -o jsonl` (`Event.System`, `Event.EventData`,
 * `#attributes`) — and, through `evtx.ts`, native .evtx files. Logons (4624/4625), NTLM
 * validation (4776), Kerberos (4768/4769/4771), special privileges (4672), share access
 * (5140/5145), process creation (4688) and accepted RDP connections (RdpCoreTS 131) become
 * events; other event ids are skipped and counted.
 * Status and type codes are read as numbers whatever their width or base (`0x0`, `0x00000000`,
 * `0`) and written `0x…` in lower case without padding, with their meaning.
 */
import { isoToUtc } from "../ingest/json-time";
import { type LineResult, type LogRecord, type RecordTable, parseJsonObject, record } from "../ingest/records";
import { utcFromParts, wallTimeToUtc } from "../../time";
import { type ReadContext, type RecordReader, type TextFormat, firstJson } from "./format";

/** How to read Windows times. */
export interface WindowsContext {
  /**
   * Time zone of the host's local `EventTime`. When set, EventTime is used (it is the event's own
   * time); when undefined, the collector's UTC `@timestamp` (or the event's SystemTime) is used.
   */
  zone?: string;
}

type Json = Record<string, unknown>;

/** The fields of one event, whatever the collector. */
export interface WindowsEvent {
  id: number;
  data: Json;
  host: string | null;
  utc: number | null;
  local: number | null;
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" || v === "-" || typeof v === "object" ? null : String(v).trim() || null);

/** Returns an XML-to-JSON value's text: itself, or its `#text` (evtx_dump writes `{"#attributes": …, "#text": 4625}`). */
function textOf(v: unknown): unknown {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json)["#text"] : v;
}

/** Returns an attribute of an XML-to-JSON element, written `#attributes.Name`, `@Name` or as a plain key. */
function attribute(element: unknown, name: string): unknown {
  if (typeof element !== "object" || element === null) return undefined;
  const e = element as Json;
  return (e["#attributes"] as Json | undefined)?.[name] ?? e[`@${name}`] ?? e[name];
}

/**
 * Returns EventData as one flat object: already flat (`{TargetUserName: …}`), or the XML list
 * `{Data: [{"@Name": "TargetUserName", "#text": …}]}` some converters write.
 */
function eventData(v: unknown): Json {
  if (typeof v !== "object" || v === null) return {};
  const data = (v as Json).Data;
  if (!Array.isArray(data)) return { ...(v as Json) };
  const out: Json = {};
  for (const d of data) {
    const name = attribute(d, "Name");
    if (typeof name === "string") out[name] = textOf(d) ?? null;
  }
  return out;
}

/** Returns the event in one flat shape, or undefined when the object is not a Windows event. */
export function flattenWindowsEvent(o: Json): WindowsEvent | undefined {
  const winlog = o.winlog as Json | undefined;
  const system = (o.Event as Json | undefined)?.System as Json | undefined;
  if (o.EventID !== undefined) {
    return { id: Number(textOf(o.EventID)), data: o, host: str(o.Hostname) ?? str(o.Computer), utc: isoToUtc(o["@timestamp"]) ?? isoToUtc(o.TimeCreated), local: localTime(o.EventTime) };
  }
  if (winlog?.event_id !== undefined) {
    return { id: Number(winlog.event_id), data: { ...(winlog.event_data as Json), ...o }, host: str(winlog.computer_name) ?? str((o.host as Json | undefined)?.name), utc: isoToUtc(o["@timestamp"]), local: null };
  }
  if (system?.EventID !== undefined) {
    const created = attribute(system.TimeCreated, "SystemTime");
    return { id: Number(textOf(system.EventID)), data: eventData((o.Event as Json).EventData), host: str(system.Computer), utc: isoToUtc(created), local: null };
  }
  return undefined;
}

/** Returns the wall-clock milliseconds of "YYYY-MM-DD HH:MM:SS" local text, or null. */
function localTime(v: unknown): number | null {
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v) : null;
  return m ? (utcFromParts(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]) ?? null) : null;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Returns an address without IPv6's IPv4-mapped prefix (`::ffff:10.0.0.5` → `10.0.0.5`). */
export function plainAddress(v: unknown): string | null {
  return str(v)?.replace(/^::ffff:(?=\d{1,3}(\.\d{1,3}){3}$)/i, "") ?? null;
}

/** Returns the source of an event: the client address when there is one, else the workstation, else the host. */
function sourceOf(d: Json, host: string | null): string | null {
  const address = plainAddress(d.IpAddress);
  if (address && address !== "::1" && address !== "127.0.0.1" && (IPV4.test(address) || address.includes(":"))) return address;
  return str(d.WorkstationName) ?? str(d.Workstation) ?? (host ? host.split(".")[0] : null);
}

/** Returns the account name without a realm or domain suffix (`pgustavo@THESHIRE.LOCAL` → `pgustavo`). */
function account(v: unknown): string | null {
  const name = str(v);
  if (name === null) return null;
  // indexOf, not /@.*$/: that pattern takes time quadratic in a run of "@" before a line break.
  const at = name.indexOf("@");
  return at < 0 ? name : name.slice(0, at);
}

/**
 * Returns a status or type code as a number, whatever its width or base: `0x0`, `0x00000000`,
 * `0X17`, `23` and 23 alike; null for a missing or unreadable value.
 * @example
 * codeValue("0x00000017") // => 23
 */
export function codeValue(v: unknown): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : null;
  const text = str(v);
  if (text === null) return null;
  const n = /^0x[0-9a-f]{1,16}$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Returns a code written the one way threatlab writes it: `0x` and lower-case hex without padding
 * (`0x00000017` → `0x17`), the text itself when it is not a number, or null.
 * @example
 * normaliseCode("0xC000006D") // => "0xc000006d"
 */
export function normaliseCode(v: unknown): string | null {
  const n = codeValue(v);
  return n === null ? str(v) : `0x${n.toString(16)}`;
}

/** What Kerberos result codes mean (RFC 4120 §7.5.9, as 4768 and 4771 log them). */
const KERBEROS_STATUS: Record<number, string> = {
  0x0: "success", 0x6: "unknown user", 0x7: "unknown service", 0xc: "policy restriction", 0xe: "encryption type not supported",
  0x12: "account disabled, expired or locked out", 0x17: "password expired", 0x18: "bad password", 0x19: "pre-authentication required",
  0x1f: "integrity check failed", 0x20: "ticket expired", 0x25: "clock skew too great",
};

/** What NT status codes mean (4625's Status and SubStatus, 4776's Status). */
const NT_STATUS: Record<number, string> = {
  0x0: "success", 0xc0000064: "unknown user", 0xc000006a: "bad password", 0xc000006d: "bad user name or password", 0xc000006e: "account restriction",
  0xc000006f: "outside allowed hours", 0xc0000070: "workstation restriction", 0xc0000071: "password expired", 0xc0000072: "account disabled",
  0xc000015b: "logon type not granted", 0xc0000193: "account expired", 0xc0000224: "password must change", 0xc0000234: "account locked out",
  0xc0000133: "clock skew", 0xc000005e: "no logon servers", 0xc0000413: "authentication firewall",
};

/** What Kerberos ticket encryption types are. */
const ENCRYPTION_TYPES: Record<number, string> = {
  0x1: "DES-CBC-CRC", 0x3: "DES-CBC-MD5", 0x11: "AES128", 0x12: "AES256", 0x17: "RC4", 0x18: "RC4-EXP", 0xffffffff: "none (failure)",
};

/** Returns `Name=0x18 (bad password)`: a code normalised, with its meaning where known. */
function described(name: string, v: unknown, meanings: Record<number, string>): string {
  const n = codeValue(v);
  const code = normaliseCode(v) ?? "?";
  return n !== null && meanings[n] ? `${name}=${code} (${meanings[n]})` : `${name}=${code}`;
}

/** True when a status code says the attempt failed (any non-zero code; a missing one is not a failure). */
const failed = (status: unknown): boolean => {
  const n = codeValue(status);
  return n !== null ? n !== 0 : str(status) !== null;
};

/** What one event becomes, or null when its data is not the event threatlab maps under that id. */
type Mapper = (d: Json, host: string | null) => (Partial<LogRecord> & { logType: string }) | null;

/**
 * Returns the address of an `address:port` endpoint (`10.23.123.11:36160`, `[fe80::1]:3389`),
 * or the text itself when it carries no port.
 */
function endpointAddress(v: unknown): string | null {
  const text = str(v);
  if (text === null) return null;
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text) ?? /^\[([0-9a-fA-F:.%\w]+)\]:\d{1,5}$/.exec(text);
  return plainAddress(m ? m[1] : text);
}

const logonType = (d: Json): string => `LogonType=${str(d.LogonType) ?? "?"}`;

/** What each mapped event id becomes. */
export const WINDOWS_EVENTS: Record<number, Mapper> = {
  4624: (d, h) => ({ logType: "login_success", outcome: "success", user: account(d.TargetUserName), source: sourceOf(d, h), detail: logonType(d) }),
  4625: (d, h) => ({ logType: "login_failed", outcome: "failure", user: account(d.TargetUserName), source: sourceOf(d, h), detail: `${logonType(d)} ${described("Status", d.Status, NT_STATUS)} ${described("SubStatus", d.SubStatus, NT_STATUS)}` }),
  4776: (d, h) => ({ logType: failed(d.Status) ? "login_failed" : "login_success", outcome: failed(d.Status) ? "failure" : "success", user: account(d.TargetUserName), source: sourceOf(d, h), service: "ntlm", detail: described("Status", d.Status, NT_STATUS) }),
  // A ticket-granting ticket issued after pre-authentication is a password (or key) verified: a
  // login that succeeded, as 4776 success is. One issued without pre-authentication (PreAuthType 0)
  // verified nothing, and its reply can be cracked offline (AS-REP roasting): kept apart.
  4768: (d, h) => ({
    logType: failed(d.Status) ? "login_failed" : codeValue(d.PreAuthType) === 0 ? "kerberos_tgt" : "login_success", outcome: failed(d.Status) ? "failure" : "success", user: account(d.TargetUserName), source: sourceOf(d, h), service: "kerberos",
    detail: `${described("Status", d.Status, KERBEROS_STATUS)} ${described("TicketEncryptionType", d.TicketEncryptionType, ENCRYPTION_TYPES)} PreAuthType=${str(d.PreAuthType) ?? "?"}`,
  }),
  4769: (d, h) => ({
    logType: "kerberos_service_ticket", outcome: failed(d.Status) ? "failure" : "success", user: account(d.TargetUserName), source: sourceOf(d, h), service: "kerberos", destination: str(d.ServiceName),
    detail: `${described("TicketEncryptionType", d.TicketEncryptionType, ENCRYPTION_TYPES)} ${described("Status", d.Status, KERBEROS_STATUS)}`,
  }),
  4771: (d, h) => ({ logType: "login_failed", outcome: "failure", user: account(d.TargetUserName), source: sourceOf(d, h), service: "kerberos", detail: `${described("Status", d.Status, KERBEROS_STATUS)} (pre-authentication failed)` }),
  4672: (d, h) => ({ logType: "special_privileges", user: account(d.SubjectUserName), source: h ? h.split(".")[0] : null, detail: str(d.PrivilegeList) }),
  5140: (d, h) => ({ logType: "file_access", user: account(d.SubjectUserName), source: sourceOf(d, h), service: "smb", destination: str(d.ShareName), detail: "share accessed" }),
  5145: (d, h) => ({ logType: "file_access", user: account(d.SubjectUserName), source: sourceOf(d, h), service: "smb", destination: str(d.ShareName), detail: str(d.RelativeTargetName) }),
  // RemoteDesktopServices-RdpCoreTS/Operational 131, "The server accepted a new TCP connection
  // from client 10.23.123.11:36160": a connection, not a logon (it names no account). Other
  // channels use 131 for other things; only the event with ClientIP and ConnType is this one.
  131: (d, h) =>
    d.ClientIP === undefined || d.ConnType === undefined
      ? null
      : { logType: "network_traffic", outcome: "success", source: endpointAddress(d.ClientIP), destination: h, service: "rdp", detail: `RDP connection accepted (${str(d.ConnType) ?? "?"})` },
  4688: (d, h) => ({ logType: "system_call", user: account(d.SubjectUserName), source: h ? h.split(".")[0] : null, detail: str(d.NewProcessName) ?? str(d.CommandLine) }),
};

/** Returns the source's country where a pipeline added GeoIP (Elastic's `source.geo.country_iso_code`). */
function geoCountry(o: Json): string | null {
  const geo = (o.source as Json | undefined)?.geo as Json | undefined;
  return str(geo?.country_iso_code);
}

/**
 * Returns the events of one Windows event: one event, "skipped" for an event id threatlab does
 * not map, or why it is malformed.
 */
export function windowsEventRecord(event: WindowsEvent, context: WindowsContext, original: Json = event.data): LineResult {
  if (!Number.isSafeInteger(event.id)) return { malformed: "an EventID that is not a whole number" };
  const map = WINDOWS_EVENTS[event.id];
  if (!map) return "skipped";
  const time = context.zone !== undefined && event.local !== null ? wallTimeToUtc(event.local, context.zone) : event.utc ?? event.local;
  if (time === null) return { malformed: "no @timestamp, SystemTime or EventTime" };
  const fields = map(event.data, event.host);
  if (fields === null) return "skipped";
  return [record(time, fields.logType, { host: event.host, eventCode: String(event.id), country: geoCountry(original), sourceFields: JSON.stringify(event.data), ...fields })];
}

/**
 * Parses one JSON line of Windows events. Returns the event (one), "skipped" for an event id
 * threatlab does not map, or "unrecognised" for JSON that is not a Windows event.
 */
export function parseWindowsLine(line: string, context: WindowsContext): LineResult {
  const [o, notObject] = parseJsonObject(line, "unrecognised");
  if (!o) return notObject;
  const event = flattenWindowsEvent(o);
  return event ? windowsEventRecord(event, context, o) : "unrecognised";
}

/**
 * Drops NTLM validations (4776) that repeat a logon event (4624/4625) of the same account from the
 * same source within 5 seconds: a domain controller records the attempt a workstation already did.
 * Returns how many were dropped.
 */
export function dropRepeatedValidations(table: RecordTable): number {
  const rows = table.records();
  const logons = new Map<string, number[]>();
  const key = (r: LogRecord): string => `${r.user?.toLowerCase()}|${r.source?.toLowerCase()}|${r.outcome}`;
  for (const { r } of rows) {
    if (r.eventCode === "4624" || r.eventCode === "4625") (logons.get(key(r)) ?? logons.set(key(r), []).get(key(r))!).push(r.time);
  }
  const before = table.length;
  table.filter((r) => r.eventCode !== "4776" || !logons.get(key(r))?.some((t) => Math.abs(t - r.time) <= 5_000));
  return before - table.length;
}

/** Returns the clock of Windows events read with or without `--tz`. */
function windowsClock(zoneGiven: boolean, zone: string): string {
  return zoneGiven ? `EventTime (host local time) in ${zone}, converted to UTC` : "@timestamp (UTC, collector time) or SystemTime; set --tz to use the host's EventTime";
}

/**
 * Returns a reader of Windows events of any layout, sharing the duplicate rule; `clock` says how
 * its times were read (default: the JSON collectors' clock, which `--tz` changes).
 */
export function windowsReader<R>(context: ReadContext, read: (record: R, windows: WindowsContext) => LineResult, clock = windowsClock(context.zoneGiven, context.zone)): RecordReader<R> {
  const windows: WindowsContext = { zone: context.zoneGiven ? context.zone : undefined };
  return {
    read: (r) => read(r, windows),
    finish: (table) => ({ clock, duplicates: dropRepeatedValidations(table) }),
  };
}

/** What a skipped Windows event is. */
export const WINDOWS_SKIPPED = "event ids threatlab does not map";

/** Windows Security events as JSON lines (NXLog, Mordor, Winlogbeat/ECS, evtx_dump). */
export const windowsJson: TextFormat = {
  kind: "text",
  name: "windows-json",
  title: "Windows Security events as JSON lines: NXLog/OTRF flat records, Winlogbeat/ECS, evtx_dump -o jsonl",
  example: '{"@timestamp":"2020-10-22T08:29:55.210Z","EventTime":"2020-10-22 04:29:53","EventID":4625,"Hostname":"WS5","TargetUserName":"lrodriguez","Status":"0xc000006d"}',
  clock: "@timestamp or Event.System.TimeCreated SystemTime (UTC); with --tz, NXLog's EventTime (host local time) in that zone",
  skipped: WINDOWS_SKIPPED,
  sniff: (head) => {
    const o = firstJson(head);
    return o !== undefined && flattenWindowsEvent(o) !== undefined;
  },
  open: (context) => windowsReader(context, parseWindowsLine),
};
