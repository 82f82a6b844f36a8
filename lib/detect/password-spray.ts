/**
 * Password spraying (ATT&CK T1110.003): one source tries one or two passwords on many accounts.
 */
import { checkInteger, checkNumber } from "../errors";
import { MINUTE_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import pl from "nodejs-polars";
import { collectEvents, detectorView, type Events, distinctAt, groupIndices, lazyEvents, loginAttempts, timeSpan } from "./events";
import { entityHistory, mergeBursts, slidingBursts } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count, listSome, range, upTo } from "./words";

/** Options of {@link detectPasswordSpray}. */
export interface PasswordSprayOptions {
  /**
   * A source must fail on more than this many distinct accounts within the window. Default `10`,
   * as in Elastic's "Potential Password Spraying Attack via SSH" (more than 10 distinct users per
   * source in 5 minutes; Splunk's "Detect Password Spray Attempts" asks for more than 30).
   */
  accounts?: number;
  /**
   * Length of the sliding window in minutes. Default `10`: published rules count in 5-minute
   * buckets; a sliding window of 10 keeps a spray that straddles a bucket edge in one piece.
   */
  windowMinutes?: number;
  /**
   * The count must also reach the source's own mean + `sigma` standard deviations over all windows
   * of the period (empty ones as 0): Splunk's 3-sigma test, so a busy shared gateway that always
   * fails on many accounts does not alert. Skipped when the logs span too short a period to know
   * the source's habits. Default `3`.
   */
  sigma?: number;
  /**
   * Machine speed: this many distinct accounts failing from one source within `burstSeconds` also
   * count as a spray, whatever the 10-minute count. Default `5`: nobody mistypes five colleagues'
   * passwords in a minute, and PurpleSharp's real spray hits 7 accounts in 12 ms.
   */
  burstAccounts?: number;
  /** The machine-speed window in seconds. Default `60`. */
  burstSeconds?: number;
}

/** The defaults of {@link PasswordSprayOptions}. */
const PASSWORD_SPRAY_DEFAULTS = { accounts: 10, windowMinutes: 10, sigma: 3, burstAccounts: 5, burstSeconds: 60 };

/**
 * How a failed login says its account does not exist: Kerberos 0x6 and NTLM 0xC0000064 (read as
 * "unknown user" by the Windows formats), sshd's "Failed password for invalid user".
 */
const UNKNOWN_USER = "\\(unknown user\\)";

/** Returns `source\0account` for every failed login whose account does not exist. */
function unknownAccounts(frame: Events): Set<string> {
  const view = detectorView(frame);
  if (!view.columns.includes("detail")) return new Set();
  const rows = collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("log_type").eq(pl.lit("login_failed")).and(pl.col("detail").str.contains(UNKNOWN_USER)).and(pl.col("ip_address").isNotNull()).and(pl.col("user_id").isNotNull()))
      .select(pl.concatString([pl.col("ip_address").cast(pl.Utf8), pl.col("user_id").cast(pl.Utf8)], "\u0000").alias("k"))
      .unique(),
  );
  return new Set(rows.getColumn("k").toArray() as string[]);
}

/** The ATT&CK technique of {@link detectPasswordSpray}. */
export const PASSWORD_SPRAY_TECHNIQUE = "T1110.003";

/**
 * Returns a detection for every burst in which one source fails to log in to more than `accounts`
 * distinct accounts within a sliding window, and more than its own history predicts.
 * @example
 * detectPasswordSpray(logs)[0].evidence
 * // => { accounts: 31, attempts_per_account: [1, 2], sample_accounts: […], usual_accounts: 1, … }
 */
export function detectPasswordSpray(frame: Events, options: PasswordSprayOptions = {}): Detection[] {
  const { accounts, windowMinutes, sigma, burstAccounts, burstSeconds } = withDefaults(PASSWORD_SPRAY_DEFAULTS, options);
  checkInteger("accounts", accounts, 1, 1_000_000);
  checkNumber("windowMinutes", windowMinutes, 0.1, 7 * 24 * 60);
  checkNumber("sigma", sigma, 0, 100);
  checkInteger("burstAccounts", burstAccounts, 2, 1_000_000);
  checkNumber("burstSeconds", burstSeconds, 0.001, 3600);
  const windowMs = windowMinutes * MINUTE_MS;
  const span = timeSpan(frame);
  if (!span) return [];
  const logins = loginAttempts(frame, { requireUser: true, withSuccess: true });
  const unknown = unknownAccounts(frame);
  const detections: Detection[] = [];
  for (const [source, all] of groupIndices(logins.source)) {
    const indices = all.filter((i) => !logins.success[i]);
    if (indices.length === 0) continue;
    const times = indices.map((i) => logins.time[i]);
    const users = indices.map((i) => logins.user[i]);
    const bursts = mergeBursts([
      ...slidingBursts(times, windowMs, [{ values: users, atLeast: accounts + 1 }]),
      ...slidingBursts(times, burstSeconds * 1000, [{ values: users, atLeast: burstAccounts }]),
    ]);
    for (const burst of bursts) {
      const start = times[burst.first];
      const end = times[burst.last];
      const history = entityHistory(times, users, windowMs, span, sigma, start, end);
      const inBurst = indices.slice(burst.first, burst.last + 1);
      const peak = new Set(inBurst.map((i) => logins.user[i])).size;
      if (history.known && peak < history.bound) continue;
      const fast = end - start <= burstSeconds * 1000 && peak >= burstAccounts;
      const perAccount = [...groupIndices(inBurst.map((i) => logins.user[i])).values()].map((g) => g.length);
      const targeted = distinctAt(logins.user, inBurst);
      // Successes from the source amid the spray (a spray tries each account once or twice, so the
      // account it guessed right never fails), or on a sprayed account within a window after it.
      const sprayed = new Set(targeted);
      const won = all.filter((i) => {
        const t = logins.time[i];
        return logins.success[i] && t >= start && (t <= end || (t <= end + windowMs && sprayed.has(logins.user[i])));
      });
      detections.push({
        rule: "password_spray",
        technique: PASSWORD_SPRAY_TECHNIQUE,
        entity: { type: "source", value: source },
        start,
        end,
        eventCount: inBurst.length,
        score: peak / (fast ? burstAccounts : Math.max(accounts + 1, history.known ? history.bound : 0)),
        observed: peak,
        expected: fast ? burstAccounts : Math.max(accounts + 1, history.known ? Number(history.bound.toFixed(2)) : 0),
        measure: "distinct accounts with failed logins",
        window: fast ? `${formatDuration(burstSeconds * 1000)} sliding (machine speed)` : `${formatDuration(windowMs)} sliding`,
        evidence: {
          accounts: targeted.length,
          attempts_per_account: [Math.min(...perAccount), Math.max(...perAccount)],
          sample_accounts: targeted.slice(0, 20),
          duration: formatDuration(end - start),
          usual_accounts: history.usualMax,
          history: history.known ? { mean: Number(history.mean.toFixed(4)), bound: Number(history.bound.toFixed(2)) } : "too short to know",
          unknown_accounts: targeted.filter((u) => unknown.has(`${source}\u0000${u}`)).length,
          successful_logins: distinctAt(logins.user, won),
          ...(logins.country ? { country: logins.country[indices[0]] } : {}),
        },
        logTypes: won.length > 0 ? ["login_failed", "login_success"] : ["login_failed"],
      });
    }
  }
  return detections;
}

/** What a password-spray detection holds. */
export type PasswordSprayEvidence = {
  accounts: number;
  attempts_per_account: [number, number];
  sample_accounts: string[];
  duration: string;
  usual_accounts: number;
  history: { mean: number; bound: number } | string;
  /** Sprayed accounts that do not exist (the log says unknown user): guessing names, user enumeration. */
  unknown_accounts?: number;
  /** Sprayed accounts the source then logged in to: the spray found their passwords. */
  successful_logins?: string[];
  country?: string | null;
};

/** Password spraying: one source, many accounts, few passwords each. */
export const passwordSpray: Rule<"password_spray", PasswordSprayOptions, PasswordSprayEvidence> = {
  name: "password_spray", title: "Password spraying", family: "window rule", technique: PASSWORD_SPRAY_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "user_id", "ip_address", "log_type"], needsValues: ["user_id"], defaults: PASSWORD_SPRAY_DEFAULTS,
  explain: (o) => `one source failing on > ${o.accounts} accounts in ${o.windowMinutes} min, and ≥ its own mean + ${o.sigma}σ; or on ≥ ${o.burstAccounts} accounts in ${o.burstSeconds} s (machine speed); critical when a sprayed account then logs in`,
  basis: 'Elastic "Potential Password Spraying Attack via SSH" (> 10 users); Splunk "Detect Password Spray Attempts" (3σ)',
  detect: detectPasswordSpray,
  summarize: (d) =>
    `${d.entity.value} tried ${count(d.evidence.accounts)} accounts` +
    (d.evidence.unknown_accounts ? ` (${count(d.evidence.unknown_accounts)} that do not exist: user enumeration)` : "") +
    ` with ${range(d.evidence.attempts_per_account, "password")} each in ${d.evidence.duration};` +
    ` this source's usual is ${upTo(d.evidence.usual_accounts)} accounts` +
    (d.evidence.successful_logins?.length ? `; then logged in to ${listSome(d.evidence.successful_logins, 3)}` : ""),
};
