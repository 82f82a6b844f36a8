/**
 * An adaptive attacker that probes the detectors, and the evasion frontier it finds.
 *
 * For each goal (attacker-goals.ts) the attacker plays rounds against a layer of detectors on a
 * scenario's background (no injected campaigns, labels dropped). Each round it runs one day's
 * campaign of some size and shape and learns one bit, as an intruder would: `told` — whether any
 * alert came of it; `blind` — only whether it was blocked (an alert of high or critical severity).
 * Its search, seeded and reproducible:
 * 1. the naive attack at full budget (machine speed, one source, at night): if nothing is seen,
 *    the layer let the whole budget through in one round;
 * 2. bisection on the size (in log space, between the least worth doing and the budget) with the
 *    naive shape;
 * 3. a (1+1) evolutionary search over the shape (sources, accounts, hours of day, jitter, transfer
 *    sizes, ports): a mutated shape (or, a third of the time, the same one) is tried a step above
 *    the size reached so far and kept when unseen; the step (from 2×) grows by half after a
 *    success and shrinks after a failure. While every try so far was seen, each try is the least
 *    worth doing in a shape drawn at random. A shape that passes is tried at once at the whole
 *    budget, and where it is seen there, bisected below it (three rounds at most).
 *
 * The frontier is the largest daily achievement among the rounds that raised no alert at all (what
 * the defender can measure), and the round that reached it. An alert "came of" a campaign when
 * its detection is not among the background's own and is about the campaign's events (see
 * `involves`).
 */
import pl, { type DataFrame } from "nodejs-polars";
import { type Alert, buildAlerts } from "../alerts/alerts";
import type { Detection } from "../detect/detection";
import { type DetectOptions, RULE_LIST, runDetectors } from "../detect/suite";
import { checkInteger } from "../errors";
import { generateScenario } from "../generate/scenario";
import { withoutLabels } from "../schema";
import { createRng } from "../shared/rng";
import { DAY_MS } from "../time";
import { count, formatBytes } from "../detect/words";
import { type AttackerGoal, ATTACKER_GOALS, type CampaignEvent, type CampaignShape, goalSpec, type GoalSpec, mutateShape, randomShape, type Target } from "./attacker-goals";

/** A set of detectors the attacker plays against. */
export interface DefenceLayer {
  readonly name: string;
  readonly rules: readonly string[];
}

/**
 * The layers of the frontier: the tutorial's rule, each detector family alone, and the suite.
 * @example
 * DEFENCE_LAYERS.map((l) => l.name) // => ["tutorial rule", "window rules", "baselines", "model", "suite"]
 */
export const DEFENCE_LAYERS: readonly DefenceLayer[] = [
  { name: "tutorial rule", rules: ["percentile"] },
  { name: "window rules", rules: RULE_LIST.filter((r) => r.family === "window rule").map((r) => r.name) },
  { name: "baselines", rules: RULE_LIST.filter((r) => r.family === "baseline").map((r) => r.name) },
  { name: "model", rules: RULE_LIST.filter((r) => r.family === "model").map((r) => r.name) },
  { name: "suite", rules: RULE_LIST.filter((r) => r.family !== "tutorial").map((r) => r.name) },
];

/** What the attacker learns from a round. */
export type Feedback = "told" | "blind";

/** Options of {@link redTeam}. */
export interface RedTeamOptions {
  /** Seed of the background and of every choice of the attacker. Default `1`. */
  seed?: number;
  /** Goals to play. Default all of {@link ATTACKER_GOALS}. */
  goals?: readonly AttackerGoal[];
  /** Layers to play against. Default {@link DEFENCE_LAYERS}. */
  layers?: readonly DefenceLayer[];
  /** Rounds per goal and layer. Default `16`. */
  rounds?: number;
  /** What the attacker sees of a round. Default `"told"`. */
  feedback?: Feedback;
  /** Accounts in the background. Default `60`. */
  users?: number;
  /** Days of background; the campaign runs on the last day but one. Default `9`. */
  days?: number;
  /** Options for the detectors, as {@link runDetectors} takes them (e.g. a changed threshold). */
  detectorOptions?: DetectOptions["options"];
  /** Called after each round (for progress). */
  onRound?: (goal: AttackerGoal, layer: string, round: PlayedRound) => void;
}

/** One round: what the attacker tried and what came of it. */
export interface PlayedRound {
  readonly round: number;
  /** Units achieved that day (e.g. passwords tried). */
  readonly amount: number;
  readonly shape: CampaignShape;
  readonly events: number;
  /** Alerts that came of the campaign, and the rules that raised them. */
  readonly alerts: number;
  readonly rules: readonly string[];
  /** An alert of high or critical severity came of it. */
  readonly blocked: boolean;
}

/** The frontier of one goal against one layer. */
export interface Frontier {
  readonly goal: AttackerGoal;
  readonly layer: string;
  readonly unit: string;
  /** The most achieved in a day without any alert (0 when every round was seen). */
  readonly perDay: number;
  /** The budget a day, and whether the layer let all of it through. */
  readonly budget: number;
  readonly walkedThrough: boolean;
  /** The shape of that day's campaign. */
  readonly shape: CampaignShape | null;
  /** The round that reached the frontier (0 when none did), and the rounds played. */
  readonly foundInRound: number;
  readonly rounds: number;
  /** The rules that saw the attempts above the frontier, most often first. */
  readonly stoppedBy: readonly string[];
  readonly history: readonly PlayedRound[];
}

/** The layer's alerts on the background alone: none of them is an attack. */
export interface BackgroundNoise {
  readonly layer: string;
  readonly alerts: number;
  /** False alerts per 1,000 users per day. */
  readonly perThousandUserDays: number;
}

/** What {@link redTeam} found. */
export interface RedTeamResult {
  readonly seed: number;
  readonly feedback: Feedback;
  readonly background: { readonly users: number; readonly days: number; readonly events: number };
  readonly frontiers: readonly Frontier[];
  readonly noise: readonly BackgroundNoise[];
}

const BLOCKING = new Set(["high", "critical"]);

function detectionKey(d: Detection): string {
  return `${d.rule}\u0000${d.entity.type}\u0000${d.entity.value}\u0000${d.start}\u0000${d.end}`;
}

/** The campaign's event times by the entity a detection would name: `user:NAME`, `source:ADDRESS`, and `service:` for logins. */
function campaignTimesByEntity(events: readonly CampaignEvent[]): Map<string, number[]> {
  const byEntity = new Map<string, number[]>();
  const add = (key: string, time: number) => {
    let times = byEntity.get(key);
    if (!times) byEntity.set(key, (times = []));
    times.push(time);
  };
  for (const e of events) {
    if (e.user_id !== null) add(`user:${e.user_id}`, e.timestamp);
    add(`source:${e.ip_address}`, e.timestamp);
    if (e.log_type.startsWith("login_")) add("service:", e.timestamp);
  }
  return byEntity;
}

/**
 * True when a detection is about some of the campaign's events: it names an entity of the
 * campaign (a login service detection names the service) and one of that entity's campaign
 * events falls in its time span. A detection the campaign only caused indirectly (the tutorial's
 * percentile moving, so that someone else's transfer crosses it) is not the attacker being seen.
 */
function involves(d: Detection, byEntity: Map<string, number[]>): boolean {
  const times = byEntity.get(`${d.entity.type}:${d.entity.type === "service" ? "" : d.entity.value}`);
  return times !== undefined && times.some((t) => t >= d.start && t <= d.end);
}

/** Returns what an intruder would know of the background: its accounts, one machine taken over, the countries in use. */
export function targetOf(background: DataFrame, day: number, seed: number): Target {
  const logins = background.filter(pl.col("user_id").isNotNull());
  const accounts = (logins.getColumn("user_id").unique().sort().toArray() as string[]).filter(Boolean);
  const rng = createRng(seed, "redteam/insider");
  const user = accounts[rng.below(accounts.length)];
  const own = logins.filter(pl.col("user_id").eq(pl.lit(user)));
  const mostCommon = (column: string): string => {
    const counts = own.groupBy(column).len().sort(column).sort(`${column}_count`, true, false, true);
    return String(counts.getColumn(column).get(0));
  };
  const hosts = (background.filter(pl.col("ip_address").str.startsWith("10.")).getColumn("ip_address").unique().sort().toArray() as string[]).slice(0, 64);
  const countries = (background.getColumn("country").dropNulls().unique().sort().toArray() as string[]);
  return { accounts, insider: { user, ip: mostCommon("ip_address"), country: mostCommon("country") }, hosts, countries, day };
}

/** Returns the campaign's events as a frame in the background's columns and types. */
export function campaignFrame(events: readonly CampaignEvent[], background: DataFrame): DataFrame {
  const columns = background.columns;
  const data: Record<string, unknown[]> = Object.fromEntries(columns.map((c) => [c, []]));
  for (const e of events) for (const c of columns) data[c].push(c in e ? (e as unknown as Record<string, unknown>)[c] : null);
  return pl.DataFrame(data).select(...columns.map((c) => (background.getColumn(c).dtype.equals(pl.Datetime("ms")) ? pl.col(c).cast(pl.Int64).cast(pl.Datetime("ms")) : pl.col(c).cast(background.getColumn(c).dtype))));
}

/** A background prepared for play: the events the detectors see, with the campaign columns added. */
interface Board {
  readonly events: DataFrame;
  readonly target: Target;
  readonly users: number;
  readonly days: number;
  /**
   * Returns what the rules find in a round's events (built by `events` only when a rule has not
   * yet seen that round). Rules do not depend on one another, so a round played the same way
   * against another layer reuses each rule's findings: the same campaign (goal, round, size,
   * shape) always writes the same events.
   */
  detect(round: string, rules: readonly string[], events: () => DataFrame): Detection[];
}

function board(seed: number, users: number, days: number, detectorOptions: RedTeamOptions["detectorOptions"]): Board {
  checkInteger("users", users, 10, 10_000);
  checkInteger("days", days, 4, 60);
  const scenario = generateScenario({ seed, users, days, eventsPerUserDay: 40, learningDays: days - 2, campaigns: {} });
  const events = withoutLabels(scenario.events).withColumns(pl.lit(null).cast(pl.Int64).alias("destination_port"), pl.lit(null).cast(pl.Utf8).alias("outcome"));
  const first = Number(events.getColumn("timestamp").cast(pl.Int64).min());
  const day = Math.floor(first / DAY_MS) * DAY_MS + (days - 2) * DAY_MS;
  const found = new Map<string, Detection[]>();
  const detect = (round: string, rules: readonly string[], frame: () => DataFrame): Detection[] => {
    let built: DataFrame | undefined;
    return rules.flatMap((rule) => {
      const key = `${round}\u0000${rule}`;
      let detections = found.get(key);
      if (!detections) {
        detections = runDetectors((built ??= frame()), { rules: [rule], options: detectorOptions }).detections;
        found.set(key, detections);
      }
      return detections;
    });
  };
  return { events, target: targetOf(events, day, seed), users, days, detect };
}

/** Plays one goal against one layer; returns its frontier. */
function play(spec: GoalSpec, layer: DefenceLayer, b: Board, baseline: Set<string>, options: Required<Pick<RedTeamOptions, "seed" | "rounds" | "feedback">> & RedTeamOptions): Frontier {
  const rng = createRng(options.seed, `redteam/${spec.goal}`);
  const history: PlayedRound[] = [];
  const tryRound = (amount: number, shape: CampaignShape): PlayedRound => {
    const events = spec.events(amount, shape, b.target, createRng(options.seed, `redteam/${spec.goal}/${history.length + 1}`));
    const roundKey = `${spec.goal}\u0000${history.length + 1}\u0000${amount}\u0000${JSON.stringify(shape)}`;
    const detections = b.detect(roundKey, layer.rules, () => pl.concat([b.events, campaignFrame(events, b.events)], { how: "vertical" }).sort("timestamp"));
    const involved = campaignTimesByEntity(events);
    const caused = detections.filter((d) => !baseline.has(detectionKey(d)) && involves(d, involved));
    const alerts: Alert[] = buildAlerts(caused);
    const rules = [...new Set(alerts.map((a) => a.rule))].sort();
    const round: PlayedRound = { round: history.length + 1, amount, shape, events: events.length, alerts: alerts.length, rules, blocked: alerts.some((a) => BLOCKING.has(a.severity)) };
    history.push(round);
    options.onRound?.(spec.goal, layer.name, round);
    return round;
  };
  const seen = (r: PlayedRound): boolean => (options.feedback === "told" ? r.alerts > 0 : r.blocked);
  const size = (x: number): number => (spec.integer ? Math.max(spec.minimum, Math.floor(x)) : x);

  let best: { amount: number; shape: CampaignShape } | undefined;
  const play1 = (amount: number, shape: CampaignShape): PlayedRound => {
    const r = tryRound(amount, shape);
    if (r.alerts === 0 && (!best || amount > best.amount)) best = { amount, shape };
    return r;
  };
  // Bisection in log space between an amount known to pass (lo; 0 for none yet) and one seen (hi); returns the last lo.
  const bisect = (shape: CampaignShape, lo: number, hi: number, rounds: number): number => {
    for (let i = 0; i < rounds && history.length < options.rounds; i++) {
      const mid = size(Math.sqrt(Math.max(lo, spec.minimum) * hi));
      if (mid <= lo || mid >= hi) break;
      if (seen(play1(mid, shape))) hi = mid;
      else lo = mid;
    }
    return lo;
  };
  if (seen(play1(spec.budget, spec.naive))) {
    // Bisection on the size with the naive shape, about half the rounds.
    bisect(spec.naive, 0, spec.budget, Math.max(1, Math.floor((options.rounds - 1) / 2)));
    // A (1+1) evolutionary search for the rest: a third of the time the same shape a step bigger,
    // else a mutated shape; the step grows after a success and shrinks after a failure. A shape
    // that passes is then tried at the whole budget, and bisected below it when seen there.
    let current = best ?? { amount: spec.minimum, shape: spec.naive };
    let step = 2;
    while (history.length < options.rounds) {
      const shape = !best ? randomShape(spec.naive, spec.vary, rng) : rng.float() < 1 / 3 ? current.shape : mutateShape(current.shape, spec.vary, rng);
      const amount = best ? Math.min(spec.budget, Math.max(size(current.amount * step), spec.integer ? current.amount + 1 : 0)) : spec.minimum;
      if (seen(play1(amount, shape))) {
        step = Math.max(1.1, step ** 0.7);
        continue;
      }
      current = { amount, shape };
      step = Math.min(8, step * 1.5);
      if (amount < spec.budget && history.length < options.rounds) {
        current = seen(play1(spec.budget, shape)) ? { amount: bisect(shape, amount, spec.budget, 3), shape } : { amount: spec.budget, shape };
      }
    }
  }
  const found = best ? history.find((r) => r.amount === best!.amount && r.shape === best!.shape && r.alerts === 0)!.round : 0;
  const above = history.filter((r) => r.alerts > 0);
  const tally = new Map<string, number>();
  for (const r of above) for (const rule of r.rules) tally.set(rule, (tally.get(rule) ?? 0) + 1);
  return {
    goal: spec.goal,
    layer: layer.name,
    unit: spec.unit,
    perDay: best?.amount ?? 0,
    budget: spec.budget,
    walkedThrough: best?.amount === spec.budget,
    shape: best?.shape ?? null,
    foundInRound: found,
    rounds: history.length,
    stoppedBy: [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([rule]) => rule),
    history,
  };
}

/**
 * Plays the adaptive attacker for every goal against every layer on a seeded background, and
 * returns the frontiers and the layers' false alerts on the background. The same options give the
 * same result.
 * @example
 * const { frontiers } = redTeam({ seed: 1, goals: ["guess"], rounds: 8 });
 * frontiers.map((f) => `${f.layer}: ${f.perDay}`)
 * // => ["tutorial rule: 100000", "window rules: 220", "baselines: 100000", "model: 87", "suite: 8"]
 */
export function redTeam(options: RedTeamOptions = {}): RedTeamResult {
  const { seed = 1, goals = ATTACKER_GOALS, layers = DEFENCE_LAYERS, rounds = 16, feedback = "told", users = 60, days = 9 } = options;
  checkInteger("seed", seed, 0);
  checkInteger("rounds", rounds, 1, 1_000);
  const b = board(seed, users, days, options.detectorOptions);
  const frontiers: Frontier[] = [];
  const noise: BackgroundNoise[] = [];
  for (const layer of layers) {
    const background = b.detect("background", layer.rules, () => b.events);
    const alerts = buildAlerts(background).length;
    noise.push({ layer: layer.name, alerts, perThousandUserDays: (alerts / b.days / b.users) * 1_000 });
    const baseline = new Set(background.map(detectionKey));
    for (const goal of goals) frontiers.push(play(goalSpec(goal), layer, b, baseline, { ...options, seed, rounds, feedback }));
  }
  const order = (f: Frontier) => goals.indexOf(f.goal) * layers.length + layers.findIndex((l) => l.name === f.layer);
  frontiers.sort((x, y) => order(x) - order(y));
  return { seed, feedback, background: { users: b.users, days: b.days, events: b.events.height }, frontiers, noise };
}

/** One goal's frontiers side by side: what the attacker got through each layer in a day. */
export interface FrontierRow {
  readonly goal: AttackerGoal;
  readonly title: string;
  readonly unit: string;
  readonly budget: number;
  /** The frontier against each layer played, by layer name. */
  readonly perDay: Readonly<Record<string, number>>;
  /** Rounds the attacker played against each layer. */
  readonly rounds: Readonly<Record<string, number>>;
  /** How many times lower the frontier is against the suite than against the tutorial's rule (Infinity when the suite let nothing through; null when a layer was not played). */
  readonly suiteVsTutorial: number | null;
}

/**
 * Returns the frontiers as one row per goal.
 * @example
 * frontierRows(redTeam({ goals: ["map"], rounds: 6 }))[0].suiteVsTutorial // => 64.8   (65,536 hosts a day against 1,011)
 */
export function frontierRows(result: RedTeamResult): FrontierRow[] {
  const goals = [...new Set(result.frontiers.map((f) => f.goal))];
  return goals.map((goal) => {
    const mine = result.frontiers.filter((f) => f.goal === goal);
    const perDay = Object.fromEntries(mine.map((f) => [f.layer, f.perDay]));
    const tutorial = perDay["tutorial rule"];
    const suite = perDay.suite;
    const spec = goalSpec(goal);
    return {
      goal,
      title: spec.title,
      unit: spec.unit,
      budget: spec.budget,
      perDay,
      rounds: Object.fromEntries(mine.map((f) => [f.layer, f.rounds])),
      suiteVsTutorial: tutorial === undefined || suite === undefined ? null : suite === 0 ? Infinity : tutorial / suite,
    };
  });
}

/**
 * Returns an amount in its goal's unit, short: bytes in decimal units, counts with separators.
 * @example
 * formatAmount("exfiltrate", 18_608_649) // => "18.6 MB"
 */
export function formatAmount(goal: AttackerGoal, amount: number): string {
  return goal === "exfiltrate" ? formatBytes(amount) : count(amount);
}

/** Returns a ratio in words: "1,960×", "∞ (nothing got through)". */
function ratioText(ratio: number | null): string {
  if (ratio === null) return "–";
  if (!Number.isFinite(ratio)) return "∞ (nothing got through)";
  return `${ratio >= 10 ? Math.round(ratio).toLocaleString("en-US") : ratio.toFixed(1)}×`;
}

/**
 * Returns the frontiers as a table for the terminal, with the background's false alerts.
 * @example
 * formatRedTeam(redTeam({ goals: ["guess"], rounds: 8 }))
 * // => "…\nGOAL   UNIT             BUDGET/DAY  tutorial rule  window rules  baselines  model  suite  SUITE VS TUTORIAL\n
 * //     guess  passwords tried     100,000        100,000           220    100,000     87      8            12,500×\n…"
 */
export function formatRedTeam(result: RedTeamResult): string {
  const rows = frontierRows(result);
  const layers = [...new Set(result.frontiers.map((f) => f.layer))];
  const head = ["GOAL", "UNIT", "BUDGET/DAY", ...layers, "SUITE VS TUTORIAL"];
  const body = rows.map((r) => [r.goal, r.unit, formatAmount(r.goal, r.budget), ...layers.map((l) => formatAmount(r.goal, r.perDay[l])), ratioText(r.suiteVsTutorial)]);
  const widths = head.map((h, k) => Math.max(h.length, ...body.map((b) => b[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k < 2 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join("  ").trimEnd();
  const noise = result.noise.map((n) => `${n.layer} ${n.perThousandUserDays.toLocaleString("en-US", { maximumFractionDigits: 1 })}`).join(" · ");
  return [
    `The most an adaptive attacker did in a day without a single alert (seed ${result.seed}, ${result.feedback}, ${Math.max(...result.frontiers.map((f) => f.rounds))} rounds at most per goal and layer):`,
    line(head),
    ...body.map(line),
    `False alerts per 1,000 users per day on the background (${result.background.users} users, ${result.background.days} days, ${result.background.events.toLocaleString("en-US")} events, no attacks): ${noise}`,
  ].join("\n");
}

/**
 * Returns one row per goal and layer: the frontier in its unit, the round that found it, the
 * rounds played and the rules that saw the attempts above it, most often first.
 * @example
 * frontierFrame(redTeam({ goals: ["guess"], rounds: 8 })).columns
 * // => ["goal", "layer", "frontier a day", "unit", "found in round", "rounds", "seen by"]
 */
export function frontierFrame(result: RedTeamResult): DataFrame {
  const f = result.frontiers;
  return pl.DataFrame({
    goal: f.map((x) => x.goal),
    layer: f.map((x) => x.layer),
    "frontier a day": f.map((x) => formatAmount(x.goal, x.perDay)),
    unit: f.map((x) => x.unit),
    "found in round": f.map((x) => x.foundInRound),
    rounds: f.map((x) => x.rounds),
    "seen by": f.map((x) => x.stoppedBy.join(", ") || "nothing"),
  }).withColumns(pl.col("found in round").cast(pl.Int32), pl.col("rounds").cast(pl.Int32));
}

/**
 * Returns each layer's alerts on the background alone (every one a false alert), and per 1,000
 * users a day.
 * @example
 * noiseFrame(redTeam({ goals: ["guess"], rounds: 1 })).row(4) // => ["suite", 6, 11.1]
 */
export function noiseFrame(result: RedTeamResult): DataFrame {
  return pl.DataFrame({
    layer: result.noise.map((n) => n.layer),
    "false alerts": result.noise.map((n) => n.alerts),
    "per 1,000 users a day": result.noise.map((n) => Math.round(n.perThousandUserDays * 10) / 10),
  }).withColumns(pl.col("false alerts").cast(pl.Int32));
}
