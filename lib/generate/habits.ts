/**
 * Users with habits: when they work, where from, how much they transfer. Background activity in a
 * scenario follows these habits, which is what gives per-user baselines something to learn.
 */
import type { Location } from "../schema";
import { integer, logNormal, uniform, weightedIndex } from "./draw";
import type { Rng } from "../shared/rng";

/** One user's habits. Times are UTC hours. */
export interface UserHabits {
  readonly name: string;
  /** Start of the working day, 0 ≤ hours < 24. */
  readonly shiftStart: number;
  /** Length of the working day in hours. */
  readonly shiftLength: number;
  /** Share of a weekday's activity on Saturdays and Sundays. */
  readonly weekendFactor: number;
  /** Mean number of events on a working day. */
  readonly dailyRate: number;
  /** ISO country the user normally works from. */
  readonly country: string;
  /** The tutorial's location the user usually reports. */
  readonly location: Location;
  /** The user's usual source addresses, most used first. */
  readonly ips: readonly string[];
  /** Relative use of each address in `ips`. */
  readonly ipWeights: readonly number[];
  /** Median size of the user's file transfers in bytes. */
  readonly bytesMedian: number;
  /** Moves between the tutorial's locations from event to event (home, office, remote, data centre). */
  readonly roams?: boolean;
  /** A service account: busy every hour of every day, weekends too. */
  readonly aroundTheClock?: boolean;
  /** A shift worker whose shift moves by 8 hours every week. */
  readonly rotating?: boolean;
}

/** How varied a population's habits are: the share of users of each kind (0 for all: everyone keeps office hours). */
export interface HabitVariety {
  /** Users who move between the four locations. */
  readonly roaming: number;
  /** Service accounts busy around the clock. */
  readonly serviceAccounts: number;
  /** Shift workers on a rotating shift. */
  readonly shiftWorkers: number;
}

/** No variety: the habits of the default scenario. */
export const UNIFORM_HABITS: HabitVariety = { roaming: 0, serviceAccounts: 0, shiftWorkers: 0 };
/** The variety real populations have: a third roam, one in ten is a service account, one in ten works shifts. */
export const VARIED_HABITS: HabitVariety = { roaming: 0.35, serviceAccounts: 0.1, shiftWorkers: 0.1 };

/** Countries users work from, with their shares. */
export const HOME_COUNTRIES = [
  ["US", 0.62], ["GB", 0.1], ["DE", 0.08], ["FR", 0.05], ["IN", 0.06], ["CA", 0.05], ["AU", 0.04],
] as const;

const LOCATION_WEIGHTS: readonly [Location, number][] = [["office", 0.55], ["home", 0.3], ["remote", 0.1], ["data_center", 0.05]];

/**
 * Returns `count` users named `user_1` … with habits drawn from `rng`: mostly day shifts starting
 * 07:00–10:00 UTC, 7% night shifts, quiet weekends, two to four usual source addresses (an office
 * address in 10.0.0.0/8 and home or VPN addresses in 172.16.0.0/12). With `variety`, some roam
 * between locations, some are service accounts busy around the clock, some work rotating shifts
 * (a variety of all zeros draws exactly the users it draws without one).
 */
export function drawUsers(rng: Rng, count: number, eventsPerUserDay: number, variety: HabitVariety = UNIFORM_HABITS): UserHabits[] {
  const users: UserHabits[] = [];
  for (let i = 0; i < count; i++) {
    const night = rng.float() < 0.07;
    const ipCount = integer(rng, 2, 4);
    const ips = [`10.${integer(rng, 1, 60)}.${rng.below(256)}.${integer(rng, 2, 254)}`];
    while (ips.length < ipCount) ips.push(`172.${integer(rng, 16, 31)}.${rng.below(256)}.${integer(rng, 2, 254)}`);
    users.push({
      name: `user_${i + 1}`,
      shiftStart: night ? uniform(rng, 20, 23) : uniform(rng, 7, 10),
      shiftLength: uniform(rng, 8, 10),
      weekendFactor: uniform(rng, 0.03, 0.25),
      dailyRate: logNormal(rng, eventsPerUserDay, 0.35),
      country: HOME_COUNTRIES[weightedIndex(rng, HOME_COUNTRIES.map((c) => c[1]))][0],
      location: LOCATION_WEIGHTS[weightedIndex(rng, LOCATION_WEIGHTS.map((l) => l[1]))][0],
      ips,
      ipWeights: [0.6, 0.25, 0.1, 0.05].slice(0, ipCount),
      bytesMedian: logNormal(rng, 20_000, 0.6),
      // Drawn only where asked for, so that a population without variety is the one it always was.
      ...(variety.roaming > 0 && rng.float() < variety.roaming ? { roams: true } : {}),
      ...(variety.serviceAccounts > 0 && rng.float() < variety.serviceAccounts ? { aroundTheClock: true } : {}),
      ...(variety.shiftWorkers > 0 && rng.float() < variety.shiftWorkers ? { rotating: true } : {}),
    });
  }
  return users;
}
