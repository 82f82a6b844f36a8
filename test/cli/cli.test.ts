import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLogs } from "../../lib/io/read-logs";
import { createLogGenerator, generateLogs } from "../../lib/generate/generate-logs";
import { writeLogsInChunks } from "../../lib/io/write-logs";
import { HAND_CSV, HAND_ROWS, HAND_SUMMARY, HEADER, ROOT, expectFrameEqual, tempDir, writeFixture, threatlab } from "../helpers";

const dir = tempDir();

describe("threatlab analyze", () => {
  const hand = writeFixture(dir, "hand.csv", HAND_CSV);

  it("--json prints the hand-computed tutorial summary", () => {
    const { code, stdout, stderr } = threatlab("analyze", hand, "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary)).toEqual(Object.keys(HAND_SUMMARY));
    expect(summary.anomaly_threshold).toBeCloseTo(HAND_SUMMARY.anomaly_threshold, 9);
    expect({ ...summary, anomaly_threshold: 0 }).toEqual({ ...HAND_SUMMARY, anomaly_threshold: 0 });
  });

  it("without --json prints the same facts as text", () => {
    const { code, stdout } = threatlab("analyze", hand);
    expect(code).toBe(0);
    expect(stdout).toContain("Total logs:          10");
    expect(stdout).toContain("Mean bytes:          1,450");
    expect(stdout).toContain("Alerts:              3");
  });

  it("--quantile 0.5 moves the threshold to the median (hand: (500 + 600) / 2 = 550)", () => {
    const summary = JSON.parse(threatlab("analyze", hand, "--json", "--quantile", "0.5").stdout);
    expect(summary.anomaly_threshold).toBe(550);
    expect(summary.anomaly_count).toBe(5);
  });

  it("reads Parquet written by generate with the same result as its CSV twin", () => {
    expect(threatlab("generate", "--rows", "700", "--seed", "4", "--out", join(dir, "g.parquet")).code).toBe(0);
    expect(threatlab("generate", "--rows", "700", "--seed", "4", "--out", join(dir, "g.csv")).code).toBe(0);
    expect(threatlab("analyze", join(dir, "g.parquet"), "--json").stdout).toBe(threatlab("analyze", join(dir, "g.csv"), "--json").stdout);
  });
});

describe("threatlab alerts", () => {
  it("prints the tutorial's alert blocks and the total", () => {
    const { code, stdout } = threatlab("alerts", writeFixture(dir, "hand-alerts.csv", HAND_CSV));
    expect(code).toBe(0);
    expect(stdout.match(/^Alert: Potential threat detected$/gm)).toHaveLength(3);
    expect(stdout.trimEnd().endsWith("Total alerts: 3")).toBe(true);
  });

  it("--json prints one JSON object per line", () => {
    const lines = threatlab("alerts", writeFixture(dir, "hand-alerts2.csv", HAND_CSV), "--json").stdout.trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).user_id)).toEqual(["user_2", "user_2", "user_6"]);
  });
});

describe("threatlab generate", () => {
  it("writes the same file for the same seed, and the frame generateLogs makes", () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    const run = threatlab("generate", "--rows", "1500", "--seed", "77", "--out", a);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`wrote 1,500 rows to ${a}\n`);
    threatlab("generate", "--rows", "1500", "--seed", "77", "--out", b);
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    expect(readFileSync(a, "utf8").split("\n")[0]).toBe(HEADER);
    expectFrameEqual(readLogs(a), generateLogs({ rows: 1500, seed: 77 }));
  });

  it("writes big data in pieces, one in memory at a time, into the same file (CSV and Parquet)", () => {
    const env = { THREATLAB_CHUNK_ROWS: "400" };
    for (const ext of ["csv", "parquet"]) {
      const pieces = join(dir, `pieces.${ext}`);
      const run = spawnSync(process.execPath, [join(ROOT, "bin", "threatlab.js"), "generate", "--rows", "1500", "--seed", "77", "--out", pieces], { encoding: "utf8", env: { ...process.env, ...env } });
      expect(run.stderr).toBe(`wrote 1,500 rows to ${pieces}\n`);
      expectFrameEqual(readLogs(pieces), generateLogs({ rows: 1500, seed: 77 }));
    }
    expect(readdirSync(dir).filter((f) => f.includes("parts") || f.includes(".tmp-"))).toEqual([]);
    const csv = readFileSync(join(dir, "pieces.csv"), "utf8");
    expect(csv.split("\n").filter((l) => l === HEADER)).toHaveLength(1);
  });

  it("writeLogsInChunks says how far it got after each piece", async () => {
    const generator = createLogGenerator({ seed: 3 });
    const seen: number[] = [];
    const rows = await writeLogsInChunks([generator.next(300), generator.next(300), generator.next(100)], join(dir, "progress.parquet"), (n) => seen.push(n));
    expect(rows).toBe(700);
    expect(seen).toEqual([300, 600, 700]);
  });

  it("needs --out and whole-number options", () => {
    expect(threatlab("generate").stderr).toBe("threatlab generate: missing --out FILE (where to write the logs)\n");
    const bad = threatlab("generate", "--rows", "ten", "--out", join(dir, "x.csv"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('threatlab generate: invalid --rows: "ten" (expected a whole number ≥ 0)\n');
    expect(existsSync(join(dir, "x.csv"))).toBe(false);
  });

  it("leaves no partial file when it cannot write", () => {
    const blocker = writeFixture(dir, "not-a-folder", "");
    const target = join(blocker, "logs.csv");
    const run = threatlab("generate", "--out", target);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`threatlab generate: cannot write ${target}: a part of the path is not a folder\n`);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});

describe("threatlab on bad input: exit code 2, one line naming file, line or column, no stack trace", () => {
  const cases: [string, string | Buffer, (path: string) => string][] = [
    ["an empty file", "", (p) => `${p}: the file is empty (expected a header line naming ${HEADER})`],
    ["a header lacking a column", `timestamp,user_id,log_type,ip_address,location,threat_level\n`, (p) => `${p}:1: missing column "bytes_transferred" (expected a header naming ${HEADER})`],
    ["an unparsable timestamp", `${HEADER}\n${HAND_ROWS[0]}\n31/12/2025 10:00,u,a,b,c,5,normal\n`, (p) => `${p}:3: column timestamp: expected a timestamp like 2025-01-31 13:00:00, got "31/12/2025 10:00"`],
    ["a non-numeric byte count", `${HEADER}\n2025-01-01 00:00:00,u,a,b,c,12kB,normal\n`, (p) => `${p}:2: column bytes_transferred: expected a whole number of bytes ≥ 0, got "12kB"`],
    ["a negative byte count", `${HEADER}\n${HAND_ROWS[0]}\n${HAND_ROWS[1]}\n2025-01-01 00:00:00,u,a,b,c,-1,normal\n`, (p) => `${p}:4: column bytes_transferred: expected a whole number of bytes ≥ 0, got "-1"`],
    ["a row with too few fields", `${HEADER}\n${HAND_ROWS[0]}\n2025-01-01 00:00:00,u,a\n`, (p) => `${p}:3: expected 7 fields, found 3 (too few fields in this row)`],
  ];

  it.each(cases)("%s", (name, content, expected) => {
    const path = writeFixture(dir, `${name.replace(/\W+/g, "-")}.csv`, content);
    for (const command of ["analyze", "alerts"]) {
      const run = threatlab(command, path, "--json");
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`threatlab ${command}: ${expected(path)}\n`);
    }
    expect(readFileSync(path)).toEqual(Buffer.from(content));
  });

  it("a missing file", () => {
    const run = threatlab("analyze", join(dir, "nope.csv"));
    expect(run).toEqual({ code: 2, stdout: "", stderr: `threatlab analyze: ${join(dir, "nope.csv")}: no such file\n` });
  });
});

describe("threatlab usage", () => {
  it("--help lists the commands and exits 0; no command shows it and exits 2", () => {
    const help = threatlab("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/generate .*\n\s+analyze .*\n\s+alerts /);
    expect(threatlab().code).toBe(2);
    expect(threatlab("analyze", "--help").stdout).toContain("Usage: threatlab analyze FILE [--json]");
  });

  it("an unknown command or option, or a missing file argument, exits 2 with one line", () => {
    for (const [args, expected] of [
      [["frobnicate"], 'threatlab: unknown command "frobnicate" (expected one of: generate, analyze, alerts, detect, ingest, convert, report, evaluate, redteam, samples, scenario, formats, rules; see threatlab --help)'],
      [["analyze", "x.csv", "--frob"], "threatlab analyze: Unknown option '--frob'"],
      [["analyze"], "threatlab analyze: missing FILE (usage: threatlab analyze FILE)"],
      [["analyze", "a.csv", "b.csv"], "threatlab analyze: expected one FILE, got 2: a.csv b.csv"],
    ] as const) {
      const run = threatlab(...args);
      expect(run.code).toBe(2);
      expect(run.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      expect(run.stderr.startsWith(expected)).toBe(true);
    }
  });

  it("--version prints the package version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(threatlab("--version").stdout).toBe(`${version}\n`);
  });
});

describe("the bundled sample", () => {
  it("data/sample_logs.csv is exactly what `threatlab generate --rows 1000 --seed 42` writes", () => {
    const fresh = join(dir, "sample.csv");
    expect(threatlab("generate", "--rows", "1000", "--seed", "42", "--out", fresh).code).toBe(0);
    expect(readFileSync(join(ROOT, "data", "sample_logs.csv"), "utf8")).toBe(readFileSync(fresh, "utf8"));
  });
});

