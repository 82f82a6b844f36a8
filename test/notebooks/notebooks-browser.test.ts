/**
 * The notebooks as a learner sees them: Debian's Jupyter Notebook server on localhost (token set, no
 * browser of its own), each notebook opened in headless Chromium, Cell → Run All clicked in the
 * page, then the page itself inspected: no error output, a drawn Plotly chart (an SVG with marks in
 * it) in every figure cell, ✗ on every untouched exercise. Screenshots go to test-artifacts/notebooks/.
 *
 * The server runs on a copy of notebooks/ (dist/, data/ and node_modules/ linked beside it), so
 * nothing the page does, autosave included, can touch the committed notebooks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readNotebookCells } from "../../lib/jupyter/execute-notebooks";
import { findJupyter, HOW_TO_GET_JUPYTER, JUPYTER_ENV, type Jupyter } from "../../lib/jupyter/find-jupyter";
import { writeKernelSpec } from "../../lib/jupyter/kernelspec";
import { tutorialNotebooks } from "../../lib/tasks/run-notebooks";
import { CHROMIUM_ARGS, describeWith, findChromium, type Found } from "../external";
import { freePort, ROOT, tempDir } from "../helpers";

const ARTIFACTS = join(ROOT, "test-artifacts", "notebooks");
const TOKEN = "threatlab-browser-test";
const notebooks = tutorialNotebooks(ROOT).map((p) => p.split("/").pop()!);

/** What the page shows for one cell, read in the browser (the tests compile without DOM types). */
interface CellView {
  /** "code" or "markdown", from the cell's classes. */
  type: string;
  prompt: string;
  /** Error outputs: tslab shows a failed cell (type error or exception) on stderr, other kernels as an error output. */
  failures: number;
  text: string;
  /** Plotly charts in the cell's output: SVG layers, traces and drawn marks. */
  charts: { svgs: number; traces: number; marks: number }[];
}

const READ_CELLS = `Array.from(document.querySelectorAll("#notebook-container > .cell")).map((cell) => ({
  type: cell.classList.contains("code_cell") ? "code" : "markdown",
  prompt: (cell.querySelector(".input_prompt") || { textContent: "" }).textContent.trim(),
  failures: cell.querySelectorAll(".output_error, .output_stderr").length,
  text: Array.from(cell.querySelectorAll(".output_text")).map((o) => o.textContent).join(""),
  charts: Array.from(cell.querySelectorAll(".output_area .js-plotly-plot")).map((plot) => ({
    svgs: plot.querySelectorAll("svg.main-svg").length,
    traces: plot.querySelectorAll("g.trace, g.hm").length,
    marks: plot.querySelectorAll(".barlayer .point path, .pielayer .slice path, .scatterlayer .js-line, .scatterlayer .point, .hm image").length,
  })),
}))`;

/**
 * True once the kernel is idle and every code cell has run (a number in its prompt), or one has
 * failed: a runtime error is an error output, a type error a stderr output (tslab's way).
 */
const FINISHED = `(() => {
  const prompts = Array.from(document.querySelectorAll(".code_cell .input_prompt")).map((p) => p.textContent);
  const idle = document.querySelector("#kernel_indicator_icon").classList.contains("kernel_idle_icon");
  const failed = document.querySelector(".output_error, .output_stderr") !== null;
  return idle && (failed || prompts.every((p) => /\\[\\d+\\]/.test(p)));
})()`;

/** A control: an empty figure, a cell that throws, and one that does not compile (never reached). */
const CONTROL_NOTEBOOK = JSON.stringify({
  cells: [
    { cell_type: "code", metadata: {}, source: 'import { showFigure } from "../dist";\nshowFigure({ data: [], layout: {} })', outputs: [], execution_count: null },
    { cell_type: "code", metadata: {}, source: 'JSON.parse("{")', outputs: [], execution_count: null },
    { cell_type: "code", metadata: {}, source: "const n: number = 'text';", outputs: [], execution_count: null },
  ],
  metadata: { kernelspec: { name: "threatlab", display_name: "TypeScript (threatlab)", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 4,
});

const found: Found<Jupyter> = (() => {
  const jupyter = findJupyter();
  return jupyter?.versions.notebook ? { value: jupyter } : { missing: `the classic Jupyter Notebook was not found; ${HOW_TO_GET_JUPYTER}` };
})();

describeWith("the notebooks in the Jupyter Notebook, run through its page in headless Chromium", "JUPYTER", found, (jupyter) => {
  describeWith("with Chromium", "CHROMIUM", findChromium(), (executablePath) => {
    let server: ChildProcess;
    let browser: Browser;
    let base: string;
    let log = "";

    beforeAll(async () => {
      const copy = tempDir();
      cpSync(join(ROOT, "notebooks"), join(copy, "notebooks"), { recursive: true });
      for (const linked of ["dist", "data", "node_modules", "package.json"]) symlinkSync(join(ROOT, linked), join(copy, linked));
      mkdirSync(join(copy, "home"));
      writeFileSync(join(copy, "notebooks", "control.ipynb"), CONTROL_NOTEBOOK);
      mkdirSync(ARTIFACTS, { recursive: true });
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(jupyter.command[0], [...jupyter.command.slice(1), "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, `--NotebookApp.token=${TOKEN}`], {
        cwd: join(copy, "notebooks"),
        env: { ...process.env, ...JUPYTER_ENV, HOME: join(copy, "home"), JUPYTER_PATH: writeKernelSpec(join(copy, "jupyter")) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      server.stdout!.on("data", (d) => (log += d));
      server.stderr!.on("data", (d) => (log += d));
      for (let i = 0; i < 120; i++) {
        const up = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${TOKEN}` } }).then((r) => r.ok, () => false);
        if (up) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      server?.kill("SIGTERM");
    });

    /** Opens a notebook, waits for its kernel, clicks Cell → Run All and waits until it is done. */
    async function runAll(notebook: string): Promise<{ page: Page; cells: CellView[]; problems: string[] }> {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
      await page.goto(`${base}/notebooks/${notebook}?token=${TOKEN}`);
      await page.waitForFunction("window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", null, { timeout: 60_000 });
      await page.evaluate("Jupyter.notebook.set_autosave_interval(0)");
      await page.click("#menus a.dropdown-toggle:text-is('Cell')");
      await page.click("#run_all_cells > a");
      await page.waitForFunction(FINISHED, null, { timeout: 300_000, polling: 500 });
      // The Notebook scrolls inside #site: make the window as tall as the notebook for one screenshot of it all.
      const height = (await page.evaluate('document.querySelector("#site").scrollHeight + document.querySelector("#header").offsetHeight')) as number;
      await page.setViewportSize({ width: 1280, height: Math.min(height + 40, 30_000) });
      await page.waitForTimeout(1000);
      await page.screenshot({ path: join(ARTIFACTS, notebook.replace(/\.ipynb$/, ".png")) });
      return { page, cells: (await page.evaluate(READ_CELLS)) as CellView[], problems };
    }

    it("control: the probes see an empty chart as empty, and a cell that throws as an error that stops the run", async () => {
      const { page, cells } = await runAll("control.ipynb");
      await page.close();
      expect(cells[0].charts).toEqual([{ svgs: expect.any(Number), traces: 0, marks: 0 }]);
      expect(cells[1].failures).toBe(1);
      expect(cells[1].text).toContain("SyntaxError");
      expect(cells[2].prompt).toMatch(/^In\s*\[\s*\]:$/);
    }, 120_000);

    it.each(notebooks)("%s: every cell runs without an error, figures are drawn, exercises answer ✗", async (notebook) => {
      const { page, cells, problems } = await runAll(notebook);
      try {
        const source = readNotebookCells(join(ROOT, "notebooks", notebook));
        expect(cells.map((c) => c.type)).toEqual(source.map((c) => c.cell_type));
        const code = cells.filter((c) => c.type === "code");
        expect(code.filter((c) => c.failures > 0).map((c) => c.text), log.slice(-2000)).toEqual([]);
        expect(code.every((c) => /^In\s*\[\d+\]:$/.test(c.prompt))).toBe(true);
        source.forEach((cell, i) => {
          const tags = cell.metadata?.tags ?? [];
          if (tags.includes("figure")) {
            expect(cells[i].charts, `cell ${i}`).toHaveLength(1);
            const [chart] = cells[i].charts;
            expect(chart.svgs).toBeGreaterThan(0);
            expect(chart.traces).toBeGreaterThan(0);
            expect(chart.marks).toBeGreaterThan(0);
          } else {
            expect(cells[i].charts, `cell ${i}`).toEqual([]);
          }
          if (tags.includes("exercise")) expect(cells[i].text).toMatch(/^✗ Exercise \d\.\d: not answered yet: replace null with your answer, then run the cell again\. Hint: /);
        });
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    }, 360_000);
  });
});
