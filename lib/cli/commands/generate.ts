/** `threatlab generate`. */
import { writeGeneratedLogs } from "../../generate/write-generated";
import { progressBar } from "../progress";
import { type Command, MAX_GENERATED_ROWS, generateChunkRows, intFlag, noPositionals, numberFlag, outFlag } from "../command";

export const generateCommand: Command = {
  summary: "write sample security logs like the tutorial's create_sample_logs (CSV, or Parquet for .parquet)",
  args: "--out FILE [options]",
  options: {
    rows: { type: "string", valueName: "N", help: "number of rows (default 1000)" },
    seed: { type: "string", valueName: "S", help: "random seed; the same seed gives the same file (default 42)" },
    out: { type: "string", valueName: "FILE", help: "where to write; .parquet writes Parquet, anything else CSV" },
    start: { type: "string", valueName: "DATE", help: 'first timestamp, UTC, e.g. 2025-01-01 (default), or "now" for now − days' },
    days: { type: "string", valueName: "D", help: "length of the period in days (default 30)" },
    users: { type: "string", valueName: "U", help: "number of accounts user_1..user_U (default 100)" },
    "threat-rate": { type: "string", valueName: "P", help: "chance a row is labelled a threat (default 0.05)" },
  },
  async run({ values, positionals }, io) {
    noPositionals(positionals, "the output file");
    const out = outFlag(values, "FILE (where to write the logs)");
    const rows = intFlag(values, "rows", MAX_GENERATED_ROWS) ?? 1000;
    const options = {
      seed: intFlag(values, "seed"),
      start: typeof values.start === "string" ? values.start : undefined,
      days: intFlag(values, "days"),
      users: intFlag(values, "users"),
      threatRate: numberFlag(values, "threat-rate"),
    };
    const bar = progressBar(io);
    try {
      await writeGeneratedLogs(out, rows, options, { chunkRows: generateChunkRows(), onProgress: (share) => bar.update("generating", share) });
    } finally {
      bar.done();
    }
    io.stderr(`wrote ${rows.toLocaleString("en-US")} rows to ${out}`);
  },
};
