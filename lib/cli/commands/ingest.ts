/** `threatlab ingest`. */
import { checkNotInput } from "../../io/atomic-write";
import { type Command, ingestOptions, ingestTo, oneFile, outFlag } from "../command";

export const ingestCommand: Command = {
  summary: "read a log file (syslog, Windows JSON, Zeek, CSV, …) into threatlab's event schema",
  args: "FILE --out FILE [options]",
  options: {
    out: { type: "string", valueName: "FILE", help: "where to write the events: .parquet (exact) or .csv (for spreadsheets; formula cells neutralised)" },
    ...ingestOptions,
  },
  async run({ values, positionals }, io) {
    const file = oneFile(positionals, "ingest");
    const out = outFlag(values, "FILE (where to write the events, .parquet or .csv)");
    checkNotInput(out, [file]);
    await ingestTo(file, out, values, io);
  },
};
