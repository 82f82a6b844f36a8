/**
 * Small files of our own, one per log layout a real analyst brings, each with the trap that layout
 * holds (written for these tests, not copied from real logs). Expected events are worked out by
 * hand in formats.test.ts.
 */

/**
 * A 2005-style /var/log/messages: PAM's old tag form `sshd(pam_unix)[pid]`, a first line that is
 * syslog without a `program:` tag (`syslogd 1.4.1: restart.`), a kernel line, and one sshd process
 * (23400) whose PAM line repeats its own "Failed password" line.
 */
export const OLD_PAM_MESSAGES = [
  /* 1 */ "Jun 14 15:15:00 combo syslogd 1.4.1: restart.",
  /* 2 */ "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
  /* 3 */ "Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown",
  /* 4 */ "Jun 14 15:16:02 combo sshd(pam_unix)[19937]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
  /* 5 */ "Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=dsl.example.net  user=root",
  /* 6 */ "Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)",
  /* 7 */ "Jun 15 04:06:19 combo su(pam_unix)[21416]: session closed for user cyrus",
  /* 8 */ "Jun 15 12:12:34 combo sshd(pam_unix)[23397]: 2 more authentication failures; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=203.0.113.51  user=root",
  /* 9 */ "Jun 15 12:12:40 combo kernel: klogd 1.4.1, log source = /proc/kmsg started.",
  /* 10 */ "Jun 15 12:13:00 combo sshd[23400]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.1  user=root",
  /* 11 */ "Jun 15 12:13:02 combo sshd[23400]: Failed password for root from 198.51.100.1 port 4000 ssh2",
].join("\n") + "\n";

/**
 * RFC 5424 lines (a fractional stamp with an offset, structured data holding an escaped `]`, no
 * app name) and an RFC 3164 line with a `<PRI>` in front.
 */
export const RFC5424_LOG = [
  /* 1 */ "<38>1 2025-03-03T10:15:01.123456+01:00 web1 sshd 1001 - - Failed password for root from 203.0.113.7 port 40001 ssh2",
  /* 2 */ '<86>1 2025-03-03T09:16:00Z web1 sshd 1003 - [origin ip="10.0.0.1"][meta sequenceId="7" x="a\\]b"] Accepted publickey for alice from 198.51.100.20 port 50000 ssh2: RSA SHA256:abc',
  /* 3 */ "<13>1 2025-03-03T09:17:00.5Z web1 - - ID47 - \uFEFFa message from no program",
  /* 4 */ "<34>Mar  3 09:18:00 web1 su[2001]: FAILED SU (to root) bob on pts/0",
].join("\n") + "\n";

/** `journalctl -o json`: a message as an array of bytes (not valid UTF-8), a systemd line, a bad stamp. */
export const JOURNALD_JSON = [
  /* 1 */ { __REALTIME_TIMESTAMP: "1741000501000000", _HOSTNAME: "web1", SYSLOG_IDENTIFIER: "sshd", _PID: "1001", PRIORITY: "6", MESSAGE: "Failed password for invalid user admin from 203.0.113.7 port 40001 ssh2" },
  /* 2 */ { __REALTIME_TIMESTAMP: "1741000502250000", _HOSTNAME: "web1", SYSLOG_IDENTIFIER: "sshd", _PID: "1002", MESSAGE: [...Buffer.from("Invalid user "), 0xff, ...Buffer.from(" from 203.0.113.7 port 40002")] },
  /* 3 */ { __REALTIME_TIMESTAMP: "1741000503000000", _HOSTNAME: "web1", SYSLOG_IDENTIFIER: "systemd", _PID: "1", MESSAGE: "Started Session 3 of user bob." },
  /* 4 */ { __REALTIME_TIMESTAMP: "yesterday", _HOSTNAME: "web1", SYSLOG_IDENTIFIER: "sshd", MESSAGE: "Failed password for root from 203.0.113.7 port 1 ssh2" },
].map((e) => JSON.stringify(e)).join("\n") + "\n";

/** `journalctl -o short-iso`, with the journal's own marker lines. */
export const JOURNALD_SHORT_ISO = [
  /* 1 */ "-- Journal begins at Mon 2025-03-03 09:00:00 CET, ends at Mon 2025-03-03 11:00:00 CET. --",
  /* 2 */ "2025-03-03T10:15:01+0100 web1 sshd[1001]: Failed password for root from 203.0.113.7 port 40001 ssh2",
  /* 3 */ "-- Boot 3a1b2c3d4e5f60718293a4b5c6d7e8f9 --",
  /* 4 */ "2025-03-03T10:16:00+0100 web1 sshd[1003]: Accepted publickey for alice from 198.51.100.20 port 50000 ssh2",
].join("\n") + "\n";

/**
 * Windows events as `evtx_dump -o jsonl` writes them (`#attributes`, an EventID with attributes,
 * zero-padded codes, `::ffff:` addresses), the XML-list EventData some converters write, and a
 * Winlogbeat/ECS event whose event_id is text.
 */
export const EVTX_DUMP_JSONL = [
  /* 1 */ { Event: { "#attributes": { xmlns: "http://schemas.microsoft.com/win/2004/08/events/event" }, System: { Provider: { "#attributes": { Name: "Microsoft-Windows-Security-Auditing" } }, EventID: 4771, TimeCreated: { "#attributes": { SystemTime: "2021-12-02T14:54:21.232643Z" } }, EventRecordID: 1, Channel: "Security", Computer: "dc1.corp.example" }, EventData: { TargetUserName: "admin-hacker", ServiceName: "krbtgt/CORP", Status: "0x00000018", PreAuthType: "2", IpAddress: "::ffff:10.23.123.11", IpPort: "50000" } } },
  /* 2 */ { Event: { System: { EventID: { "#attributes": { Qualifiers: "" }, "#text": 4768 }, TimeCreated: { "#attributes": { SystemTime: "2021-12-03T12:06:03.488Z" } }, Computer: "dc1.corp.example" }, EventData: { TargetUserName: "Guest", Status: "0x6", TicketEncryptionType: "0xffffffff", PreAuthType: "-", IpAddress: "::ffff:10.23.123.11" } } },
  /* 3 */ { Event: { System: { EventID: 4768, TimeCreated: { "#attributes": { SystemTime: "2021-12-03T12:07:00Z" } }, Computer: "dc1.corp.example" }, EventData: { TargetUserName: "svc-sql", Status: "0x00000000", TicketEncryptionType: "0x00000017", PreAuthType: "0", IpAddress: "::ffff:10.23.23.9" } } },
  /* 4 */ { Event: { System: { EventID: 4625, TimeCreated: { "@SystemTime": "2021-12-03T12:08:00Z" }, Computer: "fs1.corp.example" }, EventData: { Data: [{ "@Name": "TargetUserName", "#text": "bob" }, { "@Name": "IpAddress", "#text": "-" }, { "@Name": "WorkstationName", "#text": "LAPTOP9" }, { "@Name": "Status", "#text": "3221225581" }, { "@Name": "SubStatus", "#text": "0XC0000064" }, { "@Name": "LogonType", "#text": "3" }] } } },
  /* 5 */ { "@timestamp": "2025-03-03T09:10:00.000Z", event: { code: "4624" }, winlog: { event_id: "4624", computer_name: "WS2.corp.example", event_data: { TargetUserName: "carol", IpAddress: "::ffff:198.51.100.9", LogonType: "3" } } },
].map((e) => JSON.stringify(e)).join("\n") + "\n";

/** A Zeek dns.log in TSV whose ts counts seconds from the start of the capture. */
export const ZEEK_DNS_RELATIVE_TSV = [
  "#separator \\x09",
  "#path\tdns",
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tqtype_name\trcode_name",
  "0.000000\tC1\t10.8.0.61\t35740\t8.8.8.8\t53\tudp\texample.com\tA\tNOERROR",
  "12.500000\tC2\t10.8.0.61\t35741\t8.8.8.8\t53\tudp\tevil.example\tA\tNXDOMAIN",
].join("\n") + "\n";

/** A labelled conn.log (Stratosphere's two label columns) and a Zeek notice as JSON. */
export const ZEEK_LABELLED_TSV = [
  "#separator \\x09",
  "#path\tconn",
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\torig_bytes\tresp_bytes\tconn_state\tlabel\tdetailedlabel",
  "1741000000.000000\tC1\t198.51.100.7\t46563\t10.0.0.5\t3389\ttcp\t-\t0\t0\tS0\tMalicious\tExternal-Attack-to-Device",
  "1741000001.000000\tC2\t10.0.0.5\t50000\t203.0.113.80\t443\ttcp\tssl\t1596\t4039\tSF\tBenign\t-",
].join("\n") + "\n";

export const ZEEK_NOTICE_JSON = JSON.stringify({ ts: 1741000000, _path: "notice", note: "Scan::Port_Scan", msg: "10.0.0.9 scanned at least 15 unique ports of host 10.0.0.1 in 0m2s", src: "10.0.0.9", dst: "10.0.0.1" }) + "\n";
