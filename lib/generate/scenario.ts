/**
 * Scenarios: weeks of normal activity by users with habits, with labelled attack campaigns
 * injected. The labels (`threat_level`, `attack_id`, `technique`) are ground truth for
 * evaluation; detectors never read them.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { checkInteger, checkNumber, invalidOption } from "../errors";
import { quantileLinear } from "../shared/quantile";
import { toEpochMs } from "../time";
import { addBackground, type BackgroundOptions } from "./background";
import { addCampaign, CAMPAIGN_KINDS, type Campaign, type CampaignKind } from "./campaigns";
import { EventBuilder } from "./event-builder";
import { drawUsers, type HabitVariety, UNIFORM_HABITS } from "./habits";
import { createRng } from "../shared/rng";

/** Options of {@link generateScenario}. */
export interface ScenarioOptions extends BackgroundOptions {
  /** Seed of every random choice. Default `42`. */
  seed?: number;
  /** Length in days. Default `30`. */
  days?: number;
  /** Number of accounts, `user_1` … `user_N`. Default `200`. */
  users?: number;
  /** First day, UTC. Default `"2025-01-06"` (a Monday, so weeks line up). */
  start?: Date | string;
  /** Mean events per user on a working day. Default `215` (about a million events for the default). */
  eventsPerUserDay?: number;
  /** How many campaigns of each kind. Default {@link DEFAULT_CAMPAIGNS}. */
  campaigns?: Partial<Record<CampaignKind, number>>;
  /** Days at the start with no attacks, for detectors to learn what normal looks like. Default `7`. */
  learningDays?: number;
  /** How varied the users' habits are (roaming, service accounts, shift workers). Default none: everyone keeps office hours at one place. */
  variety?: HabitVariety;
}

/** The campaign mix of the default scenario: 20 campaigns, about 0.5% of events. */
export const DEFAULT_CAMPAIGNS: Readonly<Record<CampaignKind, number>> = {
  brute_force: 3,
  password_spraying: 3,
  credential_stuffing: 2,
  low_and_slow_spraying: 2,
  unusual_location: 2,
  impossible_travel: 1,
  off_hours: 2,
  exfiltration: 1,
  staged_exfiltration: 2,
  reconnaissance: 2,
};

/** Named option sets: `default` (30 days, 200 users, ~1M events) and `small` (for tests and quick looks). */
export const SCENARIO_PRESETS: Readonly<Record<string, ScenarioOptions>> = {
  default: {},
  small: {
    days: 14,
    users: 40,
    eventsPerUserDay: 40,
    learningDays: 5,
    campaigns: Object.fromEntries(CAMPAIGN_KINDS.map((k) => [k, 1])) as Record<CampaignKind, number>,
  },
};

/** A generated scenario: the events and the ground truth about what was injected. */
export interface Scenario {
  /** Events sorted by time: the tutorial's columns, `country`, `destination`, and the labels. */
  events: DataFrame;
  /** Every injected campaign. */
  campaigns: Campaign[];
  /** Legitimate business trips in the background: known benign causes of location alerts. */
  trips: { user: string; country: string; from: number; to: number }[];
}

/**
 * Returns the options of a named preset, with `overrides` on top.
 * @example
 * scenarioPreset("small").users // => 40
 */
export function scenarioPreset(name: string, overrides: ScenarioOptions = {}): ScenarioOptions {
  const preset = SCENARIO_PRESETS[name];
  if (!preset) throw invalidOption("preset", name, `one of ${Object.keys(SCENARIO_PRESETS).join(", ")}`);
  return { ...preset, ...overrides };
}

/**
 * Returns a scenario: background activity with daily and weekly rhythm from users with habits
 * (working hours, home country and location, usual source addresses, typical transfer sizes),
 * and injected campaigns with ground truth. The same options give the same events.
 * @example
 * const { events, campaigns } = generateScenario(scenarioPreset("small"));
 * campaigns.map((c) => c.kind) // => ["brute_force", "password_spraying", …]
 */
export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const {
    seed = 42, days = 30, users: userCount = 200, start = "2025-01-06", eventsPerUserDay = 215,
    campaigns: mix = DEFAULT_CAMPAIGNS, learningDays = 7, variety = UNIFORM_HABITS, ...background
  } = options;
  checkInteger("seed", seed, 0);
  checkInteger("days", days, 2, 3_650);
  checkInteger("users", userCount, 2, 1_000_000);
  checkNumber("eventsPerUserDay", eventsPerUserDay, 0, 100_000);
  checkInteger("learningDays", learningDays, 0, days - 1);
  for (const [kind, count] of Object.entries(mix)) {
    if (!(CAMPAIGN_KINDS as readonly string[]).includes(kind)) throw invalidOption("campaigns", kind, `campaign kinds among ${CAMPAIGN_KINDS.join(", ")}`);
    checkInteger(`campaigns.${kind}`, count ?? 0, 0, 1_000);
  }
  const startMs = toEpochMs("start", start);

  for (const [kind, share] of Object.entries(variety)) checkNumber(`variety.${kind}`, share, 0, 1);
  const users = drawUsers(createRng(seed, "habits"), userCount, eventsPerUserDay, variety);
  const out = new EventBuilder(Math.ceil(userCount * days * eventsPerUserDay * 0.8));
  const trips = addBackground(out, users, startMs, days, createRng(seed, "background"), background);
  const p95Bytes = quantileLinear(out.bytes.subarray(0, out.length), 0.95) ?? 1_000_000;

  const campaigns: Campaign[] = [];
  const victims = new Set(trips.map((t) => t.user));
  for (const kind of CAMPAIGN_KINDS) {
    for (let n = 1; n <= (mix[kind] ?? 0); n++) {
      const id = `${kind}-${n}`;
      const ctx = { rng: createRng(seed, `campaign/${id}`), out, users, firstDay: learningDays, lastDay: days - 1, start: startMs, p95Bytes };
      campaigns.push(addCampaign(ctx, kind, id, victims));
    }
  }
  campaigns.sort((a, b) => a.start - b.start);
  return { events: out.toFrame(), campaigns, trips };
}

/** One piece of a scenario made in pieces: its events, and what its campaigns injected. */
export interface ScenarioPiece {
  readonly events: DataFrame;
  readonly campaigns: number;
  readonly attackEvents: number;
}

/**
 * Yields `pieces` scenarios of the same options, for a file bigger than memory: piece k has seed
 * `seed + k`, and its accounts and campaign ids end in `-k` (piece 0 keeps the plain names), so
 * the pieces are separate organisational units over the same days. Only the piece being yielded is
 * in memory. 10 pieces of 2,000 users make about 106M events.
 * @example
 * [...scenarioPieces(scenarioPreset("small"), 2)][1].events.getColumn("user_id").get(0) // => "user_17-1"
 */
export function* scenarioPieces(options: ScenarioOptions, pieces: number): Generator<ScenarioPiece> {
  checkInteger("pieces", pieces, 1, 100_000);
  const seed = options.seed ?? 42;
  for (let k = 0; k < pieces; k++) {
    const scenario = generateScenario({ ...options, seed: seed + k });
    const suffix = (column: string) => pl.when(pl.col(column).isNull()).then(pl.col(column)).otherwise(pl.concatString([pl.col(column), pl.lit(`-${k}`)], "")).alias(column);
    yield {
      events: k === 0 ? scenario.events : scenario.events.withColumns(suffix("user_id"), suffix("attack_id")),
      campaigns: scenario.campaigns.length,
      attackEvents: scenario.campaigns.reduce((n, c) => n + c.events, 0),
    };
  }
}
