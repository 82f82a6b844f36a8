/**
 * Syslog authentication lines: OpenSSH `sshd`, PAM (`pam_unix`, in both its tag forms), `su`,
 * `sudo`, cron and logind, as found in /var/log/auth.log, /var/log/secure and /var/log/messages.
 * Headers: RFC 3164 ("Dec 10 06:55:46 host prog[pid]: message", no year), RFC 3339 stamps of
 * newer rsyslog ("2025-03-03T10:15:01.123456+01:00 host prog[pid]: …"), RFC 5424 ("<34>1 2025-…
 * host app procid msgid [sd] message") and `journalctl -o short-iso`; an optional `<PRI>` first.
 * A line with a syslog header is syslog even when its program is one threatlab does not read.
 */
import { daysInMonth, isoUtc, monthIndex, utcFromParts, wallTimeToUtc } from "../../time";
import { type LineResult, type LogRecord, type RecordTable, record } from "../ingest/records";
import type { ReadContext, ReadOutcome, RecordReader, TextFormat } from "./format";

type Fields = { host: string | null; program: string };
type Parsed = Partial<LogRecord> & { logType: string; count?: number; pam?: number };
type Match = (m: RegExpExecArray, f: Fields) => Parsed;

const ip = (value: string | undefined): string | null => (value === undefined || value === "" ? null : value);

/** Patterns of sshd's own messages, tried in order. Each yields the event's type and fields. */
const SSHD: [RegExp, Match][] = [
  [/^Failed (password|publickey|keyboard-interactive\/pam|none|hostbased) for (invalid user )?(.*?) from (\S+) port (\d+)/, (m) => ({ logType: "login_failed", outcome: "failure", user: m[3], source: m[4], detail: m[2] ? `${m[1]} (unknown user)` : m[1] })],
  [/^Accepted (password|publickey|keyboard-interactive\/pam|gssapi-with-mic|hostbased) for (\S+) from (\S+) port (\d+)/, (m) => ({ logType: "login_success", outcome: "success", user: m[2], source: m[3], detail: m[1] })],
  [/^Invalid user (.*?) from (\S+)(?: port \d+)?\s*$/, (m) => ({ logType: "invalid_user", user: m[1], source: m[2] })],
  [/^input_userauth_request: invalid user (.*?) \[preauth\]/, (m) => ({ logType: "invalid_user_request", user: m[1] })],
  [/^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?(\S+) from (\S+)/, (m) => ({ logType: "max_auth_attempts", user: m[1], source: m[2] })],
  [/^Disconnecting(?: authenticating user| invalid user)?:? (?:(\S+) (\S+) port \d+: )?Too many authentication failures/, (m) => ({ logType: "max_auth_attempts", user: m[1] ?? null, source: ip(m[2]) })],
  [/^(?:error: )?Received disconnect from (\S+?)(?: port \d+)?:/, (m) => ({ logType: "disconnect", source: m[1] })],
  [/^Connection closed by (?:(?:authenticating|invalid) user (\S+) )?(\S+)(?: port \d+)?/, (m) => ({ logType: "disconnect", user: m[1] ?? null, source: m[2] })],
  [/^Disconnected from (?:(?:authenticating|invalid) )?(?:user (\S+) )?(\S+) port \d+/, (m) => ({ logType: "disconnect", user: m[1] ?? null, source: m[2] })],
  [/^Connection reset by (?:(?:authenticating|invalid) user (\S+) )?(\S+)/, (m) => ({ logType: "disconnect", user: m[1] ?? null, source: m[2] })],
  [/^Did not receive identification string from (\S+)/, (m) => ({ logType: "scan", source: m[1] })],
  [/^(?:error: )?(?:Bad protocol version identification|kex_exchange_identification|banner exchange|Unable to negotiate with) .*?(\d+\.\d+\.\d+\.\d+|[0-9a-f:]{3,})/, (m) => ({ logType: "scan", source: m[1] })],
  [/^reverse mapping checking getaddrinfo for (\S+) \[([^\]]+)\] failed/, (m) => ({ logType: "reverse_mapping_failed", source: m[2], detail: m[1] })],
  [/^(?:Address|Nasty PTR record) .* POSSIBLE BREAK-IN ATTEMPT/, () => ({ logType: "reverse_mapping_failed" })],
  [/^(?:Server listening on|Received signal|Timeout, client not responding|fatal: |error: |pam_systemd|Starting session|Close session|Received SIGHUP|Transferred: |subsystem request|User child is on pid|Postponed|Found matching)/, () => ({ logType: "sshd_info" })],
];

/** PAM, su, sudo, cron and logind messages (any program). */
const GENERIC: [RegExp, Match][] = [
  [/^pam_unix\(([^:)]+):auth\): authentication failure;(.*)$/, (m, f) => {
    const kv = keyValues(m[2]);
    const user = kv.user || kv.ruser || null;
    const source = kv.rhost || null;
    // sshd usually writes its own "Failed password" line for the same attempt: the reader pairs
    // them by process when the file is read (see SyslogReader.finish) and counts only the unpaired.
    return m[1] === "sshd"
      ? { logType: "pam_auth_failure", user, source, pam: 1 }
      : { logType: "login_failed", outcome: "failure", user, source: source ?? f.host, service: m[1] };
  }],
  [/^pam_unix\(([^:)]+):auth\): check pass; user unknown/, () => ({ logType: "unknown_user" })],
  [/^pam_unix\(([^:)]+):session\): session opened for user (\S+?)(?:\(uid=\d+\))? by/, (m) => ({ logType: "session_open", user: m[2], service: m[1] })],
  [/^pam_unix\(([^:)]+):session\): session closed for user (\S+)/, (m) => ({ logType: "session_close", user: m[2], service: m[1] })],
  [/^PAM (\d+) more authentication failures?;(.*)$/, (m, f) => {
    const kv = keyValues(m[2]);
    return { logType: "pam_auth_failure", user: kv.user || null, source: kv.rhost || null, ...(f.program === "sshd" ? { pam: Number(m[1]) } : {}) };
  }],
  [/^PAM service\(\S+\) ignoring max retries/, () => ({ logType: "pam_info" })],
  [/^pam_unix\(\S+\): /, () => ({ logType: "pam_info" })],
  // su writes this after PAM's own "authentication failure" line for the same attempt: a repeat, not a second failure.
  [/^FAILED SU \(to (\S+)\) (\S+) on (\S+)/, (m, f) => ({ logType: "su_failed", user: m[1], source: f.host, service: "su", detail: `by ${m[2]} on ${m[3]}` })],
  [/^FAILED su for (\S+) by (\S+)/, (m, f) => ({ logType: "su_failed", user: m[1], source: f.host, service: "su", detail: `by ${m[2]}` })],
  [/^Successful su for (\S+) by (\S+)/, (m, f) => ({ logType: "login_success", outcome: "success", user: m[1], source: f.host, service: "su", detail: `by ${m[2]}` })],
  [/^\(to (\S+)\) (\S+) on (\S+)/, (m, f) => ({ logType: "login_success", outcome: "success", user: m[1], source: f.host, service: "su", detail: `by ${m[2]} on ${m[3]}` })],
  [/^\s*(\S+) : (\d+) incorrect password attempts? ;.*USER=(\S+)/, (m, f) => ({ logType: "login_failed", outcome: "failure", user: m[1], source: f.host, service: "sudo", count: Number(m[2]), detail: `as ${m[3]}` })],
  [/^\s*(\S+) : (?:TTY=\S+ ; )?PWD=.*? ; USER=(\S+) ; (?:COMMAND=(.*))?/, (m, f) => ({ logType: "system_call", user: m[1], source: f.host, service: "sudo", detail: `as ${m[2]}: ${m[3] ?? ""}`.trim() })],
  [/^New session (\S+) of user (\S+)\.?/, (m) => ({ logType: "session_open", user: m[2], service: "logind" })],
  [/^(?:Removed session|Session \S+ logged out)/, () => ({ logType: "session_close", service: "logind" })],
  [/^\((\S+)\) CMD \((.*)\)/, (m, f) => ({ logType: "system_call", user: m[1], source: f.host, service: "cron", detail: m[2] })],
];

/**
 * The longest message read: rsyslog's largest default (maxMessageSize 8k) twice over. No sshd, PAM
 * or sudo message comes near it; a longer one is an attempt on the parser.
 */
export const MAX_MESSAGE_CHARS = 16_384;

/** Programs whose messages threatlab reads: a line of theirs that no pattern knows is "unrecognised", not skipped. */
const READ_PROGRAMS = /^(sshd|su|sudo|login|CRON|cron|systemd-logind|passwd|useradd|groupadd|chage|polkitd|gdm-password)$/;

const WORD = /\w/;

/**
 * Returns the `key=value` pairs of a PAM message; empty values are kept as "". Each pair is a
 * run of word characters, `=`, and the rest of its whitespace-separated token. Cut by hand, in
 * one pass: the pattern `(\w+)=(\S*)` takes time quadratic in a long run of word characters
 * without `=` (16,000 of them took 0.1 s).
 * @example
 * keyValues("logname= uid=0 tty=ssh rhost=203.0.113.7  user=root") // => { logname: "", uid: "0", tty: "ssh", rhost: "203.0.113.7", user: "root" }
 */
export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const token of text.split(/\s+/)) {
    for (let eq = token.indexOf("="); eq >= 0; eq = token.indexOf("=", eq + 1)) {
      let start = eq;
      while (start > 0 && WORD.test(token[start - 1])) start--;
      if (start < eq) {
        out[token.slice(start, eq)] = token.slice(eq + 1);
        break;
      }
    }
  }
  return out;
}

/**
 * Returns a message of PAM's old tag form (`sshd(pam_unix)[pid]: authentication failure; …`, as
 * Red Hat wrote it until about 2006) in today's form (`pam_unix(sshd:auth): authentication failure; …`).
 */
function modernPamMessage(program: string, module: string, message: string): string {
  if (/^(authentication failure|check pass)/.test(message)) return `${module}(${program}:auth): ${message}`;
  if (/^session (opened|closed)/.test(message)) return `${module}(${program}:session): ${message}`;
  const more = /^(\d+) more authentication failures?;/.exec(message);
  if (more) return `PAM ${message}`;
  return `${module}(${program}): ${message}`;
}

/** Parses one message of `program` into an event description, or undefined when no pattern matches. */
function parseMessage(program: string, message: string, fields: Fields): Parsed | undefined {
  // "message repeated N times: [ … ]", cut by hand: a pattern with a lazy body before optional
  // trailing spaces takes time quadratic in a run of spaces.
  const repeated = /^message repeated (\d{1,9}) times: \[ ?/.exec(message);
  if (repeated) {
    let body = message.slice(repeated[0].length).trimEnd();
    if (body.endsWith("]")) body = body.slice(0, -1);
    const times = Number(repeated[1]);
    const inner = parseMessage(program, body, fields);
    return inner ? { ...inner, count: times * (inner.count ?? 1), ...(inner.pam ? { pam: inner.pam * times } : {}) } : undefined;
  }
  const table = program === "sshd" ? [...SSHD, ...GENERIC] : GENERIC;
  for (const [pattern, match] of table) {
    const m = pattern.exec(message);
    if (m) return match(m, fields);
  }
  return undefined;
}

/** A syslog stamp: with a year (epoch ms), or year-less wall-clock parts (RFC 3164). */
export type SyslogStamp =
  | { readonly kind: "utc"; readonly ms: number }
  | { readonly kind: "local"; readonly wall: number }
  | { readonly kind: "yearless"; readonly month: number; readonly day: number; readonly hour: number; readonly minute: number; readonly second: number };

/** A syslog line cut into its parts. */
export interface SyslogLine {
  readonly stamp: SyslogStamp;
  readonly host: string | null;
  /** The tag's program (`sshd`), or null when the line has no `program[pid]:` tag. */
  readonly program: string | null;
  /** PAM's module in the old tag form `sshd(pam_unix)[pid]`. */
  readonly module: string | null;
  readonly pid: string | null;
  readonly message: string;
  /** `<PRI>`, when the line starts with one. */
  readonly priority: number | null;
  /** RFC 5424's MSGID and STRUCTURED-DATA, when the line is RFC 5424. */
  readonly msgid?: string | null;
  readonly structuredData?: string | null;
}

const PRI = /^<(\d{1,3})>/;
const BSD_STAMP = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? +(\S+) (.*)$/;
const ISO_STAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})? +(\S+) (.*)$/;
const RFC5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) (.*)$/;
const TAG = /^([^\s:[(]+)(?:\(([^)\s]*)\))?(?:\[(\d+)\])?:(?: |$)(.*)$/;

/** Returns the epoch ms of ISO text parts with an offset, or the wall-clock stamp without one. */
function isoStamp(m: RegExpExecArray, at: number): SyslogStamp | undefined {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[at + i - 1]));
  const wall = utcFromParts(y, mo, d, h, mi, s, Math.floor(Number(`0.${m[at + 6] ?? "0"}`) * 1000));
  if (wall === undefined) return undefined;
  const offset = m[at + 7];
  if (offset === undefined) return { kind: "local", wall };
  if (offset === "Z") return { kind: "utc", ms: wall };
  const digits = offset.slice(1).replace(":", "");
  const sign = offset[0] === "-" ? -1 : 1;
  return { kind: "utc", ms: wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000 };
}

const ISO_ONLY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Returns RFC 5424's STRUCTURED-DATA and the message after it (`-` is none), scanning once. */
function splitStructuredData(rest: string): [string | null, string] {
  if (rest.startsWith("-")) return [null, rest.slice(rest[1] === " " ? 2 : 1)];
  let i = 0;
  while (rest[i] === "[") {
    i++;
    let quoted = false;
    for (; i < rest.length; i++) {
      const c = rest[i];
      if (c === "\\") i++;
      else if (c === '"') quoted = !quoted;
      else if (c === "]" && !quoted) break;
    }
    i++;
  }
  return [rest.slice(0, i), rest.slice(rest[i] === " " ? i + 1 : i)];
}

/**
 * Returns a syslog line cut into stamp, host, tag and message, or undefined when it is not syslog.
 * @example
 * splitSyslogLine("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown")
 * // => { stamp: { kind: "yearless", month: 5, day: 14, … }, host: "combo", program: "sshd", module: "pam_unix", pid: "19939", message: "check pass; user unknown", … }
 */
export function splitSyslogLine(line: string): SyslogLine | undefined {
  const pri = PRI.exec(line);
  const text = pri ? line.slice(pri[0].length) : line;
  const priority = pri ? Number(pri[1]) : null;
  const v5424 = pri ? RFC5424.exec(text) : null;
  if (v5424) {
    const iso = ISO_ONLY.exec(v5424[1]);
    const stamp = iso ? isoStamp(iso, 1) : undefined;
    if (!stamp) return undefined;
    const [structuredData, message] = splitStructuredData(v5424[6]);
    const nil = (v: string): string | null => (v === "-" ? null : v);
    return { stamp, host: nil(v5424[2]), program: nil(v5424[3]), module: null, pid: nil(v5424[4]), message: message.replace(/^\uFEFF/, ""), priority, msgid: nil(v5424[5]), structuredData };
  }
  let stamp: SyslogStamp | undefined;
  let host: string;
  let rest: string;
  const bsd = BSD_STAMP.exec(text);
  if (bsd) {
    const month = monthIndex(bsd[1]);
    const [day, hour, minute, second] = [2, 3, 4, 5].map((i) => Number(bsd[i]));
    // No year yet: a day no year has (30 February, 31 April) or an impossible time is not a stamp.
    if (month < 0 || day < 1 || day > daysInMonth(2000, month + 1) || hour > 23 || minute > 59 || second > 60) return undefined;
    stamp = { kind: "yearless", month, day, hour, minute, second };
    [host, rest] = [bsd[6], bsd[7]];
  } else {
    const iso = ISO_STAMP.exec(text);
    if (!iso) return undefined;
    stamp = isoStamp(iso, 1);
    if (!stamp) return undefined;
    [host, rest] = [iso[9], iso[10]];
  }
  const tag = TAG.exec(rest);
  if (!tag) return { stamp, host, program: null, module: null, pid: null, message: rest, priority };
  return { stamp, host, program: tag[1], module: tag[2] || null, pid: tag[3] ?? null, message: tag[4], priority };
}

/** Returns true when a line looks like a syslog line. */
export function looksLikeSyslog(line: string): boolean {
  return splitSyslogLine(line) !== undefined;
}

/** Lines `journalctl` writes between entries (`-- Boot 3a…f --`, `-- Logs begin at … --`, `-- No entries --`). */
const JOURNAL_MARKER = /^-- .* --$|^-- (Logs begin|Journal begins|No entries|Reboot)/;

/** The journal's own marker lines and the share of syslog lines that make a file syslog. */
function syslogShare(lines: readonly string[]): number {
  const sample = lines.slice(0, 50).filter((l) => !JOURNAL_MARKER.test(l));
  return sample.length === 0 ? 0 : sample.filter(looksLikeSyslog).length / sample.length;
}

/** Returns a syslog line's own fields as JSON text: host, program, pid and message, and what else the line has. */
function syslogFields(parts: SyslogLine): string {
  const source: Record<string, unknown> = { host: parts.host, program: parts.program, pid: parts.pid, message: parts.message };
  if (parts.module) source.module = parts.module;
  if (parts.priority !== null) source.priority = parts.priority;
  if (parts.msgid) source.msgid = parts.msgid;
  if (parts.structuredData) source.structured_data = parts.structuredData;
  return JSON.stringify(source);
}

type YearlessStamp = Extract<SyslogStamp, { kind: "yearless" }>;

/** Returns a year-less stamp and its New Years as one number that orders them in time (8 bytes a line). */
function packStamp(s: YearlessStamp, turns: number): number {
  return ((((turns * 12 + s.month) * 32 + s.day) * 24 + s.hour) * 60 + s.minute) * 61 + s.second;
}

/** Returns the UTC time of a packed year-less stamp placed with `base` as the year of its first line. */
function placeStamp(packed: number, base: number, zone: string): number {
  let rest = packed;
  const take = (size: number): number => {
    const part = rest % size;
    rest = (rest - part) / size;
    return part;
  };
  const [second, minute, hour, day, month] = [take(61), take(60), take(24), take(32), take(12)];
  return wallTimeToUtc(Date.UTC(base + rest, month, day, hour, minute, second), zone);
}

/** One PAM authentication failure of sshd, waiting to be paired with sshd's own line for the same attempt. */
interface PamFailure {
  readonly event: LogRecord;
  /** How many attempts it stands for ("PAM 5 more authentication failures" stands for 5). */
  readonly attempts: number;
  readonly line: number;
}

/**
 * Reads one syslog file. Year-less stamps are placed in a year at the end, when the whole file is
 * known; PAM failures of sshd are paired with sshd's own failure lines of the same process, so
 * each attempt counts once whichever lines the file has.
 */
export class SyslogReader implements RecordReader<string> {
  /** Year-less lines' events and their packed stamps, placed in a year once the whole file is read. */
  private readonly yearlessEvents: LogRecord[][] = [];
  private readonly yearlessStamps: number[] = [];
  private lastMonth: number | undefined;
  private turns = 0;
  /** sshd failure lines per process (`host|pid`), and PAM failures waiting for them. */
  private readonly sshdFailures = new Map<string, number>();
  private readonly pamFailures = new Map<string, PamFailure[]>();

  constructor(private readonly context: ReadContext, private readonly name = "syslog") {}

  read(line: string, number: number): LineResult {
    if (JOURNAL_MARKER.test(line)) return "skipped";
    const parts = splitSyslogLine(line);
    if (!parts) return "unrecognised";
    return this.readParts(parts, number, syslogFields);
  }

  /**
   * Returns the events of a line already cut into its parts; `sourceFields(parts)` gives the JSON
   * text kept as the events' own fields, made only for a line that gives events.
   */
  readParts(parts: SyslogLine, number: number, sourceFields: (parts: SyslogLine) => string): LineResult {
    const { host, module, pid, stamp } = parts;
    if (parts.program === null) return "skipped";
    if (parts.message.length > MAX_MESSAGE_CHARS) return { malformed: `a message of ${parts.message.length.toLocaleString("en-US")} characters, over the ${MAX_MESSAGE_CHARS.toLocaleString("en-US")} a syslog message can hold` };
    const program = parts.program;
    const message = module ? modernPamMessage(program, module, parts.message) : parts.message;
    const parsed = parseMessage(program, message, { host, program });
    if (!parsed) return READ_PROGRAMS.test(program) ? "unrecognised" : "skipped";
    const { count = 1, pam, ...fields } = parsed;
    const time = this.time(stamp);
    const base = record(time, fields.logType, { host, service: program === "sshd" ? "ssh" : null, eventCode: program, sourceFields: sourceFields(parts), ...fields });
    const events = Array.from({ length: Math.max(1, Math.min(count, 10_000)) }, () => ({ ...base }));
    if (stamp.kind === "yearless") {
      this.yearlessEvents.push(events);
      this.yearlessStamps.push(packStamp(stamp, this.turns));
    }
    if (program === "sshd" && pid !== null) {
      const key = `${host}|${pid}`;
      if (fields.logType === "login_failed") this.sshdFailures.set(key, (this.sshdFailures.get(key) ?? 0) + events.length);
      if (pam !== undefined) (this.pamFailures.get(key) ?? this.pamFailures.set(key, []).get(key)!).push({ event: events[0], attempts: pam, line: number });
    } else if (pam !== undefined) {
      // No process to pair by: the failure is counted.
      Object.assign(events[0], { logType: "login_failed", outcome: "failure" });
    }
    return events;
  }

  /** Returns the UTC time of a stamp with a year; year-less stamps get theirs in {@link finish}. */
  private time(stamp: SyslogStamp): number {
    if (stamp.kind === "utc") return stamp.ms;
    if (stamp.kind === "local") return wallTimeToUtc(stamp.wall, this.context.zone);
    if (this.lastMonth !== undefined && stamp.month < this.lastMonth - 6) this.turns++;
    this.lastMonth = stamp.month;
    return Number.NaN;
  }

  finish(table: RecordTable): ReadOutcome {
    const { zone, year, modified } = this.context;
    const warnings: string[] = [];
    let yearText = "";
    if (this.yearlessStamps.length > 0) {
      let base = year;
      if (base === undefined) {
        base = latestYearBefore(this.yearlessStamps, modified, zone);
        const when = isoUtc(modified).slice(0, 10);
        warnings.push(`syslog timestamps carry no year; placed in ${base}${this.turns > 0 ? `–${base + this.turns}` : ""}, the latest year that puts no line after the file's modification time (${when}); set another with --year`);
        yearText = ` (year ${base}, from the file's modification time)`;
      } else {
        yearText = ` (year ${base})`;
      }
      const placed = base;
      this.yearlessEvents.forEach((events, i) => {
        const t = placeStamp(this.yearlessStamps[i], placed, zone);
        for (const e of events) e.time = t;
      });
    }
    this.countUnpairedPam(table);
    return { clock: `${this.name} time${yearText} read as ${zone}${zone === "UTC" ? "" : ", converted to UTC"}`, warnings };
  }

  /**
   * Counts PAM failures of sshd that no sshd failure line of the same process records: when a
   * process wrote fewer "Failed …" lines than PAM counted attempts, the rest are failed logins
   * (old /var/log/messages files hold only PAM's lines, sshd's went to another file).
   */
  private countUnpairedPam(table: RecordTable): void {
    for (const [key, failures] of this.pamFailures) {
      let recorded = this.sshdFailures.get(key) ?? 0;
      for (const { event, attempts, line } of failures) {
        const paired = Math.min(recorded, attempts);
        recorded -= paired;
        const unpaired = attempts - paired;
        if (unpaired === 0) continue;
        Object.assign(event, { logType: "login_failed", outcome: "failure" });
        for (let i = 1; i < Math.min(unpaired, 10_000); i++) table.add({ ...event }, line);
      }
    }
  }
}

/** Slack for a wrong `--tz`: a local stamp read in the wrong zone is off by at most 14 hours. */
const ZONE_SLACK_MS = 14 * 3_600_000;

/** Returns the latest year that puts no year-less line after `modified` (allowing for a wrong zone). */
function latestYearBefore(stamps: readonly number[], modified: number, zone: string): number {
  let last = stamps[0];
  for (const s of stamps) if (s > last) last = s;
  let base = new Date(modified).getUTCFullYear();
  while (placeStamp(last, base, zone) > modified + ZONE_SLACK_MS && base > 1970) base--;
  return base;
}

/** OpenSSH, PAM, su, sudo and cron lines in syslog. */
export const syslog: TextFormat = {
  kind: "text",
  name: "syslog",
  title: "syslog (auth.log, secure, messages): RFC 3164, RFC 3339 stamps, RFC 5424; OpenSSH, both PAM tag forms, su, sudo, cron",
  example: "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 203.0.113.7 port 40001 ssh2",
  clock: "stamps with an offset as written; without one in --tz (default UTC); year-less stamps in --year, else the latest year that puts no line after the file's modification time",
  sniff: (head) => syslogShare(head.lines) >= 0.5,
  open: (context) => new SyslogReader(context),
};

/** `journalctl -o short-iso` (and short-iso-precise): syslog lines with ISO stamps, and the journal's marker lines. */
export const journaldShortIso: TextFormat = {
  kind: "text",
  name: "journald-short-iso",
  title: "systemd journal as `journalctl -o short-iso` or `short-iso-precise` writes it",
  example: "2025-03-03T10:15:01+0100 web1 sshd[1001]: Failed password for root from 203.0.113.7 port 40001 ssh2",
  clock: "the ISO stamp with its offset",
  sniff: (head) => head.lines.slice(0, 5).some((l) => JOURNAL_MARKER.test(l)) && syslogShare(head.lines) >= 0.5,
  open: (context) => new SyslogReader(context, "journal"),
};
