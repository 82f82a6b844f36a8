/**
 * Brute force (ATT&CK T1110.001, password guessing): one source fails many logins to one account
 * within minutes, sometimes ending in a success.
 */
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS, isoUtc } from "../time";
import { type Detection, formatDuration } from "./detection";
import { type Events, groupIndices, loginAttempts } from "./events";
import { slidingBursts } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count } from "./words";

/** Options of {@link detectBruteForce}. */
export interface BruteForceOptions {
  /**
   * Failed logins from one source to one account, within the window, that raise a detection.
   * Default `10`: the run length of Elastic's "Potential SSH Brute Force Detected"
   * (10 failures from one source; Elastic looks at 10 s, threatlab at a wider window below), far
   * above the one to three retries of a user who mistyped a password.
   */
  failures?: number;
  /** Length of the sliding window in minutes. Default `5`. */
  windowMinutes?: number;
}

/** The defaults of {@link BruteForceOptions}. */
const BRUTE_FORCE_DEFAULTS = { failures: 10, windowMinutes: 5 };

/** The ATT&CK technique of {@link detectBruteForce}. */
export const BRUTE_FORCE_TECHNIQUE = "T1110.001";

/**
 * Returns a detection for every burst of at least `failures` failed logins from one source to one
 * account within a sliding window (entity: the source). The evidence says whether the same source
 * then logged in to that account successfully, within the window after the last failure.
 * @example
 * detectBruteForce(logs)[0]
 * // => { rule: "brute_force", entity: { type: "source", value: "185.3.44.19" }, observed: 57, expected: 10, … }
 */
export function detectBruteForce(frame: Events, options: BruteForceOptions = {}): Detection[] {
  const { failures, windowMinutes } = withDefaults(BRUTE_FORCE_DEFAULTS, options);
  checkInteger("failures", failures, 2, 1_000_000);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  const windowMs = windowMinutes * MINUTE_MS;
  const logins = loginAttempts(frame, { withSuccess: true });
  const pairs = groupIndices(logins.source.map((s, i) => `${s}\u0000${logins.user[i]}`));
  const detections: Detection[] = [];
  for (const indices of pairs.values()) {
    const failed = indices.filter((i) => !logins.success[i]);
    const times = failed.map((i) => logins.time[i]);
    for (const burst of slidingBursts(times, windowMs, [{ atLeast: failures }])) {
      const first = failed[burst.first];
      const start = times[burst.first];
      const lastFailure = times[burst.last];
      const success = indices.find((i) => logins.success[i] && logins.time[i] >= start && logins.time[i] <= lastFailure + windowMs);
      const end = success === undefined ? lastFailure : Math.max(lastFailure, logins.time[success]);
      const count = burst.last - burst.first + 1;
      detections.push({
        rule: "brute_force",
        technique: BRUTE_FORCE_TECHNIQUE,
        entity: { type: "source", value: logins.source[first] },
        start,
        end,
        eventCount: count + (success === undefined ? 0 : 1),
        score: burst.peaks[0] / failures,
        observed: burst.peaks[0],
        expected: failures,
        measure: "failed logins to one account",
        window: `${formatDuration(windowMs)} sliding`,
        evidence: {
          account: logins.user[first],
          failures: count,
          duration: formatDuration(lastFailure - start),
          succeeded: success !== undefined,
          ...(success !== undefined ? { success_at: isoUtc(logins.time[success]) } : {}),
          ...(logins.country ? { country: logins.country[first] } : {}),
        },
        logTypes: ["login_failed", "login_success"],
      });
    }
  }
  return detections;
}

/** What a brute-force detection holds. */
export type BruteForceEvidence = {
  account: string | null;
  failures: number;
  duration: string;
  succeeded: boolean;
  success_at?: string;
  country?: string | null;
};

/** Brute force: many failed logins from one source to one account in minutes. */
export const bruteForce: Rule<"brute_force", BruteForceOptions, BruteForceEvidence> = {
  name: "brute_force", title: "Brute force", family: "window rule", technique: BRUTE_FORCE_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "user_id", "ip_address", "log_type"], needsValues: [], defaults: BRUTE_FORCE_DEFAULTS,
  explain: (o) => `≥ ${o.failures} failed logins from one source to one account in ${o.windowMinutes} min (sliding); notes a following success`,
  basis: 'Elastic "Potential SSH Brute Force Detected" (10 failures)',
  detect: detectBruteForce,
  summarize: (d) =>
    `${d.entity.value} failed ${count(d.evidence.failures)} logins to ${d.evidence.account} in ${d.evidence.duration}` +
    ` (threshold ${d.expected} in ${d.window.replace(" sliding", "")})${d.evidence.succeeded ? `, then logged in successfully at ${d.evidence.success_at}` : ""}`,
};
