/** `threatlab analyze`. */
import { readLogs, scanLogs } from "../../io/read-logs";
import { analyzeStreams, streamingFromBytes } from "../../io/streaming-choice";
import { formatTutorialSummary, SUMMARY_CATEGORICAL, summarizeTutorial, summarizeTutorialLazy } from "../../report/tutorial-summary";
import { progressBar } from "../progress";
import { type Command, numberFlag, oneFile, quantileOption } from "../flags";

export const analyzeCommand: Command = {
  summary: "the tutorial's analysis of a log file: counts, mean, 95th-percentile anomalies, alerts, daily volume",
  args: "FILE [--json]",
  options: {
    json: { type: "boolean", help: "print one JSON object (the tutorial-parity summary) instead of text" },
    quantile: quantileOption,
    streaming: { type: "boolean", help: `scan the file in batches instead of reading it whole (always for Parquet; for CSV automatic from ${Math.round(streamingFromBytes() / 2 ** 20)} MB here)` },
  },
  run({ values, positionals }, io) {
    const file = oneFile(positionals, "analyze");
    const options = { quantile: numberFlag(values, "quantile") };
    let summary;
    if (analyzeStreams(file, values.streaming === true)) {
      const bar = progressBar(io);
      try {
        bar.update("checking", 0);
        summary = summarizeTutorialLazy(scanLogs(file), { ...options, onProgress: (stage, fraction) => bar.update(stage, fraction) });
      } finally {
        bar.done();
      }
    } else {
      summary = summarizeTutorial(readLogs(file, { categorical: SUMMARY_CATEGORICAL }), options);
    }
    io.stdout(values.json ? JSON.stringify(summary, null, 2) : formatTutorialSummary(summary));
  },
};
