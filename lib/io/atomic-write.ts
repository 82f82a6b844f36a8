/**
 * Writing files so that no reader ever sees half of one: write a temporary file next to the
 * target, then rename it over the target (atomic on one file system).
 */
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
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

/** Temporary files and folders being written now: removed on SIGINT or SIGTERM ({@link removeTemporaries}). */
const live = new Set<string>();

/** Records a temporary path so that an interrupted run removes it; returns the path. */
export function trackTemporary(path: string): string {
  live.add(path);
  return path;
}

/** Forgets a temporary path that was renamed or removed. */
export function untrackTemporary(path: string): void {
  live.delete(path);
}

/**
 * Removes every temporary file and folder still being written: what an interrupted run would
 * otherwise leave behind. Returns how many there were.
 */
export function removeTemporaries(): number {
  const n = live.size;
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
  return n;
}

/**
 * Writes all of `text` to an open file, checking every write: a write that stores fewer bytes than
 * asked is continued, one that stores none is an error (the disk is full).
 */
export function writeFully(fd: number, text: string | Uint8Array): void {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  let done = 0;
  while (done < bytes.length) {
    const n = writeSync(fd, bytes, done, bytes.length - done);
    if (n <= 0) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    done += n;
  }
}

/** Flushes an open file to the disk, so that a full disk or a failing device is an error now, before the rename. */
export function syncFile(fd: number): void {
  fsyncSync(fd);
}

/** Writes a whole file and flushes it to the disk, every write checked (see {@link writeFully}). */
export function writeFileSynced(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    writeFully(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Throws an {@link OptionError} when `path` exists and is not a regular file: an output never
 * replaces a device, a FIFO, a socket or a folder (`--out /dev/null` as root would otherwise
 * become a regular file).
 */
export function checkRegularTarget(path: string, what = "--out"): void {
  let stat;
  try {
    stat = lstatSync(path).isSymbolicLink() ? statSync(path) : lstatSync(path);
  } catch {
    return; // a new path, or a link to one
  }
  if (stat.isFile()) return;
  const kind = stat.isDirectory() ? "a folder" : stat.isFIFO() ? "a FIFO" : stat.isCharacterDevice() || stat.isBlockDevice() ? "a device" : stat.isSocket() ? "a socket" : "not a regular file";
  throw new OptionError(`invalid ${what}: ${path} is ${kind}; threatlab writes only regular files or new paths`);
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
  writeAtomicGroup([[path, write]]);
}

/**
 * Writes several files atomically as a group: each `write` fills a temporary file beside its
 * target; only when every one has succeeded are they renamed into place, so a failure (a full
 * disk) leaves every target as it was and no temporary file behind.
 */
export function writeAtomicGroup(files: readonly (readonly [path: string, write: (temporaryPath: string) => void])[]): void {
  for (const [path] of files) checkRegularTarget(path);
  const temporaries: string[] = [];
  let current = files[0]?.[0] ?? "";
  try {
    for (const [path, write] of files) {
      current = path;
      const temporary = prepareTemporary(path);
      temporaries.push(temporary);
      write(temporary);
    }
    files.forEach(([path], i) => {
      current = path;
      renameSync(temporaries[i], path);
      untrackTemporary(temporaries[i]);
    });
  } catch (error) {
    for (const temporary of temporaries) {
      rmSync(temporary, { force: true });
      untrackTemporary(temporary);
    }
    throw failed(current, "", error);
  }
}

/** {@link writeAtomic} for a `write` that works asynchronously (e.g. yields between pieces). */
export async function writeAtomicAsync(path: string, write: (temporaryPath: string) => Promise<void>): Promise<void> {
  checkRegularTarget(path);
  const temporary = prepareTemporary(path);
  try {
    await write(temporary);
    renameSync(temporary, path);
    untrackTemporary(temporary);
  } catch (error) {
    throw failed(path, temporary, error);
  }
}

/**
 * Creates a folder and its missing parents, one at a time from the nearest that exists. (Node's
 * `mkdirSync(…, { recursive: true })` never returns on some paths, e.g. under /proc.)
 */
export function makeFolder(folder: string): void {
  const missing: string[] = [];
  let at = resolve(folder);
  while (!existsSync(at)) {
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const path of missing.reverse()) mkdirSync(path);
}

/** Creates the target's folder and an empty temporary file beside the target; returns its path. */
function prepareTemporary(path: string): string {
  const folder = dirname(resolve(path));
  const temporary = join(folder, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    try {
      makeFolder(folder);
    } catch (error) {
      // mkdir reports a file in the way of a folder as EEXIST.
      throw (error as NodeJS.ErrnoException).code === "EEXIST" ? Object.assign(error as Error, { code: "ENOTDIR" }) : error;
    }
    // Create the file from Node first: a native writer that cannot open its path aborts noisily.
    closeSync(openSync(trackTemporary(temporary), "wx"));
  } catch (error) {
    throw failed(path, temporary, error);
  }
  return temporary;
}

/** Removes the temporary file and returns the error to throw, naming the target. */
function failed(path: string, temporary: string, error: unknown): OptionError {
  try {
    if (temporary) rmSync(temporary, { force: true });
  } catch {
    // Nothing was created where the folder is unusable.
  }
  untrackTemporary(temporary);
  if (error instanceof OptionError) return error;
  return new OptionError(`cannot write ${path}: ${describeFsError(error)}`);
}
