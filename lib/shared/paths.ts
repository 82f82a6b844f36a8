/**
 * Where things are: the project folder and the bundled sample.
 */
import { resolve } from "node:path";

/**
 * Returns the absolute path of the threatlab checkout (the folder holding package.json).
 * @example
 * projectRoot() // => "/home/me/threatlab"
 */
export function projectRoot(): string {
  // This file is lib/shared/paths.ts, compiled to dist/shared/paths.js: two levels down either way.
  return resolve(__dirname, "..", "..");
}

/** The bundled sample: 1,000 rows written by `threatlab generate --rows 1000 --seed 42`. */
export const SAMPLE_DATA = "data/sample_logs.csv";

/**
 * Returns the absolute path of the bundled sample, {@link SAMPLE_DATA}.
 * @example
 * samplePath() // => "/home/me/threatlab/data/sample_logs.csv"
 */
export function samplePath(): string {
  return resolve(projectRoot(), SAMPLE_DATA);
}
