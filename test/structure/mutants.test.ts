/**
 * The mutants of `npm run mutants` (lib/tasks/mutation.ts, detector-mutants.ts): each is applied
 * where it says and nowhere else, a mutant that cannot be applied is an error, and every detector
 * of the suite has one with tests to run. Running them is `npm run mutants` (20 minutes or so).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { RULE_LIST } from "../../lib/detect/suite";
import { detectorMutants, testsOf } from "../../lib/tasks/detector-mutants";
import { mutantPlugin, mutateSource } from "../../lib/tasks/mutation";
import { ROOT } from "../helpers";

const SOURCE = [
  "export function detectA(frame: F, options: O = {}): D[] {",
  "  return work(frame);",
  "}",
  "export function* stepsA(frame: F): Generator<void, D[]> {",
  "  yield;",
  "  return work(frame);",
  "}",
  "class Forest {",
  "  score(row: readonly number[]): number {",
  "    return depth(row);",
  "  }",
  "}",
].join("\n");

describe("mutateSource", () => {
  it("makes the named functions return nothing at once and leaves the rest of the text as it was", () => {
    const out = mutateSource(SOURCE, ["detectA", "stepsA"], "nothing").split("\n");
    expect(out[0]).toBe("export function detectA(frame: F, options: O = {}): D[] { return [];");
    expect(out[3]).toBe("export function* stepsA(frame: F): Generator<void, D[]> { return [];");
    expect(out.filter((_, i) => i !== 0 && i !== 3)).toEqual(SOURCE.split("\n").filter((_, i) => i !== 0 && i !== 3));
  });

  it("makes a method return the same score for every row in the alike mode", () => {
    const out = mutateSource(SOURCE, ["score"], "alike").split("\n");
    expect(out[8]).toBe("  score(row: readonly number[]): number { return 0.5;");
    expect(out.filter((l) => l.includes("return 0.5"))).toHaveLength(1);
  });

  it("refuses a function that is missing, or declared twice, rather than leave the code unbroken", () => {
    expect(() => mutateSource(SOURCE, ["detectB"], "nothing")).toThrow("expected one declaration of detectB, found 0");
    expect(() => mutateSource(`${SOURCE}\n${SOURCE.split("\n")[0]}\n}`, ["detectA"], "nothing")).toThrow("found 2");
    // a call or a mention is not a declaration
    expect(() => mutateSource("const x = detectA(frame);\n// see detectA(", ["detectA"], "nothing")).toThrow("found 0");
  });
});

describe("the detectors' mutants", () => {
  const mutants = detectorMutants();

  it("break every rule of the suite so that it finds nothing, and the model so that it scores alike", () => {
    expect(mutants.filter((m) => m.mode === "nothing").map((m) => m.rule).sort()).toEqual(RULE_LIST.map((r) => r.name).sort());
    expect(mutants.filter((m) => m.mode === "alike").map((m) => m.rule)).toEqual(["isolation_forest"]);
  });

  it.each(mutants.map((m) => [`${m.rule} (${m.mode})`, m] as const))("%s applies to its source, which still parses, and has tests to run", (_, mutant) => {
    const source = readFileSync(join(ROOT, mutant.file), "utf8");
    const mutated = mutateSource(source, mutant.functions, mutant.mode);
    expect(mutated).not.toBe(source);
    const { diagnostics } = ts.transpileModule(mutated, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    expect(diagnostics ?? []).toEqual([]);
    expect(testsOf(mutant).length).toBeGreaterThan(0);
    expect(testsOf(mutant).every((f) => !f.startsWith("test/cli/") && !f.startsWith("test/notebooks/"))).toBe(true);
  });

  it("are applied by the plugin to their own file alone", () => {
    const mutant = mutants[0];
    const file = join(ROOT, mutant.file);
    const plugin = mutantPlugin(JSON.stringify({ ...mutant, file }));
    const source = readFileSync(file, "utf8");
    expect(plugin.transform(source, `${file}?v=1`)).toContain(`${mutant.functions[0]}(`);
    expect(plugin.transform(source, `${file}?v=1`)).not.toBe(source);
    expect(plugin.transform(source, join(ROOT, "lib/detect/suite.ts"))).toBeNull();
    expect(mutantPlugin(undefined).transform(source, file)).toBeNull();
  });
});
