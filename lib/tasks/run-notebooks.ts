/**
 * `npm start`: executes every notebook, in order, headlessly through Jupyter on the threatlab
 * kernel, on the bundled data or on the file named by THREATLAB_DATA, and writes the executed
 * notebooks and their HTML to out/. A THREATLAB_DATA that is not in the tutorial's CSV format (an
 * auth.log, Windows events, Zeek) skips the tutorial steps that need that format.
 */
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { InputError, OptionError } from "../errors";
import { ingestLogs, sniffFormat } from "../io/ingest/ingest";
import { checkReadable, readLogs } from "../io/read-logs";
import { terminalSafe } from "../terminal";
import { HOW_TO_GET_JUPYTER, findJupyter } from "../jupyter/find-jupyter";
import { executeNotebook, type NotebookRun } from "../jupyter/execute-notebooks";
import { projectRoot, samplePath } from "../shared/paths";

/** Returns the tutorial notebooks (`notebooks/NN-*.ipynb`), in course order. */
export function tutorialNotebooks(root: string = projectRoot()): string[] {
  const dir = join(root, "notebooks");
  return readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export const START_USAGE = `usage: npm start [-- NOTEBOOK…]
Executes the notebooks (all eleven, or those named: 03, 3, 03-analyze or a path) on the bundled data or on
THREATLAB_DATA, and writes the executed notebooks and their HTML to out/, replacing the last run's.`;

/**
 * Returns the notebooks chosen on the command line, in course order (all of them when none is
 * named), or throws an {@link OptionError} naming the notebooks there are.
 * @example
 * selectNotebooks(tutorialNotebooks(), ["5", "03-analyze"]) // => [".../03-analyze.ipynb", ".../05-visualize.ipynb"]
 */
export function selectNotebooks(all: readonly string[], args: readonly string[]): string[] {
  if (args.length === 0) return [...all];
  const chosen = new Set<string>();
  for (const arg of args) {
    const wanted = basename(arg).replace(/\.ipynb$/, "");
    const match = /^\d{1,2}$/.test(wanted)
      ? all.find((p) => Number(basename(p).slice(0, 2)) === Number(wanted))
      : all.find((p) => basename(p, ".ipynb") === wanted);
    if (!match) throw new OptionError(`there is no notebook ${JSON.stringify(arg)}; choose from ${all.map((p) => basename(p, ".ipynb")).join(", ")} (by name or number)`);
    chosen.add(match);
  }
  return all.filter((p) => chosen.has(p));
}

/**
 * Returns the data file to run on: THREATLAB_DATA made absolute against the folder the user ran
 * npm from (npm itself runs scripts from the project root), else the bundled sample.
 */
export function chosenData(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.THREATLAB_DATA?.trim();
  return chosen ? resolve(env.INIT_CWD ?? process.cwd(), chosen) : samplePath();
}

/** Returns a one-line account of a notebook run. */
export function describeRun(run: NotebookRun): string {
  if (!run.error) return `ok (${run.seconds.toFixed(1)} s)`;
  if ("cell" in run.error) return `failed in code cell ${run.error.cell}: ${run.error.ename}: ${run.error.evalue}`;
  return `failed: ${run.error.message}`;
}

/** What data a notebook reads (its `metadata.threatlab.data`): the tutorial's CSV, any log, or none. */
export type NotebookData = "tutorial-csv" | "any" | "none";

/** Returns what data a notebook reads, from its metadata ("none" when it does not say). */
export function notebookData(path: string): NotebookData {
  const metadata = (JSON.parse(readFileSync(path, "utf8")) as { metadata?: { threatlab?: { data?: NotebookData } } }).metadata;
  return metadata?.threatlab?.data ?? "none";
}

/**
 * Checks the chosen data and returns its format, or throws an {@link InputError}: tutorial
 * notebooks need the tutorial's CSV; the bring-your-own-logs notebook reads any supported format.
 */
export async function checkData(data: string): Promise<string> {
  checkReadable(data, "");
  const format = await sniffFormat(data);
  if (format === "tutorial-csv") readLogs(data);
  else await ingestLogs(data, { year: Number(process.env.THREATLAB_YEAR) || undefined, tz: process.env.THREATLAB_TZ || undefined });
  return format;
}

/**
 * Removes the executed notebooks and pages a previous run left in `outDir` (`NN-*.ipynb`,
 * `NN-*.html`), so it holds one run; anything else there (a report folder) stays.
 */
export function clearPreviousRun(outDir: string): void {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return;
  }
  for (const name of names) if (/^\d\d-.*\.(ipynb|html)$/.test(name)) rmSync(join(outDir, name), { force: true });
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(START_USAGE);
    return 0;
  }
  const root = projectRoot();
  let notebooks: string[];
  try {
    notebooks = selectNotebooks(tutorialNotebooks(root), args);
  } catch (error) {
    console.error(terminalSafe(`threatlab: ${(error as Error).message}`));
    return 2;
  }
  // The data first: a missing or unreadable THREATLAB_DATA is one line, whether Jupyter is here or not.
  const data = chosenData();
  const chosen = Boolean(process.env.THREATLAB_DATA?.trim());
  let format: string;
  try {
    format = await checkData(data);
  } catch (error) {
    if (error instanceof InputError || error instanceof OptionError) {
      console.error(terminalSafe(`threatlab: cannot run the notebooks on this data: ${error.message}`));
      return 2;
    }
    throw error;
  }
  const jupyter = findJupyter(process.env);
  if (!jupyter) {
    console.error(`threatlab: Jupyter was not found, so the notebooks cannot run; ${HOW_TO_GET_JUPYTER}`);
    return 2;
  }
  const outDir = join(root, "out");
  const shown = (p: string): string => relative(process.env.INIT_CWD ?? process.cwd(), p) || p;
  const what = chosen ? `${shown(data)} (${format})` : `the bundled samples (${shown(data)} for the tutorial steps)`;
  const count = notebooks.length === 1 ? "1 notebook" : `${notebooks.length} notebooks`;
  console.log(terminalSafe(`Running ${count} on ${what} with Jupyter nbconvert ${jupyter.versions.nbconvert}; out/ is cleared first`));
  clearPreviousRun(outDir);
  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  const onTerminal = Boolean(process.stdout.isTTY && process.stderr.isTTY);
  const runs: NotebookRun[] = [];
  notebooks.forEach((notebook, i) => {
    const prefix = `[${i + 1}/${notebooks.length}] ${relative(root, notebook)} … `;
    const kind = notebookData(notebook);
    if (kind === "tutorial-csv" && format !== "tutorial-csv") {
      console.log(`${prefix}skipped: it reads the tutorial's CSV format, and THREATLAB_DATA is ${format}`);
      return;
    }
    // Tutorial steps read the chosen CSV or the tutorial's sample; "bring your own logs" reads the
    // chosen file, or all the bundled samples when none was chosen.
    const env: Record<string, string> = kind === "tutorial-csv" || chosen ? { THREATLAB_DATA: data } : {};
    const reads =
      kind === "none" ? "no input file (it makes its own data)" : env.THREATLAB_DATA ? `${env.THREATLAB_DATA} (${kind === "any" ? format : "tutorial-csv"})` : "the bundled samples in data/samples/";
    const header = `threatlab: ${basename(notebook)} executed by npm start on ${when} UTC; data: ${reads}`;
    if (!onTerminal) process.stdout.write(prefix);
    const run = executeNotebook(jupyter, notebook, { outDir, env, header, progress: onTerminal ? terminalSafe(prefix) : undefined });
    console.log(`${onTerminal ? prefix : ""}${describeRun(run)}`);
    runs.push(run);
  });
  const failed = runs.filter((r) => r.error);
  if (failed.length > 0) {
    console.error(`threatlab: ${failed.length} of ${runs.length} notebooks failed; the executed copies in ${shown(outDir)} show where they stopped`);
    return 1;
  }
  const first = runs[0]?.html;
  console.log(`Done: executed notebooks and their HTML are in ${shown(outDir)}/${first ? ` (open ${shown(first)} in a browser)` : ""}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
