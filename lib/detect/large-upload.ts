/**
 * Exfiltration in one transfer (ATT&CK T1048): a large upload to an outside address. Where the
 * log knows both directions (Zeek's orig_bytes and resp_bytes), an upload is a transfer that sends
 * far more than it receives — a C2 session or a download does the opposite. Where it knows only a
 * total, the transfer must stand far above the sender's other outside transfers.
 */
import pl from "nodejs-polars";
import { checkNumber } from "../errors";
import type { Detection } from "./detection";
import { bytesOutColumn, collectEvents, detectorView, type Events, lazyEvents, outsideDestinationExpr } from "./events";
import { baseline } from "../shared/robust";
import { type Rule, withDefaults } from "./rule";
import { formatBytes } from "./words";

/** Options of {@link detectLargeUpload}. */
export interface LargeUploadOptions {
  /** Bytes sent in one transfer that count as large. Default `1_000_000` (1 MB; APT29's WebDAV exfiltration is 2.2 MB). */
  minBytes?: number;
  /** With both directions known: bytes sent must be at least this many times bytes received. Default `10`. */
  ratio?: number;
  /**
   * With only a total known, a transfer must hold at least this many bytes (default `10_000_000`:
   * without a direction, size alone must speak)…
   */
  minTotalBytes?: number;
  /** …and lie this many robust σ (on log bytes) above the sender's other outside transfers. Default `4`. */
  threshold?: number;
  /** …counted only when the sender has at least this many other outside transfers. Default `5`. */
  minHistory?: number;
  /**
   * Where the log records how long a connection lasted (Zeek's duration): bytes per second it must
   * have sent on average. Default `10_000` (10 KB/s). A bulk upload is quick — APT29's 2.2 MB went in
   * half a second, the RAT's 7.6 to 19 MB at 97 to 460 KB/s — while a session that trickles a few MB
   * over hours (a streaming client, a sync channel: 0.4 to 1 KB/s on a real workstation's day) is
   * not one transfer of data out.
   */
  minRate?: number;
  /** The organisation's networks (CIDR); see the volume rules. */
  internal?: readonly string[];
}

/** The defaults of {@link LargeUploadOptions}: `internal` is worked out from the data when absent. */
const LARGE_UPLOAD_DEFAULTS = { minBytes: 1_000_000, minTotalBytes: 10_000_000, ratio: 10, threshold: 4, minHistory: 5, minRate: 10_000, internal: undefined };

/** The ATT&CK technique of {@link detectLargeUpload}. */
export const LARGE_UPLOAD_TECHNIQUE = "T1048";

/**
 * Returns a detection for every transfer to an outside address that is an upload of at least
 * `minBytes` (sent ≥ `ratio` × received) or, where the log records no direction, of at least
 * `minTotalBytes` and far above the sender's usual outside transfer.
 * @example
 * detectLargeUpload(zeekConn)[0].evidence // => { destination: "192.168.0.4", port: 80, bytes_out: 2181167, bytes_in: 27238, … }
 */
export function detectLargeUpload(frame: Events, options: LargeUploadOptions = {}): Detection[] {
  const { minBytes, minTotalBytes, ratio, threshold, minHistory, minRate, internal } = withDefaults(LARGE_UPLOAD_DEFAULTS, options);
  checkNumber("minRate", minRate, 0, 1e12);
  checkNumber("minBytes", minBytes, 0, 1e18);
  checkNumber("minTotalBytes", minTotalBytes, 0, 1e18);
  checkNumber("ratio", ratio, 0, 1e9);
  checkNumber("threshold", threshold, 0, 1e6);
  checkNumber("minHistory", minHistory, 0, 1e9);
  const view = detectorView(frame);
  const sent = bytesOutColumn(view);
  if (!sent || !view.columns.includes("destination")) return [];
  const received = sent === "bytes_out" && view.columns.includes("bytes_in") ? "bytes_in" : undefined;
  const has = (c: string): boolean => view.columns.includes(c);
  const transfers = collectEvents(
    view,
    lazyEvents(view)
      .filter(outsideDestinationExpr(view, internal).and(pl.col(sent).isNotNull()).and(pl.col(sent).gt(0)))
      .select(
        pl.when(pl.col("user_id").isNotNull()).then(pl.lit("user")).otherwise(pl.lit("source")).alias("kind"),
        pl.when(pl.col("user_id").isNotNull()).then(pl.col("user_id")).otherwise(pl.col("ip_address")).cast(pl.Utf8).alias("who"),
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col(sent).cast(pl.Float64).alias("out"),
        (received ? pl.col(received) : pl.lit(null)).cast(pl.Float64).alias("in"),
        pl.col("destination").cast(pl.Utf8).alias("to"),
        (has("destination_port") ? pl.col("destination_port") : pl.lit(null)).cast(pl.Float64).alias("port"),
        (has("service") ? pl.col("service") : pl.lit(null)).cast(pl.Utf8).alias("service"),
        (has("detail") ? pl.col("detail") : pl.lit(null)).cast(pl.Utf8).alias("detail"),
        (has("source_fields") ? pl.col("source_fields").str.jsonPathMatch("$.duration").cast(pl.Float64, false) : pl.lit(null).cast(pl.Float64)).alias("seconds"),
      )
      .filter(pl.col("who").isNotNull()),
  );
  const rows = transfers.rows() as [string, string, number, number, number | null, string, number | null, string | null, string | null, number | null][];
  const history = new Map<string, number[]>();
  for (const [kind, who, , out] of rows) {
    const key = `${kind}|${who}`;
    (history.get(key) ?? history.set(key, []).get(key)!).push(Math.log(out));
  }
  const detections: Detection[] = [];
  for (const [kind, who, t, out, inBytes, to, port, service, detail, seconds] of rows) {
    if (out < minBytes) continue;
    // A trickle over hours is not a bulk upload (a duration under a second counts as one).
    const rate = seconds === null || !Number.isFinite(seconds) ? null : out / Math.max(seconds, 1);
    if (rate !== null && rate < minRate) continue;
    let score: number;
    let expected: number;
    let reason: string;
    if (inBytes !== null) {
      if (out < ratio * Math.max(inBytes, 1)) continue;
      score = out / Math.max(inBytes, 1) / ratio;
      expected = Math.max(minBytes, ratio * inBytes);
      reason = `sent ${Math.round(out / Math.max(inBytes, 1))}× what it received`;
    } else {
      if (out < minTotalBytes) continue;
      const others = history.get(`${kind}|${who}`)!;
      if (others.length - 1 < minHistory) continue;
      const base = baseline(others);
      const z = (Math.log(out) - base.median) / Math.max(base.mad, 0.1);
      if (z < threshold) continue;
      score = z / threshold;
      expected = Math.max(minTotalBytes, Math.exp(base.median + threshold * Math.max(base.mad, 0.1)));
      reason = `${z.toFixed(1)} robust σ above the sender's usual outside transfer of ${Math.round(Math.exp(base.median))} bytes`;
    }
    detections.push({
      rule: "large_upload",
      technique: LARGE_UPLOAD_TECHNIQUE,
      entity: { type: kind === "user" ? "user" : "source", value: who },
      start: Number(t),
      end: Number(t),
      eventCount: 1,
      score,
      observed: out,
      expected,
      measure: "bytes sent in one transfer to an outside address",
      window: "one transfer",
      evidence: { destination: to, port, service, bytes_out: out, bytes_in: inBytes, why: reason, detail, ...(rate === null ? {} : { seconds, bytes_per_second: Math.round(rate) }) },
      logTypes: ["network_traffic"],
    });
  }
  return detections;
}

/** What a large-upload detection holds. */
export type LargeUploadEvidence = {
  destination: string; port: number | null; service: string | null; bytes_out: number | null; bytes_in: number | null; why: string; detail: string | null;
  /** How long the connection lasted and how fast it sent, where the log says. */
  seconds?: number | null; bytes_per_second?: number;
};

/** A large upload to an outside address in one transfer. */
export const largeUpload: Rule<"large_upload", LargeUploadOptions, LargeUploadEvidence> = {
  name: "large_upload", title: "Large upload to an outside address", family: "baseline", technique: LARGE_UPLOAD_TECHNIQUE, severity: "high",
  requires: ["timestamp", "destination"], needsValues: ["destination", "bytes_transferred"], defaults: LARGE_UPLOAD_DEFAULTS,
  explain: (o) => `one transfer to an outside address of ≥ ${formatBytes(o.minBytes ?? 0)} sent with ≥ ${o.ratio}× what came back, or, where the log has no direction, ≥ ${formatBytes(o.minTotalBytes ?? 0)} and ≥ ${o.threshold} robust σ (on log bytes) above the sender's other outside transfers (from ${o.minHistory} of them); at ≥ ${formatBytes(o.minRate ?? 0)}/s where the log records durations`,
  basis: "per-entity robust baseline; APT29's 2.2 MB WebDAV upload",
  detect: detectLargeUpload,
  summarize: (d) =>
    `${d.entity.value} sent ${formatBytes(d.observed)} to ${d.evidence.destination}${d.evidence.port === null ? "" : `:${d.evidence.port}`}` +
    `${d.evidence.service ? ` (${d.evidence.service})` : ""} in one transfer: ${d.evidence.why}`,
};
