import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeNotebook, readNotebookCells, type NotebookCell, type NotebookRun } from "../../lib/jupyter/execute-notebooks";
import { findJupyter, HOW_TO_GET_JUPYTER, type Jupyter } from "../../lib/jupyter/find-jupyter";
import { KERNEL_NAME } from "../../lib/jupyter/kernelspec";
import { EXERCISES } from "../../lib/exercises/exercises";
import { notebookData, tutorialNotebooks } from "../../lib/tasks/run-notebooks";
import { describeWith, type Found } from "../external";
import { HAND_CSV, ROOT, tempDir, writeFixture } from "../helpers";
import { AUTH_LOG } from "../io/ingest-fixtures";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { allNotebooks } from "../../lib/tasks/clean-notebooks";

const name = (path: string): string => path.split("/").pop()!;

/**
 * Each exercise answered by following its hint literally, with only the names its notebook
 * imports or defines (hints quoted beside each): what a learner who reads the hint would type.
 */
const HINT_ANSWERS: Record<string, string> = {
  // "read the file with `readLogs(dataPath())`; a polars frame's `.height` is its number of rows"
  "1.1": "readLogs(dataPath()).height",
  // "take the column with `.getColumn("user_id")`; a polars series counts its distinct values with `.nUnique()`"
  "1.2": 'readLogs(dataPath()).getColumn("user_id").nUnique()',
  // "`generateLogs` takes `{ rows, seed }`" (500 rows, seed 3)
  "2.1": "generateLogs({ rows: 500, seed: 3 })",
  // "`threatRows(frame)` keeps the labelled rows; divide their number by the frame's `.height`" (10,000 rows, seed 42)
  "2.2": "threatRows(generateLogs({ rows: 10000, seed: 42 })).height / generateLogs({ rows: 10000, seed: 42 }).height",
  // "keep the rows whose log_type is login_failed (`.filter(pl.col(…).eq(pl.lit(…)))`), then group them by user_id and count each group (`pl.len()`, named with `.alias("count")`)"
  "3.1": 'logs.filter(pl.col("log_type").eq(pl.lit("login_failed"))).groupBy("user_id").agg(pl.len().alias("count"))',
  // "`logs.groupBy("location").agg(pl.col("bytes_transferred").mean())`, then sort by the mean"
  "3.2": 'logs.groupBy("location").agg(pl.col("bytes_transferred").mean()).sort("bytes_transferred", true).getColumn("location").get(0)',
  // "`flagByteAnomalies(logs, { quantile: 0.99 })`, then count the rows where `is_anomaly` is true"
  "4.1": 'flagByteAnomalies(logs, { quantile: 0.99 }).filter(pl.col("is_anomaly")).height',
  // "filter `flagged` on `pl.col("is_anomaly")` and on `threat_level` not equal to `"normal"` (`.neq(pl.lit("normal"))`)"
  "4.2": 'flagged.filter(pl.col("is_anomaly")).filter(pl.col("threat_level").neq(pl.lit("normal"))).height',
  // "`plotBytesHistogram` takes options: `{ bins: 20 }`"
  "5.1": "plotBytesHistogram(logs, { bins: 20 })",
  // "`dailyCounts(logs)` has one row per `date` with its `count`: sort it by count, largest first (`.sort("count", true)`), then read the first date (`.getColumn("date").get(0)`)"
  "5.2": 'dailyCounts(logs).sort("count", true).getColumn("date").get(0)',
  // "each alert has `reasons`; keep the alerts whose reasons do not include `"bytes_above_threshold"`"
  "6.1": 'alerts.filter((a) => !a.reasons.includes("bytes_above_threshold")).length',
  // "read the logs with `readLogs(dataPath())`, keep the failed logins (…), count them per user with `valueCounts(…, "user_id")`, keep `count` ≥ 5 (…), then `.getColumn("user_id").toArray()`"
  "6.2": 'valueCounts(readLogs(dataPath()).filter(pl.col("log_type").eq(pl.lit("login_failed"))), "user_id").filter(pl.col("count").gtEq(5)).getColumn("user_id").toArray()',
  // "`redTeam({ seed: 1, goals: ["guess"], rounds: 9, layers: [{ name: "brute force", rules: ["brute_force"] }], detectorOptions: { brute_force: { failures: 20 } } })`, then `.frontiers[0].perDay`"
  "11.1": 'redTeam({ seed: 1, goals: ["guess"], rounds: 9, layers: [{ name: "brute force", rules: ["brute_force"] }], detectorOptions: { brute_force: { failures: 20 } } }).frontiers[0].perDay',
  // "the call of 11.1 without `detectorOptions`, with `rules: ["brute_force", "isolation_forest"]` in the layer, then `.frontiers[0].perDay`"
  "11.2": 'redTeam({ seed: 1, goals: ["guess"], rounds: 9, layers: [{ name: "brute force", rules: ["brute_force", "isolation_forest"] }] }).frontiers[0].perDay',
};
const text = (value: unknown): string => (Array.isArray(value) ? value.join("") : String(value ?? ""));
const notebooks = tutorialNotebooks(ROOT);
/** The notebooks that end with exercises: the six tutorial steps, and the adaptive attacker's. */
const withExercises = notebooks.filter((p) => EXERCISES.some((e) => e.id.startsWith(`${Number(name(p).slice(0, 2))}.`)));
const solutions = withExercises.map((p) => join(ROOT, "notebooks", "solutions", name(p)));
/** The exercise ids a notebook's cells with this tag check, in order. */
const checkedIds = (path: string, tag: string): string[] =>
  readNotebookCells(path)
    .filter((c) => c.cell_type === "code" && c.metadata?.tags?.includes(tag))
    .map((c) => /check\("([\d.]+)", /.exec(text(c.source))?.[1] ?? "no check call");

describe("the committed notebooks", () => {
  it("are the six tutorial steps, then the five beyond it, numbered like a course", () => {
    expect(notebooks.map(name)).toEqual([
      "01-setup.ipynb", "02-generate-logs.ipynb", "03-analyze.ipynb", "04-detect.ipynb", "05-visualize.ipynb", "06-alerts.ipynb",
      "07-scenarios.ipynb", "08-detectors.ipynb", "09-evaluation.ipynb", "10-your-own-logs.ipynb", "11-ready-for-ai-attacks.ipynb",
    ]);
    expect(withExercises.map(name)).toEqual([...notebooks.slice(0, 6), notebooks[10]].map(name));
  });

  it.each(notebooks.map((p, i) => [name(p), p, i + 1] as const))("%s ends with its exercises (tutorial steps and notebook 11), asked as lib/ asks them, each on an untouched placeholder", (_, path, step) => {
    const ids = EXERCISES.filter((e) => e.id.startsWith(`${step}.`)).map((e) => e.id);
    expect(checkedIds(path, "exercise")).toEqual(ids);
    if (step > 6 && step !== 11) return expect(ids).toEqual([]);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(ids.length).toBeLessThanOrEqual(3);
    const cells = readNotebookCells(path);
    for (const id of ids) {
      const at = cells.findIndex((c) => c.metadata?.tags?.includes("exercise") && text(c.source).includes(`check("${id}"`));
      expect(text(cells[at - 1].source)).toBe(`**Exercise ${id}.** ${EXERCISES.find((e) => e.id === id)!.question}`);
      expect(text(cells[at].source)).toMatch(/^\/\/ Exercise [\d.]+: replace null with your answer, then run the cell\.\nconst \w+ = null;\ncheck\("[\d.]+", \w+\)$/);
    }
  });

  it.each(solutions.map((p) => [name(p), p] as const))("solutions/%s solves every exercise of its notebook, in order, in short cells", (_, path) => {
    const tutorial = join(ROOT, "notebooks", name(path));
    expect(checkedIds(path, "solution")).toEqual(checkedIds(tutorial, "exercise"));
    expect(notebookData(path)).toBe(notebookData(tutorial) === "none" ? "none" : "tutorial-csv");
    for (const cell of readNotebookCells(path)) {
      if (cell.cell_type === "code") expect(text(cell.source).split("\n").length).toBeLessThanOrEqual(6);
    }
  });

  it.each(notebooks.map((p) => [name(p), p] as const))("%s says which data it reads, so npm start knows what to give it", (_, path) => {
    const code = readNotebookCells(path).filter((c) => c.cell_type === "code").map((c) => text(c.source)).join("\n");
    const expected = code.includes("dataPath(") ? "tutorial-csv" : code.includes("chosenLogs(") ? "any" : "none";
    expect(notebookData(path)).toBe(expected);
  });

  it.each(notebooks.map((p, i) => [name(p), p, i + 1] as const))("%s opens with its title, the tutorial step it mirrors (or that it goes beyond) and what it teaches", (_, path, step) => {
    const [first] = readNotebookCells(path);
    expect(first.cell_type).toBe("markdown");
    expect(text(first.source)).toMatch(new RegExp(`^# ${step} · `));
    expect(text(first.source)).toContain(step <= 6 ? `**Tutorial step ${step}.**` : "**Beyond the tutorial.**");
    expect(text(first.source)).toContain("**You will learn**");
  });

  it.each(notebooks.map((p) => [name(p), p] as const))("%s is committed without outputs or execution counts, on the threatlab kernel", (_, path) => {
    const notebook = JSON.parse(readFileSync(path, "utf8"));
    expect(notebook.metadata.kernelspec.name).toBe(KERNEL_NAME);
    for (const cell of notebook.cells as NotebookCell[]) {
      if (cell.cell_type !== "code") continue;
      expect(cell.outputs).toEqual([]);
      expect((cell as { execution_count?: unknown }).execution_count).toBeNull();
    }
  });

  it.each(notebooks.map((p) => [name(p), p] as const))("%s keeps its code cells short: lib/ computes, notebooks narrate", (_, path) => {
    for (const cell of readNotebookCells(path)) {
      if (cell.cell_type === "code") expect(text(cell.source).split("\n").length).toBeLessThanOrEqual(6);
    }
  });
});

const found: Found<Jupyter> = (() => {
  const jupyter = findJupyter(process.env);
  return jupyter ? { value: jupyter } : { missing: `Jupyter with nbconvert not found; ${HOW_TO_GET_JUPYTER}` };
})();

describeWith("every notebook executes headlessly through Jupyter on the threatlab kernel", "JUPYTER", found, (jupyter) => {
  const outDir = tempDir();
  const runs = new Map<string, NotebookRun>();

  beforeAll(() => {
    for (const notebook of notebooks) runs.set(name(notebook), executeNotebook(jupyter, notebook, { outDir, sign: false }));
  }, 600_000);

  it.each(notebooks.map(name))("%s runs without an error and exports HTML", (notebook) => {
    const run = runs.get(notebook)!;
    expect(run.error).toBeUndefined();
    expect(run.executed).toBe(join(outDir, notebook));
    expect(readFileSync(run.html!, "utf8")).toContain("<html");
  });

  it.each(notebooks.map(name))("%s: every code cell ran, and every figure cell shows a Plotly figure", (notebook) => {
    const cells = readNotebookCells(runs.get(notebook)!.executed!).filter((c) => c.cell_type === "code");
    for (const cell of cells) {
      expect((cell as { execution_count?: number }).execution_count).toBeGreaterThan(0);
      expect(cell.outputs?.some((o) => o.output_type === "stream" && (o as { name?: string }).name === "stderr")).toBe(false);
      if (!cell.metadata?.tags?.includes("figure")) continue;
      const figures = cell.outputs?.filter((o) => o.output_type === "display_data" && o.data?.["application/vnd.plotly.v1+json"]) ?? [];
      expect(figures).toHaveLength(1);
      const bundle = figures[0].data!;
      const plotly = bundle["application/vnd.plotly.v1+json"] as { data: { type: string }[]; layout: object };
      expect(plotly.data.length).toBeGreaterThan(0);
      expect(text(bundle["text/html"])).toContain("window.Plotly.newPlot");
    }
  });

  it.each(withExercises.map(name))("%s: the untouched exercises answer ✗ (not answered yet) with a hint", (notebook) => {
    const cells = readNotebookCells(runs.get(notebook)!.executed!).filter((c) => c.metadata?.tags?.includes("exercise"));
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      const id = /check\("([\d.]+)"/.exec(text(cell.source))![1];
      const hint = EXERCISES.find((e) => e.id === id)!.hint;
      expect(cell.outputs?.map((o) => text(o.text))).toEqual([`✗ Exercise ${id}: not answered yet: replace null with your answer, then run the cell again. Hint: ${hint}.\n`]);
    }
  });

  it.each(notebooks.map(name))("%s: every number its prose states (past the title cell) is one its cells show, in their code or output", (notebook) => {
    const cells = readNotebookCells(runs.get(notebook)!.executed!);
    const shown = cells
      .filter((c) => c.cell_type === "code")
      .flatMap((c) => [text(c.source), ...(c.outputs ?? []).flatMap((o) => [text(o.text), text(o.data?.["text/plain"]), text(o.data?.["text/html"])])])
      .join("\n")
      .replace(/,/g, "");
    const unshown: string[] = [];
    cells.forEach((cell, i) => {
      const source = text(cell.source);
      // The title cell describes the Python tutorial; exercise questions are instructions, checked by check().
      if (cell.cell_type !== "markdown" || i === 0 || source.startsWith("**Exercise ")) return;
      const prose = source
        .replace(/```[\s\S]*?```/g, "")
        .replace(/`[^`]*`/g, "")
        .replace(/\[[^\]]*\]\([^)]*\)/g, "")
        .replace(/^#+ .*$/gm, "");
      for (const n of prose.match(/(?<![\w.,])\d[\d,]*(?:\.\d+)?/g) ?? []) {
        if (!new RegExp(`(?<![\\d.])${n.replace(/,/g, "").replace(".", "\\.")}(?!\\d)`).test(shown)) unshown.push(`cell ${i}: ${n}`);
      }
    });
    expect(unshown).toEqual([]);
  });

  it.each(withExercises.map((p) => [name(p), p] as const))("%s: each exercise answered by following its hint literally, in the notebook itself, checks ✓", (notebook, path) => {
    const copy = tempDir();
    mkdirSync(join(copy, "notebooks"));
    for (const linked of ["dist", "data", "node_modules", "package.json"]) symlinkSync(join(ROOT, linked), join(copy, linked));
    const answered = JSON.parse(readFileSync(path, "utf8")) as { cells: NotebookCell[] };
    const ids: string[] = [];
    for (const cell of answered.cells) {
      if (!cell.metadata?.tags?.includes("exercise")) continue;
      const id = /check\("([\d.]+)"/.exec(text(cell.source))![1];
      ids.push(id);
      cell.source = text(cell.source).replace(/= null;/, `= ${HINT_ANSWERS[id]};`);
    }
    expect(ids.every((id) => id in HINT_ANSWERS)).toBe(true);
    writeFileSync(join(copy, "notebooks", notebook), JSON.stringify(answered));
    const run = executeNotebook(jupyter, join(copy, "notebooks", notebook), { outDir: join(copy, "out"), html: false, sign: false });
    expect(run.error).toBeUndefined();
    const outputs = readNotebookCells(run.executed!).filter((c) => c.metadata?.tags?.includes("exercise")).map((c) => c.outputs?.map((o) => text(o.text)).join(""));
    expect(outputs).toEqual(ids.map((id) => `✓ Exercise ${id}: right.\n`));
  }, 900_000);

  it.each(solutions.map((p) => [name(p), p] as const))("solutions/%s runs, and every solution checks ✓", (_, path) => {
    const run = executeNotebook(jupyter, path, { outDir: join(outDir, "solutions"), html: false, sign: false });
    expect(run.error).toBeUndefined();
    const cells = readNotebookCells(run.executed!).filter((c) => c.metadata?.tags?.includes("solution"));
    for (const cell of cells) {
      const id = /check\("([\d.]+)"/.exec(text(cell.source))![1];
      expect(cell.outputs?.map((o) => text(o.text))).toEqual([`✓ Exercise ${id}: right.\n`]);
    }
  }, 300_000);

  it("figures are where the course needs them, and plotly.js is inlined once per notebook", () => {
    for (const notebook of notebooks.map(name)) {
      const cells = readNotebookCells(runs.get(notebook)!.executed!);
      const loaders = cells.flatMap((c) => c.outputs ?? []).filter((o) => text(o.data?.["text/plain"]).startsWith("plotly.js "));
      const figureCells = cells.filter((c) => c.metadata?.tags?.includes("figure")).length;
      expect(loaders).toHaveLength(figureCells > 0 ? 1 : 0);
    }
    const figureCount = (n: string) => readNotebookCells(runs.get(n)!.executed!).filter((c) => c.metadata?.tags?.includes("figure")).length;
    expect(notebooks.map(name).map(figureCount)).toEqual([0, 0, 0, 1, 5, 0, 2, 4, 2, 2, 2]);
  });

  it("the committed notebooks are laid out exactly as Jupyter saves them (nbformat), so saving and cleaning agree", () => {
    const script = "import nbformat, sys\nfor p in sys.argv[1:]:\n    if nbformat.writes(nbformat.read(p, 4)) + '\\n' != open(p, encoding='utf-8').read(): print(p)";
    const run = spawnSync(jupyter.python, ["-c", script, ...allNotebooks(ROOT)], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("");
  });

  it("notebooks executed for out/ are signed, so their charts show when reopened; unsigned runs are not trusted", () => {
    const home = tempDir();
    const env = { HOME: home, JUPYTER_DATA_DIR: join(home, "jupyter") };
    const trusted = (path: string): string =>
      spawnSync(jupyter.python, ["-c", "import nbformat, sys\nfrom nbformat.sign import NotebookNotary\nprint(NotebookNotary().check_signature(nbformat.read(sys.argv[1], 4)))", path], {
        encoding: "utf8",
        env: { ...process.env, ...env },
      }).stdout.trim();
    const notebook = notebooks.find((p) => name(p) === "04-detect.ipynb")!;
    const signed = executeNotebook(jupyter, notebook, { outDir: tempDir(), env, html: false });
    expect(signed.error).toBeUndefined();
    expect(trusted(signed.executed!)).toBe("True");
    expect(trusted(runs.get("04-detect.ipynb")!.executed!)).toBe("False");
  });

  it("THREATLAB_DATA makes the notebooks read another file", () => {
    const data = writeFixture(tempDir(), "hand.csv", HAND_CSV);
    const notebook = notebooks.find((p) => name(p) === "03-analyze.ipynb")!;
    const run = executeNotebook(jupyter, notebook, { outDir: tempDir(), env: { THREATLAB_DATA: data }, html: false, sign: false });
    expect(run.error).toBeUndefined();
    const firstCode = readNotebookCells(run.executed!).find((c) => c.cell_type === "code")!;
    expect(text(firstCode.outputs?.[0]?.text).trim()).toBe("10");
  });

  it("without THREATLAB_DATA the bring-your-own-logs notebook reads every bundled sample", () => {
    const cells = readNotebookCells(runs.get("10-your-own-logs.ipynb")!.executed!).filter((c) => c.cell_type === "code");
    const html = cells.flatMap((c) => c.outputs ?? []).map((o) => text(o.data?.["text/html"])).join("\n");
    for (const file of ["auth.log", "security.jsonl", "zeek-conn.log", "zeek-ssh.json", "vpn.ndjson", "vpn.csv", "vpn.parquet"]) expect(html).toContain(`<td>${file}</td>`);
  });

  it("THREATLAB_DATA points the bring-your-own-logs notebook at one log of any format", () => {
    const data = writeFixture(tempDir(), "auth.log", AUTH_LOG);
    const notebook = notebooks.find((p) => name(p) === "10-your-own-logs.ipynb")!;
    const run = executeNotebook(jupyter, notebook, { outDir: tempDir(), env: { THREATLAB_DATA: data, THREATLAB_YEAR: "2025" }, html: false, sign: false });
    expect(run.error).toBeUndefined();
    const outputs = readNotebookCells(run.executed!).filter((c) => c.cell_type === "code").flatMap((c) => c.outputs ?? []);
    expect(text(outputs[0].text).trim()).toBe("[ 'auth.log' ]");
    const table = outputs.map((o) => text(o.data?.["text/html"])).find((h) => h.includes("<td>syslog</td>"))!;
    // The fixture's account, worked by hand in the ingest tests: 15 lines, 12 parsed into 14 events.
    expect(table).toMatch(/<td>auth\.log<\/td><td>syslog<\/td><td>15<\/td><td>12<\/td><td>14<\/td>/);
  });

  it("a failing cell is reported with its number and message", () => {
    const broken = writeFixture(
      tempDir(),
      "broken.ipynb",
      JSON.stringify({
        cells: [
          { cell_type: "code", metadata: {}, source: "1 + 1", outputs: [], execution_count: null },
          { cell_type: "code", metadata: {}, source: "const n: number = 'text';", outputs: [], execution_count: null },
          { cell_type: "code", metadata: {}, source: "undefinedThing.call()", outputs: [], execution_count: null },
        ],
        metadata: { kernelspec: { name: KERNEL_NAME, display_name: "TypeScript (threatlab)", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 4,
      }),
    );
    const run = executeNotebook(jupyter, broken, { outDir: tempDir(), html: false, sign: false });
    expect(run.error).toEqual({ cell: 2, ename: "TypeScript", evalue: "line 1, column 7: Type 'string' is not assignable to type 'number'." });
  });
});
