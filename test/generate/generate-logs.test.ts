import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { createLogGenerator, generateLogs } from "../../lib/generate/generate-logs";
import { LOCATIONS, LOG_TYPES, THREAT_LEVELS, TUTORIAL_COLUMNS } from "../../lib/schema";
import { expectFrameEqual } from "../helpers";

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 1);

describe("generateLogs", () => {
  const big = generateLogs({ rows: 100_000, seed: 11 });

  it("has the tutorial's seven columns, in order, with timestamp as Datetime and bytes as Int64", () => {
    expect(big.columns).toEqual([...TUTORIAL_COLUMNS]);
    expect(big.getColumn("timestamp").dtype).toMatchObject({ variant: "Datetime", timeUnit: "ms" });
    expect(big.getColumn("bytes_transferred").dtype.equals(pl.Int64)).toBe(true);
    expect(big.height).toBe(100_000);
  });

  it("gives an identical frame for the same seed and a different one for another seed", () => {
    expectFrameEqual(generateLogs({ rows: 2000, seed: 5 }), generateLogs({ rows: 2000, seed: 5 }));
    expect(generateLogs({ rows: 2000, seed: 5 }).frameEqual(generateLogs({ rows: 2000, seed: 6 }))).toBe(false);
  });

  it("draws the same rows in chunks as in one call", () => {
    const gen = createLogGenerator({ seed: 9 });
    const chunked = pl.concat([gen.next(300), gen.next(700)]);
    expectFrameEqual(chunked, generateLogs({ rows: 1000, seed: 9 }));
  });

  it("puts timestamps on whole hours from start to start + 720 hours, every hour possible", () => {
    const ms = big.getColumn("timestamp").cast(pl.Int64).toArray().map(Number);
    const hours = new Set(ms.map((t) => (t - START) / HOUR));
    expect(ms.every((t) => (t - START) % HOUR === 0)).toBe(true);
    expect(Math.min(...hours)).toBe(0);
    expect(Math.max(...hours)).toBe(720);
    // 100,000 draws over 721 hours leave no hour empty (each is missed with chance ≈ e^-139).
    expect(hours.size).toBe(721);
  });

  it("honours start and days", () => {
    const frame = generateLogs({ rows: 500, seed: 1, start: "2024-06-01 12:00:00", days: 2 });
    const ms = frame.getColumn("timestamp").cast(pl.Int64).toArray().map(Number);
    const from = Date.UTC(2024, 5, 1, 12);
    expect(Math.min(...ms)).toBeGreaterThanOrEqual(from);
    expect(Math.max(...ms)).toBeLessThanOrEqual(from + 48 * HOUR);
  });

  it('start "now" means now − days, to the second, as the tutorial does', () => {
    const before = Date.now();
    const frame = generateLogs({ rows: 2000, seed: 1, start: "now", days: 1 });
    const ms = frame.getColumn("timestamp").cast(pl.Int64).toArray().map(Number);
    expect(Math.min(...ms)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 86_400_000);
    expect(Math.max(...ms)).toBeLessThanOrEqual(Date.now());
  });

  it("uses only the tutorial's value sets", () => {
    const values = (c: string): string[] => big.getColumn(c).unique().toArray().map(String).sort();
    expect(values("log_type")).toEqual([...LOG_TYPES].sort());
    expect(values("location")).toEqual([...LOCATIONS].sort());
    expect(values("threat_level")).toEqual([...THREAT_LEVELS].sort());
    const users = values("user_id");
    expect(users).toHaveLength(100);
    expect(users.every((u) => /^user_([1-9]\d?|100)$/.test(u))).toBe(true);
  });

  it("draws IP addresses 192.168.a.b with a and b over all of 1..255", () => {
    const octets = big
      .select(pl.col("ip_address").str.split(".").alias("parts"))
      .getColumn("parts")
      .toArray() as unknown as string[][];
    const third = new Set<number>();
    const fourth = new Set<number>();
    for (const [a, b, c, d] of octets) {
      expect(`${a}.${b}`).toBe("192.168");
      third.add(Number(c));
      fourth.add(Number(d));
    }
    for (const set of [third, fourth]) {
      expect(set.size).toBe(255);
      expect(Math.min(...set)).toBe(1);
      expect(Math.max(...set)).toBe(255);
    }
  });

  it("draws bytes as whole numbers in 100..1,000,000 with a uniform mean and spread", () => {
    const bytes = big.getColumn("bytes_transferred").toArray().map(Number);
    expect(bytes.every((b) => Number.isInteger(b) && b >= 100 && b <= 1_000_000)).toBe(true);
    const mean = bytes.reduce((a, b) => a + b, 0) / bytes.length;
    // Uniform on 100..1e6: mean 500,050, sd ≈ 288,646; the mean of 1e5 draws has sd ≈ 913. Allow 5σ.
    expect(Math.abs(mean - 500_050)).toBeLessThan(4565);
    const quarter = bytes.filter((b) => b <= 250_075).length / bytes.length;
    expect(Math.abs(quarter - 0.25)).toBeLessThan(0.007);
  });

  it("spreads categories uniformly (each share within 5σ of 1/k)", () => {
    const n = big.height;
    for (const [column, k] of [["log_type", 5], ["location", 4], ["user_id", 100]] as const) {
      const p = 1 / k;
      const sigma = Math.sqrt((p * (1 - p)) / n);
      const counts = big.getColumn(column).valueCounts().getColumn("count").toArray().map(Number);
      for (const c of counts) expect(Math.abs(c / n - p)).toBeLessThan(5 * sigma);
    }
  });

  it("labels about 5% of rows as threats, split evenly over the four threats", () => {
    const n = big.height;
    const threats = big.filter(pl.col("threat_level").neq(pl.lit("normal")));
    const sigma = Math.sqrt((0.05 * 0.95) / n);
    expect(Math.abs(threats.height / n - 0.05)).toBeLessThan(5 * sigma);
    const m = threats.height;
    const sigmaEach = Math.sqrt((0.25 * 0.75) / m);
    for (const c of threats.getColumn("threat_level").valueCounts().getColumn("count").toArray().map(Number)) {
      expect(Math.abs(c / m - 0.25)).toBeLessThan(5 * sigmaEach);
    }
  });

  it("honours threatRate 0 and 1, and users", () => {
    expect(generateLogs({ rows: 1000, threatRate: 0 }).getColumn("threat_level").unique().toArray()).toEqual(["normal"]);
    expect(generateLogs({ rows: 1000, threatRate: 1 }).filter(pl.col("threat_level").eq(pl.lit("normal"))).height).toBe(0);
    expect(generateLogs({ rows: 1000, users: 3 }).getColumn("user_id").nUnique()).toBe(3);
  });

  it("returns an empty frame with the same columns for rows = 0", () => {
    const empty = generateLogs({ rows: 0 });
    expect(empty.height).toBe(0);
    expect(empty.columns).toEqual([...TUTORIAL_COLUMNS]);
  });

  it("rejects bad options with the option's name and value", () => {
    expect(() => generateLogs({ rows: -1 })).toThrow("invalid rows: -1 (expected a whole number from 0 to 2147483647)");
    expect(() => generateLogs({ days: 0 })).toThrow("invalid days: 0");
    expect(() => generateLogs({ threatRate: 2 })).toThrow("invalid threatRate: 2 (expected a number from 0 to 1)");
    expect(() => generateLogs({ start: "yesterday" })).toThrow('invalid start: "yesterday"');
    expect(() => generateLogs({ start: "2025-02-30" })).toThrow('invalid start: "2025-02-30"');
  });
});
