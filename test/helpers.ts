/**
 * Shared test helpers: temporary folders, fixture files and a frame comparison that prints both
 * frames when they differ.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import pl, { type DataFrame } from "nodejs-polars";
import { afterAll, expect } from "vitest";

/** The repository root. */
export const ROOT = resolve(__dirname, "..");

/** What a run of the CLI printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `threatlab` command (the built dist/) in a child process, from the repository root. */
export function threatlab(...args: string[]): CliRun {
  const run = spawnSync(process.execPath, [join(ROOT, "bin", "threatlab.js"), ...args], { encoding: "utf8", cwd: ROOT, maxBuffer: 64 << 20 });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** Returns a fresh temporary folder, removed when the test file finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "threatlab-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Returns a TCP port on localhost that was free a moment ago (for a server a test starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Writes `content` to `name` inside `dir` and returns the path. */
export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Asserts that two frames have the same schema and values, printing both when they differ. */
export function expectFrameEqual(actual: DataFrame, expected: DataFrame): void {
  const same = actual.frameEqual(expected, true);
  if (!same) {
    expect(`${actual.toString()}\n${JSON.stringify(actual.schema)}`).toBe(`${expected.toString()}\n${JSON.stringify(expected.schema)}`);
  }
  expect(same).toBe(true);
}

/** Returns chosen columns of every event as plain objects, timestamps as ISO text. */
export function eventRows(events: DataFrame, columns: readonly string[]): Record<string, unknown>[] {
  return events
    .select(...columns.map((c) => (c === "timestamp" ? pl.col(c).cast(pl.Int64) : pl.col(c))))
    .toRecords()
    .map((r) => ({ ...r, ...("timestamp" in r ? { timestamp: new Date(Number(r.timestamp)).toISOString() } : {}) }));
}

/** The tutorial's CSV header. */
export const HEADER = "timestamp,user_id,log_type,ip_address,location,bytes_transferred,threat_level";

/** Ten rows whose tutorial numbers were worked out by hand: see {@link HAND_SUMMARY}. */
export const HAND_ROWS = [
  "2025-03-01 08:00:00,user_1,login_success,192.168.1.1,office,100,normal",
  "2025-03-01 09:30:00,user_2,login_failed,192.168.1.2,home,200,brute_force",
  "2025-03-01 23:59:59,user_1,file_access,192.168.1.1,office,300,normal",
  "2025-03-02 00:00:00,user_3,login_failed,192.168.1.3,remote,400,normal",
  "2025-03-02 12:00:00,user_2,system_call,192.168.1.2,home,500,anomaly",
  "2025-03-03 06:15:00,user_4,network_traffic,192.168.1.4,data_center,600,normal",
  "2025-03-03 07:00:00,user_1,login_failed,192.168.1.1,office,700,normal",
  "2025-03-03 08:00:00,user_5,file_access,192.168.1.5,remote,800,normal",
  "2025-03-03 09:00:00,user_5,file_access,192.168.1.5,remote,900,normal",
  "2025-03-04 10:00:00,user_6,login_failed,192.168.1.6,home,10000,unusual_location",
];

/** The hand-computed CSV: header plus {@link HAND_ROWS}. */
export const HAND_CSV = `${[HEADER, ...HAND_ROWS].join("\n")}\n`;

/**
 * The ten hand-made rows, worked by hand:
 * - bytes 100, 200, …, 900 and 10000: mean 14500 / 10 = 1450;
 * - linear 95th percentile: index 0.95 · 9 = 8.55 between 900 and 10000: 900 + 0.55 · 9100 = 5905;
 * - anomalies (> 5905): the 10000 row only;
 * - alerts: labelled rows 2, 5, 10 plus anomaly row 10 = 3.
 */
export const HAND_SUMMARY = {
  total: 10,
  log_type_counts: { login_failed: 4, file_access: 3, login_success: 1, network_traffic: 1, system_call: 1 },
  threat_level_counts: { normal: 7, anomaly: 1, brute_force: 1, unusual_location: 1 },
  threat_count: 3,
  mean_bytes: 1450,
  anomaly_threshold: 5905,
  anomaly_count: 1,
  alert_count: 3,
  daily_counts: { "2025-03-01": 3, "2025-03-02": 2, "2025-03-03": 4, "2025-03-04": 1 },
};

/** One event for {@link eventFrame}; unspecified fields get harmless defaults. */
export interface EventRow {
  /** Seconds after 2025-01-01 00:00:00 UTC. */
  s: number;
  user?: string;
  ip?: string;
  type?: string;
  bytes?: number;
  country?: string | null;
  destination?: string | null;
  location?: string;
}

/** 2025-01-01 00:00:00 UTC in epoch milliseconds: time zero of {@link eventFrame}. */
export const T0 = Date.UTC(2025, 0, 1);

/** Returns a tiny frame in the event schema (with country and destination) from literal rows. */
export function eventFrame(rows: readonly EventRow[]): import("nodejs-polars").DataFrame {
  const pl = require("nodejs-polars") as typeof import("nodejs-polars");
  return pl
    .DataFrame({
      timestamp: rows.map((r) => T0 + r.s * 1000),
      user_id: rows.map((r) => r.user ?? "alice"),
      log_type: rows.map((r) => r.type ?? "file_access"),
      ip_address: rows.map((r) => r.ip ?? "10.0.0.1"),
      location: rows.map((r) => r.location ?? "office"),
      bytes_transferred: rows.map((r) => r.bytes ?? 1000),
      threat_level: rows.map(() => "normal"),
      country: rows.map((r) => (r.country === undefined ? "US" : r.country)),
      destination: rows.map((r) => (r.destination === undefined ? null : r.destination)),
    })
    .withColumns(
      pl.col("timestamp").cast(pl.Int64).cast(pl.Datetime("ms")),
      pl.col("bytes_transferred").cast(pl.Int64),
      ...["user_id", "log_type", "ip_address", "location", "threat_level", "country", "destination"].map((c) => pl.col(c).cast(pl.Utf8)),
    )
    .sort("timestamp");
}

/** Returns `n` rows, the k-th at `start + k * step` seconds, each made by `make`. */
export function series(n: number, start: number, step: number, make: (k: number) => Omit<EventRow, "s">): EventRow[] {
  return Array.from({ length: n }, (_, k) => ({ s: start + k * step, ...make(k) }));
}
