/**
 * Seeded random numbers: xoshiro128** seeded through splitmix32, one independent stream per name.
 *
 * Every column of generated data draws from its own named stream, so adding a column or changing how
 * one column is drawn never shifts the values of another. All arithmetic is 32-bit (`Math.imul`),
 * which keeps the generator fast in V8 and identical on every platform.
 */
import { checkInteger } from "../errors";

/** A seeded source of random numbers. */
export interface Rng {
  /** Returns the next 32-bit unsigned integer. */
  uint32(): number;
  /** Returns a float in [0, 1) with 53 random bits. */
  float(): number;
  /** Returns a whole number in [0, n), without modulo bias; `n` is at most 2^32. */
  below(n: number): number;
}

const TWO_32 = 4294967296;

/**
 * Returns the 32-bit FNV-1a hash of a string: how stream names become seeds.
 * @example
 * hashString("bytes") // => 1706151940
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Returns a splitmix32 step function: a Weyl sequence scrambled by murmur3's finaliser, used only
 * to spread a small seed over xoshiro's 128 bits of state.
 */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Returns an xoshiro128** generator started from four 32-bit state words (not all zero).
 * @example
 * xoshiro128ss([1, 2, 3, 4]).uint32() // => 11520
 */
export function xoshiro128ss(state: readonly [number, number, number, number]): Rng {
  let [s0, s1, s2, s3] = state.map((x) => x >>> 0);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point
  const uint32 = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const float = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;
  // Lemire's multiply-and-reject: x * n < 2^52 is exact in a double, so no BigInt is needed.
  const below = (n: number): number => {
    let m = uint32() * n;
    let low = m % TWO_32;
    if (low < n) {
      const threshold = TWO_32 % n;
      while (low < threshold) {
        m = uint32() * n;
        low = m % TWO_32;
      }
    }
    return Math.floor(m / TWO_32);
  };
  return { uint32, float, below };
}

/**
 * Returns the random stream called `name` for `seed`. The same seed and name always give the same
 * numbers; different names give independent streams.
 * @example
 * const rng = createRng(42, "user_id");
 * rng.below(100) // a whole number in 0..99, the same on every run
 */
export function createRng(seed: number, name = ""): Rng {
  checkInteger("seed", seed, 0);
  // Hashing the decimal text keeps seeds above 2^32 apart from small ones.
  const mix = splitmix32(hashString(`${seed}/${name}`));
  return xoshiro128ss([mix(), mix(), mix(), mix()]);
}
