/**
 * Window arithmetic shared by the rules: bursts in sliding windows, tumbling buckets, and the
 * "how unusual is this for the entity itself" statistics of Splunk's 3-sigma rules.
 */
import pl, { type Expr } from "nodejs-polars";

/** A metric over the events in a window: their count, or the number of distinct `values`. */
export interface WindowMetric {
  /** Values whose distinct count is the metric; absent for a plain event count. */
  readonly values?: ArrayLike<string>;
  /** The metric must reach this (≥) for the window to qualify. */
  readonly atLeast: number;
}

/** A maximal run of qualifying windows: event indices `first..last` (inclusive), and peak metrics. */
export interface Burst {
  readonly first: number;
  readonly last: number;
  /** The highest value each metric reached in any qualifying window. */
  readonly peaks: number[];
}

/**
 * Returns the bursts in time-sorted events where, in a sliding window of `windowMs` ending at an
 * event, every metric reaches its threshold. Overlapping qualifying windows merge into one burst
 * that spans from the first event of the first window to the last event of the last.
 * @example
 * // 3 events within 60 s, then a lone one: one burst of events 0..2.
 * slidingBursts([0, 20_000, 40_000, 500_000], 60_000, [{ atLeast: 3 }]) // => [{ first: 0, last: 2, peaks: [3] }]
 */
export function slidingBursts(times: ArrayLike<number>, windowMs: number, metrics: readonly WindowMetric[]): Burst[] {
  const counts = metrics.map(() => new Map<string, number>());
  const bursts: { first: number; last: number; peaks: number[] }[] = [];
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    metrics.forEach((m, k) => {
      if (m.values) counts[k].set(m.values[hi], (counts[k].get(m.values[hi]) ?? 0) + 1);
    });
    while (times[hi] - times[lo] >= windowMs) {
      metrics.forEach((m, k) => {
        if (!m.values) return;
        const v = m.values[lo];
        const c = counts[k].get(v)! - 1;
        if (c === 0) counts[k].delete(v);
        else counts[k].set(v, c);
      });
      lo++;
    }
    const values = metrics.map((m, k) => (m.values ? counts[k].size : hi - lo + 1));
    if (!values.every((v, k) => v >= metrics[k].atLeast)) continue;
    const open = bursts[bursts.length - 1];
    if (open && lo <= open.last) {
      open.last = hi;
      values.forEach((v, k) => (open.peaks[k] = Math.max(open.peaks[k], v)));
    } else {
      bursts.push({ first: lo, last: hi, peaks: values });
    }
  }
  return bursts;
}

/** Mean and standard deviation of a metric over all tumbling buckets of a period, empty ones counted as 0. */
export interface BucketStats {
  readonly mean: number;
  readonly sd: number;
  /** How many buckets the period has. */
  readonly buckets: number;
}

/**
 * Returns the mean and population standard deviation of per-bucket values over `buckets` buckets,
 * given only the non-empty ones (the others count as zero), as Splunk's rules do after
 * filling empty time buckets with 0.
 * @example
 * bucketStats([4, 2], 4) // => { mean: 1.5, sd: 1.6583…, buckets: 4 }   (values 4, 2, 0, 0)
 */
export function bucketStats(nonEmpty: readonly number[], buckets: number): BucketStats {
  const n = Math.max(buckets, nonEmpty.length, 1);
  let sum = 0;
  let squares = 0;
  for (const v of nonEmpty) {
    sum += v;
    squares += v * v;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt(Math.max(0, squares / n - mean * mean)), buckets: n };
}

/**
 * Returns the number of distinct `values` in each tumbling bucket of `windowMs` (bucket index =
 * ⌊time / windowMs⌋) that has any event.
 * @example
 * distinctPerBucket([0, 10, 70], ["a", "b", "a"], 60) // => Map { 0 => 2, 1 => 1 }
 */
export function distinctPerBucket(times: ArrayLike<number>, values: ArrayLike<string>, windowMs: number): Map<number, number> {
  const sets = new Map<number, Set<string>>();
  for (let i = 0; i < times.length; i++) {
    const bucket = Math.floor(times[i] / windowMs);
    let set = sets.get(bucket);
    if (!set) sets.set(bucket, (set = new Set()));
    set.add(values[i]);
  }
  return new Map([...sets].map(([b, s]) => [b, s.size]));
}

/** Returns how many tumbling buckets of `windowMs` the period from `from` to `to` touches. */
export function bucketCount(from: number, to: number, windowMs: number): number {
  return Math.floor(to / windowMs) - Math.floor(from / windowMs) + 1;
}

/** What an entity usually does per bucket, for comparing a burst with the entity's own history. */
export interface History extends BucketStats {
  /** mean + sigma × sd: Splunk's "upperBound". */
  readonly bound: number;
  /** The largest per-bucket value outside the burst (0 when the entity was never seen outside it). */
  readonly usualMax: number;
  /**
   * True when the period spans at least {@link MIN_HISTORY_BUCKETS} buckets. A few minutes of
   * logs say nothing about an entity's habits, so rules then skip the history test.
   */
  readonly known: boolean;
}

/** Buckets a period must span before an entity's history counts (a day of 1-hour buckets; 4 h of 10-min ones). */
export const MIN_HISTORY_BUCKETS = 24;

/**
 * Returns an entity's history of a per-bucket metric (the distinct count of `values`, or the event
 * count when `values` is absent) over the whole period `span`, in tumbling buckets of `windowMs`,
 * and its usual maximum outside the burst between `burstFrom` and `burstTo`.
 */
export function entityHistory(
  times: readonly number[],
  values: readonly string[] | undefined,
  windowMs: number,
  span: { from: number; to: number },
  sigma: number,
  burstFrom: number,
  burstTo: number,
): History {
  const perBucket = values ? distinctPerBucket(times, values, windowMs) : countPerBucket(times, windowMs);
  const stats = bucketStats([...perBucket.values()], bucketCount(span.from, span.to, windowMs));
  const lo = Math.floor(burstFrom / windowMs);
  const hi = Math.floor(burstTo / windowMs);
  let usualMax = 0;
  for (const [bucket, v] of perBucket) if (bucket < lo || bucket > hi) usualMax = Math.max(usualMax, v);
  return { ...stats, bound: stats.mean + sigma * stats.sd, usualMax, known: stats.buckets >= MIN_HISTORY_BUCKETS };
}

/** Returns the number of events in each tumbling bucket of `windowMs` that has any. */
export function countPerBucket(times: ArrayLike<number>, windowMs: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < times.length; i++) {
    const bucket = Math.floor(times[i] / windowMs);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

/**
 * Returns an expression for the start (epoch ms) of the tumbling window of `windowMs` holding each
 * value of an epoch-ms column. Integer arithmetic only (an Int64 literal, too): polars divides
 * floats by multiplying with the reciprocal, which puts some times exactly on a boundary into the
 * window before.
 */
export function windowStartExpr(epochMs: Expr, windowMs: number): Expr {
  const w = pl.lit(windowMs).cast(pl.Int64);
  const t = epochMs.cast(pl.Int64);
  return t.sub(t.modulo(w).add(w).modulo(w));
}

/** Returns bursts merged where their event ranges overlap, keeping each metric's peak. */
export function mergeBursts(bursts: readonly Burst[]): Burst[] {
  const sorted = [...bursts].sort((a, b) => a.first - b.first);
  const merged: { first: number; last: number; peaks: number[] }[] = [];
  for (const b of sorted) {
    const open = merged[merged.length - 1];
    if (open && b.first <= open.last) {
      open.last = Math.max(open.last, b.last);
      open.peaks = open.peaks.map((p, k) => Math.max(p, b.peaks[k] ?? 0));
    } else {
      merged.push({ first: b.first, last: b.last, peaks: [...b.peaks] });
    }
  }
  return merged;
}
