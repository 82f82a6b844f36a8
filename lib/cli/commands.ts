/**
 * The CLI's commands, by name: one file each in commands/, the flags they share in command.ts.
 */
import { generateCommand } from "./commands/generate";
import { analyzeCommand } from "./commands/analyze";
import { alertsCommand } from "./commands/alerts";
import { detectCommand } from "./commands/detect";
import { ingestCommand } from "./commands/ingest";
import { convertCommand } from "./commands/convert";
import { reportCommand } from "./commands/report";
import { evaluateCommand } from "./commands/evaluate";
import { redteamCommand } from "./commands/redteam";
import { samplesCommand } from "./commands/samples";
import { scenarioCommand } from "./commands/scenario";
import { formatsCommand } from "./commands/formats";
import { rulesCommand } from "./commands/rules";
import type { Command } from "./command";

export { type CliIo, type Command, type CommandArgs, type CommandOption, MAX_GENERATED_ROWS, detectPartEvents, generateChunkRows } from "./command";

/** Every command, by name. */
export const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  analyze: analyzeCommand,
  alerts: alertsCommand,
  detect: detectCommand,
  ingest: ingestCommand,
  convert: convertCommand,
  report: reportCommand,
  evaluate: evaluateCommand,
  redteam: redteamCommand,
  samples: samplesCommand,
  scenario: scenarioCommand,
  formats: formatsCommand,
  rules: rulesCommand,
};
