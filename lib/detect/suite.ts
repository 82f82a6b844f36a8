/**
 * The detector suite: every rule by name, with its technique, base severity and the columns it
 * needs, and one call that runs a chosen set of them.
 */
import { invalidOption } from "../errors";
import { detectIsolationForest, type IsolationForestDetectorOptions } from "./anomaly-model";
import { detectBruteForce, type BruteForceOptions } from "./brute-force";
import { detectCredentialStuffing, type CredentialStuffingOptions } from "./credential-stuffing";
import type { Detection, Severity } from "./detection";
import { detectDistributedSpray, type DistributedSprayOptions } from "./distributed-spray";
import { detectorView, eventCount, type Events, valueCount } from "./events";
import { detectImpossibleTravel, detectUnusualLocation, type ImpossibleTravelOptions, type UnusualLocationOptions } from "./location";
import { detectOffHours, type OffHoursOptions } from "./off-hours";
import { detectPasswordSpray, type PasswordSprayOptions } from "./password-spray";
import { detectPercentileRule, type PercentileRuleOptions } from "./percentile-rule";
import { detectRecon, type ReconOptions } from "./recon";
import { detectKerberoasting, type KerberoastingOptions } from "./kerberoasting";
import { detectLargeUpload, type LargeUploadOptions } from "./large-upload";
import { detectBytesBaseline, detectVolumeExfiltration, type VolumeOptions } from "./volume";

/** The options each rule takes, by rule name. */
export interface RuleOptionsMap {
  brute_force: BruteForceOptions;
  password_spray: PasswordSprayOptions;
  credential_stuffing: CredentialStuffingOptions;
  distributed_spray: DistributedSprayOptions;
  bytes_baseline: VolumeOptions;
  volume_exfiltration: VolumeOptions;
  large_upload: LargeUploadOptions;
  off_hours: OffHoursOptions;
  unusual_location: UnusualLocationOptions;
  impossible_travel: ImpossibleTravelOptions;
  recon: ReconOptions;
  kerberoasting: KerberoastingOptions;
  isolation_forest: IsolationForestDetectorOptions;
  percentile: PercentileRuleOptions;
}

/** A rule's name. */
export type RuleName = keyof RuleOptionsMap;

/** A rule of the suite. */
export interface RuleSpec<N extends RuleName = RuleName> {
  readonly name: N;
  readonly title: string;
  /** What kind of detector it is: window rules, per-entity baselines, the model, or the tutorial's rule. */
  readonly family: "window rule" | "baseline" | "model" | "tutorial";
  readonly technique: string;
  readonly severity: Severity;
  /** Columns the rule cannot work without. */
  readonly requires: readonly string[];
  /**
   * Columns that must hold at least one value: a log read from a real format has every column,
   * but sshd logs no bytes and Zeek no accounts, and a rule that looks only at those has nothing to do.
   */
  readonly needsValues: readonly string[];
  /** The option names the rule takes (see its options interface for meanings and defaults). */
  readonly optionKeys: readonly string[];
  run(frame: Events, options?: RuleOptionsMap[N]): Detection[];
}

const LOGINS = ["timestamp", "user_id", "ip_address", "log_type"];
const VOLUME_KEYS = ["scope", "threshold", "minBytes", "minRatio", "minHistory", "internal"];

/** Every rule, in the order they run and are reported. */
export const RULES: { readonly [N in RuleName]: RuleSpec<N> } = {
  brute_force: { name: "brute_force", title: "Brute force", family: "window rule", technique: "T1110.001", severity: "medium", requires: LOGINS, needsValues: [], optionKeys: ["failures", "windowMinutes"], run: detectBruteForce },
  password_spray: { name: "password_spray", title: "Password spraying", family: "window rule", technique: "T1110.003", severity: "medium", requires: LOGINS, needsValues: ["user_id"], optionKeys: ["accounts", "windowMinutes", "sigma", "burstAccounts", "burstSeconds"], run: detectPasswordSpray },
  credential_stuffing: { name: "credential_stuffing", title: "Credential stuffing", family: "window rule", technique: "T1110.004", severity: "high", requires: LOGINS, needsValues: ["user_id"], optionKeys: ["accounts", "sources", "windowMinutes", "sigma"], run: detectCredentialStuffing },
  distributed_spray: { name: "distributed_spray", title: "Low-and-slow distributed spraying", family: "window rule", technique: "T1110.003", severity: "medium", requires: LOGINS, needsValues: ["user_id"], optionKeys: ["sources", "failures", "windowHours", "sigma"], run: detectDistributedSpray },
  bytes_baseline: { name: "bytes_baseline", title: "Hourly bytes far above the user's baseline", family: "baseline", technique: "T1048", severity: "high", requires: ["timestamp", "user_id", "bytes_transferred"], needsValues: ["bytes_transferred"], optionKeys: VOLUME_KEYS, run: detectBytesBaseline },
  volume_exfiltration: { name: "volume_exfiltration", title: "Daily volume exfiltration", family: "baseline", technique: "T1048", severity: "high", requires: ["timestamp", "user_id", "bytes_transferred"], needsValues: ["bytes_transferred"], optionKeys: VOLUME_KEYS, run: detectVolumeExfiltration },
  large_upload: { name: "large_upload", title: "Large upload to an outside address", family: "baseline", technique: "T1048", severity: "high", requires: ["timestamp", "destination"], needsValues: ["destination", "bytes_transferred"], optionKeys: ["minBytes", "minTotalBytes", "ratio", "threshold", "minHistory", "internal"], run: detectLargeUpload },
  off_hours: { name: "off_hours", title: "Activity outside usual hours", family: "baseline", technique: "T1078", severity: "low", requires: ["timestamp", "user_id"], needsValues: [], optionKeys: ["minEvents", "coverage", "marginHours", "minHistory"], run: detectOffHours },
  unusual_location: { name: "unusual_location", title: "Place new to the account", family: "baseline", technique: "T1078", severity: "medium", requires: ["timestamp", "user_id", "log_type"], needsValues: ["user_id"], optionKeys: ["learningDays", "minHistory"], run: detectUnusualLocation },
  impossible_travel: { name: "impossible_travel", title: "Impossible travel", family: "baseline", technique: "T1078", severity: "high", requires: ["timestamp", "user_id", "log_type", "country"], needsValues: ["user_id", "country"], optionKeys: ["maxSpeedKmh", "minDistanceKm"], run: detectImpossibleTravel },
  recon: { name: "recon", title: "Machine-speed reconnaissance", family: "window rule", technique: "T1087", severity: "medium", requires: ["timestamp", "user_id", "log_type"], needsValues: ["user_id"], optionKeys: ["eventsPerMinute", "ratio"], run: detectRecon },
  kerberoasting: { name: "kerberoasting", title: "Kerberoasting", family: "window rule", technique: "T1558.003", severity: "high", requires: ["timestamp", "user_id", "log_type", "destination", "detail"], needsValues: ["user_id", "destination", "detail"], optionKeys: ["services", "windowMinutes"], run: detectKerberoasting },
  isolation_forest: { name: "isolation_forest", title: "Isolation forest over user-hours", family: "model", technique: "T1078", severity: "low", requires: ["timestamp", "user_id", "log_type", "ip_address", "bytes_transferred"], needsValues: [], optionKeys: ["threshold", "minWindows", "trees", "sampleSize", "seed"], run: detectIsolationForest },
  percentile: { name: "percentile", title: "The tutorial's 95th-percentile rule", family: "tutorial", technique: "T1048", severity: "low", requires: ["timestamp", "user_id", "bytes_transferred"], needsValues: ["bytes_transferred"], optionKeys: ["quantile"], run: detectPercentileRule },
};

/** Every rule name. */
export const RULE_NAMES = Object.keys(RULES) as RuleName[];

/** The rules `detect` runs by default: all but the tutorial's, which is kept as the baseline to beat. */
export const DEFAULT_RULES: readonly RuleName[] = RULE_NAMES.filter((r) => r !== "percentile");

/** Options of {@link runDetectors}. */
export interface DetectOptions {
  /** Which rules to run. Default {@link DEFAULT_RULES}. */
  rules?: readonly string[];
  /** Options per rule, e.g. `{ brute_force: { failures: 20 } }`. */
  options?: { readonly [N in RuleName]?: RuleOptionsMap[N] };
  /** The organisation's networks (CIDR), for every rule that tells inside from outside. */
  internal?: readonly string[];
  /** Called after each rule with its name, its detections and its run time in seconds (for progress). */
  onRule?: (rule: RuleName, detections: number, seconds: number) => void;
}

/** What a run of the suite found. */
export interface DetectionRun {
  readonly detections: Detection[];
  /** Seconds each rule took. */
  readonly seconds: Partial<Record<RuleName, number>>;
  /** Rules that could not run on this data, and why. */
  readonly skipped: { rule: RuleName; reason: string }[];
}

/** Returns `names` checked against the rule list. */
export function checkRuleNames(names: readonly string[]): RuleName[] {
  for (const name of names) {
    if (!(name in RULES)) throw invalidOption("rule", name, `one of ${RULE_NAMES.join(", ")}`);
  }
  return names as RuleName[];
}

/**
 * Runs the chosen rules on a frame (labels removed first) and returns every detection, the time
 * each rule took, and the rules skipped for lack of a column. Given a lazy frame over a file
 * ({@link scanEvents}), each rule reads the file in batches with polars' streaming engine and keeps
 * only what it reduces the events to: the same detections, for files bigger than memory.
 * @example
 * runDetectors(logs, { rules: ["brute_force", "password_spray"] }).detections.length // => 6
 */
export function runDetectors(frame: Events, { rules = DEFAULT_RULES, options = {}, internal, onRule }: DetectOptions = {}): DetectionRun {
  const chosen = checkRuleNames(rules);
  const view = detectorView(frame);
  const detections: Detection[] = [];
  const seconds: Partial<Record<RuleName, number>> = {};
  const skipped: { rule: RuleName; reason: string }[] = [];
  for (const name of chosen) {
    const spec = RULES[name] as RuleSpec;
    const missing = spec.requires.filter((c) => !view.columns.includes(c));
    const empty = spec.needsValues.filter((c) => view.columns.includes(c) && eventCount(view) > 0 && valueCount(view, c) === 0);
    if (missing.length > 0 || empty.length > 0) {
      const reasons = [
        ...(missing.length > 0 ? [`needs the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`] : []),
        ...(empty.length > 0 ? [`no values in ${empty.join(", ")}`] : []),
      ];
      skipped.push({ rule: name, reason: reasons.join("; ") });
      continue;
    }
    const started = performance.now();
    const ruleOptions = internal && spec.optionKeys.includes("internal") ? { internal, ...(options[name] ?? {}) } : options[name];
    const found = spec.run(view, ruleOptions as never);
    seconds[name] = (performance.now() - started) / 1000;
    detections.push(...found);
    onRule?.(name, found.length, seconds[name]!);
  }
  return { detections, seconds, skipped };
}

/**
 * Returns the rules named by a comma-separated list, where `all` means every rule and `default`
 * the default set.
 * @example
 * parseRuleList("brute_force,password_spray") // => ["brute_force", "password_spray"]
 */
export function parseRuleList(text: string): RuleName[] {
  const names = text.split(",").map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw invalidOption("rules", text, `a comma-separated list of ${RULE_NAMES.join(", ")}, or all`);
  return [...new Set(names.flatMap((n) => (n === "all" ? RULE_NAMES : n === "default" ? [...DEFAULT_RULES] : checkRuleNames([n]))))];
}

/**
 * Returns rule options parsed from `rule.option=value` settings (numbers where they parse as
 * numbers), checking each rule and option name.
 * @example
 * parseRuleOptions(["brute_force.failures=20", "bytes_baseline.scope=all"])
 * // => { brute_force: { failures: 20 }, bytes_baseline: { scope: "all" } }
 */
export function parseRuleOptions(settings: readonly string[]): NonNullable<DetectOptions["options"]> {
  const options: Record<string, Record<string, number | string>> = {};
  for (const setting of settings) {
    const m = /^([a-z_]+)\.([A-Za-z]+)=(.+)$/.exec(setting.trim());
    if (!m) throw invalidOption("option", setting, "rule.option=value, e.g. brute_force.failures=20");
    const [, rule, key, raw] = m;
    const spec = RULES[checkRuleNames([rule])[0]] as RuleSpec;
    if (!spec.optionKeys.includes(key)) throw invalidOption(`option of ${rule}`, key, `one of ${spec.optionKeys.join(", ")}`);
    const value = raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    (options[rule] ??= {})[key] = value;
  }
  return options as NonNullable<DetectOptions["options"]>;
}
