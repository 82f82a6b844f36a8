/**
 * What the adaptive attacker (redteam.ts) wants, and how it goes about it: for each goal a budget,
 * a unit of achievement, the shape of a campaign it may vary (rate aside: sources, accounts, hours
 * of day, timing jitter, transfer sizes, ports) and the events a campaign of that shape writes.
 * The attacker knows what an intruder would know: the accounts' names and, for the account it
 * took over, that machine's address and country; never the defenders' thresholds.
 */
import { checkInteger, invalidOption } from "../errors";
import type { Rng } from "../shared/rng";
import { DAY_MS, HOUR_MS } from "../time";
import { ATTACKER_COUNTRIES as SCENARIO_ATTACKER_COUNTRIES, COMMON_ACCOUNTS } from "../generate/campaigns";

/** The attacker's goals. */
export const ATTACKER_GOALS = ["guess", "exfiltrate", "map", "new_place"] as const;

/** One of {@link ATTACKER_GOALS}. */
export type AttackerGoal = (typeof ATTACKER_GOALS)[number];

/**
 * How a campaign is delivered, whatever its size. Each goal varies some of these and ignores the
 * rest.
 */
export interface CampaignShape {
  /** Source addresses (guess, new_place), outside destinations (exfiltrate) or inside footholds (map). */
  readonly sources: number;
  /** Accounts tried (guess). */
  readonly accounts: number;
  /** Hours of the day the attacker is active, from `startHour` (UTC). */
  readonly hours: number;
  readonly startHour: number;
  /** 0: actions evenly spaced; 1: at random moments of the active hours. */
  readonly jitter: number;
  /** Bytes per transfer (exfiltrate). */
  readonly size: number;
  /** Ports tried on each host (map). */
  readonly ports: number;
}

/** The range of one shape parameter the search may explore. */
export interface ShapeRange {
  readonly min: number;
  readonly max: number;
  /** Varied by factors (sources, sizes) rather than by steps (hours, jitter). */
  readonly scale: "log" | "linear";
  readonly integer: boolean;
}

/** What the attacker knows about the place it attacks. */
export interface Target {
  /** Every account name seen in the logs. */
  readonly accounts: readonly string[];
  /** The account the attacker took over (exfiltrate, map), with its machine's address and country. */
  readonly insider: { readonly user: string; readonly ip: string; readonly country: string };
  /** The machines of other accounts (footholds for map), by address. */
  readonly hosts: readonly string[];
  /** The countries the accounts have been used from (a new place is none of these). */
  readonly countries: readonly string[];
  /** Epoch ms of the campaign's day (00:00 UTC). */
  readonly day: number;
}

/** One event of a campaign, in the background's columns. */
export interface CampaignEvent {
  readonly timestamp: number;
  readonly user_id: string | null;
  readonly log_type: string;
  readonly ip_address: string;
  readonly location: string;
  readonly bytes_transferred: number;
  readonly country: string;
  readonly destination: string | null;
  readonly destination_port: number | null;
  readonly outcome: string | null;
}

/** A goal: its unit, budget, the shape a naive attacker starts with, what it may vary, and its events. */
export interface GoalSpec {
  readonly goal: AttackerGoal;
  readonly title: string;
  /** What one unit of achievement is, e.g. "passwords tried". */
  readonly unit: string;
  /** The most a day the attacker can do (its budget of actions), and the least worth doing. */
  readonly budget: number;
  readonly minimum: number;
  /** Achievement counts whole things (accounts), not amounts. */
  readonly integer: boolean;
  /** How a naive, machine-speed attacker goes about it. */
  readonly naive: CampaignShape;
  /** The parameters the search varies, with their ranges. */
  readonly vary: Readonly<Partial<Record<keyof CampaignShape, ShapeRange>>>;
  /** Returns the events of one day's campaign of `amount` units in `shape`. */
  events(amount: number, shape: CampaignShape, target: Target, rng: Rng): CampaignEvent[];
}

/** The most events one campaign may write: bigger campaigns send bigger transfers or fewer probes per event. */
export const MAX_CAMPAIGN_EVENTS = 200_000;

/** The scenario's attacker countries and two more, so that a new place is left for every account. */
const ATTACKER_COUNTRIES = [...SCENARIO_ATTACKER_COUNTRIES, "KP", "IR"];

const BASE: CampaignShape = { sources: 1, accounts: 1, hours: 24, startHour: 0, jitter: 0, size: 1e9, ports: 1 };

/** Returns `n` moments of the campaign's day inside its active hours: evenly spaced, or jittered. */
export function campaignTimes(n: number, shape: CampaignShape, day: number, rng: Rng): number[] {
  const span = shape.hours * HOUR_MS;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const even = ((i + 0.5) / n) * span;
    const random = rng.float() * span;
    const offset = (1 - shape.jitter) * even + shape.jitter * random;
    times.push(day + ((shape.startHour * HOUR_MS + offset) % DAY_MS));
  }
  return times.sort((a, b) => a - b);
}

/** Returns a deterministic outside address for the i-th attacker source (documentation-like ranges, not real attribution). */
function attackerIp(i: number): string {
  return `${[45, 77, 91, 103, 141, 185][i % 6]}.${(i * 37) % 256}.${Math.floor(i / 7) % 256}.${(i % 250) + 2}`;
}

function event(timestamp: number, fields: Partial<CampaignEvent> & Pick<CampaignEvent, "log_type" | "ip_address" | "country">): CampaignEvent {
  return { user_id: null, location: "remote", bytes_transferred: 0, destination: null, destination_port: null, outcome: null, ...fields, timestamp };
}

const range = (min: number, max: number, scale: "log" | "linear", integer = true): ShapeRange => ({ min, max, scale, integer });
const HOURS = { hours: range(1, 24, "linear"), startHour: range(0, 23, "linear"), jitter: range(0, 1, "linear", false) };

/** The four goals. */
export const GOALS: Readonly<Record<AttackerGoal, GoalSpec>> = {
  guess: {
    goal: "guess",
    title: "guess passwords for many accounts",
    unit: "passwords tried",
    budget: 100_000,
    minimum: 1,
    integer: true,
    naive: { ...BASE, hours: 1, startHour: 2, accounts: 10 },
    vary: { sources: range(1, 2_000, "log"), accounts: range(1, 1_000, "log"), ...HOURS },
    events(amount, shape, target, rng) {
      const names = [...target.accounts, ...COMMON_ACCOUNTS];
      const n = Math.min(Math.round(amount), MAX_CAMPAIGN_EVENTS);
      const accounts = Math.min(shape.accounts, names.length);
      return campaignTimes(n, shape, target.day, rng).map((t, i) => {
        const source = i % shape.sources;
        return event(t, { user_id: names[i % accounts], log_type: "login_failed", ip_address: attackerIp(source), country: ATTACKER_COUNTRIES[source % ATTACKER_COUNTRIES.length], outcome: "failure" });
      });
    },
  },
  exfiltrate: {
    goal: "exfiltrate",
    title: "take data out",
    unit: "bytes out",
    budget: 100e9,
    minimum: 1e6,
    integer: false,
    naive: { ...BASE, hours: 1, startHour: 2, size: 100e9 },
    vary: { sources: range(1, 200, "log"), size: range(1e5, 1e11, "log", false), ...HOURS },
    events(amount, shape, target, rng) {
      const count = Math.max(1, Math.min(Math.ceil(amount / shape.size), MAX_CAMPAIGN_EVENTS));
      const each = Math.round(amount / count);
      const { user, ip, country } = target.insider;
      return campaignTimes(count, shape, target.day, rng).map((t, i) =>
        event(t, { user_id: user, log_type: "network_traffic", ip_address: ip, country, location: "office", bytes_transferred: each, destination: attackerIp(1_000 + (i % shape.sources)) }),
      );
    },
  },
  map: {
    goal: "map",
    title: "map the network",
    unit: "hosts mapped",
    budget: 65_536,
    minimum: 1,
    integer: true,
    naive: { ...BASE, hours: 1, startHour: 2, ports: 3 },
    vary: { sources: range(1, 50, "log"), ports: range(1, 20, "linear"), ...HOURS },
    events(amount, shape, target, rng) {
      const hosts = Math.round(amount);
      const ports = [445, 22, 3389, 80, 443, 135, 139, 5985, 1433, 3306, 8080, 21, 23, 25, 53, 110, 143, 389, 636, 5900].slice(0, shape.ports);
      const n = Math.min(hosts * ports.length, MAX_CAMPAIGN_EVENTS);
      const footholds = [target.insider.ip, ...target.hosts.filter((h) => h !== target.insider.ip)].slice(0, Math.max(1, shape.sources));
      return campaignTimes(n, shape, target.day, rng).map((t, i) => {
        const host = Math.floor(i / ports.length) % hosts;
        return event(t, {
          log_type: "network_traffic",
          ip_address: footholds[host % footholds.length],
          country: target.insider.country,
          location: "office",
          bytes_transferred: 60,
          destination: `10.${100 + (host >> 16)}.${(host >> 8) & 255}.${host & 255}`,
          destination_port: ports[i % ports.length],
          outcome: i % 17 === 0 ? "success" : "failure",
        });
      });
    },
  },
  new_place: {
    goal: "new_place",
    title: "log in from a new place",
    unit: "accounts used from a new country",
    budget: 1_000,
    minimum: 1,
    integer: true,
    naive: { ...BASE, hours: 1, startHour: 2 },
    vary: { sources: range(1, 200, "log"), ...HOURS },
    events(amount, shape, target, rng) {
      const accounts = target.accounts.slice(0, Math.min(Math.round(amount), target.accounts.length));
      const places = ATTACKER_COUNTRIES.filter((c) => !target.countries.includes(c));
      return campaignTimes(accounts.length, shape, target.day, rng).map((t, i) => {
        const source = i % shape.sources;
        return event(t, { user_id: accounts[i], log_type: "login_success", ip_address: attackerIp(500 + source), country: places[source % places.length], outcome: "success" });
      });
    },
  },
};

/**
 * Returns the goal of a name, or throws naming the goals.
 * @example
 * goalSpec("guess").unit // => "passwords tried"
 */
export function goalSpec(goal: string): GoalSpec {
  if (!(ATTACKER_GOALS as readonly string[]).includes(goal)) throw invalidOption("goal", goal, `one of ${ATTACKER_GOALS.join(", ")}`);
  return GOALS[goal as AttackerGoal];
}

/**
 * Returns a shape with one varied parameter moved at random within its range: mostly a step
 * (a factor up to 8, or up to a third of the range), sometimes a jump anywhere in it.
 * @example
 * mutateShape(GOALS.map.naive, GOALS.map.vary, createRng(1)) // => the naive shape with one of sources, ports, hours, startHour, jitter changed
 */
export function mutateShape(shape: CampaignShape, vary: GoalSpec["vary"], rng: Rng): CampaignShape {
  const keys = Object.keys(vary) as (keyof CampaignShape)[];
  checkInteger("parameters to vary", keys.length, 1);
  const key = keys[rng.below(keys.length)];
  return { ...shape, [key]: moved(shape[key], vary[key]!, rng, rng.float() < 0.3) };
}

/**
 * Returns a shape with every varied parameter drawn anywhere in its range: the attacker's next try
 * when every campaign so far was seen, however small.
 * @example
 * randomShape(GOALS.exfiltrate.naive, GOALS.exfiltrate.vary, createRng(1)).size // => somewhere from 100 kB to 100 GB
 */
export function randomShape(shape: CampaignShape, vary: GoalSpec["vary"], rng: Rng): CampaignShape {
  const out: Record<string, number> = { ...shape };
  for (const key of Object.keys(vary) as (keyof CampaignShape)[]) out[key] = moved(shape[key], vary[key]!, rng, true);
  return out as unknown as CampaignShape;
}

function moved(from: number, r: ShapeRange, rng: Rng, jump: boolean): number {
  let value: number;
  if (jump) {
    // Now and then a jump anywhere in the range, so that a far-off shape is found in few rounds.
    const u = rng.float();
    value = r.scale === "log" ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min))) : r.min + u * (r.max - r.min);
  } else if (r.scale === "log") {
    const factor = Math.exp((rng.float() * 2 - 1) * Math.log(8));
    value = from * factor;
  } else {
    value = from + (rng.float() * 2 - 1) * (r.max - r.min) * 0.35;
  }
  value = Math.min(r.max, Math.max(r.min, value));
  return r.integer ? Math.round(value) : value;
}
