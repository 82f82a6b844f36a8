/**
 * Faults on every output path: a full disk (a small tmpfs), a read-only file system, a FIFO and a
 * device as `--out`, and a signal in the middle of a write. After each, the old output is as it
 * was, no temporary file is left, and the run ended with exit 2 and one line (or 143 for SIGTERM).
 * Mounting needs root: skipped with the reason elsewhere (THREATLAB_REQUIRE_FAULTS=1 makes that a
 * failure; .ci/run sets it when it runs as root).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeWith, type Found } from "../external";
import { ROOT, threatlab } from "../helpers";

const SAMPLE = join(ROOT, "data", "samples", "auth.log");

/** Mounts a tmpfs of `size` at a new folder, or says why it cannot. */
function tmpfs(size: string, readOnly = false): Found<string> {
  if (process.getuid?.() !== 0) return { missing: "mounting a small file system needs root" };
  const dir = mkdtempSync(join(tmpdir(), "threatlab-fault-"));
  const run = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}${readOnly ? ",ro" : ""}`, "tmpfs", dir], { encoding: "utf8" });
  if (run.status !== 0) return { missing: `mount -t tmpfs failed here (${(run.stderr || run.error?.message || "").trim()})` };
  afterAll(() => {
    spawnSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { value: dir };
}

/** The names in a folder that are not the given ones: leftovers such as `.g.csv.tmp-…`. */
const others = (dir: string, keep: readonly string[]): string[] => readdirSync(dir).filter((n) => !keep.includes(n));

const full = tmpfs("400k");
describeWith("faults: a full disk", "FAULTS", full, (dir) => {
  it("generate leaves the old file whole and no temporary file; exit 2, one line", () => {
    const out = join(dir, "g.csv");
    expect(threatlab("generate", "--rows", "100", "--out", out).code).toBe(0);
    const before = readFileSync(out);
    const run = threatlab("generate", "--rows", "100000", "--out", out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^threatlab generate: cannot write [^\n]*g\.csv: no space left on the device\n$/);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(others(dir, ["g.csv"])).toEqual([]);
    rmSync(out);
  });

  it("report writes its four files together or not at all: the old report stays whole", () => {
    const out = join(dir, "report");
    mkdirSync(out);
    const names = ["report.html", "alerts.jsonl", "alerts.csv", "summary.json"];
    for (const n of names) writeFileSync(join(out, n), `old ${n}\n`);
    // The page carries Plotly (megabytes): it cannot fit in 400 KB.
    const run = threatlab("report", SAMPLE, "--out", out, "--year", "2025");
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n").pop()).toMatch(/^threatlab report: cannot write [^\n]*: no space left on the device$/);
    for (const n of names) expect(readFileSync(join(out, n), "utf8")).toBe(`old ${n}\n`);
    expect(others(out, names)).toEqual([]);
  });
});

const readOnly = tmpfs("1m", true);
describeWith("faults: a read-only file system", "FAULTS", readOnly, (dir) => {
  it("report and generate end in exit 2 and one line", () => {
    const report = threatlab("report", SAMPLE, "--out", join(dir, "report"), "--year", "2025");
    expect(report.code).toBe(2);
    expect(report.stderr.trim().split("\n").pop()).toMatch(/^threatlab report: cannot write [^\n]*: read-only file system$/);
    const generate = threatlab("generate", "--out", join(dir, "g.csv"));
    expect(generate.code).toBe(2);
    expect(generate.stderr).toMatch(/^threatlab generate: cannot write [^\n]*: read-only file system\n$/);
  });
});

it("--out at a FIFO or a device is refused, and stays what it was", () => {
  const dir = mkdtempSync(join(tmpdir(), "threatlab-fifo-"));
  try {
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    for (const args of [["generate", "--rows", "5", "--out", fifo], ["ingest", SAMPLE, "--out", fifo]]) {
      const run = threatlab(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/invalid --out: [^\n]*fifo is a FIFO; threatlab writes only regular files or new paths\n$/);
      expect(statSync(fifo).isFIFO()).toBe(true);
    }
    const device = threatlab("generate", "--rows", "5", "--out", "/dev/null");
    expect(device.stderr).toBe("threatlab generate: invalid --out: /dev/null is a device; threatlab writes only regular files or new paths\n");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(others(dir, ["fifo"])).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("SIGTERM in the middle of a write: exit 143, the old file whole, no temporary file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "threatlab-signal-"));
  try {
    const out = join(dir, "g.csv");
    writeFileSync(out, "old\n");
    const child = spawn(process.execPath, [join(ROOT, "bin", "threatlab.js"), "generate", "--rows", "5000000", "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    // Wait for the temporary file to appear and grow: the write has begun.
    const started = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        const tmp = others(dir, ["g.csv"]).find((n) => n.startsWith(".g.csv.tmp-"));
        if (tmp && existsSync(join(dir, tmp)) && statSync(join(dir, tmp)).size > 0) {
          clearInterval(poll);
          resolve(true);
        }
      }, 20);
      void exited.then(() => {
        clearInterval(poll);
        resolve(false);
      });
    });
    expect(started).toBe(true);
    child.kill("SIGTERM");
    const code = await exited;
    expect(code).toBe(143);
    expect(stderr).toMatch(/threatlab: stopped by SIGTERM; removed 1 unfinished output; earlier outputs are as they were\n$/);
    expect(readFileSync(out, "utf8")).toBe("old\n");
    expect(others(dir, ["g.csv"])).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
