/** The benchmark's arithmetic and bookkeeping (the timings themselves are for npm run bench, never tests). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchTargets, parseBenchArgs, type SizeResult } from "../../lib/tasks/bench";
import { median } from "../../lib/shared/robust";
import { findPandasPython, pythonCandidates } from "../../lib/tasks/python";
import { describeWith, type Found } from "../external";
import { ROOT } from "../helpers";

const measured = (median_seconds: number) => ({ runs: 3, median_seconds, peak_rss_mb: 100 });

describe("benchmark helpers", () => {
  it("median: the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("parses sizes, runs and cases, and refuses nonsense", () => {
    expect(parseBenchArgs([])).toEqual({
      sizes: [100_000, 1_000_000, 10_000_000],
      scaleSizes: [1_000_000, 10_000_000, 100_000_000],
      detectUsers: [20, 200, 2000],
      streamDetect: [{ users: 200, pieces: 1 }, { users: 2000, pieces: 1 }, { users: 2000, pieces: 10 }],
      runs: 3,
      only: new Set(["generation", "analysis", "detection", "scaling"]),
      withSlow: false,
    });
    expect(parseBenchArgs(["--sizes", "1000,2000", "--scale-sizes", "5", "--stream-detect", "40x3", "--runs", "5", "--only", "analysis", "--with-slow"])).toEqual({
      sizes: [1000, 2000],
      scaleSizes: [5],
      detectUsers: [20, 200, 2000],
      streamDetect: [{ users: 40, pieces: 3 }],
      runs: 5,
      only: new Set(["analysis"]),
      withSlow: true,
    });
    expect(() => parseBenchArgs(["--sizes", "1e3,x"])).toThrow(/--sizes takes whole numbers/);
    expect(() => parseBenchArgs(["--runs", "0"])).toThrow(/--runs takes a whole number/);
    expect(() => parseBenchArgs(["--detect-users", "1"])).toThrow(/--detect-users takes whole numbers ≥ 2/);
    expect(() => parseBenchArgs(["--stream-detect", "2000"])).toThrow(/--stream-detect takes USERSxPIECES sizes/);
    expect(() => parseBenchArgs(["--stream-detect", "2000x0"])).toThrow(/--stream-detect takes USERSxPIECES sizes/);
  });

  it("judges the targets on the 1M-row figures: 12× over pandas, 1.5× of the floor, 10× generation, detection under 10 s", () => {
    const analysis: SizeResult[] = [
      { rows: 100_000, threatlab: measured(1), speedup_vs_pandas: 2, ratio_to_floor: 3 },
      { rows: 1_000_000, threatlab: measured(0.5), pandas: measured(6.5), polars_floor: measured(0.4), speedup_vs_pandas: 13, ratio_to_floor: 1.25 },
    ];
    const generation: SizeResult[] = [{ rows: 1_000_000, threatlab: measured(1.5), pandas: measured(12), speedup_vs_pandas: 8 }];
    const scaling = [{ rows: 100_000_000, generate: measured(60), analyze: { runs: 1, median_seconds: 9, peak_rss_mb: 2048 }, analyze_seconds_per_million: 0.09 }];
    // Only a run of at least 100M events judges the streaming detection target: 6,400 MB is 6.25 GB.
    const streamed = (events: number, peak: number) => ({ users: 2000, pieces: 10, events, generate: measured(90), detect: { runs: 1, median_seconds: 400, peak_rss_mb: peak }, detections: 1, alerts: 1, detect_seconds_per_million: 4 });
    const targets = benchTargets(generation, analysis, [{ detect_seconds: 6.1 }, { detect_seconds: 10.2 }] as never, scaling, [streamed(10_600_000, 1000), streamed(106_000_000, 6400)]);
    expect(targets.map((t) => [t.actual, t.met])).toEqual([
      [13, true],
      [1.25, true],
      [8, false],
      [10.2, false],
      [2, true],
      [6.25, false],
    ]);
    expect(benchTargets([], [], [], [], [streamed(106_000_000, 5000)]).at(-1)).toMatchObject({ actual: 4.88, met: true });
    expect(benchTargets([], [], [], [], [streamed(99_000_000, 5000)]).at(-1)).toMatchObject({ actual: null, met: null });
    expect(benchTargets([], [], []).every((t) => t.met === null && t.actual === null)).toBe(true);
  });

});

const python: Found<string> = (() => {
  const found = findPandasPython();
  return found ? { value: found } : { missing: `no python3 with pandas (tried ${pythonCandidates().join(", ")}); install Debian's python3-pandas` };
})();

describeWith("bench/measure.py, which times every benchmark case", "PANDAS", python, (python3) => {
  it("reports a child's time, peak memory and exit status", () => {
    // A child that holds ~200 MB for a moment and exits 3: its peak is at least that, whatever Python adds.
    const child = [python3, "-c", "import sys, time; b = bytearray(200 * 1024 * 1024); time.sleep(0.2); sys.exit(3)"];
    const run = spawnSync(python3, [join(ROOT, "bench", "measure.py"), ...child], { encoding: "utf8" });
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe(3);
    expect(result.seconds).toBeGreaterThanOrEqual(0.2);
    expect(result.peak_rss_mb).toBeGreaterThanOrEqual(200);
    expect(result.stdout).toBeUndefined();
  });

  it("with --keep-stdout adds the command's last line of output", () => {
    const run = spawnSync(python3, [join(ROOT, "bench", "measure.py"), "--keep-stdout", python3, "-c", "print('first'); print('{\"events\": 3}')"], { encoding: "utf8" });
    expect(JSON.parse(JSON.parse(run.stdout).stdout)).toEqual({ events: 3 });
  });
});
