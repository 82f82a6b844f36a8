/**
 * The tutorial's `create_sample_logs`, column-wise and seeded.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { LOCATIONS, LOG_TYPES, THREAT_LEVELS } from "../schema";
import { DAY_MS, HOUR_MS, toEpochMs } from "../time";
import { createRng, type Rng } from "../shared/rng";
import { decodeCodes, ipv4Names } from "./categorical";

/** Options of {@link generateLogs} and {@link createLogGenerator}. */
export interface GenerateLogsOptions {
  /** How many rows (the tutorial's `num_logs`). Default `1000`. */
  rows?: number;
  /** Seed of every random choice: the same seed gives the same frame. Default `42`. */
  seed?: number;
  /**
   * The earliest timestamp, read as UTC: a `Date`, a text such as `"2025-01-01"` or
   * `"2025-01-01 08:00:00"`, or `"now"` for the tutorial's "now − days" (to the whole second, which
   * makes the output change from run to run). Default `"2025-01-01 00:00:00"`, fixed so that the
   * same seed gives the same data on any day.
   */
  start?: Date | string;
  /** Length of the period: each timestamp is start + a whole number of hours in 0..days×24. Default `30`. */
  days?: number;
  /** How many accounts, named `user_1` … `user_N`. Default `100`. */
  users?: number;
  /** Chance that a row's `threat_level` is one of the four threats rather than `normal`. Default `0.05`. */
  threatRate?: number;
}

/** Returns the options that are set: an explicit `undefined` keeps the default, as with destructuring defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Default first timestamp of generated data. */
export const DEFAULT_START = "2025-01-01 00:00:00";

/** Makes consecutive chunks of one generated data set; see {@link createLogGenerator}. */
export interface LogGenerator {
  /** Returns the next `rows` rows. Chunks of 300 and 700 rows equal one call for 1000. */
  next(rows: number): DataFrame;
}

/** The smallest and largest `bytes_transferred`, both possible (numpy's `randint(100, 1000001)`). */
export const BYTES_MIN = 100;
export const BYTES_MAX = 1_000_000;

/**
 * The generator's defaults, as in the tutorial: every choice uniform, timestamps at start + a whole
 * number of hours up to `days` later, bytes from `bytesMin` to `bytesMax`, a threat label with
 * chance `threatRate`. Notebook 2 shows this object rather than quoting its numbers.
 * @example
 * GENERATE_DEFAULTS.threatRate // => 0.05
 */
export const GENERATE_DEFAULTS = { seed: 42, start: DEFAULT_START, days: 30, users: 100, threatRate: 0.05, bytesMin: BYTES_MIN, bytesMax: BYTES_MAX } as const;

/**
 * Returns a generator of tutorial-style logs that can be drawn in chunks, for data sets too big to
 * build in one piece. Each column draws from its own seeded stream, so chunking does not change
 * the values.
 * @example
 * createLogGenerator({ seed: 42 }).next(300).height // => 300
 */
export function createLogGenerator(options: Omit<GenerateLogsOptions, "rows"> = {}): LogGenerator {
  const { seed, start, days, users, threatRate } = { ...GENERATE_DEFAULTS, ...definedOnly(options) };
  checkInteger("seed", seed, 0);
  checkInteger("days", days, 1, 36_500);
  checkInteger("users", users, 1, 10_000_000);
  checkNumber("threatRate", threatRate, 0, 1);
  const startMs =
    start === "now"
      ? Math.floor(Date.now() / 1000) * 1000 - days * DAY_MS
      : Math.floor(toEpochMs("start", start) / 1000) * 1000;
  const userNames = Array.from({ length: users }, (_, i) => `user_${i + 1}`);
  const rng = (column: string): Rng => createRng(seed, column);
  const streams = {
    timestamp: rng("timestamp"),
    user_id: rng("user_id"),
    log_type: rng("log_type"),
    ip_address: rng("ip_address"),
    location: rng("location"),
    bytes_transferred: rng("bytes_transferred"),
    threat_level: rng("threat_level"),
  };
  const hourChoices = days * 24 + 1;

  return {
    next(rows: number): DataFrame {
      checkInteger("rows", rows, 0, 2 ** 31 - 1);
      const timestamp = new Float64Array(rows);
      const user = new Uint32Array(rows);
      const logType = new Uint32Array(rows);
      const ip = new Uint32Array(rows);
      const location = new Uint32Array(rows);
      const bytes = new Int32Array(rows);
      const threat = new Uint32Array(rows);
      // One loop per column: each stream advances on its own, and the tight loops stay monomorphic.
      const { timestamp: ts, user_id: us, log_type: lt, ip_address: ipr, location: lo, bytes_transferred: by, threat_level: th } = streams;
      for (let i = 0; i < rows; i++) timestamp[i] = startMs + ts.below(hourChoices) * HOUR_MS;
      for (let i = 0; i < rows; i++) user[i] = us.below(users);
      for (let i = 0; i < rows; i++) logType[i] = lt.below(LOG_TYPES.length);
      for (let i = 0; i < rows; i++) ip[i] = ipr.below(255) * 255 + ipr.below(255);
      for (let i = 0; i < rows; i++) location[i] = lo.below(LOCATIONS.length);
      for (let i = 0; i < rows; i++) bytes[i] = BYTES_MIN + by.below(BYTES_MAX - BYTES_MIN + 1);
      for (let i = 0; i < rows; i++) {
        threat[i] = th.float() < threatRate ? 1 + th.below(THREAT_LEVELS.length - 1) : 0;
      }
      return pl
        .DataFrame([
          pl.Series("timestamp", timestamp),
          pl.Series("user_id", user),
          pl.Series("log_type", logType),
          pl.Series("ip_address", ip),
          pl.Series("location", location),
          pl.Series("bytes_transferred", bytes),
          pl.Series("threat_level", threat),
        ])
        .select(
          pl.col("timestamp").cast(pl.Int64).cast(pl.Datetime("ms")),
          decodeCodes("user_id", userNames),
          decodeCodes("log_type", LOG_TYPES),
          decodeCodes("ip_address", ipv4Names()),
          decodeCodes("location", LOCATIONS),
          pl.col("bytes_transferred").cast(pl.Int64),
          decodeCodes("threat_level", THREAT_LEVELS),
        );
    },
  };
}

/**
 * Returns a polars DataFrame of sample security logs with the tutorial's seven columns, value sets
 * and distributions: uniform users, log types, locations, `192.168.<1..255>.<1..255>` addresses and
 * bytes in 100..1,000,000; `threat_level` is `normal` except with chance `threatRate`, then one of
 * the four threats. The same options give the same frame.
 * @example
 * generateLogs({ rows: 3, seed: 7 }).toRecords()
 * // [{ timestamp: 2025-01-21T15:00:00.000Z, user_id: "user_20", log_type: "network_traffic",
 * //    ip_address: "192.168.237.149", location: "remote", bytes_transferred: 983116, threat_level: "normal" },
 * //  { timestamp: 2025-01-19T07:00:00.000Z, user_id: "user_10", log_type: "system_call", …, threat_level: "brute_force" },
 * //  …]
 */
export function generateLogs(options: GenerateLogsOptions = {}): DataFrame {
  const { rows = 1000, ...rest } = options;
  return createLogGenerator(rest).next(rows);
}
