/** `threatlab alerts`. */
import { readLogs } from "../../io/read-logs";
import { flagByteAnomalies } from "../../detect/percentile-rule";
import { formatTutorialAlerts, tutorialAlerts } from "../../alerts/tutorial-alerts";
import { type Command, numberFlag, oneFile, quantileOption } from "../command";

export const alertsCommand: Command = {
  summary: "print the tutorial's alerts for a log file (labelled threats and byte anomalies)",
  args: "FILE [--json]",
  options: {
    json: { type: "boolean", help: "print the alerts as JSON Lines, one per line" },
    quantile: quantileOption,
  },
  run({ values, positionals }, io) {
    const file = oneFile(positionals, "alerts");
    const alerts = tutorialAlerts(flagByteAnomalies(readLogs(file), { quantile: numberFlag(values, "quantile") }));
    io.stdout(values.json ? alerts.map((a) => JSON.stringify(a)).join("\n") : formatTutorialAlerts(alerts));
  },
};
