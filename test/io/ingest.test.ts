import { utimesSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../lib/errors";
import { describeIngest, ingestLogs, sniffFormat } from "../../lib/io/ingest";
import { parseColumnMapping } from "../../lib/io/formats/generic";
import { writeLogs } from "../../lib/io/write-logs";
import { EVENT_COLUMNS } from "../../lib/schema";
import { eventRows, HAND_CSV, tempDir, writeFixture } from "../helpers";
import { AUTH_LOG, EVENTS_NDJSON, MAPPED_CSV, MAPPED_CSV_MAP, WINDOWS_JSON, ZEEK_CONN_JSON, ZEEK_CONN_TSV, ZEEK_SSH_JSON, ZEEK_SSH_TSV } from "./ingest-fixtures";

const dir = tempDir();

describe("syslog (auth.log)", () => {
  const file = writeFixture(dir, "auth.log", AUTH_LOG);

  it("is recognised, and every line is accounted for", async () => {
    expect(await sniffFormat(file)).toBe("syslog");
    const { events, report } = await ingestLogs(file, { year: 2025, tz: "Europe/Berlin" });
    // 15 lines: 12 parsed (1 + 3 repeated + 10 single events = 14), the kernel line skipped,
    // line 14 (not syslog) and line 15 (an sshd message threatlab does not know) not recognised.
    expect(report).toMatchObject({ format: "syslog", sniffed: true, lines: 15, parsedLines: 12, events: 14, skippedLines: 1, unrecognisedLines: 2, malformedLines: 0 });
    expect(report.firstUnrecognised).toEqual({ line: 14, text: "not a syslog line at all" });
    expect(describeIngest(report)).toBe("12 of 15 lines parsed into 14 events; 1 skipped (recognised, not events); 2 not recognised — first at line 14");
    expect(events.columns).toEqual([...EVENT_COLUMNS]);
    expect(report.clock).toBe("syslog time (year 2025) read as Europe/Berlin, converted to UTC");
    expect(report.warnings).toEqual([]);
  });

  it("maps each message to the event it stands for, local time converted to UTC", async () => {
    const { events } = await ingestLogs(file, { year: 2025, tz: "Europe/Berlin" });
    const got = eventRows(events, ["timestamp", "log_type", "user_id", "ip_address", "outcome", "service", "source_line"]);
    const ev = (timestamp: string, log_type: string, user_id: string | null, ip_address: string | null, outcome: string | null, service: string | null, source_line: number) =>
      ({ timestamp, log_type, user_id, ip_address, outcome, service, source_line });
    // Berlin is UTC+1 in March: 10:15:01 local is 09:15:01 UTC.
    expect(got).toEqual([
      ev("2025-03-03T09:15:01.000Z", "login_failed", "root", "203.0.113.7", "failure", "ssh", 1),
      ...Array.from({ length: 3 }, () => ev("2025-03-03T09:15:03.000Z", "login_failed", "root", "203.0.113.7", "failure", "ssh", 2)),
      ev("2025-03-03T09:15:09.000Z", "invalid_user", "admin", "203.0.113.7", null, "ssh", 3),
      ev("2025-03-03T09:15:10.000Z", "login_failed", "admin", "203.0.113.7", "failure", "ssh", 4),
      ev("2025-03-03T09:16:00.000Z", "login_success", "alice", "198.51.100.20", "success", "ssh", 5),
      ev("2025-03-03T09:16:30.000Z", "disconnect", null, "198.51.100.20", null, "ssh", 6),
      // PAM's failure in sshd process 1004, which wrote no "Failed …" line of its own: the
      // attempt is counted once, from this line; rhost is a host name.
      ev("2025-03-03T09:17:00.000Z", "login_failed", "root", "scanner.example.net", "failure", "ssh", 7),
      ev("2025-03-03T09:17:30.000Z", "login_failed", "carol", "ftp-client.example.org", "failure", "vsftpd", 8),
      // No rhost: the attempt came from the host itself.
      ev("2025-03-03T09:18:00.000Z", "login_failed", "root", "web1", "failure", "su", 9),
      ev("2025-03-03T09:18:05.000Z", "su_failed", "root", "web1", null, "su", 10),
      ev("2025-03-03T09:19:00.000Z", "unknown_user", null, null, null, "ssh", 11),
      ev("2025-03-03T09:20:00.000Z", "session_open", "alice", null, null, "sshd", 12),
    ]);
  });

  it("without --year places year-less stamps in the latest year not after the file's modification time, and says so; the year advances at New Year", async () => {
    const file = writeFixture(dir, "short.log", AUTH_LOG.split("\r\n")[0]);
    // "Mar  3 10:15:01": modified in June 2025, it is from 2025; modified on 1 March 2025, from 2024.
    for (const [modified, year] of [["2025-06-01T00:00:00Z", 2025], ["2025-03-01T00:00:00Z", 2024]] as const) {
      utimesSync(file, new Date(modified), new Date(modified));
      const { events, report } = await ingestLogs(file);
      expect(eventRows(events, ["timestamp"])).toEqual([{ timestamp: `${year}-03-03T10:15:01.000Z` }]);
      expect(report.warnings).toEqual([`syslog timestamps carry no year; placed in ${year}, the latest year that puts no line after the file's modification time (${modified.slice(0, 10)}); set another with --year`]);
      expect(report.clock).toBe(`syslog time (year ${year}, from the file's modification time) read as UTC`);
    }
    const newYear = writeFixture(dir, "newyear.log", [
      "Dec 31 23:59:59 h sshd[1]: Failed password for x from 192.0.2.1 port 1 ssh2",
      "Jan  1 00:00:01 h sshd[1]: Failed password for x from 192.0.2.1 port 1 ssh2",
    ].join("\n"));
    const { events } = await ingestLogs(newYear, { year: 2024 });
    expect(eventRows(events, ["timestamp"]).map((r) => r.timestamp)).toEqual(["2024-12-31T23:59:59.000Z", "2025-01-01T00:00:01.000Z"]);
    // Without --year, the last line (1 January) must not pass the modification time (2 January 2025).
    utimesSync(newYear, new Date("2025-01-02T00:00:00Z"), new Date("2025-01-02T00:00:00Z"));
    const placed = await ingestLogs(newYear);
    expect(eventRows(placed.events, ["timestamp"]).map((r) => r.timestamp)).toEqual(["2024-12-31T23:59:59.000Z", "2025-01-01T00:00:01.000Z"]);
    expect(placed.report.warnings[0]).toMatch(/^syslog timestamps carry no year; placed in 2024–2025,/);
  });

  it("reads ISO-8601 headers with an offset whatever --tz says", async () => {
    const file = writeFixture(dir, "iso.log", "2025-03-03T10:15:01.123+01:00 web1 sshd[1]: Accepted password for alice from 10.0.0.9 port 22 ssh2\n");
    for (const tz of [undefined, "America/New_York"]) {
      const { events, report } = await ingestLogs(file, { tz });
      expect(eventRows(events, ["timestamp", "user_id"])).toEqual([{ timestamp: "2025-03-03T09:15:01.123Z", user_id: "alice" }]);
      expect(report.warnings).toEqual([]);
    }
  });

  it("reads gzip transparently, giving the same events", async () => {
    const plain = await ingestLogs(file, { year: 2025 });
    const zipped = await ingestLogs(writeFixture(dir, "auth.log.gz", gzipSync(AUTH_LOG)), { year: 2025 });
    expect(await sniffFormat(writeFixture(dir, "auth2.log.gz", gzipSync(AUTH_LOG)))).toBe("syslog");
    expect(eventRows(zipped.events, ["timestamp", "log_type", "user_id", "source_line"])).toEqual(eventRows(plain.events, ["timestamp", "log_type", "user_id", "source_line"]));
    expect(zipped.report.lines).toBe(15);
  });
});

describe("Windows Security JSON", () => {
  const file = writeFixture(dir, "security.jsonl", WINDOWS_JSON);
  const columns = ["timestamp", "log_type", "user_id", "ip_address", "outcome", "event_code", "destination", "detail"];

  it("reads NXLog, Winlogbeat and EVTX shapes, drops the repeated validation, counts the rest", async () => {
    expect(await sniffFormat(file)).toBe("windows-json");
    const { events, report } = await ingestLogs(file);
    // 11 lines: 8 events read (lines 1–4, 6, 7, 10, 11), line 2 then dropped as a repeat of line 1;
    // line 5 skipped (4634 is not mapped), line 8 malformed, line 9 not a Windows event.
    expect(report).toMatchObject({ lines: 11, parsedLines: 8, events: 7, duplicates: 1, skippedLines: 1, malformedLines: 1, unrecognisedLines: 1 });
    expect(report.firstMalformed?.line).toBe(8);
    expect(report.firstUnrecognised?.line).toBe(9);
    expect(report.clock).toBe("@timestamp (UTC, collector time) or SystemTime; set --tz to use the host's EventTime");
    expect(eventRows(events, columns)).toEqual([
      // No client address ("-"): the workstation is the source.
      { timestamp: "2025-03-03T09:00:02.000Z", log_type: "login_failed", user_id: "bob", ip_address: "LAPTOP7", outcome: "failure", event_code: "4625", destination: null, detail: "LogonType=3 Status=0xc000006d (bad user name or password) SubStatus=0xc000006a (bad password)" },
      // The realm is dropped from the account, the IPv4-mapped prefix from the address.
      { timestamp: "2025-03-03T09:05:02.000Z", log_type: "login_success", user_id: "alice", ip_address: "10.0.0.5", outcome: "success", event_code: "4624", destination: null, detail: "LogonType=3" },
      { timestamp: "2025-03-03T09:06:02.000Z", log_type: "kerberos_service_ticket", user_id: "alice", ip_address: "10.0.0.5", outcome: "success", event_code: "4769", destination: "MSSQLSvc", detail: "TicketEncryptionType=0x17 (RC4) Status=0x0 (success)" },
      { timestamp: "2025-03-03T09:10:00.000Z", log_type: "login_failed", user_id: "carol", ip_address: "198.51.100.9", outcome: "failure", event_code: "4625", destination: null, detail: "LogonType=10 Status=0xc000006d (bad user name or password) SubStatus=?" },
      { timestamp: "2025-03-03T09:11:00.000Z", log_type: "login_success", user_id: "dave", ip_address: "10.0.0.7", outcome: "success", event_code: "4624", destination: null, detail: "LogonType=2" },
      { timestamp: "2025-03-03T09:11:01.000Z", log_type: "special_privileges", user_id: "dave", ip_address: "WS3", outcome: null, event_code: "4672", destination: null, detail: "SeDebugPrivilege" },
      { timestamp: "2025-03-03T09:13:00.000Z", log_type: "file_access", user_id: "dave", ip_address: "10.0.0.7", outcome: null, event_code: "5145", destination: "\\\\*\\C$", detail: "secrets.txt" },
    ]);
  });

  it("with --tz uses the host's local EventTime instead of the collector's time", async () => {
    const { events, report } = await ingestLogs(file, { tz: "Europe/Berlin" });
    // EventTime 10:00:00 in Berlin (UTC+1) is 09:00:00 UTC, two seconds before @timestamp.
    expect(eventRows(events, ["timestamp"])[0]).toEqual({ timestamp: "2025-03-03T09:00:00.000Z" });
    expect(report.clock).toBe("EventTime (host local time) in Europe/Berlin, converted to UTC");
    expect(report.duplicates).toBe(1);
  });
});

describe("Zeek conn and ssh logs, JSON and TSV", () => {
  const connColumns = ["timestamp", "log_type", "ip_address", "destination", "destination_port", "service", "bytes_out", "bytes_in", "bytes_transferred"];
  const connExpected = [
    { timestamp: "2025-03-03T11:06:40.500Z", log_type: "network_traffic", ip_address: "10.0.0.5", destination: "203.0.113.80", destination_port: 443, service: "ssl", bytes_out: 5000, bytes_in: 120000, bytes_transferred: 125000 },
    // No byte fields: unknown, not zero.
    { timestamp: "2025-03-03T11:06:41.000Z", log_type: "network_traffic", ip_address: "10.0.0.6", destination: "10.0.0.1", destination_port: 53, service: null, bytes_out: null, bytes_in: null, bytes_transferred: null },
    { timestamp: "2025-03-03T11:06:42.000Z", log_type: "network_traffic", ip_address: "10.0.0.7", destination: "198.51.100.4", destination_port: 80, service: "http", bytes_out: 3000000, bytes_in: 100, bytes_transferred: 3000100 },
  ];

  it("conn.log JSON: dotted or underscored field names, missing bytes left unknown, other logs skipped", async () => {
    const file = writeFixture(dir, "conn.json", ZEEK_CONN_JSON);
    expect(await sniffFormat(file)).toBe("zeek-json");
    const { events, report } = await ingestLogs(file);
    expect(report).toMatchObject({ lines: 4, parsedLines: 3, skippedLines: 1, events: 3, clock: "Zeek ts (epoch seconds, UTC)" });
    expect(eventRows(events, connColumns)).toEqual(connExpected);
  });

  it("conn.log TSV gives the same events; a short line is counted as malformed", async () => {
    const file = writeFixture(dir, "conn.log", ZEEK_CONN_TSV);
    expect(await sniffFormat(file)).toBe("zeek-tsv");
    const { events, report } = await ingestLogs(file);
    // 13 lines: 9 header lines (#separator … #types, #close) skipped, 3 parsed, line 12 short.
    expect(report).toMatchObject({ lines: 13, parsedLines: 3, skippedLines: 9, malformedLines: 1 });
    expect(report.firstMalformed).toEqual({ line: 12, reason: "expected 12 tab-separated fields, found 5" });
    expect(eventRows(events, connColumns)).toEqual(connExpected);
  });

  it("ssh.log: attempts become failures and a success; an unseen outcome is a session", async () => {
    const expected = [
      ...Array.from({ length: 2 }, () => ({ timestamp: "2025-03-03T11:06:50.000Z", log_type: "login_failed", ip_address: "203.0.113.7", outcome: "failure" })),
      { timestamp: "2025-03-03T11:06:50.000Z", log_type: "login_success", ip_address: "203.0.113.7", outcome: "success" },
      ...Array.from({ length: 2 }, () => ({ timestamp: "2025-03-03T11:07:00.000Z", log_type: "login_failed", ip_address: "203.0.113.7", outcome: "failure" })),
      { timestamp: "2025-03-03T11:07:10.000Z", log_type: "ssh_session", ip_address: "203.0.113.8", outcome: null },
    ];
    for (const [name, content, format] of [["ssh.json", ZEEK_SSH_JSON, "zeek-json"], ["ssh.log", ZEEK_SSH_TSV, "zeek-tsv"]] as const) {
      const { events, report } = await ingestLogs(writeFixture(dir, name, content));
      expect(report.format).toBe(format);
      expect(eventRows(events, ["timestamp", "log_type", "ip_address", "outcome"])).toEqual(expected);
      expect(events.getColumn("user_id").nullCount()).toBe(6);
    }
  });
});

describe("events in the schema: CSV with a mapping, NDJSON, Parquet, the tutorial's CSV", () => {
  it("a CSV with other column names, read through --map; bad rows counted", async () => {
    const file = writeFixture(dir, "mapped.csv", MAPPED_CSV);
    expect(await sniffFormat(file)).toBe("csv");
    const { events, report } = await ingestLogs(file, { mapping: parseColumnMapping(MAPPED_CSV_MAP), tz: "Europe/Berlin" });
    expect(report).toMatchObject({ lines: 6, parsedLines: 3, skippedLines: 1, malformedLines: 2 });
    expect(report.firstMalformed).toEqual({ line: 5, reason: "expected 6 fields, found 4" });
    expect(eventRows(events, ["timestamp", "ip_address", "user_id", "log_type", "bytes_out", "bytes_transferred"])).toEqual([
      { timestamp: "2025-03-03T09:00:00.000Z", ip_address: "10.0.0.5", user_id: "alice", log_type: "login_success", bytes_out: 100, bytes_transferred: 100 },
      { timestamp: "2025-03-03T09:00:05.000Z", ip_address: "10.0.0.5", user_id: "bob", log_type: "login_failed", bytes_out: null, bytes_transferred: null },
      { timestamp: "2025-03-03T11:06:40.000Z", ip_address: "10.0.0.6", user_id: "carol", log_type: "file_access", bytes_out: 2048, bytes_transferred: 2048 },
    ]);
  });

  it("a CSV without the needed columns is refused, naming them and --map", async () => {
    const file = writeFixture(dir, "unmapped.csv", MAPPED_CSV);
    await expect(ingestLogs(file)).rejects.toThrow(new InputError({ file, line: 1 }, 'missing columns "timestamp", "log_type" (name them in the header or map them with --map)'));
  });

  it("NDJSON events: naive times in --tz, epoch seconds, a line cut in half counted", async () => {
    const file = writeFixture(dir, "events.ndjson", EVENTS_NDJSON);
    expect(await sniffFormat(file)).toBe("ndjson");
    const { events, report } = await ingestLogs(file, { tz: "Asia/Tokyo" });
    expect(report).toMatchObject({ lines: 3, parsedLines: 2, malformedLines: 1 });
    expect(report.firstMalformed?.line).toBe(3);
    // Tokyo is UTC+9: 10:00 local is 01:00 UTC.
    expect(eventRows(events, ["timestamp", "log_type", "country", "bytes_out", "bytes_in", "bytes_transferred"])).toEqual([
      { timestamp: "2025-03-03T01:00:00.000Z", log_type: "login_failed", country: "DE", bytes_out: null, bytes_in: null, bytes_transferred: null },
      { timestamp: "2025-03-03T11:06:40.000Z", log_type: "network_traffic", country: null, bytes_out: 5000, bytes_in: 100, bytes_transferred: 5100 },
    ]);
  });

  it("Parquet written by threatlab and the tutorial's CSV are read whole", async () => {
    const zeek = await ingestLogs(writeFixture(dir, "conn-for-parquet.json", ZEEK_CONN_JSON));
    const parquet = `${dir}/events.parquet`;
    writeLogs(zeek.events, parquet);
    expect(await sniffFormat(parquet)).toBe("parquet");
    const back = await ingestLogs(parquet);
    expect(back.report).toMatchObject({ format: "parquet", events: 3 });
    expect(back.events.frameEqual(zeek.events, true)).toBe(true);

    const tutorial = writeFixture(dir, "tutorial.csv", HAND_CSV);
    expect(await sniffFormat(tutorial)).toBe("tutorial-csv");
    const { events, report } = await ingestLogs(tutorial);
    expect(report).toMatchObject({ format: "tutorial-csv", lines: 11, events: 10 });
    expect(events.getColumn("bytes_transferred").sum()).toBe(14500);
  });
});

describe("countries where the log carries them", () => {
  it("Winlogbeat events enriched with GeoIP keep the source's country", async () => {
    const line = JSON.stringify({
      "@timestamp": "2025-03-03T09:10:00.000Z", source: { ip: "198.51.100.9", geo: { country_iso_code: "NL" } },
      winlog: { event_id: 4624, computer_name: "WS2", event_data: { TargetUserName: "carol", IpAddress: "198.51.100.9", LogonType: "10" } },
    });
    const { events } = await ingestLogs(writeFixture(dir, "geo.jsonl", `${line}\n`));
    expect(eventRows(events, ["user_id", "country"])).toEqual([{ user_id: "carol", country: "NL" }]);
  });
});
