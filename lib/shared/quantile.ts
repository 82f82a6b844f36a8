/**
 * Quantiles with linear interpolation: the default of pandas' `Series.quantile` and numpy's
 * `percentile` (Hyndman & Fan's method 7). nodejs-polars defaults to "nearest", which gives a
 * different threshold, so threatlab always asks for "linear" explicitly.
 */
import type { Expr } from "nodejs-polars";
import { checkNumber } from "../errors";

/**
 * Returns the `q` quantile of `values` with linear interpolation, computed as numpy does it, or
 * `null` when there are no values. A reference implementation in plain TypeScript, used by tests
 * and small inputs; frames use {@link quantileExpr}.
 * @example
 * quantileLinear([1, 2, 3, 4], 0.5)  // => 2.5
 * quantileLinear([10, 20], 0.95)     // => 19.5
 */
export function quantileLinear(values: ArrayLike<number>, q: number): number | null {
  checkNumber("quantile", q, 0, 1);
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  // numpy: virtual index = n·q + (α + q(1 − α − β)) − 1 with α = β = 1, i.e. (n − 1)·q.
  const index = n * q - q;
  const lower = Math.min(Math.max(Math.floor(index), 0), n - 1);
  const upper = Math.min(lower + 1, n - 1);
  const t = index - lower;
  const a = sorted[lower];
  const b = sorted[upper];
  const diff = b - a;
  // numpy's _lerp interpolates from the nearer end, which keeps the result monotonic in t.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Returns a polars expression for the linear-interpolated `q` quantile of `expr`
 * (pandas' `quantile(q)`), working around nodejs-polars' "nearest" default.
 * @example
 * logs.select(quantileExpr(pl.col("bytes_transferred"), 0.95))
 */
export function quantileExpr(expr: Expr, q: number): Expr {
  checkNumber("quantile", q, 0, 1);
  // The typings omit the interpolation argument that the binding accepts.
  const withMethod = expr as unknown as { quantile(q: number, interpolation: "linear"): Expr };
  return withMethod.quantile(q, "linear");
}
