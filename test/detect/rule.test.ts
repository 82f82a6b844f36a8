import { readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { bruteForce } from "../../lib/detect/brute-force";
import { rulesFrame, rulesMarkdown, rulesText } from "../../lib/detect/describe-rules";
import { escalateByScore, raiseSeverity, withDefaults } from "../../lib/detect/rule";
import { RULE_LIST, RULES, parseRuleOptions } from "../../lib/detect/suite";
import { ROOT, threatlab } from "../helpers";

describe("the rule contract", () => {
  it("withDefaults fills absent and undefined options, keeps given ones, and leaves data-derived defaults unset", () => {
    const given: { failures?: number; windowMinutes?: number } = { failures: 20, windowMinutes: undefined };
    expect(withDefaults(bruteForce.defaults, given)).toEqual({ failures: 20, windowMinutes: 5, burstFailures: 4, burstSeconds: 2 });
    interface Options { minBytes?: number; internal?: readonly string[] }
    const defaults = { minBytes: 1, internal: undefined };
    expect(withDefaults<Options, typeof defaults>(defaults, {})).toEqual({ minBytes: 1, internal: undefined });
    expect(withDefaults<Options, typeof defaults>(defaults, { internal: ["10.0.0.0/8"] })).toEqual({ minBytes: 1, internal: ["10.0.0.0/8"] });
  });

  it("escalation: critical after a successful login, one step up from three times the threshold, else the base", () => {
    expect(escalateByScore({ score: 1, evidence: { succeeded: true } }, "medium")).toBe("critical");
    expect(escalateByScore({ score: 1, evidence: { successful_logins: ["bob"] } }, "high")).toBe("critical");
    expect(escalateByScore({ score: 3, evidence: {} }, "medium")).toBe("high");
    expect(escalateByScore({ score: 2.99, evidence: {} }, "medium")).toBe("medium");
    expect(raiseSeverity("critical")).toBe("critical");
    expect(RULES.isolation_forest.escalate!({ score: 0.8, evidence: {} } as never, "low")).toBe("medium");
    expect(RULES.percentile.escalate!({ score: 50, evidence: {} } as never, "low")).toBe("low");
  });

  it("every rule names itself once and says what it needs; its options are the keys of its defaults", () => {
    const names = RULE_LIST.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of RULE_LIST) {
      expect(rule.technique, rule.name).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(rule.requires.length, rule.name).toBeGreaterThan(0);
      for (const key of Object.keys(rule.defaults)) expect(() => parseRuleOptions([`${rule.name}.${key}=1`]), `${rule.name}.${key}`).not.toThrow();
    }
    expect(() => parseRuleOptions(["brute_force.nope=1"])).toThrow('invalid option of brute_force: "nope" (expected one of failures, windowMinutes, burstFailures, burstSeconds)');
  });

  it("a rule's defaults are the ones its detector uses: 9 failures in 5 min are not a brute force, 10 are", () => {
    const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 9, 0, i * 20));
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ timestamp: at(i), user_id: "root", ip_address: "203.0.113.9", log_type: "login_failed" }));
    const frame = (n: number) => pl.DataFrame(rows(n)).withColumns(pl.col("timestamp").cast(pl.Datetime("ms")));
    expect(bruteForce.defaults).toEqual({ failures: 10, windowMinutes: 5, burstFailures: 4, burstSeconds: 2 });
    expect(bruteForce.detect(frame(9))).toHaveLength(0);
    const found = bruteForce.detect(frame(10));
    expect(found).toHaveLength(1);
    expect(bruteForce.summarize(found[0] as never)).toBe("203.0.113.9 failed 10 logins to root in 3 min (threshold 10 in 5 min)");
  });

  it("threatlab rules prints every rule with its technique, severity and defaults", () => {
    const run = threatlab("rules");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${rulesText()}\n`);
    expect(run.stdout).toContain(
      "brute_force          Brute force — window rule, T1110.001, medium\n" +
        "                     ≥ 10 failed logins from one source to one account in 5 min (sliding), or ≥ 4 password guesses in 2 s (machine speed); notes a following success\n" +
        "                     options: failures=10 windowMinutes=5 burstFailures=4 burstSeconds=2",
    );
    for (const rule of RULE_LIST) expect(run.stdout).toContain(`${rule.name.padEnd(21)}${rule.title}`);
  });

  it("the README's rules table is the one made from the rule modules, and names every rule", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = /<!-- rules:start -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    expect(table).toBe(rulesMarkdown());
    for (const rule of RULE_LIST) expect(table).toContain(`| \`${rule.name}\` | ${rule.technique} | ${rule.severity} |`);
    // A rule's explanation shows its options' values: other values, other words.
    expect(bruteForce.explain({ failures: 20, windowMinutes: 2, burstFailures: 6, burstSeconds: 3 })).toBe(
      "≥ 20 failed logins from one source to one account in 2 min (sliding), or ≥ 6 password guesses in 3 s (machine speed); notes a following success",
    );
    expect(threatlab("rules", "--markdown").stdout).toBe(`${rulesMarkdown()}\n`);
  });

  it("rulesFrame, the table notebook 08 shows, has one row per rule, made from its module", () => {
    const frame = rulesFrame();
    expect(frame.height).toBe(RULE_LIST.length);
    expect(frame.row(0)).toEqual(["brute_force", "Brute force", "window rule", "T1110.001", "medium", "≥ 10 failed logins from one source to one account in 5 min (sliding), or ≥ 4 password guesses in 2 s (machine speed); notes a following success"]);
  });
});
