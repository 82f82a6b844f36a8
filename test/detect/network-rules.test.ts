/**
 * The network rules on tiny literal connection logs: scans and probes just over and just under
 * each threshold (expectations worked out by hand), Zeek's connection states, and which side of
 * the network an address is on.
 */
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { buildAlerts } from "../../lib/alerts/alerts";
import { detectCommandAndControl, longestPeriodicRun, nonStandardPort } from "../../lib/detect/command-and-control";
import { detectToolTransfer } from "../../lib/detect/tool-transfer";
import { networkSides } from "../../lib/detect/events";
import { detectLargeUpload } from "../../lib/detect/large-upload";
import { evaluateLabelledSources } from "../../lib/evaluate/labelled-sources";
import { detectNetworkScan } from "../../lib/detect/network-scan";
import { runDetectors } from "../../lib/detect/suite";
import { connOutcome } from "../../lib/io/formats/zeek";
import { ingestLogs } from "../../lib/io/ingest";
import { T0, tempDir, writeFixture } from "../helpers";

const dir = tempDir();

/** One connection: seconds after T0, source, destination, port, and whether it was answered. */
interface Conn {
  s: number;
  src: string;
  dst: string;
  port: number;
  ok?: boolean;
}

/** Returns a connection log in the event schema from literal rows (unanswered unless `ok`; `service` when given). */
function connFrame(rows: readonly (Conn & { service?: string })[]): pl.DataFrame {
  return pl
    .DataFrame({
      timestamp: rows.map((r) => T0 + r.s * 1000),
      user_id: rows.map(() => null),
      log_type: rows.map(() => "network_traffic"),
      ip_address: rows.map((r) => r.src),
      outcome: rows.map((r) => (r.ok ? "success" : "failure")),
      destination: rows.map((r) => r.dst),
      destination_port: rows.map((r) => r.port),
      service: rows.map((r) => r.service ?? null),
    })
    .withColumns(
      pl.col("timestamp").cast(pl.Int64).cast(pl.Datetime("ms")),
      pl.col("destination_port").cast(pl.Int64),
      ...["user_id", "log_type", "ip_address", "outcome", "destination", "service"].map((c) => pl.col(c).cast(pl.Utf8)),
    )
    .sort("timestamp");
}

/** `n` connections from `src`, the k-th at `k * step` seconds, to what `to(k)` says. */
const conns = (n: number, step: number, src: string, to: (k: number) => { dst: string; port: number; ok?: boolean; service?: string }): (Conn & { service?: string })[] =>
  Array.from({ length: n }, (_, k) => ({ s: k * step, src, ...to(k) }));

describe("network_scan: horizontal and vertical scans", () => {
  it("50 hosts tried on port 445 within 4 min is a horizontal scan; 49 is not", () => {
    const sweep = conns(50, 5, "10.0.0.5", (k) => ({ dst: `10.0.1.${k + 1}`, port: 445 }));
    const [d, ...rest] = detectNetworkScan(connFrame(sweep));
    expect(rest).toEqual([]);
    // 50 distinct hosts against 50; from 0 s to 245 s.
    expect(d).toMatchObject({ rule: "network_scan", entity: { type: "source", value: "10.0.0.5" }, observed: 50, expected: 50, score: 1, eventCount: 50, start: T0, end: T0 + 245_000 });
    expect(d.evidence).toMatchObject({ kind: "horizontal", direction: "internal", attempts: 50, hosts: 50, ports: 1, sample_ports: "445" });
    expect(detectNetworkScan(connFrame(sweep.slice(0, 49)))).toEqual([]);
  });

  it("the same host tried again and again, or answered connections, are not a horizontal scan", () => {
    const again = conns(200, 1, "10.0.0.5", (k) => ({ dst: `10.0.1.${(k % 49) + 1}`, port: 445 }));
    expect(detectNetworkScan(connFrame(again))).toEqual([]);
    const answered = conns(60, 1, "10.0.0.5", (k) => ({ dst: `10.0.1.${k + 1}`, port: 445, ok: true }));
    expect(detectNetworkScan(connFrame(answered))).toEqual([]);
  });

  it("20 ports of one host within 10 min is a vertical scan; 19, or 20 spread over 20 min, are not", () => {
    const ports = conns(20, 30, "10.0.0.5", (k) => ({ dst: "10.0.2.9", port: 1000 + k }));
    const [d, ...rest] = detectNetworkScan(connFrame(ports));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ observed: 20, expected: 20, eventCount: 20, end: T0 + 570_000 });
    expect(d.evidence).toMatchObject({ kind: "vertical", hosts: 1, ports: 20, sample_hosts: "10.0.2.9" });
    expect(detectNetworkScan(connFrame(ports.slice(0, 19)))).toEqual([]);
    // One a minute: a 10-minute window ([t, t + 10 min)) holds 10 of them.
    expect(detectNetworkScan(connFrame(conns(20, 60, "10.0.0.5", (k) => ({ dst: "10.0.2.9", port: 1000 + k }))))).toEqual([]);
  });
});

describe("network_scan: probing from outside", () => {
  const probe = (n: number, step: number) => conns(n, step, "198.51.100.7", () => ({ dst: "10.0.0.9", port: 23 }));

  it("10 unanswered attempts on an inside host within 24 h is probing (low); 9 is not", () => {
    // Every 2.5 h: the 10th at 22.5 h.
    const [d, ...rest] = detectNetworkScan(connFrame(probe(10, 9000)));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { value: "198.51.100.7" }, observed: 10, expected: 10, eventCount: 10, end: T0 + 81_000_000 });
    expect(d.evidence).toMatchObject({ kind: "probing", direction: "inbound", attempts: 10, hosts: 1, ports: 1 });
    expect(detectNetworkScan(connFrame(probe(9, 9000)))).toEqual([]);
    // Every 3 h: a 24-hour window holds 8 of them (the 9th is 24 h after the first).
    expect(detectNetworkScan(connFrame(probe(10, 3 * 3600)))).toEqual([]);
  });

  it("an alert on probing is low, and medium at three times the threshold", () => {
    const [low] = buildAlerts(runDetectors(connFrame(probe(10, 60)), { rules: ["network_scan"] }).detections);
    expect(low).toMatchObject({ rule: "network_scan", severity: "low" });
    const [heavy] = buildAlerts(runDetectors(connFrame(probe(30, 60)), { rules: ["network_scan"] }).detections);
    expect(heavy).toMatchObject({ severity: "medium", observed: 30 });
  });

  it("an inside host failing to reach outside hosts is not probing, however often", () => {
    const retries = conns(40, 60, "10.0.0.5", () => ({ dst: "203.0.113.80", port: 443 }));
    expect(detectNetworkScan(connFrame(retries))).toEqual([]);
  });

  it("--internal decides the sides: the same attempts between public addresses are probing only when the target is declared inside", () => {
    const rows = conns(12, 60, "198.51.100.7", () => ({ dst: "192.0.2.10", port: 22 }));
    expect(detectNetworkScan(connFrame(rows))).toEqual([]);
    const [d] = detectNetworkScan(connFrame(rows), { internal: ["192.0.2.0/24"] });
    expect(d.evidence).toMatchObject({ kind: "probing", direction: "inbound", attempts: 12, inside_by: "--internal 192.0.2.0/24" });
  });
});

describe("Zeek connections: answered or not, and Zeek's own idea of local", () => {
  it("connOutcome reads Zeek's conn_state, and ICMP echo requests by their reply", () => {
    expect(["S0", "REJ", "RSTOS0", "RSTRH", "SH", "SHR"].map((s) => connOutcome({ proto: "tcp", conn_state: s }))).toEqual(Array(6).fill("failure"));
    expect(["SF", "S1", "S2", "S3", "RSTO", "RSTR"].map((s) => connOutcome({ proto: "tcp", conn_state: s }))).toEqual(Array(6).fill("success"));
    // OTH: seen mid-stream (a long connection split by Zeek's timeouts); nothing can be said.
    expect(connOutcome({ proto: "tcp", conn_state: "OTH" })).toBeNull();
    expect(connOutcome({ proto: "icmp", conn_state: "OTH", "id.orig_p": 8, resp_pkts: 0 })).toBe("failure");
    expect(connOutcome({ proto: "icmp", conn_state: "OTH", "id.orig_p": "8", resp_pkts: "1" })).toBe("success");
  });

  it("a public capture host Zeek marked local_resp is inside: attempts on it from outside are probing", async () => {
    const header = ["#separator \\x09", "#path\tconn", "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tconn_state\tlocal_orig\tlocal_resp", "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tbool\tbool"];
    const line = (k: number, local: string) => [1_700_000_000 + k * 60, `C${k}`, "198.51.100.7", 40000 + k, "147.32.81.167", 3000 + k, "tcp", "-", "S0", "F", local].join("\t");
    const read = async (local: string) => (await ingestLogs(writeFixture(dir, `conn-${local}.log`, [...header, ...Array.from({ length: 10 }, (_, k) => line(k, local))].join("\n") + "\n"))).events;
    const marked = await read("T");
    expect(networkSides(marked).inside("147.32.81.167")).toBe(true);
    expect(networkSides(marked).basis).toMatch(/^Zeek's local_orig and local_resp/);
    const [d, ...rest] = detectNetworkScan(marked);
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ kind: "probing", direction: "inbound", attempts: 10, ports: 10 });
    // Unmarked, both addresses are public: outside to outside, nobody's inside to probe.
    const unmarked = await read("-");
    expect(networkSides(unmarked).inside("147.32.81.167")).toBe(false);
    expect(detectNetworkScan(unmarked)).toEqual([]);
  });

  it("a value cannot pass itself off as Zeek's flag: only a key of source_fields counts", async () => {
    // The flag's text inside another field's value is escaped (\"), so it never matches.
    const record = (k: number) => JSON.stringify({ ts: 1_700_000_000 + k, "id.orig_h": "198.51.100.7", "id.orig_p": 1, "id.resp_h": "147.32.81.167", "id.resp_p": 23, proto: "tcp", conn_state: "S0", history: ',"local_resp":"T",' });
    const { events } = await ingestLogs(writeFixture(dir, "forged.jsonl", Array.from({ length: 12 }, (_, k) => record(k)).join("\n") + "\n"));
    expect(networkSides(events).inside("147.32.81.167")).toBe(false);
    expect(detectNetworkScan(events)).toEqual([]);
  });
});

describe("command_and_control: an inside host that keeps calling one outside port no common service uses", () => {
  const calls = (n: number, step: number, port = 4444, extra: { ok?: boolean; service?: string; src?: string; dst?: string } = {}) =>
    conns(n, step, extra.src ?? "10.0.0.5", () => ({ dst: extra.dst ?? "203.0.113.9", port, ok: extra.ok ?? true, service: extra.service }));
  const severity = (frame: pl.DataFrame) => buildAlerts(runDetectors(frame, { rules: ["command_and_control"] }).detections).map((a) => a.severity);

  it("which ports are non-standard: no common service's, or a protocol off its own", () => {
    expect(nonStandardPort(1337, null)).toBe("port 1337 is no common service's");
    expect(nonStandardPort(443, null)).toBeNull();
    expect(nonStandardPort(8883, null)).toBeNull();
    expect(nonStandardPort(443, "ssh")).toBe("ssh on port 443, not its own");
    expect(nonStandardPort(1337, "http")).toBe("http on port 1337, not its own");
    expect(nonStandardPort(8000, "http")).toBeNull();
  });

  it("the period is the longest run of intervals within ±20 % of its first", () => {
    // The RAT's reconnects: 20.4 … 22.8 s all lie within 20.4 ± 4.08; their median is (21.7 + 22) / 2.
    expect(longestPeriodicRun([1900, 157, 20.4, 21, 21.7, 22, 22.3, 22.8, 1985])).toEqual({ length: 6, period: 21.85 });
    expect(longestPeriodicRun([100, 30, 270, 20, 580])).toEqual({ length: 1, period: 100 });
    expect(longestPeriodicRun([])).toEqual({ length: 0, period: 0 });
  });

  it("6 calls a minute apart to port 4444 are a periodic channel (high); 5 are not a detection", () => {
    const [d, ...rest] = detectCommandAndControl(connFrame(calls(6, 60)));
    expect(rest).toEqual([]);
    // 5 intervals of 60 s: a run of 5 ≥ 4; one sign, so score (6 / 6) × 2.
    expect(d).toMatchObject({ rule: "command_and_control", technique: "T1571", entity: { type: "source", value: "10.0.0.5" }, observed: 6, expected: 6, score: 2, start: T0, end: T0 + 300_000 });
    expect(d.evidence).toMatchObject({ destination: "203.0.113.9", port: 4444, connections: 6, failed: 0, period_s: 60, periodic_intervals: 5, signs: ["periodic"], duration: "5 min" });
    expect(severity(connFrame(calls(6, 60)))).toEqual(["high"]);
    expect(detectCommandAndControl(connFrame(calls(5, 60)))).toEqual([]);
  });

  it("irregular calls are medium; mostly failing ones are high", () => {
    const at = [0, 100, 130, 400, 420, 1000];
    const irregular = (ok: boolean) => connFrame(at.map((s) => ({ s, src: "10.0.0.5", dst: "203.0.113.9", port: 4444, ok })));
    const [d] = detectCommandAndControl(irregular(true));
    expect(d.evidence).toMatchObject({ connections: 6, signs: [] });
    expect(d.evidence).not.toHaveProperty("period_s");
    expect(severity(irregular(true))).toEqual(["medium"]);
    expect(detectCommandAndControl(irregular(false))[0].evidence).toMatchObject({ failed: 6, signs: ["failing"] });
    expect(severity(irregular(false))).toEqual(["high"]);
  });

  it("a period needs 4 intervals in a row: 5 calls 60 s apart (4) are periodic, with only 3 regular intervals they are not", () => {
    const [five] = detectCommandAndControl(connFrame(calls(5, 60)), { connections: 5 });
    expect(five.evidence).toMatchObject({ periodic_intervals: 4, period_s: 60, signs: ["periodic"] });
    // 0, 60, 120, 180, then 400: intervals 60, 60, 60, 220.
    const broken = [0, 60, 120, 180, 400].map((s) => ({ s, src: "10.0.0.5", dst: "203.0.113.9", port: 4444, ok: true }));
    expect(detectCommandAndControl(connFrame(broken), { connections: 5 })[0].evidence).toMatchObject({ signs: [] });
  });

  it("a session of 30 min makes the channel persistent; 29 min 59 s does not (Zeek's duration)", async () => {
    const conn = (k: number, duration: number) =>
      JSON.stringify({ ts: 1_700_000_000 + k * 7_000 + (k % 2) * 1_500, "id.orig_h": "10.0.0.5", "id.orig_p": 40000 + k, "id.resp_h": "203.0.113.9", "id.resp_p": 4444, proto: "tcp", duration, orig_bytes: 100, resp_bytes: 100, conn_state: "SF" });
    const read = async (longest: number) => {
      const lines = Array.from({ length: 6 }, (_, k) => conn(k, k === 2 ? longest : 5));
      return (await ingestLogs(writeFixture(dir, `session-${longest}.jsonl`, lines.join("\n") + "\n"))).events;
    };
    // Starts 0, 8.5, 14, 22.5, 28, 36.5 thousand s apart in turn: intervals alternate 8,500 and 5,500 s, no period.
    const [long] = detectCommandAndControl(await read(1800));
    expect(long.evidence).toMatchObject({ longest_session_s: 1800, signs: ["persistent"] });
    const [short] = detectCommandAndControl(await read(1799));
    expect(short.evidence).toMatchObject({ longest_session_s: 1799, signs: [] });
  });

  it("one TCP session of 10 min on a port no protocol is known for is a channel, medium; not 9 min 59 s, UDP, a known protocol, nor from outside", async () => {
    const one = (name: string, fields: object) => {
      const conn = { ts: 1_700_000_000, "id.orig_h": "10.0.0.5", "id.orig_p": 40000, "id.resp_h": "203.0.113.9", "id.resp_p": 1234, proto: "tcp", duration: 600, orig_bytes: 70_000, resp_bytes: 900_000, conn_state: "RSTO", ...fields };
      return ingestLogs(writeFixture(dir, name, JSON.stringify(conn) + "\n")).then((r) => r.events);
    };
    const lone = await one("lone.jsonl", {});
    const [d, ...rest] = detectCommandAndControl(lone);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { value: "10.0.0.5" }, observed: 10, expected: 10, eventCount: 1, start: 1_700_000_000_000, end: 1_700_000_600_000 });
    expect(d.evidence).toMatchObject({ destination: "203.0.113.9", port: 1234, connections: 1, longest_session_s: 600, bytes_out: 70_000, signs: [], lone_session: true });
    expect(severity(lone)).toEqual(["medium"]);
    expect(detectCommandAndControl(await one("lone-short.jsonl", { duration: 599 }))).toEqual([]);
    expect(detectCommandAndControl(await one("lone-udp.jsonl", { proto: "udp" }))).toEqual([]);
    expect(detectCommandAndControl(await one("lone-ssh.jsonl", { service: "ssh", "id.resp_p": 2222 }))).toEqual([]);
    expect(detectCommandAndControl(await one("lone-in.jsonl", { "id.orig_h": "198.51.100.7", "id.resp_h": "10.0.0.5" }))).toEqual([]);
  });

  it("lists the source's other connections to the same host within the window (24 h), port by port, in its evidence and summary", async () => {
    const base = { "id.orig_h": "10.0.0.5", "id.resp_h": "203.0.113.9", proto: "tcp", orig_bytes: 500, conn_state: "SF" };
    const lines = [
      { ...base, ts: 1_700_000_000, "id.orig_p": 40000, "id.resp_p": 1234, duration: 600, resp_bytes: 900_000, conn_state: "RSTO" },
      // Within 24 h after the channel's end: two TLS connections, 1,900 s and 2 s long, 30,000,000 + 200,000 B in.
      { ...base, ts: 1_700_000_700, "id.orig_p": 40001, "id.resp_p": 443, service: "ssl", duration: 1900, resp_bytes: 30_000_000 },
      { ...base, ts: 1_700_086_000, "id.orig_p": 40002, "id.resp_p": 443, service: "ssl", duration: 2, resp_bytes: 200_000 },
      // 24 h and 1 s after the end (1,700,000,600 + 86,401 s): outside the window. Another host's, and another source's: not this pair.
      { ...base, ts: 1_700_087_001, "id.orig_p": 40003, "id.resp_p": 80, service: "http", duration: 1, resp_bytes: 1_000 },
      { ...base, ts: 1_700_000_800, "id.orig_p": 40004, "id.resp_h": "198.51.100.1", "id.resp_p": 443, service: "ssl", duration: 1, resp_bytes: 1_000 },
      { ...base, ts: 1_700_000_800, "id.orig_h": "10.0.0.6", "id.orig_p": 40005, "id.resp_p": 443, service: "ssl", duration: 1, resp_bytes: 1_000 },
    ];
    const events = (await ingestLogs(writeFixture(dir, "other-ports.jsonl", lines.map((l) => JSON.stringify(l)).join("\n") + "\n"))).events;
    const [d, ...rest] = detectCommandAndControl(events);
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ port: 1234, lone_session: true, other_ports: [{ port: 443, service: "ssl", connections: 2, longest_session_s: 1900, bytes_in: 30_200_000 }] });
    const [alert] = buildAlerts([d]);
    expect(alert.summary).toMatch(/; also to 203\.0\.113\.9 on 443 \(ssl\): 2 connections, a session of 32 min, 30\.2 MB received$/);
    // Without the other connections, no other_ports at all.
    expect(detectCommandAndControl(events.head(1))[0].evidence).not.toHaveProperty("other_ports");
  });

  it("a usual port, an inside destination, an outside caller, or a protocol on its own port are not command and control", () => {
    expect(detectCommandAndControl(connFrame(calls(20, 60, 443)))).toEqual([]);
    expect(detectCommandAndControl(connFrame(calls(20, 60, 4444, { dst: "10.0.0.9" })))).toEqual([]);
    expect(detectCommandAndControl(connFrame(calls(20, 60, 4444, { src: "198.51.100.7" })))).toEqual([]);
    expect(detectCommandAndControl(connFrame(calls(20, 60, 8000, { service: "http" })))).toEqual([]);
    expect(detectCommandAndControl(connFrame(calls(6, 60, 443, { service: "ssh" })))[0].evidence).toMatchObject({ port_reason: "ssh on port 443, not its own" });
  });
});

describe("tool_transfer: a download from outside copied on to another inside host over SMB or WinRM", () => {
  /** A Zeek conn record `s` seconds in, from 10.0.0.5 unless said otherwise. */
  const conn = (s: number, to: string, port: number, sent: number, received: number) =>
    JSON.stringify({ ts: 1_700_000_000 + s, "id.orig_h": "10.0.0.5", "id.orig_p": 40000 + s, "id.resp_h": to, "id.resp_p": port, proto: "tcp", duration: 1, orig_bytes: sent, resp_bytes: received, conn_state: "SF" });
  const run = async (name: string, lines: string[]) => detectToolTransfer((await ingestLogs(writeFixture(dir, name, lines.join("\n") + "\n"))).events);
  const download = (mb: number) => conn(0, "203.0.113.9", 80, 500, mb * 1e6);

  it("flags 2 MB downloaded, then 1.2 MB copied to 10.0.0.7:445 a minute later in two connections; not 0.99 MB", async () => {
    const [d, ...rest] = await run("relay.jsonl", [download(2), conn(60, "10.0.0.7", 445, 700_000, 900), conn(61, "10.0.0.7", 445, 500_000, 900)]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "tool_transfer", technique: "T1570", entity: { type: "source", value: "10.0.0.5" }, observed: 1_200_000, expected: 1_000_000, eventCount: 3 });
    expect(d.evidence).toEqual({ downloaded_from: "203.0.113.9", downloaded_bytes: 2e6, copied_to: "10.0.0.7", port: 445, copied_bytes: 1_200_000, copies: 2, delay_s: 60 });
    expect(await run("relay-small.jsonl", [download(2), conn(60, "10.0.0.7", 445, 990_000, 900)])).toEqual([]);
  });

  it("asks half the download: 4 MB then 2 MB copied over WinRM is flagged, 1.99 MB is not", async () => {
    expect(await run("half.jsonl", [download(4), conn(30, "10.0.0.7", 5985, 2e6, 900)])).toHaveLength(1);
    expect(await run("under-half.jsonl", [download(4), conn(30, "10.0.0.7", 5985, 1_990_000, 900)])).toEqual([]);
  });

  it("not a copy 5 min 1 s later, nor before the download, on a web port, to outside, or after a download under 1 MB", async () => {
    expect(await run("late.jsonl", [download(2), conn(301, "10.0.0.7", 445, 2e6, 900)])).toEqual([]);
    expect(await run("at-5min.jsonl", [download(2), conn(300, "10.0.0.7", 445, 2e6, 900)])).toHaveLength(1);
    expect(await run("before.jsonl", [conn(0, "10.0.0.7", 445, 2e6, 900), conn(10, "203.0.113.9", 80, 500, 2e6)])).toEqual([]);
    expect(await run("web.jsonl", [download(2), conn(60, "10.0.0.7", 443, 2e6, 900)])).toEqual([]);
    expect(await run("outside.jsonl", [download(2), conn(60, "198.51.100.7", 445, 2e6, 900)])).toEqual([]);
    expect(await run("small.jsonl", [download(0.9), conn(60, "10.0.0.7", 445, 2e6, 900)])).toEqual([]);
  });
});

describe("large_upload on Zeek connections with durations", () => {
  const upload = (seconds: number) =>
    JSON.stringify({ ts: 1_700_000_000, "id.orig_h": "10.0.0.5", "id.orig_p": 50000, "id.resp_h": "203.0.113.9", "id.resp_p": 443, proto: "tcp", service: "ssl", duration: seconds, orig_bytes: 3_300_000, resp_bytes: 3_890, conn_state: "SF" }) + "\n";

  it("3.3 MB sent in 10 s (330 KB/s) is an upload; the same over 4,400 s (750 B/s) is a session trickling", async () => {
    const quick = (await ingestLogs(writeFixture(dir, "quick.jsonl", upload(10)))).events;
    const [d, ...rest] = detectLargeUpload(quick);
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ destination: "203.0.113.9", bytes_out: 3_300_000, seconds: 10, bytes_per_second: 330_000 });
    expect(detectLargeUpload((await ingestLogs(writeFixture(dir, "slow.jsonl", upload(4400)))).events)).toEqual([]);
    // 10 KB/s is the line: 3.3 MB in 330 s is exactly on it, in 331 s under.
    expect(detectLargeUpload((await ingestLogs(writeFixture(dir, "edge.jsonl", upload(330)))).events)).toHaveLength(1);
    expect(detectLargeUpload((await ingestLogs(writeFixture(dir, "under.jsonl", upload(331)))).events)).toEqual([]);
  });
});

describe("evaluateLabelledSources: scoring a capture against its own labels", () => {
  it("the sources with ≥ 10 malicious flows are the attackers; alerts on others count against precision", () => {
    // 198.51.100.7: 10 unanswered attempts on 10.0.0.9 (probing, found); 198.51.100.8: 9 (not
    // found, and not an attacker at the default 10 flows); 10.0.0.5 benign.
    const rows = [
      ...conns(10, 60, "198.51.100.7", () => ({ dst: "10.0.0.9", port: 23 })),
      ...conns(9, 60, "198.51.100.8", () => ({ dst: "10.0.0.9", port: 22 })),
      ...conns(3, 60, "10.0.0.5", () => ({ dst: "203.0.113.80", port: 443, ok: true })),
    ];
    const frame = connFrame(rows);
    const labelled = frame.withColumns(pl.when(pl.col("ip_address").str.startsWith("198.")).then(pl.lit("Malicious")).otherwise(pl.lit("Benign")).alias("source_label"));
    const score = evaluateLabelledSources(labelled, { rules: ["network_scan"] });
    expect(score).toMatchObject({ attackers: 1, found: 1, recall: 1, alerts: 1, alerts_on_attackers: 1, precision: 1, missed: [], false_alerts: [] });
    expect(evaluateLabelledSources(labelled, { rules: ["network_scan"], minFlows: 9 })).toMatchObject({ attackers: 2, found: 1, recall: 0.5, missed: ["198.51.100.8"] });
    // Labels are for scoring only: the detectors see the frame without them and find the same.
    expect(detectNetworkScan(labelled).map((d) => d.entity.value)).toEqual(detectNetworkScan(frame).map((d) => d.entity.value));
  });
});
