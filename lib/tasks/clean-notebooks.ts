/**
 * `npm run clean-notebooks [-- --check] [FILE.ipynb…]`: strips outputs, execution counts and
 * session metadata from the notebooks (all of notebooks/ and notebooks/solutions/ by default), so
 * they can be committed or handed out fresh. With --check nothing is written: it lists the notebooks
 * that are not clean and exits 1 if there are any.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { writeAtomic } from "../io/atomic-write";
import { cleanNotebookText } from "../jupyter/clean-notebook";
import { projectRoot } from "../shared/paths";

/** Returns every committed notebook: notebooks/*.ipynb and notebooks/solutions/*.ipynb, sorted. */
export function allNotebooks(root: string = projectRoot()): string[] {
  const found: string[] = [];
  for (const dir of [join(root, "notebooks"), join(root, "notebooks", "solutions")]) {
    found.push(...readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f)));
  }
  return found;
}

function main(args: string[]): number {
  const check = args.includes("--check");
  const unknown = args.find((a) => a.startsWith("-") && a !== "--check");
  if (unknown) {
    console.error(`threatlab: unknown option ${unknown}; usage: npm run clean-notebooks [-- --check] [FILE.ipynb…]`);
    return 2;
  }
  const root = projectRoot();
  const named = args.filter((a) => !a.startsWith("-")).map((a) => resolve(process.env.INIT_CWD ?? process.cwd(), a));
  const notebooks = named.length > 0 ? named : allNotebooks(root);
  const changed: string[] = [];
  for (const path of notebooks) {
    let text: string;
    let clean: string;
    try {
      text = readFileSync(path, "utf8");
      clean = cleanNotebookText(text);
    } catch (error) {
      const why = error instanceof SyntaxError ? `not a notebook (not JSON: ${error.message})` : (error as Error).message;
      console.error(`threatlab: ${path}: ${why}`);
      return 2;
    }
    if (clean === text) continue;
    changed.push(relative(root, path));
    if (!check) writeAtomic(path, (temporary) => writeFileSync(temporary, clean));
  }
  if (check) {
    if (changed.length === 0) console.log(`All ${notebooks.length} notebooks are clean.`);
    else console.error(`threatlab: ${changed.length} notebook${changed.length === 1 ? " is" : "s are"} not clean (outputs, execution counts or session metadata): ${changed.join(", ")}; run npm run clean-notebooks`);
    return changed.length === 0 ? 0 : 1;
  }
  console.log(changed.length === 0 ? `All ${notebooks.length} notebooks were already clean.` : `Cleaned ${changed.length} of ${notebooks.length} notebooks: ${changed.join(", ")}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
