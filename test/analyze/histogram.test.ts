import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { columnHistogram, histogram } from "../../lib/analyze/histogram";

describe("histogram", () => {
  it("splits min..max into equal bins, the last one closed (worked by hand)", () => {
    // Edges 1, 2, 3, 4: [1,2) holds 1; [2,3) holds 2, 2; [3,4] holds 3 and 4.
    expect(histogram([1, 2, 2, 3, 4], 3)).toEqual({ edges: [1, 2, 3, 4], counts: [1, 2, 2] });
  });

  it("puts a value on an inner edge in the upper bin", () => {
    expect(histogram([0, 5, 10], 2)).toEqual({ edges: [0, 5, 10], counts: [1, 2] });
  });

  it("uses value ± 0.5 when all values are equal, as numpy does", () => {
    expect(histogram([7, 7, 7], 2)).toEqual({ edges: [6.5, 7, 7.5], counts: [0, 3] });
  });

  it("keeps floating-point edge cases in the bin whose edges hold them", () => {
    // With 10 bins over 0..1 the edge 0.3 is 3·0.1 = 0.30000000000000004; 0.3 itself is below it.
    const { edges, counts } = histogram([0, 0.3, 1], 10);
    expect(edges[3]).toBe(0.30000000000000004);
    expect(counts[2]).toBe(1);
    expect(counts.reduce((a, b) => a + b)).toBe(3);
  });

  it("returns empty arrays for no values and rejects a bad bin count", () => {
    expect(histogram([], 5)).toEqual({ edges: [], counts: [] });
    expect(() => histogram([1], 0)).toThrow("invalid bins: 0");
  });

  it("columnHistogram counts every row of a frame column", () => {
    const frame = pl.DataFrame({ b: Array.from({ length: 1000 }, (_, i) => i * 3) });
    const { counts, edges } = columnHistogram(frame, "b", 50);
    expect(counts).toHaveLength(50);
    expect(counts.reduce((a, c) => a + c, 0)).toBe(1000);
    expect(edges[0]).toBe(0);
    expect(edges[50]).toBe(2997);
  });
});
