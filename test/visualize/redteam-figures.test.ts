import { describe, expect, it } from "vitest";
import type { Frontier, RedTeamResult } from "../../lib/evaluate/redteam";
import { plotAttackerRounds, plotFrontier } from "../../lib/visualize/redteam-figures";
import { GOALS } from "../../lib/evaluate/attacker-goals";

const round = (n: number, amount: number, alerts: number, rules: string[] = []) => ({ round: n, amount, shape: GOALS.guess.naive, events: amount, alerts, rules, blocked: false });
const frontier = (goal: "guess" | "exfiltrate", layer: string, perDay: number, history = [round(1, perDay, 0)]): Frontier => ({
  goal, layer, unit: GOALS[goal].unit, perDay, budget: GOALS[goal].budget, walkedThrough: perDay === GOALS[goal].budget, shape: null, foundInRound: 1, rounds: history.length, stoppedBy: [], history,
});

describe("plotFrontier", () => {
  const result: RedTeamResult = {
    seed: 1, feedback: "told", background: { users: 10, days: 5, events: 100 }, noise: [],
    frontiers: [frontier("guess", "tutorial rule", 100_000), frontier("guess", "suite", 50), frontier("exfiltrate", "tutorial rule", 1e9), frontier("exfiltrate", "suite", 0)],
  };

  it("draws one bar per layer and goal at the share of the budget that got through, none where nothing did", () => {
    const { data, layout } = plotFrontier(result);
    expect(data.map((t) => t.name)).toEqual(["tutorial rule", "suite"]);
    // guess: 100,000 of 100,000 = 100 %, 50 of 100,000 = 0.05 %; exfiltrate: 1 GB of 100 GB = 1 %, and 0.
    expect(data[0].y).toEqual([100, 1]);
    expect(data[1].y).toEqual([0.05, null]);
    expect(data[1].text).toEqual(["50", "0 B"]);
    expect(data[0].x).toEqual(["guess passwords for many accounts", "take data out"]);
    expect((layout.yaxis as { type: string }).type).toBe("log");
  });
});

describe("plotAttackerRounds", () => {
  it("marks rounds with an alert apart from quiet ones, names the rules (escaped), and draws the frontier", () => {
    const f = frontier("guess", "suite", 30, [round(1, 100_000, 3, ["brute_force", "<b>x</b>"]), round(2, 30, 0), round(3, 300, 1, ["password_spray"])]);
    const { data } = plotAttackerRounds(f);
    expect(data[0]).toMatchObject({ name: "seen (an alert)", x: [1, 3], y: [100_000, 300] });
    expect(data[0].text).toEqual(["100,000: brute_force, &lt;b&gt;x&lt;/b&gt;", "300: password_spray"]);
    expect(data[1]).toMatchObject({ name: "not seen", x: [2], y: [30] });
    expect(data[2]).toMatchObject({ name: "frontier", y: [30, 30] });
  });
});
