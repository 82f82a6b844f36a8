/**
 * Small log files in every format threatlab ingests, written for these tests (not copied from
 * real logs), each with the traps real files have. The expected events are worked out by hand in
 * the comments and in ingest.test.ts.
 */

/**
 * auth.log with CRLF endings, local time (Europe/Berlin, UTC+1 in March), a "message repeated"
 * line, a hostname in rhost, PAM failures for sshd (a repeat of sshd's own line), vsftpd and su, a
 * kernel line (skipped), a line that is not syslog and an sshd message threatlab does not know.
 */
export const AUTH_LOG = [
  /* 1 */ "Mar  3 10:15:01 web1 sshd[1001]: Failed password for root from 203.0.113.7 port 40001 ssh2",
  /* 2 */ "Mar  3 10:15:03 web1 sshd[1001]: message repeated 3 times: [ Failed password for root from 203.0.113.7 port 40001 ssh2]",
  /* 3 */ "Mar  3 10:15:09 web1 sshd[1002]: Invalid user admin from 203.0.113.7 port 40002",
  /* 4 */ "Mar  3 10:15:10 web1 sshd[1002]: Failed password for invalid user admin from 203.0.113.7 port 40002 ssh2",
  /* 5 */ "Mar  3 10:16:00 web1 sshd[1003]: Accepted publickey for alice from 198.51.100.20 port 50000 ssh2: RSA SHA256:abc",
  /* 6 */ "Mar  3 10:16:30 web1 sshd[1003]: Received disconnect from 198.51.100.20 port 50000:11: disconnected by user",
  /* 7 */ "Mar  3 10:17:00 web1 sshd[1004]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=scanner.example.net  user=root",
  /* 8 */ "Mar  3 10:17:30 web1 vsftpd[3001]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=carol rhost=ftp-client.example.org user=carol",
  /* 9 */ "Mar  3 10:18:00 web1 su[2001]: pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=pts/0 ruser=bob rhost=  user=root",
  /* 10 */ "Mar  3 10:18:05 web1 su[2001]: FAILED SU (to root) bob on pts/0",
  /* 11 */ "Mar  3 10:19:00 web1 sshd[1005]: pam_unix(sshd:auth): check pass; user unknown",
  /* 12 */ "Mar  3 10:20:00 web1 sshd[1006]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)",
  /* 13 */ "Mar  3 10:21:00 web1 kernel: [12345.678] eth0: link up",
  /* 14 */ "not a syslog line at all",
  /* 15 */ "Mar  3 10:22:00 web1 sshd[1007]: Some message sshd writes that threatlab does not know",
].join("\r\n") + "\r\n";

/**
 * Windows Security events as JSON lines from three collectors: NXLog (flat, with the host's local
 * EventTime two seconds before the collector's UTC @timestamp), Winlogbeat and EVTX-to-JSON. Line 2
 * repeats line 1's failure as an NTLM validation; line 5 is a logoff (skipped); line 8 is cut in
 * half; line 9 is JSON but not a Windows event.
 */
export const WINDOWS_JSON = [
  /* 1 */ { EventTime: "2025-03-03 10:00:00", "@timestamp": "2025-03-03T09:00:02.000Z", Hostname: "DC1.corp.example", EventID: 4625, TargetUserName: "bob", IpAddress: "-", WorkstationName: "LAPTOP7", LogonType: "3", Status: "0xc000006d", SubStatus: "0xc000006a" },
  /* 2 */ { EventTime: "2025-03-03 10:00:01", "@timestamp": "2025-03-03T09:00:03.000Z", Hostname: "DC1.corp.example", EventID: 4776, TargetUserName: "bob", Workstation: "LAPTOP7", Status: "0xc000006a" },
  /* 3 */ { EventTime: "2025-03-03 10:05:00", "@timestamp": "2025-03-03T09:05:02.000Z", Hostname: "DC1.corp.example", EventID: 4624, TargetUserName: "alice@CORP.EXAMPLE", IpAddress: "::ffff:10.0.0.5", LogonType: "3" },
  /* 4 */ { EventTime: "2025-03-03 10:06:00", "@timestamp": "2025-03-03T09:06:02.000Z", Hostname: "DC1.corp.example", EventID: 4769, TargetUserName: "alice@CORP.EXAMPLE", ServiceName: "MSSQLSvc", IpAddress: "::ffff:10.0.0.5", TicketEncryptionType: "0x17", Status: "0x0" },
  /* 5 */ { EventTime: "2025-03-03 10:07:00", "@timestamp": "2025-03-03T09:07:02.000Z", Hostname: "DC1.corp.example", EventID: 4634, TargetUserName: "alice" },
  /* 6 */ { "@timestamp": "2025-03-03T09:10:00.000Z", winlog: { event_id: 4625, computer_name: "WS2.corp.example", event_data: { TargetUserName: "carol", IpAddress: "198.51.100.9", LogonType: "10", Status: "0xc000006d" } } },
  /* 7 */ { Event: { System: { EventID: 4624, Computer: "WS3.corp.example", TimeCreated: { SystemTime: "2025-03-03T09:11:00.000000Z" } }, EventData: { TargetUserName: "dave", IpAddress: "10.0.0.7", LogonType: "2" } } },
  /* 8 */ '{"EventTime":"2025-03-03 10:12:00","EventID":4625,"TargetUs',
  /* 9 */ { hello: "world" },
  /* 10 */ { "@timestamp": "2025-03-03T09:13:00.000Z", Hostname: "FS1", EventID: 5145, SubjectUserName: "dave", IpAddress: "10.0.0.7", ShareName: "\\\\*\\C$", RelativeTargetName: "secrets.txt" },
  /* 11 */ { "@timestamp": "2025-03-03T09:11:01.000Z", Hostname: "WS3.corp.example", EventID: 4672, SubjectUserName: "dave", PrivilegeList: "SeDebugPrivilege" },
].map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("\n") + "\n";

/**
 * Zeek conn.log as JSON: 1741000000 s is 2025-03-03 11:06:40 UTC. Line 2 is a connection without
 * byte fields; line 3 has its dots renamed to underscores (as some pipelines do); line 4 is a DNS
 * record (skipped).
 */
export const ZEEK_CONN_JSON = [
  { ts: 1741000000.5, uid: "C1", "id.orig_h": "10.0.0.5", "id.orig_p": 50000, "id.resp_h": "203.0.113.80", "id.resp_p": 443, proto: "tcp", service: "ssl", duration: 1.2, orig_bytes: 5000, resp_bytes: 120000, conn_state: "SF" },
  { ts: 1741000001, uid: "C2", "id.orig_h": "10.0.0.6", "id.orig_p": 50001, "id.resp_h": "10.0.0.1", "id.resp_p": 53, proto: "udp", conn_state: "S0" },
  { ts: 1741000002, id_orig_h: "10.0.0.7", id_orig_p: 1, id_resp_h: "198.51.100.4", id_resp_p: 80, proto: "tcp", service: "http", orig_bytes: 3000000, resp_bytes: 100, conn_state: "SF" },
  { _path: "weird", ts: 1741000003, "id.orig_h": "10.0.0.5", name: "bad_TCP_checksum" },
].map((e) => JSON.stringify(e)).join("\n") + "\n";

/** The same three connections in Zeek's TSV form, plus a data line with too few fields (line 12). */
export const ZEEK_CONN_TSV = [
  "#separator \\x09",
  "#set_separator\t,",
  "#empty_field\t(empty)",
  "#unset_field\t-",
  "#path\tconn",
  "#open\t2025-03-03-11-00-00",
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state",
  "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring",
  "1741000000.500000\tC1\t10.0.0.5\t50000\t203.0.113.80\t443\ttcp\tssl\t1.2\t5000\t120000\tSF",
  "1741000001.000000\tC2\t10.0.0.6\t50001\t10.0.0.1\t53\tudp\t-\t-\t-\t-\tS0",
  "1741000002.000000\tC3\t10.0.0.7\t1\t198.51.100.4\t80\ttcp\thttp\t0.5\t3000000\t100\tSF",
  "1741000003.000000\tC4\t10.0.0.8\t2\t198.51.100.4",
  "#close\t2025-03-03-12-00-00",
].join("\n") + "\n";

/**
 * Zeek ssh.log records: a success after 3 attempts (2 failures, 1 success), a failure after 2
 * attempts (2 failures), and a session whose outcome Zeek could not see.
 */
const SSH_RECORDS = [
  { ts: 1741000010, "id.orig_h": "203.0.113.7", "id.resp_h": "10.0.0.2", "id.resp_p": 22, auth_success: true, auth_attempts: 3, client: "SSH-2.0-libssh", server: "SSH-2.0-OpenSSH_8.9" },
  { ts: 1741000020, "id.orig_h": "203.0.113.7", "id.resp_h": "10.0.0.2", "id.resp_p": 22, auth_success: false, auth_attempts: 2 },
  { ts: 1741000030, "id.orig_h": "203.0.113.8", "id.resp_h": "10.0.0.2", "id.resp_p": 22 },
];

/** {@link SSH_RECORDS} as Zeek JSON. */
export const ZEEK_SSH_JSON = SSH_RECORDS.map((r) => JSON.stringify({ _path: "ssh", ...r })).join("\n") + "\n";

/** {@link SSH_RECORDS} as Zeek TSV (T/F booleans, `-` for unset). */
export const ZEEK_SSH_TSV = [
  "#separator \\x09",
  "#unset_field\t-",
  "#path\tssh",
  "#fields\tts\tid.orig_h\tid.resp_h\tid.resp_p\tauth_success\tauth_attempts\tclient\tserver",
  "1741000010.000000\t203.0.113.7\t10.0.0.2\t22\tT\t3\tSSH-2.0-libssh\tSSH-2.0-OpenSSH_8.9",
  "1741000020.000000\t203.0.113.7\t10.0.0.2\t22\tF\t2\t-\t-",
  "1741000030.000000\t203.0.113.8\t10.0.0.2\t22\t-\t-\t-\t-",
].join("\n") + "\n";

/**
 * A CSV whose columns are named differently (mapped with --map), CRLF endings, quoted commas and
 * quotes, a row without bytes, times naive (in --tz), with an offset, and in epoch seconds; line 5
 * is short and line 6 has a time that is not one.
 */
export const MAPPED_CSV = [
  "time,src,account,action,out_bytes,note",
  '2025-03-03 10:00:00,10.0.0.5,alice,login_success,100,"hello, world"',
  "2025-03-03T09:00:05Z,10.0.0.5,bob,login_failed,,plain",
  '1741000000,10.0.0.6,carol,file_access,2048,"she said ""hi"""',
  "2025-03-03 10:01:00,10.0.0.7,dave,login_failed",
  "not-a-time,10.0.0.8,erin,login_failed,1,x",
].join("\r\n") + "\r\n";

/** The mapping for {@link MAPPED_CSV}. */
export const MAPPED_CSV_MAP = "time=timestamp,src=ip_address,account=user_id,action=log_type,out_bytes=bytes_out";

/** Events as JSON lines: a naive time (in --tz), epoch seconds with bytes both ways, and a line cut in half. */
export const EVENTS_NDJSON = [
  { timestamp: "2025-03-03T10:00:00", log_type: "login_failed", user_id: "alice", ip_address: "10.0.0.5", country: "DE" },
  { timestamp: 1741000000, log_type: "network_traffic", ip_address: "10.0.0.5", destination: "203.0.113.80", bytes_out: 5000, bytes_in: 100 },
].map((e) => JSON.stringify(e)).join("\n") + '\n{"timestamp":"2025-03-03T10:00:00","log_type":"login_fa\n';
