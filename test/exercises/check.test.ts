import { readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { describe, expect, it, vi } from "vitest";
import { check, checkAnswer } from "../../lib/exercises/check";
import { contextFor, EXERCISES } from "../../lib/exercises/exercises";
import { generateLogs } from "../../lib/generate/generate-logs";
import { readLogs } from "../../lib/io/read-logs";
import { plotBytesHistogram } from "../../lib/visualize/panels";
import { HAND_CSV, ROOT, tempDir, writeFixture } from "../helpers";

const SAMPLE = join(ROOT, "data", "sample_logs.csv");
const handPath = writeFixture(tempDir(), "hand.csv", HAND_CSV);
const hand = contextFor(handPath);
const sample = contextFor(SAMPLE);
const onHand = (id: string, answer: unknown) => checkAnswer(id, answer, hand);

describe("check on the ten hand-made rows (answers worked out by hand from test/helpers.ts)", () => {
  it("1.1 and 1.2: 10 rows, 6 distinct users", () => {
    expect(onHand("1.1", 10)).toEqual({ id: "1.1", ok: true, message: "✓ Exercise 1.1: right." });
    expect(onHand("1.1", 9).ok).toBe(false);
    expect(onHand("1.2", 6).ok).toBe(true);
    expect(onHand("1.2", 10).message).toContain("that is the number of rows");
  });

  it("3.1: one failed login each for user_1, user_2, user_3 and user_6", () => {
    const frame = pl.DataFrame({ user_id: ["user_6", "user_1", "user_3", "user_2"], count: [1, 1, 1, 1] });
    expect(onHand("3.1", frame).ok).toBe(true);
    const zeroRowsToo = pl.DataFrame({ user_id: ["user_6", "user_1", "user_3", "user_2", "user_5"], count: [1, 1, 1, 1, 0] });
    expect(onHand("3.1", zeroRowsToo).ok).toBe(true);
    expect(onHand("3.1", pl.DataFrame({ user_id: ["user_6", "user_1", "user_3"], count: [1, 1, 1] })).message).toContain("1 user's count differs");
    expect(onHand("3.1", pl.DataFrame({ user_id: ["user_1"], n: [4] })).message).toContain("it needs user_id and count");
    const everyEvent = pl.DataFrame({ user_id: ["user_1", "user_2", "user_3", "user_4", "user_5", "user_6"], count: [3, 2, 1, 1, 2, 1] });
    expect(onHand("3.1", everyEvent).message).toContain("these count every event");
  });

  it("3.2: home (mean 3566.7 bytes, against 366.7, 700 and 600), in any case", () => {
    expect(onHand("3.2", "home").ok).toBe(true);
    expect(onHand("3.2", " Home ").ok).toBe(true);
    expect(onHand("3.2", "remote").ok).toBe(false);
    expect(onHand("3.2", 3).message).toContain("expected text");
  });

  it("4.1 and 4.2: the 99th percentile is 900 + 0.91 × 9100 = 9181, above which is one row, the labelled one", () => {
    expect(onHand("4.1", 1).ok).toBe(true);
    expect(onHand("4.1", 2).ok).toBe(false);
    expect(onHand("4.2", 1).ok).toBe(true);
    expect(onHand("4.2", 0).ok).toBe(false);
  });

  it("5.1: a 20-bin histogram of these rows; 5.2: 2025-03-03 has 4 of the 10 rows", () => {
    const logs = readLogs(handPath);
    expect(onHand("5.1", plotBytesHistogram(logs, { bins: 20 })).ok).toBe(true);
    expect(onHand("5.1", plotBytesHistogram(logs)).message).toContain("your histogram has 50 bins");
    expect(onHand("5.1", plotBytesHistogram(readLogs(SAMPLE), { bins: 20 })).message).toContain("not of these logs");
    expect(onHand("5.1", 20).message).toContain("expected the figure");
    expect(onHand("5.2", "2025-03-03").ok).toBe(true);
    expect(onHand("5.2", "2025-03-01").ok).toBe(false);
  });

  it("6.1: alerts on rows 2, 5 and 10; rows 2 and 5 only for their label; 6.2: no user has 5 failures", () => {
    expect(onHand("6.1", 2).ok).toBe(true);
    expect(onHand("6.1", 3).message).toContain("that is every alert");
    expect(onHand("6.2", []).ok).toBe(true);
    expect(onHand("6.2", ["user_1"]).message).toContain("1 of your users has fewer than 5 failed logins");
  });
});

/** The sample's rows as plain objects, parsed without polars (a second method for the answers). */
const sampleRows = readFileSync(SAMPLE, "utf8").trim().split("\n").slice(1).map((line) => {
  const [timestamp, user_id, log_type, , location, bytes, threat_level] = line.split(",");
  return { timestamp, user_id, log_type, location, bytes: Number(bytes), threat_level };
});

describe("check on the bundled sample and on generated data", () => {
  it("2.1: the 500 rows of seed 3, and nothing else", () => {
    expect(checkAnswer("2.1", generateLogs({ rows: 500, seed: 3 })).ok).toBe(true);
    expect(checkAnswer("2.1", generateLogs({ rows: 500, seed: 4 })).message).toContain("which seed did you pass?");
    expect(checkAnswer("2.1", generateLogs({ rows: 499, seed: 3 })).message).toContain("your frame has 499 rows");
    expect(checkAnswer("2.1", "generateLogs").message).toContain("got string");
  });

  it("2.2: the share of labelled rows in 10,000 rows of seed 42, counted in plain JavaScript", () => {
    const labels = generateLogs({ rows: 10_000, seed: 42 }).getColumn("threat_level").toArray() as string[];
    const share = labels.filter((l) => l !== "normal").length / labels.length;
    expect(checkAnswer("2.2", share).ok).toBe(true);
    expect(checkAnswer("2.2", share * 100).message).toContain("a share is between 0 and 1");
    expect(checkAnswer("2.2", share + 0.001).ok).toBe(false);
  });

  it("6.2: the users with five or more failed logins, counted from the CSV text", () => {
    const failures = new Map<string, number>();
    for (const row of sampleRows) if (row.log_type === "login_failed") failures.set(row.user_id, (failures.get(row.user_id) ?? 0) + 1);
    const suspects = [...failures].filter(([, n]) => n >= 5).map(([u]) => u);
    expect(suspects.length).toBeGreaterThan(1);
    expect(checkAnswer("6.2", [...suspects].reverse(), sample).ok).toBe(true);
    expect(checkAnswer("6.2", suspects.slice(1), sample).message).toContain("1 user is missing");
  });

  it("a wrong answer never shows the right one", () => {
    const count = (f: (r: (typeof sampleRows)[number]) => boolean) => sampleRows.filter(f).length;
    const expected: Record<string, string | number> = {
      "1.1": sampleRows.length,
      "1.2": new Set(sampleRows.map((r) => r.user_id)).size,
      "6.1": count((r) => r.threat_level !== "normal") - count((r) => r.threat_level !== "normal" && r.bytes > 949878.2),
    };
    for (const [id, answer] of Object.entries(expected)) {
      expect(checkAnswer(id, answer, sample).ok, id).toBe(true);
      for (const wrongAnswer of [0, 1, Number(answer) + 1, Number(answer) - 1, 0.5, "x", [], {}]) {
        const { ok, message } = checkAnswer(id, wrongAnswer, sample);
        expect(ok).toBe(false);
        expect(message.replace(/^✗ Exercise [\d.]+:/, "")).not.toMatch(new RegExp(`\\b${answer}\\b`));
      }
    }
    for (const id of EXERCISES.map((e) => e.id)) {
      for (const wrongAnswer of ["nowhere", -1, pl.DataFrame({ a: [1] })]) expect(checkAnswer(id, wrongAnswer, sample).ok, id).toBe(false);
    }
  });

  it("the untouched placeholder (null or undefined) is not answered yet, with the hint", () => {
    for (const { id, hint } of EXERCISES) {
      for (const placeholder of [null, undefined]) {
        expect(checkAnswer(id, placeholder, sample)).toEqual({ id, ok: false, message: `✗ Exercise ${id}: not answered yet: replace null with your answer, then run the cell again. Hint: ${hint}.` });
      }
    }
  });

  it("an unknown exercise names the ones there are; check prints the verdict", () => {
    expect(() => checkAnswer("9.9", 1)).toThrow(/no exercise "9\.9"; the exercises are 1\.1, 1\.2, 2\.1/);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      check("1.1", sampleRows.length);
      expect(log).toHaveBeenCalledWith("✓ Exercise 1.1: right.");
    } finally {
      log.mockRestore();
    }
  });
});
