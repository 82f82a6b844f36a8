/**
 * The detector suite: every rule by name, with its technique, base severity and the columns it
 * needs, and one call that runs a chosen set of them.
 */
import pl, { type Expr } from "nodejs-polars";
import { invalidOption } from "../errors";
import { detectIsolationForest, isolationForestSteps, type IsolationForestDetectorOptions } from "./anomaly-model";
import { detectBruteForce, type BruteForceOptions } from "./brute-force";
import { detectCredentialStuffing, type CredentialStuffingOptions } from "./credential-stuffing";
import type { Detection, Severity } from "./detection";
import { detectDistributedSpray, type DistributedSprayOptions } from "./distributed-spray";
import { detectorView, entityParts, eventCount, type Events, finishSteps, valueCount } from "./events";
import { releaseNativeMemory } from "../io/native-memory";
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
  /**
   * For a rule whose findings about an entity (an account, say) depend on that entity's events
   * alone, and whose state grows with the events (every minute, every event in order): the
   * entity's key. On a file bigger than a part, the suite runs such a rule on a group of entities
   * at a time ({@link entityParts}), freeing each part before the next: the same findings, with
   * only one part's state in memory. Each part is a pass over the file, so rules with small state
   * (per hour, per place) run whole.
   */
  readonly perEntity?: () => Expr;
  /**
   * The rule as steps that pause where memory can be freed (between the parts of its own work), for
   * rules that split their work themselves; {@link runDetectorsAsync} frees memory at each pause.
   */
  readonly steps?: (frame: Events, options?: RuleOptionsMap[N]) => Generator<void, Detection[]>;
  run(frame: Events, options?: RuleOptionsMap[N]): Detection[];
}

const LOGINS = ["timestamp", "user_id", "ip_address", "log_type"];
const byAccount = (): Expr => pl.col("user_id").cast(pl.Utf8);
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
  impossible_travel: { name: "impossible_travel", title: "Impossible travel", family: "baseline", technique: "T1078", severity: "high", requires: ["timestamp", "user_id", "log_type", "country"], needsValues: ["user_id", "country"], optionKeys: ["maxSpeedKmh", "minDistanceKm"], perEntity: byAccount, run: detectImpossibleTravel },
  recon: { name: "recon", title: "Machine-speed reconnaissance", family: "window rule", technique: "T1087", severity: "medium", requires: ["timestamp", "user_id", "log_type"], needsValues: ["user_id"], optionKeys: ["eventsPerMinute", "ratio"], perEntity: byAccount, run: detectRecon },
  kerberoasting: { name: "kerberoasting", title: "Kerberoasting", family: "window rule", technique: "T1558.003", severity: "high", requires: ["timestamp", "user_id", "log_type", "destination", "detail"], needsValues: ["user_id", "destination", "detail"], optionKeys: ["services", "windowMinutes"], run: detectKerberoasting },
  isolation_forest: { name: "isolation_forest", title: "Isolation forest over user-hours", family: "model", technique: "T1078", severity: "low", requires: ["timestamp", "user_id", "log_type", "ip_address", "bytes_transferred"], needsValues: [], optionKeys: ["threshold", "minWindows", "trees", "sampleSize", "seed"], run: detectIsolationForest, steps: isolationForestSteps },
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
 * only what it reduces the events to: the same detections, for files bigger than memory (use
 * {@link runDetectorsAsync} there, which also frees each step's memory before the next).
 * @example
 * runDetectors(logs, { rules: ["brute_force", "password_spray"] }).detections.length // => 6
 */
export function runDetectors(frame: Events, options: DetectOptions = {}): DetectionRun {
  const run: DetectionRun = { detections: [], seconds: {}, skipped: [] };
  finishSteps(detectionSteps(frame, options, run));
  return run;
}

/**
 * {@link runDetectors} for big files: the same detections, but between rules, and between the
 * parts of a rule run part by part, it lets Node free polars' memory (see
 * {@link releaseNativeMemory}) — a synchronous run holds every intermediate frame until it ends.
 */
export async function runDetectorsAsync(frame: Events, options: DetectOptions = {}): Promise<DetectionRun> {
  const run: DetectionRun = { detections: [], seconds: {}, skipped: [] };
  for (const _step of detectionSteps(frame, options, run)) await releaseNativeMemory();
  return run;
}

/** The work of {@link runDetectors}, into `run`, pausing after each rule and each part of a rule. */
function* detectionSteps(frame: Events, { rules = DEFAULT_RULES, options = {}, internal, onRule }: DetectOptions, run: DetectionRun): Generator<void> {
  const chosen = checkRuleNames(rules);
  const view = detectorView(frame);
  for (const name of chosen) {
    const spec = RULES[name] as RuleSpec;
    const missing = spec.requires.filter((c) => !view.columns.includes(c));
    const empty = spec.needsValues.filter((c) => view.columns.includes(c) && eventCount(view) > 0 && valueCount(view, c) === 0);
    if (missing.length > 0 || empty.length > 0) {
      const reasons = [
        ...(missing.length > 0 ? [`needs the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`] : []),
        ...(empty.length > 0 ? [`no values in ${empty.join(", ")}`] : []),
      ];
      run.skipped.push({ rule: name, reason: reasons.join("; ") });
      continue;
    }
    const started = performance.now();
    const ruleOptions = internal && spec.optionKeys.includes("internal") ? { internal, ...(options[name] ?? {}) } : options[name];
    let found = 0;
    for (const part of spec.perEntity ? entityParts(view, spec.perEntity()) : [view]) {
      const detections = spec.steps ? yield* spec.steps(part, ruleOptions as never) : spec.run(part, ruleOptions as never);
      run.detections.push(...detections);
      found += detections.length;
      yield;
    }
    run.seconds[name] = (performance.now() - started) / 1000;
    onRule?.(name, found, run.seconds[name]!);
  }
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
