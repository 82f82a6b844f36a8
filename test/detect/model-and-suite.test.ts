import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { describeFeature, detectIsolationForest, scoreIsolationForest } from "../../lib/detect/anomaly-model";
import { IsolationForest, averagePathLength } from "../../lib/detect/isolation-forest";
import { detectPercentileRule } from "../../lib/detect/percentile-rule";
import { DEFAULT_RULES, RULE_NAMES, runDetectors } from "../../lib/detect/suite";
import { bucketStats, distinctPerBucket, slidingBursts, windowStartExpr } from "../../lib/detect/windows";
import { normal } from "../../lib/generate/draw";
import { createRng } from "../../lib/shared/rng";
import { generateScenario, scenarioPreset } from "../../lib/generate/scenario";
import { eventFrame, series } from "../helpers";
import { labelledWindowScores } from "../../lib/evaluate/evaluate-detectors";
import { median } from "../../lib/shared/robust";
import { quantileLinear } from "../../lib/shared/quantile";

describe("window arithmetic", () => {
  it("slidingBursts merges overlapping qualifying windows and keeps the peak", () => {
    // Counts ≥ 3 within 60 s: events 0, 20, 40 qualify; 500 s is alone.
    expect(slidingBursts([0, 20_000, 40_000, 500_000], 60_000, [{ atLeast: 3 }])).toEqual([{ first: 0, last: 2, peaks: [3] }]);
    // Two separate bursts.
    expect(slidingBursts([0, 1, 2, 100_000, 100_001, 100_002], 60_000, [{ atLeast: 3 }]).map((b) => [b.first, b.last])).toEqual([[0, 2], [3, 5]]);
  });

  it("slidingBursts counts distinct values and needs every metric", () => {
    const times = [0, 1, 2, 3];
    expect(slidingBursts(times, 10, [{ values: ["a", "a", "b", "c"], atLeast: 3 }])).toEqual([{ first: 0, last: 3, peaks: [3] }]);
    expect(slidingBursts(times, 10, [{ values: ["a", "a", "b", "c"], atLeast: 3 }, { atLeast: 5 }])).toEqual([]);
  });

  it("bucketStats counts empty buckets as zero (values 4, 2, 0, 0: mean 1.5, sd 1.658)", () => {
    const s = bucketStats([4, 2], 4);
    expect(s.mean).toBe(1.5);
    expect(s.sd).toBeCloseTo(Math.sqrt((16 + 4) / 4 - 2.25), 12);
  });

  it("distinctPerBucket and windowStartExpr put a time exactly on a boundary in the later window", () => {
    expect([...distinctPerBucket([0, 10, 59, 60], ["a", "b", "a", "a"], 60)]).toEqual([[0, 2], [1, 1]]);
    const t = [1735696800000, 1735700399999, 1735700400000];
    const w = pl.DataFrame({ t }).select(windowStartExpr(pl.col("t"), 3_600_000).alias("w")).getColumn("w").toArray().map(Number);
    expect(w).toEqual([1735696800000, 1735696800000, 1735700400000]);
  });
});

describe("IsolationForest", () => {
  const rng = createRng(3, "forest-test");
  const inliers = Array.from({ length: 1000 }, () => [normal(rng), normal(rng)]);

  it("c(n) is 0 for one point, 1 for two, and 2H(n−1) − 2(n−1)/n beyond", () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // c(256) = 2(ln 255 + γ) − 2·255/256 = 10.2448…
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649015329) - (2 * 255) / 256, 12);
  });

  it("scores an isolated point far above the crowd", () => {
    const forest = IsolationForest.fit([...inliers, [8, 8]], { seed: 1 });
    const crowd = inliers.map((r) => forest.score(r)).sort((a, b) => a - b);
    expect(forest.score([8, 8])).toBeGreaterThan(0.7);
    expect(crowd[crowd.length >> 1]).toBeLessThan(0.5);
  });

  it("is reproducible with a seed", () => {
    const a = IsolationForest.fit(inliers, { seed: 9 });
    const b = IsolationForest.fit(inliers, { seed: 9 });
    expect(a.score([1, 2])).toBe(b.score([1, 2]));
    expect(IsolationForest.fit(inliers, { seed: 10 }).score([1, 2])).not.toBe(a.score([1, 2]));
  });

  it("handles identical rows and tiny inputs", () => {
    // By hand: two identical rows cannot be split, so every tree is one leaf of 2 rows, whose path
    // length is c(2) = 1; the score is 2^(−E[h] / c(ψ)) with ψ = 2: 2^(−1/1) = 0.5.
    expect(IsolationForest.fit([[1, 1], [1, 1]]).score([1, 1])).toBe(0.5);
    expect(() => IsolationForest.fit([[1]], { trees: 0 })).toThrow("invalid trees: 0");
  });
});

describe("detectIsolationForest", () => {
  const small = generateScenario(scenarioPreset("small")).events;

  it("scores every user-hour and flags only those above the threshold, with the reasons", () => {
    const scored = scoreIsolationForest(small);
    const found = detectIsolationForest(small);
    expect(found.length).toBe(scored.filter((s) => s.score >= 0.7).length);
    for (const d of found) {
      expect(d.rule).toBe("isolation_forest");
      expect((d.evidence.unusual as string[]).length).toBe(3);
    }
    expect(detectIsolationForest(small, { threshold: 1 })).toEqual([]);
  });

  it("explains a flagged hour in plain units: counts and bytes as they were, not the model's log(1 + x)", () => {
    // By hand: log1p undone gives back 48 failures and 3.2e9 bytes; 0.25 is 25%; 2 hours stays 2.
    expect(describeFeature(1, Math.log1p(48), Math.log1p(0))).toBe("failed logins: 48 (typical 0)");
    expect(describeFeature(5, Math.log1p(3.2e9), Math.log1p(2.1e6))).toBe("bytes to outside addresses: 3.2 GB (typical 2.1 MB)");
    expect(describeFeature(6, 0.25, 0)).toBe("share of system calls and file reads: 25% (typical 0%)");
    expect(describeFeature(7, 2, 0)).toBe("hours outside usual hours: 2 (typical 0)");
    const found = detectIsolationForest(small);
    expect(found.length).toBeGreaterThan(0);
    for (const d of found) for (const line of d.evidence.unusual as string[]) expect(line).not.toContain("(log)");
  });

  it("ranks the scenario's attack hours above its normal hours (labels used only to score): a scorer that rates every hour alike fails", () => {
    const { scores, labels } = labelledWindowScores(small);
    const attack = scores.filter((_, i) => labels[i]);
    const normal = scores.filter((_, i) => !labels[i]);
    expect(attack.length).toBeGreaterThan(0);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Alike scores give equal means and a median attack hour at the normal hours' median.
    expect(mean(attack)).toBeGreaterThan(mean(normal) + 0.05);
    expect(median(attack)).toBeGreaterThan(quantileLinear(normal, 0.75)!);
  });

  it("returns nothing for no events", () => {
    expect(detectIsolationForest(eventFrame([]))).toEqual([]);
  });
});

describe("runDetectors", () => {
  const small = generateScenario(scenarioPreset("small")).events;

  it("never reads the labels: shuffled or removed labels change nothing", () => {
    const base = runDetectors(small, { rules: RULE_NAMES.filter((r) => r !== "percentile") }).detections;
    const scrambled = small.withColumns(
      pl.col("attack_id").shift(7).alias("attack_id"),
      pl.col("technique").reverse().alias("technique"),
      pl.lit("brute_force").alias("threat_level"),
    );
    expect(JSON.stringify(runDetectors(scrambled).detections)).toBe(JSON.stringify(base));
    expect(JSON.stringify(runDetectors(small.drop(["attack_id", "technique", "threat_level"])).detections)).toBe(JSON.stringify(base));
  });

  it("runs the chosen rules only, and says which rules a file cannot support", () => {
    const run = runDetectors(small.drop("country"), { rules: ["brute_force", "impossible_travel"] });
    expect(Object.keys(run.seconds)).toEqual(["brute_force"]);
    expect(run.skipped).toEqual([{ rule: "impossible_travel", reason: "needs the column country" }]);
    expect(run.detections.every((d) => d.rule === "brute_force")).toBe(true);
  });

  it("takes options per rule and rejects an unknown rule", () => {
    const strict = runDetectors(small, { rules: ["brute_force"], options: { brute_force: { failures: 1000 } } });
    expect(strict.detections).toEqual([]);
    expect(() => runDetectors(small, { rules: ["phishing"] })).toThrow('invalid rule: "phishing"');
  });

  it("leaves the tutorial's rule out by default", () => {
    expect(DEFAULT_RULES).not.toContain("percentile");
    expect(DEFAULT_RULES).toHaveLength(RULE_NAMES.length - 1);
  });
});

describe("detectPercentileRule", () => {
  it("makes one detection per event strictly above the 95th percentile", () => {
    // Bytes 1..20: threshold 19.05 (index 18.05), so only 20 is above.
    const logs = eventFrame(series(20, 0, 60, (k) => ({ bytes: k + 1 })));
    const found = detectPercentileRule(logs);
    expect(found.map((d) => d.observed)).toEqual([20]);
    expect(found[0].expected).toBeCloseTo(19.05, 12);
  });
});
