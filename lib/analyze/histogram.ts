/**
 * Equal-width histogram bins, computed the way numpy's `histogram` (and so matplotlib's `hist`,
 * which the tutorial calls) computes them.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { checkInteger } from "../errors";

/** Bin edges and counts: `counts[i]` values lie in `[edges[i], edges[i + 1])`, the last bin closed. */
export interface Histogram {
  readonly edges: number[];
  readonly counts: number[];
}

/**
 * Returns `bins` equal-width bins from the smallest to the largest value (numpy: `np.histogram(x, bins)`);
 * when all values are equal the range is value ± 0.5, as in numpy. No values give empty arrays.
 * @example
 * histogram([1, 2, 2, 3, 4], 3) // => { edges: [1, 2, 3, 4], counts: [1, 2, 2] }
 */
export function histogram(values: ArrayLike<number>, bins = 50): Histogram {
  checkInteger("bins", bins, 1, 100_000);
  const n = values.length;
  if (n === 0) return { edges: [], counts: [] };
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < first) first = v;
    if (v > last) last = v;
  }
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? last : first + i * step));
  const counts = new Array<number>(bins).fill(0);
  const norm = bins / (last - first);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let k = Math.floor((v - first) * norm);
    if (k === bins) k--;
    // numpy corrects the computed index against the edges, which rounding can put one bin off.
    if (v < edges[k]) k--;
    else if (k !== bins - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return { edges, counts };
}

/**
 * Returns the histogram of a numeric column of a frame; see {@link histogram}.
 * @example
 * columnHistogram(logs, "bytes_transferred", 5).counts // => [223, 194, 177, 209, 197]   (the sample)
 */
export function columnHistogram(frame: DataFrame, column: string, bins = 50): Histogram {
  const values = frame.getColumn(column).cast(pl.Float64).toTypedArray() as Float64Array;
  return histogram(values, bins);
}
