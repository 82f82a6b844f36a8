/**
 * Command and control on a non-standard port (ATT&CK T1571, with T1071): an inside host that
 * keeps connecting to one outside host on a port no common service uses — or with a protocol on a
 * port that is not its own, such as HTTP on 1337 — periodically, for long sessions, or again and
 * again after failing.
 *
 * Why the port and not periodicity alone: on a day of a real workstation's traffic, Microsoft's
 * telemetry (every 900 s), Dropbox (960 s) and ESET's push channel (300 s) are as regular as any
 * beacon, and all use their services' usual ports. On the same captures no benign connection went
 * to an outside port outside {@link STANDARD_PORTS} more than twice; the RAT's C2 did twelve times.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { HOUR_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents, networkSides, sharedStrings } from "./events";
import { escalateByScore, type Rule, type TypedDetection, withDefaults } from "./rule";
import { slidingBursts } from "./windows";
import { count, formatBytes, plural } from "./words";

/**
 * Ports that ordinary software uses to reach services on the Internet: the web (80, 443, 8080,
 * 8443), mail, DNS and DNS over TLS, NTP, SSH, FTP, VPNs (IPsec, OpenVPN, WireGuard), VoIP and
 * STUN, push channels (Apple 5223, Google 5228, MQTT 1883/8883), and chat (XMPP).
 */
export const STANDARD_PORTS: ReadonlySet<number> = new Set([
  20, 21, 22, 25, 43, 53, 80, 110, 123, 143, 443, 465, 500, 587, 853, 993, 995, 1194, 1701, 1723, 1883, 3478, 3479, 4500, 5060, 5061,
  5222, 5223, 5228, 8080, 8443, 8883, 51820,
]);

/** The ports a protocol Zeek recognised normally runs on: the protocol on another port is a non-standard port (T1571). */
const SERVICE_PORTS: Readonly<Record<string, readonly number[]>> = {
  http: [80, 8080, 8000, 8008, 3128], ssl: [443, 8443, 853, 993, 995, 465, 587, 636, 5061, 5223, 5228, 8883], dns: [53, 853, 5353],
  ssh: [22], smtp: [25, 465, 587], ftp: [20, 21], ntp: [123], quic: [443], dtls: [443, 3478, 5061],
};

/**
 * Returns why a port is non-standard for a connection, or null when it is standard.
 * @example
 * nonStandardPort(1337, null)   // => "port 1337 is no common service's"
 * nonStandardPort(443, "ssh")   // => "ssh on port 443, not its own"
 * nonStandardPort(443, "ssl")   // => null
 */
export function nonStandardPort(port: number, service: string | null): string | null {
  const own = service ? SERVICE_PORTS[service.split(",")[0]] : undefined;
  if (own) return own.includes(port) ? null : `${service} on port ${port}, not its own`;
  return STANDARD_PORTS.has(port) ? null : `port ${port} is no common service's`;
}

/** Options of {@link detectCommandAndControl}. */
export interface CommandAndControlOptions {
  /** Connections from one inside host to one outside host and non-standard port within `windowHours`. Default `6`. */
  connections?: number;
  /** Length of the window in hours. Default `24`. */
  windowHours?: number;
  /** A run of at least this many intervals within ±20 % of each other is a period. Default `4`. */
  periodicRun?: number;
  /** A session at least this long (Zeek's duration) makes the channel persistent. Default `30`. */
  sessionMinutes?: number;
  /**
   * With fewer connections, one TCP session at least this long on a port no protocol is known for
   * (Zeek recognised none) is a channel too: an interactive implant keeps one connection open.
   * Default `10`: no benign TCP session in the Stratosphere captures lasts that long on such a port.
   */
  loneSessionMinutes?: number;
  /** The organisation's networks (CIDR); see `networkSides` for how inside is decided without them. */
  internal?: readonly string[];
}

/** The defaults of {@link CommandAndControlOptions}: `internal` is worked out from the data when absent. */
const C2_DEFAULTS = { connections: 6, windowHours: 24, periodicRun: 4, sessionMinutes: 30, loneSessionMinutes: 10, internal: undefined };

/** The ATT&CK technique of {@link detectCommandAndControl}. */
export const C2_TECHNIQUE = "T1571";

/** What a command-and-control detection holds. */
export type CommandAndControlEvidence = {
  destination: string;
  port: number;
  service: string | null;
  /** Why the port is non-standard. */
  port_reason: string;
  connections: number;
  /** Connections the responder never took (S0, REJ, …). */
  failed: number;
  /** The period found in the data (seconds) and how many intervals in a row kept it; absent when none did. */
  period_s?: number;
  periodic_intervals?: number;
  /** The longest session in seconds, where the log records durations. */
  longest_session_s?: number;
  bytes_out: number;
  duration: string;
  /** The signs of a channel seen: a period, a session of at least `sessionMinutes`, most attempts failing. */
  signs: ("periodic" | "persistent" | "failing")[];
  /** True when the channel is fewer than `connections` connections, one of them a long session on an unknown port. */
  lone_session?: boolean;
  /**
   * The source's other connections to the same outside host, on other ports, from `windowHours`
   * before the channel to `windowHours` after: a C2 server often serves several channels (a
   * second implant's TLS session on 443 looks ordinary on its own). Absent when there are none.
   */
  other_ports?: OtherPort[];
};

/** The connections of a channel's source to the same host on one other port. */
export type OtherPort = {
  port: number;
  service: string | null;
  connections: number;
  /** The longest session in seconds, where the log records durations. */
  longest_session_s?: number;
  bytes_in: number;
};

/**
 * Returns the longest run of consecutive intervals that agree within ±20 % (±1 s for short ones)
 * with the run's first interval, as its length and its median interval: the period, if any.
 * @example
 * longestPeriodicRun([1900, 157, 20.4, 21, 21.7, 22, 22.3, 22.8, 1985]) // => { length: 6, period: 21.85 }
 */
export function longestPeriodicRun(intervals: readonly number[]): { length: number; period: number } {
  let best = { length: 0, period: 0 };
  for (let i = 0; i < intervals.length; i++) {
    const base = intervals[i];
    const slack = Math.max(1, 0.2 * base);
    let j = i;
    while (j < intervals.length && Math.abs(intervals[j] - base) <= slack) j++;
    if (j - i > best.length) {
      const run = intervals.slice(i, j).sort((a, b) => a - b);
      const mid = run.length >> 1;
      best = { length: j - i, period: run.length % 2 ? run[mid] : (run[mid - 1] + run[mid]) / 2 };
    }
  }
  return best;
}

/**
 * Returns a detection for every inside host that made at least `connections` connections to one
 * outside host on a non-standard port within `windowHours` (entity: the inside host). The
 * evidence gives the period found in the connection times, the longest session and the failed
 * attempts; a periodic or persistent channel scores higher.
 * @example
 * detectCommandAndControl(ratConn)[0].evidence // => { destination: "147.32.83.234", port: 1337, period_s: 21.9, … }
 */
export function detectCommandAndControl(frame: Events, options: CommandAndControlOptions = {}): Detection[] {
  const o = withDefaults(C2_DEFAULTS, options);
  checkInteger("connections", o.connections, 2, 1e9);
  checkNumber("windowHours", o.windowHours, 0.1, 31 * 24);
  checkInteger("periodicRun", o.periodicRun, 2, 1e6);
  checkNumber("sessionMinutes", o.sessionMinutes, 0, 1e6);
  checkNumber("loneSessionMinutes", o.loneSessionMinutes, 0, 1e6);
  const view = detectorView(frame);
  if (!["destination", "destination_port"].every((c) => view.columns.includes(c))) return [];
  const has = (c: string): boolean => view.columns.includes(c);
  const rows = collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("log_type").eq(pl.lit("network_traffic")).and(pl.col("ip_address").isNotNull()).and(pl.col("destination").isNotNull()).and(pl.col("destination_port").isNotNull()))
      .select(
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col("ip_address").cast(pl.Utf8).alias("s"),
        pl.col("destination").cast(pl.Utf8).alias("d"),
        pl.col("destination_port").cast(pl.Int64).alias("p"),
        (has("service") ? pl.col("service").cast(pl.Utf8) : pl.lit(null).cast(pl.Utf8)).alias("svc"),
        (has("outcome") ? pl.col("outcome").eq(pl.lit("failure")).fillNull(false) : pl.lit(false)).alias("failed"),
        (has("bytes_out") ? pl.col("bytes_out").cast(pl.Float64).fillNull(0) : pl.lit(0)).alias("out"),
        (has("bytes_in") ? pl.col("bytes_in").cast(pl.Float64).fillNull(0) : pl.lit(0)).alias("in"),
        (has("source_fields") ? pl.col("source_fields").str.jsonPathMatch("$.duration").cast(pl.Float64, false) : pl.lit(null).cast(pl.Float64)).alias("dur"),
        (has("source_fields") ? pl.col("source_fields").str.jsonPathMatch("$.proto").eq(pl.lit("tcp")).fillNull(false) : pl.lit(false)).alias("tcp"),
      )
      .sort({ by: "t", maintainOrder: true }),
  );
  if (rows.height === 0) return [];
  const time = rows.getColumn("t").toArray().map(Number);
  const source = sharedStrings(rows.getColumn("s"));
  const destination = sharedStrings(rows.getColumn("d"));
  const port = rows.getColumn("p").toArray().map(Number);
  const service = sharedStrings(rows.getColumn("svc"));
  const failed = rows.getColumn("failed").toArray() as boolean[];
  const out = rows.getColumn("out").toArray().map(Number);
  const bytesIn = rows.getColumn("in").toArray().map(Number);
  const dur = rows.getColumn("dur").toArray() as (number | null)[];
  const tcp = rows.getColumn("tcp").toArray() as boolean[];
  const sides = networkSides(view, o.internal);
  const windowMs = o.windowHours * HOUR_MS;
  const detections: Detection[] = [];
  const keys = time.map((_, i) => `${source[i]}\u0000${destination[i]}\u0000${port[i]}`);
  for (const indices of groupIndices(keys).values()) {
    const i0 = indices[0];
    if (!sides.inside(source[i0]!) || sides.inside(destination[i0]!)) continue;
    const known = indices.map((i) => service[i]).find((s) => s !== null) ?? null;
    const reason = nonStandardPort(port[i0], known);
    if (reason === null) continue;
    if (indices.length < o.connections) {
      // Too few connections to be a channel, unless one is a long TCP session no protocol was seen on.
      const long = known === null ? indices.filter((i) => tcp[i] && (dur[i] ?? 0) >= o.loneSessionMinutes * 60) : [];
      if (long.length === 0) continue;
      const longest = Math.max(...long.map((i) => dur[i]!));
      const starts = indices.map((i) => time[i]);
      detections.push({
        rule: "command_and_control", technique: C2_TECHNIQUE, entity: { type: "source", value: source[i0]! },
        start: starts[0], end: Math.max(...indices.map((i) => time[i] + (dur[i] ?? 0) * 1000)), eventCount: indices.length,
        score: longest / 60 / o.loneSessionMinutes, observed: Math.round(longest / 60), expected: o.loneSessionMinutes,
        measure: "minutes of one TCP session to an outside host on a port no protocol is known for", window: "one session",
        evidence: {
          destination: destination[i0]!, port: port[i0], service: null, port_reason: reason, connections: indices.length, failed: indices.filter((i) => failed[i]).length,
          longest_session_s: Math.round(longest), bytes_out: indices.reduce((sum, i) => sum + out[i], 0), duration: formatDuration(longest * 1000), signs: [], lone_session: true,
        } satisfies CommandAndControlEvidence,
        logTypes: ["network_traffic"],
      });
      continue;
    }
    const times = indices.map((i) => time[i]);
    for (const b of slidingBursts(times, windowMs, [{ atLeast: o.connections }])) {
      const run = indices.slice(b.first, b.last + 1);
      const starts = run.map((i) => time[i]);
      const periodic = longestPeriodicRun(starts.slice(1).map((t, k) => (t - starts[k]) / 1000));
      const sessions = run.map((i) => dur[i]).filter((d): d is number => d !== null && Number.isFinite(d));
      const longest = sessions.length > 0 ? Math.max(...sessions) : undefined;
      const isPeriodic = periodic.length >= o.periodicRun;
      const isPersistent = longest !== undefined && longest >= o.sessionMinutes * 60;
      const failures = run.filter((i) => failed[i]).length;
      const signs = ([[isPeriodic, "periodic"], [isPersistent, "persistent"], [failures * 2 > run.length, "failing"]] as const).filter(([seen]) => seen).map(([, sign]) => sign);
      detections.push({
        rule: "command_and_control", technique: C2_TECHNIQUE, entity: { type: "source", value: source[i0]! },
        start: starts[0], end: starts[starts.length - 1], eventCount: run.length,
        // One step of score per sign of a channel.
        score: (b.peaks[0] / o.connections) * (1 + signs.length), observed: b.peaks[0], expected: o.connections,
        measure: "connections to one outside host on a non-standard port", window: `${formatDuration(windowMs)} sliding`,
        evidence: {
          destination: destination[i0]!, port: port[i0], service: known, port_reason: reason, connections: run.length, failed: failures,
          ...(isPeriodic ? { period_s: Number(periodic.period.toFixed(1)), periodic_intervals: periodic.length } : {}),
          ...(longest !== undefined ? { longest_session_s: Math.round(longest) } : {}),
          bytes_out: run.reduce((sum, i) => sum + out[i], 0), duration: formatDuration(starts[starts.length - 1] - starts[0]), signs,
        } satisfies CommandAndControlEvidence,
        logTypes: ["network_traffic"],
      });
    }
  }
  if (detections.length === 0) return detections;
  const byPair = groupIndices(time.map((_, i) => `${source[i]}\u0000${destination[i]}`));
  return detections.map((d) => {
    const e = d.evidence as CommandAndControlEvidence;
    const near = (byPair.get(`${d.entity.value}\u0000${e.destination}`) ?? []).filter((i) => port[i] !== e.port && time[i] >= d.start - windowMs && time[i] <= d.end + windowMs);
    if (near.length === 0) return d;
    const other_ports = [...groupIndices(near.map((i) => String(port[i])))].map(([p, positions]): OtherPort => {
      const idx = positions.map((k) => near[k]);
      const sessions = idx.map((i) => dur[i]).filter((x): x is number => x !== null && Number.isFinite(x));
      return {
        port: Number(p), service: idx.map((i) => service[i]).find((x) => x !== null) ?? null, connections: idx.length,
        ...(sessions.length > 0 ? { longest_session_s: Math.round(Math.max(...sessions)) } : {}), bytes_in: idx.reduce((sum, i) => sum + bytesIn[i], 0),
      };
    });
    return { ...d, evidence: { ...e, other_ports: other_ports.sort((a, b) => a.port - b.port) } };
  });
}

/** Returns the summary of a command-and-control detection. */
function summarizeC2(d: TypedDetection<CommandAndControlEvidence>): string {
  const e = d.evidence;
  const signs = [
    e.period_s !== undefined ? `every ${formatDuration(e.period_s * 1000)} (${e.periodic_intervals} times in a row)` : "",
    e.longest_session_s !== undefined && e.longest_session_s >= 60 ? `sessions up to ${formatDuration(e.longest_session_s * 1000)}` : "",
    e.failed > 0 ? `${count(e.failed)} failed` : "",
    e.bytes_out > 0 ? `${formatBytes(e.bytes_out)} sent` : "",
  ].filter(Boolean);
  const others = (e.other_ports ?? []).map(
    (o) =>
      `${o.port}${o.service ? ` (${o.service})` : ""}: ${plural(o.connections, "connection")}` +
      `${o.longest_session_s !== undefined && o.longest_session_s >= 60 ? `, a session of ${formatDuration(o.longest_session_s * 1000)}` : ""}${o.bytes_in > 0 ? `, ${formatBytes(o.bytes_in)} received` : ""}`,
  );
  return (
    `${d.entity.value} connected ${plural(e.connections, "time")} to ${e.destination}:${e.port} in ${e.duration} (${e.port_reason})${signs.length ? `: ${signs.join(", ")}` : ""}` +
    (others.length > 0 ? `; also to ${e.destination} on ${others.join("; ")}` : "")
  );
}

/** Command and control on a non-standard port. */
export const commandAndControl: Rule<"command_and_control", CommandAndControlOptions, CommandAndControlEvidence> = {
  name: "command_and_control", title: "Command and control on a non-standard port", family: "window rule", technique: C2_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "ip_address", "log_type", "destination", "destination_port"], needsValues: ["destination_port"], defaults: C2_DEFAULTS,
  explain: (o) =>
    `≥ ${o.connections} connections from an inside host to one outside host on a non-standard port (or a protocol off its own port) in ${o.windowHours} h; ` +
    `high when periodic (${o.periodicRun} intervals in a row within ±20 %), persistent (a session ≥ ${o.sessionMinutes} min) or mostly failing; ` +
    `with fewer connections, one TCP session ≥ ${o.loneSessionMinutes} min on a port no protocol is known for; the alert lists the source's other connections to that host`,
  basis: "ATT&CK T1571; the period is found in the connection times",
  detect: detectCommandAndControl,
  summarize: summarizeC2,
  escalate: (d, base) => (d.evidence.lone_session ? base : d.evidence.signs.length > 0 ? "high" : escalateByScore({ score: d.score, evidence: {} }, base)),
};
