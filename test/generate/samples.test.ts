import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { buildAlerts } from "../../lib/alerts/alerts";
import { runDetectors } from "../../lib/detect/suite";
import { SAMPLES, SAMPLE_YEAR, writeSamples } from "../../lib/generate/samples";
import { ingestLogs } from "../../lib/io/ingest";
import { ROOT, tempDir, threatlab } from "../helpers";

const BUNDLED = join(ROOT, "data", "samples");

describe("the bundled samples", () => {
  const fresh = tempDir();
  const written = writeSamples(fresh);

  it("are exactly what threatlab samples writes (one per format, and the README)", () => {
    expect(readdirSync(BUNDLED).sort()).toEqual(written.map((p) => p.slice(fresh.length + 1)).sort());
    expect(new Set(SAMPLES.map((s) => s.format))).toEqual(new Set(["syslog", "windows-json", "zeek-tsv", "zeek-json", "ndjson", "csv", "parquet"]));
    for (const path of written) {
      const name = path.slice(fresh.length + 1);
      if (name.endsWith(".parquet")) {
        expect(pl.readParquet(join(BUNDLED, name)).frameEqual(pl.readParquet(path), true)).toBe(true);
      } else {
        expect(readFileSync(join(BUNDLED, name), "utf8"), name).toBe(readFileSync(path, "utf8"));
      }
    }
  });

  it("are seeded: another seed gives other data, the same seed the same", () => {
    const again = tempDir();
    writeSamples(again);
    const other = tempDir();
    writeSamples(other, 8);
    expect(readFileSync(join(again, "auth.log"), "utf8")).toBe(readFileSync(join(fresh, "auth.log"), "utf8"));
    expect(readFileSync(join(other, "auth.log"), "utf8")).not.toBe(readFileSync(join(fresh, "auth.log"), "utf8"));
  });

  for (const sample of SAMPLES) {
    it(`${sample.file}: read as ${sample.format} without a bad line, and every planted attack found`, async () => {
      const { events, report } = await ingestLogs(join(BUNDLED, sample.file), sample.ingest);
      expect(report.format).toBe(sample.format);
      expect({ unrecognised: report.unrecognisedLines, malformed: report.malformedLines, long: report.longLines }).toEqual({ unrecognised: 0, malformed: 0, long: 0 });
      const alerts = buildAlerts(runDetectors(events).detections);
      for (const attack of sample.attacks) {
        const at = Date.parse(attack.at);
        const found = alerts.find((a) => a.rule === attack.rule && a.entity.value === attack.entity && Math.abs(Date.parse(a.first_seen) - at) <= 10 * 60_000);
        expect(found, `${attack.rule} on ${attack.entity} at ${attack.at}; alerts: ${alerts.map((a) => `${a.rule}/${a.entity.value}@${a.first_seen}`).join(", ")}`).toBeDefined();
      }
    });
  }

  /** Returns the alerts of a sample written with seed 7 (not the bundled seed), with or without its planted attacks. */
  const alertsOf = async (sample: (typeof SAMPLES)[number], attacks: boolean) => {
    const path = join(fresh, `${attacks ? "attacked" : "clean"}-${sample.file}`);
    sample.write(path, 7, attacks);
    return buildAlerts(runDetectors((await ingestLogs(path, sample.ingest)).events).detections);
  };

  for (const sample of SAMPLES) {
    it(`${sample.file} without its planted attacks is a clean log: no high or critical alert; with them, seed 7 too, every one found`, async () => {
      const loud = (await alertsOf(sample, false)).filter((a) => a.severity === "high" || a.severity === "critical");
      expect(loud.map((a) => `${a.severity} ${a.rule} ${a.entity.value}: ${a.summary}`)).toEqual([]);
      const attacked = await alertsOf(sample, true);
      for (const attack of sample.attacks) {
        expect(attacked.some((a) => a.rule === attack.rule && a.entity.value === attack.entity), `${attack.rule} on ${attack.entity}`).toBe(true);
      }
    });
  }

  it("the three VPN files hold the same events", async () => {
    // Each keeps its own record as source_fields (text in CSV, numbers in JSON, none in Parquet).
    const frames = await Promise.all(["vpn.ndjson", "vpn.csv", "vpn.parquet"].map(async (f) => (await ingestLogs(join(BUNDLED, f))).events.drop("source_file", "source_line", "source_fields")));
    expect(frames[0].height).toBeGreaterThan(500);
    expect(frames[1].frameEqual(frames[0], true)).toBe(true);
    expect(frames[2].frameEqual(frames[0], true)).toBe(true);
  });

  it("carry the traps real logs have", () => {
    const auth = readFileSync(join(BUNDLED, "auth.log"), "utf8");
    expect(auth).toMatch(/sshd\[\d+\]: message repeated \d+ times: \[ Failed password/);
    expect(auth).toMatch(/pam_unix\(sshd:auth\): authentication failure; .* rhost=\S+/);
    expect(auth.startsWith("Mar  3 ")).toBe(true);
    expect(readFileSync(join(BUNDLED, "zeek-conn.log"), "utf8")).toMatch(/\tudp\tdns\t-\t-\t-\tS0\t/);
    const windows = readFileSync(join(BUNDLED, "security.jsonl"), "utf8");
    expect(windows).toContain('"EventID":4776');
    expect(windows).toContain('"EventID":4634');
  });

  it(`threatlab report writes the four outputs for each sample (syslog with --year ${SAMPLE_YEAR})`, () => {
    const out = tempDir();
    for (const sample of SAMPLES) {
      const dir = join(out, sample.file);
      const run = threatlab("report", join(BUNDLED, sample.file), ...(sample.ingest.year ? ["--year", String(sample.ingest.year)] : []), "--out", dir);
      expect(run.code, run.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(["alerts.csv", "alerts.jsonl", "report.html", "summary.json"]);
      const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
      expect(summary.alerts.total).toBe(readFileSync(join(dir, "alerts.jsonl"), "utf8").trim().split("\n").length);
      expect(summary.format).toBe(sample.format);
    }
  }, 120_000);
});
