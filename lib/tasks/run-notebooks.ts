/**
 * `npm start`: executes every notebook, in order, headlessly through Jupyter on the threatlab
 * kernel, on the bundled data or on the file named by THREATLAB_DATA, and writes the executed
 * notebooks and their HTML to out/. A THREATLAB_DATA that is not in the tutorial's CSV format (an
 * auth.log, Windows events, Zeek) skips the tutorial steps that need that format.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError, OptionError } from "../errors";
import { ingestLogs, sniffFormat } from "../io/ingest/ingest";
import { checkReadable, readLogs } from "../io/read-logs";
import { terminalSafe } from "../terminal";
import { HOW_TO_GET_JUPYTER, findJupyter } from "../jupyter/find-jupyter";
import { executeNotebook, type NotebookRun } from "../jupyter/execute-notebooks";
import { projectRoot, samplePath } from "../notebook/paths";

/** Returns the tutorial notebooks (`notebooks/NN-*.ipynb`), in course order. */
export function tutorialNotebooks(root: string = projectRoot()): string[] {
  const dir = join(root, "notebooks");
  return readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => join(dir, f));
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

async function main(): Promise<number> {
  const root = projectRoot();
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
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error(`threatlab: Jupyter was not found, so the notebooks cannot run; ${HOW_TO_GET_JUPYTER} (or run npm run setup)`);
    return 2;
  }
  const outDir = join(root, "out");
  const notebooks = tutorialNotebooks(root);
  const shown = (p: string): string => relative(process.env.INIT_CWD ?? process.cwd(), p) || p;
  const what = chosen ? `${shown(data)} (${format})` : `the bundled samples (${shown(data)} for the tutorial steps)`;
  console.log(`Running ${notebooks.length} notebooks on ${what} with Jupyter nbconvert ${jupyter.versions.nbconvert}`);
  const runs: NotebookRun[] = [];
  notebooks.forEach((notebook, i) => {
    process.stdout.write(`[${i + 1}/${notebooks.length}] ${relative(root, notebook)} … `);
    const kind = notebookData(notebook);
    if (kind === "tutorial-csv" && format !== "tutorial-csv") {
      console.log(`skipped: it reads the tutorial's CSV format, and THREATLAB_DATA is ${format}`);
      return;
    }
    // Tutorial steps read the chosen CSV or the tutorial's sample; "bring your own logs" reads the
    // chosen file, or all the bundled samples when none was chosen.
    const env: Record<string, string> = kind === "tutorial-csv" || chosen ? { THREATLAB_DATA: data } : {};
    const run = executeNotebook(jupyter, notebook, { outDir, env });
    console.log(describeRun(run));
    runs.push(run);
  });
  const failed = runs.filter((r) => r.error);
  if (failed.length > 0) {
    console.error(`threatlab: ${failed.length} of ${runs.length} notebooks failed; the executed copies in ${shown(outDir)} show where they stopped`);
    return 1;
  }
  console.log(`Done: executed notebooks and their HTML are in ${shown(outDir)}/ (open ${shown(runs[0]?.html ?? outDir)} in a browser)`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
