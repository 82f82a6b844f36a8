/**
 * The public API is deliberate: lib/index.ts names every export (no `export *`), the notebooks and
 * the README find every name they import there, internals stay out, and every public export has
 * TSDoc (tslab shows it on Shift+Tab), every public function with an `@example`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import * as api from "../../lib";
import { ROOT } from "../helpers";

const INDEX = join(ROOT, "lib", "index.ts");
const index = readFileSync(INDEX, "utf8");

/** Every `export { … } from "…"` of the index: name, whether a type, and the module file. */
const exported = [...index.matchAll(/export \{ ([^}]*) \} from "([^"]+)";/g)].flatMap((m) =>
  m[1].split(",").map((n) => ({ name: n.trim().replace(/^type /, ""), type: n.trim().startsWith("type "), file: `${normalize(join(dirname(INDEX), m[2]))}.ts` })),
);

/** The TSDoc right above a name's declaration in its module, or undefined. */
function tsdoc(name: string, file: string): string | undefined {
  const declaration = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*\\nexport (?:declare )?(?:async )?(?:function\\*? |const |let |class |interface |type |enum )${name}\\b`);
  return declaration.exec(readFileSync(file, "utf8"))?.[1];
}

/** Names the notebooks (and their solutions) and the README import from dist. */
function namesImportedFromDist(): string[] {
  const texts = [readFileSync(join(ROOT, "README.md"), "utf8")];
  for (const dir of ["notebooks", join("notebooks", "solutions")]) {
    for (const name of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ipynb"))) {
      const cells = JSON.parse(readFileSync(join(ROOT, dir, name), "utf8")).cells as { source: string | string[] }[];
      texts.push(...cells.map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)));
    }
  }
  return [...new Set(texts.flatMap((t) => [...t.matchAll(/import \{([^}]*)\} from "(?:\.\.?\/)+dist"/g)].flatMap((m) => m[1].split(",").map((n) => n.trim()).filter(Boolean))))];
}


describe("the public API", () => {
  it("lib/index.ts names what it exports: no export *", () => {
    expect(index).not.toMatch(/export \*/);
    expect(exported.length).toBeGreaterThan(100);
  });

  it("every name the notebooks, their solutions and the README import from dist is exported", () => {
    const names = namesImportedFromDist();
    expect(names.length).toBeGreaterThan(50);
    // A type-only import (`type RedTeamOptions`) names a type the index exports as one.
    expect(names.filter((n) => (n.startsWith("type ") ? !new RegExp(`\\b${n}\\b`).test(index) : !(n in api)))).toEqual([]);
  });

  it("internals stay internal", () => {
    for (const name of ["sharedStrings", "finishSteps", "splitCsvLine", "entityParts", "detectorView", "trackTemporary", "collectEvents", "windowFeatures"]) expect(name in api, name).toBe(false);
  });

  it("every public export has TSDoc, and every public function an @example", () => {
    expect(exported.filter((e) => !tsdoc(e.name, e.file)).map((e) => e.name)).toEqual([]);
    const functions = exported.filter((e) => !e.type && typeof (api as Record<string, unknown>)[e.name] === "function" && !/^[A-Z]/.test(e.name));
    expect(functions.length).toBeGreaterThan(100);
    expect(functions.filter((e) => !tsdoc(e.name, e.file)!.includes("@example")).map((e) => e.name)).toEqual([]);
  });
});
