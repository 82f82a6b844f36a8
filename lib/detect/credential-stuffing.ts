/**
 * Credential stuffing (ATT&CK T1110.004): many sources replay leaked credentials for many
 * accounts at machine speed.
 */
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { type Events, distinctAt, loginAttempts, timeSpan } from "./events";
import { entityHistory, slidingBursts } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count, upTo } from "./words";

/** Options of {@link detectCredentialStuffing}. */
export interface CredentialStuffingOptions {
  /**
   * More than this many distinct accounts must fail within the window. Default `20`, as Splunk's
   * "O365 / Azure AD Multi-Source Failed Authentications Spike" (more than 20 users, more than 20
   * IPs, in 5-minute buckets).
   */
  accounts?: number;
  /** More than this many distinct sources must take part. Default `20` (same rule). */
  sources?: number;
  /** Length of the sliding window in minutes. Default `5` (same rule). */
  windowMinutes?: number;
  /** The account count must also reach the service's mean + `sigma` sd over all windows. Default `3`. */
  sigma?: number;
}

/** The defaults of {@link CredentialStuffingOptions}. */
const CREDENTIAL_STUFFING_DEFAULTS = { accounts: 20, sources: 20, windowMinutes: 5, sigma: 3 };

/** The ATT&CK technique of {@link detectCredentialStuffing}. */
export const CREDENTIAL_STUFFING_TECHNIQUE = "T1110.004";

/**
 * Returns a detection (entity: the login service as a whole) for every burst in which more than
 * `accounts` accounts fail to log in from more than `sources` sources within a sliding window.
 * @example
 * detectCredentialStuffing(logs)[0].evidence // => { accounts: 142, sources: 57, attempts_per_second: 3.1, … }
 */
export function detectCredentialStuffing(frame: Events, options: CredentialStuffingOptions = {}): Detection[] {
  const { accounts, sources, windowMinutes, sigma } = withDefaults(CREDENTIAL_STUFFING_DEFAULTS, options);
  checkInteger("accounts", accounts, 1, 1_000_000);
  checkInteger("sources", sources, 1, 1_000_000);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  checkNumber("sigma", sigma, 0, 100);
  const windowMs = windowMinutes * MINUTE_MS;
  const span = timeSpan(frame);
  if (!span) return [];
  const logins = loginAttempts(frame, { withSuccess: true, requireUser: true });
  const failed = logins.time.map((_, i) => i).filter((i) => !logins.success[i]);
  const times = failed.map((i) => logins.time[i]);
  const users = failed.map((i) => logins.user[i]);
  const from = failed.map((i) => logins.source[i]);
  const detections: Detection[] = [];
  for (const burst of slidingBursts(times, windowMs, [{ values: users, atLeast: accounts + 1 }, { values: from, atLeast: sources + 1 }])) {
    const start = times[burst.first];
    const end = times[burst.last];
    const history = entityHistory(times, users, windowMs, span, sigma, start, end);
    if (history.known && burst.peaks[0] < history.bound) continue;
    const inBurst = failed.slice(burst.first, burst.last + 1);
    const sourceSet = new Set(inBurst.map((i) => logins.source[i]));
    // Successes from the attacking sources during the burst or within a window after it.
    const successes = logins.time
      .map((_, i) => i)
      .filter((i) => logins.success[i] && logins.time[i] >= start && logins.time[i] <= end + windowMs && sourceSet.has(logins.source[i]));
    detections.push({
      rule: "credential_stuffing",
      technique: CREDENTIAL_STUFFING_TECHNIQUE,
      entity: { type: "service", value: "authentication" },
      start,
      end: Math.max(end, ...successes.map((i) => logins.time[i])),
      eventCount: inBurst.length + successes.length,
      score: burst.peaks[0] / Math.max(accounts + 1, history.known ? history.bound : 0),
      observed: burst.peaks[0],
      expected: Math.max(accounts + 1, history.known ? Number(history.bound.toFixed(2)) : 0),
      measure: "distinct accounts with failed logins",
      window: `${formatDuration(windowMs)} sliding`,
      evidence: {
        accounts: distinctAt(logins.user, inBurst).length,
        sources: sourceSet.size,
        attempts: inBurst.length,
        attempts_per_second: Number((inBurst.length / Math.max(1, (end - start) / 1000)).toFixed(2)),
        sample_sources: [...sourceSet].sort().slice(0, 10),
        successful_logins: successes.map((i) => logins.user[i]),
        usual_accounts: history.usualMax,
        duration: formatDuration(end - start),
      },
      logTypes: ["login_failed", "login_success"],
    });
  }
  return detections;
}

/** What a credential-stuffing detection holds. */
export type CredentialStuffingEvidence = {
  accounts: number;
  sources: number;
  attempts: number;
  attempts_per_second: number;
  sample_sources: string[];
  successful_logins: string[];
  usual_accounts: number;
  duration: string;
};

/** Credential stuffing: many accounts failing from many sources at once. */
export const credentialStuffing: Rule<"credential_stuffing", CredentialStuffingOptions, CredentialStuffingEvidence> = {
  name: "credential_stuffing", title: "Credential stuffing", family: "window rule", technique: CREDENTIAL_STUFFING_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "ip_address", "log_type"], needsValues: ["user_id"], defaults: CREDENTIAL_STUFFING_DEFAULTS,
  explain: (o) => `> ${o.accounts} accounts failing from > ${o.sources} sources in ${o.windowMinutes} min, and ≥ the service's mean + ${o.sigma}σ`,
  basis: 'Splunk "O365 Multi-Source Failed Authentications Spike"',
  detect: detectCredentialStuffing,
  summarize: (d) =>
    `Logins failed for ${count(d.evidence.accounts)} accounts from ${count(d.evidence.sources)} sources in ${d.evidence.duration}` +
    ` (${d.evidence.attempts_per_second} attempts/s); the usual is ${upTo(d.evidence.usual_accounts)} accounts` +
    `${d.evidence.successful_logins.length > 0 ? `; ${d.evidence.successful_logins.length} succeeded` : ""}`,
};
