/**
 * Logs are written by attackers: each case here is one way hostile input broke a promise (exit 2
 * and one line, nothing taken silently, nothing lost, nothing run). Each failed before its fix.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import pl from "nodejs-polars";
import { keyValues } from "../../lib/io/formats/syslog";
import { writeLogs } from "../../lib/io/write-logs";
import { csvCell } from "../../lib/io/csv-export";
import { tableBundle } from "../../lib/notebook/display";
import { plotTimeline } from "../../lib/visualize/detection-figures";
import { ingestLogs } from "../../lib/io/ingest";
import { utcFromParts } from "../../lib/time";
import { ROOT, tempDir, threatlab, writeFixture } from "../helpers";

const dir = tempDir();
const ndjson = (name: string, rows: object[]): string => writeFixture(dir, name, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
const event = (fields: object) => ({ timestamp: "2025-01-01T00:00:00Z", log_type: "login_failed", user_id: "a", ip_address: "203.0.113.7", ...fields });

/** Expects exit 2 and exactly one line on stderr, starting with the command, with no stack trace. */
function expectOneLine(run: { code: number; stderr: string }, command: string, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(new RegExp(`^threatlab ${command}: [^\\n]*\\n$`));
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at |node:internal|Error:/);
}

describe("exit 2 and one line, not exit 1 and a stack trace", () => {
  it("a missing input to detect", () => {
    expectOneLine(threatlab("detect", join(dir, "missing.log")), "detect", /missing\.log: no such file/);
  });

  it("--rules __proto__ (a name every object has)", () => {
    expectOneLine(threatlab("detect", join(dir, "..", "x.log"), "--rules", "__proto__"), "detect", /invalid rule: "__proto__"/);
  });

  it("a JSON field holding an object where text belongs", () => {
    const file = ndjson("object.ndjson", [event({ user_id: { toString: 1 } })]);
    expectOneLine(threatlab("detect", file), "detect", /object\.ndjson:1: user_id holds an object, expected text or a number/);
  });

  it("--rows past what can be generated", () => {
    expectOneLine(threatlab("generate", "--rows", "99999999999999999999", "--out", join(dir, "g.csv")), "generate", /invalid --rows: "99999999999999999999" \(expected a whole number from 0 to 1,000,000,000\)/);
  });

  it("a CSV header of a million columns is refused at once (it hung analyze: a quadratic check for repeats)", () => {
    const names = ["timestamp", "user_id", "log_type", "ip_address", "location", "bytes_transferred", "threat_level", ...Array.from({ length: 1_000_000 }, (_, i) => `c${i}`)];
    const file = writeFixture(dir, "wide.csv", `${names.join(",")}\n2025-01-01 00:00:00,a,login_failed,1.2.3.4,office,5,normal\n`);
    expectOneLine(threatlab("analyze", file), "analyze", /wide\.csv:1: has 1,000,007 columns; threatlab reads files of at most 1,000/);
  });
});

describe("no wrong value taken silently", () => {
  it("impossible dates and times are malformed, not rolled into other dates", async () => {
    const stamps = ["2025-13-45T99:99:99Z", "2025-02-30T00:00:00Z", "2025-04-31T12:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:60:00Z", "2025-01-01T00:00:00+25:00", "2024-02-29T00:00:00Z"];
    const { report, events } = await ingestLogs(ndjson("calendar.ndjson", stamps.map((timestamp) => event({ timestamp }))));
    // Only 29 February 2024 exists (2024 is a leap year).
    expect(report).toMatchObject({ lines: 7, parsedLines: 1, malformedLines: 6 });
    expect(events.getColumn("timestamp").cast(pl.Int64).toArray().map(Number)).toEqual([Date.UTC(2024, 1, 29)]);
  });

  it("the years 1 and 50 stay themselves (Date.UTC makes them 1901 and 1950); years past 9999 are malformed", async () => {
    expect(new Date(utcFromParts(1, 1, 1)!).toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(new Date(utcFromParts(50, 6, 15, 12)!).toISOString()).toBe("0050-06-15T12:00:00.000Z");
    const out = join(dir, "years.csv");
    const run = threatlab("ingest", ndjson("years.ndjson", [event({ timestamp: "0001-01-01T00:00:00Z" }), event({ timestamp: "0050-06-15T12:00:00Z" }), event({ timestamp: 1e20 })]), "--out", out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/2 of 3 lines parsed into 2 events; 1 malformed — first at line 3/);
    expect(readFileSync(out, "utf8").split("\n").slice(1, 3).map((l) => l.slice(0, 19))).toEqual(["0001-01-01 00:00:00", "0050-06-15 12:00:00"]);
  });

  it("syslog's 30 February and 31 April are not stamps", async () => {
    const lines = ["Feb 30 10:00:00 host sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2", "Apr 31 10:00:00 host sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2", "Feb 28 10:00:00 host sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2"];
    const { report } = await ingestLogs(writeFixture(dir, "feb.log", lines.join("\n") + "\n"), { format: "syslog", year: 2025 });
    expect(report.parsedLines).toBe(1);
    expect(report.lines).toBe(3);
  });

  it("negative byte counts and impossible ports are malformed", async () => {
    const { report } = await ingestLogs(ndjson("counts.ndjson", [event({ bytes_transferred: -5 }), event({ bytes_out: "-1" }), event({ destination_port: 70000 }), event({ bytes_transferred: 5, destination_port: 22 })]));
    expect(report).toMatchObject({ lines: 4, parsedLines: 1, malformedLines: 3 });
  });

  it("a log_type of __proto__ is counted like any other, not lost from the counts", () => {
    const file = ndjson("proto.ndjson", [event({ log_type: "__proto__" }), event({ log_type: "__proto__" }), event({ log_type: "constructor" })]);
    const out = join(dir, "proto-report");
    const run = threatlab("report", file, "--out", out);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(Object.entries(summary.events_by_type)).toEqual(expect.arrayContaining([["__proto__", 2], ["constructor", 1]]));
  });
});

describe("CSV export: no cell a spreadsheet runs", () => {
  it("neutralises formulas after leading spaces and after a semicolon", () => {
    expect([" =1+1", "a;=1+1", "a; @x", "=x;-y", "a;b", "ok"].map(csvCell)).toEqual(["' =1+1", "a;'=1+1", "a; '@x", "'=x;'-y", "a;b", "ok"]);
  });

  it("writeLogs rewrites only what needs it, in text and categorical columns alike", () => {
    const frame = pl.DataFrame({ user_id: [" =1+1", "alice"], log_type: ["a;=1+1", "login_failed"], location: ["office", "home"] })
      .withColumns(pl.col("log_type").cast(pl.Categorical));
    const out = join(dir, "written.csv");
    writeLogs(frame, out);
    // By hand: the apostrophe goes before the spaces, and after the semicolon; "alice", "office" and "home" are left alone.
    expect(readFileSync(out, "utf8")).toBe("user_id,log_type,location\n' =1+1,a;'=1+1,office\nalice,login_failed,home\n");
  });

  it("in files written by ingest too", () => {
    const out = join(dir, "formulas.csv");
    const run = threatlab("ingest", ndjson("formulas.ndjson", [event({ user_id: " =1+1" }), event({ user_id: "a;=1+1" })]), "--out", out);
    expect(run.code, run.stderr).toBe(0);
    const users = readFileSync(out, "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[1]);
    expect(users).toEqual(["' =1+1", "a;'=1+1"]);
  });
});

describe("terminal: nothing from a log acts on the terminal", () => {
  const ESC = "\u001b";
  it("escape sequences and direction overrides in a user name are shown as escapes in the detect table", () => {
    // 20 failed logins of one account from one source within 10 minutes: a brute force whose summary names the account.
    const user = `${ESC}]0;pwned\u0007${ESC}[2J\u202Eevil`;
    const rows = Array.from({ length: 20 }, (_, k) => event({ timestamp: `2025-01-01T00:00:${String(k * 2).padStart(2, "0")}Z`, user_id: user }));
    const run = threatlab("detect", ndjson("ansi.ndjson", rows));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("\\u001b]0;pwned\\u0007\\u001b[2J\\u202eevil");
    expect(run.stdout + run.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it("in error lines, and --jsonl stays JSON that reads back to the same name", () => {
    const name = `x${ESC}[31mred.log`;
    const missing = threatlab("detect", join(dir, name));
    expect(missing.stderr).toContain("x\\u001b[31mred.log: no such file");
    expect(missing.stderr).not.toContain(ESC);
    const user = `bob${ESC}[8m\u202E`;
    const rows = Array.from({ length: 20 }, (_, k) => event({ timestamp: `2025-01-01T00:00:${String(k * 2).padStart(2, "0")}Z`, user_id: user }));
    const run = threatlab("detect", ndjson("ansi-jsonl.ndjson", rows), "--jsonl");
    expect(run.stdout).not.toMatch(/[\u001b\u202e]/);
    const alerts = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(alerts.some((a) => JSON.stringify(a).includes(JSON.stringify(user).slice(1, -1)) || a.summary.includes(user))).toBe(true);
  });

  it("detect --jsonl prints nothing at all when there are no alerts", () => {
    const run = threatlab("detect", ndjson("quiet.ndjson", [event({})]), "--jsonl");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
  });
});

describe("notebooks and charts: nothing from a log becomes markup or mathematics", () => {
  it("a table cell $\\href{…}{CLICKME}$ cannot form a MathJax pair; markup is escaped", async () => {
    const html = tableBundle(pl.DataFrame({ user: ["$\\href{https://evil.example}{CLICKME}$", "<b>x</b>"] }))["text/html"] as string;
    // MathJax pairs two $ within one run of text; each $ sits in its own element.
    expect(html).not.toMatch(/\$[^<]*\$/);
    expect(html).toContain("<span>$</span>\\href{https://evil.example}{CLICKME}<span>$</span>");
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("a file name with <a href>, <b> and $…$ in a chart title shows as written", async () => {
    const { events } = await ingestLogs(ndjson("title.ndjson", [event({})]));
    const title = plotTimeline(events, { title: '<a href="https://evil.example">x</a> <b>$y$</b>' }).layout.title!.text;
    expect(title).toBe('&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &lt;b&gt;&#36;y&#36;&lt;/b&gt;');
  });
});

describe("limits: no line or file makes unbounded work", () => {
  it("1,500 lines of 'message repeated 10000 times' (175 KB) stop at the repeat limit, named, at line 101", () => {
    // 100 lines × 10,000 = 1,000,000 events: a tenth of the default 10,000,000; the 101st goes over.
    const lines = Array.from({ length: 1500 }, (_, i) => `Dec 10 06:55:${String(i % 60).padStart(2, "0")} host sshd[${i}]: message repeated 10000 times: [ Failed password for root from 203.0.113.7 port 22 ssh2]`);
    const file = writeFixture(dir, "amplified.log", lines.join("\n") + "\n");
    expectOneLine(threatlab("ingest", file, "--year", "2025", "--out", join(dir, "amplified.csv")), "ingest", /amplified\.log:101: lines that stand for many events \("message repeated N times"\) make more than 1,000,000 events, a tenth of the limit for one file \(raise it with --max-events N\)/);
  });

  it("--max-events names the limit on events per file and raises or lowers it", () => {
    const file = ndjson("thirty.ndjson", Array.from({ length: 30 }, () => event({})));
    expectOneLine(threatlab("ingest", file, "--max-events", "20", "--out", join(dir, "thirty.csv")), "ingest", /thirty\.ndjson:21: more than 20 events, the limit for one file \(raise it with --max-events N\)/);
    expect(threatlab("ingest", file, "--max-events", "30", "--out", join(dir, "thirty.csv")).code).toBe(0);
  });

  it("a syslog message over 16,384 characters is malformed, named; a repeated line with trailing spaces still counts", async () => {
    const lines = [
      `Dec 10 06:55:40 host sshd[2]: Failed password for ${"a".repeat(16_384)} from 203.0.113.7 port 22 ssh2`,
      "Dec 10 06:55:41 host sshd[3]: message repeated 3 times: [ Failed password for root from 203.0.113.7 port 22 ssh2]   ",
    ];
    const { report } = await ingestLogs(writeFixture(dir, "long-message.log", lines.join("\n") + "\n"), { year: 2025 });
    expect(report).toMatchObject({ lines: 2, parsedLines: 1, malformedLines: 1, events: 3 });
    expect(report.firstMalformed?.reason).toMatch(/a message of 16,4\d\d characters, over the 16,384 a syslog message can hold/);
  });
});

/** The least of three times, in ms, that ingestLogs takes to read `file`. */
async function readTime(file: string): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await ingestLogs(file, { year: 2025 });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * A long value must cost no more per byte than short ones. Each pair of files holds the same
 * bytes: a few long lines, or many short ones. A parser quadratic in the line's length reads the
 * long file 16–40 times slower (PAM's key=value pattern: 8 × 0.11 s against 0.05 s; Windows'
 * account pattern: 4 × 0.6 s); a linear one reads both in about the same time. The bound is a
 * ratio measured in one run, with room for a noisy machine.
 */
describe("linear-time parsing: a long value costs no more per byte than short ones", () => {
  it("PAM key=value text: a run of 16,000 word characters without '='", async () => {
    const pam = (n: number, i: number) => `Dec 10 06:55:${String(i % 60).padStart(2, "0")} host sshd[${i}]: pam_unix(sshd:auth): authentication failure; logname= ${"a".repeat(n)} rhost=203.0.113.7 user=root`;
    const long = writeFixture(dir, "pam-long.log", Array.from({ length: 8 }, (_, i) => pam(16_000, i)).join("\n") + "\n");
    const short = writeFixture(dir, "pam-short.log", Array.from({ length: 128 }, (_, i) => pam(1_000, i)).join("\n") + "\n");
    const [longMs, shortMs] = [await readTime(long), await readTime(short)];
    expect(longMs, `${longMs.toFixed(0)} ms against ${shortMs.toFixed(0)} ms`).toBeLessThan(3 * shortMs + 200);
  });

  it("a Windows account name of 40,000 '@' before a line break", async () => {
    const logon = (n: number) => JSON.stringify({ "@timestamp": "2020-10-22T08:29:55.210Z", EventID: 4625, Hostname: "WS5", TargetUserName: `${"@".repeat(n)}\n@`, IpAddress: "10.0.0.5", Status: "0xc000006d", LogonType: "3" });
    const long = writeFixture(dir, "account-long.jsonl", Array.from({ length: 4 }, () => logon(40_000)).join("\n") + "\n");
    const short = writeFixture(dir, "account-short.jsonl", Array.from({ length: 160 }, () => logon(1_000)).join("\n") + "\n");
    const [longMs, shortMs] = [await readTime(long), await readTime(short)];
    expect(longMs, `${longMs.toFixed(0)} ms against ${shortMs.toFixed(0)} ms`).toBeLessThan(3 * shortMs + 200);
  });

  it("keyValues, cut by hand, finds what the pattern (\\w+)=(\\S*) finds", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "_", "1", "=", " ", "  ", "\t", ";", "-", "é"), maxLength: 40 });
    fc.assert(fc.property(text, (t) => {
      const expected: Record<string, string> = Object.create(null);
      for (const m of t.matchAll(/(\w+)=(\S*)/g)) expected[m[1]] = m[2];
      expect(keyValues(t)).toEqual(expected);
    }), { seed: 7, numRuns: 2000 });
    // By hand: "x;user=root" keeps the word before '=', an empty value stays "".
    expect(keyValues("logname= x;user=root ==a=b")).toEqual(Object.assign(Object.create(null), { logname: "", user: "root", a: "b" }));
  });
});

it("npm start with a THREATLAB_DATA that does not exist: one line and exit 2, not a stack trace", () => {
  const run = spawnSync(process.execPath, [join(ROOT, "dist", "tasks", "run-notebooks.js")], { encoding: "utf8", env: { ...process.env, THREATLAB_DATA: "missing.csv", INIT_CWD: dir } });
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(`threatlab: cannot run the notebooks on this data: ${join(dir, "missing.csv")}: no such file\n`);
  expect(run.stdout).toBe("");
});
