import { describe, expect, it } from "vitest";
import { alertsToJsonl, buildAlerts, severityOf } from "../../lib/alerts/alerts";
import { formatBytes, summarizeDetection } from "../../lib/alerts/summaries";
import type { Detection } from "../../lib/detect/detection";
import { T0 } from "../helpers";

const MIN = 60_000;

function detection(over: Partial<Detection> = {}): Detection {
  return {
    rule: "password_spray", technique: "T1110.003", entity: { type: "source", value: "203.0.113.7" },
    start: T0, end: T0 + 9 * MIN, eventCount: 40, score: 2.8, observed: 31, expected: 11,
    measure: "distinct accounts with failed logins", window: "10 min sliding",
    evidence: { accounts: 31, attempts_per_account: [1, 2], duration: "9 min", usual_accounts: 1 },
    logTypes: ["login_failed"],
    ...over,
  };
}

describe("buildAlerts", () => {
  it("writes the one-line summary of the issue's example", () => {
    const [alert] = buildAlerts([detection()]);
    expect(alert.summary).toBe("203.0.113.7 tried 31 accounts with 1–2 passwords each in 9 min; this source's usual is 0–1 accounts");
    expect(alert).toMatchObject({
      rule: "password_spray", severity: "medium", technique: "T1110.003", entity: { type: "source", value: "203.0.113.7" },
      first_seen: "2025-01-01T00:00:00Z", last_seen: "2025-01-01T00:09:00Z", event_count: 40, count: 1, log_types: ["login_failed"],
    });
  });

  it("folds repeats within the suppression window into one alert with a count", () => {
    const later = detection({ start: T0 + 50 * MIN, end: T0 + 55 * MIN, eventCount: 12, score: 4 });
    const [alert, ...rest] = buildAlerts([detection(), later]);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ count: 2, event_count: 52, score: 4, first_seen: "2025-01-01T00:00:00Z", last_seen: "2025-01-01T00:55:00Z" });
    expect(alert.summary.endsWith("(and 1 more such window until 2025-01-01T00:55:00Z)")).toBe(true);
  });

  it("raises a new alert past the suppression window, or for another entity or rule", () => {
    const late = detection({ start: T0 + 70 * MIN, end: T0 + 75 * MIN });
    expect(buildAlerts([detection(), late])).toHaveLength(2);
    expect(buildAlerts([detection(), late], { suppressionMinutes: 120 })).toHaveLength(1);
    expect(buildAlerts([detection(), detection({ entity: { type: "source", value: "198.51.100.1" } })])).toHaveLength(2);
    expect(() => buildAlerts([], { suppressionMinutes: -1 })).toThrow("invalid suppressionMinutes: -1");
  });

  it("gives the same ids for the same detections", () => {
    expect(buildAlerts([detection()])[0].id).toBe(buildAlerts([detection()])[0].id);
    expect(buildAlerts([detection()])[0].id).not.toBe(buildAlerts([detection({ start: T0 + 1 })])[0].id);
  });

  it("exports JSON Lines with the documented fields, ISO-8601 UTC times", () => {
    const lines = alertsToJsonl(buildAlerts([detection(), detection({ entity: { type: "source", value: "x" } })])).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const first = JSON.parse(lines[0]);
    for (const field of ["rule", "severity", "entity", "first_seen", "last_seen", "event_count", "summary", "technique", "evidence"]) expect(first).toHaveProperty(field);
    expect(first.first_seen).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
  });
});

describe("severityOf", () => {
  it("starts from the rule's severity, raises it for a score of 3 or more, and is critical after a successful login", () => {
    expect(severityOf("password_spray", detection())).toBe("medium");
    expect(severityOf("password_spray", detection({ score: 3 }))).toBe("high");
    expect(severityOf("brute_force", detection({ rule: "brute_force", evidence: { succeeded: true } }))).toBe("critical");
    expect(severityOf("percentile", detection({ rule: "percentile", score: 9 }))).toBe("low");
  });
});

describe("summaries", () => {
  it("formats bytes in decimal units", () => {
    expect([950, 412_000, 50_489_691, 4.36e9].map(formatBytes)).toEqual(["950 B", "412 KB", "50.5 MB", "4.4 GB"]);
  });

  it("falls back to the measure for a rule it does not know", () => {
    expect(summarizeDetection(detection({ rule: "custom", observed: 5, expected: 2, measure: "things", window: "1 h" }))).toBe("203.0.113.7: 5 things (expected 2) over 1 h");
  });
});
