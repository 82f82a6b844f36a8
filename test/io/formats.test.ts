import { readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FORMATS, LOG_FORMATS, codeValue, evtxXmlEvent, formatsMarkdown, ingestLogs, normaliseCode, sniffFormat, splitSyslogLine } from "../../lib/io/ingest";
import { eventRows, ROOT, tempDir, threatlab, writeFixture } from "../helpers";
import { AUTH_LOG, WINDOWS_JSON, ZEEK_CONN_TSV } from "./ingest-fixtures";
import {
  EVTX_DUMP_JSONL, JOURNALD_JSON, JOURNALD_SHORT_ISO, OLD_PAM_MESSAGES, RFC5424_LOG, ZEEK_DNS_RELATIVE_TSV, ZEEK_LABELLED_TSV, ZEEK_NOTICE_JSON,
} from "./format-fixtures";

const dir = tempDir();

describe("the format list", () => {
  it("names every format once, each with a title, a one-line example and its clock", () => {
    expect(new Set(LOG_FORMATS).size).toBe(FORMATS.length);
    for (const f of FORMATS) {
      expect(f.title.length, f.name).toBeGreaterThan(10);
      expect(f.example, f.name).not.toMatch(/\n/);
      expect(f.clock.length, f.name).toBeGreaterThan(5);
    }
  });

  it("the README's formats table is the one made from the list, and threatlab formats prints the list", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = /<!-- formats:start -->\n([\s\S]*?)\n<!-- formats:end -->/.exec(readme)?.[1];
    expect(table).toBe(formatsMarkdown());
    for (const name of ["syslog", "journald-json", "journald-short-iso", "windows-json", "evtx", "zeek-json", "zeek-tsv", "ndjson", "csv", "parquet", "tutorial-csv"]) {
      expect(table).toContain(`| \`${name}\` |`);
    }
    const run = threatlab("formats");
    expect(run.code).toBe(0);
    for (const f of FORMATS) {
      expect(run.stdout).toContain(`${f.name.padEnd(18)}  ${f.title}`);
      expect(run.stdout).toContain(`example: ${f.example}`);
    }
    expect(threatlab("formats", "--markdown").stdout).toBe(`${formatsMarkdown()}\n`);
  });

  it("each of our fixtures is recognised as its format", async () => {
    const cases: [string, string | Buffer, string][] = [
      ["messages", OLD_PAM_MESSAGES, "syslog"],
      ["rfc5424.log", RFC5424_LOG, "syslog"],
      ["journal.json", JOURNALD_JSON, "journald-json"],
      ["journal.txt", JOURNALD_SHORT_ISO, "journald-short-iso"],
      ["evtx-dump.jsonl", EVTX_DUMP_JSONL, "windows-json"],
      ["nxlog.jsonl", WINDOWS_JSON, "windows-json"],
      ["dns.log", ZEEK_DNS_RELATIVE_TSV, "zeek-tsv"],
      ["notice.json", ZEEK_NOTICE_JSON, "zeek-json"],
      ["evtx-magic.bin", Buffer.concat([Buffer.from("ElfFile\0"), Buffer.alloc(120)]), "evtx"],
    ];
    for (const [name, content, format] of cases) expect(await sniffFormat(writeFixture(dir, name, content)), name).toBe(format);
  });
});

describe("syslog variants", () => {
  it("the old PAM tag form: no line refused for one odd line, PAM failures counted by attempt", async () => {
    const { events, report } = await ingestLogs(writeFixture(dir, "messages", OLD_PAM_MESSAGES), { year: 2005 });
    // Lines 1 (no program tag) and 9 (kernel) are syslog threatlab does not read: skipped. The
    // other 9 are parsed; line 8 stands for 2 attempts: 10 events.
    expect(report).toMatchObject({ format: "syslog", lines: 11, parsedLines: 9, skippedLines: 2, unrecognisedLines: 0, malformedLines: 0, events: 10 });
    const ev = (timestamp: string, log_type: string, user_id: string | null, ip_address: string | null, source_line: number) => ({ timestamp, log_type, user_id, ip_address, source_line });
    expect(eventRows(events, ["timestamp", "log_type", "user_id", "ip_address", "source_line"])).toEqual([
      ev("2005-06-14T15:16:01.000Z", "login_failed", null, "218.188.2.4", 2),
      ev("2005-06-14T15:16:02.000Z", "unknown_user", null, null, 3),
      ev("2005-06-14T15:16:02.000Z", "login_failed", null, "218.188.2.4", 4),
      ev("2005-06-15T02:04:59.000Z", "login_failed", "root", "dsl.example.net", 5),
      ev("2005-06-15T04:06:18.000Z", "session_open", "cyrus", null, 6),
      ev("2005-06-15T04:06:19.000Z", "session_close", "cyrus", null, 7),
      // "2 more authentication failures" of a process with no sshd line: two attempts.
      ev("2005-06-15T12:12:34.000Z", "login_failed", "root", "203.0.113.51", 8),
      ev("2005-06-15T12:12:34.000Z", "login_failed", "root", "203.0.113.51", 8),
      // Process 23400 wrote its own "Failed password" (line 11): PAM's line is the same attempt.
      ev("2005-06-15T12:13:00.000Z", "pam_auth_failure", "root", "198.51.100.1", 10),
      ev("2005-06-15T12:13:02.000Z", "login_failed", "root", "198.51.100.1", 11),
    ]);
    const fields = JSON.parse(events.getColumn("source_fields").get(0) as string);
    expect(fields).toEqual({ host: "combo", program: "sshd", module: "pam_unix", pid: "19939", message: "authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 " });
  });

  it("RFC 5424 and a <PRI> before an RFC 3164 header", async () => {
    const { events, report } = await ingestLogs(writeFixture(dir, "rfc5424.log", RFC5424_LOG), { year: 2025 });
    expect(report).toMatchObject({ lines: 4, parsedLines: 3, skippedLines: 1, unrecognisedLines: 0, events: 3 });
    expect(eventRows(events, ["timestamp", "log_type", "user_id", "ip_address", "source_line"])).toEqual([
      // 10:15:01.123456+01:00 is 09:15:01.123 UTC (milliseconds kept).
      { timestamp: "2025-03-03T09:15:01.123Z", log_type: "login_failed", user_id: "root", ip_address: "203.0.113.7", source_line: 1 },
      { timestamp: "2025-03-03T09:16:00.000Z", log_type: "login_success", user_id: "alice", ip_address: "198.51.100.20", source_line: 2 },
      { timestamp: "2025-03-03T09:18:00.000Z", log_type: "su_failed", user_id: "root", ip_address: "web1", source_line: 4 },
    ]);
    expect(JSON.parse(events.getColumn("source_fields").get(1) as string)).toMatchObject({ priority: 86, structured_data: '[origin ip="10.0.0.1"][meta sequenceId="7" x="a\\]b"]', pid: "1003" });
    expect(splitSyslogLine(RFC5424_LOG.split("\n")[2])).toMatchObject({ program: null, msgid: "ID47", message: "a message from no program" });
  });

  it("journalctl -o json: microsecond stamps, a message given as bytes, a bad stamp counted", async () => {
    const { events, report } = await ingestLogs(writeFixture(dir, "journal.json", JOURNALD_JSON));
    expect(report).toMatchObject({ format: "journald-json", lines: 4, parsedLines: 2, skippedLines: 1, malformedLines: 1, firstMalformed: { line: 4 } });
    expect(report.clock).toBe("__REALTIME_TIMESTAMP (microseconds since 1970, UTC)");
    // 1741000501 s is 2025-03-03T11:15:01Z; the 0xff byte decodes to U+FFFD.
    expect(eventRows(events, ["timestamp", "log_type", "user_id", "ip_address", "host"])).toEqual([
      { timestamp: "2025-03-03T11:15:01.000Z", log_type: "login_failed", user_id: "admin", ip_address: "203.0.113.7", host: "web1" },
      { timestamp: "2025-03-03T11:15:02.250Z", log_type: "invalid_user", user_id: "\uFFFD", ip_address: "203.0.113.7", host: "web1" },
    ]);
  });

  it("journalctl -o short-iso: the journal's marker lines skipped, offsets without a colon", async () => {
    const { events, report } = await ingestLogs(writeFixture(dir, "journal.txt", JOURNALD_SHORT_ISO));
    expect(report).toMatchObject({ format: "journald-short-iso", lines: 4, parsedLines: 2, skippedLines: 2, warnings: [] });
    expect(eventRows(events, ["timestamp", "user_id"])).toEqual([
      { timestamp: "2025-03-03T09:15:01.000Z", user_id: "root" },
      { timestamp: "2025-03-03T09:16:00.000Z", user_id: "alice" },
    ]);
  });

  it("a file is syslog when most of its first lines are, whatever its first line", async () => {
    const file = writeFixture(dir, "mostly.log", `garbage first line\n${AUTH_LOG}`);
    utimesSync(file, new Date("2025-06-01T00:00:00Z"), new Date("2025-06-01T00:00:00Z"));
    const { report } = await ingestLogs(file);
    expect(report).toMatchObject({ format: "syslog", unrecognisedLines: 3, firstUnrecognised: { line: 1 } });
  });
});

describe("Windows codes and layouts", () => {
  it("codeValue and normaliseCode read a code whatever its width or base", () => {
    expect(["0x0", "0x00000000", "0", 0].map(codeValue)).toEqual([0, 0, 0, 0]);
    expect(["0x17", "0x00000017", "23", "0X17"].map(normaliseCode)).toEqual(["0x17", "0x17", "0x17", "0x17"]);
    expect([normaliseCode("-"), normaliseCode(""), normaliseCode("%%2313")]).toEqual([null, null, "%%2313"]);
  });

  it("evtx_dump's layout, XML-list EventData and Winlogbeat: codes normalised with their meaning, ::ffff: stripped", async () => {
    const { events, report } = await ingestLogs(writeFixture(dir, "evtx-dump.jsonl", EVTX_DUMP_JSONL));
    expect(report).toMatchObject({ format: "windows-json", lines: 5, parsedLines: 5, events: 5, duplicates: 0 });
    expect(eventRows(events, ["timestamp", "log_type", "outcome", "user_id", "ip_address", "detail"])).toEqual([
      { timestamp: "2021-12-02T14:54:21.232Z", log_type: "login_failed", outcome: "failure", user_id: "admin-hacker", ip_address: "10.23.123.11", detail: "Status=0x18 (bad password) (pre-authentication failed)" },
      { timestamp: "2021-12-03T12:06:03.488Z", log_type: "login_failed", outcome: "failure", user_id: "Guest", ip_address: "10.23.123.11", detail: "Status=0x6 (unknown user) TicketEncryptionType=0xffffffff (none (failure)) PreAuthType=?" },
      // A zero-padded success is a success, and 0x00000017 is RC4.
      { timestamp: "2021-12-03T12:07:00.000Z", log_type: "kerberos_tgt", outcome: "success", user_id: "svc-sql", ip_address: "10.23.23.9", detail: "Status=0x0 (success) TicketEncryptionType=0x17 (RC4) PreAuthType=0" },
      // 3221225581 is 0xc000006d; IpAddress "-" is missing, so the workstation is the source.
      { timestamp: "2021-12-03T12:08:00.000Z", log_type: "login_failed", outcome: "failure", user_id: "bob", ip_address: "LAPTOP9", detail: "LogonType=3 Status=0xc000006d (bad user name or password) SubStatus=0xc0000064 (unknown user)" },
      { timestamp: "2025-03-03T09:10:00.000Z", log_type: "login_success", outcome: "success", user_id: "carol", ip_address: "198.51.100.9", detail: "LogonType=3" },
    ]);
    expect(JSON.parse(events.getColumn("source_fields").get(0) as string)).toMatchObject({ TargetUserName: "admin-hacker", IpPort: "50000", Status: "0x00000018" });
  });

  it("a file that only starts like .evtx, or a gzip-compressed .evtx, is refused in one line", async () => {
    const fake = Buffer.concat([Buffer.from("ElfFile\0"), Buffer.alloc(120)]);
    const plain = writeFixture(dir, "fake.evtx", fake);
    await expect(ingestLogs(plain)).rejects.toThrow(`${plain}: not a readable .evtx file (`);
    const gz = writeFixture(dir, "fake.evtx.gz", gzipSync(fake));
    await expect(ingestLogs(gz)).rejects.toThrow(`${gz}: is a gzip-compressed .evtx file; threatlab reads .evtx files uncompressed (gunzip it first)`);
  });

  it("evtxXmlEvent reads a record's XML: event id, SystemTime, computer, named data, entities", () => {
    const xml = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID Qualifiers="">4625</EventID><TimeCreated SystemTime="2021-05-21 20:43:22.562870"></TimeCreated><Computer>fs01.offsec.lan</Computer></System><EventData><Data Name="TargetUserName">a&amp;b&#x3c;</Data><Data Name="TargetDomainName"></Data><Data Name="IpAddress">::ffff:10.0.0.1</Data></EventData></Event>';
    expect(evtxXmlEvent(xml)).toEqual({ id: 4625, utc: Date.UTC(2021, 4, 21, 20, 43, 22, 562), host: "fs01.offsec.lan", local: null, data: { TargetUserName: "a&b<", TargetDomainName: "", IpAddress: "::ffff:10.0.0.1" } });
    expect(evtxXmlEvent("<Event/>")).toBeUndefined();
  });
});

describe("Zeek variants", () => {
  it("a ts counted from the capture's start: said in a warning, anchored with --start", async () => {
    const file = writeFixture(dir, "dns.log", ZEEK_DNS_RELATIVE_TSV);
    const plain = await ingestLogs(file);
    expect(eventRows(plain.events, ["timestamp"]).map((r) => r.timestamp)).toEqual(["1970-01-01T00:00:00.000Z", "1970-01-01T00:00:12.500Z"]);
    expect(plain.report.warnings).toEqual(["2 records have a ts below 1980 (seconds from the start of the capture, not from 1970); their times start at 1970-01-01: anchor them with --start (the capture's start, e.g. --start 2025-03-03T09:00:00Z)"]);
    const anchored = await ingestLogs(file, { start: "2025-03-03T09:00:00Z" });
    expect(eventRows(anchored.events, ["timestamp", "log_type", "ip_address", "destination", "detail"])).toEqual([
      { timestamp: "2025-03-03T09:00:00.000Z", log_type: "dns_query", ip_address: "10.8.0.61", destination: "8.8.8.8", detail: "A example.com NOERROR" },
      { timestamp: "2025-03-03T09:00:12.500Z", log_type: "dns_query", ip_address: "10.8.0.61", destination: "8.8.8.8", detail: "A evil.example NXDOMAIN" },
    ]);
    expect(anchored.report.clock).toBe("Zeek ts counted from the start of the capture, anchored at --start 2025-03-03T09:00:00Z");
  });

  it("a labelled capture keeps its labels apart, as ground truth; a notice names its source", async () => {
    const { events } = await ingestLogs(writeFixture(dir, "labelled.log", ZEEK_LABELLED_TSV));
    expect(eventRows(events, ["ip_address", "source_label", "source_label_detail"])).toEqual([
      { ip_address: "198.51.100.7", source_label: "Malicious", source_label_detail: "External-Attack-to-Device" },
      { ip_address: "10.0.0.5", source_label: "Benign", source_label_detail: null },
    ]);
    expect(events.getColumn("source_fields").toArray().join("")).not.toMatch(/Malicious|Benign|label/);
    const notice = await ingestLogs(writeFixture(dir, "notice.json", ZEEK_NOTICE_JSON));
    expect(eventRows(notice.events, ["log_type", "ip_address", "destination", "detail"])).toEqual([
      { log_type: "ids_notice", ip_address: "10.0.0.9", destination: "10.0.0.1", detail: "Scan::Port_Scan: 10.0.0.9 scanned at least 15 unique ports of host 10.0.0.1 in 0m2s" },
    ]);
  });

  it("TSV without labels has no label columns", async () => {
    const { events } = await ingestLogs(writeFixture(dir, "conn.tsv", ZEEK_CONN_TSV));
    expect(events.columns).not.toContain("source_label");
  });
});
