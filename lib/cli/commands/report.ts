/** `threatlab report`. */
import { plural } from "../../alerts/summaries";
import { writeReport } from "../../report/write-report";
import { progressBar } from "../progress";
import { type Command, detectorFlags, detectorOptions, ingestFlags, ingestOptions, internalFlag, numberFlag, oneFile, outFlag, sayIngest } from "../command";

export const reportCommand: Command = {
  summary: "ingest, analyse, detect and write report.html, alerts.jsonl, alerts.csv and summary.json",
  args: "FILE --out DIR [options]",
  options: {
    out: { type: "string", valueName: "DIR", help: "folder for the four outputs (created if needed; existing outputs are replaced whole)" },
    ...ingestOptions,
    ...detectorOptions,
  },
  async run({ values, positionals }, io) {
    const file = oneFile(positionals, "report");
    const out = outFlag(values, "DIR (the folder for report.html and the alert files)");
    const bar = progressBar(io);
    let result;
    try {
      result = await writeReport(file, out, {
        ...ingestFlags(values),
        ...detectorFlags(values),
        internal: internalFlag(values),
        suppressionMinutes: numberFlag(values, "suppression"),
        onProgress: (stage, fraction) => bar.update(stage, fraction),
      });
    } finally {
      bar.done();
    }
    sayIngest(result.ingested, io);
    const { alerts } = result.summary;
    const severities = Object.entries(alerts.by_severity).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
    io.stderr(`${plural(alerts.total, "alert")}${severities ? ` (${severities})` : ""}`);
    io.stdout(Object.values(result.files).join("\n"));
  },
};
