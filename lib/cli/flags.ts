/**
 * The shape of a command and the flags the light commands take: kept apart from command.ts, which
 * loads the detectors and every reader, so that `threatlab analyze` starts without them.
 */
import { OptionError, invalidOption } from "../errors";
import { type ProgressSink } from "./progress";

/** Where the CLI writes: injectable so tests can run it in-process. */
export interface CliIo extends ProgressSink {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal: progress is shown only then. */
  readonly isTTY: boolean;
}

/** One option of a command, as `node:util` `parseArgs` takes it, plus its help. */
export interface CommandOption {
  type: "string" | "boolean";
  help: string;
  valueName?: string;
  short?: string;
  /** The flag may be given several times; its value is then a list. */
  multiple?: boolean;
}

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A CLI command. */
export interface Command {
  summary: string;
  /** The positional arguments, for the usage line. */
  args: string;
  options: Record<string, CommandOption>;
  run(args: CommandArgs, io: CliIo): Promise<void> | void;
}

/** Returns the value of a whole-number flag, or `undefined` (the library's default) when absent. */
export function intFlag(values: CommandArgs["values"], name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).replace(/_/g, "");
  if (!/^\d+$/.test(text)) throw invalidOption(`--${name}`, raw, "a whole number ≥ 0");
  const n = Number(text);
  if (n > max) throw invalidOption(`--${name}`, raw, `a whole number from 0 to ${max.toLocaleString("en-US")}`);
  return n;
}

/** Returns the value of a numeric flag, or `undefined` (the library's default) when absent. */
export function numberFlag(values: CommandArgs["values"], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isFinite(n)) throw invalidOption(`--${name}`, raw, "a number");
  return n;
}

/** Returns the single input file of a command, or throws a usage error. */
export function oneFile(positionals: string[], command: string): string {
  if (positionals.length !== 1) {
    throw new OptionError(
      positionals.length === 0
        ? `missing FILE (usage: threatlab ${command} FILE)`
        : `expected one FILE, got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  return positionals[0];
}

export const quantileOption: CommandOption = {
  type: "string",
  valueName: "Q",
  help: "quantile of bytes_transferred above which a row is an anomaly (default 0.95)",
};
