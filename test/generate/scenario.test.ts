import pl, { type DataFrame } from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { anomalyThreshold } from "../../lib/detect/percentile-rule";
import { CAMPAIGN_KINDS, CAMPAIGN_LABELS, type Campaign } from "../../lib/generate/campaigns";
import { distanceKm } from "../../lib/shared/geo";
import { DEFAULT_CAMPAIGNS, generateScenario, scenarioPreset } from "../../lib/generate/scenario";
import { TUTORIAL_COLUMNS } from "../../lib/schema";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expectFrameEqual, tempDir, threatlab } from "../helpers";

const small = generateScenario(scenarioPreset("small"));
const DAY = 86_400_000;

/** Returns the events of one campaign, and the victim's normal events. */
function eventsOf(campaign: Campaign, frame: DataFrame = small.events): DataFrame {
  return frame.filter(pl.col("attack_id").eq(pl.lit(campaign.id)));
}
const times = (frame: DataFrame): number[] => frame.getColumn("timestamp").cast(pl.Int64).toArray().map(Number);
const distinct = (frame: DataFrame, column: string): number => frame.getColumn(column).nUnique();
const byKind = (kind: string): Campaign => small.campaigns.find((c) => c.kind === kind)!;
const normalOf = (user: string): DataFrame => small.events.filter(pl.col("user_id").eq(pl.lit(user)).and(pl.col("attack_id").isNull()));

describe("generateScenario", () => {
  it("is reproducible: the same options give the same events, another seed other events", () => {
    expectFrameEqual(generateScenario(scenarioPreset("small")).events, small.events);
    expect(generateScenario(scenarioPreset("small", { seed: 7 })).events.frameEqual(small.events)).toBe(false);
  });

  it("has the tutorial's columns, then country, destination and the two label columns, sorted by time", () => {
    expect(small.events.columns).toEqual([...TUTORIAL_COLUMNS, "country", "destination", "attack_id", "technique"]);
    const t = times(small.events);
    expect(t.every((v, i) => i === 0 || t[i - 1] <= v)).toBe(true);
  });

  it("labels every attack event with its campaign, technique and tutorial threat level, and nothing else", () => {
    const attacks = small.events.filter(pl.col("attack_id").isNotNull());
    expect(attacks.height).toBe(small.campaigns.reduce((n, c) => n + c.events, 0));
    for (const campaign of small.campaigns) {
      const rows = eventsOf(campaign);
      expect(rows.height).toBe(campaign.events);
      expect(rows.getColumn("technique").unique().toArray()).toEqual([CAMPAIGN_LABELS[campaign.kind].technique]);
      expect(rows.getColumn("threat_level").unique().toArray()).toEqual([CAMPAIGN_LABELS[campaign.kind].threat]);
    }
    const background = small.events.filter(pl.col("attack_id").isNull());
    expect(background.getColumn("technique").nullCount()).toBe(background.height);
    expect(background.getColumn("threat_level").unique().toArray()).toEqual(["normal"]);
  });

  it("injects one campaign of every kind in the small preset, none in the learning days", () => {
    expect(small.campaigns.map((c) => c.kind).sort()).toEqual([...CAMPAIGN_KINDS].sort());
    const first = Date.UTC(2025, 0, 6) + 5 * DAY;
    for (const c of small.campaigns) expect(c.start).toBeGreaterThanOrEqual(first);
  });

  it("keeps attack events at about 1% or less in the default mix, with ~1M events", () => {
    const full = generateScenario();
    const attacks = full.events.filter(pl.col("attack_id").isNotNull()).height;
    expect(full.events.height).toBeGreaterThan(900_000);
    expect(full.events.height).toBeLessThan(1_300_000);
    expect(attacks / full.events.height).toBeLessThan(0.01);
    expect(full.campaigns).toHaveLength(Object.values(DEFAULT_CAMPAIGNS).reduce((a, b) => a + b, 0));
  });

  it("has a weekly rhythm: weekdays busier than weekends", () => {
    const perDay = small.events
      .select(pl.col("timestamp").dt.weekday().alias("wd"))
      .groupBy("wd")
      .agg(pl.len().alias("n"))
      .toRecords();
    const n = (days: number[]) => perDay.filter((r) => days.includes(Number(r.wd))).reduce((a, r) => a + Number(r.n), 0) / days.length;
    expect(n([1, 2, 3, 4, 5])).toBeGreaterThan(3 * n([6, 7]));
  });

  it("rejects an unknown campaign kind or preset", () => {
    expect(() => generateScenario({ campaigns: { phishing: 1 } as never })).toThrow('invalid campaigns: "phishing"');
    expect(() => scenarioPreset("huge")).toThrow('invalid preset: "huge" (expected one of default, small)');
  });
});

describe("each campaign looks like its attack", () => {
  it("brute force: one source, one account, 40+ failures within minutes", () => {
    const rows = eventsOf(byKind("brute_force"));
    expect(distinct(rows, "ip_address")).toBe(1);
    expect(distinct(rows, "user_id")).toBe(1);
    expect(rows.filter(pl.col("log_type").eq(pl.lit("login_failed"))).height).toBeGreaterThanOrEqual(40);
    const t = times(rows);
    expect(t[t.length - 1] - t[0]).toBeLessThan(16 * 60_000);
  });

  it("password spraying: one source, 25+ accounts, one or two tries each", () => {
    const rows = eventsOf(byKind("password_spraying"));
    expect(distinct(rows, "ip_address")).toBe(1);
    expect(distinct(rows, "user_id")).toBeGreaterThanOrEqual(25);
    const tries = rows.groupBy("user_id").agg(pl.len().alias("n")).getColumn("n").toArray().map(Number);
    expect(Math.max(...tries)).toBeLessThanOrEqual(2);
  });

  it("credential stuffing: many sources, many accounts, under a second between attempts", () => {
    const rows = eventsOf(byKind("credential_stuffing"));
    expect(distinct(rows, "ip_address")).toBeGreaterThanOrEqual(40);
    expect(distinct(rows, "user_id")).toBeGreaterThanOrEqual(80);
    const t = times(rows);
    expect((t[t.length - 1] - t[0]) / (t.length - 1)).toBeLessThan(1000);
  });

  it("low-and-slow spraying: 30+ sources, none with two attempts in any hour", () => {
    const rows = eventsOf(byKind("low_and_slow_spraying"));
    expect(distinct(rows, "ip_address")).toBeGreaterThanOrEqual(30);
    for (const part of rows.partitionBy("ip_address")) {
      const t = times(part);
      for (let i = 1; i < t.length; i++) expect(t[i] - t[i - 1]).toBeGreaterThanOrEqual(60 * 60_000);
    }
  });

  it("unusual location: the account is used from a country it is never used from otherwise", () => {
    const campaign = byKind("unusual_location");
    const rows = eventsOf(campaign);
    const user = campaign.accounts[0];
    const homeCountries = normalOf(user).getColumn("country").unique().toArray();
    expect(homeCountries).not.toContain(rows.getColumn("country").toArray()[0]);
  });

  it("impossible travel: a login from over 5,000 km away within an hour of a home login", () => {
    const campaign = byKind("impossible_travel");
    const rows = eventsOf(campaign);
    const user = campaign.accounts[0];
    const home = normalOf(user).filter(pl.col("log_type").eq(pl.lit("login_success")));
    const first = times(rows)[0];
    const before = times(home).filter((t) => t <= first && first - t < 60 * 60_000);
    expect(before.length).toBeGreaterThan(0);
    const homeCountry = String(home.getColumn("country").toArray()[0]);
    expect(distanceKm(homeCountry, String(rows.getColumn("country").toArray()[0]))).toBeGreaterThan(5_000);
  });

  it("off-hours: activity at an hour of day when the account is almost never active", () => {
    const campaign = byKind("off_hours");
    const user = campaign.accounts[0];
    const hour = new Date(campaign.start).getUTCHours();
    const hours = normalOf(user).select(pl.col("timestamp").dt.hour().alias("h")).getColumn("h").toArray().map(Number);
    expect(hours.filter((h) => h === hour).length / hours.length).toBeLessThan(0.02);
  });

  it("exfiltration: one transfer of over 1.5 GB to an outside address", () => {
    const rows = eventsOf(byKind("exfiltration"));
    expect(rows.height).toBe(1);
    expect(Number(rows.getColumn("bytes_transferred").toArray()[0])).toBeGreaterThan(1.5e9);
    expect(String(rows.getColumn("destination").toArray()[0])).not.toMatch(/^10\./);
  });

  it("staged exfiltration: every chunk under the tutorial's threshold, the total far above the user's normal day", () => {
    const campaign = byKind("staged_exfiltration");
    const rows = eventsOf(campaign);
    const threshold = anomalyThreshold(small.events)!;
    const chunks = rows.getColumn("bytes_transferred").toArray().map(Number);
    expect(Math.max(...chunks)).toBeLessThan(threshold);
    const daily = normalOf(campaign.accounts[0])
      .withColumns(pl.col("timestamp").dt.strftime("%Y-%m-%d").alias("day"))
      .groupBy("day")
      .agg(pl.col("bytes_transferred").sum().alias("b"))
      .getColumn("b").toArray().map(Number).sort((a, b) => a - b);
    const medianDay = daily[Math.floor(daily.length / 2)];
    expect(chunks.reduce((a, b) => a + b, 0)).toBeGreaterThan(5 * medianDay);
  });

  it("reconnaissance: 200+ system calls and file reads within five minutes", () => {
    const rows = eventsOf(byKind("reconnaissance"));
    expect(rows.height).toBeGreaterThanOrEqual(200);
    expect(rows.getColumn("log_type").unique().toArray().sort()).toEqual(["file_access", "system_call"]);
    const t = times(rows);
    expect(t[t.length - 1] - t[0]).toBeLessThan(5 * 60_000);
  });
});

describe("a scenario in pieces (threatlab scenario --pieces)", () => {
  it("writes the pieces' events one after another: piece k has seed 42 + k and its own accounts and campaign ids", () => {
    const file = join(tempDir(), "pieces.parquet");
    const run = threatlab("scenario", "--preset", "small", "--pieces", "2", "--out", file);
    expect(run.code).toBe(0);
    const first = generateScenario(scenarioPreset("small")).events;
    const second = generateScenario(scenarioPreset("small", { seed: 43 })).events;
    const written = pl.readParquet(file);
    expect(run.stderr).toMatch(new RegExp(`^wrote ${(first.height + second.height).toLocaleString("en-US")} events \\([\\d,]+ attack events in 20 campaigns\\)`));
    expectFrameEqual(written.slice(0, first.height), first);
    const renamed = written.slice(first.height, second.height);
    expect(renamed.getColumn("user_id").toArray()).toEqual(second.getColumn("user_id").toArray().map((u) => `${u}-1`));
    expect(renamed.getColumn("attack_id").toArray()).toEqual(second.getColumn("attack_id").toArray().map((a) => (a === null ? null : `${a}-1`)));
    expectFrameEqual(renamed.drop("user_id", "attack_id"), second.drop("user_id", "attack_id"));
  });

  it("refuses a number of pieces below 1 with exit code 2, writing nothing", () => {
    const file = join(tempDir(), "none.parquet");
    const run = threatlab("scenario", "--pieces", "0", "--out", file);
    expect([run.code, run.stderr.trim()]).toEqual([2, 'threatlab scenario: invalid --pieces: "0" (expected a whole number from 1 to 100000)']);
    expect(existsSync(file)).toBe(false);
  });
});
