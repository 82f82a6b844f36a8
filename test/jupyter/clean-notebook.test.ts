import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanNotebookText } from "../../lib/jupyter/clean-notebook";
import { allNotebooks } from "../../lib/tasks/clean-notebooks";
import { ROOT, tempDir, writeFixture } from "../helpers";

/** A notebook as a session leaves it: outputs, counts, UI state, kernel versions, a signature. */
const DIRTY = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: "threatlab", display_name: "TypeScript (threatlab)", language: "typescript", env: { X: "1" } },
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.0.4", codemirror_mode: { mode: "typescript" } },
    threatlab: { data: "tutorial-csv" },
    widgets: { "application/vnd.jupyter.widget-state+json": {} },
    toc: { number_sections: true },
  },
  cells: [
    { id: "a", cell_type: "markdown", metadata: { collapsed: true }, source: "# Title\n\nText", attachments: { "x.png": { "image/png": "iVBOR" } } },
    {
      id: "b",
      cell_type: "code",
      metadata: { tags: ["figure"], scrolled: true, execution: { "iopub.status.busy": "2026-01-01" }, jupyter: { outputs_hidden: true } },
      source: ["showFigure(f)"],
      execution_count: 7,
      outputs: [{ output_type: "stream", name: "stdout", text: ["hi\n"] }],
    },
    { id: "c", cell_type: "code", metadata: { tags: [] }, source: "", execution_count: 8, outputs: [] },
  ],
};

/** The same notebook cleaned, written out by hand, keys in sorted order. */
const CLEAN = {
  cells: [
    { attachments: { "x.png": { "image/png": "iVBOR" } }, cell_type: "markdown", id: "a", metadata: {}, source: ["# Title\n", "\n", "Text"] },
    { cell_type: "code", execution_count: null, id: "b", metadata: { tags: ["figure"] }, outputs: [], source: ["showFigure(f)"] },
    { cell_type: "code", execution_count: null, id: "c", metadata: {}, outputs: [], source: [] },
  ],
  metadata: {
    kernelspec: { display_name: "TypeScript (threatlab)", language: "typescript", name: "threatlab" },
    language_info: { file_extension: ".ts", mimetype: "text/typescript", name: "typescript" },
    threatlab: { data: "tutorial-csv" },
  },
  nbformat: 4,
  nbformat_minor: 5,
};

const CLEAN_NOTEBOOKS = join(ROOT, "dist", "tasks", "clean-notebooks.js");
const cleanCli = (...args: string[]) => spawnSync(process.execPath, [CLEAN_NOTEBOOKS, ...args], { encoding: "utf8", cwd: ROOT });

describe("cleaning notebooks", () => {
  it("strips outputs, execution counts and session metadata; keeps tags, attachments, the kernel and threatlab's metadata", () => {
    const cleaned = cleanNotebookText(JSON.stringify(DIRTY));
    expect(JSON.parse(cleaned)).toEqual(CLEAN);
    expect(cleaned).toBe(`${JSON.stringify(CLEAN, null, 1)}\n`);
    expect(cleanNotebookText(cleaned)).toBe(cleaned);
  });

  it.each(allNotebooks(ROOT).map((p) => [p.slice(ROOT.length + 1), p] as const))("%s is committed clean: cleaning it changes nothing", (_, path) => {
    const text = readFileSync(path, "utf8");
    expect(cleanNotebookText(text)).toBe(text);
  });

  it("npm run clean-notebooks --check lists a dirty notebook and exits 1 without touching it; without --check it cleans it", () => {
    const dirty = writeFixture(tempDir(), "dirty.ipynb", JSON.stringify(DIRTY));
    const before = readFileSync(dirty, "utf8");
    const checked = cleanCli("--check", dirty);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toMatch(/^threatlab: 1 notebook is not clean .*dirty\.ipynb; run npm run clean-notebooks\n$/);
    expect(readFileSync(dirty, "utf8")).toBe(before);
    expect(cleanCli(dirty).status).toBe(0);
    expect(JSON.parse(readFileSync(dirty, "utf8"))).toEqual(CLEAN);
    expect(cleanCli("--check", dirty)).toMatchObject({ status: 0, stdout: "All 1 notebooks are clean.\n" });
  });

  it("a file that is not a notebook is named in one line, exit 2, and left as it was", () => {
    const broken = writeFixture(tempDir(), "broken.ipynb", '{"cells": [');
    const run = cleanCli(broken);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^threatlab: .*broken\.ipynb: not a notebook \(not JSON: .*\)\n$/);
    expect(readFileSync(broken, "utf8")).toBe('{"cells": [');
    expect(cleanCli("--force").status).toBe(2);
  });
});
