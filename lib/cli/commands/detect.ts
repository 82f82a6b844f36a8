/** `threatlab detect`. */
import { detectStreamingFromEvents } from "../../io/streaming-choice";
import { alertsToJsonl, buildAlerts } from "../../alerts/alerts";
import { formatAlertsTable } from "../../alerts/format";
import { plural } from "../../alerts/summaries";
import { runDetectorsAsync } from "../../detect/suite";
import { eventCount } from "../../detect/events";
import { type Command, detectEvents, detectPartEvents, detectorFlags, detectorOptions, ingestOptions, internalFlag, numberFlag, oneFile, ruleProgress } from "../command";

export const detectCommand: Command = {
  summary: "run the detector suite on a log file in any supported format and print alerts",
  args: "FILE [--jsonl] [options]",
  options: {
    jsonl: { type: "boolean", help: "print one alert per line as JSON (fields: see the README)" },
    streaming: {
      type: "boolean",
      help: `scan a Parquet or tutorial CSV file in batches instead of reading it whole: the same alerts, in far less memory (automatic from ${(detectStreamingFromEvents() / 1e6).toFixed(0)}M events here)`,
    },
    ...ingestOptions,
    ...detectorOptions,
  },
  async run({ values, positionals }, io) {
    const file = oneFile(positionals, "detect");
    const flags = detectorFlags(values);
    const suppressionMinutes = numberFlag(values, "suppression");
    const internal = internalFlag(values);
    const events = await detectEvents(file, values, io);
    const started = performance.now();
    const run = await runDetectorsAsync(events, { ...flags, internal, partEvents: detectPartEvents(), onRule: ruleProgress(io) });
    const alerts = buildAlerts(run.detections, { suppressionMinutes });
    io.stdout(values.jsonl ? alertsToJsonl(alerts).trimEnd() : formatAlertsTable(alerts));
    const skipped = run.skipped.map((s) => `${s.rule} (${s.reason})`).join(", ");
    io.stderr(
      `${plural(alerts.length, "alert")} from ${plural(run.detections.length, "detection")} by ${plural(Object.keys(run.seconds).length, "rule")}` +
        ` on ${plural(eventCount(events), "event")} in ${((performance.now() - started) / 1000).toFixed(1)} s${skipped ? `; skipped: ${skipped}` : ""}`,
    );
  },
};
