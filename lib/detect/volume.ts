/**
 * Byte volumes against each user's own baseline: an hourly per-user baseline that notices one
 * very large transfer, and a daily one that notices exfiltration staged in many small chunks —
 * each chunk under the tutorial's 95th percentile, the day's total far above the user's normal.
 */
import pl from "nodejs-polars";
import { checkNumber } from "../errors";
import { DAY_MS, HOUR_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { bytesOutColumn, collectEvents, detectorView, type Events, lazyEvents, MIN_PEER_ACCOUNTS, outsideDestinationExpr } from "./events";
import { baseline, robustZ } from "../shared/robust";
import { windowStartExpr } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count, formatBytes, plural } from "./words";

/** Where transfers go that count: outside addresses only, or everywhere. */
export type TransferScope = "external" | "all";

/** Options shared by {@link detectBytesBaseline} and {@link detectVolumeExfiltration}. */
export interface VolumeOptions {
  /**
   * Count only transfers to outside addresses, as exfiltration rules do, so that large internal
   * backups stay quiet. Used when the data have a `destination` column; without one every transfer
   * counts. Default `"external"`.
   */
  scope?: TransferScope;
  /**
   * The organisation's networks (CIDR, e.g. `10.0.0.0/16`). Default: the private ranges, or — when
   * every destination is private — the /16 networks of the sources (see `insideNetworks`).
   */
  internal?: readonly string[];
  /** A window must be this many robust standard deviations (MAD × 1.4826) above the user's median. */
  threshold?: number;
  /** …and hold at least this many bytes: the absolute floor that keeps quiet users from alerting on noise. */
  minBytes?: number;
  /** …and be at least this many times the user's median window. */
  minRatio?: number;
  /**
   * The learning period: an entity active (any event) in fewer windows than this is not judged at
   * all; one active long enough but with fewer windows of transfers than this is judged on
   * `minBytes` alone (its usual is "almost nothing").
   */
  minHistory?: number;
}

interface VolumeRule {
  readonly rule: string;
  readonly technique: string;
  readonly windowMs: number;
  readonly defaults: typeof BYTES_BASELINE_DEFAULTS;
}

/** The defaults of each volume rule: `internal` is worked out from the data when absent. */
const BYTES_BASELINE_DEFAULTS = { scope: "external" as TransferScope, internal: undefined, threshold: 6, minBytes: 100e6, minRatio: 10, minHistory: 5 };
const VOLUME_EXFILTRATION_DEFAULTS = { ...BYTES_BASELINE_DEFAULTS, minBytes: 20e6, minRatio: 5 };

/** The entity of a volume rule: the user, or the source where the log names no user. */
const kindExpr = () => pl.when(pl.col("user_id").isNotNull()).then(pl.lit("user")).otherwise(pl.lit("source")).alias("kind");
const entityExpr = () => pl.when(pl.col("user_id").isNotNull()).then(pl.col("user_id")).otherwise(pl.col("ip_address")).cast(pl.Utf8).alias("user");

/**
 * Returns one detection per entity window whose bytes stand out from the entity's own windows. The
 * entity is the user, or the source where the log names no user (Zeek); the bytes are those sent
 * (`bytes_out`, Zeek's orig_bytes) where the data have them, else `bytes_transferred`.
 */
function volumeDetections(frame: Events, options: VolumeOptions, spec: VolumeRule): Detection[] {
  const { scope, internal, threshold, minBytes, minRatio, minHistory } = withDefaults(spec.defaults, options);
  checkNumber("threshold", threshold, 0, 1e6);
  checkNumber("minBytes", minBytes, 0, 1e18);
  checkNumber("minRatio", minRatio, 0, 1e9);
  checkNumber("minHistory", minHistory, 0, 1e9);
  const view = detectorView(frame);
  const bytesColumn = bytesOutColumn(view);
  if (!bytesColumn) return [];
  const hasDestination = view.columns.includes("destination");
  const all = lazyEvents(view);
  const scoped = (scope === "external" && hasDestination ? all.filter(outsideDestinationExpr(view, internal)) : all).filter(pl.col(bytesColumn).isNotNull());
  const windows = collectEvents(
    view,
    scoped
      .select(
        kindExpr(),
        entityExpr(),
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col(bytesColumn).cast(pl.Float64).alias("b"),
        ...(hasDestination ? [pl.col("destination").cast(pl.Utf8).alias("d")] : []),
      )
      .filter(pl.col("user").isNotNull())
      .withColumns(windowStartExpr(pl.col("t"), spec.windowMs).alias("w"))
      .groupBy(["kind", "user", "w"])
      .agg(
        pl.col("b").sum().alias("bytes"),
        pl.len().alias("transfers"),
        pl.col("t").min().alias("first"),
        pl.col("t").max().alias("last"),
        ...(hasDestination ? [pl.col("d").unique().alias("destinations")] : []),
      )
      .sort(["kind", "user", "w"]),
  );
  // The learning period counts the windows in which the entity did anything at all, transfers or
  // not: a user active for weeks who never sent anything out has a usual (nothing), while a source
  // seen for one day of a capture has none.
  const activity = collectEvents(
    view,
    all
      .select(kindExpr(), entityExpr(), windowStartExpr(pl.col("timestamp").cast(pl.Int64), spec.windowMs).alias("w"))
      .filter(pl.col("user").isNotNull())
      .unique()
      .groupBy(["kind", "user"])
      .agg(pl.len().alias("active")),
  );
  const activeWindows = new Map<string, number>();
  (activity.rows() as [string, string, number][]).forEach(([kind, user, active]) => activeWindows.set(`${kind}\u0000${user}`, Number(active)));
  const kinds = windows.getColumn("kind").toArray() as string[];
  const users = windows.getColumn("user").toArray() as string[];
  const bytes = windows.getColumn("bytes").toArray().map(Number);
  // Accounts of one organisation are peers: an account too new for a usual of its own is compared
  // with theirs (addresses seen in a capture are no peer group: the Internet's scanners are not).
  const accountWindows = bytes.filter((_, k) => kinds[k] === "user");
  const accounts = new Set(users.filter((_, k) => kinds[k] === "user")).size;
  const peers = accounts >= MIN_PEER_ACCOUNTS ? baseline(accountWindows) : undefined;
  const detections: Detection[] = [];
  const emit = (k: number, x: number, score: number, expected: number, evidence: Omit<VolumeEvidence, "bytes" | "transfers" | "destinations">): void => {
    const row = windows.row(k);
    const [, , , , transfers, first, last] = row;
    const destinations = hasDestination ? ((row[7] as unknown as string[]) ?? []).filter(Boolean).sort() : [];
    detections.push({
      rule: spec.rule,
      technique: spec.technique,
      entity: { type: kinds[k] === "user" ? "user" : "source", value: users[k] },
      start: Number(first),
      end: Number(last),
      eventCount: Number(transfers),
      score,
      observed: x,
      expected,
      measure: `${bytesColumn === "bytes_out" ? "bytes sent" : "bytes transferred"}${scope === "external" && hasDestination ? " to outside addresses" : ""}`,
      window: `${formatDuration(spec.windowMs)} tumbling`,
      evidence: { bytes: x, transfers: Number(transfers), ...evidence, ...(hasDestination ? { destinations: destinations.slice(0, 5) } : {}) },
      logTypes: scope === "external" && hasDestination ? ["network_traffic"] : undefined,
    });
  };
  let i = 0;
  while (i < users.length) {
    let j = i;
    while (j < users.length && users[j] === users[i] && kinds[j] === kinds[i]) j++;
    const history = bytes.slice(i, j);
    const active = Math.max(activeWindows.get(`${kinds[i]}\u0000${users[i]}`) ?? 0, history.length);
    if (active < minHistory) {
      // Still learning: too little of this entity seen to know its usual. An account is judged
      // against the other accounts instead; anything else is not judged.
      if (kinds[i] === "user" && peers) {
        for (let k = i; k < j; k++) {
          const x = bytes[k];
          const z = robustZ(x, peers, Math.max(1, peers.median * 0.1));
          const ratio = x / Math.max(1, peers.median);
          if (x < minBytes || z < threshold || ratio < minRatio) continue;
          const expected = Math.max(minBytes, peers.median * minRatio, peers.median + threshold * Math.max(peers.mad, peers.median * 0.1));
          emit(k, x, z, expected, { usual_bytes: null, ratio: Number(ratio.toFixed(1)), history_windows: history.length, active_windows: active, peer_bytes: peers.median, peers: accounts - 1 });
        }
      }
      i = j;
      continue;
    }
    const base = baseline(history);
    // With few windows of transfers among many of activity, the usual is "almost nothing": only the floors apply.
    const known = history.length >= minHistory;
    for (let k = i; k < j; k++) {
      const x = bytes[k];
      if (x < minBytes) continue;
      const z = known ? robustZ(x, base, Math.max(1, base.median * 0.1)) : Number.POSITIVE_INFINITY;
      const ratio = known ? x / Math.max(1, base.median) : Number.POSITIVE_INFINITY;
      if (z < threshold || ratio < minRatio) continue;
      const expected = known ? Math.max(minBytes, base.median * minRatio, base.median + threshold * Math.max(base.mad, base.median * 0.1)) : minBytes;
      emit(k, x, known ? z : x / minBytes, expected, {
        usual_bytes: known ? base.median : null, ratio: known ? Number(ratio.toFixed(1)) : null, history_windows: history.length, active_windows: active,
      });
    }
    i = j;
  }
  return detections;
}

/** The ATT&CK technique of the byte-volume rules: exfiltration over an alternative protocol. */
export const EXFILTRATION_TECHNIQUE = "T1048";

/**
 * Returns a detection for every hour in which a user's bytes (to outside addresses by default)
 * lie at least `threshold` robust standard deviations above the median of that user's own hours,
 * and above the floors. Catches one very large transfer the user has never made before.
 * Defaults: threshold 6, minBytes 100 MB, minRatio 10, minHistory 5 hours.
 * @example
 * detectBytesBaseline(logs)[0].evidence // => { bytes: 3200000000, usual_bytes: 61000, ratio: 52459.0, … }
 */
export function detectBytesBaseline(frame: Events, options: VolumeOptions = {}): Detection[] {
  return volumeDetections(frame, options, {
    rule: "bytes_baseline",
    technique: EXFILTRATION_TECHNIQUE,
    windowMs: HOUR_MS,
    defaults: BYTES_BASELINE_DEFAULTS,
  });
}

/**
 * Returns a detection for every UTC day on which a user's summed bytes (to outside addresses by
 * default) lie at least `threshold` robust standard deviations above the median of that user's own
 * days, at least `minRatio` times it, and above `minBytes`: staged exfiltration, whose chunks are
 * each unremarkable. Defaults: threshold 6, minBytes 20 MB, minRatio 5, minHistory 5 days.
 * @example
 * detectVolumeExfiltration(logs)[0].evidence // => { bytes: 188000000, transfers: 246, usual_bytes: 122000, … }
 */
export function detectVolumeExfiltration(frame: Events, options: VolumeOptions = {}): Detection[] {
  return volumeDetections(frame, options, {
    rule: "volume_exfiltration",
    technique: EXFILTRATION_TECHNIQUE,
    windowMs: DAY_MS,
    defaults: VOLUME_EXFILTRATION_DEFAULTS,
  });
}

/** What a volume detection holds. */
export type VolumeEvidence = {
  bytes: number;
  transfers: number;
  /** The median of the entity's windows with transfers, or null when they are fewer than minHistory. */
  usual_bytes: number | null;
  ratio: number | null;
  /** Windows with transfers, and windows with any activity: the history the verdict rests on. */
  history_windows: number;
  active_windows: number;
  /** For an account too new for a usual of its own: the median window of all accounts, and how many other accounts there are. */
  peer_bytes?: number;
  peers?: number;
  destinations?: string[];
};

/** Returns what the bytes were measured against: "52,459× their usual 61 KB", or how rarely the entity sends anything. */
const againstUsual = (e: VolumeEvidence, unit: string): string =>
  e.peer_bytes !== undefined
    ? `, ${count(e.ratio ?? 0)}× what an account usually sends in a ${unit} (${formatBytes(e.peer_bytes)}, ${e.peers} other accounts); it was active in only ${e.active_windows} ${unit}s, too few for a usual of its own`
    : e.usual_bytes === null || e.usual_bytes === 0
    ? `; it made transfers in only ${e.history_windows} of the ${e.active_windows} ${unit}s it was active`
    : `, ${count(e.ratio ?? 0)}× their usual ${formatBytes(e.usual_bytes)}`;

/** Hourly bytes far above the account's own hours. */
export const bytesBaseline: Rule<"bytes_baseline", VolumeOptions, VolumeEvidence> = {
  name: "bytes_baseline", title: "Hourly bytes far above the user's baseline", family: "baseline", technique: EXFILTRATION_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "bytes_transferred"], needsValues: ["bytes_transferred"], defaults: BYTES_BASELINE_DEFAULTS,
  explain: (o) => `an account's hourly bytes${o.scope === "external" ? " to outside addresses" : ""} ≥ ${o.threshold} robust σ (median/MAD) above its own hours, ≥ ${o.minRatio}×, ≥ ${formatBytes(o.minBytes ?? 0)}; an account active in fewer than ${o.minHistory} hours is compared with the other accounts (from ${MIN_PEER_ACCOUNTS} of them), an address not at all`,
  basis: "per-entity robust baseline",
  detect: detectBytesBaseline,
  summarize: (d) => `${d.entity.value} sent ${formatBytes(d.observed)} in one hour${againstUsual(d.evidence, "hour")}`,
};

/** A day's bytes far above the account's own days: exfiltration staged in small chunks. */
export const volumeExfiltration: Rule<"volume_exfiltration", VolumeOptions, VolumeEvidence> = {
  name: "volume_exfiltration", title: "Daily volume exfiltration", family: "baseline", technique: EXFILTRATION_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "bytes_transferred"], needsValues: ["bytes_transferred"], defaults: VOLUME_EXFILTRATION_DEFAULTS,
  explain: (o) => `an account's daily bytes${o.scope === "external" ? " to outside addresses" : ""} ≥ ${o.threshold} robust σ above its own days, ≥ ${o.minRatio}×, ≥ ${formatBytes(o.minBytes ?? 0)} (catches staged exfiltration); an account active on fewer than ${o.minHistory} days is compared with the other accounts (from ${MIN_PEER_ACCOUNTS} of them), an address not at all`,
  basis: "per-entity robust baseline",
  detect: detectVolumeExfiltration,
  summarize: (d) => `${d.entity.value} sent ${formatBytes(d.observed)} in ${plural(d.evidence.transfers, "transfer")} in a day${againstUsual(d.evidence, "day")}`,
};
