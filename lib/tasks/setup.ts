/**
 * `npm run setup` (after `npm ci`): installs JupyterLab 4 (with Notebook 7) into the project's own
 * Python environment, `.venv`, registers the threatlab kernel, and ends with a one-line verdict.
 * `--system-jupyter` (or `THREATLAB_JUPYTER`) uses a Jupyter that is already installed instead.
 */
import { spawnSync } from "node:child_process";
import { promises as dns } from "node:dns";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { HOW_TO_GET_JUPYTER, PROJECT_VENV, findJupyter, probeJupyter, venvJupyterPath, which, type Jupyter } from "../jupyter/find-jupyter";
import { KERNEL_DISPLAY_NAME, registerKernel } from "../jupyter/kernelspec";
import { projectRoot, samplePath } from "../shared/paths";

/** What pip installs into `.venv`: JupyterLab 4 and Notebook 7 (nbconvert and nbclient come with them). */
export const JUPYTER_REQUIREMENTS = ["jupyterlab>=4,<5", "notebook>=7,<8"] as const;

/** Returns true when Node is at least 20.19, the oldest release threatlab supports. */
export function nodeIsSupported(version: string = process.versions.node): boolean {
  const [major, minor] = version.split(".").map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}

/**
 * Returns the folder of wheels to install from without any package index, or undefined:
 * `$THREATLAB_WHEELHOUSE`, else `ROOT/wheelhouse` when it exists (an instructor's pre-filled copy).
 */
export function wheelhouse(root: string = projectRoot(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.THREATLAB_WHEELHOUSE?.trim();
  if (chosen) return chosen;
  const bundled = join(root, "wheelhouse");
  return existsSync(bundled) ? bundled : undefined;
}

/**
 * Returns pip's arguments (after the Python) for installing Jupyter into the project's environment.
 * @example
 * pipInstallArgs("wheelhouse") // => ["-m", "pip", "install", "--quiet", "--no-index", "--find-links", "wheelhouse", "jupyterlab>=4,<5", "notebook>=7,<8"]
 */
export function pipInstallArgs(wheels?: string): string[] {
  return ["-m", "pip", "install", "--quiet", ...(wheels ? ["--no-index", "--find-links", wheels] : []), ...JUPYTER_REQUIREMENTS];
}

/**
 * Returns the major version of a JupyterLab version string, or 0.
 * @example
 * jupyterLabMajor({ versions: { jupyterlab: "4.6.4" } }) // => 4
 */
export function jupyterLabMajor(jupyter: Pick<Jupyter, "versions"> | undefined): number {
  return Number(jupyter?.versions.jupyterlab?.split(".")[0]) || 0;
}

/** Runs a command with its output shown; returns true on success. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  console.log(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", timeout: 1_800_000, env: { ...env, DEBIAN_FRONTEND: "noninteractive" } });
  return result.status === 0;
}

/** Returns the first Python 3.9 or newer that can make a virtual environment, or undefined. */
function venvPython(): string | undefined {
  const candidates = [process.env.THREATLAB_PYTHON, which("python3", process.env), "/usr/bin/python3"].filter((c): c is string => Boolean(c));
  const check = "import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 9) else 1)";
  return candidates.find((python) => spawnSync(python, ["-c", check], { stdio: "ignore" }).status === 0);
}

/**
 * pip retries a package index it cannot reach five times per package, with pauses: minutes with
 * no network at all. When pypi.org does not resolve, try it once (pip's own PIP_RETRIES wins).
 */
async function pipEnvironment(): Promise<NodeJS.ProcessEnv> {
  if (process.env.PIP_RETRIES !== undefined) return process.env;
  const resolves = await Promise.race([
    dns.lookup("pypi.org").then(() => true, () => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref()),
  ]);
  return resolves ? process.env : { ...process.env, PIP_RETRIES: "0" };
}

/** Makes `.venv` and installs JupyterLab 4 into it; returns it, or a one-line reason it could not. */
async function installIntoVenv(root: string): Promise<Jupyter | { problem: string }> {
  const venv = join(root, PROJECT_VENV);
  let python = venvPython();
  // Debian and Ubuntu ship Python without venv's pip bootstrap; as root, add it.
  if (!python && process.getuid?.() === 0 && which("apt-get", process.env)) {
    console.log("Python's venv module is missing; installing Debian's python3-venv…");
    if (run("apt-get", ["update", "-qq"]) && run("apt-get", ["install", "-y", "-qq", "python3-venv"])) python = venvPython();
  }
  if (!python) {
    return { problem: "no Python 3.9 or newer with the venv module was found: install python3 and python3-venv (Debian/Ubuntu), then rerun npm run setup" };
  }
  const wheels = wheelhouse(root);
  console.log(`Installing JupyterLab 4 and Notebook 7 into ${venv} with ${python}${wheels ? `, from the wheels in ${wheels} only` : ""} (a minute or a few)…`);
  if (!existsSync(join(venv, "bin", "python")) && !run(python, ["-m", "venv", venv])) {
    return { problem: `${python} -m venv ${venv} failed (see above)` };
  }
  if (!run(join(venv, "bin", "python"), pipInstallArgs(wheels), await pipEnvironment())) {
    return { problem: `pip could not install ${JUPYTER_REQUIREMENTS.join(" ")} into ${venv} (see above)${wheels ? "" : "; without a package index, put their wheels in wheelhouse/ (see docs/workshop.md)"}` };
  }
  const jupyter = probeJupyter([venvJupyterPath(root)], join(venv, "bin", "python"), process.env);
  return jupyter && jupyterLabMajor(jupyter) >= 4 ? jupyter : { problem: `${venvJupyterPath(root)} does not report JupyterLab 4 after installing it` };
}

/** Returns the Jupyter to use: the project's `.venv` (installed if missing), or with `system` an existing one. */
async function chooseJupyter(root: string, system: boolean): Promise<Jupyter | { problem: string }> {
  if (system || process.env.THREATLAB_JUPYTER?.trim()) {
    return findJupyter(process.env, root) ?? { problem: `no Jupyter with nbconvert was found (--system-jupyter and THREATLAB_JUPYTER use one already installed); ${HOW_TO_GET_JUPYTER}` };
  }
  const existing = probeJupyter([venvJupyterPath(root)], join(root, PROJECT_VENV, "bin", "python"), process.env);
  if (existing && jupyterLabMajor(existing) >= 4) return existing;
  return installIntoVenv(root);
}

async function main(args: string[]): Promise<number> {
  const root = projectRoot();
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
  const unknown = args.filter((a) => a !== "--system-jupyter");
  if (unknown.length > 0) {
    console.error(`✗ unknown option ${unknown[0]}; npm run setup takes only --system-jupyter (use a Jupyter already installed instead of the project's .venv)`);
    return 2;
  }
  const jupyter = await chooseJupyter(root, args.includes("--system-jupyter"));
  if ("problem" in jupyter) {
    console.error(`✗ The library and the threatlab CLI are ready, but the notebooks cannot run yet: ${jupyter.problem}.`);
    return 1;
  }
  try {
    registerKernel(jupyter);
  } catch (error) {
    console.error(`✗ Jupyter was found but the kernel could not be registered: ${(error as Error).message}`);
    return 1;
  }
  const { jupyterlab, notebook, nbconvert } = jupyter.versions;
  const apps = [jupyterlab && `JupyterLab ${jupyterlab}`, notebook && `Notebook ${notebook}`].filter(Boolean).join(" and ") || `nbconvert ${nbconvert}`;
  const where = jupyter.command[0] === venvJupyterPath(root) ? `in the project's own environment ${relative(process.cwd(), join(root, PROJECT_VENV)) || PROJECT_VENV}/` : `from ${jupyter.command.join(" ")}`;
  console.log(`✓ threatlab is set up: Node.js ${process.versions.node}; ${apps} ${where}; kernel "${KERNEL_DISPLAY_NAME}" registered. Next: npm start (or npm run lab)`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`✗ npm run setup failed: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
