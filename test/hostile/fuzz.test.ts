/**
 * A property-based fuzzer (fast-check) of the contract every command keeps on hostile input, for
 * every log format: each run writes a file that starts with a valid record of the format and goes
 * on with mutated ones (a token replaced by a hostile value, a value inserted, a JSON field set to
 * an object, a list, a huge number or text, a line cut short or repeated), then runs
 * `threatlab ingest --format F --out …` and `threatlab detect --format F --jsonl` and checks:
 * exit 0 or exit 2 with one line naming the command, no stack trace and no "unexpected error",
 * no control character reaching the terminal, no file written beside the input but the output,
 * the input unchanged, no CSV cell a spreadsheet would run, and time bounded per byte.
 *
 * CI runs a few cases per format with a fixed seed; `npm run fuzz` runs many more
 * (THREATLAB_FUZZ_RUNS, THREATLAB_FUZZ_SEED).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pl from "nodejs-polars";
import { afterAll, describe, expect, it } from "vitest";
import { main, terminalIo } from "../../lib/cli/main";
import type { CliIo } from "../../lib/cli/commands";
import { splitCsvLine } from "../../lib/io/csv-scan";
import { FORMATS } from "../../lib/io/formats/registry";

const RUNS = Number(process.env.THREATLAB_FUZZ_RUNS ?? 6);
const SEED = Number(process.env.THREATLAB_FUZZ_SEED ?? 42);
const root = mkdtempSync(join(tmpdir(), "threatlab-fuzz-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Values attackers put in logs. */
const NASTY = [
  "\u001b]0;pwned\u0007", "\u001b[2J\u001b[8m", "\u202Eexe.txt", "\u0000", "\u0085", "__proto__", "constructor", "toString",
  "$\\href{https://evil.example}{CLICKME}$", "<script>alert(1)</script>", '<a href="x">y</a>', "=1+1", " =1+1", "a;=1+1", "@SUM(A1)", "+1", "-1",
  "99999999999999999999", "1e308", "-1e308", "NaN", "Infinity", "0001-01-01T00:00:00Z", "2025-13-45T99:99:99Z", "9999999-01-01", "Feb 30 10:00:00",
  "0x", "0xffffffffffffffffffff", "-", "", " ", "\\", '"', ",", ";", "\t", "\r", "[", "]", "{", "}", "::ffff:", "::ffff:999.1.1.1", "%n%s",
  "message repeated 10000 times: [ Failed password for root from 203.0.113.7 port 22 ssh2]",
  "x".repeat(70_000), " ".repeat(70_000), "a=".repeat(20_000), " from a".repeat(10_000), "invalid user ".repeat(5_000),
];
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
);
/** What a JSON field may be set to. */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  hostile,
  fc.constantFrom(null, true, -1, 1e300, -0, 2 ** 64, { toString: 1 }, { "#text": "x" }, ["a", 1], {}, []),
  fc.integer(),
);

/** One mutation of a line. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant("token" as const), at: fc.nat(), value: hostile }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), value: hostile }),
  fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("field" as const), at: fc.nat(), json: jsonValue }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** Returns `line` with one mutation applied (a JSON field set only where the line is JSON). */
function mutate(line: string, m: Mutation): string {
  if (m.op === "cut") return line.slice(0, m.at % (line.length + 1));
  if (m.op === "insert") {
    const at = m.at % (line.length + 1);
    return line.slice(0, at) + m.value + line.slice(at);
  }
  if (m.op === "token") {
    const parts = line.split(/([\s,;:=\t"[\]{}]+)/);
    const tokens = parts.map((p, i) => i).filter((i) => i % 2 === 0);
    parts[tokens[m.at % tokens.length]] = m.value;
    return parts.join("");
  }
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const keys = Object.keys(o);
    o[keys[m.at % keys.length]] = m.json;
    return JSON.stringify(o);
  } catch {
    return line;
  }
}

/** A valid start for each text format, and the line to mutate (the last). */
const BASE: Record<string, string[]> = {
  syslog: ["Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 203.0.113.7 port 40001 ssh2", "Dec 10 06:55:48 LabSZ sshd[24201]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root"],
  "journald-short-iso": ["2025-03-03T10:15:01+0100 web1 sshd[1001]: Failed password for root from 203.0.113.7 port 40001 ssh2"],
  "journald-json": [JSON.stringify({ __REALTIME_TIMESTAMP: "1741000501000000", _HOSTNAME: "web1", SYSLOG_IDENTIFIER: "sshd", _PID: "1001", MESSAGE: "Failed password for root from 203.0.113.7 port 40001 ssh2" })],
  "windows-json": [JSON.stringify({ "@timestamp": "2020-10-22T08:29:55.210Z", EventTime: "2020-10-22 04:29:53", EventID: 4625, Hostname: "WS5", TargetUserName: "lrodriguez", IpAddress: "::ffff:10.0.0.5", Status: "0xc000006d", LogonType: "3" })],
  "zeek-json": [JSON.stringify({ ts: 1588206741.532272, uid: "C1", "id.orig_h": "10.0.1.4", "id.orig_p": 60760, "id.resp_h": "192.168.0.4", "id.resp_p": 80, proto: "tcp", service: "http", duration: 12.5, orig_bytes: 3018, resp_bytes: 100, conn_state: "SF" })],
  "zeek-tsv": ["#separator \\x09", "#path\tconn", "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state", "1741000000.000000\tC1\t198.51.100.7\t46563\t10.0.0.5\t3389\ttcp\t-\t0.1\t0\t0\tS0"],
  ndjson: [JSON.stringify({ timestamp: "2025-03-03T09:15:01Z", log_type: "login_failed", user_id: "root", ip_address: "203.0.113.7", bytes_transferred: 10, destination_port: 22 })],
  csv: ["timestamp,log_type,user_id,ip_address,bytes_transferred", "2025-03-03T09:15:01Z,login_failed,root,203.0.113.7,10"],
  "tutorial-csv": ["timestamp,user_id,log_type,ip_address,location,bytes_transferred,threat_level", "2025-01-01 00:07:12,user_27,login_success,192.168.1.37,office,5087,normal"],
};

/**
 * Cases the fuzzer found, replayed on every run: a Zeek TSV record whose resp_bytes is -1 (a
 * negative count, written to CSV as a formula-looking `-1`), and a tutorial CSV polars could not
 * read (exit 1, "unable to find column").
 */
const FOUND: Record<string, [[Mutation[], number][], string, boolean][]> = {
  "zeek-tsv": [[[[[{ op: "insert", at: 456196131, value: "0x" }], 1083173021], [[{ op: "token", at: 1669308022, value: "-1" }, { op: "field", at: 635740100, json: 18446744073709552000 }, { op: "insert", at: 1842046315, value: "0001-01-01T00:00:00Z" }], 451595055], [[{ op: "insert", at: 1039564608, value: "Feb 30 10:00:00" }, { op: "insert", at: 1494779663, value: "=1+1" }, { op: "insert", at: 432434561, value: "" }], 862719645]], "\r\n", true]],
  "tutorial-csv": [[[[[{ op: "cut", at: 129750013 }], 2147483646], [[{ op: "field", at: 9975393, json: "\u202Eexe.txt" }, { op: "insert", at: 1011298813, value: "\u{5163c}\u{fd23b}\u{10fffd}" }, { op: "token", at: 1217535119, value: "1.6043419781306742e+227" }], 10], [[{ op: "cut", at: 1566575214 }, { op: "token", at: 1038459965, value: "Infinity" }], 2147483617]], "\r\n", true]],
};

/** Runs the CLI in this process, through the terminal's io, and returns its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = terminalIo((t) => void (out += t), (t) => void (err += t), false);
  const code = await main(args, io);
  return { code, out, err };
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Runs ingest and detect on `bytes` as `format` in a folder of its own and checks the contract. */
async function checkContract(format: string, bytes: Buffer, name: string): Promise<void> {
  const dir = mkdtempSync(join(root, "case-"));
  try {
    const input = join(dir, name);
    writeFileSync(input, bytes);
    const out = join(dir, "out.csv");
    const started = Date.now();
    const ingest = await cli(["ingest", input, "--format", format, "--year", "2025", "--out", out]);
    const detect = await cli(["detect", input, "--format", format, "--year", "2025", "--jsonl"]);
    const seconds = (Date.now() - started) / 1000;
    for (const [command, run] of [["ingest", ingest], ["detect", detect]] as const) {
      expect([0, 2], `${command} exit ${run.code}: ${run.err}`).toContain(run.code);
      expect(run.err).not.toMatch(/unexpected error|\n\s+at |node:internal/);
      if (run.code === 2) expect(run.err.trimEnd().split("\n").pop()).toMatch(new RegExp(`^threatlab ${command}: \\S`));
      expect(CONTROL.test(run.out + run.err), JSON.stringify(run.out + run.err).slice(0, 300)).toBe(false);
    }
    for (const line of detect.out.split("\n").filter(Boolean)) JSON.parse(line);
    expect(readFileSync(input).equals(bytes)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(ingest.code === 0 ? [name, "out.csv"].sort() : [name]);
    if (ingest.code === 0) {
      for (const row of readFileSync(out, "utf8").split("\n").slice(1)) {
        for (const cell of splitCsvLine(row) ?? []) expect(cell, row).not.toMatch(/^[ ]*[=+\-@\t\r]|;[ ]*[=+\-@\t\r]/);
      }
    }
    // Linear work: a generous bound per byte catches a quadratic parser, not a slow machine.
    expect(seconds).toBeLessThan(30 + bytes.length / 10_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("fuzzer: hostile records in every format keep the contract", () => {
  it("every registered format is fuzzed", () => {
    expect(FORMATS.map((f) => f.name).sort()).toEqual([...Object.keys(BASE), "evtx", "parquet"].sort());
  });

  for (const [format, base] of Object.entries(BASE)) {
    it(`${format}`, async () => {
      const lines = fc.array(fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat()), { minLength: 1, maxLength: 6 });
      await fc.assert(
        fc.asyncProperty(lines, fc.constantFrom("\n", "\r\n"), fc.boolean(), async (mutated, eol, badUtf8) => {
          const body = mutated.map(([ms, copies]) => {
            const line = ms.reduce((l, m) => mutate(l, m), base[base.length - 1]);
            return Array.from({ length: 1 + (copies % 3) }, () => line).join(eol);
          });
          const text = [...base, ...body].join(eol) + eol;
          const bytes = badUtf8 ? Buffer.concat([Buffer.from(text), Buffer.from([0xff, 0xfe, 0xc3, 0x0a])]) : Buffer.from(text);
          await checkContract(format, bytes, `log-${format}.txt`);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true, examples: FOUND[format] ?? [] },
      );
    }, 600_000);
  }

  it("evtx: random bytes after the file magic", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 70_000 }), async (rest) => {
        await checkContract("evtx", Buffer.concat([Buffer.from("ElfFile\0", "latin1"), Buffer.from(rest)]), "log.evtx");
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);

  it("parquet: hostile values in every column", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(hostile, hostile, fc.oneof(fc.integer(), fc.constant(-1))), { minLength: 1, maxLength: 5 }), async (rows) => {
        const frame = pl.DataFrame({
          timestamp: rows.map(() => "2025-01-01 00:00:00"), user_id: rows.map((r) => r[0]), log_type: rows.map((r) => r[1]), ip_address: rows.map((r) => r[0]),
          location: rows.map((r) => r[1]), bytes_transferred: rows.map((r) => r[2]), threat_level: rows.map(() => "normal"),
        });
        const file = join(root, `p-${Date.now()}-${Math.random().toString(36).slice(2)}.parquet`);
        frame.writeParquet(file);
        const bytes = readFileSync(file);
        rmSync(file);
        await checkContract("parquet", bytes, "log.parquet");
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
