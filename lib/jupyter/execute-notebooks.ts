/**
 * Running notebooks headlessly through Jupyter (nbclient and nbconvert) on the threatlab kernel, and exporting
 * them to HTML. Outputs appear whole or not at all: each is written in a temporary folder first.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";
import { projectRoot } from "../shared/paths";
import { JUPYTER_ENV, type Jupyter } from "./find-jupyter";
import { KERNEL_NAME, writeKernelSpec } from "./kernelspec";

/** Options of {@link executeNotebook}. */
export interface ExecuteNotebookOptions {
  /** Folder for the executed `.ipynb` (and `.html`). Created if missing. */
  outDir: string;
  /** Extra environment for the kernel, e.g. `THREATLAB_DATA`. */
  env?: Record<string, string>;
  /** Export HTML next to the executed notebook. Default `true`. */
  html?: boolean;
  /** Sign the executed notebook so its charts show when reopened. Default `true`. */
  sign?: boolean;
  /** Seconds a single cell may run. Default `600`. */
  cellTimeout?: number;
  /** A line (what ran on which data) shown at the top of the HTML page and kept in the notebook's metadata. */
  header?: string;
  /** When set, progress on stderr as cells run (for a terminal): this prefix, then "cell N/M", on one rewritten line. */
  progress?: string;
}

/** The first error a notebook raised. */
export interface NotebookError {
  /** 1-based number of the code cell, counting code cells only. */
  cell: number;
  ename: string;
  evalue: string;
}

/** What happened to one notebook. */
export interface NotebookRun {
  notebook: string;
  /** The executed notebook, when execution finished (with or without a cell error). */
  executed?: string;
  html?: string;
  seconds: number;
  /** The first cell error, or a failure of Jupyter itself. */
  error?: NotebookError | { message: string };
}

/** A cell of an `.ipynb` file, as far as threatlab reads it. */
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
  outputs?: { output_type: string; ename?: string; evalue?: string; data?: Record<string, unknown>; text?: string | string[] }[];
}

/** Returns the cells of a notebook file. */
export function readNotebookCells(path: string): NotebookCell[] {
  return (JSON.parse(readFileSync(path, "utf8")) as { cells: NotebookCell[] }).cells;
}

/** The Python helper that executes, signs and exports one notebook (see its docstring). */
export const RUNNER_SCRIPT = join(projectRoot(), "lib", "jupyter", "run_notebook.py");

/**
 * Executes one notebook on this checkout's kernel, stopping at the first failing cell, and writes
 * `OUT/NAME.ipynb` (and `NAME.html`). A cell error does not throw: it is returned in `error`, and
 * the executed notebook is kept so the reader can see where it stopped.
 */
export function executeNotebook(jupyter: Jupyter, notebook: string, options: ExecuteNotebookOptions): NotebookRun {
  const { outDir, env = {}, html = true, sign = true, cellTimeout = 600, header, progress } = options;
  const started = Date.now();
  const name = basename(notebook, ".ipynb");
  mkdirSync(outDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), "threatlab-run-"));
  const elapsed = (): number => (Date.now() - started) / 1000;
  try {
    const jupyterPath = writeKernelSpec(join(staging, "jupyter"));
    const executed = join(staging, `${name}.ipynb`);
    const exported = join(staging, `${name}.html`);
    const args = [RUNNER_SCRIPT, notebook, executed, "--kernel", KERNEL_NAME, "--timeout", String(cellTimeout)];
    if (html) args.push("--html", exported);
    if (sign) args.push("--sign");
    if (header !== undefined) args.push("--header", header);
    if (progress !== undefined) args.push("--progress", progress);
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...JUPYTER_ENV, ...env };
    const run = spawnSync(jupyter.python, args, {
      encoding: "utf8",
      // Progress goes straight to the terminal; without it, stderr is kept for the failure message.
      stdio: ["ignore", "pipe", progress === undefined ? "pipe" : "inherit"],
      env: {
        ...childEnv,
        // This checkout's kernel comes first, whatever kernel is registered under the same name.
        JUPYTER_PATH: [jupyterPath, childEnv.JUPYTER_PATH].filter(Boolean).join(delimiter),
      },
    });
    const lastLine = (text: string): string => text.trim().split("\n").filter(Boolean).pop() ?? "";
    let reply: { error: NotebookError | null };
    try {
      reply = JSON.parse(lastLine(run.stdout ?? ""));
    } catch {
      const why = run.error?.message ?? (lastLine(run.stderr ?? "") || `exit status ${run.status}`);
      return { notebook, seconds: elapsed(), error: { message: `Jupyter could not run it: ${why}` } };
    }
    const result: NotebookRun = { notebook, seconds: 0, error: reply.error ?? undefined };
    if (html) {
      result.html = join(outDir, `${name}.html`);
      renameSync(exported, result.html);
    }
    result.executed = join(outDir, `${name}.ipynb`);
    renameSync(executed, result.executed);
    result.seconds = elapsed();
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
