/**
 * The robustness grid: populations with the variety real ones have, and the suite scored on each.
 */
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { evaluateGrid, formatGrid, GRID, GRID_AXES, gridScenario } from "../../lib/evaluate/grid";
import { drawUsers, UNIFORM_HABITS, VARIED_HABITS } from "../../lib/generate/habits";
import { createRng } from "../../lib/shared/rng";
import { generateScenario } from "../../lib/generate/scenario";
import { threatlab } from "../helpers";

describe("varied habits", () => {
  const varied = gridScenario(GRID.find((g) => g.users === 150 && g.habits === "varied" && g.days === 14)!, 42);
  const { events } = generateScenario(varied);
  const users = drawUsers(createRng(42, "habits"), 150, 40, VARIED_HABITS);
  const normal = events.filter(pl.col("attack_id").isNull());
  const of = (name: string) => normal.filter(pl.col("user_id").eq(pl.lit(name)));

  it("a population without variety is the one drawn without the option", () => {
    expect(drawUsers(createRng(7, "habits"), 50, 40, UNIFORM_HABITS)).toEqual(drawUsers(createRng(7, "habits"), 50, 40));
  });

  it("service accounts are busy every hour of the day; roamers use all four locations; office workers keep their hours", () => {
    const service = users.find((u) => u.aroundTheClock && !u.roams)!;
    const hours = new Set((of(service.name).getColumn("timestamp").toArray() as unknown as Date[]).map((t) => t.getUTCHours()));
    expect(hours.size).toBe(24);
    const roamer = users.find((u) => u.roams)!;
    expect(new Set(of(roamer.name).getColumn("location").toArray()).size).toBe(4);
    // An office worker's activity outside a 13-hour day comes only from the 4% stray events.
    const office = users.find((u) => !u.roams && !u.aroundTheClock && !u.rotating && u.shiftStart < 9 && u.shiftLength < 9)!;
    const times = of(office.name).getColumn("timestamp").toArray() as unknown as Date[];
    const outside = times.filter((t) => t.getUTCHours() < Math.floor(office.shiftStart) || t.getUTCHours() > Math.ceil(office.shiftStart + office.shiftLength) + 3).length;
    expect(outside / times.length).toBeLessThan(0.08);
    // Shares near those asked for: 150 users, a third roaming, a tenth each of the others.
    expect(users.filter((u) => u.roams).length).toBeGreaterThan(35);
    expect(users.filter((u) => u.aroundTheClock).length).toBeGreaterThan(7);
    expect(users.filter((u) => u.rotating).length).toBeGreaterThan(7);
  });
});

describe("the robustness grid", () => {
  it("has 16 settings spanning population size × habits × span × attacks", () => {
    expect(GRID).toHaveLength(16);
    expect(new Set(GRID.map((g) => g.name)).size).toBe(16);
    for (const axis of ["users", "habits", "days", "attacks"] as const) expect(new Set(GRID.map((g) => g[axis]))).toEqual(new Set<unknown>(GRID_AXES[axis]));
  });

  it.each([42, 7])("in every setting, alert precision ≥ 0.9 and every campaign found (seed %i)", (seed) => {
    const results = evaluateGrid({ seed });
    expect(results).toHaveLength(16);
    for (const r of results) {
      expect(r.campaigns, r.setting.name).toBe(r.setting.attacks === "many" ? 30 : 10);
      expect(r.alert_precision, r.setting.name).toBeGreaterThanOrEqual(0.9);
      expect(r.missed, r.setting.name).toEqual([]);
    }
    expect(formatGrid(results).split("\n").at(-1)).toBe("16 of 16 settings meet alert precision ≥ 0.9 and campaign recall 1.0");
  });

  it("threatlab evaluate --grid prints one line per setting and the count that meet the targets", () => {
    const run = threatlab("evaluate", "--grid", "--rules", "brute_force");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^SETTING +EVENTS +CAMPAIGNS +ALERTS +PRECISION +RECALL +MISSED$/);
    expect(lines).toHaveLength(18);
    // brute force alone cannot find the other nine kinds of campaign: no setting meets the targets.
    expect(lines[17]).toBe("0 of 16 settings meet alert precision ≥ 0.9 and campaign recall 1.0");
    expect(run.stderr.split("\n").filter((l) => /^\d+\/16 /.test(l))).toHaveLength(16);
  });
});
