/**
 * Finding a Jupyter installation: the `jupyter` command on PATH, Debian's /usr/bin/jupyter, or
 * `python3 -m jupyter`; and what it can do (nbconvert, the classic Notebook, JupyterLab).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { projectRoot } from "../shared/paths";

/** A Jupyter installation that threatlab can drive. */
export interface Jupyter {
  /** The command and its first arguments, e.g. `["jupyter"]` or `["python3", "-m", "jupyter"]`. */
  readonly command: readonly string[];
  /** The Python that runs it (for signing notebooks). */
  readonly python: string;
  /** Versions of the parts threatlab uses; absent when not installed. */
  readonly versions: { readonly nbconvert?: string; readonly notebook?: string; readonly jupyterlab?: string; readonly nbclient?: string };
}

/** Environment for running Jupyter quietly: no debugger chatter, no browser. */
export const JUPYTER_ENV = { PYDEVD_DISABLE_FILE_VALIDATION: "1", BROWSER: "true" } as const;

/** Returns the versions table printed by `jupyter --version`, keyed by lower-case package name. */
export function parseJupyterVersions(text: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([\w-]+)\s*:\s*(\S.*?)\s*$/.exec(line);
    if (m && m[2] !== "not installed") versions[m[1].toLowerCase()] = m[2];
  }
  return versions;
}

/** Returns the interpreter named on a script's `#!` line, or undefined. */
function shebangPython(path: string): string | undefined {
  try {
    const first = readFileSync(path, "utf8").split("\n", 1)[0];
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (!m) return undefined;
    return m[1].endsWith("/env") ? m[2] : m[1];
  } catch {
    return undefined;
  }
}

/** Returns the absolute path of a program on PATH, or undefined. */
export function which(program: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

/** The project's own Python environment, made by `npm run setup`, relative to the checkout. */
export const PROJECT_VENV = ".venv";

/** Returns the `jupyter` of the project's own environment (`ROOT/.venv/bin/jupyter`). */
export function venvJupyterPath(root: string = projectRoot()): string {
  return join(root, PROJECT_VENV, "bin", "jupyter");
}

/**
 * Returns what `jupyter --version` says of one installation, or undefined when it does not run or
 * has no nbconvert (threatlab executes notebooks with it).
 */
export function probeJupyter(command: readonly string[], python: string | undefined, env: NodeJS.ProcessEnv): Jupyter | undefined {
  const run = spawnSync(command[0], [...command.slice(1), "--version"], {
    encoding: "utf8",
    env: { ...env, ...JUPYTER_ENV },
    timeout: 60_000,
  });
  if (run.status !== 0) return undefined;
  const versions = parseJupyterVersions(`${run.stdout}\n${run.stderr}`);
  if (!versions.nbconvert) return undefined;
  return {
    command,
    python: python ?? "python3",
    versions: { nbconvert: versions.nbconvert, notebook: versions.notebook, jupyterlab: versions.jupyterlab, nbclient: versions.nbclient },
  };
}

/**
 * Returns the first Jupyter found that has nbconvert, or `undefined`. Looks first in the project's
 * own environment (`.venv`, made by `npm run setup`), then at `jupyter` on PATH, /usr/bin/jupyter
 * and `python3 -m jupyter`; `$THREATLAB_JUPYTER` (a path to a `jupyter` executable), when set, is
 * the only one tried, so an explicit choice never falls back to another.
 * @example
 * findJupyter(process.env)?.versions.jupyterlab // => "4.6.4"
 */
export function findJupyter(env: NodeJS.ProcessEnv, root: string = projectRoot()): Jupyter | undefined {
  const candidates: { command: string[]; python?: string }[] = [];
  const chosen = env.THREATLAB_JUPYTER?.trim();
  for (const path of chosen ? [chosen] : [venvJupyterPath(root), which("jupyter", env), "/usr/bin/jupyter"]) {
    if (path && existsSync(path)) candidates.push({ command: [path], python: shebangPython(path) });
  }
  if (!chosen) candidates.push({ command: ["python3", "-m", "jupyter"], python: "python3" });
  for (const { command, python } of candidates) {
    const found = probeJupyter(command, python, env);
    if (found) return found;
  }
  return undefined;
}

/** One line that says how to get Jupyter, for messages where none was found. */
export const HOW_TO_GET_JUPYTER =
  "run npm run setup, which installs JupyterLab 4 into the project's own .venv (or set THREATLAB_JUPYTER to the jupyter you have)";
