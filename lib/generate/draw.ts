/**
 * Drawing from distributions with a seeded {@link Rng}: normal, log-normal, Poisson counts,
 * weighted choices. Small and explicit, so a seed always gives the same draws on every platform.
 */
import type { Rng } from "../shared/rng";

/** Returns a standard normal draw (Box–Muller; one of the pair is discarded for simplicity). */
export function normal(rng: Rng, mean = 0, sd = 1): number {
  const u = 1 - rng.float(); // in (0, 1], so log(u) is finite
  const v = rng.float();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Returns a log-normal draw whose median is `median` and whose log has standard deviation `sigma`. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(normal(rng, 0, sigma));
}

/**
 * Returns a Poisson draw with mean `lambda`: Knuth's product method below 30, a rounded normal
 * approximation above (its error is negligible there and it costs two draws).
 */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= 30) return Math.max(0, Math.round(normal(rng, lambda, Math.sqrt(lambda))));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}

/** Returns a float uniform in [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.float();
}

/** Returns a whole number uniform in min..max, both included. */
export function integer(rng: Rng, min: number, max: number): number {
  return min + rng.below(max - min + 1);
}

/** Returns an index drawn with the given (not necessarily normalised) weights. */
export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rng.float() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** Returns one element of `items`, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.below(items.length)];
}

/** Returns `count` distinct elements of `items` in random order (partial Fisher–Yates). */
export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.below(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}
