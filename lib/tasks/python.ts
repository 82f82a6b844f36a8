/**
 * Finding a Python that has pandas (and numpy), for the pandas baselines of the benchmark and the
 * parity tests: `$THREATLAB_PYTHON`, then `python3` on PATH, then Debian's /usr/bin/python3.
 */
import { spawnSync } from "node:child_process";

/** Returns the Pythons tried, in order. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.THREATLAB_PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => Boolean(c));
}

/** Returns the first Python that imports pandas and numpy, or undefined. */
export function findPandasPython(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return pythonCandidates(env).find((python) => spawnSync(python, ["-c", "import pandas, numpy"], { stdio: "ignore" }).status === 0);
}
