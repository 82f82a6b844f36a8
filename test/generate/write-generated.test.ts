import { readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { generateScenario, scenarioPreset } from "../../lib/generate/scenario";
import { writeGeneratedLogs, writeScenario } from "../../lib/generate/write-generated";
import { readLogs } from "../../lib/io/read-logs";
import { ROOT, tempDir } from "../helpers";

describe("writing generated data a piece at a time", () => {
  it("1,000 rows of seed 42 in chunks of 300 are the bundled sample, byte for byte, with progress up to 1", async () => {
    const out = join(tempDir(), "logs.csv");
    const shares: number[] = [];
    expect(await writeGeneratedLogs(out, 1000, { seed: 42 }, { chunkRows: 300, onProgress: (s) => shares.push(s) })).toBe(1000);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(join(ROOT, "data", "sample_logs.csv"), "utf8"));
    expect(shares.at(-1)).toBe(1);
    expect(shares.length).toBeGreaterThanOrEqual(4); // 300, 600, 900, 1000
  });

  it("a scenario written in one piece holds what generateScenario makes: the same events, attack events and campaigns", async () => {
    const out = join(tempDir(), "small.parquet");
    const written = await writeScenario(out, scenarioPreset("small"));
    const made = generateScenario(scenarioPreset("small")).events;
    const attacks = made.filter(pl.col("attack_id").isNotNull());
    expect(written).toEqual({ events: made.height, attackEvents: attacks.height, campaigns: attacks.getColumn("attack_id").nUnique() });
    expect(readLogs(out, { requiredColumns: [] }).height).toBe(made.height);
  });
});
