/**
 * The real third-party samples (../shared/data/real on the team's machines; never copied into the
 * project): threatlab must read every line and find the attacks their READMEs describe. Skipped
 * where the folder is absent (set THREATLAB_REAL_DATA to point at it elsewhere).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { buildAlerts } from "../../lib/alerts/alerts";
import { runDetectors } from "../../lib/detect/suite";
import { ingestLogs } from "../../lib/io/ingest";
import { describeWith, type Found } from "../external";
import { ROOT } from "../helpers";

const found: Found<string> = (() => {
  const dir = process.env.THREATLAB_REAL_DATA ?? resolve(ROOT, "..", "shared", "data", "real");
  return existsSync(join(dir, "loghub-openssh")) ? { value: dir } : { missing: `no real samples at ${dir} (set THREATLAB_REAL_DATA)` };
})();

describeWith("the real samples", "REAL_DATA", found, (dir) => {
  const detect = async (file: string, options = {}) => {
    const ingested = await ingestLogs(join(dir, file), options);
    return { ...ingested, alerts: buildAlerts(runDetectors(ingested.events).detections) };
  };

  it("Loghub OpenSSH: every line read; the brute force of hundreds of failures in minutes", async () => {
    const { report, events, alerts } = await detect("loghub-openssh/OpenSSH_2k.log", { year: 2024 });
    expect(report).toMatchObject({ lines: 2000, parsedLines: 2000, unrecognisedLines: 0, malformedLines: 0 });
    // grep: 520 "Failed password" lines, two of them "message repeated 5 times: [ … ]", and 4
    // "Failed none": 518 + 2 × 5 + 4 = 532 failed logins.
    expect(events.getColumn("log_type").toArray().filter((t) => t === "login_failed")).toHaveLength(532);
    const brute = alerts.find((a) => a.rule === "brute_force" && a.entity.value === "183.62.140.253");
    expect(brute?.evidence).toMatchObject({ account: "root" });
    expect(brute!.event_count).toBeGreaterThanOrEqual(200);
    expect(Date.parse(brute!.last_seen) - Date.parse(brute!.first_seen)).toBeLessThanOrEqual(15 * 60_000);
  });

  it("PurpleSharp: the seven-account spray within milliseconds, and the Kerberoasting", async () => {
    const { report, alerts } = await detect("otrf-purplesharp-ad-playbook/purplesharp_ad_playbook_I_security.jsonl");
    expect(report.malformedLines + report.unrecognisedLines).toBe(0);
    const spray = alerts.find((a) => a.rule === "password_spray" && a.entity.value === "WORKSTATION5");
    expect(spray?.observed).toBe(7);
    expect(Date.parse(spray!.last_seen) - Date.parse(spray!.first_seen)).toBeLessThan(1000);
    expect(alerts.find((a) => a.rule === "kerberoasting")?.entity.value).toBe("pgustavo");
  });

  it("APT29 Zeek conn.log: the upload of a few MB to the WebDAV server", async () => {
    const { alerts } = await detect("otrf-apt29-day1-zeek/SCRANTON_conn.log");
    const upload = alerts.find((a) => a.rule === "large_upload");
    expect(upload?.entity.value).toBe("10.0.1.4");
    expect(upload?.evidence).toMatchObject({ destination: "192.168.0.4", port: 80 });
    expect(upload!.observed).toBeGreaterThan(2_000_000);
    expect(upload!.observed).toBeLessThan(5_000_000);
  });
});
