/**
 * The rules described for people, made from the rule list itself: `threatlab rules` prints it,
 * so the table cannot drift from the code.
 */
import pl, { type DataFrame } from "nodejs-polars";
import type { AnyRule } from "./rule";
import { RULE_LIST, RULES, type RuleName } from "./suite";

/** Returns a rule's options with their defaults, e.g. "failures=10 windowMinutes=5" ("internal" shown as "(from the data)"). */
export function ruleDefaultsText(rule: AnyRule): string {
  return Object.entries(rule.defaults)
    .map(([key, value]) => `${key}=${value === undefined ? "(from the data)" : Array.isArray(value) ? value.join(",") : String(value)}`)
    .join(" ");
}

/**
 * Returns the rules as text for a terminal: name, title, family, technique and base severity, then
 * the options `--option RULE.KEY=VALUE` takes, with their defaults.
 * @example
 * rulesText().split("\n")[0] // => "brute_force          Brute force — window rule, T1110.001, medium"
 */
export function rulesText(rules: readonly AnyRule[] = RULE_LIST): string {
  const width = Math.max(...rules.map((r) => r.name.length)) + 2;
  const pad = " ".repeat(width);
  return rules
    .map((r) => `${r.name.padEnd(width)}${r.title} — ${r.family}, ${r.technique}, ${r.severity}\n${pad}${r.explain(r.defaults)}\n${pad}options: ${ruleDefaultsText(r) || "none"}`)
    .join("\n");
}

/**
 * Returns one rule's title and what it flags, with its thresholds as its module defines them (or
 * as `options` change them): what a lesson quotes instead of writing numbers by hand.
 * @example
 * explainRule("recon") // => "Machine-speed reconnaissance: ≥ 60 system calls and file reads in a sliding minute, ≥ 3× the account's own busiest minute"
 */
export function explainRule(name: RuleName, options: Record<string, unknown> = {}): string {
  const rule = RULES[name];
  return `${rule.title}: ${rule.explain({ ...rule.defaults, ...options })}`;
}

/** Returns text safe inside a Markdown table cell. */
const cell = (text: string): string => text.replace(/\|/g, "\\|");

/**
 * Returns the Markdown table of the rules, each row made from the rule's module: name, technique,
 * base severity, what it flags with its defaults, and what it is based on.
 * @example
 * rulesMarkdown().split("\n")[0] // => "| rule | technique | severity | what it flags (defaults) | based on |"
 */
export function rulesMarkdown(rules: readonly AnyRule[] = RULE_LIST): string {
  return [
    "| rule | technique | severity | what it flags (defaults) | based on |",
    "|---|---|---|---|---|",
    ...rules.map((r) => `| \`${r.name}\` | ${r.technique} | ${r.severity} | ${cell(r.explain(r.defaults))} | ${cell(r.basis)} |`),
  ].join("\n");
}

/**
 * Returns the rules as a frame, one row each (name, title, family, technique, severity, what it
 * flags with its defaults): the table notebook 08 shows, made from the rule modules.
 * @example
 * rulesFrame().columns // => ["rule", "title", "family", "technique", "severity", "flags (defaults)"]
 */
export function rulesFrame(rules: readonly AnyRule[] = RULE_LIST): DataFrame {
  return pl.DataFrame({
    rule: rules.map((r) => r.name),
    title: rules.map((r) => r.title),
    family: rules.map((r) => r.family),
    technique: rules.map((r) => r.technique),
    severity: rules.map((r) => r.severity),
    "flags (defaults)": rules.map((r) => r.explain(r.defaults)),
  });
}
