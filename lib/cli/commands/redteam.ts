/** `threatlab redteam`. */
import { OptionError } from "../../errors";
import { ATTACKER_GOALS, type AttackerGoal, goalSpec } from "../../evaluate/attacker-goals";
import { DEFENCE_LAYERS, formatRedTeam, frontierRows, redTeam } from "../../evaluate/redteam";
import { parseRuleOptions } from "../../detect/suite";
import { progressBar } from "../progress";
import { type Command, intFlag, noPositionals } from "../command";

export const redteamCommand: Command = {
  summary: "play an adaptive attacker against the detectors on a generated background and print the evasion frontier",
  args: "[--seed N] [--goals LIST] [--rounds N] [--blind] [--json]",
  options: {
    json: { type: "boolean", help: "print the frontiers, every round played and the background's false alerts as one JSON object" },
    seed: { type: "string", valueName: "N", help: "seed of the background and of the attacker's choices (default 1)" },
    goals: { type: "string", valueName: "LIST", help: `goals to play, comma-separated: ${ATTACKER_GOALS.join(", ")} (default: all)` },
    rounds: { type: "string", valueName: "N", help: "rounds per goal and layer (default 16)" },
    blind: { type: "boolean", help: "the attacker learns only whether it was blocked (a high or critical alert), not of every alert" },
    users: { type: "string", valueName: "U", help: "accounts in the background (default 60)" },
    days: { type: "string", valueName: "D", help: "days of background; the attack is on the last day but one (default 9)" },
    option: { type: "string", multiple: true, valueName: "RULE.KEY=VALUE", help: "set a rule's option, e.g. network_scan.hosts=20 (repeatable)" },
  },
  async run({ values, positionals }, io) {
    noPositionals(positionals, "options");
    const goals = typeof values.goals === "string" ? values.goals.split(",").map((g) => g.trim()).filter(Boolean) : [...ATTACKER_GOALS];
    if (goals.length === 0) throw new OptionError("--goals needs at least one goal");
    for (const g of goals) goalSpec(g);
    const rounds = intFlag(values, "rounds", 1_000) ?? 16;
    const pairs = goals.length * DEFENCE_LAYERS.length;
    let played = 0;
    const bar = progressBar(io);
    let result;
    try {
      result = redTeam({
        seed: intFlag(values, "seed") ?? 1,
        goals: goals as AttackerGoal[],
        rounds,
        feedback: values.blind ? "blind" : "told",
        users: intFlag(values, "users"),
        days: intFlag(values, "days"),
        detectorOptions: parseRuleOptions(Array.isArray(values.option) ? values.option : []),
        onRound: (goal, layer, round) => {
          if (round.round === 1) played++;
          bar.update(`${goal} against ${layer}, round ${round.round}`, (played - 1 + round.round / rounds) / pairs);
        },
      });
    } finally {
      bar.done();
    }
    io.stdout(values.json ? JSON.stringify({ ...result, goals: frontierRows(result) }, (_, v) => (v === Infinity ? "Infinity" : v), 2) : formatRedTeam(result));
  },
};
