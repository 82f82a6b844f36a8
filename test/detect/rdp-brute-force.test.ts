/**
 * RDP brute force on tiny literal logs: Windows RdpCoreTS 131 records ("the server accepted a new
 * TCP connection from client …") and Zeek conn records to port 3389. Expectations are worked out by
 * hand from the records written here: 10 accepted connections from one source to one host within
 * 30 s is the threshold.
 */
import { describe, expect, it } from "vitest";
import { buildAlerts } from "../../lib/alerts/alerts";
import { detectRdpBruteForce } from "../../lib/detect/rdp-brute-force";
import { runDetectors } from "../../lib/detect/suite";
import { ingestLogs } from "../../lib/io/ingest";
import { tempDir, writeFixture } from "../helpers";

const dir = tempDir();
const SECOND = 1000;
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const at = (ms: number): string => new Date(T0 + ms).toISOString();

/** An RdpCoreTS 131 record on `host`: a connection from `client` accepted. */
const accepted = (ms: number, host: string, client = "10.23.123.11", port = 40000) => ({
  "@timestamp": at(ms), Hostname: `${host}.corp.example`, EventID: 131, ConnType: "TCP", ClientIP: `${client}:${port + Math.round(ms / 100) % 20000}`,
});
/** `n` accepted connections to `host`, `stepMs` apart from `startMs`. */
const burst = (n: number, host: string, stepMs: number, startMs = 0, client?: string) => Array.from({ length: n }, (_, k) => accepted(startMs + k * stepMs, host, client));

const events = async (name: string, lines: object[]) => (await ingestLogs(writeFixture(dir, name, lines.map((r) => JSON.stringify(r)).join("\n") + "\n"))).events;
const detect = async (name: string, lines: object[]) => detectRdpBruteForce(await events(name, lines));
const severities = async (name: string, lines: object[]) =>
  buildAlerts(runDetectors(await events(name, lines), { rules: ["rdp_brute_force"] }).detections).map((a) => a.severity);

describe("RdpCoreTS event 131 read as an accepted RDP connection", () => {
  it("takes the client's address without its port, the computer as destination; a 131 of another channel is skipped", async () => {
    const other = { "@timestamp": at(0), Hostname: "ws1", EventID: 131, DeviceInstanceId: "USB\\VID_1234" };
    const { events: e, report } = await ingestLogs(writeFixture(dir, "map.jsonl", [accepted(0, "dc1", "10.1.2.3", 51000), other].map((r) => JSON.stringify(r)).join("\n") + "\n"));
    expect(report).toMatchObject({ parsedLines: 1, skippedLines: 1 });
    expect(e.select("log_type", "ip_address", "destination", "service", "outcome", "event_code").toRecords()).toEqual([
      { log_type: "network_traffic", ip_address: "10.1.2.3", destination: "dc1.corp.example", service: "rdp", outcome: "success", event_code: "131" },
    ]);
  });
});

describe("rdp_brute_force (10 accepted RDP connections to one host in 30 s)", () => {
  it("flags 10 connections 3 s apart (27 s), medium; not 9, nor 10 spread over 31 s", async () => {
    const [d, ...rest] = await detect("ten.jsonl", burst(10, "dc1", 3 * SECOND));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "rdp_brute_force", technique: "T1110", entity: { type: "source", value: "10.23.123.11" }, observed: 10, expected: 10, eventCount: 10, start: T0, end: T0 + 27 * SECOND });
    expect(d.evidence).toEqual({ hosts: ["dc1.corp.example"], connections: 10, peak: 10 });
    expect(await severities("ten.jsonl", burst(10, "dc1", 3 * SECOND))).toEqual(["medium"]);
    expect(await detect("nine.jsonl", burst(9, "dc1", 3 * SECOND))).toEqual([]);
    // 10 connections 31/9 s apart: the first and the tenth are 31 s apart, so no 30 s holds 10.
    expect(await detect("slow.jsonl", burst(10, "dc1", (31 * SECOND) / 9))).toEqual([]);
  });

  it("a health check every 5 s all day stays under the rate (7 in any 30 s)", async () => {
    expect(await detect("health.jsonl", burst(17280 / 24, "rds1", 5 * SECOND, 0, "10.0.0.250"))).toEqual([]);
  });

  it("counts per host: 5 connections to each of 4 hosts is no burst; 10 to each of 3 hosts at once is one alert, high", async () => {
    const spread = ["a", "b", "c", "d"].flatMap((h, k) => burst(5, h, SECOND, k * 100));
    expect(await detect("spread.jsonl", spread)).toEqual([]);
    const sweep = ["a", "b", "c"].flatMap((h, k) => burst(10, h, SECOND, k * 100));
    const [d, ...rest] = await detect("sweep.jsonl", sweep);
    expect(rest).toEqual([]);
    expect(d.evidence).toEqual({ hosts: ["a.corp.example", "b.corp.example", "c.corp.example"], connections: 30, peak: 10 });
    expect(await severities("sweep.jsonl", sweep)).toEqual(["high"]);
    // Two hosts at once stay medium.
    expect(await severities("pair.jsonl", sweep.slice(0, 20))).toEqual(["medium"]);
  });

  it("keeps sources apart, and bursts at one host an hour apart are two alerts", async () => {
    const two = [...burst(10, "dc1", SECOND, 0, "10.9.9.1"), ...burst(9, "dc1", SECOND, 0, "10.9.9.2")];
    expect((await detect("sources.jsonl", two)).map((d) => d.entity.value)).toEqual(["10.9.9.1"]);
    expect((await detect("twice.jsonl", [...burst(10, "dc1", SECOND), ...burst(10, "dc1", SECOND, 3600 * SECOND)])).map((d) => d.eventCount)).toEqual([10, 10]);
  });

  it("reads Zeek conn records to port 3389: answered ones count, unanswered ones are a scan's", async () => {
    const conn = (k: number, state: string) =>
      JSON.stringify({ ts: T0 / 1000 + k, uid: `C${k}`, "id.orig_h": "203.0.113.9", "id.orig_p": 50000 + k, "id.resp_h": "10.0.0.5", "id.resp_p": 3389, proto: "tcp", conn_state: state, orig_bytes: 1500, resp_bytes: 3000 });
    const answered = Array.from({ length: 10 }, (_, k) => conn(k, "SF")).join("\n") + "\n";
    const found = detectRdpBruteForce((await ingestLogs(writeFixture(dir, "zeek-sf.json", answered))).events);
    expect(found.map((d) => [d.entity.value, d.evidence])).toEqual([["203.0.113.9", { hosts: ["10.0.0.5"], connections: 10, peak: 10 }]]);
    const unanswered = Array.from({ length: 10 }, (_, k) => conn(k, "S0")).join("\n") + "\n";
    expect(detectRdpBruteForce((await ingestLogs(writeFixture(dir, "zeek-s0.json", unanswered))).events)).toEqual([]);
  });
});
