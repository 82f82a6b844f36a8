/**
 * The library's structure, checked: every import runs down the flow, and the CLI only parses,
 * calls the library and prints.
 *
 * The flow: the low floor (lib/shared and the base files at lib/'s top) → io and generate →
 * analyze → detect → alerts → evaluate and visualize → report, notebook, exercises and jupyter →
 * cli and tasks → the index. A report holds figures, so visualize comes before report (the issue
 * that asked for this check wrote "evaluate/report → visualize/notebook"; drawing a report's
 * figures outside the library would be the worse departure).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../helpers";

/** Each area of lib/ (a folder, or a file at lib/'s top) and its place in the flow. */
const RANK: Record<string, number> = {
  shared: 0, "errors.ts": 0, "time.ts": 0, "schema.ts": 0, "html.ts": 0, "net.ts": 0, "terminal.ts": 0,
  io: 1, generate: 1,
  analyze: 2,
  detect: 3,
  alerts: 4,
  evaluate: 5, visualize: 5,
  report: 6, notebook: 6, exercises: 6, jupyter: 6,
  cli: 7, tasks: 7,
  "index.ts": 8,
};

/** Returns every .ts file below a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** Returns "FILE -> SPECIFIER" for every relative import in `lib` that runs up the flow or leaves the known areas. */
function importsAgainstTheFlow(lib: string): string[] {
  const area = (path: string): string => relative(lib, path).split("/")[0];
  const found: string[] = [];
  for (const file of sources(lib)) {
    const from = area(file);
    for (const m of readFileSync(file, "utf8").matchAll(/(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"/g)) {
      const target = normalize(join(dirname(file), m[1]));
      let to = area(target);
      if (!(to in RANK) && `${to}.ts` in RANK) to = `${to}.ts`;
      if (to === from) continue;
      if (!(from in RANK) || !(to in RANK) || RANK[to] > RANK[from]) found.push(`${relative(lib, file)} -> ${m[1]}`);
    }
  }
  return found;
}

describe("the library's structure", () => {
  it("every area of lib/ has a place in the flow", () => {
    expect(readdirSync(join(ROOT, "lib")).filter((name) => name.endsWith(".ts") || statSync(join(ROOT, "lib", name)).isDirectory()).filter((a) => !(a in RANK))).toEqual([]);
  });

  it("no import runs back up the flow", () => {
    expect(importsAgainstTheFlow(join(ROOT, "lib"))).toEqual([]);
  });

  it("control: the check sees an import up the flow, and one into an area it does not know", () => {
    const lib = tempDir();
    for (const dir of ["generate", "detect", "misc"]) mkdirSync(join(lib, dir));
    writeFileSync(join(lib, "detect", "rule.ts"), 'import { createRng } from "../generate/rng";\n');
    writeFileSync(join(lib, "generate", "scenario.ts"), 'import { quantileLinear } from "../detect/quantile";\nimport { x } from "./local";\n');
    writeFileSync(join(lib, "misc", "a.ts"), 'export { y } from "../detect/rule";\n');
    expect(importsAgainstTheFlow(lib).sort()).toEqual(["generate/scenario.ts -> ../detect/quantile", "misc/a.ts -> ../detect/rule"]);
  });

  it("only the top levels read the environment: the CLI, the tasks, and the notebooks' choice of data", () => {
    // Handing the whole environment to a child process (`...process.env`) is not reading it.
    const reads = /process\.env(?:\.\w|\[)|=\s*process\.env\b/;
    const top = (file: string) => /^lib\/(cli|tasks)\//.test(file) || file === "lib/notebook/own-logs.ts";
    const readers = sources(join(ROOT, "lib")).map((f) => relative(ROOT, f)).filter((f) => reads.test(readFileSync(join(ROOT, f), "utf8")));
    expect(readers.filter((f) => !top(f))).toEqual([]);
    // control: the pattern sees a read and a default, and lets a child's environment through
    expect(["x = process.env.THREATLAB_DATA", 'process.env["A"]', "f(env = process.env)", "{ ...process.env, A: 1 }"].map((t) => reads.test(t))).toEqual([true, true, true, false]);
  });

  it("the CLI makes no polars calls: choosing how to read a file is the library's", () => {
    for (const file of sources(join(ROOT, "lib", "cli"))) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/^import (?!type )[^;]*from "nodejs-polars"/m);
      expect(text, file).not.toMatch(/\bpl\.\w+\(/);
    }
  });
});
