/** docs/workshop.md matches the notebooks, the exercises and the commands it tells instructors to run. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNotebookCells } from "../../lib/jupyter/execute-notebooks";
import { EXERCISES } from "../../lib/exercises/exercises";
import { tutorialNotebooks } from "../../lib/tasks/run-notebooks";
import { ROOT } from "../helpers";

const guide = readFileSync(join(ROOT, "docs", "workshop.md"), "utf8");
const notebooks = tutorialNotebooks(ROOT).map((p) => ({ path: p, file: p.split("/").pop()! }));
/** The guide's section on each notebook: from its "### NN-….ipynb" heading to the next heading. */
const sections = [...guide.matchAll(/^### (\d\d-[\w-]+\.ipynb) — (.+)\n([\s\S]*?)(?=^#{2,3} )/gm)].map((m) => ({ file: m[1], title: m[2], body: m[3] }));

describe("docs/workshop.md", () => {
  it("has a section for every notebook, in course order, titled as the notebook is", () => {
    expect(sections.map((s) => s.file)).toEqual(notebooks.map((n) => n.file));
    for (const { path } of notebooks) {
      const section = sections.find((s) => path.endsWith(s.file))!;
      const heading = (readNotebookCells(path)[0].source as string[]).join("").split("\n")[0].toLowerCase();
      expect(heading).toContain(section.title.toLowerCase());
      expect(section.body).toMatch(/\*\*Goals:\*\*/);
      expect(section.body).toMatch(/\*\*Say:\*\*/);
    }
  });

  it("lists each notebook's exercises in its section, and no exercise that does not exist", () => {
    for (const section of sections) {
      const step = Number(section.file.slice(0, 2));
      const expected = EXERCISES.filter((e) => e.id.startsWith(`${step}.`)).map((e) => e.id);
      const listed = /\*\*Exercises:\*\*([^*]*)/.exec(section.body)?.[1] ?? "";
      expect([...listed.matchAll(/\b(\d+\.\d)\b/g)].map((m) => m[1]).filter((id, i, all) => all.indexOf(id) === i)).toEqual(expected);
    }
    const mentioned = new Set([...guide.matchAll(/(?:exercises?|Exercises:\*\*)[^.\n]*?\b(\d+\.\d)\b/gi)].map((m) => m[1]));
    for (const id of mentioned) expect(EXERCISES.map((e) => e.id)).toContain(id);
  });

  it("times every notebook in the half-day (1–6) and full-day (7–11) plans", () => {
    const [halfDay, fullDay] = guide.split(/^\*\*Full day/m);
    for (const { file } of notebooks.slice(0, 6)) expect(halfDay).toContain(`| ${file.replace(".ipynb", "")} |`);
    for (const { file } of notebooks.slice(6)) expect(fullDay).toContain(`| ${file.replace(".ipynb", "")} |`);
  });

  it("every npm run command it names exists", () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    const named = [...guide.matchAll(/npm run ([\w-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(5);
    for (const script of named) expect(scripts).toContain(script);
  });

  it("covers the pitfalls, resetting and running offline", () => {
    for (const topic of ["Kernel not found", "Stale compiled output", "Untrusted notebook shows blank charts", "## Resetting", "A room without network", "npm ci --offline --cache"]) {
      expect(guide).toContain(topic);
    }
  });
});
