/**
 * Streaming mode: scanLogs checks a file like readLogs without holding it, and the summary over
 * the scan equals the one over the frame; threatlab convert and analyze --streaming use them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { readLogs, scanLogs } from "../../lib/io/read-logs";
import { summarizeTutorial, summarizeTutorialLazy } from "../../lib/report/tutorial-summary";
import { detectScans, streamingFromBytes } from "../../lib/io/streaming-choice";
import { HAND_CSV, HAND_ROWS, HAND_SUMMARY, HEADER, ROOT, expectFrameEqual, tempDir, threatlab, writeFixture } from "../helpers";

const dir = tempDir();
const SAMPLE = join(ROOT, "data", "sample_logs.csv");

describe("scanLogs and the streaming summary", () => {
  it("the ten hand-made rows give the hand-worked summary, streamed", () => {
    const summary = summarizeTutorialLazy(scanLogs(writeFixture(dir, "hand.csv", HAND_CSV)));
    expect({ ...summary, anomaly_threshold: 0 }).toEqual({ ...HAND_SUMMARY, anomaly_threshold: 0 });
    expect(summary.anomaly_threshold).toBeCloseTo(HAND_SUMMARY.anomaly_threshold, 9);
  });

  it("says how far the streamed summary has got: before and after each of its plans, up to done", () => {
    const seen: number[] = [];
    summarizeTutorialLazy(scanLogs(SAMPLE), { onProgress: (_, fraction) => seen.push(fraction) });
    expect(seen).toEqual([0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1]);
  });

  it("summarizeTutorial takes the scan too, and streams it: the same summary as the frame gives", () => {
    expect(summarizeTutorial(scanLogs(SAMPLE))).toEqual(summarizeTutorial(readLogs(SAMPLE)));
  });

  it("a blank line is dropped, as readLogs drops it", () => {
    const path = writeFixture(dir, "blank.csv", `${HEADER}\n${HAND_ROWS[0]}\n\n${HAND_ROWS[1]}\n`);
    expectFrameEqual(scanLogs(path).collectSync(), readLogs(path));
  });

  it("a bad value is reported with its line, as readLogs reports it", () => {
    const path = writeFixture(dir, "bad.csv", `${HEADER}\n${HAND_ROWS[0]}\n2025-01-01 00:00:00,u,a,b,c,12kB,normal\n`);
    const expected = `${path}:3: column bytes_transferred: expected a whole number of bytes ≥ 0, got "12kB"`;
    expect(() => readLogs(path)).toThrow(expected);
    expect(() => scanLogs(path)).toThrow(expected);
  });

  it("Parquet: the same frame as readLogs, and a missing value reported by row and column", () => {
    const parquet = join(dir, "sample.parquet");
    readLogs(SAMPLE).writeParquet(parquet);
    expectFrameEqual(scanLogs(parquet).collectSync(), readLogs(parquet));
    const withNull = join(dir, "with-null.parquet");
    pl.concat([readLogs(SAMPLE).head(2), readLogs(SAMPLE).head(1).withColumns(pl.lit(null).cast(pl.String).alias("user_id"))]).writeParquet(withNull);
    expect(() => scanLogs(withNull)).toThrow(`${withNull}: column user_id: row 3: expected a value, found null`);
  });
});

describe("threatlab convert and analyze --streaming", () => {
  it("convert writes the tutorial's CSV as Parquet holding the same frame, and analyze gives the same summary from either, streamed or not", () => {
    const out = join(dir, "converted.parquet");
    const run = threatlab("convert", SAMPLE, "--out", out);
    expect(run.stderr).toBe(`wrote 1,000 rows to ${out}\n`);
    expectFrameEqual(readLogs(out), readLogs(SAMPLE));
    const reference = threatlab("analyze", SAMPLE, "--json").stdout;
    expect(JSON.parse(reference)).toEqual(summarizeTutorial(readLogs(SAMPLE)));
    for (const args of [[SAMPLE, "--streaming"], [out], [out, "--streaming"]]) expect(threatlab("analyze", ...args, "--json").stdout).toBe(reference);
  });

  it("a CSV streams once reading it whole (about three times its size) would pass a quarter of the machine's memory", () => {
    expect(streamingFromBytes(24 * 2 ** 30)).toBe(2 * 2 ** 30);
    expect(streamingFromBytes(12 * 2 ** 30)).toBe(2 ** 30);
  });

  it("convert reads other logs through ingest: the same events as threatlab ingest writes", () => {
    const auth = join(ROOT, "data", "samples", "auth.log");
    const converted = join(dir, "auth-converted.parquet");
    const ingested = join(dir, "auth-ingested.parquet");
    expect(threatlab("convert", auth, "--year", "2025", "--out", converted).code).toBe(0);
    expect(threatlab("ingest", auth, "--year", "2025", "--out", ingested).code).toBe(0);
    expect(pl.readParquet(converted).frameEqual(pl.readParquet(ingested), true)).toBe(true);
  });

  it("convert refuses an output that is not .parquet, or that is its input, and leaves the input as it was", () => {
    const before = readFileSync(SAMPLE, "utf8");
    expect(threatlab("convert", SAMPLE, "--out", join(dir, "x.csv"))).toMatchObject({ code: 2, stderr: `threatlab convert: invalid --out: ${join(dir, "x.csv")} (expected a name ending in .parquet)\n` });
    const parquet = join(dir, "self.parquet");
    readLogs(SAMPLE).writeParquet(parquet);
    expect(threatlab("convert", parquet, "--out", parquet).code).toBe(2);
    expect(readFileSync(SAMPLE, "utf8")).toBe(before);
  });
});

describe("detectScans: when detect reads a file in batches", () => {
  // By hand: the threshold is totalMemory / 4 / 1024 events, so 409,600 bytes of memory make it 100 events.
  const tiny = 409_600;
  it("a Parquet of 574 events (vpn.parquet) and the 1,000-row sample CSV are scanned only past the threshold", async () => {
    const vpn = join(ROOT, "data", "samples", "vpn.parquet");
    const sample = join(ROOT, "data", "sample_logs.csv");
    expect(await detectScans(vpn)).toEqual({ scan: false, format: "parquet" });
    expect(await detectScans(vpn, { totalMemory: tiny })).toEqual({ scan: true, format: "parquet" });
    expect(await detectScans(sample, { totalMemory: tiny })).toEqual({ scan: true, format: "tutorial-csv" });
    expect(await detectScans(sample)).toEqual({ scan: false, format: "tutorial-csv" });
  });

  it("a log read line by line is never scanned unless asked; a missing file is left to the reader", async () => {
    const auth = join(ROOT, "data", "samples", "auth.log");
    expect(await detectScans(auth, { totalMemory: tiny })).toEqual({ scan: false, format: "syslog" });
    expect(await detectScans(auth, { asked: true })).toEqual({ scan: true, format: undefined });
    expect((await detectScans(join(ROOT, "no-such-file.parquet"), { totalMemory: tiny })).scan).toBe(false);
  });
});
