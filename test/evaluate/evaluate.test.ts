import { describe, expect, it } from "vitest";
import pl from "nodejs-polars";
import { buildAlerts, type Alert } from "../../lib/alerts/alerts";
import { evaluate } from "../../lib/evaluate/evaluate";
import { groundTruth } from "../../lib/evaluate/ground-truth";
import { averagePrecision, precisionRecallCurve } from "../../lib/evaluate/pr-curve";
import { evaluateDetectors } from "../../lib/evaluate/evaluate-detectors";
import { generateScenario, scenarioPreset } from "../../lib/generate/scenario";
import { T0, eventFrame } from "../helpers";

/**
 * Ten events: a brute force by 6.6.6.6 on alice (rows 2–4, campaign brute_force-1, T1110.001), an
 * exfiltration by bob (row 8, exfiltration-1, T1048), the rest normal.
 */
function labelled() {
  const rows = [
    { s: 0, user: "alice" }, { s: 10, user: "bob" },
    { s: 20, user: "alice", ip: "6.6.6.6", type: "login_failed" }, { s: 21, user: "alice", ip: "6.6.6.6", type: "login_failed" },
    { s: 22, user: "alice", ip: "6.6.6.6", type: "login_success" },
    { s: 30, user: "alice" }, { s: 40, user: "bob" }, { s: 50, user: "carol" },
    { s: 60, user: "bob", type: "network_traffic", bytes: 4e9 }, { s: 70, user: "carol" },
  ];
  const ids = [null, null, "brute_force-1", "brute_force-1", "brute_force-1", null, null, null, "exfiltration-1", null];
  const techniques = ids.map((id) => (id === null ? null : id.startsWith("brute") ? "T1110.001" : "T1048"));
  return eventFrame(rows).withColumns(pl.Series("attack_id", ids, pl.Utf8), pl.Series("technique", techniques, pl.Utf8));
}

function alert(entity: Alert["entity"], fromS: number, toS: number, technique: string, logTypes?: string[]): Alert {
  const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
  return {
    id: "x", rule: "r", technique, severity: "low", entity, first_seen: iso(fromS), last_seen: iso(toS), event_count: 0, count: 1,
    score: 1, observed: 1, expected: 1, measure: "", window: "", summary: "", evidence: {}, ...(logTypes ? { log_types: logTypes } : {}),
  };
}

describe("groundTruth", () => {
  it("reads campaigns, their kinds and techniques from the labels", () => {
    const truth = groundTruth(labelled());
    expect(truth.totalEvents).toBe(10);
    expect(truth.attackEvents).toBe(4);
    expect([...truth.campaigns.values()]).toEqual([
      { id: "brute_force-1", kind: "brute_force", technique: "T1110.001", events: 3 },
      { id: "exfiltration-1", kind: "exfiltration", technique: "T1048", events: 1 },
    ]);
  });

  it("refuses data without labels", () => {
    expect(() => groundTruth(eventFrame([{ s: 0 }]))).toThrow("no ground-truth labels");
  });
});

describe("evaluate (worked by hand on ten events)", () => {
  const truth = groundTruth(labelled());

  it("scores a perfect source alert and a noisy user alert", () => {
    // Alert 1 covers 6.6.6.6's events 20–22 s: rows 2–4, all attack. Alert 2 covers carol's
    // events (rows 7, 9), no attack.
    const scores = evaluate([alert({ type: "source", value: "6.6.6.6" }, 20, 22, "T1110.001"), alert({ type: "user", value: "carol" }, 0, 100, "T1078")], truth);
    expect(scores).toMatchObject({
      alerts: 2,
      alerts_per_10k_events: 2_000, // 2 alerts for 10 events
      alert_precision: 0.5, // one of two alerts touches a campaign
      campaign_recall: 0.5, // brute_force-1 found, exfiltration-1 missed
      campaign_f1: 0.5,
      event_precision: 0.6, // 5 covered events, 3 of them attacks
      event_recall: 0.75, // 3 of 4 attack events
      campaigns_found: ["brute_force-1"],
      campaigns_missed: ["exfiltration-1"],
    });
    expect(scores.event_f1).toBeCloseTo((2 * 0.6 * 0.75) / 1.35, 4);
    expect(scores.by_technique["T1110.001"]).toMatchObject({ campaigns: 1, campaigns_found: 1, campaign_recall: 1, events: 3, event_recall: 1, alerts: 1, alert_precision: 1, event_precision: 1, f1: 1 });
    expect(scores.by_technique.T1048).toMatchObject({ campaigns: 1, campaigns_found: 0, campaign_recall: 0, alerts: 0, alert_precision: null, f1: null });
    expect(scores.by_technique.T1078).toMatchObject({ campaigns: 0, alerts: 1, alert_precision: 0, event_precision: 0 });
    expect(scores.by_kind).toEqual({ brute_force: { campaigns: 1, found: 1, recall: 1 }, exfiltration: { campaigns: 1, found: 0, recall: 0 } });
  });

  it("covers only the alert's log types", () => {
    // bob's window 0–100 s holds rows 1, 6, 8; only row 8 is network_traffic.
    const scores = evaluate([alert({ type: "user", value: "bob" }, 0, 100, "T1048", ["network_traffic"])], truth);
    expect(scores).toMatchObject({ event_precision: 1, event_recall: 0.25, campaigns_found: ["exfiltration-1"] });
  });

  it("a service-wide alert covers every login in its window", () => {
    const scores = evaluate([alert({ type: "service", value: "authentication" }, 0, 100, "T1110.004", ["login_failed", "login_success"])], truth);
    expect(scores).toMatchObject({ event_precision: 1, event_recall: 0.75 });
  });

  it("no alerts: nothing found, precision undefined", () => {
    expect(evaluate([], truth)).toMatchObject({ alerts: 0, alert_precision: null, campaign_recall: 0, event_recall: 0 });
  });
});

describe("precision–recall", () => {
  it("computes the curve and average precision by hand", () => {
    // Scores 0.9 (attack), 0.8 (not), 0.3 (attack): points P/R = 1/0.5, 0.5/0.5, 0.667/1;
    // AP = 0.5·1 + 0·0.5 + 0.5·(2/3) = 0.8333.
    const curve = precisionRecallCurve([0.9, 0.8, 0.3], [true, false, true]);
    expect(curve.map((p) => [p.threshold, Number(p.precision.toFixed(3)), p.recall])).toEqual([[0.9, 1, 0.5], [0.8, 0.5, 0.5], [0.3, 0.667, 1]]);
    expect(averagePrecision([0.9, 0.8, 0.3], [true, false, true])).toBeCloseTo(5 / 6, 12);
  });

  it("flags tied scores together, and is null without positives", () => {
    expect(precisionRecallCurve([1, 1, 0], [true, false, true]).map((p) => p.precision)).toEqual([0.5, 2 / 3]);
    expect(averagePrecision([1, 2], [false, false])).toBeNull();
  });
});

describe("evaluateDetectors on the small scenario", () => {
  const evaluation = evaluateDetectors(generateScenario(scenarioPreset("small")).events);

  it("finds every campaign kind, beats the tutorial's rule, and reports the targets", () => {
    for (const [kind, k] of Object.entries(evaluation.ensemble.by_kind)) expect({ kind, recall: k.recall }).toEqual({ kind, recall: 1 });
    expect(evaluation.ensemble.alert_precision!).toBeGreaterThan(evaluation.tutorial.percentile_rule.alert_precision!);
    expect(evaluation.tutorial.alerts_reading_labels.campaign_recall).toBe(1); // it reads the answer key
    // Targets are about what is found; speed depends on the machine and belongs to npm run bench.
    expect(evaluation.targets.map((t) => t.name).filter((n) => /time|second/.test(n))).toEqual([]);
    expect(evaluation.targets.map((t) => t.name)).toContain("alert precision (ensemble)");
    expect(evaluation.scored.isolation_forest.pr_auc!).toBeGreaterThan(evaluation.scored.percentile.pr_auc!);
  });
});
