/**
 * Normal activity: every user, every day, following their habits, with the everyday noise a
 * detector has to live with (stray events at odd hours, late evenings, password typos, business
 * trips, large internal backups).
 */
import { LOCATIONS, LOG_TYPES, type LogType } from "../schema";
import { DAY_MS, HOUR_MS } from "../time";
import { integer, logNormal, normal, pick, poisson, uniform, weightedIndex } from "./draw";
import { CODES, type EventBuilder } from "./event-builder";
import type { UserHabits } from "./habits";
import type { Rng } from "../shared/rng";

/** Options for background activity; every one is also an option of `generateScenario`. */
export interface BackgroundOptions {
  /** Chance that an event falls at a random hour instead of the working day. Default `0.04`. */
  strayRate?: number;
  /** Chance that a user works 1–3 hours late on a given day. Default `0.03`. */
  overtimeRate?: number;
  /** Share of users who travel abroad for 3–6 days (legitimately). Default `0.01`. */
  travelRate?: number;
  /** Chance per user and day of a large backup to an internal server (0.5–3 GB). Default `0.002`. */
  backupRate?: number;
}

/** Share of each log type in normal activity (login failures are password typos). */
export const BACKGROUND_LOG_TYPES: readonly [LogType, number][] = [
  ["login_success", 0.04], ["login_failed", 0.006], ["file_access", 0.38], ["system_call", 0.32], ["network_traffic", 0.254],
];

/** Internal servers that normal network traffic goes to, and SaaS addresses it sometimes reaches. */
export function serverPools(rng: Rng): { internal: string[]; external: string[]; backup: string } {
  const internal = Array.from({ length: 24 }, (_, i) => `10.200.${Math.floor(i / 8)}.${10 + (i % 8)}`);
  const external = Array.from({ length: 40 }, () => `${pick(rng, [13, 20, 34, 52, 104, 142])}.${rng.below(256)}.${rng.below(256)}.${integer(rng, 1, 254)}`);
  return { internal, external, backup: "10.200.9.9" };
}

const TRAVEL_COUNTRIES = ["JP", "SG", "BR", "GB", "DE", "US", "FR"];
const FLIGHT_MS = 12 * HOUR_MS;

/** Returns true when the UTC day starting at `dayStart` is a Saturday or Sunday. */
export function isWeekend(dayStart: number): boolean {
  const day = new Date(dayStart).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * Adds normal activity for every user and day to `out` and returns the users who travelled (and
 * where and when), which the scenario reports as known benign noise.
 */
export function addBackground(
  out: EventBuilder,
  users: readonly UserHabits[],
  start: number,
  days: number,
  rng: Rng,
  options: BackgroundOptions = {},
): { user: string; country: string; from: number; to: number }[] {
  const { strayRate = 0.04, overtimeRate = 0.03, travelRate = 0.01, backupRate = 0.002 } = options;
  const servers = serverPools(rng);
  const typeWeights = BACKGROUND_LOG_TYPES.map((t) => t[1]);
  const typeCodes = BACKGROUND_LOG_TYPES.map((t) => CODES.logType.get(t[0])!);
  const trips: { user: string; country: string; from: number; to: number }[] = [];
  const normalThreat = CODES.threat.get("normal")!;
  const officeCode = CODES.location.get("office")!;
  const homeCode = CODES.location.get("home")!;

  for (const user of users) {
    const userCode = out.users.code(user.name);
    const ipCodes = user.ips.map((ip) => out.ips.code(ip));
    const homeCountry = out.countries.code(user.country);
    const habitual = CODES.location.get(user.location)!;
    let trip: { country: number; ip: number; from: number; to: number } | undefined;
    if (rng.float() < travelRate) {
      const firstDay = integer(rng, 1, Math.max(1, days - 7));
      const country = pick(rng, TRAVEL_COUNTRIES.filter((c) => c !== user.country));
      const from = start + firstDay * DAY_MS;
      const to = from + integer(rng, 3, 6) * DAY_MS;
      const ip = `${integer(rng, 60, 220)}.${rng.below(256)}.${rng.below(256)}.${integer(rng, 1, 254)}`;
      trip = { country: out.countries.code(country), ip: out.ips.code(ip), from, to };
      trips.push({ user: user.name, country, from, to });
    }
    for (let day = 0; day < days; day++) {
      const dayStart = start + day * DAY_MS;
      const rate = user.dailyRate * (isWeekend(dayStart) && !user.aroundTheClock ? user.weekendFactor : 1);
      const n = poisson(rng, rate);
      const length = user.aroundTheClock ? 24 : user.shiftLength + (rng.float() < overtimeRate ? uniform(rng, 1, 3) : 0);
      // A rotating shift moves by 8 hours each week; a service account's day starts at midnight.
      const shiftStart = user.aroundTheClock ? 0 : user.rotating ? (user.shiftStart + 8 * Math.floor(day / 7)) % 24 : user.shiftStart;
      out.reserve(n + 1);
      for (let k = 0; k < n; k++) {
        const stray = rng.float() < strayRate;
        const hours = stray ? uniform(rng, 0, 24) : shiftStart + uniform(rng, 0, length);
        const time = dayStart + Math.floor(hours * HOUR_MS / 1000) * 1000;
        // A traveller is offline for the half day before each leg of a trip: the flight.
        if (trip && ((time >= trip.from - FLIGHT_MS && time < trip.from) || (time >= trip.to - FLIGHT_MS && time < trip.to))) continue;
        const i = out.length++;
        const away = trip !== undefined && time >= trip.from && time < trip.to;
        const type = typeCodes[weightedIndex(rng, typeWeights)];
        out.time[i] = time;
        out.user[i] = userCode;
        out.logType[i] = type;
        out.ip[i] = away ? trip!.ip : ipCodes[weightedIndex(rng, user.ipWeights)];
        out.location[i] = away ? CODES.location.get("remote")! : user.roams ? CODES.location.get(pick(rng, LOCATIONS))! : rng.float() < 0.85 ? habitual : rng.float() < 0.5 ? officeCode : homeCode;
        out.country[i] = away ? trip!.country : homeCountry;
        out.threat[i] = normalThreat;
        out.attackId[i] = 0;
        out.technique[i] = 0;
        const name = LOG_TYPES[type];
        if (name === "network_traffic") {
          out.bytes[i] = Math.round(logNormal(rng, user.bytesMedian * 4, 1.1));
          out.destination[i] = out.destinations.code(rng.float() < 0.96 ? pick(rng, servers.internal) : pick(rng, servers.external));
        } else {
          out.bytes[i] = Math.round(
            name === "file_access" ? logNormal(rng, user.bytesMedian, 1) : name === "system_call" ? logNormal(rng, 2_000, 0.8) : uniform(rng, 200, 2_000),
          );
          out.destination[i] = 0;
        }
      }
      if (rng.float() < backupRate) {
        const i = out.length++;
        out.time[i] = dayStart + Math.floor((user.shiftStart + user.shiftLength + Math.abs(normal(rng, 0, 1))) * HOUR_MS);
        out.user[i] = userCode;
        out.logType[i] = CODES.logType.get("network_traffic")!;
        out.ip[i] = ipCodes[0];
        out.location[i] = habitual;
        out.country[i] = homeCountry;
        out.bytes[i] = Math.round(uniform(rng, 0.5e9, 3e9));
        out.destination[i] = out.destinations.code(servers.backup);
        out.threat[i] = normalThreat;
        out.attackId[i] = 0;
        out.technique[i] = 0;
      }
    }
  }
  return trips;
}
