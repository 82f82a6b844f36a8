/**
 * What the notebooks run on: the tutorial's Python libraries and their TypeScript counterparts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./paths";

/** One line of {@link environmentReport}. */
export interface Component {
  /** What the tutorial used for this job. */
  tutorial: string;
  /** What threatlab uses instead. */
  threatlab: string;
  version: string;
}

/**
 * Returns the installed version of an npm package of this checkout (or of threatlab), or "not installed".
 * @example
 * packageVersion("nodejs-polars") // => "0.24.1"
 */
export function packageVersion(name: string): string {
  const manifest = name === "threatlab" ? join(projectRoot(), "package.json") : join(projectRoot(), "node_modules", name, "package.json");
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

/**
 * Returns the tutorial's step 1 as a table: each Python library it installed, the package that
 * does the job here, and its installed version.
 * @example
 * environmentReport()[0] // => { tutorial: "Python 3", threatlab: "Node.js", version: "20.20.2" }
 */
export function environmentReport(): Component[] {
  return [
    { tutorial: "Python 3", threatlab: "Node.js", version: process.versions.node },
    { tutorial: "Jupyter kernel (ipykernel)", threatlab: "tslab", version: packageVersion("tslab") },
    { tutorial: "pandas (fast path)", threatlab: "nodejs-polars", version: packageVersion("nodejs-polars") },
    { tutorial: "pandas (familiar API)", threatlab: "danfojs-node", version: packageVersion("danfojs-node") },
    { tutorial: "numpy random", threatlab: "threatlab's seeded xoshiro128**", version: packageVersion("threatlab") },
    { tutorial: "matplotlib", threatlab: "plotly.js (offline)", version: packageVersion("plotly.js-dist-min") },
    { tutorial: "scikit-learn StandardScaler", threatlab: "threatlab detect (z-score)", version: packageVersion("threatlab") },
  ];
}
