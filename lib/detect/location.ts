/**
 * Where an account is used from (ATT&CK T1078, valid accounts): a country — or, without one, a
 * location — the account has never been used from, and travel between two logins faster than
 * any airliner.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { countryByCode, distanceKm } from "../shared/geo";
import { DAY_MS, HOUR_MS, isoUtc } from "../time";
import { type Detection, formatDuration } from "./detection";
import { collectEvents, detectorView, type Events, lazyEvents, timeSpan, valueCount } from "./events";
import { type Rule, withDefaults } from "./rule";
import { count } from "./words";

/** Options of {@link detectUnusualLocation}. */
export interface UnusualLocationOptions {
  /** Days from a user's first event during which places are learned, not alerted on; `learningShare` of the log's span where that is shorter. Default `7`. */
  learningDays?: number;
  /** The share of a short log's span that is learned before places speak. Default `0.25`: a capture of four days learns for one. */
  learningShare?: number;
  /** A user needs at least this many earlier events for a place to count as new. Default `20`. */
  minHistory?: number;
  /**
   * A place that at least this share of the other users (and at least two of them) are seen at is
   * the population's own, not news: "home" or "office" in a population that moves between them, or
   * the country half the staff work from. Default `0.2`.
   */
  commonShare?: number;
}

/** Events that show an account in use: everything but failed logins. */
const ACCOUNT_USE = ["login_success", "file_access", "system_call", "network_traffic"] as const;

/** The defaults of {@link UnusualLocationOptions} and {@link ImpossibleTravelOptions}. */
const UNUSUAL_LOCATION_DEFAULTS = { learningDays: 7, learningShare: 0.25, minHistory: 20, commonShare: 0.2 };
const IMPOSSIBLE_TRAVEL_DEFAULTS = { maxSpeedKmh: 1000, minDistanceKm: 500 };

/** The ATT&CK technique of the location rules. */
export const LOCATION_TECHNIQUE = "T1078";

/**
 * Returns a detection for the first use of each account from a place (the `country` column, or
 * the tutorial's `location` when that has no values) it was never used from before, once the
 * account has `learningDays` of history. The detection covers that place's events in the next 24 h.
 * @example
 * detectUnusualLocation(logs)[0].evidence // => { new: "RO", known: ["US"], source_ip: "91.4.7.200", … }
 */
export function detectUnusualLocation(frame: Events, options: UnusualLocationOptions = {}): Detection[] {
  const { learningDays, learningShare, minHistory, commonShare } = withDefaults(UNUSUAL_LOCATION_DEFAULTS, options);
  checkNumber("learningShare", learningShare, 0, 1);
  checkNumber("commonShare", commonShare, 0, 1);
  checkNumber("learningDays", learningDays, 0, 3650);
  checkInteger("minHistory", minHistory, 0, 1e9);
  const view = detectorView(frame);
  // A country column without values (events ingested from Parquet that has none) is no place.
  const place = valueCount(view, "country") > 0 ? "country" : "location";
  if (!view.columns.includes(place)) return [];
  // A failed login from abroad says where an attacker is, not where the account was used.
  // Events in file order ("order" breaks ties of time); each step below reduces them to a small
  // table, so the rule works the same on a frame and, in batches, on a file bigger than memory.
  const events = lazyEvents(view)
    .filter(pl.col(place).isNotNull().and(pl.col("log_type").neq(pl.lit("login_failed"))).and(pl.col("user_id").isNotNull()))
    .select(
      pl.col("user_id").cast(pl.Utf8).alias("user"),
      pl.col(place).cast(pl.Utf8).alias("place"),
      pl.col("timestamp").cast(pl.Int64).alias("t"),
      pl.col("ip_address").cast(pl.Utf8).alias("ip"),
    )
    .withRowIndex("order");
  // Each (user, place) pair: its first use (earliest time, then earliest in the file) and from where…
  const firstTime = collectEvents(view, events.groupBy(["user", "place"]).agg(pl.col("t").min().alias("first")));
  const firstUse = collectEvents(
    view,
    events
      .join(firstTime.lazy(), { on: ["user", "place"] })
      .filter(pl.col("t").eq(pl.col("first")))
      .groupBy(["user", "place"])
      .agg(pl.col("first").first().alias("first"), pl.col("order").min().alias("first_order"), pl.col("ip").sortBy("order").first().alias("ip")),
  );
  // …how many of the user's events came before it…
  const earlier = collectEvents(
    view,
    events
      .select("user", "t", "order")
      .join(firstUse.lazy().select("user", "place", "first", "first_order"), { on: "user" })
      .filter(pl.col("t").lt(pl.col("first")).or(pl.col("t").eq(pl.col("first")).and(pl.col("order").lt(pl.col("first_order")))))
      .groupBy(["user", "place"])
      .agg(pl.len().cast(pl.Int64).alias("before")),
  );
  // …and when the user was first seen at all.
  const firsts = firstUse
    .join(earlier, { on: ["user", "place"], how: "left" })
    .withColumns(pl.col("before").fillNull(0), pl.col("first").min().over("user").alias("since"))
    .select("user", "place", "first", "ip", "before", "since", "first_order")
    .sort(["user", "first", "first_order"]);
  const known = new Map<string, string[]>();
  // How many users are seen at each place: a place most of the population uses is no news.
  const users = new Set<string>();
  const placeUsers = new Map<string, number>();
  for (const [user, place] of firsts.select("user", "place").rows() as [string, string][]) {
    users.add(user);
    placeUsers.set(place, (placeUsers.get(place) ?? 0) + 1);
  }
  // A short capture cannot wait a week: it learns for a quarter of its length at most.
  const span = timeSpan(view);
  const learnMs = Math.min(learningDays * DAY_MS, span ? (span.to - span.from) * learningShare : Infinity);
  const found: { user: string; place: string; first: number; ip: string; before: number; seen: string[]; others: number }[] = [];
  for (const [user, newPlace, first, ip, before, since] of firsts.rows() as [string, string, number, string, number, number][]) {
    const seen = known.get(user) ?? [];
    known.set(user, [...seen, newPlace]);
    const others = (placeUsers.get(newPlace) ?? 1) - 1;
    const common = others >= 2 && others >= commonShare * (users.size - 1);
    if (Number(first) >= Number(since) + learnMs && Number(before) >= minHistory && !common) {
      found.push({ user, place: newPlace, first: Number(first), ip, before: Number(before), seen, others });
    }
  }
  if (found.length === 0) return [];
  // The new place's events in the 24 h after its first use, for every finding at once.
  const windows = collectEvents(
    view,
    events
      .join(pl.DataFrame({ user: found.map((f) => f.user), place: found.map((f) => f.place), since: found.map((f) => f.first) }).lazy(), { on: ["user", "place"] })
      .filter(pl.col("t").ltEq(pl.col("since").add(DAY_MS)))
      .groupBy(["user", "place"])
      .agg(pl.len().alias("n"), pl.col("t").max().alias("last")),
  );
  const extent = new Map((windows.rows() as [string, string, number, number][]).map(([u, p, n, last]) => [`${u}\u0000${p}`, { n: Number(n), last: Number(last) }]));
  return found.map(({ user, place: newPlace, first: start, ip, before, seen, others }) => {
    const { n, last } = extent.get(`${user}\u0000${newPlace}`) ?? { n: 1, last: start };
    return {
      rule: "unusual_location" as const,
      technique: LOCATION_TECHNIQUE,
      entity: { type: "user", value: user },
      start,
      end: last,
      eventCount: n,
      score: 1 + Math.log10(1 + before),
      observed: 1,
      expected: 0,
      measure: `uses from a ${place} new to the account`,
      window: `first use, then ${formatDuration(DAY_MS)}`,
      evidence: { new: newPlace, known: [...seen].sort(), source_ip: ip, events_before: before, field: place, other_users_there: others, users: users.size },
      logTypes: ACCOUNT_USE,
    };
  });
}

/** Options of {@link detectImpossibleTravel}. */
export interface ImpossibleTravelOptions {
  /**
   * Travel faster than this (km/h, between country centroids) is impossible. Default `1000`,
   * above an airliner's ~900 km/h, as the impossible-travel rules of identity products assume.
   */
  maxSpeedKmh?: number;
  /** Ignore moves shorter than this, where centroids say little. Default `500` km. */
  minDistanceKm?: number;
}

/**
 * Returns a detection for every pair of consecutive events of one account, from two countries,
 * that would need travel faster than `maxSpeedKmh`. Needs a `country` column of ISO codes.
 * @example
 * detectImpossibleTravel(logs)[0].evidence // => { from: "US", to: "JP", distance_km: 9756, speed_kmh: 18600, … }
 */
export function detectImpossibleTravel(frame: Events, options: ImpossibleTravelOptions = {}): Detection[] {
  const { maxSpeedKmh, minDistanceKm } = withDefaults(IMPOSSIBLE_TRAVEL_DEFAULTS, options);
  checkNumber("maxSpeedKmh", maxSpeedKmh, 1, 1e6);
  checkNumber("minDistanceKm", minDistanceKm, 0, 40_000);
  const view = detectorView(frame);
  if (!view.columns.includes("country")) return [];
  const moves = collectEvents(
    view,
    lazyEvents(view)
      .filter(pl.col("country").isNotNull().and(pl.col("log_type").neq(pl.lit("login_failed"))))
      .select(
        pl.col("user_id").cast(pl.Utf8).alias("user"),
        pl.col("country").cast(pl.Utf8).alias("country"),
        pl.col("timestamp").cast(pl.Int64).alias("t"),
        pl.col("ip_address").cast(pl.Utf8).alias("ip"),
      )
      .sort(["user", "t"])
      .withColumns(
        pl.col("country").shift(1).over("user").alias("prev_country"),
        pl.col("t").shift(1).over("user").alias("prev_t"),
        pl.col("ip").shift(1).over("user").alias("prev_ip"),
      )
      .filter(pl.col("prev_country").isNotNull().and(pl.col("country").neq(pl.col("prev_country")))),
  );
  const detections: Detection[] = [];
  for (const [user, to, t, ip, from, prevT, prevIp] of moves.rows() as [string, string, number, string, string, number, string][]) {
    const km = distanceKm(from, to);
    if (km === undefined || km < minDistanceKm) continue;
    const hours = Math.max(Number(t) - Number(prevT), 60_000) / HOUR_MS;
    const speed = km / hours;
    if (speed <= maxSpeedKmh) continue;
    detections.push({
      rule: "impossible_travel",
      technique: LOCATION_TECHNIQUE,
      entity: { type: "user", value: user },
      start: Number(prevT),
      end: Number(t),
      eventCount: 2,
      score: speed / maxSpeedKmh,
      observed: Math.round(speed),
      expected: maxSpeedKmh,
      measure: "km/h between consecutive events",
      window: "consecutive events",
      logTypes: ACCOUNT_USE,
      evidence: {
        from,
        to,
        from_name: countryByCode(from)?.name,
        to_name: countryByCode(to)?.name,
        distance_km: Math.round(km),
        minutes_apart: Math.round((Number(t) - Number(prevT)) / 60_000),
        speed_kmh: Math.round(speed),
        from_ip: prevIp,
        to_ip: ip,
        at: isoUtc(Number(t)),
      },
    });
  }
  return detections;
}

/** What an unusual-location detection holds. */
export type UnusualLocationEvidence = {
  new: string; known: string[]; source_ip: string | null; events_before: number; field: string;
  /** How many other users are seen at the new place, of how many users. */
  other_users_there?: number; users?: number;
};

/** A place new to the account, once the account has a history. */
export const unusualLocation: Rule<"unusual_location", UnusualLocationOptions, UnusualLocationEvidence> = {
  name: "unusual_location", title: "Place new to the account", family: "baseline", technique: LOCATION_TECHNIQUE, severity: "medium",
  requires: ["timestamp", "user_id", "log_type"], needsValues: ["user_id"], defaults: UNUSUAL_LOCATION_DEFAULTS,
  explain: (o) =>
    `first use of an account from a country (or location) new to it, once the account has ${o.learningDays} days (${Math.round(Number(o.learningShare) * 100)}% of a shorter log) and ${o.minHistory} events of history; ` +
    `not where ≥ ${Math.round(Number(o.commonShare) * 100)}% of the other users are seen (the population's own places)`,
  basis: 'identity-protection "unfamiliar location"',
  detect: detectUnusualLocation,
  summarize: (d) =>
    `${d.entity.value} was used from ${d.evidence.new} for the first time (known: ${d.evidence.known.join(", ") || "none"}), from ${d.evidence.source_ip}` +
    (d.evidence.users !== undefined ? `; ${d.evidence.other_users_there ? `${d.evidence.other_users_there} of` : "none of"} the other ${d.evidence.users - 1} users are seen there` : ""),
};

/** What an impossible-travel detection holds. */
export type ImpossibleTravelEvidence = {
  from: string; to: string; from_name?: string; to_name?: string; distance_km: number; minutes_apart: number; speed_kmh: number;
  from_ip: string | null; to_ip: string | null; at: string;
};

/** Impossible travel: two countries too far apart for the time between them. */
export const impossibleTravel: Rule<"impossible_travel", ImpossibleTravelOptions, ImpossibleTravelEvidence> = {
  name: "impossible_travel", title: "Impossible travel", family: "baseline", technique: LOCATION_TECHNIQUE, severity: "high",
  requires: ["timestamp", "user_id", "log_type", "country"], needsValues: ["user_id", "country"], defaults: IMPOSSIBLE_TRAVEL_DEFAULTS,
  perEntity: () => pl.col("user_id").cast(pl.Utf8),
  explain: (o) => `consecutive uses of an account from countries ≥ ${o.minDistanceKm} km apart, too far for the time between them (> ${o.maxSpeedKmh} km/h)`,
  basis: 'identity-protection "impossible travel"',
  detect: detectImpossibleTravel,
  summarize: (d) =>
    `${d.entity.value} was in ${d.evidence.from} then ${d.evidence.to} ${formatDuration(Math.max(d.end - d.start, 1000))} later: ${count(d.evidence.distance_km)} km at ${count(d.evidence.speed_kmh)} km/h`,
};
