/** `threatlab evaluate`. */
import { readLogs } from "../../io/read-logs";
import { InputError, OptionError } from "../../errors";
import { evaluateDetectors } from "../../evaluate/evaluate-detectors";
import { evaluateGrid, formatGrid } from "../../evaluate/grid";
import { evaluateLabelledSources, formatLabelledSources } from "../../evaluate/labelled-sources";
import { generateScenario, scenarioPreset } from "../../generate/scenario";
import { formatEvaluation } from "../../report/evaluation-report";
import { ingestLogs, sniffFormat } from "../../io/ingest/ingest";
import { valueCount } from "../../detect/events";
import { type Command, detectorFlags, detectorOptions, intFlag, numberFlag, ruleProgress } from "../command";

export const evaluateCommand: Command = {
  summary: "score the detectors against ground truth: a labelled FILE (a scenario, or a capture with its own labels), or a generated scenario",
  args: "[FILE] [--preset NAME] [--seed N] [--grid] [--json]",
  options: {
    json: { type: "boolean", help: "print the whole evaluation as one JSON object" },
    grid: { type: "boolean", help: "score the suite on 16 generated populations (users × habits × days × attacks) instead of one scenario" },
    preset: { type: "string", valueName: "NAME", help: "scenario to generate when no FILE is given: default (~1M events) or small (default: default)" },
    seed: { type: "string", valueName: "N", help: "seed of the generated scenario (default 42)" },
    ...detectorOptions,
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new OptionError(`expected at most one FILE, got ${positionals.length}`);
    if (positionals.length === 1 && (values.preset !== undefined || values.seed !== undefined)) {
      throw new OptionError("--preset and --seed choose a generated scenario; they do not apply to a FILE");
    }
    if (values.grid) {
      if (positionals.length > 0 || values.preset !== undefined) throw new OptionError("--grid generates its own scenarios; it takes no FILE and no --preset");
      const results = evaluateGrid({
        seed: intFlag(values, "seed"), ...detectorFlags(values),
        onSetting: (r, done, total) => io.stderr(`${done}/${total} ${r.setting.name}: precision ${r.alert_precision?.toFixed(3) ?? "–"}, recall ${r.campaign_recall?.toFixed(3) ?? "–"}`),
      });
      io.stdout(values.json ? JSON.stringify(results, null, 2) : formatGrid(results));
      return;
    }
    let events;
    if (positionals.length === 1) {
      const format = await sniffFormat(positionals[0]);
      if (format !== "tutorial-csv" && format !== "parquet") {
        // A real log that carries its own labels (Stratosphere's label column): score by source.
        const { events: real } = await ingestLogs(positionals[0]);
        if (!real.columns.includes("source_label") || valueCount(real, "source_label") === 0) {
          throw new InputError({ file: positionals[0], column: "label" }, "no ground-truth labels to score against (a labelled capture's label column, or a file threatlab scenario wrote)");
        }
        const score = evaluateLabelledSources(real, detectorFlags(values));
        io.stdout(values.json ? JSON.stringify(score, null, 2) : formatLabelledSources(score));
        return;
      }
      events = readLogs(positionals[0]);
      if (!events.columns.includes("attack_id")) {
        throw new InputError({ file: positionals[0], column: "attack_id" }, "no ground-truth labels to score against (threatlab scenario writes a labelled file)");
      }
    } else {
      const preset = typeof values.preset === "string" ? values.preset : "default";
      if (io.isTTY) io.stderr(`generating the ${preset} scenario…`);
      events = generateScenario(scenarioPreset(preset, { seed: intFlag(values, "seed") })).events;
    }
    const evaluation = evaluateDetectors(events, { ...detectorFlags(values), suppressionMinutes: numberFlag(values, "suppression"), onRule: ruleProgress(io) });
    io.stdout(values.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation));
  },
};
