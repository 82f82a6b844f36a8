/**
 * npm run setup's choices (the project's .venv first, a wheelhouse when there is one) and npm start's
 * (which notebooks, one run in out/, the data named in each page, progress per cell).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RUNNER_SCRIPT } from "../../lib/jupyter/execute-notebooks";
import { findJupyter, HOW_TO_GET_JUPYTER, venvJupyterPath, type Jupyter } from "../../lib/jupyter/find-jupyter";
import { describeWith, type Found } from "../external";
import { JUPYTER_REQUIREMENTS, jupyterLabMajor, pipInstallArgs, wheelhouse } from "../../lib/tasks/setup";
import { clearPreviousRun, selectNotebooks, tutorialNotebooks } from "../../lib/tasks/run-notebooks";
import { OptionError } from "../../lib/errors";
import { ROOT, tempDir, writeFixture } from "../helpers";
import { fakeJupyter } from "./fake-jupyter";

describe("npm run setup", () => {
  it("installs JupyterLab 4 and Notebook 7 with pip, from a wheelhouse alone when there is one", () => {
    expect(JUPYTER_REQUIREMENTS).toEqual(["jupyterlab>=4,<5", "notebook>=7,<8"]);
    expect(pipInstallArgs()).toEqual(["-m", "pip", "install", "--quiet", "jupyterlab>=4,<5", "notebook>=7,<8"]);
    expect(pipInstallArgs("/media/wheels")).toEqual(["-m", "pip", "install", "--quiet", "--no-index", "--find-links", "/media/wheels", "jupyterlab>=4,<5", "notebook>=7,<8"]);
  });

  it("finds the wheelhouse named by THREATLAB_WHEELHOUSE, else ROOT/wheelhouse when it exists, else none", () => {
    const root = tempDir();
    expect(wheelhouse(root, {})).toBeUndefined();
    mkdirSync(join(root, "wheelhouse"));
    expect(wheelhouse(root, {})).toBe(join(root, "wheelhouse"));
    expect(wheelhouse(root, { THREATLAB_WHEELHOUSE: "/media/wheels" })).toBe("/media/wheels");
  });

  it("accepts JupyterLab 4 only", () => {
    expect(jupyterLabMajor({ versions: { jupyterlab: "4.6.4" } })).toBe(4);
    expect(jupyterLabMajor({ versions: { jupyterlab: "3.6.8" } })).toBe(3);
    expect(jupyterLabMajor({ versions: {} })).toBe(0);
    expect(jupyterLabMajor(undefined)).toBe(0);
  });

  it("threatlab looks in the project's own .venv first, before any Jupyter on PATH; THREATLAB_JUPYTER overrides both", () => {
    const root = tempDir();
    const onPath = fakeJupyter(join(tempDir()), { nbconvert: "6.5.3", notebook: "6.4.12" });
    const env = { PATH: `${onPath.path.replace(/\/jupyter$/, "")}:${process.env.PATH}` };
    expect(findJupyter(env, root)?.command).toEqual([onPath.path]);
    mkdirSync(join(root, ".venv", "bin"), { recursive: true });
    const venv = fakeJupyter(join(root, ".venv", "bin"), { nbconvert: "7.17.1", jupyterlab: "4.6.4", notebook: "7.6.3" });
    expect(venv.path).toBe(venvJupyterPath(root));
    expect(findJupyter(env, root)?.command).toEqual([venvJupyterPath(root)]);
    expect(findJupyter(env, root)?.versions.jupyterlab).toBe("4.6.4");
    expect(findJupyter({ ...env, THREATLAB_JUPYTER: onPath.path }, root)?.command).toEqual([onPath.path]);
  });

  it("an unknown option is one line and exit 2, before anything is installed", () => {
    const run = spawnSync(process.execPath, [join(ROOT, "dist", "tasks", "setup.js"), "--sytem-jupyter"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("✗ unknown option --sytem-jupyter; npm run setup takes only --system-jupyter (use a Jupyter already installed instead of the project's .venv)\n");
  });
});

describe("npm ci", () => {
  it("every dependency with an install script is reviewed in package.json's allowScripts (npm 11 warns, npm 12 blocks)", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([path]) => path.split("node_modules/").pop()!);
    const reviewed = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).allowScripts as Record<string, boolean>;
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !(name in reviewed))).toEqual([]);
  });
});

describe("npm start", () => {
  const all = tutorialNotebooks(ROOT);
  const names = (paths: string[]): string[] => paths.map((p) => p.split("/").pop()!);

  it("runs every notebook, or those named by number, name or path, in course order and once each", () => {
    expect(selectNotebooks(all, [])).toEqual(all);
    expect(names(selectNotebooks(all, ["05", "3"]))).toEqual(["03-analyze.ipynb", "05-visualize.ipynb"]);
    expect(names(selectNotebooks(all, ["10-your-own-logs", "notebooks/01-setup.ipynb", "1"]))).toEqual(["01-setup.ipynb", "10-your-own-logs.ipynb"]);
  });

  it("clears the last run's notebooks and pages from out/, and nothing else", () => {
    const out = tempDir();
    for (const name of ["01-setup.ipynb", "01-setup.html", "09-evaluation.html", "notes.txt", "my-01.ipynb"]) writeFixture(out, name, "x");
    mkdirSync(join(out, "report"));
    clearPreviousRun(out);
    expect(readdirSync(out).sort()).toEqual(["my-01.ipynb", "notes.txt", "report"]);
    expect(() => clearPreviousRun(join(out, "missing"))).not.toThrow();
  });

  it("a notebook that does not exist is an option error naming the ones that do", () => {
    expect(() => selectNotebooks(all, ["12"])).toThrow(OptionError);
    expect(() => selectNotebooks(all, ["analyze"])).toThrow(/there is no notebook "analyze"; choose from 01-setup, 02-generate-logs, .*, 11-ready-for-ai-attacks \(by name or number\)/);
    const run = spawnSync(process.execPath, [join(ROOT, "dist", "tasks", "run-notebooks.js"), "07", "99"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('there is no notebook "99"');
  });
});

const found: Found<Jupyter> = (() => {
  const jupyter = findJupyter(process.env);
  return jupyter ? { value: jupyter } : { missing: `Jupyter with nbconvert not found; ${HOW_TO_GET_JUPYTER}` };
})();

describeWith("npm start's notebook runner with the real Jupyter", "JUPYTER", found, (jupyter) => {
  it("writes the data line escaped at the top of the page and into the notebook, and counts code cells on stderr", () => {
    const dir = tempDir();
    // Two code cells and a markdown one, on Jupyter's own Python kernel (installed with JupyterLab).
    const notebook = writeFixture(dir, "two.ipynb", JSON.stringify({
      cells: [
        { cell_type: "code", metadata: {}, source: "1 + 1", outputs: [], execution_count: null },
        { cell_type: "markdown", metadata: {}, source: "text" },
        { cell_type: "code", metadata: {}, source: "print('x')", outputs: [], execution_count: null },
      ],
      metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
      nbformat: 4,
      nbformat_minor: 4,
    }));
    const header = 'threatlab: data: /tmp/<b>logs</b> & "more".csv';
    const run = spawnSync(jupyter.python, [RUNNER_SCRIPT, notebook, join(dir, "out.ipynb"), "--kernel", "python3", "--html", join(dir, "out.html"), "--header", header, "--progress", "[1/1] two … "], { encoding: "utf8" });
    expect(run.stdout.trim()).toBe('{"error": null}');
    expect(run.stderr).toContain("\r\x1b[K[1/1] two … cell 1/2\r\x1b[K[1/1] two … cell 2/2\r\x1b[K");
    const html = readFileSync(join(dir, "out.html"), "utf8");
    expect(html).toMatch(/<body[^>]*><div class="threatlab-run"[^>]*>threatlab: data: \/tmp\/&lt;b&gt;logs&lt;\/b&gt; &amp; &quot;more&quot;\.csv<\/div>/);
    expect(html).not.toContain("<b>logs</b>");
    expect(JSON.parse(readFileSync(join(dir, "out.ipynb"), "utf8")).metadata.threatlab.run).toBe(header);
  }, 120_000);
});
