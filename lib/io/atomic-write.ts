/**
 * Writing files so that no reader ever sees half of one: write a temporary file next to the
 * target, then rename it over the target (atomic on one file system).
 */
import { closeSync, existsSync, mkdirSync, openSync, realpathSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { OptionError, describeFsError } from "../errors";

/** Returns the real, absolute form of a path, following links where the path exists. */
function canonical(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

/**
 * Throws an {@link OptionError} when `output` names the same file as any of `inputs`, so that an
 * analysis can never overwrite the logs it reads.
 */
export function checkNotInput(output: string, inputs: readonly string[]): void {
  const target = canonical(output);
  if (inputs.some((input) => canonical(input) === target)) {
    throw new OptionError(`invalid output: ${output} is also an input; choose another file`);
  }
}

/**
 * Writes a file atomically: `write` receives a temporary path in the target's folder and must
 * create the file there; it is then renamed to `path`. On any error the temporary file is removed
 * and an existing file at `path` is left untouched; the error is rethrown as an {@link OptionError}
 * naming the file. Creates the target's folder if needed.
 * @example
 * writeAtomic("out/logs.csv", (tmp) => frame.writeCSV(tmp));
 */
export function writeAtomic(path: string, write: (temporaryPath: string) => void): void {
  const temporary = prepareTemporary(path);
  try {
    write(temporary);
    renameSync(temporary, path);
  } catch (error) {
    throw failed(path, temporary, error);
  }
}

/** {@link writeAtomic} for a `write` that works asynchronously (e.g. yields between pieces). */
export async function writeAtomicAsync(path: string, write: (temporaryPath: string) => Promise<void>): Promise<void> {
  const temporary = prepareTemporary(path);
  try {
    await write(temporary);
    renameSync(temporary, path);
  } catch (error) {
    throw failed(path, temporary, error);
  }
}

/** Creates the target's folder and an empty temporary file beside the target; returns its path. */
function prepareTemporary(path: string): string {
  const folder = dirname(resolve(path));
  const temporary = join(folder, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      // mkdir reports a file in the way of a folder as EEXIST.
      throw (error as NodeJS.ErrnoException).code === "EEXIST" ? Object.assign(error as Error, { code: "ENOTDIR" }) : error;
    }
    // Create the file from Node first: a native writer that cannot open its path aborts noisily.
    closeSync(openSync(temporary, "wx"));
  } catch (error) {
    throw failed(path, temporary, error);
  }
  return temporary;
}

/** Removes the temporary file and returns the error to throw, naming the target. */
function failed(path: string, temporary: string, error: unknown): OptionError {
  try {
    rmSync(temporary, { force: true });
  } catch {
    // Nothing was created where the folder is unusable.
  }
  return new OptionError(`cannot write ${path}: ${describeFsError(error)}`);
}
