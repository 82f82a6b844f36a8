import { readFileSync, readdirSync, existsSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { LOG_FORMATS, ingestLogs } from "../../lib/io/ingest";
import { tempDir, threatlab, writeFixture } from "../helpers";
import { AUTH_LOG, WINDOWS_JSON, ZEEK_CONN_TSV } from "../io/ingest-fixtures";

const dir = tempDir();

describe("threatlab ingest", () => {
  it("writes the events as Parquet and says how the lines were read", async () => {
    const input = writeFixture(dir, "auth.log", AUTH_LOG);
    const out = join(dir, "auth.parquet");
    const run = threatlab("ingest", input, "--year", "2025", "--tz", "Europe/Berlin", "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")).toEqual([
      `${input}: syslog (recognised); 12 of 15 lines parsed into 14 events; 1 skipped (recognised, not events); 2 not recognised — first at line 14`,
      "clock: syslog time (year 2025) read as Europe/Berlin, converted to UTC",
      `wrote 14 events to ${out}`,
      "",
    ]);
    const direct = await ingestLogs(input, { year: 2025, tz: "Europe/Berlin" });
    const written = await ingestLogs(out);
    expect(written.events.frameEqual(direct.events, true)).toBe(true);
    expect(readFileSync(input, "utf8")).toBe(AUTH_LOG);
  });

  it("warns once when it places year-less stamps by the file's modification time", () => {
    const input = writeFixture(dir, "noyear.log", AUTH_LOG);
    // Modified on 2025-03-01: the file's "Mar  3" lines cannot be from March 2025, so they are from 2024.
    utimesSync(input, new Date("2025-03-01T00:00:00Z"), new Date("2025-03-01T00:00:00Z"));
    const run = threatlab("ingest", input, "--out", join(dir, "noyear.parquet"));
    expect(run.code).toBe(0);
    expect(run.stderr.match(/warning: /g)).toHaveLength(1);
    expect(run.stderr).toContain("warning: syslog timestamps carry no year; placed in 2024, the latest year that puts no line after the file's modification time (2025-03-01); set another with --year");
    expect(run.stderr).toContain("clock: syslog time (year 2024, from the file's modification time) read as UTC");
  });

  it("--format names the format; --map renames columns", () => {
    const tsv = writeFixture(dir, "conn.tsv", ZEEK_CONN_TSV);
    const run = threatlab("ingest", tsv, "--format", "zeek-tsv", "--out", join(dir, "conn.parquet"));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${tsv}: zeek-tsv; 3 of 13 lines parsed into 3 events`);
    const csv = writeFixture(dir, "mapped.csv", "when,who,what\n2025-03-03 10:00:00,alice,login_failed\n");
    const mapped = threatlab("ingest", csv, "--map", "when=timestamp,who=user_id,what=log_type", "--out", join(dir, "mapped.parquet"));
    expect(mapped.stderr).toContain("1 of 2 lines parsed into 1 events");
    expect(mapped.code).toBe(0);
  });

  it("ingest, report and samples say what --out is for when it is missing", () => {
    const input = writeFixture(dir, "any.log", AUTH_LOG);
    expect(threatlab("ingest", input).stderr).toBe("threatlab ingest: missing --out FILE (where to write the events, .parquet or .csv)\n");
    expect(threatlab("report", input).stderr).toBe("threatlab report: missing --out DIR (the folder for report.html and the alert files)\n");
    expect(threatlab("samples", "x").stderr).toBe('threatlab samples: unexpected argument "x" (the folder goes after --out)\n');
    expect(threatlab("samples").code).toBe(2);
  });

  it("refuses to write over its input, which stays as it was", () => {
    const input = writeFixture(dir, "self.jsonl", WINDOWS_JSON);
    const run = threatlab("ingest", input, "--out", input);
    expect(run).toEqual({ code: 2, stdout: "", stderr: `threatlab ingest: invalid output: ${input} is also an input; choose another file\n` });
    expect(readFileSync(input, "utf8")).toBe(WINDOWS_JSON);
  });
});

describe("bad input: exit code 2, one line naming the file, no output, the input untouched", () => {
  const bigLine = Buffer.alloc(50 * 1024 * 1024, "A");
  // 5,000 copies of the auth log compress to a stream long enough to cut in the middle.
  const gzip = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => AUTH_LOG.replace(/10:15:01/, `10:${String(i % 60).padStart(2, "0")}:01`)).join("")));
  const cases: { name: string; content: Buffer | string; args?: string[]; message: (file: string) => string }[] = [
    { name: "empty.log", content: "", message: (f) => `${f}: the file is empty` },
    { name: "random.bin", content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), message: (f) => `${f}: is a binary file, not a log format threatlab reads (${LOG_FORMATS.join(", ")})` },
    { name: "random2.bin", content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), args: ["--format", "syslog"], message: (f) => `${f}: is a binary file, not syslog text` },
    { name: "utf16.log", content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(AUTH_LOG, "utf16le")]), message: (f) => `${f}: is UTF-16 text; threatlab reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)` },
    { name: "truncated.log.gz", content: gzip.subarray(0, Math.floor(gzip.length / 2)), args: ["--year", "2025"], message: (f) => `${f}:` },
    { name: "half.jsonl", content: '{"EventID":4625,"TargetUserName":"bo', message: (f) => `${f}:1: the first lines start like JSON but none parses (a JSON line cut in half?)` },
    { name: "half2.jsonl", content: '{"EventID":4625,"TargetUserName":"bo', args: ["--format", "windows-json"], message: (f) => `${f}:1: not JSON: ` },
    { name: "long.log", content: bigLine, message: (f) => `${f}:1: the first line is over 64 KiB long, too long to recognise the format; name it with --format` },
    { name: "long2.log", content: bigLine, args: ["--format", "syslog"], message: (f) => `${f}:1: 52,428,800 bytes long, over the 1,048,576-byte limit; no line of 1 could be read as syslog` },
    { name: "wrong.log", content: AUTH_LOG, args: ["--format", "zeek-tsv"], message: (f) => `${f}:1: a data line before the #fields header; no line of 15 could be read as zeek-tsv; the content looks like syslog (try --format syslog)` },
    { name: "wrong2.log", content: AUTH_LOG, args: ["--format", "windows-json"], message: (f) => `${f}:1: not JSON: ` },
    { name: "unknown-format.log", content: AUTH_LOG, args: ["--format", "evtx3"], message: () => `invalid format: "evtx3" (expected ${LOG_FORMATS.join(", ")})` },
    { name: "text.evtx", content: AUTH_LOG, args: ["--format", "evtx"], message: (f) => `${f}: not a readable .evtx file (` },
    { name: "tz.log", content: AUTH_LOG, args: ["--tz", "Mars/Olympus"], message: () => 'invalid tz: "Mars/Olympus"' },
    { name: "year.log", content: AUTH_LOG, args: ["--year", "25"], message: () => 'invalid --year: "25" (expected a year between 1970 and 9999)' },
    { name: "map.csv", content: AUTH_LOG, args: ["--map", "time=when"], message: () => 'invalid map: "when" (expected an event column: ' },
  ];

  for (const c of cases) {
    it(`${c.name}${c.args?.length ? ` ${c.args.join(" ")}` : ""}`, () => {
      const folder = join(dir, `case-${c.name}`);
      const input = writeFixture(dir, c.name, c.content);
      const out = join(folder, "events.parquet");
      const run = threatlab("ingest", input, ...(c.args ?? []), "--out", out);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^threatlab ingest: [^\n]+\n$/);
      expect(run.stderr).toContain(`threatlab ingest: ${c.message(input)}`);
      expect(run.stderr).not.toMatch(/\s+at .*\(.*:\d+:\d+\)/);
      expect(run.code).toBe(2);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
      expect(readFileSync(input).equals(Buffer.from(c.content))).toBe(true);
    });
  }

  it("a truncated gzip says so", () => {
    const input = writeFixture(dir, "cut.log.gz", gzip.subarray(0, Math.floor(gzip.length / 2)));
    for (const args of [[], ["--format", "syslog"]]) {
      const run = threatlab("ingest", input, "--year", "2025", ...args, "--out", join(dir, "cut.parquet"));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^threatlab ingest: .*cut\.log\.gz(:\d+)?: the gzip data end early \(truncated file\); [\d,]+ lines could be read\n$/);
    }
  });

  it("a few bad lines in a good file are counted and reported; the rest is read", () => {
    const lines = AUTH_LOG.split("\r\n").filter(Boolean);
    const mixed = Buffer.concat([
      Buffer.from(`${lines.slice(0, 5).join("\n")}\n`),
      bigLine,
      Buffer.from("\n\u0000\u0001\u0002 binary junk\n"),
      Buffer.from(`${lines.slice(5).join("\n")}\n`),
    ]);
    const input = writeFixture(dir, "mixed.log", mixed);
    const run = threatlab("ingest", input, "--year", "2025", "--out", join(dir, "mixed.parquet"));
    expect(run.code).toBe(0);
    // 17 lines: the 15 of the auth log, the long line 6 and the junk line 7; lines 14 and 15 of
    // the auth log are now lines 16 and 17, so the first unrecognised line is the junk.
    expect(run.stderr).toContain(`${input}: syslog (recognised); 12 of 17 lines parsed into 14 events; 1 skipped (recognised, not events); 3 not recognised — first at line 7; 1 too long to read`);
  });

  it("a folder or a missing file", () => {
    expect(threatlab("ingest", dir, "--out", join(dir, "x.parquet")).stderr).toBe(`threatlab ingest: ${dir}: is a directory, expected a log file\n`);
    const missing = threatlab("ingest", join(dir, "nope.log"), "--out", join(dir, "x.parquet"));
    expect(missing).toEqual({ code: 2, stdout: "", stderr: `threatlab ingest: ${join(dir, "nope.log")}: no such file\n` });
  });
});
