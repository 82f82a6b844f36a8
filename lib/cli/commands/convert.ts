/** `threatlab convert`. */
import { extname } from "node:path";
import { scanLogs } from "../../io/read-logs";
import { parquetHasTutorialColumns, parquetRowCount } from "../../io/streaming-choice";
import { sinkParquet } from "../../io/write-logs";
import { checkNotInput, writeAtomic } from "../../io/atomic-write";
import { OptionError } from "../../errors";
import { sniffFormat } from "../../io/ingest/ingest";
import { type Command, ingestOptions, ingestTo, oneFile, outFlag } from "../command";

export const convertCommand: Command = {
  summary: "rewrite a log file as Parquet, the format for big data (the tutorial's columns streamed in batches; other logs through ingest)",
  args: "FILE --out FILE.parquet [options]",
  options: {
    out: { type: "string", valueName: "FILE", help: "where to write: a .parquet file" },
    ...ingestOptions,
  },
  async run({ values, positionals }, io) {
    const file = oneFile(positionals, "convert");
    const out = outFlag(values, "FILE.parquet (where to write)");
    if (extname(out).toLowerCase() !== ".parquet") throw new OptionError(`invalid --out: ${out} (expected a name ending in .parquet)`);
    checkNotInput(out, [file]);
    const format = typeof values.format === "string" ? values.format : await sniffFormat(file);
    if (format === "tutorial-csv" || (format === "parquet" && parquetHasTutorialColumns(file))) {
      // Checked in one streaming pass, then streamed into Parquet: any size, little memory.
      const scan = scanLogs(file);
      writeAtomic(out, (tmp) => sinkParquet(scan, tmp));
      const rows = parquetRowCount(out);
      io.stderr(`wrote ${rows.toLocaleString("en-US")} rows to ${out}`);
      return;
    }
    await ingestTo(file, out, values, io);
  },
};
