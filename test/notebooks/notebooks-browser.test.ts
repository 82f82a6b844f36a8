/**
 * The notebooks as a learner sees them: JupyterLab 4 on localhost (token set, no browser of its
 * own), each notebook opened in headless Chromium, Run All, then the page itself inspected: no
 * error output, a drawn Plotly chart (an SVG with marks in it) in every figure cell, ✗ on every
 * untouched exercise, and Shift+Tab showing a library function's TSDoc. Screenshots go to
 * test-artifacts/notebooks/.
 *
 * The server runs on a copy of notebooks/ (dist/, data/ and node_modules/ linked beside it), with
 * its own settings, data and runtime folders, so nothing the page does, autosave included, can
 * touch the committed notebooks or the user's Jupyter.
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
  /** "code", "markdown" or "raw", from the cell's model. */
  type: string;
  /** The input prompt: "[3]:" once run, "[ ]:" never run, "[*]:" running or queued. */
  prompt: string;
  /** Error outputs: tslab shows a failed cell (type error or exception) on stderr, other kernels as an error output; JupyterLab renders both as stderr. */
  failures: number;
  text: string;
  /** Plotly charts in the cell's output: SVG layers, traces and drawn marks. */
  charts: { svgs: number; traces: number; marks: number }[];
}

/** The open notebook panel in JupyterLab's main area (exposed by --LabApp.expose_app_in_browser). */
const PANEL = "window.jupyterapp.shell.currentWidget";

const READ_CELLS = `${PANEL}.content.widgets.map((cell) => ({
  type: cell.model.type,
  prompt: (cell.node.querySelector(".jp-InputPrompt") || { textContent: "" }).textContent.trim(),
  failures: cell.node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
  text: Array.from(cell.node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="text/plain"]')).map((o) => o.textContent).join(""),
  charts: Array.from(cell.node.querySelectorAll(".jp-OutputArea .js-plotly-plot")).map((plot) => ({
    svgs: plot.querySelectorAll("svg.main-svg").length,
    traces: plot.querySelectorAll("g.trace, g.hm").length,
    marks: plot.querySelectorAll(".barlayer .point path, .pielayer .slice path, .scatterlayer .js-line, .scatterlayer .point, .hm image").length,
  })),
}))`;

/** True once the notebook's kernel is idle and connected. */
const KERNEL_IDLE = `(() => {
  const panel = ${PANEL};
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return Boolean(kernel && kernel.status === "idle" && kernel.connectionStatus === "connected");
})()`;

/**
 * True once the kernel is idle and no cell is running or queued, and every code cell has run (a
 * number in its prompt) or one has failed (stderr: tslab's way of showing an error).
 */
const FINISHED = `(() => {
  if (!${KERNEL_IDLE}) return false;
  const cells = ${PANEL}.content.widgets.filter((c) => c.model.type === "code");
  const prompts = cells.map((c) => (c.node.querySelector(".jp-InputPrompt") || { textContent: "" }).textContent.trim());
  if (prompts.some((p) => p.includes("*"))) return false;
  const failed = cells.some((c) => c.node.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'));
  return failed || prompts.every((p) => /^\\[\\d+\\]:$/.test(p));
})()`;

/** A value an attacker writes in a log so that MathJax makes a link of it. */
const MATH_LINK = "$\\href{https://evil.example}{CLICKME}$";

/**
 * A control: an empty figure, raw HTML holding a MathJax link (the probe must see it typeset),
 * the same value and markup through the library's table and chart, a cell that throws, one that
 * does not compile (never reached), and a line to ask for documentation on.
 */
const CONTROL_NOTEBOOK = JSON.stringify({
  cells: [
    { cell_type: "code", metadata: {}, source: 'import { plotTopEntities, readLogs, showFigure, showTable } from "../dist";\nshowFigure({ data: [], layout: {} })', outputs: [], execution_count: null },
    { cell_type: "code", metadata: {}, source: `import * as tslab from "tslab";\ntslab.display.html(${JSON.stringify(`<p>${MATH_LINK}</p>`)})`, outputs: [], execution_count: null },
    {
      cell_type: "code",
      metadata: {},
      source: `import pl from "nodejs-polars";\nconst hostile = pl.DataFrame({ user_id: [${JSON.stringify(MATH_LINK)}, '<a href="https://evil.example">LINK</a>'], log_type: ["login_failed", "login_failed"] });\nshowTable(hostile);\nshowFigure(plotTopEntities(hostile, "user_id", ${JSON.stringify(`<b>logs.csv</b> ${MATH_LINK}`)}));`,
      outputs: [],
      execution_count: null,
    },
    { cell_type: "code", metadata: {}, source: 'JSON.parse("{")', outputs: [], execution_count: null },
    { cell_type: "code", metadata: {}, source: "const n: number = 'text';", outputs: [], execution_count: null },
    { cell_type: "code", metadata: {}, source: "readLogs", outputs: [], execution_count: null },
  ],
  metadata: { kernelspec: { name: "threatlab", display_name: "TypeScript (threatlab)", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 4,
});

const found: Found<Jupyter> = (() => {
  const jupyter = findJupyter(process.env);
  const major = Number(jupyter?.versions.jupyterlab?.split(".")[0]);
  return major >= 4 ? { value: jupyter! } : { missing: `JupyterLab 4 was not found${jupyter ? ` (${jupyter.command.join(" ")} has ${jupyter.versions.jupyterlab ? `JupyterLab ${jupyter.versions.jupyterlab}` : "no JupyterLab"})` : ""}; ${HOW_TO_GET_JUPYTER}` };
})();

describeWith("the notebooks in JupyterLab 4, run through its page in headless Chromium", "JUPYTER", found, (jupyter) => {
  describeWith("with Chromium", "CHROMIUM", findChromium(), (executablePath) => {
    let server: ChildProcess;
    let browser: Browser;
    let base: string;
    let log = "";

    beforeAll(async () => {
      const copy = tempDir();
      cpSync(join(ROOT, "notebooks"), join(copy, "notebooks"), { recursive: true });
      for (const linked of ["dist", "data", "node_modules", "package.json"]) symlinkSync(join(ROOT, linked), join(copy, linked));
      writeFileSync(join(copy, "notebooks", "control.ipynb"), CONTROL_NOTEBOOK);
      // Every cell drawn (no windowing), so the page holds every output to read and to photograph.
      const settings = join(copy, "settings", "@jupyterlab", "notebook-extension");
      mkdirSync(settings, { recursive: true });
      writeFileSync(join(settings, "tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));
      // No "get notified about Jupyter news?" toast over the screenshots (it would fetch nothing offline anyway).
      mkdirSync(join(copy, "settings", "@jupyterlab", "apputils-extension"), { recursive: true });
      writeFileSync(join(copy, "settings", "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false" }));
      const lab = (dir: string): string => join(copy, "lab", dir);
      for (const dir of ["home", "config", "data", "runtime", "workspaces"]) mkdirSync(lab(dir), { recursive: true });
      mkdirSync(ARTIFACTS, { recursive: true });
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      const args = ["lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", `--port=${port}`, `--IdentityProvider.token=${TOKEN}`, "--LabApp.expose_app_in_browser=True"];
      server = spawn(jupyter.command[0], [...jupyter.command.slice(1), ...args], {
        cwd: join(copy, "notebooks"),
        env: {
          ...process.env,
          ...JUPYTER_ENV,
          HOME: lab("home"),
          JUPYTER_CONFIG_DIR: lab("config"),
          JUPYTER_DATA_DIR: lab("data"),
          JUPYTER_RUNTIME_DIR: lab("runtime"),
          JUPYTERLAB_SETTINGS_DIR: join(copy, "settings"),
          JUPYTERLAB_WORKSPACES_DIR: lab("workspaces"),
          JUPYTER_PATH: writeKernelSpec(join(copy, "jupyter")),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      server.stdout!.on("data", (d) => (log += d));
      server.stderr!.on("data", (d) => (log += d));
      for (let i = 0; i < 240; i++) {
        const up = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${TOKEN}` } }).then((r) => r.ok, () => false);
        if (up) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      server?.kill("SIGTERM");
    });

    /** Opens a notebook in JupyterLab and waits until its kernel is idle. */
    async function open(notebook: string): Promise<{ page: Page; problems: string[] }> {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const problems: string[] = [];
      page.on("pageerror", (e) => {
        // JupyterLab's debugger panel asks every kernel for a debug session; tslab has none, and
        // JupyterLab logs the refusal once per cell. It is not the notebook's error, and learners see nothing.
        if (e.message !== "No active debugger session") problems.push(`uncaught: ${e.message}`);
      });
      await page.goto(`${base}/lab/tree/${notebook}?token=${TOKEN}&reset`);
      await page.waitForFunction(`Boolean(window.jupyterapp && ${PANEL} && ${PANEL}.content && ${PANEL}.context.path === ${JSON.stringify(notebook)})`, null, { timeout: 120_000 });
      await page.waitForFunction(KERNEL_IDLE, null, { timeout: 300_000, polling: 500 });
      return { page, problems };
    }

    /** Opens a notebook, runs all its cells as the Run menu does, waits until done, and photographs it. */
    async function runAll(notebook: string): Promise<{ page: Page; cells: CellView[]; problems: string[] }> {
      const { page, problems } = await open(notebook);
      await page.evaluate(`window.jupyterapp.commands.execute("notebook:run-all-cells")`);
      await page.waitForFunction(FINISHED, null, { timeout: 600_000, polling: 500 });
      // The notebook scrolls inside its panel: make the window as tall as the notebook for one screenshot of it all.
      const height = (await page.evaluate(`Math.max(...Array.from(${PANEL}.content.node.querySelectorAll(".jp-WindowedPanel-outer, .jp-WindowedPanel-viewport")).map((e) => e.scrollHeight))`)) as number;
      await page.setViewportSize({ width: 1280, height: Math.min(height + 200, 30_000) });
      // Run All leaves the last cell active and scrolled to: back to the top, so the picture starts at the title.
      await page.evaluate(`(${PANEL}.content.activeCellIndex = 0, Array.from(${PANEL}.content.node.querySelectorAll(".jp-WindowedPanel-outer")).forEach((e) => (e.scrollTop = 0)))`);
      await page.waitForTimeout(1000);
      await page.screenshot({ path: join(ARTIFACTS, notebook.replace(/\.ipynb$/, ".png")) });
      return { page, cells: (await page.evaluate(READ_CELLS)) as CellView[], problems };
    }

    it("control: the probes see an empty chart as empty, raw math typeset and the library's escaped values not, a cell that throws as an error that stops the run, and Shift+Tab shows TSDoc", async () => {
      const { page, cells } = await runAll("control.ipynb");
      try {
        expect(cells[0].charts).toEqual([{ svgs: expect.any(Number), traces: 0, marks: 0 }]);
        // MathJax is live on this page: raw HTML holding $\href{…}$ becomes typeset math with a link in it.
        const math = (cell: number, selector: string): Promise<number> => page.evaluate(`${PANEL}.content.widgets[${cell}].node.querySelectorAll(${JSON.stringify(`.jp-OutputArea ${selector}`)}).length`) as Promise<number>;
        await page.waitForFunction(`${PANEL}.content.widgets[1].node.querySelector(".jp-OutputArea mjx-container")`, null, { timeout: 60_000 });
        expect(await math(1, '[href="https://evil.example"]')).toBeGreaterThan(0);
        // The same value through the library's table and chart: shown as its characters, no math, no link.
        const shown = (await page.evaluate(`${PANEL}.content.widgets[2].node.querySelector(".jp-OutputArea").textContent`)) as string;
        expect(await math(2, "mjx-container")).toBe(0);
        expect(await math(2, "[href]")).toBe(0);
        expect(shown).toContain(MATH_LINK);
        expect(shown).toContain('<a href="https://evil.example">LINK</a>');
        expect(shown).toContain("<b>logs.csv</b>");
        expect(cells[2].charts).toHaveLength(1);
        expect(cells[3].failures).toBe(1);
        expect(cells[3].text).toContain("SyntaxError");
        expect(cells[4].prompt).toBe("[ ]:");
        // Shift+Tab at the end of `readLogs` asks the kernel to inspect it: the tooltip is its TSDoc.
        await page.locator(".jp-Cell").nth(5).locator(".cm-content").click();
        await page.keyboard.press("End");
        await page.keyboard.press("Shift+Tab");
        const tooltip = page.locator(".jp-Tooltip");
        await tooltip.waitFor({ timeout: 60_000 });
        await page.screenshot({ path: join(ARTIFACTS, "shift-tab-tsdoc.png") });
        expect(await tooltip.textContent()).toContain("Returns the logs in a file as a polars DataFrame in the event schema");
      } finally {
        await page.close();
      }
    }, 900_000);

    it.each(notebooks)("%s: every cell runs without an error, figures are drawn, exercises answer ✗", async (notebook) => {
      const { page, cells, problems } = await runAll(notebook);
      try {
        const source = readNotebookCells(join(ROOT, "notebooks", notebook));
        expect(cells.map((c) => c.type)).toEqual(source.map((c) => c.cell_type));
        const code = cells.filter((c) => c.type === "code");
        expect(code.filter((c) => c.failures > 0).map((c) => c.text), log.slice(-2000)).toEqual([]);
        expect(code.map((c) => c.prompt).filter((p) => !/^\[\d+\]:$/.test(p))).toEqual([]);
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
          if (tags.includes("exercise")) expect(cells[i].text).toMatch(/^✗ Exercise \d+\.\d: not answered yet: replace null with your answer, then run the cell again\. Hint: /);
        });
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    }, 900_000);
  });
});
