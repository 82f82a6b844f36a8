import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../lib/errors";
import { csvCell, toCsv } from "../../lib/io/csv-export";
import { writeLogs } from "../../lib/io/write-logs";
import { ALERT_CSV_COLUMNS, writeReport } from "../../lib/report/write-report";
import { splitCsvLine } from "../../lib/io/csv-scan";
import { eventFrame, tempDir, writeFixture } from "../helpers";
import { FORMULA_SOURCE, FORMULA_USER, IMG_PAYLOAD, SCRIPT_PAYLOAD, hostileEvents } from "./report-fixture";

const dir = tempDir();

describe("CSV exports neutralise formula cells", () => {
  it("prefixes cells starting with =, +, -, @, tab or CR with an apostrophe, and quotes as RFC 4180 asks", () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "\"'\rx\""]);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(["alice", "a=b", "", "1-2"].map(csvCell)).toEqual(["alice", "a=b", "", "1-2"]);
    expect([-5, 0, 1.5, true, null, undefined].map(csvCell)).toEqual(["-5", "0", "1.5", "true", "", ""]);
    expect(toCsv(["a", "b"], [["x,y", 'say "hi"'], [1, null]])).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });

  it("writeLogs neutralises text columns in CSV and keeps them exact in Parquet", () => {
    const frame = eventFrame([{ s: 0, user: FORMULA_USER, ip: "-1+1" }, { s: 1, user: "bob", ip: "10.0.0.1" }]);
    const csv = join(dir, "logs.csv");
    writeLogs(frame, csv);
    const [header, first, second] = readFileSync(csv, "utf8").trim().split("\n").map((l) => splitCsvLine(l)!);
    const row = (fields: string[]) => Object.fromEntries(header.map((h, i) => [h, fields[i]]));
    expect(row(first)).toMatchObject({ user_id: `'${FORMULA_USER}`, ip_address: "'-1+1", bytes_transferred: "1000" });
    expect(row(second)).toMatchObject({ user_id: "bob", ip_address: "10.0.0.1" });
    const parquet = join(dir, "logs.parquet");
    writeLogs(frame, parquet);
    expect(pl.readParquet(parquet).getColumn("user_id").toArray()).toEqual([FORMULA_USER, "bob"]);
  });
});

describe("writeReport", () => {
  const input = writeFixture(dir, "hostile.ndjson", hostileEvents());
  const out = join(dir, "report");

  it("writes report.html, alerts.jsonl, alerts.csv and summary.json, and nothing else", async () => {
    const stages = new Set<string>();
    const run = await writeReport(input, out, { onProgress: (stage) => stages.add(stage) });
    expect(readdirSync(out).sort()).toEqual(["alerts.csv", "alerts.jsonl", "report.html", "summary.json"]);
    expect(run.files).toEqual({ html: join(out, "report.html"), jsonl: join(out, "alerts.jsonl"), csv: join(out, "alerts.csv"), summary: join(out, "summary.json") });
    expect([...stages]).toEqual(["reading", "detecting", "writing"]);
  });

  it("summary.json says what was read, over which period, and what was found", () => {
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({
      file: input,
      format: "ndjson",
      ingest: { lines: 30, parsed_lines: 30, events: 30, malformed_lines: 0, account: "30 of 30 lines parsed into 30 events" },
      time_range: { first: "2025-03-03T10:00:00Z", last: "2025-03-03T11:00:55Z" },
      events_by_type: { login_failed: 24, file_access: 6 },
      alerts: { by_rule: { brute_force: 2 } },
    });
    expect(summary.top_sources.slice(0, 2)).toEqual([
      { value: FORMULA_SOURCE, events: 12, failed_logins: 12 },
      { value: SCRIPT_PAYLOAD, events: 12, failed_logins: 12 },
    ].sort((a, b) => a.value.localeCompare(b.value)));
    expect(summary.tutorial).toBeNull();
  });

  it("alerts.jsonl holds one alert per line and alerts.csv the same alerts, formulas neutralised", () => {
    const alerts = readFileSync(join(out, "alerts.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(alerts.map((a) => a.entity.value).sort()).toEqual([SCRIPT_PAYLOAD, FORMULA_SOURCE].sort());
    const lines = readFileSync(join(out, "alerts.csv"), "utf8").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(ALERT_CSV_COLUMNS.join(","));
    const rows = lines.slice(1).map((l) => splitCsvLine(l)!);
    expect(rows).toHaveLength(alerts.length);
    const entity = ALERT_CSV_COLUMNS.indexOf("entity");
    const summaryColumn = ALERT_CSV_COLUMNS.indexOf("summary");
    const formulaRow = rows.find((r) => r[entity].includes("HYPERLINK"))!;
    expect(formulaRow[entity]).toBe(`'${FORMULA_SOURCE}`);
    expect(formulaRow[summaryColumn].startsWith(`'${FORMULA_SOURCE} failed 12 logins to ${FORMULA_USER}`)).toBe(true);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("report.html escapes every log value and runs only its own scripts, allowed by hash", () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toContain(IMG_PAYLOAD);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("window.__pwned='script'</script>");
    expect(html).toContain("&lt;img src=x onerror=&quot;window.__pwned=&#39;img&#39;&quot;&gt;");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    // plotly.js, the two figures and the table sorter; nothing else opens a script element.
    expect(scripts).toHaveLength(4);
    expect(html.match(/<script/gi)).toHaveLength(4);
    const hashes = scripts.map((code) => `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(policy).toBe(`default-src 'none'; script-src ${hashes.join(" ")}; style-src 'unsafe-inline'; img-src data: blob:; font-src data:`);
    // Offline: no element loads anything from elsewhere.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
  });

  it("the alerts table lists every alert with its explanation", () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    const table = /<table class="sortable" id="alerts">([\s\S]*?)<\/table>/.exec(html)![1];
    expect(table.match(/<tr>/g)).toHaveLength(1 + 2);
    expect(table).toContain("failed 12 logins to @SUM(1+1)");
    expect(table).toContain("<details><summary>evidence</summary>");
  });

  it("replaces existing outputs whole and leaves no temporary files", async () => {
    writeFileSync(join(out, "report.html"), "old");
    await writeReport(input, out);
    expect(readFileSync(join(out, "report.html"), "utf8").startsWith("<!DOCTYPE html>")).toBe(true);
    expect(readdirSync(out)).toHaveLength(4);
  });

  it("bad input writes nothing: earlier outputs stay as they were", async () => {
    const before = readFileSync(join(out, "summary.json"), "utf8");
    await expect(writeReport(writeFixture(dir, "empty.log", ""), out)).rejects.toThrow("empty.log: the file is empty");
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(before);
    expect(readdirSync(out)).toHaveLength(4);
  });

  it("refuses an output that is the input, or a --out that is a file", async () => {
    const folder = join(dir, "self");
    mkdirSync(folder);
    const inside = writeFixture(folder, "alerts.csv", hostileEvents());
    await expect(writeReport(inside, folder, { format: "ndjson" })).rejects.toThrow(new OptionError(`invalid output: ${inside} is also an input; choose another file`));
    expect(readFileSync(inside, "utf8")).toBe(hostileEvents());
    await expect(writeReport(input, input)).rejects.toThrow(`invalid --out: ${input} is a file, expected a folder`);
    expect(existsSync(join(dir, "hostile.ndjson", "report.html"))).toBe(false);
  });
});
