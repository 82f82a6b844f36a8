/**
 * The errors threatlab throws on purpose, and the texts of their messages.
 *
 * `InputError` is bad data in a file (it names the file, the line or column, and what was
 * expected); `OptionError` is a bad argument to a library function or a CLI flag. The CLI prints
 * either as one line and exits with code 2; anything else is a bug and keeps its stack trace.
 */
import { constants } from "node:os";

/** Where in a file a problem is. Lines are 1-based and count the header line. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
}

/** Bad input data: a missing, empty, truncated or malformed file. */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly file: string;
  readonly line?: number;
  readonly column?: string;

  /** Creates an error whose message reads `FILE:LINE: column COLUMN: PROBLEM`. */
  constructor(where: InputLocation, problem: string) {
    super(formatLocation(where) + problem);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A bad option passed to a library function or the CLI. */
export class OptionError extends Error {
  override readonly name = "OptionError";
}

/** Returns the `file:line: column name: ` prefix of an input error message. */
function formatLocation({ file, line, column }: InputLocation): string {
  const place = line === undefined ? file : `${file}:${line}`;
  return column === undefined ? `${place}: ` : `${place}: column ${column}: `;
}

/**
 * Returns an {@link OptionError} that reads `invalid NAME: VALUE (expected EXPECTED)`.
 * @example
 * invalidOption("rows", -1, "a whole number ≥ 0").message
 * // => "invalid rows: -1 (expected a whole number ≥ 0)"
 */
export function invalidOption(name: string, value: unknown, expected: string): OptionError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new OptionError(`invalid ${name}: ${shown} (expected ${expected})`);
}

/** Throws unless `value` is a whole number in `[min, max]`; returns it. */
export function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw invalidOption(name, value, `a whole number ${range}`);
  }
  return value;
}

/** Throws unless `value` is a finite number in `[min, max]`; returns it. */
export function checkNumber(name: string, value: number, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw invalidOption(name, value, `a number from ${min} to ${max}`);
  }
  return value;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a folder",
  EMFILE: "too many open files",
};

/** The errno name of an error polars reports from the system ("No space left on device (os error 28)" → ENOSPC). */
function osErrorCode(error: unknown): string | undefined {
  // polars' errors are not always instances of this realm's Error: read the message as text.
  const n = /\(os error (\d+)\)/.exec(String((error as { message?: unknown } | undefined)?.message ?? error))?.[1];
  return n === undefined ? undefined : Object.entries(constants.errno).find(([, value]) => value === Number(n))?.[0];
}

/**
 * Returns a short reason for a file-system error, without the temporary paths and stack that
 * Node's own message carries.
 * @example
 * describeFsError(Object.assign(new Error("…"), { code: "EACCES" })) // => "permission denied"
 */
export function describeFsError(error: unknown): string {
  // Node names the errno in `code`; polars' errors have code "GenericFailure" and the errno in the text.
  for (const code of [(error as NodeJS.ErrnoException | undefined)?.code, osErrorCode(error)]) if (code && FS_REASONS[code]) return FS_REASONS[code];
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}
