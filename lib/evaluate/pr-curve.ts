/**
 * Precision–recall curves and average precision (the area under the PR curve, as scikit-learn's
 * `average_precision_score` computes it) for detectors that give every unit a score.
 */

/** One point of a precision–recall curve: flagging every unit scoring at least `threshold`. */
export interface PrPoint {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
}

/**
 * Returns the precision–recall curve of `scores` against `labels` (true = attack), one point per
 * distinct score, from the highest threshold down. Empty when there are no positives.
 * @example
 * precisionRecallCurve([0.9, 0.8, 0.3], [true, false, true])
 * // => [{ threshold: 0.9, precision: 1, recall: 0.5 }, { threshold: 0.8, precision: 0.5, recall: 0.5 },
 * //     { threshold: 0.3, precision: 0.667, recall: 1 }]
 */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<boolean>): PrPoint[] {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  if (positives === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i]) tp++;
    else fp++;
    // Units with equal scores are flagged together: emit a point only after the last of them.
    if (k + 1 < n && scores[order[k + 1]] === scores[i]) continue;
    points.push({ threshold: scores[i], precision: tp / (tp + fp), recall: tp / positives });
  }
  return points;
}

/**
 * Returns the average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over the curve's points (no interpolation, as
 * scikit-learn), or `null` when there are no positives.
 * @example
 * averagePrecision([0.9, 0.8, 0.3], [true, false, true]) // => 0.5·1 + 0.5·(2/3) = 0.8333…
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number | null {
  const curve = precisionRecallCurve(scores, labels);
  if (curve.length === 0) return null;
  let previous = 0;
  let area = 0;
  for (const { precision, recall } of curve) {
    area += (recall - previous) * precision;
    previous = recall;
  }
  return area;
}

/** Returns `n` points of a curve spread evenly along it (always keeping both ends), to keep figures small. */
export function thinCurve(curve: readonly PrPoint[], n = 200): PrPoint[] {
  if (curve.length <= n) return [...curve];
  const step = (curve.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, k) => curve[Math.round(k * step)]);
}
