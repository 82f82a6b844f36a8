/**
 * Categorical codes to text, inside polars: the generator draws small integer codes into typed
 * arrays and lets polars map them to strings, which is far cheaper than building JS string arrays.
 */
import pl, { type Expr } from "nodejs-polars";

const indexCache = new Map<number, number[]>();

/** Returns `[0, 1, …, n − 1]`, shared between calls. */
function indices(n: number): number[] {
  let found = indexCache.get(n);
  if (!found) {
    found = Array.from({ length: n }, (_, i) => i);
    indexCache.set(n, found);
  }
  return found;
}

/**
 * Returns an expression that replaces the integer codes in column `name` by `values[code]`.
 * @example
 * pl.DataFrame({ c: [1, 0] }).select(decodeCodes("c", ["no", "yes"])) // c: ["yes", "no"]
 */
export function decodeCodes(name: string, values: readonly string[]): Expr {
  return pl.col(name).replaceStrict(indices(values.length), [...values]);
}

let ipNames: string[] | undefined;

/** Returns the 65,025 addresses `192.168.a.b` for a, b in 1..255, indexed by `(a − 1) × 255 + (b − 1)`. */
export function ipv4Names(): string[] {
  if (!ipNames) {
    ipNames = [];
    for (let a = 1; a <= 255; a++) for (let b = 1; b <= 255; b++) ipNames.push(`192.168.${a}.${b}`);
  }
  return ipNames;
}
