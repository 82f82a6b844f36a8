/**
 * Kerberoasting (ATT&CK T1558.003): one account asks for service tickets encrypted with RC4 for
 * several services at once, to crack the service accounts' passwords offline.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, groupIndices, lazyEvents } from "./events";
import { slidingBursts } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { listSome, plural } from "./words";

/** Options of {@link detectKerberoasting}. */
export interface KerberoastingOptions {
  /**
   * Distinct services one account requests RC4 tickets for within the window. Default `3`: Splunk's
   * "Unusual Number of Kerberos Service Tickets Requested" alerts above 2 services; RC4 (0x17, 0x18)
   * is what Splunk's "Kerberoasting spn request with RC4 encryption" looks for.
   */
  services?: number;
  /** Sliding window in minutes. Default `10`. */
  windowMinutes?: number;
}

/** The defaults of {@link KerberoastingOptions}. */
const KERBEROASTING_DEFAULTS = { services: 3, windowMinutes: 10 };

/** The ATT&CK technique of {@link detectKerberoasting}. */
export const KERBEROASTING_TECHNIQUE = "T1558.003";

/**
 * Returns a detection for every burst in which one account requests RC4-encrypted service tickets
 * (Windows 4769) for at least `services` distinct services, machine and krbtgt accounts excluded.
 * @example
 * detectKerberoasting(windowsEvents)[0].evidence // => { services: ["sysmonsvc", …], requests: 5 }
 */
export function detectKerberoasting(frame: Events, options: KerberoastingOptions = {}): Detection[] {
  const { services, windowMinutes } = withDefaults(KERBEROASTING_DEFAULTS, options);
  checkInteger("services", services, 1, 1e6);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  const view = detectorView(frame);
  if (!view.columns.includes("detail") || !view.columns.includes("destination")) return [];
  const tickets = collectEvents(
    view,
    lazyEvents(view)
      .filter(
        pl.col("log_type").eq(pl.lit("kerberos_service_ticket"))
          .and(pl.col("detail").str.contains("TicketEncryptionType=0x1[78]\\b"))
          .and(pl.col("destination").isNotNull())
          .and(pl.col("destination").str.contains("(\\$$|^krbtgt)").not())
          .and(pl.col("user_id").isNotNull()),
      )
      .select(pl.col("user_id").cast(pl.Utf8).alias("u"), pl.col("destination").cast(pl.Utf8).alias("s"), pl.col("timestamp").cast(pl.Int64).alias("t"))
      .sort("t"),
  );
  const users = tickets.getColumn("u").toArray() as string[];
  const names = tickets.getColumn("s").toArray() as string[];
  const times = tickets.getColumn("t").toArray().map(Number);
  const windowMs = windowMinutes * MINUTE_MS;
  const detections: Detection[] = [];
  for (const [user, indices] of groupIndices(users)) {
    const t = indices.map((i) => times[i]);
    for (const burst of slidingBursts(t, windowMs, [{ values: indices.map((i) => names[i]), atLeast: services }])) {
      const inBurst = indices.slice(burst.first, burst.last + 1);
      const requested = [...new Set(inBurst.map((i) => names[i]))].sort();
      detections.push({
        rule: "kerberoasting",
        technique: KERBEROASTING_TECHNIQUE,
        entity: { type: "user", value: user },
        start: t[burst.first],
        end: t[burst.last],
        eventCount: inBurst.length,
        score: burst.peaks[0] / services,
        observed: burst.peaks[0],
        expected: services,
        measure: "distinct services with RC4 service tickets",
        window: `${formatDuration(windowMs)} sliding`,
        evidence: { services: requested, requests: inBurst.length },
        logTypes: ["kerberos_service_ticket"],
      });
    }
  }
  return detections;
}

/** What a Kerberoasting detection holds. */
export type KerberoastingEvidence = { services: string[]; requests: number };

/** Kerberoasting: RC4 service tickets for several services from one account in minutes. */
export const kerberoasting: Rule<"kerberoasting", KerberoastingOptions, KerberoastingEvidence> = {
  name: "kerberoasting", title: "Kerberoasting", family: "window rule", technique: KERBEROASTING_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "log_type", "destination", "detail"], needsValues: ["user_id", "destination", "detail"], defaults: KERBEROASTING_DEFAULTS,
  explain: (o) => `one account requesting RC4-encrypted service tickets (4769) for ≥ ${o.services} services in ${o.windowMinutes} min, machine and krbtgt accounts excluded`,
  basis: 'Splunk "Unusual Number of Kerberos Service Tickets Requested" (> 2 services), "Kerberoasting spn request with RC4 encryption"',
  detect: detectKerberoasting,
  summarize: (d) =>
    `${d.entity.value} requested RC4-encrypted service tickets for ${plural(d.observed, "service")} in ${formatDuration(Math.max(d.end - d.start, 1))}: ${listSome(d.evidence.services, 5)}`,
};
