/**
 * Lateral tool transfer (ATT&CK T1570): an inside host downloads a file from outside and at once
 * pushes about as many bytes to another inside host over a remote-administration port (SMB,
 * WinRM) — a tool fetched from the attacker's server and copied on to the next victim, as APT29's
 * step 8 copied `python.exe` from its WebDAV server to NASHUA for PsExec.
 */
import pl from "nodejs-polars";
import { checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents, networkSides, sharedStrings } from "./events";
import { type Rule, withDefaults } from "./rule";
import { formatBytes } from "./words";

/** Options of {@link detectToolTransfer}. */
export interface ToolTransferOptions {
  /** The least bytes a download from outside, and the copies after it, must carry. Default `1e6` (1 MB). */
  minBytes?: number;
  /** The copies must start within this many minutes of the download's start. Default `5`. */
  windowMinutes?: number;
  /** …and carry at least this share of the bytes downloaded. Default `0.5`. */
  share?: number;
  /** The organisation's networks (CIDR); see `networkSides` for how inside is decided without them. */
  internal?: readonly string[];
}

/** The defaults of {@link ToolTransferOptions}: `internal` is worked out from the data when absent. */
const TOOL_TRANSFER_DEFAULTS = { minBytes: 1e6, windowMinutes: 5, share: 0.5, internal: undefined };

/** Remote-administration ports a tool is copied over: SMB (445, 139) and WinRM (5985, 5986). */
export const ADMIN_PORTS: ReadonlySet<number> = new Set([139, 445, 5985, 5986]);

/** The ATT&CK technique of {@link detectToolTransfer}. */
export const TOOL_TRANSFER_TECHNIQUE = "T1570";

/** What a lateral-tool-transfer detection holds. */
export type ToolTransferEvidence = {
  downloaded_from: string;
  downloaded_bytes: number;
  /** The inside host the bytes went on to, the port, and how many bytes in how many connections. */
  copied_to: string;
  port: number;
  copied_bytes: number;
  copies: number;
  /** Seconds from the download's start to the first copy's. */
  delay_s: number;
};

/**
 * Returns a detection for every download of at least `minBytes` from an outside host that the
 * downloading inside host follows, within `windowMinutes`, with copies to one other inside host on
 * a remote-administration port ({@link ADMIN_PORTS}) carrying at least `minBytes` and `share` of
 * the bytes downloaded (entity: the inside host).
 * @example
 * detectToolTransfer(apt29Conn)[0].evidence // => { downloaded_from: "192.168.0.4", copied_to: "10.0.1.6", port: 445, … }
 */
export function detectToolTransfer(frame: Events, options: ToolTransferOptions = {}): Detection[] {
  const o = withDefaults(TOOL_TRANSFER_DEFAULTS, options);
  checkNumber("minBytes", o.minBytes, 1, 1e15);
  checkNumber("windowMinutes", o.windowMinutes, 0.1, 24 * 60);
  checkNumber("share", o.share, 0, 10);
  const view = detectorView(frame);
  if (!["destination", "destination_port", "bytes_out", "bytes_in"].every((c) => view.columns.includes(c))) return [];
  const rows = collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("log_type").eq(pl.lit("network_traffic")).and(pl.col("ip_address").isNotNull()).and(pl.col("destination").isNotNull()))
      .select(
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col("ip_address").cast(pl.Utf8).alias("s"),
        pl.col("destination").cast(pl.Utf8).alias("d"),
        pl.col("destination_port").cast(pl.Int64).fillNull(-1).alias("p"),
        pl.col("bytes_out").cast(pl.Float64).fillNull(0).alias("out"),
        pl.col("bytes_in").cast(pl.Float64).fillNull(0).alias("in"),
      )
      .filter(pl.col("in").gtEq(o.minBytes).or(pl.col("p").isIn([...ADMIN_PORTS]).and(pl.col("out").gt(0))))
      .sort({ by: "t", maintainOrder: true }),
  );
  if (rows.height === 0) return [];
  const sides = networkSides(view, o.internal);
  const time = rows.getColumn("t").toArray().map(Number);
  const source = sharedStrings(rows.getColumn("s")) as string[];
  const destination = sharedStrings(rows.getColumn("d")) as string[];
  const port = rows.getColumn("p").toArray().map(Number);
  const out = rows.getColumn("out").toArray().map(Number);
  const bytesIn = rows.getColumn("in").toArray().map(Number);
  const windowMs = o.windowMinutes * MINUTE_MS;
  const detections: Detection[] = [];
  const known = new Map<string, boolean>();
  const inside = (address: string): boolean => known.get(address) ?? known.set(address, sides.inside(address)).get(address)!;
  for (const [host, indices] of groupIndices(source)) {
    if (!inside(host)) continue;
    const downloads = indices.filter((i) => bytesIn[i] >= o.minBytes && !inside(destination[i]));
    const copies = indices.filter((i) => ADMIN_PORTS.has(port[i]) && out[i] > 0 && destination[i] !== host && inside(destination[i]));
    // Both in time order: the copies within each download's window, found by two pointers.
    let lo = 0;
    let hi = 0;
    for (const i of downloads) {
      while (lo < copies.length && time[copies[lo]] < time[i]) lo++;
      hi = Math.max(hi, lo);
      while (hi < copies.length && time[copies[hi]] - time[i] <= windowMs) hi++;
      const after = copies.slice(lo, hi);
      for (const [peer, toPeer] of groupIndices(after.map((j) => destination[j]))) {
        const sent = toPeer.reduce((sum, k) => sum + out[after[k]], 0);
        if (sent < o.minBytes || sent < o.share * bytesIn[i]) continue;
        const first = after[toPeer[0]];
        const last = after[toPeer[toPeer.length - 1]];
        detections.push({
          rule: "tool_transfer", technique: TOOL_TRANSFER_TECHNIQUE, entity: { type: "source", value: host },
          start: time[i], end: time[last], eventCount: 1 + toPeer.length,
          score: sent / bytesIn[i], observed: sent, expected: o.share * bytesIn[i],
          measure: "bytes copied to an inside host after a download from outside", window: `${formatDuration(windowMs)} after the download`,
          evidence: {
            downloaded_from: destination[i], downloaded_bytes: bytesIn[i], copied_to: peer, port: port[first], copied_bytes: sent, copies: toPeer.length,
            delay_s: Number(((time[first] - time[i]) / 1000).toFixed(1)),
          } satisfies ToolTransferEvidence,
          logTypes: ["network_traffic"],
        });
      }
    }
  }
  return detections;
}

/** Lateral tool transfer: a download from outside copied on to another inside host. */
export const toolTransfer: Rule<"tool_transfer", ToolTransferOptions, ToolTransferEvidence> = {
  name: "tool_transfer", title: "Lateral tool transfer", family: "window rule", technique: TOOL_TRANSFER_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "ip_address", "log_type", "destination", "destination_port", "bytes_out", "bytes_in"], needsValues: ["destination_port", "bytes_in"], defaults: TOOL_TRANSFER_DEFAULTS,
  explain: (o) =>
    `an inside host that downloads ≥ ${formatBytes(Number(o.minBytes))} from outside and within ${o.windowMinutes} min copies ≥ ${Math.round(Number(o.share) * 100)}% of it ` +
    `(and ≥ ${formatBytes(Number(o.minBytes))}) to another inside host over SMB or WinRM (${[...ADMIN_PORTS].join(", ")})`,
  basis: "ATT&CK T1570 after T1105: a tool fetched from outside and copied on to the next host",
  detect: detectToolTransfer,
  summarize: (d) =>
    `${d.entity.value} downloaded ${formatBytes(d.evidence.downloaded_bytes)} from ${d.evidence.downloaded_from} and ${formatDuration(d.evidence.delay_s * 1000)} later copied ` +
    `${formatBytes(d.evidence.copied_bytes)} to ${d.evidence.copied_to}:${d.evidence.port} (${d.evidence.copies} connection${d.evidence.copies === 1 ? "" : "s"})`,
};
