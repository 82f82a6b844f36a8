/**
 * The contract every detection rule keeps. A rule is one module that carries its name, ATT&CK
 * technique, family, base severity, the columns it needs, its options with their defaults, its
 * typed evidence, `detect`, the one-line summary of a detection and any severity escalation; the
 * suite (`suite.ts`) is the list of these, and alerts, evaluation and the CLI read them from there.
 *
 * Adding a rule: write its module exporting a {@link Rule} (the compiler says what is missing,
 * and `defaults` must name every option), then add it to `RULE_LIST` in `suite.ts`.
 */
import type { Expr } from "nodejs-polars";
import { type Detection, SEVERITIES, type Severity } from "./detection";
import type { Events } from "./events";

/** What kind of detector a rule is: a window rule, a per-entity baseline, the model, or the tutorial's rule. */
export type RuleFamily = "window rule" | "baseline" | "model" | "tutorial";

/** Every option of a rule with its default (`undefined` where the default is worked out from the data). */
export type RuleDefaults<O> = { readonly [K in keyof Required<O>]: K extends keyof O ? O[K] | undefined : never };

/** A detection of a rule whose evidence has a known shape. */
export type TypedDetection<E> = Omit<Detection, "evidence"> & { readonly evidence: E };

/** One detection rule, describing itself. */
export interface Rule<N extends string = string, O extends object = object, E extends object = Record<string, unknown>> {
  readonly name: N;
  readonly title: string;
  readonly family: RuleFamily;
  /** MITRE ATT&CK technique, e.g. "T1110.001". */
  readonly technique: string;
  /** The severity of its alerts before escalation. */
  readonly severity: Severity;
  /** Columns the rule cannot work without. */
  readonly requires: readonly string[];
  /**
   * Columns that must hold at least one value: a log read from a real format has every column,
   * but sshd logs no bytes and Zeek no accounts, and a rule that looks only at those has nothing to do.
   */
  readonly needsValues: readonly string[];
  /** Every option and its default; the option names `--option RULE.KEY=VALUE` accepts. */
  readonly defaults: RuleDefaults<O>;
  /**
   * For a rule whose findings about an entity depend on that entity's events alone, and whose
   * state grows with the events: the entity's key. On a file bigger than a part, the suite runs
   * such a rule on a group of entities at a time, freeing each part before the next.
   */
  readonly perEntity?: () => Expr;
  /** The rule works through a lazy frame in parts itself, and takes the suite's `partEvents` as an option of that name. */
  readonly partsItself?: true;
  /** The rule as steps that pause where memory can be freed, for rules that split their work themselves. */
  readonly steps?: (events: Events, options?: O) => Generator<void, Detection[]>;
  /** Returns what the rule flags, in words, with the given options' values (the README's table shows its defaults). */
  explain(options: RuleDefaults<O>): string;
  /** What its logic and defaults come from (a published rule, a paper, a method). */
  readonly basis: string;
  detect(events: Events, options?: O): Detection[];
  /** Returns the one-line summary of a detection of this rule. */
  summarize(d: TypedDetection<E>): string;
  /**
   * Returns the severity of an alert whose strongest detection is `d`, from the rule's base
   * severity. Default {@link escalateByScore}.
   */
  escalate?(d: TypedDetection<E>, base: Severity): Severity;
}

/** A rule of any options and evidence, as the suite holds them. */
export type AnyRule = Rule<string, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Returns the severity one step up, or the same for critical. */
export function raiseSeverity(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(severity) + 1, SEVERITIES.length - 1)];
}

/** A rule's options with its defaults filled in: an option whose default is worked out from the data stays optional. */
export type WithDefaults<O, D> = { readonly [K in keyof D]: K extends keyof O ? (undefined extends D[K] ? O[K] : Exclude<O[K], undefined>) : D[K] };

/**
 * Returns a rule's options with its defaults filled in where an option is absent or undefined.
 * @example
 * withDefaults({ failures: 10, windowMinutes: 5 }, { failures: 20 }) // => { failures: 20, windowMinutes: 5 }
 */
export function withDefaults<O extends object, D extends RuleDefaults<O>>(defaults: D, options: O | undefined): WithDefaults<O, D> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) out[key] = value;
  return out as WithDefaults<O, D>;
}

/**
 * The usual escalation: critical when an attack on credentials ended in a successful login, one
 * step up when the detection scored three times its threshold or more, else the base severity.
 * @example
 * escalateByScore({ score: 3.2, evidence: {} } as Detection, "medium") // => "high"
 */
export function escalateByScore(d: Pick<Detection, "score" | "evidence">, base: Severity): Severity {
  const evidence = d.evidence as Record<string, unknown>;
  if (evidence.succeeded === true || (Array.isArray(evidence.successful_logins) && evidence.successful_logins.length > 0)) return "critical";
  return d.score >= 3 ? raiseSeverity(base) : base;
}
