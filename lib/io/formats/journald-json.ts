/**
 * The systemd journal as `journalctl -o json` writes it (the only auth log on a default Debian 12
 * or Fedora): one JSON object per entry, its time in `__REALTIME_TIMESTAMP` (microseconds since
 * 1970, as text), its message in `MESSAGE` (text, or an array of bytes when not valid UTF-8).
 * Messages are read exactly as syslog's are.
 */
import { parseJsonObject, type LineResult } from "../ingest/records";
import { type ReadContext, type RecordReader, type TextFormat, firstJson } from "./format";
import { SyslogReader } from "./syslog";

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);

/** Returns a journal MESSAGE as text: a string as it is, an array of bytes decoded as UTF-8. */
function messageText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Buffer.from(v as number[]).toString("utf8");
  return null;
}

/** Reads `journalctl -o json` lines through the syslog reader's message patterns. */
function journaldReader(context: ReadContext): RecordReader<string> {
  const syslog = new SyslogReader(context, "journal");
  const read = (line: string, number: number): LineResult => {
    const [o, failed] = parseJsonObject(line, { malformed: "not a JSON object" });
    if (!o) return failed;
    const micros = text(o.__REALTIME_TIMESTAMP);
    if (micros === null || !/^\d{1,17}$/.test(micros)) return { malformed: `no __REALTIME_TIMESTAMP in microseconds (${JSON.stringify(o.__REALTIME_TIMESTAMP)})` };
    const message = messageText(o.MESSAGE);
    if (message === null) return { malformed: "MESSAGE is neither text nor an array of bytes" };
    const ms = Math.floor(Number(micros) / 1000);
    const program = text(o.SYSLOG_IDENTIFIER) ?? text(o._COMM);
    const pid = text(o.SYSLOG_PID) ?? text(o._PID);
    return syslog.readParts({ stamp: { kind: "utc", ms }, host: text(o._HOSTNAME), program, module: null, pid, message, priority: null }, number, () => JSON.stringify({ ...o, MESSAGE: message }));
  };
  return { read, finish: (table) => ({ ...syslog.finish(table), clock: "__REALTIME_TIMESTAMP (microseconds since 1970, UTC)" }) };
}

/** `journalctl -o json`. */
export const journaldJson: TextFormat = {
  kind: "text",
  name: "journald-json",
  title: "systemd journal as `journalctl -o json` writes it",
  example: '{"__REALTIME_TIMESTAMP":"1741000501000000","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"sshd","_PID":"1001","MESSAGE":"Failed password for root from 203.0.113.7 port 40001 ssh2"}',
  clock: "__REALTIME_TIMESTAMP (microseconds since 1970, UTC)",
  sniff: (head) => {
    const o = firstJson(head);
    return o !== undefined && "__REALTIME_TIMESTAMP" in o && "MESSAGE" in o;
  },
  open: journaldReader,
};
