/**
 * Collects generated events column by column in growable typed arrays, with text columns kept as
 * dictionary codes, and turns them into one polars DataFrame at the end. This is what lets the
 * scenario generator make a million events without a million JS objects.
 */
import pl, { type DataFrame, type Expr } from "nodejs-polars";
import { LOCATIONS, LOG_TYPES, THREAT_LEVELS, type Location, type LogType, type ThreatLevel } from "../schema";

/** Maps text values to small integer codes; code 0 stands for a missing value (null). */
export class Dictionary {
  readonly values: string[] = [""];
  private readonly codes = new Map<string, number>();

  /** Returns the code of `value`, adding it on first sight; `null` gives 0. */
  code(value: string | null): number {
    if (value === null) return 0;
    let found = this.codes.get(value);
    if (found === undefined) {
      found = this.values.length;
      this.values.push(value);
      this.codes.set(value, found);
    }
    return found;
  }

  /** Returns an expression decoding column `name` from codes to text, code 0 to null. */
  decode(name: string): Expr {
    const values = [null, ...this.values.slice(1)] as unknown as string[];
    return pl.col(name).replaceStrict(this.values.map((_, i) => i), values).cast(pl.Utf8).alias(name);
  }
}

/** One event, as the generators describe it. */
export interface EventFields {
  time: number;
  user: string;
  logType: LogType;
  ip: string;
  location: Location;
  bytes: number;
  country: string;
  destination: string | null;
  threat: ThreatLevel;
  attackId: string | null;
  technique: string | null;
}

const LOG_TYPE_CODE = new Map<string, number>(LOG_TYPES.map((t, i) => [t, i]));
const LOCATION_CODE = new Map<string, number>(LOCATIONS.map((t, i) => [t, i]));
const THREAT_CODE = new Map<string, number>(THREAT_LEVELS.map((t, i) => [t, i]));

/** The codes of the fixed vocabularies, for generators that fill columns directly. */
export const CODES = { logType: LOG_TYPE_CODE, location: LOCATION_CODE, threat: THREAT_CODE };

/** Growable columns of events; see the module comment. */
export class EventBuilder {
  readonly users = new Dictionary();
  readonly ips = new Dictionary();
  readonly countries = new Dictionary();
  readonly destinations = new Dictionary();
  readonly attackIds = new Dictionary();
  readonly techniques = new Dictionary();
  length = 0;
  time: Float64Array;
  user: Uint32Array;
  logType: Uint8Array;
  ip: Uint32Array;
  location: Uint8Array;
  bytes: Float64Array;
  country: Uint16Array;
  destination: Uint32Array;
  threat: Uint8Array;
  attackId: Uint16Array;
  technique: Uint8Array;

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.time = new Float64Array(n);
    this.user = new Uint32Array(n);
    this.logType = new Uint8Array(n);
    this.ip = new Uint32Array(n);
    this.location = new Uint8Array(n);
    this.bytes = new Float64Array(n);
    this.country = new Uint16Array(n);
    this.destination = new Uint32Array(n);
    this.threat = new Uint8Array(n);
    this.attackId = new Uint16Array(n);
    this.technique = new Uint8Array(n);
  }

  /** Makes room for `extra` more events. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.time.length) return;
    const size = Math.max(need, this.time.length * 2);
    const grow = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.time = grow(this.time);
    this.user = grow(this.user);
    this.logType = grow(this.logType);
    this.ip = grow(this.ip);
    this.location = grow(this.location);
    this.bytes = grow(this.bytes);
    this.country = grow(this.country);
    this.destination = grow(this.destination);
    this.threat = grow(this.threat);
    this.attackId = grow(this.attackId);
    this.technique = grow(this.technique);
  }

  /** Appends one event. */
  push(e: EventFields): void {
    this.reserve(1);
    const i = this.length++;
    this.time[i] = e.time;
    this.user[i] = this.users.code(e.user);
    this.logType[i] = LOG_TYPE_CODE.get(e.logType)!;
    this.ip[i] = this.ips.code(e.ip);
    this.location[i] = LOCATION_CODE.get(e.location)!;
    this.bytes[i] = Math.max(0, Math.round(e.bytes));
    this.country[i] = this.countries.code(e.country);
    this.destination[i] = this.destinations.code(e.destination);
    this.threat[i] = THREAT_CODE.get(e.threat)!;
    this.attackId[i] = this.attackIds.code(e.attackId);
    this.technique[i] = this.techniques.code(e.technique);
  }

  /**
   * Returns the events as a DataFrame sorted by time (stable, so equal times keep their order):
   * the tutorial's seven columns, then `country` and `destination`, then the label columns
   * `attack_id` and `technique`.
   */
  toFrame(): DataFrame {
    const n = this.length;
    const codes = pl.DataFrame([
      pl.Series("timestamp", this.time.subarray(0, n)),
      pl.Series("user_id", this.user.subarray(0, n)),
      pl.Series("log_type", Uint32Array.from(this.logType.subarray(0, n))),
      pl.Series("ip_address", this.ip.subarray(0, n)),
      pl.Series("location", Uint32Array.from(this.location.subarray(0, n))),
      pl.Series("bytes_transferred", this.bytes.subarray(0, n)),
      pl.Series("threat_level", Uint32Array.from(this.threat.subarray(0, n))),
      pl.Series("country", Uint32Array.from(this.country.subarray(0, n))),
      pl.Series("destination", this.destination.subarray(0, n)),
      pl.Series("attack_id", Uint32Array.from(this.attackId.subarray(0, n))),
      pl.Series("technique", Uint32Array.from(this.technique.subarray(0, n))),
    ]);
    const fixed = (name: string, values: readonly string[]): Expr =>
      pl.col(name).replaceStrict(values.map((_, i) => i), [...values]).alias(name);
    return codes
      .sort({ by: "timestamp", maintainOrder: true })
      .select(
        pl.col("timestamp").cast(pl.Int64).cast(pl.Datetime("ms")),
        this.users.decode("user_id"),
        fixed("log_type", LOG_TYPES),
        this.ips.decode("ip_address"),
        fixed("location", LOCATIONS),
        pl.col("bytes_transferred").cast(pl.Int64),
        fixed("threat_level", THREAT_LEVELS),
        this.countries.decode("country"),
        this.destinations.decode("destination"),
        this.attackIds.decode("attack_id"),
        this.techniques.decode("technique"),
      );
  }
}
