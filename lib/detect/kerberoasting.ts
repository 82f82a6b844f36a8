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
import { count, listSome, plural } from "./words";

/** Returns a share as a percentage with up to one decimal: `0.987` → `"98.7 %"`. */
const percent = (share: number): string => `${Number((share * 100).toFixed(1))} %`;

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
  /**
   * Where the domain otherwise uses AES: a single RC4 service ticket is flagged when the log holds
   * at least this many service tickets… Default `20`.
   */
  domainTickets?: number;
  /** …and at most this share of them are RC4. Default `0.05`: modern domains issue AES; a lone RC4 ticket is someone asking for one. */
  rc4Share?: number;
}

/** The defaults of {@link KerberoastingOptions}. */
const KERBEROASTING_DEFAULTS = { services: 3, windowMinutes: 10, domainTickets: 20, rc4Share: 0.05 };

/** The ATT&CK technique of {@link detectKerberoasting}. */
export const KERBEROASTING_TECHNIQUE = "T1558.003";

/**
 * Returns a detection for every burst in which one account requests RC4-encrypted service tickets
 * (Windows 4769) for at least `services` distinct services, machine and krbtgt accounts excluded.
 * @example
 * detectKerberoasting(windowsEvents)[0].evidence // => { services: ["sysmonsvc", …], requests: 5 }
 */
export function detectKerberoasting(frame: Events, options: KerberoastingOptions = {}): Detection[] {
  const { services, windowMinutes, domainTickets, rc4Share } = withDefaults(KERBEROASTING_DEFAULTS, options);
  checkInteger("services", services, 1, 1e6);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  checkInteger("domainTickets", domainTickets, 1, 1e12);
  checkNumber("rc4Share", rc4Share, 0, 1);
  const view = detectorView(frame);
  if (!view.columns.includes("detail") || !view.columns.includes("destination")) return [];
  const tickets = collectEvents(
    view,
    lazyEvents(view)
      .filter(
        pl.col("log_type").eq(pl.lit("kerberos_service_ticket"))
          .and(pl.col("destination").isNotNull())
          .and(pl.col("destination").str.contains("(\\$$|^krbtgt)").not())
          .and(pl.col("user_id").isNotNull()),
      )
      .select(
        pl.col("user_id").cast(pl.Utf8).alias("u"), pl.col("destination").cast(pl.Utf8).alias("s"), pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col("detail").str.contains("TicketEncryptionType=0x1[78]\\b").fillNull(false).alias("rc4"),
      )
      .sort("t"),
  );
  // The domain's habit: how many user service tickets the log holds, and what share of them are RC4.
  const all = tickets.height;
  const rc4 = tickets.filter(pl.col("rc4"));
  const share = all === 0 ? 0 : rc4.height / all;
  const users = rc4.getColumn("u").toArray() as string[];
  const names = rc4.getColumn("s").toArray() as string[];
  const times = rc4.getColumn("t").toArray().map(Number);
  const windowMs = windowMinutes * MINUTE_MS;
  const detections: Detection[] = [];
  // A lone RC4 ticket stands out where nearly every other ticket is AES.
  const rare = all >= domainTickets && share <= rc4Share;
  const domain = { domain_tickets: all, rc4_share: Number(share.toFixed(4)) };
  for (const [user, indices] of groupIndices(users)) {
    const t = indices.map((i) => times[i]);
    const bursts = slidingBursts(t, windowMs, [{ values: indices.map((i) => names[i]), atLeast: services }]);
    if (bursts.length === 0 && rare) {
      const requested = [...new Set(indices.map((i) => names[i]))].sort();
      detections.push({
        rule: "kerberoasting", technique: KERBEROASTING_TECHNIQUE, entity: { type: "user", value: user },
        start: t[0], end: t[t.length - 1], eventCount: indices.length,
        // Scored by how rare RC4 is: the share allowed over the share seen (at least 1).
        score: Math.max(1, rc4Share / Math.max(share, 1 / all)) / services, observed: requested.length, expected: services,
        measure: "distinct services with RC4 service tickets", window: "the whole log (RC4 rare in the domain)",
        evidence: { services: requested, requests: indices.length, ...domain },
        logTypes: ["kerberos_service_ticket"],
      });
    }
    for (const burst of bursts) {
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
        evidence: { services: requested, requests: inBurst.length, ...domain },
        logTypes: ["kerberos_service_ticket"],
      });
    }
  }
  return detections;
}

/** What a Kerberoasting detection holds. */
export type KerberoastingEvidence = {
  services: string[];
  requests: number;
  /** User service tickets in the log, and the share of them encrypted with RC4. */
  domain_tickets?: number;
  rc4_share?: number;
};

/** Kerberoasting: RC4 service tickets for several services from one account in minutes. */
export const kerberoasting: Rule<"kerberoasting", KerberoastingOptions, KerberoastingEvidence> = {
  name: "kerberoasting", title: "Kerberoasting", family: "window rule", technique: KERBEROASTING_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "log_type", "destination", "detail"], needsValues: ["user_id", "destination", "detail"], defaults: KERBEROASTING_DEFAULTS,
  explain: (o) =>
    `one account requesting RC4-encrypted service tickets (4769) for ≥ ${o.services} services in ${o.windowMinutes} min, machine and krbtgt accounts excluded; ` +
    `or any RC4 ticket where the log holds ≥ ${o.domainTickets} service tickets and ≤ ${Number(o.rc4Share) * 100} % of them are RC4`,
  basis: 'Splunk "Unusual Number of Kerberos Service Tickets Requested" (> 2 services), "Kerberoasting spn request with RC4 encryption"',
  detect: detectKerberoasting,
  summarize: (d) =>
    `${d.entity.value} requested RC4-encrypted service tickets for ${plural(d.observed, "service")} in ${formatDuration(Math.max(d.end - d.start, 1))}: ${listSome(d.evidence.services, 5)}` +
    (d.observed < d.expected && d.evidence.rc4_share !== undefined ? `, where ${percent(1 - d.evidence.rc4_share)} of the domain's ${count(d.evidence.domain_tickets ?? 0)} service tickets are AES` : ""),
};
