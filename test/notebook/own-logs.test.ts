import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Alert } from "../../lib/alerts/alerts";
import { alertCountsFrame, alertsFrame, analyseLogs, chosenLogs, ingestFrame } from "../../lib/notebook/own-logs";
import { ROOT, tempDir, writeFixture } from "../helpers";
import { AUTH_LOG, WINDOWS_JSON } from "../io/ingest-fixtures";

const alert = (severity: Alert["severity"], rule: string, first_seen: string): Alert => ({
  id: rule + first_seen, rule, technique: "T0", severity, entity: { type: "source", value: `${rule}-source` }, first_seen, last_seen: first_seen,
  event_count: 3, count: 1, score: 1, observed: 1, expected: 1, measure: "m", window: "w", summary: `${rule} at ${first_seen}`, evidence: {},
});

describe("chosenLogs", () => {
  it("without THREATLAB_DATA reads every bundled sample, syslog with the samples' year", () => {
    const chosen = chosenLogs({});
    expect(chosen.map((c) => c.label)).toEqual(["auth.log", "security.jsonl", "zeek-conn.log", "zeek-ssh.json", "vpn.ndjson", "vpn.csv", "vpn.parquet"]);
    expect(chosen[0]).toEqual({ label: "auth.log", path: join(ROOT, "data", "samples", "auth.log"), options: { year: 2025 } });
  });

  it("THREATLAB_DATA names one file; THREATLAB_FORMAT, _YEAR, _TZ and _START say how to read it", () => {
    expect(chosenLogs({ THREATLAB_DATA: "logs/auth.log", THREATLAB_YEAR: "2024", THREATLAB_TZ: "Europe/Berlin", THREATLAB_FORMAT: "syslog" })).toEqual([
      { label: "auth.log", path: resolve("logs/auth.log"), options: { format: "syslog", year: 2024, tz: "Europe/Berlin" } },
    ]);
    expect(chosenLogs({ THREATLAB_DATA: "/x/events.ndjson" })[0].options).toEqual({});
    expect(chosenLogs({ THREATLAB_DATA: "conn.log", THREATLAB_START: "2025-03-03T09:00:00Z" })[0].options).toEqual({ start: "2025-03-03T09:00:00Z" });
    expect(() => chosenLogs({ THREATLAB_DATA: "a.log", THREATLAB_YEAR: "24" })).toThrow('invalid THREATLAB_YEAR: "24" (expected a four-digit year)');
  });
});

describe("the tables of the bring-your-own-logs notebook", () => {
  const dir = tempDir();

  it("ingestFrame accounts for every line of every file and names the first that was not read", async () => {
    const runs = await analyseLogs([
      { label: "auth.log", path: writeFixture(dir, "auth.log", AUTH_LOG), options: { year: 2025 } },
      { label: "security.jsonl", path: writeFixture(dir, "security.jsonl", WINDOWS_JSON), options: {} },
    ]);
    const rows = ingestFrame(runs).drop("clock").toRecords();
    expect(rows).toEqual([
      { file: "auth.log", format: "syslog", lines: 15, parsed: 12, events: 14, skipped: 1, not_recognised: 2, malformed: 0, duplicates: 0, first_problem: "line 14: not a syslog line at all" },
      { file: "security.jsonl", format: "windows-json", lines: 11, parsed: 8, events: 7, skipped: 1, not_recognised: 1, malformed: 1, duplicates: 1, first_problem: expect.stringMatching(/^line 8: not JSON: /) },
    ]);
  });

  it("alertsFrame puts the most severe first, then the earliest; alertCountsFrame counts by severity", () => {
    const alerts = [alert("low", "a", "2025-01-01T00:00:00Z"), alert("critical", "b", "2025-01-02T00:00:00Z"), alert("high", "c", "2025-01-01T05:00:00Z"), alert("critical", "d", "2025-01-01T09:00:00Z")];
    expect(alertsFrame(alerts).getColumn("rule").toArray()).toEqual(["d", "b", "c", "a"]);
    expect(alertsFrame(alerts).columns).toEqual(["severity", "rule", "entity", "first_seen", "events", "summary"]);
    const counts = alertCountsFrame([{ choice: { label: "x.log", path: "x.log", options: {} }, alerts } as never]).toRecords();
    expect(counts).toEqual([{ file: "x.log", critical: 2, high: 1, medium: 0, low: 1, rules: "a, b, c, d" }]);
  });
});
