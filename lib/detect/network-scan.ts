/**
 * Network scanning and probing (ATT&CK T1046, network service discovery): one source making
 * connection attempts that nobody answers — to many hosts (a horizontal scan), to many ports of one
 * host (a vertical scan), or, from outside, over and over to the organisation's own addresses.
 *
 * It reads connection logs whose `outcome` says whether the responder took the connection (Zeek's
 * conn_state: S0, REJ, … are unanswered; see `connOutcome`). A workstation's failed connections to
 * the web are not a scan: on a day of a real capture the busiest host failed to reach 29 web hosts
 * in an hour and 15 in ten minutes, so the scan thresholds sit well above that.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { HOUR_MS, MINUTE_MS } from "../time";
import { type Detection, formatDuration, type Severity } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents, networkSides, sharedStrings } from "./events";
import { escalateByScore, type Rule, type TypedDetection, withDefaults } from "./rule";
import { slidingBursts } from "./windows";
import { count, listSome, plural } from "./words";

/** Options of {@link detectNetworkScan}. */
export interface NetworkScanOptions {
  /** Distinct hosts one source tried without answer within `windowMinutes`: a horizontal scan. Default `50`. */
  hosts?: number;
  /** Distinct ports of one host one source tried without answer within `windowMinutes`: a vertical scan. Default `20`. */
  ports?: number;
  /** Length of the scan window in minutes. Default `10`. */
  windowMinutes?: number;
  /**
   * Unanswered attempts from one outside source to inside addresses within `probeHours`: probing,
   * however slow. Default `10`: a client that cannot reach a service retries a few times; the
   * Internet's scanners come back on port after port all day.
   */
  probes?: number;
  /** Length of the probing window in hours. Default `24`. */
  probeHours?: number;
  /** The organisation's networks (CIDR); see `networkSides` for how inside is decided without them. */
  internal?: readonly string[];
}

/** The defaults of {@link NetworkScanOptions}: `internal` is worked out from the data when absent. */
const NETWORK_SCAN_DEFAULTS = { hosts: 50, ports: 20, windowMinutes: 10, probes: 10, probeHours: 24, internal: undefined };

/** The ATT&CK technique of {@link detectNetworkScan}. */
export const NETWORK_SCAN_TECHNIQUE = "T1046";

/** What a scan detection is: many hosts, many ports of one host, or repeated probes from outside. */
export type ScanKind = "horizontal" | "vertical" | "probing";

/** Where a scan went: from outside in, from inside out, within the organisation, or outside to outside. */
export type ScanDirection = "inbound" | "outbound" | "internal" | "external";

/** What a network-scan detection holds. */
export type NetworkScanEvidence = {
  kind: ScanKind;
  direction: ScanDirection;
  /** Unanswered attempts in the detection. */
  attempts: number;
  hosts: number;
  ports: number;
  /** The first few hosts and ports tried, in order of first attempt. */
  sample_hosts: string;
  sample_ports: string;
  duration: string;
  /** What decided inside and outside. */
  inside_by: string;
};

/** Unanswered attempts of one source, time-sorted. */
interface Attempts {
  time: number[];
  source: (string | null)[];
  host: (string | null)[];
  port: (string | null)[];
}

/** Returns the unanswered connection attempts, sorted by time. */
function unansweredAttempts(view: Events): Attempts {
  const rows = collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("log_type").eq(pl.lit("network_traffic")).and(pl.col("outcome").eq(pl.lit("failure"))).and(pl.col("ip_address").isNotNull()).and(pl.col("destination").isNotNull()))
      .select(
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col("ip_address").cast(pl.Utf8).alias("s"),
        pl.col("destination").cast(pl.Utf8).alias("d"),
        pl.col("destination_port").cast(pl.Utf8).fillNull("-").alias("p"),
      )
      .sort({ by: "t", maintainOrder: true }),
  );
  return {
    time: rows.getColumn("t").toArray().map(Number),
    source: sharedStrings(rows.getColumn("s")),
    host: sharedStrings(rows.getColumn("d")),
    port: sharedStrings(rows.getColumn("p")),
  };
}

/** Returns the distinct values at `indices`, in order of first appearance. */
function firstSeen(values: readonly (string | null)[], indices: readonly number[]): string[] {
  return [...new Set(indices.map((i) => values[i] ?? "-"))];
}

/**
 * Returns a detection for every horizontal scan (≥ `hosts` distinct hosts in `windowMinutes`),
 * vertical scan (≥ `ports` distinct ports of one host in `windowMinutes`) and, for a source
 * outside the organisation, every run of ≥ `probes` unanswered attempts on inside addresses
 * within `probeHours`. Only unanswered or rejected attempts count (entity: the source).
 * @example
 * detectNetworkScan(zeekConn)[0].evidence // => { kind: "probing", direction: "inbound", attempts: 107, hosts: 1, ports: 107, … }
 */
export function detectNetworkScan(frame: Events, options: NetworkScanOptions = {}): Detection[] {
  const o = withDefaults(NETWORK_SCAN_DEFAULTS, options);
  checkInteger("hosts", o.hosts, 2, 1e9);
  checkInteger("ports", o.ports, 2, 65_536);
  checkNumber("windowMinutes", o.windowMinutes, 0.1, 7 * 24 * 60);
  checkInteger("probes", o.probes, 2, 1e9);
  checkNumber("probeHours", o.probeHours, 0.1, 31 * 24);
  const view = detectorView(frame);
  if (!["outcome", "destination", "destination_port"].every((c) => view.columns.includes(c))) return [];
  const a = unansweredAttempts(view);
  if (a.time.length === 0) return [];
  const sides = networkSides(view, o.internal);
  const direction = (source: string, hosts: readonly string[]): ScanDirection => {
    const from = sides.inside(source);
    const to = hosts.some((h) => sides.inside(h));
    return from ? (to ? "internal" : "outbound") : to ? "inbound" : "external";
  };
  const detections: Detection[] = [];
  const emit = (kind: ScanKind, indices: readonly number[], observed: number, expected: number, measure: string, window: string): void => {
    const source = a.source[indices[0]]!;
    const hosts = firstSeen(a.host, indices);
    const ports = firstSeen(a.port, indices);
    const start = a.time[indices[0]];
    const end = a.time[indices[indices.length - 1]];
    detections.push({
      rule: "network_scan", technique: NETWORK_SCAN_TECHNIQUE, entity: { type: "source", value: source },
      start, end, eventCount: indices.length, score: observed / expected, observed, expected, measure, window,
      evidence: {
        kind, direction: direction(source, hosts), attempts: indices.length, hosts: hosts.length, ports: ports.length,
        sample_hosts: listSome(hosts, 5), sample_ports: listSome(ports, 8), duration: formatDuration(end - start), inside_by: sides.basis,
      } satisfies NetworkScanEvidence,
      logTypes: ["network_traffic"],
    });
  };
  const scanMs = o.windowMinutes * MINUTE_MS;
  const scanWindow = `${formatDuration(scanMs)} sliding`;
  for (const [source, indices] of groupIndices(a.source.map((s) => s ?? ""))) {
    if (source === "") continue;
    const times = indices.map((i) => a.time[i]);
    const hostsOf = indices.map((i) => a.host[i] ?? "");
    for (const b of slidingBursts(times, scanMs, [{ values: hostsOf, atLeast: o.hosts }])) {
      emit("horizontal", indices.slice(b.first, b.last + 1), b.peaks[0], o.hosts, "distinct hosts tried without answer", scanWindow);
    }
    for (const [, onHost] of groupIndices(hostsOf)) {
      const sub = onHost.map((k) => indices[k]);
      const portsOf = sub.map((i) => a.port[i] ?? "-");
      for (const b of slidingBursts(sub.map((i) => a.time[i]), scanMs, [{ values: portsOf, atLeast: o.ports }])) {
        emit("vertical", sub.slice(b.first, b.last + 1), b.peaks[0], o.ports, "distinct ports of one host tried without answer", scanWindow);
      }
    }
    if (sides.inside(source)) continue;
    const inward = indices.filter((i) => a.host[i] !== null && sides.inside(a.host[i]!));
    const probeMs = o.probeHours * HOUR_MS;
    for (const b of slidingBursts(inward.map((i) => a.time[i]), probeMs, [{ atLeast: o.probes }])) {
      emit("probing", inward.slice(b.first, b.last + 1), b.peaks[0], o.probes, "unanswered attempts on inside addresses", `${formatDuration(probeMs)} sliding`);
    }
  }
  return detections;
}

/** Returns the severity of a scan: probing from the Internet is background noise (low, medium when heavy); scans are medium, high when three times over. */
function scanSeverity(d: TypedDetection<NetworkScanEvidence>, base: Severity): Severity {
  if (d.evidence.kind === "probing") return d.score >= 3 ? "medium" : "low";
  return escalateByScore({ score: d.score, evidence: {} }, base);
}

/** Network scanning and probing: unanswered connection attempts to many hosts, many ports, or again and again from outside. */
export const networkScan: Rule<"network_scan", NetworkScanOptions, NetworkScanEvidence> = {
  name: "network_scan", title: "Network scanning and probing", family: "window rule", technique: NETWORK_SCAN_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "ip_address", "log_type", "outcome", "destination", "destination_port"], needsValues: ["destination"], defaults: NETWORK_SCAN_DEFAULTS,
  explain: (o) =>
    `unanswered or rejected connection attempts from one source: to ≥ ${o.hosts} hosts, or ≥ ${o.ports} ports of one host, in ${o.windowMinutes} min (sliding); ` +
    `from outside, ≥ ${o.probes} on inside addresses in ${o.probeHours} h`,
  basis: "Zeek's scan policy (many hosts or ports in minutes), and unanswered connection states",
  detect: detectNetworkScan,
  summarize: (d) => {
    const e = d.evidence;
    const what = e.kind === "horizontal" ? `${plural(e.hosts, "host")} (ports ${e.sample_ports})` : e.kind === "vertical" ? `${plural(e.ports, "port")} of ${e.sample_hosts} (${e.sample_ports})` : `${e.hosts === 1 ? e.sample_hosts : plural(e.hosts, "inside host")} on ${plural(e.ports, "port")} (${e.sample_ports})`;
    const label = e.kind === "probing" ? `probed ${what}` : `scanned ${what}`;
    return `${d.entity.value} (${e.direction}) ${label}: ${count(e.attempts)} unanswered attempts in ${e.duration}`;
  },
  escalate: scanSeverity,
};
