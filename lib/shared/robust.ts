/**
 * Robust statistics: medians and median absolute deviations, which a handful of attack windows
 * cannot drag the way they drag a mean and a standard deviation.
 */

/**
 * Returns the median of `values` (the mean of the middle two for an even count), or NaN for none.
 * @example
 * median([3, 1, 2, 10]) // => 2.5
 */
export function median(values: readonly number[] | Float64Array): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort(); // numeric order, natively: millions of values in a blink
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Returns the median absolute deviation scaled by 1.4826, so that for normal data it estimates
 * the standard deviation.
 * @example
 * mad([1, 2, 3, 4, 100]) // => 1.4826   (deviations from the median 3: 2, 1, 0, 1, 97)
 */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/** The robust centre and spread of an entity's history. */
export interface Baseline {
  readonly median: number;
  readonly mad: number;
  /** How many windows the baseline was learned from. */
  readonly windows: number;
}

/** Returns the baseline of `values`. */
export function baseline(values: readonly number[]): Baseline {
  return { median: median(values), mad: mad(values), windows: values.length };
}

/**
 * Returns how many robust standard deviations `x` lies above the baseline. A zero MAD (most windows
 * identical) would make any difference infinite, so the spread is floored at `floorSpread`.
 * @example
 * robustZ(10, baseline([1, 2, 3, 4, 5]), 0) // => 4.7214…   ((10 − 3) / (1.4826 × 1))
 */
export function robustZ(x: number, base: Baseline, floorSpread: number): number {
  return (x - base.median) / Math.max(base.mad, floorSpread);
}
