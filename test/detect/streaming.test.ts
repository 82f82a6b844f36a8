import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { sortDetections } from "../../lib/detect/detection";
import { collectEvents, entityParts, eventCount, type Events, lazyEvents, PART_EVENTS, sharedStrings, valueCount } from "../../lib/detect/events";
import { detectPartEvents } from "../../lib/cli/command";
import { RULE_NAMES, runDetectors, runDetectorsAsync } from "../../lib/detect/suite";
import { generateScenario, scenarioPreset } from "../../lib/generate/scenario";
import { ingestLogs, scanEvents } from "../../lib/io/ingest/ingest";
import { writeLogs } from "../../lib/io/write-logs";
import { ROOT, T0, eventFrame, series, tempDir, threatlab } from "../helpers";

/** Detections as comparable text, in a stable order. */
const asText = (run: ReturnType<typeof runDetectors>): string[] => sortDetections(run.detections).map((d) => JSON.stringify(d));

describe("detection on a lazy frame (streaming) gives exactly the in-memory detections", () => {
  const dir = tempDir();
  const scenarioFile = join(dir, "small.parquet");
  writeLogs(generateScenario(scenarioPreset("small")).events, scenarioFile);

  it("on a labelled scenario in Parquet, for every rule", async () => {
    const inMemory = runDetectors((await ingestLogs(scenarioFile)).events, { rules: RULE_NAMES });
    const scanned = await runDetectorsAsync(await scanEvents(scenarioFile), { rules: RULE_NAMES });
    // The comparison means something only if many rules found something.
    const rulesWithFindings = new Set(inMemory.detections.map((d) => d.rule));
    expect(rulesWithFindings.size).toBeGreaterThanOrEqual(8);
    expect(asText(scanned)).toEqual(asText(inMemory));
    expect(scanned.skipped).toEqual(inMemory.skipped);
  });

  it("part by part, when a file holds more events than one part", async () => {
    // Small parts force the rules through several groups of accounts (the model: its features), some events without one.
    const events = (await ingestLogs(scenarioFile)).events;
    const withNullUsers = events.withColumns(pl.when(pl.col("user_id").eq(pl.lit("user_1"))).then(pl.lit(null)).otherwise(pl.col("user_id")).alias("user_id"));
    const file = join(dir, "null-users.parquet");
    writeLogs(withNullUsers, file);
    const rules = ["impossible_travel", "recon", "isolation_forest"];
    const inMemory = runDetectors(withNullUsers, { rules });
    const partEvents = Math.ceil(events.height / 7);
    const lazy = await scanEvents(file);
    const parts = [...entityParts(lazy, pl.col("user_id"), partEvents)].length;
    expect(asText(runDetectors(lazy, { rules, partEvents }))).toEqual(asText(inMemory));
    expect(asText(await runDetectorsAsync(lazy, { rules, partEvents }))).toEqual(asText(inMemory));
    expect(parts).toBeGreaterThanOrEqual(7);
    expect(new Set(inMemory.detections.map((d) => d.rule))).toEqual(new Set(rules));
  });

  it("on the tutorial's CSV", async () => {
    const file = join(ROOT, "data", "sample_logs.csv");
    const inMemory = runDetectors((await ingestLogs(file)).events, { rules: RULE_NAMES });
    const scanned = runDetectors(await scanEvents(file), { rules: RULE_NAMES });
    expect(inMemory.detections.length).toBeGreaterThan(0);
    expect(asText(scanned)).toEqual(asText(inMemory));
  });

  it("breaks ties of time by file order, as in memory: the first of two same-second uses names the place's first source", async () => {
    // bob: 25 office events over 8 days, then two home events in the same second from two sources.
    const rows = [
      ...series(25, 0, 8 * 3600, () => ({ user: "bob", location: "office", country: null })),
      { s: 9 * 86400, user: "bob", location: "home", ip: "198.51.100.7", country: null },
      { s: 9 * 86400, user: "bob", location: "home", ip: "198.51.100.9", country: null },
    ];
    const frame = eventFrame(rows).drop("country");
    const file = join(dir, "ties.parquet");
    writeLogs(frame, file);
    // In memory, and from Parquet read whole and scanned (where ingest adds an empty country column).
    for (const events of [frame, (await ingestLogs(file)).events, await scanEvents(file)]) {
      const found = runDetectors(events, { rules: ["unusual_location"] }).detections;
      expect(found).toHaveLength(1);
      expect(found[0].evidence).toMatchObject({ new: "home", known: ["office"], source_ip: "198.51.100.7", events_before: 25 });
      expect([found[0].start, found[0].end, found[0].eventCount]).toEqual([T0 + 9 * 86400_000, T0 + 9 * 86400_000, 2]);
    }
  });

  it("counts events and values of a lazy frame like a frame's", async () => {
    const frame = eventFrame([{ s: 0 }, { s: 1, destination: "203.0.113.5" }, { s: 2, country: null }]);
    const file = join(dir, "three.parquet");
    writeLogs(frame, file);
    const lazy = pl.scanParquet(file);
    expect([eventCount(frame), eventCount(lazy)]).toEqual([3, 3]);
    expect([valueCount(frame, "destination"), valueCount(lazy, "destination")]).toEqual([1, 1]);
    expect([valueCount(frame, "country"), valueCount(lazy, "country")]).toEqual([2, 2]);
    expect(valueCount(lazy, "no_such_column")).toBe(0);
  });

  it("splits a lazy frame into groups of accounts of about the part size; a frame in memory is one part", async () => {
    // 10 events of a, 6 of b, 3 of c, 2 with no account; parts of 8 events: [null], [a], [b], [c].
    const rows = [...series(10, 0, 60, () => ({ user: "a" })), ...series(6, 0, 60, () => ({ user: "b" })), ...series(3, 0, 60, () => ({ user: "c" }))];
    const frame = eventFrame(rows).vstack(eventFrame(series(2, 0, 60, () => ({}))).withColumns(pl.lit(null).cast(pl.Utf8).alias("user_id")));
    const file = join(dir, "parts.parquet");
    writeLogs(frame, file);
    const users = (events: Events, perPart: number): (string | null)[][] =>
      [...entityParts(events, pl.col("user_id"), perPart)].map((part) => collectEvents(part, lazyEvents(part).select(pl.col("user_id")).unique().sort("user_id")).getColumn("user_id").toArray() as (string | null)[]);
    expect(users(pl.scanParquet(file), 8)).toEqual([[null], ["a"], ["b"], ["c"]]);
    expect(users(pl.scanParquet(file), 9)).toEqual([[null], ["a"], ["b", "c"]]); // now b (6) and c (3) fit in one part
    expect(users(frame, 8)).toEqual([[null, "a", "b", "c"]]);
    expect(PART_EVENTS).toBe(8_000_000);
    expect(detectPartEvents({ THREATLAB_PART_EVENTS: "9" })).toBe(9);
    expect(detectPartEvents({ THREATLAB_PART_EVENTS: "-1" })).toBeUndefined();
  });

  it("shares one string per distinct value, nulls kept", () => {
    const values = ["b", "a", null, "c", "a", "B", "é", "b"];
    expect(sharedStrings(pl.Series("u", values))).toEqual(values);
  });
});

describe("threatlab detect --streaming", () => {
  const dir = tempDir();
  const file = join(dir, "small.parquet");
  writeLogs(generateScenario(scenarioPreset("small")).events, file);

  it("prints the same alerts as reading the file whole, and says it scanned", () => {
    const whole = threatlab("detect", file, "--jsonl");
    const streamed = threatlab("detect", file, "--jsonl", "--streaming");
    expect(streamed.code).toBe(0);
    expect(streamed.stderr).toContain(`${file}: scanning in batches (streaming)`);
    expect(streamed.stdout.split("\n").length).toBeGreaterThan(10);
    expect(streamed.stdout).toBe(whole.stdout);
  });

  it("refuses a format that cannot be scanned, in one line with exit code 2", () => {
    const run = threatlab("detect", join(ROOT, "data", "samples", "auth.log"), "--streaming", "--year", "2025");
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `threatlab detect: ${join(ROOT, "data", "samples", "auth.log")}: is syslog, which is read whole, not scanned in batches (threatlab convert it to Parquet first)`,
    );
  });
});
