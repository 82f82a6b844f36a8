/** The benchmark's arithmetic and bookkeeping (the timings themselves are for npm run bench, never tests). */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchTargets, keepSectionsNotRun, parseBenchArgs, redTeamTargets, type SizeResult } from "../../lib/tasks/bench";
import { median } from "../../lib/shared/robust";
import { findPandasPython, pythonCandidates } from "../../lib/tasks/python";
import { describeWith, type Found } from "../external";
import { ROOT, tempDir } from "../helpers";

const measured = (median_seconds: number) => ({ runs: 3, median_seconds, peak_rss_mb: 100 });

describe("benchmark helpers", () => {
  it("judges defence in depth per goal (ratio ≥ 100, nothing through the suite is met) and the suite's noise (≤ 1 per 1,000 users a day)", () => {
    const goal = (g: string, ratio: number | "Infinity") => ({ goal: g, unit: "u", tutorial_per_day: 1, suite_per_day: 1, suite_vs_tutorial: ratio, suite_rounds: 16 });
    const targets = redTeamTargets({ seconds: 1, goals: [goal("guess", 100_000), goal("map", 49.6), goal("new_place", "Infinity")], false_alerts_per_thousand_user_days: { suite: 11.11 } });
    expect(targets.map((t) => [t.actual, t.met])).toEqual([[100_000, true], [49.6, false], [null, true], [11.11, false]]);
    expect(targets[2].name).toContain("nothing got through the suite");
  });

  it("a partial run keeps the sections and targets of the cases it did not run", () => {
    const path = join(tempDir(), "results.json");
    writeFileSync(path, JSON.stringify({ date: "old", analysis: ["old analysis"], redteam: { old: true }, targets: [{ name: "analysis 1M", target: "≥ 12", actual: 13, met: true }, { name: "redteam map", target: "≥ 100", actual: 1, met: false }] }));
    const fresh = { date: "new", analysis: [], robustness_grid: [], redteam: { fresh: true }, targets: [{ name: "analysis 1M", target: "≥ 12", actual: null, met: null }, { name: "redteam guess", target: "≥ 100", actual: 9, met: false }] };
    const out = keepSectionsNotRun(path, new Set(["redteam"]), fresh);
    expect(out).toMatchObject({ date: "new", analysis: ["old analysis"], redteam: { fresh: true } });
    // a section of a case not run, absent before, is not written empty
    expect("robustness_grid" in out).toBe(false);
    expect(out.targets).toEqual([fresh.targets[1], { name: "analysis 1M", target: "≥ 12", actual: 13, met: true }]);
    expect(out.kept_from_earlier_run).toEqual(["generation", "analysis", "detection", "scaling"]);
    expect(keepSectionsNotRun(join(tempDir(), "none.json"), new Set(["redteam"]), fresh)).toBe(fresh);
  });

  it("kept cases carry the calibration they were measured at: the earlier run's, or the one that earlier run had kept", () => {
    const path = join(tempDir(), "results.json");
    const older = { polars_floor: measured(0.4) };
    const earlier = { polars_floor: measured(1.0) };
    // The earlier run measured analysis (at `earlier`) and had kept generation from a run before it (at `older`).
    writeFileSync(path, JSON.stringify({ calibration: earlier, kept_from_earlier_run: ["generation"], kept_calibration: { generation: older }, targets: [] }));
    const out = keepSectionsNotRun(path, new Set(["detection", "scaling", "redteam"]), { calibration: { polars_floor: measured(0.7) }, targets: [] });
    expect(out.kept_calibration).toEqual({ generation: older, analysis: earlier });
    expect(out.calibration).toEqual({ polars_floor: measured(0.7) });
  });

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
      only: new Set(["generation", "analysis", "detection", "scaling", "redteam"]),
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

  it("judges the targets on the 1M-row figures: 12× over pandas, 1.2× of the floor, 10× generation, detection under 10 s", () => {
    const analysis: SizeResult[] = [
      { rows: 100_000, threatlab: measured(1), speedup_vs_pandas: 2, ratio_to_floor: 3 },
      { rows: 1_000_000, threatlab: measured(0.5), pandas: measured(6.5), polars_floor: measured(0.4), speedup_vs_pandas: 13, ratio_to_floor: 1.25 },
      { rows: 2_000_000, threatlab: measured(1), ratio_to_floor: 1.1 },
    ];
    const generation: SizeResult[] = [{ rows: 1_000_000, threatlab: measured(1.5), pandas: measured(12), speedup_vs_pandas: 8 }];
    const scaling = [{ rows: 100_000_000, generate: measured(60), analyze: { runs: 1, median_seconds: 9, peak_rss_mb: 2048 }, analyze_seconds_per_million: 0.09 }];
    // Only a run of at least 100M events judges the streaming detection target: 6,400 MB is 6.25 GB.
    const streamed = (events: number, peak: number) => ({ users: 2000, pieces: 10, events, generate: measured(90), detect: { runs: 1, median_seconds: 400, peak_rss_mb: peak }, detections: 1, alerts: 1, detect_seconds_per_million: 4 });
    const targets = benchTargets(generation, analysis, [{ detect_seconds: 6.1 }, { detect_seconds: 10.2 }] as never, scaling, [streamed(10_600_000, 1000), streamed(106_000_000, 6400)]);
    expect(targets.map((t) => [t.actual, t.met])).toEqual([
      [13, true],
      // 1.25 is over 1.2 (the 2M row's 1.1 is not the one judged)
      [1.25, false],
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
