import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { formatTutorialAlert, formatTutorialAlerts, selectTutorialAlerts, tutorialAlerts } from "../../lib/alerts/tutorial-alerts";
import { flagByteAnomalies } from "../../lib/detect/percentile-rule";
import { readLogs } from "../../lib/io/read-logs";
import { HAND_CSV, tempDir, writeFixture } from "../helpers";

const hand = readLogs(writeFixture(tempDir(), "hand.csv", HAND_CSV));

describe("tutorial alerts", () => {
  it("select rows labelled as threats OR flagged as anomalies, in file order", () => {
    // Labelled: rows 2, 5, 10; anomaly (bytes > 5905): row 10. Union: rows 2, 5, 10.
    const alerts = tutorialAlerts(flagByteAnomalies(hand));
    expect(alerts.map((a) => a.user_id)).toEqual(["user_2", "user_2", "user_6"]);
    expect(alerts.map((a) => a.reasons)).toEqual([["threat_level"], ["threat_level"], ["threat_level", "bytes_above_threshold"]]);
  });

  it("include a normal row that is an anomaly", () => {
    const frame = hand.withColumns(pl.lit("normal").alias("threat_level"));
    const alerts = tutorialAlerts(flagByteAnomalies(frame));
    expect(alerts).toEqual([
      {
        timestamp: "2025-03-04 10:00:00", user_id: "user_6", log_type: "login_failed", threat_level: "normal",
        bytes_transferred: 10000, ip_address: "192.168.1.6", reasons: ["bytes_above_threshold"],
      },
    ]);
  });

  it("need the is_anomaly column", () => {
    expect(() => selectTutorialAlerts(hand)).toThrow('needs the column "is_anomaly"');
  });

  it("print in the tutorial's block format, then the total", () => {
    const alerts = tutorialAlerts(flagByteAnomalies(hand));
    expect(formatTutorialAlert(alerts[0])).toBe(
      [
        "Alert: Potential threat detected",
        "Timestamp: 2025-03-01 09:30:00",
        "User ID: user_2",
        "Log Type: login_failed",
        "Threat Level: brute_force",
        "Bytes Transferred: 200",
        "IP Address: 192.168.1.2",
        "---",
      ].join("\n"),
    );
    const text = formatTutorialAlerts(alerts);
    expect(text.split("\n")).toHaveLength(3 * 8 + 1);
    expect(text.endsWith("\nTotal alerts: 3")).toBe(true);
    expect(formatTutorialAlerts([])).toBe("Total alerts: 0");
  });
});
