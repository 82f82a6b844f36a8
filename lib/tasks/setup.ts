/**
 * `npm run setup` (after `npm ci`): makes sure Jupyter is there, installing it where it can,
 * registers the threatlab kernel, and ends with a one-line verdict.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { HOW_TO_GET_JUPYTER, findJupyter, which, type Jupyter } from "../jupyter/find-jupyter";
import { KERNEL_NAME, registerKernel } from "../jupyter/kernelspec";
import { samplePath } from "../notebook/paths";

/** Debian/Ubuntu packages that give Jupyter with nbconvert and nbclient. */
export const DEBIAN_PACKAGES = ["jupyter-notebook", "jupyter-nbconvert", "python3-nbclient"] as const;

/** Returns true when Node is at least 20.19, the oldest release threatlab supports. */
export function nodeIsSupported(version: string = process.versions.node): boolean {
  const [major, minor] = version.split(".").map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}

/** Runs a command with its output shown; returns true on success. */
function run(command: string, args: string[], timeoutMs: number): boolean {
  console.log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return result.status === 0;
}

/** Tries to install Jupyter: Debian packages when root, else pip --user. Returns what it found after. */
function installJupyter(): Jupyter | undefined {
  const isRoot = process.getuid?.() === 0;
  if (isRoot && which("apt-get")) {
    console.log("Jupyter not found; installing Debian's Jupyter packages (about a minute)…");
    if (run("apt-get", ["update", "-qq"], 600_000) && run("apt-get", ["install", "-y", "-qq", ...DEBIAN_PACKAGES], 1_200_000)) {
      const found = findJupyter();
      if (found) return found;
    }
  }
  if (which("python3")) {
    console.log("Jupyter not found; trying pip install --user jupyterlab (needs the Python package index)…");
    if (run("python3", ["-m", "pip", "install", "--user", "--quiet", "jupyterlab"], 1_200_000)) return findJupyter();
  }
  return undefined;
}

function main(): number {
  if (!nodeIsSupported()) {
    console.error(`✗ threatlab needs Node.js 20.19 or newer; this is ${process.versions.node}. Install a newer Node.js, then rerun npm run setup.`);
    return 1;
  }
  try {
    require("nodejs-polars");
  } catch (error) {
    console.error(`✗ nodejs-polars' native engine does not load (${(error as Error).message.split("\n")[0]}); rerun npm ci on Node.js 20.19 or newer.`);
    return 1;
  }
  if (!existsSync(samplePath())) {
    console.error(`✗ the sample data ${samplePath()} is missing; restore it with: npx threatlab generate --rows 1000 --seed 42 --out data/sample_logs.csv`);
    return 1;
  }
  const jupyter = findJupyter() ?? installJupyter();
  if (!jupyter) {
    console.error(`✗ The library and the threatlab CLI are ready, but Jupyter is missing and could not be installed here, so the notebooks cannot run: ${HOW_TO_GET_JUPYTER}, then run npm run kernel.`);
    return 1;
  }
  try {
    registerKernel(jupyter);
  } catch (error) {
    console.error(`✗ Jupyter was found but the kernel could not be registered: ${(error as Error).message}`);
    return 1;
  }
  const app = jupyter.versions.jupyterlab ? `JupyterLab ${jupyter.versions.jupyterlab}` : `the classic Notebook ${jupyter.versions.notebook ?? ""}`.trim();
  console.log(`✓ threatlab is set up: Node.js ${process.versions.node}, Jupyter nbconvert ${jupyter.versions.nbconvert} with ${app}, kernel "${KERNEL_NAME}" registered. Next: npm start`);
  return 0;
}

if (require.main === module) process.exitCode = main();
