/**
 * The `threatlab` command line: parses arguments, calls the library, prints. Bad input or usage
 * ends with one line on stderr and exit code 2, never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError, OptionError } from "../errors";
import { removeTemporaries } from "../io/atomic-write";
import { terminalSafe } from "../terminal";
import { COMMAND_NAMES, loadCommand, type Command, type CliIo } from "./commands";

/** Exit codes: 0 success, 1 an unexpected failure (a bug), 2 bad usage or bad input. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Returns the package version. */
function version(): string {
  return (require("../../package.json") as { version: string }).version;
}

/** Returns the top-level help text (it loads every command, for their summaries). */
export async function usage(): Promise<string> {
  const width = Math.max(...COMMAND_NAMES.map((n) => n.length));
  const commands = await Promise.all(COMMAND_NAMES.map(async (name) => [name, (await loadCommand(name))!] as const));
  return [
    "threatlab — the basic AI threat detection tutorial, as a command",
    "",
    "Usage: threatlab <command> [options]",
    "",
    "Commands:",
    ...commands.map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run 'threatlab <command> --help' for a command's options.",
    "Exit codes: 0 success, 2 bad usage or bad input, 1 unexpected failure.",
  ].join("\n");
}

/** Returns the help text of one command. */
function commandUsage(name: string, command: Command): string {
  const lines = Object.entries(command.options).map(([flag, o]) => {
    const left = `--${flag}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`;
    return `  ${left.padEnd(22)} ${o.help}`;
  });
  return [`Usage: threatlab ${name} ${command.args}`, "", command.summary, "", "Options:", ...lines, `  ${"--help".padEnd(22)} show this help`].join("\n");
}

/**
 * Returns the CLI's input/output over two writers: text is written as whole lines with its control
 * characters made visible (see `terminalSafe`), and nothing at all for no text.
 */
export function terminalIo(out: (text: string) => void, err: (text: string) => void, isTTY: boolean): CliIo {
  const lines = (write: (text: string) => void) => (text: string): void => {
    if (text === "") return;
    const safe = terminalSafe(text);
    write(safe.endsWith("\n") ? safe : `${safe}\n`);
  };
  return { stdout: lines(out), stderr: lines(err), isTTY, progress: (text) => err(`\r${terminalSafe(text)}\x1b[K`) };
}

const defaultIo: CliIo = terminalIo((t) => process.stdout.write(t), (t) => process.stderr.write(t), Boolean(process.stderr.isTTY));

/**
 * Makes SIGINT (Ctrl-C) and SIGTERM end the process after removing every temporary file and part
 * folder still being written, so an interrupted run leaves the outputs as they were and nothing
 * hidden beside them; exits 130 or 143, as a shell reports those signals.
 */
export function removeTemporariesOnSignals(): void {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      const removed = removeTemporaries();
      process.stderr.write(`\nthreatlab: stopped by ${signal}${removed > 0 ? `; removed ${removed} unfinished output${removed === 1 ? "" : "s"}` : ""}; earlier outputs are as they were\n`);
      process.exit(code);
    });
  }
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code.
 * @example
 * await main(["analyze", "data/sample_logs.csv", "--json"]) // prints the summary, returns 0
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(await usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(version());
    return EXIT.ok;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr(`threatlab: unknown command "${name}" (expected one of: ${COMMAND_NAMES.join(", ")}; see threatlab --help)`);
    return EXIT.usage;
  }
  try {
    const config: ParseArgsConfig = {
      args: [...rest],
      options: { ...command.options, help: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    };
    const { values, positionals } = parseArgs(config);
    if (values.help) {
      io.stdout(commandUsage(name, command));
      return EXIT.ok;
    }
    await command.run({ values: values as Record<string, string | boolean | string[] | undefined>, positionals }, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof InputError || error instanceof OptionError) {
      io.stderr(`threatlab ${name}: ${error.message}`);
      return EXIT.usage;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`threatlab ${name}: ${(error as Error).message.split("\n")[0]} (see threatlab ${name} --help)`);
      return EXIT.usage;
    }
    if (process.env.THREATLAB_DEBUG) throw error;
    io.stderr(`threatlab ${name}: unexpected error: ${(error as Error)?.message?.split("\n")[0] ?? error} (set THREATLAB_DEBUG=1 for details)`);
    return EXIT.failure;
  }
}
