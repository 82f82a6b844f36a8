/**
 * The detectors on events read from real log formats: sources that are host names, sprays at
 * machine speed, Kerberoasting, uploads seen by Zeek, and the inside/outside split.
 */
import { describe, expect, it } from "vitest";
import pl from "nodejs-polars";
import { bruteForce, detectBruteForce } from "../../lib/detect/brute-force";
import { detectKerberoasting } from "../../lib/detect/kerberoasting";
import { detectLargeUpload } from "../../lib/detect/large-upload";
import { detectPasswordSpray } from "../../lib/detect/password-spray";
import { runDetectors } from "../../lib/detect/suite";
import { ingestLogs } from "../../lib/io/ingest";
import { inCidr, insideNetworks, ipv4ToNumber, parseCidr } from "../../lib/net";
import { T0, eventFrame, series, tempDir, writeFixture } from "../helpers";
import { ZEEK_SSH_JSON } from "../io/ingest-fixtures";

const dir = tempDir();
const jsonl = (records: object[]): string => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("sources that are host names (PAM rhost), repeated-message lines", () => {
  it("ten vsftpd PAM failures from a host name are a brute force by that host", async () => {
    const lines = Array.from({ length: 10 }, (_, k) =>
      `Mar  3 10:15:${String(k * 5).padStart(2, "0")} ftp1 vsftpd[1]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=carol rhost=dialup-7.example.net user=carol`);
    const { events } = await ingestLogs(writeFixture(dir, "ftp.log", lines.join("\n")), { year: 2025 });
    const [d, ...rest] = detectBruteForce(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { type: "source", value: "dialup-7.example.net" }, eventCount: 10, start: Date.UTC(2025, 2, 3, 10, 15, 0), end: Date.UTC(2025, 2, 3, 10, 15, 45) });
    expect(d.evidence).toMatchObject({ account: "carol", failures: 10 });
  });

  it("one 'message repeated 11 times' line after a failure is 12 failures", async () => {
    const log = [
      "Mar  3 10:15:00 web1 sshd[9]: Failed password for root from 192.0.2.50 port 4000 ssh2",
      "Mar  3 10:16:00 web1 sshd[9]: message repeated 11 times: [ Failed password for root from 192.0.2.50 port 4000 ssh2]",
    ].join("\n");
    const { events } = await ingestLogs(writeFixture(dir, "repeated.log", log), { year: 2025 });
    const [d] = detectBruteForce(events);
    expect(d).toMatchObject({ entity: { value: "192.0.2.50" }, eventCount: 12 });
  });
});

describe("brute force at machine speed", () => {
  const guess = (s: number, detail = "password") => ({ s, type: "login_failed", ip: "FS01", user: "admmig", detail });
  const frame = (rows: ReturnType<typeof guess>[]) => eventFrame(rows).withColumns(pl.Series("detail", rows.map((r) => r.detail)));

  it("4 password guesses in 1.5 s are a brute force, though far under 10 in 5 minutes; 3 are not", () => {
    const rows = [0, 0.5, 1, 1.5].map((s) => guess(s));
    const [d, ...rest] = detectBruteForce(frame(rows));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { value: "FS01" }, observed: 4, expected: 4, score: 1, window: "2 s sliding (machine speed)", start: T0, end: T0 + 1500 });
    expect(bruteForce.summarize(d as never)).toBe("FS01 failed 4 logins to admmig in 2 s (threshold 4 in 2 s, machine speed)");
    expect(detectBruteForce(frame(rows.slice(0, 3)))).toEqual([]);
  });

  it("4 guesses a second apart (2 in any 2 s), or 4 refused public keys in a second, are not", () => {
    expect(detectBruteForce(frame([0, 1, 2, 3].map((s) => guess(s))))).toEqual([]);
    expect(detectBruteForce(frame([0, 0.2, 0.4, 0.6].map((s) => guess(s, "publickey"))))).toEqual([]);
  });
});

describe("password spray at machine speed", () => {
  const fail = { type: "login_failed", ip: "WORKSTATION5" };

  it("7 accounts failing from one workstation in 12 ms is a spray, though far under 11 in 10 minutes", () => {
    const logs = eventFrame(series(7, 0, 0.002, (k) => ({ ...fail, user: `user_${k}` })));
    const [d, ...rest] = detectPasswordSpray(logs);
    expect(rest).toEqual([]);
    // Machine-speed tier: 7 accounts against 5 in a minute; score 7 / 5.
    expect(d).toMatchObject({ entity: { type: "source", value: "WORKSTATION5" }, observed: 7, expected: 5, score: 1.4, start: T0, end: T0 + 12, window: "60 s sliding (machine speed)" });
    expect(d.evidence).toMatchObject({ accounts: 7, duration: "12 ms", attempts_per_account: [1, 1] });
  });

  it("4 accounts in 12 ms, or 5 accounts over two minutes, are not", () => {
    expect(detectPasswordSpray(eventFrame(series(4, 0, 0.003, (k) => ({ ...fail, user: `u${k}` }))))).toEqual([]);
    // At 0, 30, 60, 90 and 120 s no minute holds more than 3 of them.
    expect(detectPasswordSpray(eventFrame(series(5, 0, 30, (k) => ({ ...fail, user: `u${k}` }))))).toEqual([]);
  });
});

describe("Kerberoasting on Windows 4769 events", () => {
  const ticket = (second: number, user: string, service: string, encryption: string) => ({
    "@timestamp": new Date(Date.UTC(2025, 2, 3, 9, 0, second)).toISOString(), Hostname: "DC1", EventID: 4769,
    TargetUserName: `${user}@CORP.EXAMPLE`, ServiceName: service, IpAddress: "::ffff:10.0.0.9", TicketEncryptionType: encryption, Status: "0x0",
  });

  it("one account asking RC4 tickets for 3 services within minutes is flagged; AES tickets and machine accounts are not", async () => {
    const records = [
      ticket(0, "mallory", "svc_sql", "0x17"),
      ticket(1, "mallory", "svc_web", "0x17"),
      ticket(2, "mallory", "svc_backup", "0x17"),
      // AES tickets are normal, however many.
      ...["a", "b", "c", "d"].map((s, i) => ticket(10 + i, "alice", `svc_${s}`, "0x12")),
      // Two services plus krbtgt and a machine account: only two count.
      ticket(20, "bob", "svc_sql", "0x17"), ticket(21, "bob", "svc_web", "0x17"), ticket(22, "bob", "krbtgt", "0x17"), ticket(23, "bob", "WS7$", "0x17"),
    ];
    const { events } = await ingestLogs(writeFixture(dir, "tickets.jsonl", jsonl(records)));
    const [d, ...rest] = detectKerberoasting(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { type: "user", value: "mallory" }, observed: 3, eventCount: 3, technique: "T1558.003", score: 1 });
    // The domain's user service tickets: mallory's 3, alice's 4 and bob's 2 (krbtgt and WS7$ left
    // out); 5 of the 9 are RC4.
    expect(d.evidence).toEqual({ services: ["svc_backup", "svc_sql", "svc_web"], requests: 3, domain_tickets: 9, rc4_share: 0.5556 });
  });
});

describe("large uploads seen by Zeek", () => {
  const conn = (ts: number, from: string, to: string, out: number | undefined, back: number | undefined) => ({
    ts, "id.orig_h": from, "id.orig_p": 50000, "id.resp_h": to, "id.resp_p": 443, proto: "tcp", service: "ssl", conn_state: "SF",
    ...(out === undefined ? {} : { orig_bytes: out }), ...(back === undefined ? {} : { resp_bytes: back }),
  });
  const records = [
    conn(1741000000, "10.0.0.5", "203.0.113.80", 3_000_000, 100), // upload: 30,000× what came back
    conn(1741000010, "10.0.0.5", "203.0.113.81", 3_000_000, 1_000_000), // 3× only: a two-way session
    conn(1741000020, "10.0.0.6", "10.0.0.1", 50_000_000, 10), // inside: a backup, not exfiltration
    conn(1741000030, "10.0.0.7", "203.0.113.82", 900_000, 0), // under 1 MB
    conn(1741000040, "10.0.0.8", "203.0.113.83", undefined, undefined), // no byte fields
  ];

  it("flags the one-way upload to an outside address only, with how lopsided it was", async () => {
    const { events } = await ingestLogs(writeFixture(dir, "uploads.json", jsonl(records)));
    const [d, ...rest] = detectLargeUpload(events);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { type: "source", value: "10.0.0.5" }, observed: 3_000_000, start: 1741000000_000, score: 3_000_000 / 100 / 10 });
    expect(d.evidence).toMatchObject({ destination: "203.0.113.80", port: 443, bytes_out: 3_000_000, bytes_in: 100, why: "sent 30000× what it received" });
  });

  it("--internal moves a network inside: uploads there are not flagged", async () => {
    const { events } = await ingestLogs(writeFixture(dir, "uploads2.json", jsonl(records)));
    const run = runDetectors(events, { rules: ["large_upload"], internal: ["10.0.0.0/8", "203.0.113.0/24"] });
    expect(run.detections).toEqual([]);
    expect(runDetectors(events, { rules: ["large_upload"] }).detections).toHaveLength(1);
  });
});

describe("inside and outside networks", () => {
  const inside = (nets: ReturnType<typeof insideNetworks>, address: string): boolean => nets.some((c) => inCidr(ipv4ToNumber(address)!, c));

  it("private ranges are inside when some destination is public", () => {
    const nets = insideNetworks(["10.0.1.4"], ["203.0.113.80", "192.168.0.4"]);
    expect(["10.9.9.9", "172.16.0.1", "192.168.0.4", "127.0.0.1"].map((a) => inside(nets, a))).toEqual([true, true, true, true]);
    expect(inside(nets, "203.0.113.80")).toBe(false);
  });

  it("private ranges are inside when some source is public: an attacker on the Internet reaching private hosts", () => {
    const nets = insideNetworks(["198.51.100.7", "10.0.0.5"], ["10.0.0.9"]);
    expect(inside(nets, "10.0.0.9")).toBe(true);
    expect(inside(nets, "198.51.100.7")).toBe(false);
  });

  it("when every address is private, the sources' /16 networks are inside and other private ranges outside", () => {
    // The APT29 lab: the victim 10.0.1.4 uploads to the attacker's 192.168.0.4.
    const nets = insideNetworks(["10.0.1.4", "10.0.2.9", "10.1.2.9"], ["192.168.0.4", "10.0.0.1"]);
    expect(nets.map((c) => c.text).sort()).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
    expect(inside(nets, "10.0.77.1")).toBe(true);
    expect(inside(nets, "192.168.0.4")).toBe(false);
  });

  it("given networks win; a bad one is refused", () => {
    expect(insideNetworks(["10.0.1.4"], ["8.8.8.8"], [parseCidr("internal", "8.8.8.0/24")]).map((c) => c.text)).toEqual(["8.8.8.0/24"]);
    expect(() => parseCidr("--internal", "10.0.0.0/33")).toThrow('invalid --internal: "10.0.0.0/33" (expected an IPv4 network such as 10.0.0.0/16)');
  });
});

describe("rules with nothing to look at are skipped, with the reason", () => {
  it("Zeek names no accounts: rules that count accounts say so; brute force still runs per source", async () => {
    const { events } = await ingestLogs(writeFixture(dir, "ssh-skip.json", ZEEK_SSH_JSON));
    const run = runDetectors(events, { rules: ["brute_force", "password_spray", "impossible_travel", "large_upload"] });
    expect(run.skipped).toEqual([
      { rule: "password_spray", reason: "no values in user_id" },
      { rule: "impossible_travel", reason: "no values in user_id, country" },
      // Zeek ssh.log has destinations but no byte counts.
      { rule: "large_upload", reason: "no values in bytes_transferred" },
    ]);
    expect(Object.keys(run.seconds)).toEqual(["brute_force"]);
  });
});
