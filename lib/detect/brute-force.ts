/**
 * Brute force (ATT&CK T1110.001, password guessing): one source fails many logins to one account
 * within minutes, sometimes ending in a success.
 */
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS, isoUtc } from "../time";
import { type Detection, formatDuration } from "./detection";
import { type Events, groupIndices, loginAttempts } from "./events";
import { mergeBursts, slidingBursts } from "./windows";
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
  /**
   * Machine speed: this many failed password guesses from one source to one account within
   * `burstSeconds` are a brute force too, however few. Default `4`: nobody retypes a password four
   * times in two seconds (the Windows OpenSSH brute force of the .evtx samples tries four in 1.5 s).
   * Refused public keys do not count: a client offers its keys one after another.
   */
  burstFailures?: number;
  /** The machine-speed window in seconds. Default `2`. */
  burstSeconds?: number;
}

/** The defaults of {@link BruteForceOptions}. */
const BRUTE_FORCE_DEFAULTS = { failures: 10, windowMinutes: 5, burstFailures: 4, burstSeconds: 2 };

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
  const { failures, windowMinutes, burstFailures, burstSeconds } = withDefaults(BRUTE_FORCE_DEFAULTS, options);
  checkInteger("burstFailures", burstFailures, 2, 1_000_000);
  checkNumber("burstSeconds", burstSeconds, 0.001, 3600);
  checkInteger("failures", failures, 2, 1_000_000);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  const windowMs = windowMinutes * MINUTE_MS;
  const logins = loginAttempts(frame, { withSuccess: true });
  const pairs = groupIndices(logins.source.map((s, i) => `${s}\u0000${logins.user[i]}`));
  const detections: Detection[] = [];
  for (const indices of pairs.values()) {
    const failed = indices.filter((i) => !logins.success[i]);
    const times = failed.map((i) => logins.time[i]);
    // Machine-speed bursts count guesses only; a run of refused keys is one client's key ring.
    const guesses = failed.filter((i) => !logins.keyOffer[i]);
    const fast = slidingBursts(guesses.map((i) => logins.time[i]), burstSeconds * 1000, [{ atLeast: burstFailures }]).map((b) => {
      const first = failed.indexOf(guesses[b.first]);
      const last = failed.indexOf(guesses[b.last]);
      return { first, last, peaks: [last - first + 1] };
    });
    const slow = slidingBursts(times, windowMs, [{ atLeast: failures }]);
    for (const burst of mergeBursts([...slow, ...fast])) {
      // A burst that reached the usual threshold is judged by it; one only machine speed found, by that.
      const slowPeak = Math.max(0, ...slow.filter((b) => b.first <= burst.last && b.last >= burst.first).map((b) => b.peaks[0]));
      const machine = slowPeak === 0;
      const peak = machine ? burst.peaks[0] : slowPeak;
      const bar = machine ? burstFailures : failures;
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
        score: peak / bar,
        observed: peak,
        expected: bar,
        measure: "failed logins to one account",
        window: machine ? `${formatDuration(burstSeconds * 1000)} sliding (machine speed)` : `${formatDuration(windowMs)} sliding`,
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
  explain: (o) =>
    `≥ ${o.failures} failed logins from one source to one account in ${o.windowMinutes} min (sliding), or ≥ ${o.burstFailures} password guesses in ${o.burstSeconds} s (machine speed); notes a following success`,
  basis: 'Elastic "Potential SSH Brute Force Detected" (10 failures)',
  detect: detectBruteForce,
  summarize: (d) =>
    `${d.entity.value} failed ${count(d.evidence.failures)} logins to ${d.evidence.account} in ${d.evidence.duration}` +
    ` (threshold ${d.expected} in ${d.window.replace(" sliding", "").replace(" (machine speed)", ", machine speed")})${d.evidence.succeeded ? `, then logged in successfully at ${d.evidence.success_at}` : ""}`,
};
