/**
 * Kerberos credential attacks on tiny literal Windows event logs: sprays that end in a granted
 * ticket, names that do not exist, AS-REP roasting, and a lone RC4 service ticket in an AES domain.
 * Expectations are worked out by hand from the records written here.
 */
import { describe, expect, it } from "vitest";
import { buildAlerts } from "../../lib/alerts/alerts";
import { detectAsrepRoasting } from "../../lib/detect/asrep-roasting";
import { detectKerberoasting } from "../../lib/detect/kerberoasting";
import { detectPasswordSpray } from "../../lib/detect/password-spray";
import { runDetectors } from "../../lib/detect/suite";
import { ingestLogs } from "../../lib/io/ingest";
import { tempDir, writeFixture } from "../helpers";

const dir = tempDir();
const at = (ms: number): string => new Date(Date.UTC(2025, 2, 3, 9, 0, 0, ms)).toISOString();

/** A 4768 (TGT request) record: status, pre-authentication type and encryption as Windows writes them. */
const tgt = (ms: number, user: string, status: string, preAuth: string, encryption = "0x12", ip = "::ffff:10.0.0.66") => ({
  "@timestamp": at(ms), Hostname: "DC1", EventID: 4768, TargetUserName: user, Status: status, PreAuthType: preAuth, TicketEncryptionType: encryption, IpAddress: ip,
});
/** A 4771 (pre-authentication failed) record. */
const preauthFailed = (ms: number, user: string, ip = "::ffff:10.0.0.66") => ({ "@timestamp": at(ms), Hostname: "DC1", EventID: 4771, TargetUserName: user, Status: "0x18", IpAddress: ip });
/** A 4769 (service ticket) record. */
const ticket = (ms: number, user: string, service: string, encryption: string) => ({
  "@timestamp": at(ms), Hostname: "DC1", EventID: 4769, TargetUserName: `${user}@CORP.EXAMPLE`, ServiceName: service, IpAddress: "::ffff:10.0.0.9", TicketEncryptionType: encryption, Status: "0x0",
});

const events = async (name: string, records: object[]) =>
  (await ingestLogs(writeFixture(dir, name, records.map((r) => JSON.stringify(r)).join("\n") + "\n"))).events;
const severities = async (name: string, records: object[], rule: string) =>
  buildAlerts(runDetectors(await events(name, records), { rules: [rule] }).detections).map((a) => [a.rule, a.severity]);

describe("Kerberos sprays: 4771 and 4768 failures, and the ticket that ends them", () => {
  it("a granted ticket after pre-authentication is a login that succeeded; one without pre-authentication is not", async () => {
    const frame = await events("tgt.jsonl", [tgt(0, "alice", "0x0", "2"), tgt(1, "bob", "0x0", "0"), tgt(2, "carol", "0x6", "-")]);
    expect(frame.getColumn("log_type").toArray()).toEqual(["login_success", "kerberos_tgt", "login_failed"]);
  });

  it("5 accounts failing pre-authentication in 4 ms, then a ticket for a sixth amid them, is a spray that succeeded: critical", async () => {
    const records = [...["u1", "u2", "u3"].map((u, k) => preauthFailed(k, u)), tgt(3, "svc_backup", "0x0", "2"), ...["u4", "u5"].map((u, k) => preauthFailed(4 + k, u))];
    const [d, ...rest] = detectPasswordSpray(await events("spray-won.jsonl", records));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { value: "10.0.0.66" }, observed: 5, start: Date.UTC(2025, 2, 3, 9), end: Date.UTC(2025, 2, 3, 9) + 5 });
    expect(d.evidence).toMatchObject({ accounts: 5, successful_logins: ["svc_backup"], unknown_accounts: 0 });
    expect(await severities("spray-won.jsonl", records, "password_spray")).toEqual([["password_spray", "critical"]]);
  });

  it("a ticket for another account an hour after the spray is not its success", async () => {
    const records = [...["u1", "u2", "u3", "u4", "u5"].map((u, k) => preauthFailed(k, u)), tgt(3_600_000, "svc_backup", "0x0", "2")];
    const [d] = detectPasswordSpray(await events("spray-later.jsonl", records));
    expect(d.evidence).toMatchObject({ successful_logins: [] });
    // 5 accounts in the machine-speed minute: score 5 / 5, medium.
    expect(await severities("spray-later.jsonl", records, "password_spray")).toEqual([["password_spray", "medium"]]);
  });

  it("names that do not exist (Kerberos 0x6) are counted as user enumeration", async () => {
    const records = [...["ghost1", "ghost2", "ghost3"].map((u, k) => tgt(k, u, "0x6", "-")), preauthFailed(3, "alice"), preauthFailed(4, "bob")];
    const [d] = detectPasswordSpray(await events("enum.jsonl", records));
    expect(d.evidence).toMatchObject({ accounts: 5, unknown_accounts: 3 });
    const [alert] = buildAlerts([d]);
    expect(alert.summary).toContain("5 accounts (3 that do not exist: user enumeration)");
  });

  it("sshd's 'invalid user' failures are unknown accounts too", async () => {
    const lines = ["ghost", "nobody", "oracle", "test", "admin"].map((u, k) => `Mar  3 10:15:0${k} web1 sshd[9${k}]: Failed password for invalid user ${u} from 192.0.2.50 port 400${k} ssh2`);
    const frame = (await ingestLogs(writeFixture(dir, "invalid.log", lines.join("\n") + "\n"), { year: 2025 })).events;
    expect(frame.getColumn("detail").toArray()[0]).toBe("password (unknown user)");
    expect(detectPasswordSpray(frame)[0].evidence).toMatchObject({ accounts: 5, unknown_accounts: 5 });
  });
});

describe("asrep_roasting: tickets issued without pre-authentication", () => {
  it("one RC4 ticket without pre-authentication is flagged, high; AES medium; with pre-authentication nothing", async () => {
    const rc4 = [tgt(0, "legacy_app", "0x0", "0", "0x17")];
    const [d, ...rest] = detectAsrepRoasting(await events("asrep.jsonl", rc4));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "asrep_roasting", technique: "T1558.004", entity: { type: "source", value: "10.0.0.66" }, observed: 1, eventCount: 1 });
    expect(d.evidence).toEqual({ accounts: ["legacy_app"], tickets: 1, rc4: true });
    expect(await severities("asrep.jsonl", rc4, "asrep_roasting")).toEqual([["asrep_roasting", "high"]]);
    expect(await severities("asrep-aes.jsonl", [tgt(0, "legacy_app", "0x0", "0", "0x12")], "asrep_roasting")).toEqual([["asrep_roasting", "medium"]]);
    expect(detectAsrepRoasting(await events("preauth.jsonl", [tgt(0, "alice", "0x0", "2", "0x17")]))).toEqual([]);
  });

  it("tickets more than an hour apart are separate detections; within an hour, one", async () => {
    const records = [tgt(0, "a", "0x0", "0"), tgt(60_000, "b", "0x0", "0"), tgt(60_000 + 3_600_001, "c", "0x0", "0")];
    const found = detectAsrepRoasting(await events("asrep-runs.jsonl", records));
    expect(found.map((d) => d.evidence.accounts)).toEqual([["a", "b"], ["c"]]);
  });
});

describe("kerberoasting: a lone RC4 service ticket where the domain uses AES", () => {
  const aes = (n: number) => Array.from({ length: n }, (_, k) => ticket(k * 1000, `user${k % 7}`, `svc_${k % 5}`, "0x12"));

  it("1 RC4 ticket among 20 (5 %) is flagged; among 19 the domain is too little known", async () => {
    const [d, ...rest] = detectKerberoasting(await events("rare.jsonl", [...aes(19), ticket(30_000, "mallory", "svc_sql", "0x17")]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { value: "mallory" }, observed: 1, expected: 3, eventCount: 1 });
    expect(d.evidence).toEqual({ services: ["svc_sql"], requests: 1, domain_tickets: 20, rc4_share: 0.05 });
    expect(buildAlerts([d])[0].summary).toContain("where 95 % of the domain's 20 service tickets are AES");
    expect(detectKerberoasting(await events("rare-19.jsonl", [...aes(18), ticket(30_000, "mallory", "svc_sql", "0x17")]))).toEqual([]);
  });

  it("where RC4 is common (2 of 20), a lone RC4 ticket is ordinary", async () => {
    const records = [...aes(18), ticket(30_000, "mallory", "svc_sql", "0x17"), ticket(31_000, "bob", "svc_web", "0x17")];
    expect(detectKerberoasting(await events("common.jsonl", records))).toEqual([]);
  });
});
