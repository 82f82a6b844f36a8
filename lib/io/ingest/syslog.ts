/**
 * Syslog authentication lines: OpenSSH `sshd`, PAM (`pam_unix`), `su`, `sudo`, cron and logind,
 * as found in /var/log/auth.log, /var/log/secure and /var/log/messages. Both the classic
 * "Dec 10 06:55:46 host prog[pid]: message" header (no year: `--year`) and the ISO-8601 header of
 * newer rsyslog are read; times without an offset are in `--tz` (default UTC).
 */
import { monthIndex, wallTimeToUtc } from "../../time";
import { type LineResult, type LogRecord, record } from "./records";

const HEADER =
  /^(?:([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})|(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;

/** Returns true when a line looks like a syslog line. */
export function looksLikeSyslog(line: string): boolean {
  return HEADER.test(line);
}

/** What a syslog parser needs to know. */
export interface SyslogContext {
  /** Year of year-less timestamps; increases when the months wrap from December to January. */
  year: number;
  /** Time zone of timestamps without an offset. */
  zone: string;
  /** Month of the previous line, to notice the new year. */
  lastMonth?: number;
}

type Fields = { host: string; program: string };
type Match = (m: RegExpExecArray, f: Fields) => Partial<LogRecord> & { logType: string; count?: number };

const ip = (value: string | undefined): string | null => (value === undefined || value === "" ? null : value);

/** Patterns of messages, tried in order. Each yields the event's type and fields. */
const SSHD: [RegExp, Match][] = [
  [/^Failed (password|publickey|keyboard-interactive\/pam|none|hostbased) for (?:invalid user )?(.*?) from (\S+) port (\d+)/, (m) => ({ logType: "login_failed", outcome: "failure", user: m[2], source: m[3], detail: m[1] })],
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
    // sshd writes its own "Failed password" line for the same attempt: this one is a repeat.
    return m[1] === "sshd"
      ? { logType: "pam_auth_failure", user, source }
      : { logType: "login_failed", outcome: "failure", user, source: source ?? f.host, service: m[1] };
  }],
  [/^pam_unix\(([^:)]+):auth\): check pass; user unknown/, () => ({ logType: "unknown_user" })],
  [/^pam_unix\(([^:)]+):session\): session opened for user (\S+?)(?:\(uid=\d+\))? by/, (m) => ({ logType: "session_open", user: m[2], service: m[1] })],
  [/^pam_unix\(([^:)]+):session\): session closed for user (\S+)/, (m) => ({ logType: "session_close", user: m[2], service: m[1] })],
  [/^PAM (\d+) more authentication failures?;(.*)$/, (m) => {
    const kv = keyValues(m[2]);
    return { logType: "pam_auth_failure", user: kv.user || null, source: kv.rhost || null, count: 1 };
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

/** Returns the `key=value` pairs of a PAM message; empty values are kept as "". */
function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)=(\S*)/g)) out[m[1]] = m[2];
  return out;
}

/** Returns the UTC time of a matched header, advancing the context's year across New Year. */
function headerTime(m: RegExpExecArray, ctx: SyslogContext): number {
  if (m[1] !== undefined) {
    const month = monthIndex(m[1]);
    if (ctx.lastMonth !== undefined && month < ctx.lastMonth - 6) ctx.year++;
    ctx.lastMonth = month;
    return wallTimeToUtc(Date.UTC(ctx.year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])), ctx.zone);
  }
  const wall = Date.UTC(Number(m[6]), Number(m[7]) - 1, Number(m[8]), Number(m[9]), Number(m[10]), Number(m[11]), Math.floor(Number(`0.${m[12] ?? "0"}`) * 1000));
  const offset = m[13];
  if (offset === undefined) return wallTimeToUtc(wall, ctx.zone);
  if (offset === "Z") return wall;
  const sign = offset[0] === "-" ? -1 : 1;
  const [h, mi] = offset.slice(1).includes(":") ? offset.slice(1).split(":").map(Number) : [Number(offset.slice(1, 3)), Number(offset.slice(3))];
  return wall - sign * (h * 60 + mi) * 60_000;
}

/** Parses one message of `program` into an event description, or undefined when no pattern matches. */
function parseMessage(program: string, message: string, fields: Fields): (Partial<LogRecord> & { logType: string; count?: number }) | undefined {
  const repeated = /^message repeated (\d+) times: \[ ?(.*?)\]?\s*$/.exec(message);
  if (repeated) {
    const inner = parseMessage(program, repeated[2], fields);
    return inner ? { ...inner, count: Number(repeated[1]) * (inner.count ?? 1) } : undefined;
  }
  const table = program === "sshd" ? [...SSHD, ...GENERIC] : GENERIC;
  for (const [pattern, match] of table) {
    const m = pattern.exec(message);
    if (m) return match(m, fields);
  }
  return undefined;
}

/**
 * Parses one syslog line: the events it stands for ("message repeated N times" stands for N),
 * "skipped" for a syslog line from a program threatlab does not read, or "unrecognised".
 * @example
 * parseSyslogLine("Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2", ctx)
 * // => [{ logType: "login_success", user: "fztu", source: "119.137.62.142", host: "LabSZ", … }]
 */
export function parseSyslogLine(line: string, ctx: SyslogContext): LineResult {
  const m = HEADER.exec(line);
  if (!m) return "unrecognised";
  const host = m[14];
  const program = m[15];
  const message = m[17];
  const parsed = parseMessage(program, message, { host, program });
  if (!parsed) return /^(sshd|su|sudo|login|CRON|cron|systemd-logind|passwd|useradd|groupadd|chage|polkitd|gdm-password)$/.test(program) ? "unrecognised" : "skipped";
  const time = headerTime(m, ctx);
  const { count = 1, ...fields } = parsed;
  const base = record(time, fields.logType, { host, service: program === "sshd" ? "ssh" : null, eventCode: program, ...fields });
  return Array.from({ length: Math.max(1, Math.min(count, 10_000)) }, () => ({ ...base }));
}
