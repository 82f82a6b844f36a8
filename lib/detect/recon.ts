/**
 * Automated reconnaissance (ATT&CK T1087, account discovery): bursts of system calls and file reads
 * faster than a person works, against the account's own busiest minutes.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, lazyEvents } from "./events";
import { slidingBursts, windowStartExpr } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count } from "./words";

/** Options of {@link detectRecon}. */
export interface ReconOptions {
  /**
   * Events in one sliding minute that count as machine speed. Default `60`: one system call or
   * file read per second, for a whole minute, is beyond what a person at a keyboard produces.
   */
  eventsPerMinute?: number;
  /** …and at least this many times the account's own busiest minute outside the burst. Default `3`. */
  ratio?: number;
}

/** The defaults of {@link ReconOptions}. */
const RECON_DEFAULTS = { eventsPerMinute: 60, ratio: 3 };

/** The ATT&CK technique of {@link detectRecon}. */
export const RECON_TECHNIQUE = "T1087";

const RECON_TYPES = ["system_call", "file_access"] as const;

/**
 * Returns a detection for every burst in which one account makes at least `eventsPerMinute` system
 * calls and file reads within a sliding minute, and at least `ratio` times its usual busiest minute.
 * @example
 * detectRecon(logs)[0].evidence // => { events: 412, per_minute: 206, usual_per_minute: 7, … }
 */
export function detectRecon(frame: Events, options: ReconOptions = {}): Detection[] {
  const { eventsPerMinute, ratio } = withDefaults(RECON_DEFAULTS, options);
  checkInteger("eventsPerMinute", eventsPerMinute, 2, 1e9);
  checkNumber("ratio", ratio, 0, 1e6);
  const view = detectorView(frame);
  const events = lazyEvents(view)
    .filter(pl.col("log_type").isIn([...RECON_TYPES]))
    .select(pl.col("user_id").cast(pl.Utf8).alias("user"), pl.col("timestamp").cast(pl.Int64).alias("t"))
    .withColumns(windowStartExpr(pl.col("t"), MINUTE_MS).alias("m"));
  const perMinute = collectEvents(view, events.groupBy(["user", "m"]).agg(pl.len().alias("n")));
  // Only accounts with a busy calendar minute can have a busy sliding minute (it spans two).
  const candidates = perMinute.filter(pl.col("n").gtEq(Math.ceil(eventsPerMinute / 2)).and(pl.col("user").isNotNull())).getColumn("user").unique().toArray() as string[];
  if (candidates.length === 0) return [];
  const detections: Detection[] = [];
  const chosen = collectEvents(view, events.filter(pl.col("user").isIn(candidates)).sort(["user", "t"]));
  for (const part of chosen.partitionBy("user")) {
    const user = String(part.getColumn("user").get(0));
    const times = part.getColumn("t").toArray().map(Number);
    const minutes = perMinute.filter(pl.col("user").eq(pl.lit(user)));
    for (const burst of slidingBursts(times, MINUTE_MS, [{ atLeast: eventsPerMinute }])) {
      const start = times[burst.first];
      const end = times[burst.last];
      const lo = start - (start % MINUTE_MS);
      const hi = end - (end % MINUTE_MS);
      const usual = Number(minutes.filter(pl.col("m").lt(lo).or(pl.col("m").gt(hi))).getColumn("n").max() ?? 0);
      const peak = burst.peaks[0];
      if (peak < ratio * usual) continue;
      const count = burst.last - burst.first + 1;
      detections.push({
        rule: "recon",
        technique: RECON_TECHNIQUE,
        entity: { type: "user", value: user },
        start,
        end,
        eventCount: count,
        score: peak / Math.max(eventsPerMinute, ratio * usual),
        observed: peak,
        expected: Math.max(eventsPerMinute, ratio * usual),
        measure: "system calls and file reads per minute",
        window: "1 min sliding",
        evidence: { events: count, per_minute: peak, usual_per_minute: usual, duration: formatDuration(end - start) },
        logTypes: RECON_TYPES,
      });
    }
  }
  return detections;
}

/** What a reconnaissance detection holds. */
export type ReconEvidence = { events: number; per_minute: number; usual_per_minute: number; duration: string };

/** Machine-speed reconnaissance: bursts of system calls and file reads far above the account's busiest minute. */
export const recon: Rule<"recon", ReconOptions, ReconEvidence> = {
  name: "recon", title: "Machine-speed reconnaissance", family: "window rule", technique: RECON_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "user_id", "log_type"], needsValues: ["user_id"], defaults: RECON_DEFAULTS,
  perEntity: () => pl.col("user_id").cast(pl.Utf8),
  explain: (o) => `≥ ${o.eventsPerMinute} system calls and file reads in a sliding minute, ≥ ${o.ratio}× the account's own busiest minute`,
  basis: "machine speed",
  detect: detectRecon,
  summarize: (d) =>
    `${d.entity.value} made ${count(d.evidence.events)} system calls and file reads in ${d.evidence.duration} (${count(d.observed)}/min); their busiest minute is usually ${d.evidence.usual_per_minute}`,
};
