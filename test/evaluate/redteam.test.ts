import { describe, expect, it } from "vitest";
import { campaignTimes, GOALS, type CampaignShape, type Target } from "../../lib/evaluate/attacker-goals";
import { formatAmount, frontierRows, redTeam, type RedTeamResult } from "../../lib/evaluate/redteam";
import { createRng } from "../../lib/shared/rng";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../lib/time";
import { threatlab } from "../helpers";

const DAY = Date.UTC(2025, 0, 13);
const TARGET: Target = {
  accounts: ["user_1", "user_2", "user_3", "user_4", "user_5", "user_6"],
  insider: { user: "user_2", ip: "10.1.2.3", country: "US" },
  hosts: ["10.1.2.3", "10.1.2.4", "10.1.2.5"],
  countries: ["US", "DE", "RU"],
  day: DAY,
};
const shape = (s: Partial<CampaignShape>): CampaignShape => ({ ...GOALS.guess.naive, ...s });

describe("campaignTimes", () => {
  it("spaces actions evenly over the active hours without jitter, wrapping past midnight into the same day", () => {
    // 4 actions over 2 h from 22:00: the middles of four 30-minute slices, 22:15 … 23:45.
    expect(campaignTimes(4, shape({ hours: 2, startHour: 22, jitter: 0 }), DAY, createRng(1))).toEqual([22.25, 22.75, 23.25, 23.75].map((h) => DAY + h * HOUR_MS));
    // From 23:00 for 2 h: 23:30 and 00:30, the latter on the campaign's own day.
    expect(campaignTimes(2, shape({ hours: 2, startHour: 23, jitter: 0 }), DAY, createRng(1))).toEqual([DAY + 30 * MINUTE_MS, DAY + 23.5 * HOUR_MS]);
  });

  it("with full jitter keeps every action inside the active hours, and the same seed gives the same times", () => {
    const times = campaignTimes(500, shape({ hours: 3, startHour: 9, jitter: 1 }), DAY, createRng(7));
    expect(times.every((t) => t >= DAY + 9 * HOUR_MS && t < DAY + 12 * HOUR_MS)).toBe(true);
    expect(new Set(times.map((t) => Math.floor((t - DAY) / HOUR_MS)))).toEqual(new Set([9, 10, 11]));
    expect(campaignTimes(500, shape({ hours: 3, startHour: 9, jitter: 1 }), DAY, createRng(7))).toEqual(times);
  });
});

describe("the goals' campaigns", () => {
  const rng = () => createRng(3);

  it("guess: one failed login per password tried, from the sources and on the accounts of the shape", () => {
    const events = GOALS.guess.events(30, shape({ sources: 3, accounts: 5 }), TARGET, rng());
    expect(events).toHaveLength(30);
    expect(events.every((e) => e.log_type === "login_failed" && e.outcome === "failure")).toBe(true);
    expect(new Set(events.map((e) => e.ip_address)).size).toBe(3);
    expect(new Set(events.map((e) => e.user_id))).toEqual(new Set(["user_1", "user_2", "user_3", "user_4", "user_5"]));
  });

  it("exfiltrate: transfers of the shape's size from the insider's machine to outside addresses, adding up to the amount", () => {
    const events = GOALS.exfiltrate.events(1e9, { ...GOALS.exfiltrate.naive, size: 1e8, sources: 4 }, TARGET, rng());
    expect(events).toHaveLength(10);
    expect(events.reduce((sum, e) => sum + e.bytes_transferred, 0)).toBe(1e9);
    expect(events.every((e) => e.user_id === "user_2" && e.ip_address === "10.1.2.3" && !e.destination!.startsWith("10."))).toBe(true);
    expect(new Set(events.map((e) => e.destination)).size).toBe(4);
  });

  it("map: every host probed on each of the shape's ports, from inside footholds", () => {
    const events = GOALS.map.events(100, { ...GOALS.map.naive, ports: 3, sources: 2 }, TARGET, rng());
    expect(events).toHaveLength(300);
    expect(new Set(events.map((e) => e.destination)).size).toBe(100);
    expect(new Set(events.map((e) => e.destination_port))).toEqual(new Set([445, 22, 3389]));
    expect(new Set(events.map((e) => e.ip_address))).toEqual(new Set(["10.1.2.3", "10.1.2.4"]));
  });

  it("new_place: one login per account, from countries none of the accounts has been used from", () => {
    const events = GOALS.new_place.events(4, { ...GOALS.new_place.naive, sources: 4 }, TARGET, rng());
    expect(events.map((e) => e.user_id)).toEqual(["user_1", "user_2", "user_3", "user_4"]);
    expect(events.every((e) => e.log_type === "login_success" && !TARGET.countries.includes(e.country))).toBe(true);
  });
});

describe("redTeam", () => {
  it("finds brute_force's boundary by bisection: the naive guesser is seen from 1,080 passwords an hour, not below", () => {
    // The naive guesser tries 10 accounts in turn from one source, evenly over one hour: with A
    // tries, each account is tried every 36,000/A s, so 10 tries on one account span 9 × 36,000/A s,
    // which is within brute_force's 5 minutes (300 s) from A = 1,080 (worked out by hand; the
    // 4-in-2-s burst needs A ≥ 54,000). The background holds no brute force of its own.
    const { frontiers } = redTeam({ seed: 1, goals: ["guess"], layers: [{ name: "brute force", rules: ["brute_force"] }], rounds: 9 });
    const [f] = frontiers;
    const bisection = f.history.slice(0, 5);
    expect(bisection.every((r) => r.shape === bisection[0].shape)).toBe(true);
    for (const r of bisection) {
      if (r.amount >= 1_100) expect(r.alerts, `${r.amount}`).toBeGreaterThan(0);
      if (r.amount <= 1_060) expect(r.alerts, `${r.amount}`).toBe(0);
    }
    expect(bisection.some((r) => r.alerts === 0) && bisection.some((r) => r.alerts > 0)).toBe(true);
    // The frontier is a round that raised no alert, at least the best the bisection found.
    const quiet = f.history.filter((r) => r.alerts === 0).map((r) => r.amount);
    expect(f.perDay).toBe(Math.max(...quiet));
    expect(f.perDay).toBeGreaterThan(100);
    expect(f.history[f.foundInRound - 1].alerts).toBe(0);
    expect(f.stoppedBy).toEqual(["brute_force"]);
  });

  it("lets the whole guessing budget through the tutorial's rule in one round: failed logins move no bytes", () => {
    // 100,000 zero-byte events pull the 95th percentile down, so the rule flags other people's
    // transfers that day; those alerts are not about the attacker's events and do not count.
    const { frontiers, noise } = redTeam({ seed: 1, goals: ["guess"], layers: [{ name: "tutorial rule", rules: ["percentile"] }], rounds: 5 });
    expect(frontiers[0]).toMatchObject({ perDay: GOALS.guess.budget, walkedThrough: true, foundInRound: 1, rounds: 1 });
    expect(noise[0].alerts).toBeGreaterThan(0);
  });

  it("a blind attacker learns only of blocks: the tutorial rule's low alerts on a 100 GB transfer never stop it, so it never adapts", () => {
    // The percentile rule's alerts are low severity (never a block). Told of them, the thief
    // searches on; blind, it sees no block after its first round and keeps going as it is, so no
    // round of its ever passes unseen.
    const layers = [{ name: "tutorial rule", rules: ["percentile"] }];
    const [blind] = redTeam({ seed: 1, goals: ["exfiltrate"], layers, rounds: 6, feedback: "blind" }).frontiers;
    expect(blind.history.map((r) => [r.alerts > 0, r.blocked])).toEqual([[true, false]]);
    expect(blind.perDay).toBe(0);
    const [told] = redTeam({ seed: 1, goals: ["exfiltrate"], layers, rounds: 6 }).frontiers;
    expect(told.rounds).toBe(6);
  });

  it("gives the same frontiers, rounds and noise for the same seed, and plays another background for another seed", () => {
    const options = { goals: ["new_place"] as const, layers: [{ name: "baselines", rules: ["unusual_location", "impossible_travel"] }], rounds: 4 };
    const a = redTeam({ ...options, seed: 5 });
    expect(redTeam({ ...options, seed: 5 })).toEqual(a);
    expect(redTeam({ ...options, seed: 6 }).background.events).not.toBe(a.background.events);
  });
});

describe("frontierRows and formatAmount", () => {
  const frontier = (goal: "guess" | "map", layer: string, perDay: number) => ({
    goal, layer, unit: "", perDay, budget: 0, walkedThrough: false, shape: null, foundInRound: 0, rounds: 3, stoppedBy: [], history: [],
  });
  const result: RedTeamResult = {
    seed: 1, feedback: "told", background: { users: 10, days: 5, events: 100 }, noise: [],
    frontiers: [frontier("guess", "tutorial rule", 100_000), frontier("guess", "suite", 40), frontier("map", "tutorial rule", 65_536), frontier("map", "suite", 0)],
  };

  it("compares the suite with the tutorial's rule per goal: 100,000 / 40 = 2,500×; nothing through the suite is ∞", () => {
    const rows = frontierRows(result);
    expect(rows.map((r) => [r.goal, r.suiteVsTutorial])).toEqual([["guess", 2_500], ["map", Infinity]]);
    expect(rows[0].perDay).toEqual({ "tutorial rule": 100_000, suite: 40 });
  });

  it("writes bytes in decimal units and counts with separators", () => {
    expect(formatAmount("exfiltrate", 18_608_649)).toBe("18.6 MB");
    expect(formatAmount("exfiltrate", 100e9)).toBe("100 GB");
    expect(formatAmount("exfiltrate", 512)).toBe("512 B");
    expect(formatAmount("map", 10_558.4)).toBe("10,558");
  });
});

describe("threatlab redteam", () => {
  it("refuses an unknown goal or a round count of 0 with one line and exit 2", () => {
    const bad = threatlab("redteam", "--goals", "guess,nope");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain('invalid goal: "nope" (expected one of guess, exfiltrate, map, new_place)');
    expect(threatlab("redteam", "--rounds", "0").code).toBe(2);
  });

  it("--json reports every layer's frontier, the rounds and the noise, the same for the same seed", () => {
    const run = () => threatlab("redteam", "--seed", "2", "--goals", "new_place", "--rounds", "2", "--json");
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    const parsed = JSON.parse(first.stdout);
    expect(parsed.goals[0].goal).toBe("new_place");
    expect(Object.keys(parsed.goals[0].perDay)).toEqual(["tutorial rule", "window rules", "baselines", "model", "suite"]);
    expect(parsed.noise.map((n: { layer: string }) => n.layer)).toEqual(["tutorial rule", "window rules", "baselines", "model", "suite"]);
    expect(parsed.frontiers.every((f: { rounds: number }) => f.rounds >= 1 && f.rounds <= 2)).toBe(true);
    expect(run().stdout).toBe(first.stdout);
  }, 180_000);
});
