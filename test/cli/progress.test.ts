import { describe, expect, it } from "vitest";
import { main } from "../../lib/cli/main";
import { progressBar, progressLine } from "../../lib/cli/progress";
import { tempDir, writeFixture } from "../helpers";
import { AUTH_LOG } from "../io/ingest-fixtures";

describe("progress bar", () => {
  it("draws 24 cells and a whole percentage, clamped to 0–100", () => {
    expect(progressLine("reading", 0.25)).toBe(`[${"#".repeat(6)}${"-".repeat(18)}]  25% reading`);
    expect(progressLine("x", 1.7)).toBe(`[${"#".repeat(24)}] 100% x`);
    expect(progressLine("x", Number.NaN)).toBe(`[${"-".repeat(24)}]   0% x`);
  });

  it("on a terminal redraws only on change and clears itself; elsewhere draws nothing", () => {
    const drawn: string[] = [];
    const bar = progressBar({ isTTY: true, progress: (t) => drawn.push(t) });
    bar.update("reading", 0.101);
    bar.update("reading", 0.102);
    bar.update("reading", 0.5);
    bar.done();
    expect(drawn).toEqual([progressLine("reading", 0.1), progressLine("reading", 0.5), ""]);
    const quiet: string[] = [];
    const off = progressBar({ isTTY: false, progress: (t) => quiet.push(t) });
    off.update("reading", 0.5);
    off.done();
    expect(quiet).toEqual([]);
  });

  it("threatlab report shows stages on a terminal and stays quiet otherwise", async () => {
    const dir = tempDir();
    const input = writeFixture(dir, "auth.log", AUTH_LOG);
    const run = async (isTTY: boolean) => {
      const out = { stdout: [] as string[], stderr: [] as string[], progress: [] as string[] };
      const code = await main(["report", input, "--year", "2025", "--out", `${dir}/r${isTTY}`], {
        stdout: (t) => out.stdout.push(t), stderr: (t) => out.stderr.push(t), isTTY, progress: (t) => out.progress.push(t),
      });
      return { code, ...out };
    };
    const tty = await run(true);
    expect(tty.code).toBe(0);
    expect(new Set(tty.progress.filter(Boolean).map((l) => l.replace(/^.*% /, "")))).toEqual(new Set(["reading", "detecting", "writing"]));
    expect(tty.progress.at(-1)).toBe("");
    const piped = await run(false);
    expect(piped.code).toBe(0);
    expect(piped.progress).toEqual([]);
    expect(piped.stderr.join("\n")).not.toMatch(/\r|\x1b/);
    expect(piped.stdout).toEqual([["report.html", "alerts.jsonl", "alerts.csv", "summary.json"].map((f) => `${dir}/rfalse/${f}`).join("\n")]);
  });
});
