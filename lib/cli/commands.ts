/**
 * The CLI's commands, by name: one file each in commands/, the flags they share in command.ts
 * (flags.ts: the light ones).
 */
import type { Command } from "./flags";

export { type CliIo, type Command, type CommandArgs, type CommandOption } from "./flags";

/**
 * How to load each command, by name. A command's module is loaded when it is used, so that
 * `threatlab analyze` does not load the detectors, the readers and the report (a tenth of its
 * time on a slow machine).
 */
const LOADERS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import("./commands/generate.js")).generateCommand,
  analyze: async () => (await import("./commands/analyze.js")).analyzeCommand,
  alerts: async () => (await import("./commands/alerts.js")).alertsCommand,
  detect: async () => (await import("./commands/detect.js")).detectCommand,
  ingest: async () => (await import("./commands/ingest.js")).ingestCommand,
  convert: async () => (await import("./commands/convert.js")).convertCommand,
  report: async () => (await import("./commands/report.js")).reportCommand,
  evaluate: async () => (await import("./commands/evaluate.js")).evaluateCommand,
  redteam: async () => (await import("./commands/redteam.js")).redteamCommand,
  samples: async () => (await import("./commands/samples.js")).samplesCommand,
  scenario: async () => (await import("./commands/scenario.js")).scenarioCommand,
  formats: async () => (await import("./commands/formats.js")).formatsCommand,
  rules: async () => (await import("./commands/rules.js")).rulesCommand,
};

/** The commands' names, in the order help lists them. */
export const COMMAND_NAMES: readonly string[] = Object.keys(LOADERS);

/** Returns the command called `name`, loading its module; undefined for no such command. */
export function loadCommand(name: string): Promise<Command> | undefined {
  return Object.hasOwn(LOADERS, name) ? LOADERS[name]() : undefined;
}
