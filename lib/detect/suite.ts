/**
 * The detector suite: the list of rules (each a module describing itself, see `rule.ts`), and one
 * call that runs a chosen set of them.
 */
import { checkInteger, invalidOption } from "../errors";
import { isolationForest } from "./anomaly-model";
import { bruteForce } from "./brute-force";
import { credentialStuffing } from "./credential-stuffing";
import type { Detection } from "./detection";
import { distributedSpray } from "./distributed-spray";
import { detectorView, entityParts, eventCount, type Events, finishSteps, PART_EVENTS, valueCount } from "./events";
import { releaseNativeMemory } from "../io/native-memory";
import { impossibleTravel, unusualLocation } from "./location";
import { offHours } from "./off-hours";
import { passwordSpray } from "./password-spray";
import { percentile } from "./percentile-rule";
import { recon } from "./recon";
import { kerberoasting } from "./kerberoasting";
import { asrepRoasting } from "./asrep-roasting";
import { lateralMovement } from "./lateral-movement";
import { toolTransfer } from "./tool-transfer";
import { largeUpload } from "./large-upload";
import { networkScan } from "./network-scan";
import { commandAndControl } from "./command-and-control";
import { rdpBruteForce } from "./rdp-brute-force";
import type { AnyRule, Rule } from "./rule";
import { bytesBaseline, volumeExfiltration } from "./volume";

/**
 * Every rule, in the order they run and are reported. Adding a rule is its module and one line
 * here; the alerts, the summaries, the evaluation and the CLI's rule options read it from this list.
 */
export const RULE_LIST = [
  bruteForce, passwordSpray, credentialStuffing, distributedSpray, bytesBaseline, volumeExfiltration, largeUpload,
  offHours, unusualLocation, impossibleTravel, recon, kerberoasting, asrepRoasting, rdpBruteForce, lateralMovement, toolTransfer, networkScan, commandAndControl, isolationForest, percentile,
] as const;

/** A rule's name. */
export type RuleName = (typeof RULE_LIST)[number]["name"];

/** Returns the options type of a rule. */
type OptionsOf<R> = R extends Rule<string, infer O, any> ? O : never; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The options each rule takes, by rule name. */
export type RuleOptionsMap = { [R in (typeof RULE_LIST)[number] as R["name"]]: OptionsOf<R> };

/** Every rule, by name. */
export const RULES: { readonly [N in RuleName]: AnyRule } = Object.fromEntries(RULE_LIST.map((r) => [r.name, r])) as unknown as { readonly [N in RuleName]: AnyRule };

/** Returns the option names a rule takes: the keys of its defaults. */
export function ruleOptionKeys(rule: AnyRule): string[] {
  return Object.keys(rule.defaults);
}

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
  /**
   * Events per part for rules that need each entity's events in full, on a lazy frame (fewer:
   * less memory, more passes over the file). Default `PART_EVENTS` (8,000,000).
   */
  partEvents?: number;
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
    if (!Object.hasOwn(RULES, name)) throw invalidOption("rule", name, `one of ${RULE_NAMES.join(", ")}`);
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
 * @example
 * (await runDetectorsAsync(await scanEvents("data/samples/vpn.parquet"))).detections.length // => 12   (as runDetectors on it read whole)
 */
export async function runDetectorsAsync(frame: Events, options: DetectOptions = {}): Promise<DetectionRun> {
  const run: DetectionRun = { detections: [], seconds: {}, skipped: [] };
  for (const _step of detectionSteps(frame, options, run)) await releaseNativeMemory();
  return run;
}

/** The work of {@link runDetectors}, into `run`, pausing after each rule and each part of a rule. */
function* detectionSteps(frame: Events, { rules = DEFAULT_RULES, options = {}, internal, partEvents = PART_EVENTS, onRule }: DetectOptions, run: DetectionRun): Generator<void> {
  checkInteger("partEvents", partEvents, 1, Number.MAX_SAFE_INTEGER);
  const chosen = checkRuleNames(rules);
  const view = detectorView(frame);
  for (const name of chosen) {
    const spec = RULES[name];
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
    const withInternal = internal && ruleOptionKeys(spec).includes("internal") ? { internal, ...(options[name] ?? {}) } : options[name];
    const ruleOptions = spec.partsItself ? { partEvents, ...(withInternal ?? {}) } : withInternal;
    let found = 0;
    for (const part of spec.perEntity ? entityParts(view, spec.perEntity(), partEvents) : [view]) {
      const detections = spec.steps ? yield* spec.steps(part, ruleOptions) : spec.detect(part, ruleOptions);
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
    const m = /^([a-z_]+)\.([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(setting.trim());
    if (!m) throw invalidOption("option", setting, "rule.option=value, e.g. brute_force.failures=20");
    const [, rule, key, raw] = m;
    const keys = ruleOptionKeys(RULES[checkRuleNames([rule])[0]]);
    if (!keys.includes(key)) throw invalidOption(`option of ${rule}`, key, `one of ${keys.join(", ")}`);
    const value = raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    (options[rule] ??= {})[key] = value;
  }
  return options as NonNullable<DetectOptions["options"]>;
}
