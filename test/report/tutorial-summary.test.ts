import { describe, expect, it } from "vitest";
import { readLogs } from "../../lib/io/read-logs";
import { formatTutorialSummary, summarizeTutorial } from "../../lib/report/tutorial-summary";
import { HAND_CSV, HAND_SUMMARY, HEADER, tempDir, writeFixture } from "../helpers";

const dir = tempDir();

describe("summarizeTutorial", () => {
  it("gives the hand-computed numbers", () => {
    const summary = summarizeTutorial(readLogs(writeFixture(dir, "hand.csv", HAND_CSV)));
    expect({ ...summary, anomaly_threshold: 0 }).toEqual({ ...HAND_SUMMARY, anomaly_threshold: 0 });
    expect(summary.anomaly_threshold).toBeCloseTo(5905, 9);
  });

  it("summarises a header-only file as zero rows with null mean and threshold", () => {
    const summary = summarizeTutorial(readLogs(writeFixture(dir, "none.csv", `${HEADER}\n`)));
    expect(summary).toEqual({
      total: 0, log_type_counts: {}, threat_level_counts: {}, threat_count: 0, mean_bytes: null,
      anomaly_threshold: null, anomaly_count: 0, alert_count: 0, daily_counts: {},
    });
    expect(formatTutorialSummary(summary)).toContain("Mean bytes:          n/a");
  });

  it("formats a readable text version", () => {
    const text = formatTutorialSummary(summarizeTutorial(readLogs(writeFixture(dir, "hand2.csv", HAND_CSV))));
    expect(text).toContain("Total logs:          10");
    expect(text).toContain("Anomaly threshold:   5,905 bytes");
    expect(text).toContain("Days:                4 (2025-03-01 to 2025-03-04)");
  });
});
