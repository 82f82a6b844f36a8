import { describe, expect, it } from "vitest";
import type { Alert } from "../../lib/alerts/alerts";
import { plotPrecisionRecall, plotScoreDistribution, plotTimeline, plotUserCountries, plotUserHeatmap } from "../../lib/visualize/detection-figures";
import { parseRuleList, parseRuleOptions, RULE_NAMES, DEFAULT_RULES } from "../../lib/detect/suite";
import { T0, eventFrame } from "../helpers";

const HOUR = 3600;
const logs = eventFrame([
  { s: 10 }, { s: 20 }, { s: 30, user: "bob" }, { s: 2 * HOUR + 5 },
  { s: 26 * HOUR, country: "JP", type: "login_success" }, { s: 26 * HOUR + 60, country: "RU", type: "login_failed" },
]);

const alert = (severity: Alert["severity"], summary: string): Alert => ({
  id: "a", rule: "brute_force", technique: "T1110.001", severity, entity: { type: "user", value: "alice" },
  first_seen: new Date(T0).toISOString(), last_seen: new Date(T0).toISOString(), event_count: 1, count: 1, score: 1,
  observed: 1, expected: 1, measure: "", window: "", summary, evidence: {},
});

describe("plotTimeline", () => {
  it("counts events per hour and marks alerts by severity, escaping summaries", () => {
    const figure = plotTimeline(logs, {
      alerts: [alert("high", "<b>x</b>"), alert("low", "ok")],
      campaigns: [{ id: "brute_force-1", kind: "brute_force", start: T0, end: T0 + 60_000 }],
    });
    const [events, low, high] = figure.data;
    expect(events.y).toEqual([3, 1, 2]);
    expect(events.x).toEqual(["2025-01-01 00:00:00", "2025-01-01 02:00:00", "2025-01-02 02:00:00"]);
    expect([low.name, high.name]).toEqual(["low alerts", "high alerts"]);
    expect(high.text).toEqual(["brute_force: &lt;b&gt;x&lt;/b&gt;"]);
    expect(figure.layout.shapes).toHaveLength(1);
    expect((figure.layout.annotations as { text: string }[])[0].text).toBe("brute_force-1");
  });
});

describe("plotUserHeatmap", () => {
  it("puts each event of the user in its hour row and day column", () => {
    const [trace] = plotUserHeatmap(logs, "alice").data;
    expect(trace.x).toEqual(["2025-01-01", "2025-01-02"]);
    const z = trace.z as number[][];
    expect(z).toHaveLength(24);
    expect([z[0][0], z[2][0], z[2][1], z[0][1]]).toEqual([2, 1, 2, 0]);
  });
});

describe("plotUserCountries", () => {
  it("plots where the account was used, leaving out failed logins", () => {
    const [trace] = plotUserCountries(logs, "alice").data;
    expect(trace.y).toEqual(["US", "US", "US", "JP"]);
  });
});

describe("plotScoreDistribution and plotPrecisionRecall", () => {
  it("splits scores by label and keeps every unit", () => {
    const scores = [0.1, 0.2, 0.9, 0.4, 0.95];
    const labels = [false, false, true, false, true];
    const figure = plotScoreDistribution(scores, labels, { bins: 4, threshold: 0.7 });
    const total = (t: number) => (figure.data[t].y as number[]).reduce((a, b) => a + b, 0);
    expect(figure.data.map((t) => t.name)).toEqual(["normal", "attack"]);
    expect([total(0), total(1)]).toEqual([3, 2]);
    expect(figure.layout.yaxis).toMatchObject({ type: "log" });
    expect(figure.layout.shapes).toEqual([expect.objectContaining({ x0: 0.7 })]);
  });

  it("names each curve with its average precision", () => {
    const figure = plotPrecisionRecall({ model: { pr_auc: 0.8333, curve: [{ threshold: 1, precision: 1, recall: 0.5 }] }, none: { pr_auc: null, curve: [] } });
    expect(figure.data.map((t) => t.name)).toEqual(["model (AP 0.83)", "none (AP n/a)"]);
  });
});

describe("rule lists and options from the command line", () => {
  it("parses rule lists, all and default", () => {
    expect(parseRuleList("brute_force, recon")).toEqual(["brute_force", "recon"]);
    expect(parseRuleList("all")).toEqual(RULE_NAMES);
    expect(parseRuleList("default,percentile")).toEqual([...DEFAULT_RULES, "percentile"]);
    expect(() => parseRuleList(",")).toThrow('invalid rules: ","');
  });

  it("parses rule options, numbers as numbers", () => {
    expect(parseRuleOptions(["brute_force.failures=20", "bytes_baseline.scope=all", "brute_force.windowMinutes=2.5"])).toEqual({
      brute_force: { failures: 20, windowMinutes: 2.5 },
      bytes_baseline: { scope: "all" },
    });
    expect(() => parseRuleOptions(["recon.speed=3"])).toThrow('invalid option of recon: "speed" (expected one of eventsPerMinute, ratio)');
  });
});
