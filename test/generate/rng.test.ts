import { describe, expect, it } from "vitest";
import { createRng, hashString, xoshiro128ss } from "../../lib/shared/rng";

/** xoshiro128** written from the reference C code with BigInt arithmetic: a second implementation. */
function referenceXoshiro(seed: [number, number, number, number], count: number): number[] {
  const mask = 0xffffffffn;
  let s = seed.map(BigInt);
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & mask;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & mask, 7n) * 9n) & mask));
    const t = (s[1] << 9n) & mask;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    s = [...s];
  }
  return out;
}

describe("xoshiro128ss", () => {
  it("starts from state [1, 2, 3, 4] with 11520 = rotl(2·5, 7)·9, worked by hand", () => {
    expect(xoshiro128ss([1, 2, 3, 4]).uint32()).toBe(11520);
  });

  it("matches a BigInt reference implementation for 1000 outputs", () => {
    const seed: [number, number, number, number] = [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0xdeadbeef];
    const rng = xoshiro128ss(seed);
    const ours = Array.from({ length: 1000 }, () => rng.uint32());
    expect(ours).toEqual(referenceXoshiro(seed, 1000));
  });

  it("float() stays in [0, 1) and has a mean near 1/2", () => {
    const rng = createRng(1, "float");
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.float();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    // The mean of 100,000 uniforms has standard deviation 1/sqrt(12·1e5) ≈ 0.00091; allow 5σ.
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.0046);
  });

  it("below(n) covers 0..n−1 evenly (chi-square, 9 degrees of freedom)", () => {
    const rng = createRng(7, "below");
    const counts = new Array(10).fill(0);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) counts[rng.below(10)]++;
    const expected = draws / 10;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // The 99.9% point of chi-square with 9 degrees of freedom is 27.88.
    expect(chi2).toBeLessThan(27.88);
  });

  it("below(n) is unbiased where plain scaling is not: n = 3·2^30 splits 2^32 unevenly", () => {
    // With x·n / 2^32, values in the lower two thirds would come up twice as often as the rest.
    const n = 3 * 2 ** 30;
    const rng = createRng(3, "bias");
    let low = 0;
    const draws = 60_000;
    for (let i = 0; i < draws; i++) if (rng.below(n) < n / 2) low++;
    expect(Math.abs(low / draws - 0.5)).toBeLessThan(0.01);
  });
});

describe("createRng", () => {
  it("gives the same numbers for the same seed and name", () => {
    const a = createRng(42, "user_id");
    const b = createRng(42, "user_id");
    expect(Array.from({ length: 50 }, () => a.uint32())).toEqual(Array.from({ length: 50 }, () => b.uint32()));
  });

  it("gives different streams for different names or seeds", () => {
    const first = (seed: number, name: string): number[] => {
      const r = createRng(seed, name);
      return Array.from({ length: 5 }, () => r.uint32());
    };
    expect(first(42, "a")).not.toEqual(first(42, "b"));
    expect(first(42, "a")).not.toEqual(first(43, "a"));
    expect(first(1, "a")).not.toEqual(first(2 ** 32 + 1, "a"));
  });

  it("rejects a seed that is not a whole number ≥ 0", () => {
    expect(() => createRng(-1)).toThrow("invalid seed: -1 (expected a whole number ≥ 0)");
    expect(() => createRng(1.5)).toThrow("invalid seed: 1.5");
  });

  it("hashString is 32-bit FNV-1a (published test vectors)", () => {
    expect(hashString("")).toBe(0x811c9dc5);
    expect(hashString("a")).toBe(0xe40c292c);
    expect(hashString("foobar")).toBe(0xbf9cf968);
  });
});
