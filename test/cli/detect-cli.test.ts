import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HAND_CSV, ROOT, tempDir, writeFixture, threatlab } from "../helpers";

describe("threatlab scenario, detect and evaluate", () => {
  const dir = tempDir();
  const file = join(dir, "small.csv");

  it("scenario writes a labelled small scenario", () => {
    const run = threatlab("scenario", "--preset", "small", "--out", file);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^wrote [\d,]+ events \([\d,]+ attack events in 10 campaigns\) to /);
  });

  it("detect --jsonl prints one alert per line with the documented fields", () => {
    const run = threatlab("detect", file, "--jsonl");
    expect(run.code).toBe(0);
    const alerts = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(alerts.length).toBeGreaterThan(10);
    for (const a of alerts) {
      expect(Object.keys(a)).toEqual(expect.arrayContaining(["rule", "severity", "entity", "first_seen", "last_seen", "event_count", "summary", "technique", "evidence"]));
      expect(a.entity).toEqual({ type: expect.stringMatching(/^(source|user|service)$/), value: expect.any(String) });
      expect(a.first_seen).toMatch(/Z$/);
    }
    expect(new Set(alerts.map((a) => a.rule))).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect(run.stderr).toMatch(/alerts from [\d,]+ detections by 12 rules/);
  });

  it("detect --rules and --option choose rules and thresholds", () => {
    const only = threatlab("detect", file, "--jsonl", "--rules", "brute_force,recon").stdout.trim().split("\n").map((l) => JSON.parse(l).rule);
    expect(new Set(only)).toEqual(new Set(["brute_force", "recon"]));
    const strict = threatlab("detect", file, "--jsonl", "--rules", "brute_force", "--option", "brute_force.failures=100000");
    expect(strict.stdout.trim()).toBe("");
  });

  it("detect rejects an unknown rule or option with exit code 2 and one line", () => {
    for (const [args, message] of [
      [["--rules", "phishing"], 'threatlab detect: invalid rule: "phishing" (expected one of brute_force,'],
      [["--option", "brute_force.foo=1"], 'threatlab detect: invalid option of brute_force: "foo" (expected one of failures, windowMinutes, burstFailures, burstSeconds)'],
      [["--option", "nonsense"], 'threatlab detect: invalid option: "nonsense" (expected rule.option=value'],
    ] as const) {
      const run = threatlab("detect", file, ...args);
      expect(run.code).toBe(2);
      expect(run.stderr.startsWith(message)).toBe(true);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("detect works on any file in the tutorial's schema, saying which rules it could not run", () => {
    const run = threatlab("detect", writeFixture(dir, "hand.csv", HAND_CSV));
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("No alerts.");
    expect(run.stderr).toContain("impossible_travel (needs the column country)");
    const sample = threatlab("detect", join(ROOT, "data", "sample_logs.csv"), "--jsonl");
    expect(sample.code).toBe(0);
  });

  it("evaluate scores a labelled file, as text or JSON, with the targets", () => {
    const text = threatlab("evaluate", file);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Campaigns found (all detectors together):");
    expect(text.stdout).toMatch(/✓ alert precision \(ensemble\)/);
    const json = JSON.parse(threatlab("evaluate", file, "--json").stdout);
    expect(json.campaigns).toBe(10);
    expect(Object.keys(json.ensemble.by_technique)).toEqual(["T1048", "T1078", "T1087", "T1110.001", "T1110.003", "T1110.004"]);
    expect(json.tutorial.percentile_rule.alerts).toBeGreaterThan(json.ensemble.alerts);
  });

  it("evaluate --preset small --seed 3 generates its own scenario", () => {
    const json = JSON.parse(threatlab("evaluate", "--preset", "small", "--seed", "3", "--json").stdout);
    expect(json.campaigns).toBe(10);
  });

  it("evaluate refuses a file without labels, and --seed with a file", () => {
    const unlabelled = threatlab("evaluate", join(ROOT, "data", "sample_logs.csv"));
    expect(unlabelled.code).toBe(2);
    expect(unlabelled.stderr).toMatch(/no ground-truth labels/);
    expect(threatlab("evaluate", file, "--seed", "1").stderr).toMatch(/do not apply to a FILE/);
  });
});
