/**
 * RDP brute force (ATT&CK T1110): one source opening remote-desktop connections to a host faster
 * than a person can — a password-guessing tool (Hydra, Crowbar, NLBrute) opens one connection per
 * guess, several a second. It reads connections the server accepted: Windows' RdpCoreTS event 131
 * ("the server accepted a new TCP connection from client …", which names no account) and
 * connection logs' RDP sessions (Zeek's service `rdp`, or port 3389). Unanswered attempts are a
 * scan's, not a guesser's (`network_scan`).
 *
 * A person connects once, or a few times when the network drops; a load balancer's health check
 * connects every 5 s or more (Azure's and F5's defaults: 5 s, AWS: 10 or 30 s), which stays under
 * 10 connections in 30 s.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents, sharedStrings } from "./events";
import { raiseSeverity, type Rule, withDefaults } from "./rule";
import { slidingBursts } from "./windows";
import { listSome, plural } from "./words";

/** Options of {@link detectRdpBruteForce}. */
export interface RdpBruteForceOptions {
  /** Accepted RDP connections from one source to one host within the window. Default `10`. */
  connections?: number;
  /** Sliding window in seconds. Default `30`. */
  windowSeconds?: number;
}

/** The defaults of {@link RdpBruteForceOptions}. */
const RDP_DEFAULTS = { connections: 10, windowSeconds: 30 };

/** Hosts one source hammers at once that make the alert high: a sweep of the estate, not one server. */
const HIGH_AT_HOSTS = 3;

/** The ATT&CK technique of {@link detectRdpBruteForce}. */
export const RDP_BRUTE_FORCE_TECHNIQUE = "T1110";

/** The port RDP listens on unless configured otherwise. */
const RDP_PORT = 3389;

/** What an RDP brute-force detection holds. */
export type RdpBruteForceEvidence = {
  /** The hosts the source opened connections to that fast, by name or address. */
  hosts: string[];
  /** Accepted connections in the bursts, over all those hosts. */
  connections: number;
  /** The most connections to one host within the window. */
  peak: number;
};

/** A burst of connections from one source to one host. */
interface HostBurst {
  host: string;
  start: number;
  end: number;
  connections: number;
  peak: number;
}

/**
 * Returns the accepted RDP connections in `frame`, time-sorted: source, host (the destination,
 * else the host that logged it) and time.
 */
function rdpConnections(view: Events) {
  const has = (c: string): boolean => view.columns.includes(c);
  const rdp = (has("service") ? pl.col("service").cast(pl.Utf8).str.toLowerCase().eq(pl.lit("rdp")).fillNull(false) : pl.lit(false)).or(
    has("destination_port") ? pl.col("destination_port").cast(pl.Float64).eq(pl.lit(RDP_PORT)).fillNull(false) : pl.lit(false),
  );
  const answered = has("outcome") ? pl.col("outcome").neq(pl.lit("failure")).fillNull(true) : pl.lit(true);
  const host = has("destination") && has("host") ? pl.col("destination").cast(pl.Utf8).fillNull(pl.col("host").cast(pl.Utf8)) : pl.col(has("destination") ? "destination" : "host").cast(pl.Utf8);
  return collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("log_type").eq(pl.lit("network_traffic")).and(rdp).and(answered).and(pl.col("ip_address").isNotNull()))
      .select(pl.col("timestamp").cast(pl.Int64).alias("t"), pl.col("ip_address").cast(pl.Utf8).alias("s"), host.str.toLowerCase().alias("h"))
      .filter(pl.col("h").isNotNull())
      .sort({ by: "t", maintainOrder: true }),
  );
}

/**
 * Returns a detection for every source that opened at least `connections` accepted RDP
 * connections to one host within `windowSeconds`; bursts at several hosts that overlap or follow
 * within the window are one detection.
 * @example
 * detectRdpBruteForce(rdpCoreTs131)[0].evidence // => { hosts: ["adfs01.offsec.lan", … 11 hosts], connections: 154, peak: 14 }
 */
export function detectRdpBruteForce(frame: Events, options: RdpBruteForceOptions = {}): Detection[] {
  const { connections, windowSeconds } = withDefaults(RDP_DEFAULTS, options);
  checkInteger("connections", connections, 2, 1e9);
  checkNumber("windowSeconds", windowSeconds, 1, 24 * 3600);
  const view = detectorView(frame);
  if (!view.columns.includes("destination") && !view.columns.includes("host")) return [];
  const rows = rdpConnections(view);
  const time = rows.getColumn("t").toArray().map(Number);
  const source = sharedStrings(rows.getColumn("s")) as string[];
  const host = sharedStrings(rows.getColumn("h")) as string[];
  const windowMs = windowSeconds * 1000;
  const detections: Detection[] = [];
  for (const [from, indices] of groupIndices(source)) {
    const bursts: HostBurst[] = [];
    for (const [to, mine] of groupIndices(indices.map((i) => host[i]))) {
      const t = mine.map((k) => time[indices[k]]);
      for (const b of slidingBursts(t, windowMs, [{ atLeast: connections }])) bursts.push({ host: to, start: t[b.first], end: t[b.last], connections: b.last - b.first + 1, peak: b.peaks[0] });
    }
    bursts.sort((a, b) => a.start - b.start);
    let group: HostBurst[] = [];
    const flush = (): void => {
      if (group.length === 0) return;
      const hosts = [...new Set(group.map((b) => b.host))].sort();
      const peak = Math.max(...group.map((b) => b.peak));
      const total = group.reduce((sum, b) => sum + b.connections, 0);
      detections.push({
        rule: "rdp_brute_force", technique: RDP_BRUTE_FORCE_TECHNIQUE, entity: { type: "source", value: from },
        start: group[0].start, end: Math.max(...group.map((b) => b.end)), eventCount: total,
        score: peak / connections, observed: peak, expected: connections, measure: "accepted RDP connections to one host", window: `${formatDuration(windowMs)} sliding`,
        evidence: { hosts, connections: total, peak } satisfies RdpBruteForceEvidence,
        logTypes: ["network_traffic"],
      });
      group = [];
    };
    for (const b of bursts) {
      if (group.length > 0 && b.start > Math.max(...group.map((g) => g.end)) + windowMs) flush();
      group.push(b);
    }
    flush();
  }
  return detections;
}

/** RDP brute force: a source opening remote-desktop connections faster than a person can. */
export const rdpBruteForce: Rule<"rdp_brute_force", RdpBruteForceOptions, RdpBruteForceEvidence> = {
  name: "rdp_brute_force", title: "RDP brute force", family: "window rule", technique: RDP_BRUTE_FORCE_TECHNIQUE, severity: "medium",
  // Connection logs name their services; a file with none (the tutorial's schema) has no RDP to count.
  requires: ["timestamp", "ip_address", "log_type", "service"], needsValues: ["ip_address", "service"], defaults: RDP_DEFAULTS,
  explain: (o) =>
    `one source opening ≥ ${o.connections} accepted RDP connections to one host in ${o.windowSeconds} s (Windows RdpCoreTS 131, or connection logs' service rdp / port ${RDP_PORT}); ` +
    `high at ≥ ${HIGH_AT_HOSTS} hosts at once`,
  basis: "a guessing tool opens one connection per password; people and health checks (every ≥ 5 s) stay under the rate",
  detect: detectRdpBruteForce,
  summarize: (d) =>
    `${d.entity.value} opened ${plural(d.evidence.connections, "RDP connection")} to ${plural(d.evidence.hosts.length, "host")} in ${formatDuration(Math.max(d.end - d.start, 1))} ` +
    `(up to ${d.evidence.peak} to one host): ${listSome(d.evidence.hosts, 5)}; one connection per guessed password`,
  escalate: (d, base) => (d.evidence.hosts.length >= HIGH_AT_HOSTS ? raiseSeverity(base) : base),
};
