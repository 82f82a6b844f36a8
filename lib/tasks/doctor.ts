/**
 * `npm run doctor`: checks that this machine can run the workshop, and prints ✓ or ✗ per check,
 * each ✗ with the command that fixes it. Exits 1 when a required check fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { generateLogs } from "../generate/generate-logs";
import { SAMPLES } from "../generate/samples";
import { readLogs } from "../io/read-logs";
import { HOW_TO_GET_CHROMIUM, chromiumCandidates, findChromium } from "../jupyter/find-chromium";
import { HOW_TO_GET_JUPYTER, JUPYTER_ENV, findJupyter, venvJupyterPath, type Jupyter } from "../jupyter/find-jupyter";
import { KERNEL_NAME, kernelSpec } from "../jupyter/kernelspec";
import { SAMPLE_DATA, projectRoot } from "../shared/paths";
import { nodeIsSupported } from "./setup";

/** The result of one check. */
export interface Check {
  /** What was checked, e.g. "Node.js". */
  name: string;
  ok: boolean;
  /** What was found: a version, a path, or what is wrong. */
  detail: string;
  /** The command or step that fixes a failed check. */
  fix?: string;
  /** An optional check: its failure is reported but does not fail the doctor. */
  optional?: boolean;
}

/** Checks that Node.js is recent enough. */
export function checkNode(version: string = process.versions.node): Check {
  const ok = nodeIsSupported(version);
  return {
    name: "Node.js",
    ok,
    detail: ok ? `${version}` : `${version} is older than 20.19, the oldest release threatlab supports`,
    fix: "install Node.js 20.19 or newer (https://nodejs.org, or nvm install 20), then rerun npm ci",
  };
}

/** Checks that nodejs-polars' native engine loads and computes. */
export function checkPolars(): Check {
  const fix = "rerun npm ci with Node.js 20.19 or newer on this machine (the native binary is chosen at install time)";
  try {
    const pl = require("nodejs-polars") as typeof import("nodejs-polars");
    const sum = pl.DataFrame({ x: [1, 2, 3] }).getColumn("x").sum();
    const version = (require("nodejs-polars/package.json") as { version: string }).version;
    return { name: "polars native engine", ok: sum === 6, detail: sum === 6 ? `nodejs-polars ${version} loads and computes` : `nodejs-polars computed 1+2+3 = ${sum}`, fix };
  } catch (error) {
    return { name: "polars native engine", ok: false, detail: `does not load: ${(error as Error).message.split("\n")[0]}`, fix };
  }
}

/** Checks that this checkout's tslab and the native messaging library it talks to Jupyter with load. */
export function checkTslab(root: string = projectRoot()): Check {
  const tslab = join(root, "node_modules", "tslab");
  const fix = "rerun npm ci (tslab and its zeromq binary come with it)";
  if (!existsSync(join(tslab, "bin", "tslab"))) return { name: "tslab kernel", ok: false, detail: `${tslab} is missing`, fix };
  try {
    require(require.resolve("zeromq", { paths: [tslab] }));
    const version = (require(join(tslab, "package.json")) as { version: string }).version;
    return { name: "tslab kernel", ok: true, detail: `tslab ${version} and its zeromq binary load` };
  } catch (error) {
    return { name: "tslab kernel", ok: false, detail: `zeromq does not load: ${(error as Error).message.split("\n")[0]}`, fix };
  }
}

/** Checks that a Jupyter with an app to open the notebooks in is found. */
export function checkJupyter(jupyter: Jupyter | undefined): Check {
  const fix = HOW_TO_GET_JUPYTER;
  if (!jupyter) return { name: "Jupyter", ok: false, detail: "not found", fix };
  const { jupyterlab, notebook, nbconvert } = jupyter.versions;
  const app = jupyterlab ? `JupyterLab ${jupyterlab}` : notebook ? `the Notebook ${notebook}` : undefined;
  if (!app) return { name: "Jupyter", ok: false, detail: `${jupyter.command.join(" ")} has nbconvert but neither JupyterLab nor the Notebook`, fix };
  const where = jupyter.command[0] === venvJupyterPath() ? " (the project's own .venv)" : " (not the project's .venv: chosen with --system-jupyter or THREATLAB_JUPYTER, or npm run setup has not run)";
  return { name: "Jupyter", ok: true, detail: `${jupyter.command.join(" ")}${where}: ${app}, nbconvert ${nbconvert}` };
}

/**
 * Checks that the kernel "threatlab" is registered with this Jupyter and runs this checkout's
 * tslab on a Node.js that exists.
 */
export function checkKernel(jupyter: Jupyter | undefined, root: string = projectRoot(), env: NodeJS.ProcessEnv = process.env): Check {
  const name = `kernel "${KERNEL_NAME}"`;
  const fix = "npm run kernel (npm run lab does it too)";
  if (!jupyter) return { name, ok: false, detail: "cannot be checked without Jupyter", fix };
  const run = spawnSync(jupyter.command[0], [...jupyter.command.slice(1), "kernelspec", "list", "--json"], {
    encoding: "utf8",
    env: { ...env, ...JUPYTER_ENV },
    timeout: 60_000,
  });
  let specs: Record<string, { resource_dir?: string; spec?: { argv?: string[] } }>;
  try {
    specs = (JSON.parse(run.stdout) as { kernelspecs: typeof specs }).kernelspecs;
  } catch {
    return { name, ok: false, detail: `jupyter kernelspec list failed: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}`, fix };
  }
  const found = specs[KERNEL_NAME];
  if (!found?.spec?.argv) return { name, ok: false, detail: "is not registered with Jupyter", fix };
  const [node, tslab] = found.spec.argv;
  const expected = kernelSpec(root).argv[1];
  if (tslab !== expected) return { name, ok: false, detail: `is registered for another checkout (${tslab})`, fix };
  if (!node || !existsSync(node)) return { name, ok: false, detail: `runs a Node.js that no longer exists (${node})`, fix };
  return { name, ok: true, detail: `runs ${tslab} on ${node}` };
}

/** Checks that the bundled data is present, and that the tutorial's sample is the seeded one. */
export function checkSamples(root: string = projectRoot()): Check {
  const name = "sample data";
  const restore = "git checkout -- data/ (or: npx threatlab generate --rows 1000 --seed 42 --out data/sample_logs.csv && npx threatlab samples --out data/samples)";
  const csv = join(root, SAMPLE_DATA);
  const missing = [csv, ...SAMPLES.map((s) => join(root, "data", "samples", s.file))].filter((p) => !existsSync(p));
  if (missing.length > 0) return { name, ok: false, detail: `missing: ${missing.join(", ")}`, fix: restore };
  try {
    if (!readLogs(csv).frameEqual(generateLogs({ rows: 1000, seed: 42 }))) {
      return { name, ok: false, detail: `${SAMPLE_DATA} was changed: it is no longer the seed-42 sample the notebooks describe`, fix: restore };
    }
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, fix: restore };
  }
  return { name, ok: true, detail: `${SAMPLE_DATA} (seed 42) and ${SAMPLES.length} logs in data/samples/` };
}

/** Checks for a Chromium (optional: only the browser tests and report checks need it). */
export function checkChromium(env: NodeJS.ProcessEnv = process.env): Check {
  const path = findChromium(env);
  return {
    name: "Chromium (optional)",
    ok: path !== undefined,
    detail: path ?? `not found at ${chromiumCandidates(env).join(" or ")}; only the browser tests need it`,
    fix: HOW_TO_GET_CHROMIUM,
    optional: true,
  };
}

/** Runs every check, in the order a learner would fix them. */
export function runChecks(root: string = projectRoot(), env: NodeJS.ProcessEnv = process.env): Check[] {
  const jupyter = findJupyter(env);
  return [checkNode(), checkPolars(), checkTslab(root), checkSamples(root), checkJupyter(jupyter), checkKernel(jupyter, root, env), checkChromium(env)];
}

/** Returns the report: one line per check (✗ lines with their fix), then a verdict. */
export function formatChecks(checks: readonly Check[]): string {
  const lines = checks.map((c) => {
    const mark = c.ok ? "✓" : c.optional ? "○" : "✗";
    return `${mark} ${c.name}: ${c.detail}${c.ok ? "" : `\n    fix: ${c.fix}`}`;
  });
  const failed = checks.filter((c) => !c.ok && !c.optional).length;
  lines.push(failed === 0 ? `All ${checks.filter((c) => !c.optional).length} required checks passed: ready for the workshop (npm run lab).` : `${failed} required check${failed === 1 ? "" : "s"} failed: fix ${failed === 1 ? "it" : "them"} and rerun npm run doctor.`);
  return lines.join("\n");
}

function main(): number {
  const checks = runChecks();
  console.log(formatChecks(checks));
  return checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
