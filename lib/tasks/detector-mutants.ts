/**
 * The detectors' mutants (see mutation.ts) and the tests that should notice each.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { RULE_LIST } from "../detect/suite";
import { declaration, escapeRegExp, type Mutant } from "./mutation";

/** The repository's root, from `lib/tasks` or `dist/tasks` alike. */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/** The model's one scoring method, which the `alike` mutant makes return the same score for every window. */
const MODEL_SCORE = { file: "lib/detect/isolation-forest.ts", method: "score" };

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Returns the file under `lib/detect` that declares `export function name(`, relative to the root. */
function declaringFile(name: string): string {
  const found = sourceFiles("lib/detect").filter((f) => declaration(name, "nothing").test(readFileSync(join(REPO_ROOT, f), "utf8")));
  if (found.length !== 1) throw new Error(`mutant: ${name} is declared in ${found.length} files of lib/detect`);
  return found[0].split(sep).join("/");
}

/**
 * Returns every mutant: for each rule of the suite, its `detect` (and `steps`, where it has them)
 * returning nothing; and the isolation forest's score returning 0.5 for every window.
 * @example
 * detectorMutants().map((m) => `${m.rule}:${m.mode}`).slice(0, 2) // => ["brute_force:nothing", "password_spray:nothing"]
 */
export function detectorMutants(): Mutant[] {
  const mutants: Mutant[] = RULE_LIST.map((rule) => {
    const functions = [rule.detect.name, ...("steps" in rule && rule.steps ? [rule.steps.name] : [])];
    const file = declaringFile(functions[0]);
    const source = readFileSync(join(REPO_ROOT, file), "utf8");
    const objectName = new RegExp(`^export const (\\w+): Rule<"${escapeRegExp(rule.name)}"`, "m").exec(source)?.[1];
    return { rule: rule.name, mode: "nothing", file, functions, words: [`"${rule.name}"`, ...functions, ...(objectName ? [objectName] : [])] };
  });
  mutants.push({
    rule: "isolation_forest",
    mode: "alike",
    file: MODEL_SCORE.file,
    functions: [MODEL_SCORE.method],
    words: ['"isolation_forest"', "IsolationForest", "isolationForest"],
  });
  return mutants;
}

/** Folders whose tests run the built CLI or other programs, which a mutant of the sources cannot reach, or test the code's structure. */
const OUT_OF_REACH = ["test/cli/", "test/notebooks/", "test/tasks/", "test/docs/", "test/structure/"];

/**
 * Returns the test files (relative to the root) that name the mutant's rule, its functions or its
 * rule object: the tests of that rule that a mutant of the sources can reach.
 */
export function testsOf(mutant: Mutant): string[] {
  return sourceFiles("test")
    .map((f) => f.split(sep).join("/"))
    .filter((f) => f.endsWith(".test.ts") && !OUT_OF_REACH.some((dir) => f.startsWith(dir)))
    .filter((f) => {
      const text = readFileSync(join(REPO_ROOT, f), "utf8");
      return mutant.words.some((w) => text.includes(w));
    })
    .sort();
}

