/**
 * The tutorial's alerts: every row labelled as a threat or flagged as a byte anomaly.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { TIMESTAMP_FORMAT } from "../schema";

/** Why a row became a tutorial alert. */
export type TutorialAlertReason = "threat_level" | "bytes_above_threshold";

/** One tutorial alert, as a plain record. */
export interface TutorialAlert {
  /** `YYYY-MM-DD HH:MM:SS`, as written in the file. */
  timestamp: string;
  user_id: string;
  log_type: string;
  threat_level: string;
  bytes_transferred: number;
  ip_address: string;
  /** `threat_level` when the label is not normal, `bytes_above_threshold` when `is_anomaly`. */
  reasons: TutorialAlertReason[];
}

/**
 * Returns the rows of a frame flagged by `flagByteAnomalies` whose `threat_level` is not `normal`
 * OR whose `is_anomaly` is true, in file order (the tutorial's step 6 selection). Note that half
 * of this rule reads the label column: the tutorial alerts on its own answer key.
 */
export function selectTutorialAlerts(flagged: DataFrame): DataFrame {
  if (!flagged.columns.includes("is_anomaly")) {
    throw new Error('selectTutorialAlerts needs the column "is_anomaly": call flagByteAnomalies(frame) first');
  }
  return flagged.filter(pl.col("threat_level").neq(pl.lit("normal")).or(pl.col("is_anomaly")));
}

/**
 * Returns the tutorial alerts of a flagged frame as records, each with the reasons it was raised.
 * @example
 * tutorialAlerts(flagByteAnomalies(logs))[0]
 * // => { timestamp: "2025-01-28 03:00:00", user_id: "user_43", …, reasons: ["bytes_above_threshold"] }
 */
export function tutorialAlerts(flagged: DataFrame): TutorialAlert[] {
  return selectTutorialAlerts(flagged)
    .select(
      pl.col("timestamp").dt.strftime(TIMESTAMP_FORMAT),
      ...["user_id", "log_type", "threat_level", "bytes_transferred", "ip_address", "is_anomaly"].map((c) => pl.col(c)),
    )
    .toRecords()
    .map((row) => {
      const reasons: TutorialAlertReason[] = [];
      if (row.threat_level !== "normal") reasons.push("threat_level");
      if (row.is_anomaly) reasons.push("bytes_above_threshold");
      return {
        timestamp: String(row.timestamp),
        user_id: String(row.user_id),
        log_type: String(row.log_type),
        threat_level: String(row.threat_level),
        bytes_transferred: Number(row.bytes_transferred),
        ip_address: String(row.ip_address),
        reasons,
      };
    });
}

/**
 * Returns one alert as the tutorial prints it.
 * @example
 * console.log(formatTutorialAlert(alerts[0]))
 * // Alert: Potential threat detected
 * // Timestamp: 2025-01-28 03:00:00
 * // User ID: user_43
 * // Log Type: login_failed
 * // Threat Level: normal
 * // Bytes Transferred: 964374
 * // IP Address: 192.168.39.249
 * // ---
 */
export function formatTutorialAlert(alert: TutorialAlert): string {
  return [
    "Alert: Potential threat detected",
    `Timestamp: ${alert.timestamp}`,
    `User ID: ${alert.user_id}`,
    `Log Type: ${alert.log_type}`,
    `Threat Level: ${alert.threat_level}`,
    `Bytes Transferred: ${alert.bytes_transferred}`,
    `IP Address: ${alert.ip_address}`,
    "---",
  ].join("\n");
}

/**
 * Returns every alert block followed by the line `Total alerts: N`, as the tutorial prints them.
 * @example
 * formatTutorialAlerts(tutorialAlerts(flagByteAnomalies(logs))).split("\n")[0] // => "Alert: Potential threat detected"
 */
export function formatTutorialAlerts(alerts: readonly TutorialAlert[]): string {
  return [...alerts.map(formatTutorialAlert), `Total alerts: ${alerts.length}`].join("\n");
}
