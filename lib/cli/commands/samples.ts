/** `threatlab samples`. */
import { SAMPLES_SEED, writeSamples } from "../../generate/samples";
import { type Command, intFlag, noPositionals, outFlag } from "../command";

export const samplesCommand: Command = {
  summary: "write the bundled sample logs (syslog, Windows JSON, Zeek, NDJSON, CSV, Parquet) with planted attacks",
  args: "--out DIR [--seed N]",
  options: {
    out: { type: "string", valueName: "DIR", help: "folder to write them into (data/samples holds the bundled ones)" },
    seed: { type: "string", valueName: "N", help: `random seed (default ${SAMPLES_SEED}, the bundled samples')` },
  },
  run({ values, positionals }, io) {
    noPositionals(positionals, "the folder");
    const out = outFlag(values, "DIR (where to write the samples)");
    const paths = writeSamples(out, intFlag(values, "seed"));
    io.stderr(`wrote ${paths.length} files to ${out}`);
    io.stdout(paths.join("\n"));
  },
};
