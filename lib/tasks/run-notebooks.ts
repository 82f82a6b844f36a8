/**
 * `npm start`: executes every tutorial notebook, in order, headlessly through Jupyter on the
 * threatlab kernel, on the sample data or on the file named by THREATLAB_DATA, and writes the
 * executed notebooks and their HTML to out/.
 */
import { readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError } from "../errors";
import { readLogs } from "../io/read-logs";
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

function main(): number {
  const root = projectRoot();
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error(`threatlab: Jupyter was not found, so the notebooks cannot run; ${HOW_TO_GET_JUPYTER} (or run npm run setup)`);
    return 2;
  }
  const data = chosenData();
  try {
    readLogs(data);
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`threatlab: cannot run the notebooks on this data: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const outDir = join(root, "out");
  const notebooks = tutorialNotebooks(root);
  const shown = (p: string): string => relative(process.env.INIT_CWD ?? process.cwd(), p) || p;
  console.log(`Running ${notebooks.length} notebooks on ${shown(data)} with Jupyter nbconvert ${jupyter.versions.nbconvert}`);
  const runs = notebooks.map((notebook, i) => {
    process.stdout.write(`[${i + 1}/${notebooks.length}] ${relative(root, notebook)} … `);
    const run = executeNotebook(jupyter, notebook, { outDir, env: { THREATLAB_DATA: data } });
    console.log(describeRun(run));
    return run;
  });
  const failed = runs.filter((r) => r.error);
  if (failed.length > 0) {
    console.error(`threatlab: ${failed.length} of ${runs.length} notebooks failed; the executed copies in ${shown(outDir)} show where they stopped`);
    return 1;
  }
  console.log(`Done: executed notebooks and their HTML are in ${shown(outDir)}/ (open ${shown(runs[0].html ?? outDir)} in a browser)`);
  return 0;
}

if (require.main === module) process.exitCode = main();
