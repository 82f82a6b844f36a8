import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { findPandasPython, pythonCandidates } from "../../lib/tasks/python";
import { describeWith, type Found } from "../external";
import { ROOT, HAND_CSV, tempDir, writeFixture } from "../helpers";

/** The Python with pandas to compare with (see lib/tasks/python). */
function pandasPython(): Found<string> {
  const python = findPandasPython();
  return python ? { value: python } : { missing: `no python3 with pandas (tried ${pythonCandidates().join(", ")}); install Debian's python3-pandas` };
}

function threatlabSummary(file: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, [join(ROOT, "bin", "threatlab.js"), "analyze", file, "--json"], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

describeWith("threatlab analyze --json equals the tutorial's pandas code", "PANDAS", pandasPython(), (python) => {
  const dir = tempDir();

  function pandasSummary(file: string): Record<string, unknown> {
    const run = spawnSync(python, [join(ROOT, "bench", "tutorial_pandas.py"), file, "--json"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout);
  }

  function expectParity(file: string): void {
    const ours = threatlabSummary(file);
    const theirs = pandasSummary(file);
    const threshold = (s: Record<string, unknown>) => s.anomaly_threshold as number;
    expect(Math.abs(threshold(ours) - threshold(theirs)) / threshold(theirs)).toBeLessThan(1e-9);
    expect(ours.mean_bytes as number).toBeCloseTo(theirs.mean_bytes as number, 6);
    expect({ ...ours, anomaly_threshold: 0, mean_bytes: 0 }).toEqual({ ...theirs, anomaly_threshold: 0, mean_bytes: 0 });
  }

  it("on the bundled sample", () => expectParity(join(ROOT, "data", "sample_logs.csv")));

  it("on the hand-made rows", () => expectParity(writeFixture(dir, "hand.csv", HAND_CSV)));

  it.each([[1, 50], [2, 999], [3, 20_000]])("on generated data, seed %i, %i rows", (seed, rows) => {
    const file = join(dir, `gen-${seed}.csv`);
    const run = spawnSync(process.execPath, [join(ROOT, "bin", "threatlab.js"), "generate", "--rows", String(rows), "--seed", String(seed), "--out", file]);
    expect(run.status).toBe(0);
    expectParity(file);
  });
});
