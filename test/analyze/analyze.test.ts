import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { countByLogType, countByThreatLevel, countsToObject, dailyCounts, meanBytes, threatRows, valueCounts } from "../../lib/analyze";
import { readLogs } from "../../lib/io/read-logs";
import { HAND_CSV, tempDir, writeFixture } from "../helpers";

const hand = readLogs(writeFixture(tempDir(), "hand.csv", HAND_CSV));

describe("valueCounts", () => {
  it("counts each value, most frequent first, ties alphabetically", () => {
    const frame = pl.DataFrame({ k: ["b", "a", "c", "b", "c", "d", "b"] });
    expect(valueCounts(frame, "k").toRecords()).toEqual([
      { k: "b", count: 3 },
      { k: "c", count: 2 },
      { k: "a", count: 1 },
      { k: "d", count: 1 },
    ]);
  });

  it("counts log types and threat levels of the hand-made rows (worked by hand)", () => {
    expect(countsToObject(countByLogType(hand))).toEqual({
      login_failed: 4, file_access: 3, login_success: 1, network_traffic: 1, system_call: 1,
    });
    expect(countsToObject(countByThreatLevel(hand))).toEqual({ normal: 7, anomaly: 1, brute_force: 1, unusual_location: 1 });
  });

  it("returns no rows for an empty frame", () => {
    expect(valueCounts(hand.head(0), "log_type").height).toBe(0);
  });
});

describe("meanBytes, threatRows, dailyCounts", () => {
  it("mean of 100..900 and 10000 is 14500 / 10 = 1450", () => {
    expect(meanBytes(hand)).toBe(1450);
    expect(meanBytes(hand.head(0))).toBeNull();
  });

  it("threatRows keeps the three labelled rows, in file order", () => {
    expect(threatRows(hand).getColumn("threat_level").toArray()).toEqual(["brute_force", "anomaly", "unusual_location"]);
  });

  it("dailyCounts counts rows per written calendar date, 23:59:59 and 00:00:00 on their own days", () => {
    expect(dailyCounts(hand).toRecords()).toEqual([
      { date: "2025-03-01", count: 3 },
      { date: "2025-03-02", count: 2 },
      { date: "2025-03-03", count: 4 },
      { date: "2025-03-04", count: 1 },
    ]);
  });
});
