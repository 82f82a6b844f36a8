/** `threatlab scenario`. */
import { invalidOption } from "../../errors";
import { scenarioPreset } from "../../generate/scenario";
import { writeScenario, type WrittenScenario } from "../../generate/write-generated";
import { progressBar } from "../progress";
import { type Command, intFlag, noPositionals, outFlag } from "../command";

export const scenarioCommand: Command = {
  summary: "write a labelled attack scenario (events plus ground-truth columns) to CSV or Parquet",
  args: "--out FILE [--preset NAME] [--seed N]",
  options: {
    out: { type: "string", valueName: "FILE", help: "where to write; .parquet writes Parquet, anything else CSV" },
    preset: { type: "string", valueName: "NAME", help: "default (30 days, 200 users, ~1M events) or small (default: default)" },
    seed: { type: "string", valueName: "N", help: "random seed (default 42)" },
    days: { type: "string", valueName: "D", help: "length in days (default: the preset's)" },
    users: { type: "string", valueName: "U", help: "number of accounts (default: the preset's)" },
    pieces: {
      type: "string",
      valueName: "N",
      help: "write N scenarios into the file, one in memory at a time, each with its own accounts (suffix -1, -2, …) and seed: for files bigger than memory (10 pieces of 2000 users ≈ 106M events)",
    },
  },
  async run({ values, positionals }, io) {
    noPositionals(positionals, "the output file");
    const out = outFlag(values, "FILE (where to write the scenario)");
    const preset = typeof values.preset === "string" ? values.preset : "default";
    const overrides = Object.fromEntries(
      (["seed", "days", "users"] as const).map((k) => [k, intFlag(values, k)]).filter(([, v]) => v !== undefined),
    );
    const options = scenarioPreset(preset, overrides);
    const pieces = intFlag(values, "pieces") ?? 1;
    if (pieces < 1 || pieces > 100_000) throw invalidOption("--pieces", values.pieces, "a whole number from 1 to 100000");
    const bar = progressBar(io);
    let written: WrittenScenario;
    try {
      bar.update("generating", 0);
      written = await writeScenario(out, options, pieces, (share) => bar.update("generating", share));
    } finally {
      bar.done();
    }
    const { events, attackEvents: attacks, campaigns } = written;
    io.stderr(`wrote ${events.toLocaleString("en-US")} events (${attacks.toLocaleString("en-US")} attack events in ${campaigns} campaigns) to ${out}`);
  },
};
