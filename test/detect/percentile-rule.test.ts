import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { anomalyThreshold, flagByteAnomalies, flagBytesAbove } from "../../lib/detect/percentile-rule";
import { quantileExpr, quantileLinear } from "../../lib/shared/quantile";
import { createRng } from "../../lib/shared/rng";

const bytes = (values: number[]) => pl.DataFrame({ bytes_transferred: values }).withColumns(pl.col("bytes_transferred").cast(pl.Int64));

describe("quantileLinear (worked by hand: index (n − 1)·q, then interpolate)", () => {
  it.each([
    [[1, 2, 3, 4], 0.5, 2.5], // index 1.5: 2 + 0.5·1
    [[10, 20], 0.95, 19.5], // index 0.95: 10 + 0.95·10
    [[4, 1, 3, 2, 5], 0.95, 4.8], // sorted 1..5, index 3.8: 4 + 0.8·1
    [Array.from({ length: 20 }, (_, i) => i + 1), 0.95, 19.05], // index 18.05: 19 + 0.05·1
    [[7], 0.95, 7], // one value
    [[5, 5, 5, 5], 0.95, 5], // all tied
    [[1, 2, 2, 2, 9], 0.5, 2], // index 2 falls on a tie
    [[1, 2, 3], 0, 1],
    [[1, 2, 3], 1, 3],
  ])("quantileLinear(%j, %d) = %d", (values, q, expected) => {
    expect(quantileLinear(values, q)).toBeCloseTo(expected, 12);
  });

  it("returns null for no values and rejects q outside 0..1", () => {
    expect(quantileLinear([], 0.5)).toBeNull();
    expect(() => quantileLinear([1], 1.5)).toThrow("invalid quantile: 1.5 (expected a number from 0 to 1)");
  });
});

describe("quantileExpr and anomalyThreshold (polars)", () => {
  it("agree with the TypeScript reference on random data to 1e-12 relative", () => {
    const rng = createRng(5, "quantile");
    for (const n of [2, 3, 10, 999, 10_000]) {
      const values = Array.from({ length: n }, () => 100 + rng.below(999_901));
      for (const q of [0.05, 0.5, 0.9, 0.95, 0.99]) {
        const viaPolars = bytes(values).select(quantileExpr(pl.col("bytes_transferred"), q).alias("q")).row(0)[0];
        const reference = quantileLinear(values, q)!;
        expect(Math.abs(viaPolars - reference) / reference).toBeLessThan(1e-12);
      }
    }
  });

  it("differs from polars' default 'nearest' where interpolation matters", () => {
    expect(anomalyThreshold(bytes([1, 2, 3, 4, 5]))).toBeCloseTo(4.8, 12);
    expect(bytes([1, 2, 3, 4, 5]).getColumn("bytes_transferred").quantile(0.95)).toBe(5);
  });

  it("is null for no rows", () => {
    expect(anomalyThreshold(bytes([]))).toBeNull();
  });
});

describe("flagByteAnomalies", () => {
  it("flags only values strictly above the threshold", () => {
    // Threshold 4.8: only 5 is above it.
    expect(flagByteAnomalies(bytes([1, 2, 3, 4, 5])).getColumn("is_anomaly").toArray()).toEqual([false, false, false, false, true]);
  });

  it("flagBytesAbove takes a threshold already computed, and flags nothing for null", () => {
    expect(flagBytesAbove(bytes([1, 5, 9]), 5).getColumn("is_anomaly").toArray()).toEqual([false, false, true]);
    expect(flagBytesAbove(bytes([1, 5, 9]), null).getColumn("is_anomaly").toArray()).toEqual([false, false, false]);
  });

  it("flags nothing when every value is tied at the threshold", () => {
    expect(flagByteAnomalies(bytes([10, 10, 10, 10])).getColumn("is_anomaly").toArray()).toEqual([false, false, false, false]);
  });

  it("with a tie at the top, the interpolated threshold sits below both tied values", () => {
    // Sorted 1, 2, 3, 9, 9: index 3.8 lies between 9 and 9, so the threshold is 9 and nothing is above.
    expect(flagByteAnomalies(bytes([9, 1, 9, 2, 3])).getColumn("is_anomaly").toArray()).toEqual([false, false, false, false, false]);
  });

  it("adds the population z-score, as scikit-learn's StandardScaler", () => {
    // 1, 2, 3: mean 2, population sd sqrt(2/3), so z = ∓1/sqrt(2/3) = ∓1.224744871391589.
    const z = flagByteAnomalies(bytes([1, 2, 3])).getColumn("bytes_zscore").toArray();
    expect(z[0]).toBeCloseTo(-1.224744871391589, 12);
    expect(z[1]).toBe(0);
    expect(z[2]).toBeCloseTo(1.224744871391589, 12);
  });

  it("scores a constant column 0, as StandardScaler does", () => {
    expect(flagByteAnomalies(bytes([4, 4])).getColumn("bytes_zscore").toArray()).toEqual([0, 0]);
  });

  it("takes another quantile, leaves its input unchanged, and handles no rows", () => {
    const input = bytes([1, 2, 3, 4, 5]);
    // q = 0.5: threshold 3, so 4 and 5 are flagged.
    expect(flagByteAnomalies(input, { quantile: 0.5 }).getColumn("is_anomaly").toArray()).toEqual([false, false, false, true, true]);
    expect(input.columns).toEqual(["bytes_transferred"]);
    expect(flagByteAnomalies(bytes([])).columns).toEqual(["bytes_transferred", "bytes_zscore", "is_anomaly"]);
  });
});
