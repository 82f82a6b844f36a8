/**
 * Lateral movement on tiny literal Windows event logs: administrative network logons (4624 of
 * logon type 3 or 10 with a 4672 on the same host) by one account to several hosts in minutes.
 * Expectations are worked out by hand from the records written here.
 */
import { describe, expect, it } from "vitest";
import { buildAlerts } from "../../lib/alerts/alerts";
import { detectLateralMovement } from "../../lib/detect/lateral-movement";
import { runDetectors } from "../../lib/detect/suite";
import { ingestLogs } from "../../lib/io/ingest";
import { tempDir, writeFixture } from "../helpers";

const dir = tempDir();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const at = (ms: number): string => new Date(Date.UTC(2025, 2, 3, 9, 0, 0) + ms).toISOString();

/** A 4624 (logon) record on `host`. */
const logon = (ms: number, host: string, user = "mallory", type = "3", ip = "10.0.0.66") => ({
  "@timestamp": at(ms), Hostname: `${host}.corp.example`, EventID: 4624, TargetUserName: user, LogonType: type, IpAddress: ip,
});
/** A 4672 (special privileges assigned to a new logon) record on `host`. */
const privileges = (ms: number, host: string, user = "mallory") => ({
  "@timestamp": at(ms), Hostname: `${host}.corp.example`, EventID: 4672, SubjectUserName: user, PrivilegeList: "SeDebugPrivilege",
});
/** An administrative network logon: the two records Windows writes together. */
const admin = (ms: number, host: string, user = "mallory", type = "3") => [logon(ms, host, user, type), privileges(ms, host, user)];

const events = async (name: string, records: object[]) =>
  (await ingestLogs(writeFixture(dir, name, records.map((r) => JSON.stringify(r)).join("\n") + "\n"))).events;
const detect = async (name: string, records: object[]) => detectLateralMovement(await events(name, records));

describe("lateral_movement (administrative network logons to 3 hosts in 10 minutes)", () => {
  it("flags one account on 3 hosts within 9 min 59 s, high; not on 2", async () => {
    const records = [...admin(0, "ws6"), ...admin(4 * MINUTE, "ws7"), ...admin(10 * MINUTE - SECOND, "fs1")];
    const [d, ...rest] = await detect("three.jsonl", records);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "lateral_movement", technique: "T1021", entity: { type: "user", value: "mallory" }, observed: 3, eventCount: 3 });
    expect(d.evidence).toEqual({ hosts: ["fs1.corp.example", "ws6.corp.example", "ws7.corp.example"], sources: ["10.0.0.66"], logons: 3 });
    expect(buildAlerts(runDetectors(await events("three.jsonl", records), { rules: ["lateral_movement"] }).detections).map((a) => a.severity)).toEqual(["high"]);
    expect(await detect("two.jsonl", records.slice(0, 4))).toEqual([]);
  });

  it("does not flag the same 3 hosts 10 minutes apart (the window holds spans under 10 min)", async () => {
    expect(await detect("spread.jsonl", [...admin(0, "ws6"), ...admin(5 * MINUTE, "ws7"), ...admin(10 * MINUTE, "fs1")])).toEqual([]);
  });

  it("needs the 4672: an ordinary user's logons to the DC, a file server and a printer are not administrative", async () => {
    const plain = [logon(0, "dc1", "alice"), logon(SECOND, "fs1", "alice"), logon(2 * SECOND, "print1", "alice")];
    expect(await detect("plain.jsonl", plain)).toEqual([]);
    // Privileges 3 s after the logon belong to another logon (the tolerance is 2 s); 2 s after, to this one.
    expect(await detect("late.jsonl", [...plain, ...["dc1", "fs1", "print1"].map((h, k) => privileges(k * SECOND + 3 * SECOND, h, "alice"))])).toEqual([]);
    expect(await detect("ontime.jsonl", [...plain, ...["dc1", "fs1", "print1"].map((h, k) => privileges(k * SECOND + 2 * SECOND, h, "alice"))])).toHaveLength(1);
    // Privileges on another host do not make a logon here administrative.
    expect(await detect("elsewhere.jsonl", [...plain, ...[0, 1, 2].map((k) => privileges(k * SECOND, "dc1", "alice"))])).toEqual([]);
  });

  it("counts network (3) and remote interactive (10) logons, not interactive ones (2), and no machine or anonymous account", async () => {
    expect(await detect("rdp.jsonl", [...admin(0, "ws6", "mallory", "10"), ...admin(SECOND, "ws7", "mallory", "10"), ...admin(2 * SECOND, "fs1", "mallory", "3")])).toHaveLength(1);
    expect(await detect("console.jsonl", [...admin(0, "ws6", "mallory", "2"), ...admin(SECOND, "ws7", "mallory", "2"), ...admin(2 * SECOND, "fs1")])).toEqual([]);
    for (const user of ["WS5$", "ANONYMOUS LOGON"]) {
      expect(await detect(`${user.length}.jsonl`, [...admin(0, "ws6", user), ...admin(SECOND, "ws7", user), ...admin(2 * SECOND, "fs1", user)])).toEqual([]);
    }
  });

  it("keeps accounts apart: two accounts on 2 hosts each are not one on 3", async () => {
    expect(await detect("two-accounts.jsonl", [...admin(0, "ws6", "mallory"), ...admin(SECOND, "ws7", "mallory"), ...admin(2 * SECOND, "fs1", "trent"), ...admin(3 * SECOND, "ws6", "trent")])).toEqual([]);
  });
});
