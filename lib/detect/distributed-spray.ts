/**
 * Low-and-slow, distributed password spraying (ATT&CK T1110.003): many sources, each trying
 * rarely and with jittered timing, so that no per-source threshold ever fires. Seen from the
 * account's side, the attack is visible: failures arrive from many different sources in a day.
 */
import { checkInteger, checkNumber } from "../errors";
import { HOUR_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { type Events, distinctAt, groupIndices, loginAttempts, timeSpan } from "./events";
import { entityHistory, slidingBursts } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count, upTo } from "./words";

/** Options of {@link detectDistributedSpray}. */
export interface DistributedSprayOptions {
  /**
   * One account must see failures from more than this many distinct sources within the window.
   * Default `3`: Microsoft Sentinel's "Distributed Password cracking attempts in AzureAD" alerts
   * on failures for one account from 3 or more locations in a day. A user who mistypes a password
   * does so from their own one to four machines.
   */
  sources?: number;
  /** …and at least this many failures. Default `5` (Sentinel asks 30 failures; a small org sees fewer). */
  failures?: number;
  /** Length of the sliding window in hours. Default `24` (Sentinel's day). */
  windowHours?: number;
  /** The source count must also reach the account's mean + `sigma` sd over all windows. Default `3`. */
  sigma?: number;
}

/** The defaults of {@link DistributedSprayOptions}. */
const DISTRIBUTED_SPRAY_DEFAULTS = { sources: 3, failures: 5, windowHours: 24, sigma: 3 };

/** The ATT&CK technique of {@link detectDistributedSpray}. */
export const DISTRIBUTED_SPRAY_TECHNIQUE = "T1110.003";

/**
 * Returns a detection (entity: the account) for every period in which one account sees failed
 * logins from more than `sources` distinct sources within a sliding window.
 * @example
 * detectDistributedSpray(logs)[0].evidence // => { sources: 9, failures: 11, countries: ["NL", "RU", …], … }
 */
export function detectDistributedSpray(frame: Events, options: DistributedSprayOptions = {}): Detection[] {
  const { sources, failures, windowHours, sigma } = withDefaults(DISTRIBUTED_SPRAY_DEFAULTS, options);
  checkInteger("sources", sources, 1, 1_000_000);
  checkInteger("failures", failures, 1, 1_000_000);
  checkNumber("windowHours", windowHours, 0.1, 24 * 90);
  checkNumber("sigma", sigma, 0, 100);
  const windowMs = windowHours * HOUR_MS;
  const span = timeSpan(frame);
  if (!span) return [];
  const logins = loginAttempts(frame, { requireUser: true });
  const detections: Detection[] = [];
  for (const [account, indices] of groupIndices(logins.user)) {
    const times = indices.map((i) => logins.time[i]);
    const from = indices.map((i) => logins.source[i]);
    for (const burst of slidingBursts(times, windowMs, [{ values: from, atLeast: sources + 1 }, { atLeast: failures }])) {
      const start = times[burst.first];
      const end = times[burst.last];
      const history = entityHistory(times, from, windowMs, span, sigma, start, end);
      if (history.known && burst.peaks[0] < history.bound) continue;
      const inBurst = indices.slice(burst.first, burst.last + 1);
      detections.push({
        rule: "distributed_spray",
        technique: DISTRIBUTED_SPRAY_TECHNIQUE,
        entity: { type: "user", value: account },
        start,
        end,
        eventCount: inBurst.length,
        score: burst.peaks[0] / Math.max(sources + 1, history.known ? history.bound : 0),
        observed: burst.peaks[0],
        expected: Math.max(sources + 1, history.known ? Number(history.bound.toFixed(2)) : 0),
        measure: "distinct sources of failed logins",
        window: `${formatDuration(windowMs)} sliding`,
        evidence: {
          sources: distinctAt(logins.source, inBurst).length,
          failures: inBurst.length,
          sample_sources: distinctAt(logins.source, inBurst).slice(0, 10),
          ...(logins.country ? { countries: distinctAt(logins.country, inBurst) } : {}),
          usual_sources: history.usualMax,
          duration: formatDuration(end - start),
        },
        logTypes: ["login_failed"],
      });
    }
  }
  return detections;
}

/** What a distributed-spray detection holds. */
export type DistributedSprayEvidence = {
  sources: number;
  failures: number;
  sample_sources: string[];
  countries?: string[];
  usual_sources: number;
  duration: string;
};

/** Low-and-slow distributed spraying: one account, failed logins from many sources over hours. */
export const distributedSpray: Rule<"distributed_spray", DistributedSprayOptions, DistributedSprayEvidence> = {
  name: "distributed_spray", title: "Low-and-slow distributed spraying", family: "window rule", technique: DISTRIBUTED_SPRAY_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "user_id", "ip_address", "log_type"], needsValues: ["user_id"], defaults: DISTRIBUTED_SPRAY_DEFAULTS,
  explain: (o) => `one account failing from > ${o.sources} sources with ≥ ${o.failures} failures in ${o.windowHours} h (low-and-slow), and ≥ its own mean + ${o.sigma}σ`,
  basis: 'Sentinel "Distributed Password cracking attempts in AzureAD" (3 locations a day)',
  detect: detectDistributedSpray,
  summarize: (d) =>
    `${d.entity.value} had failed logins from ${count(d.evidence.sources)} different sources in ${d.evidence.duration}` +
    ` (${count(d.evidence.failures)} failures); its usual is ${upTo(d.evidence.usual_sources)} sources a day`,
};
