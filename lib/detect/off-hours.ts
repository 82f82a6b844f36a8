/**
 * Off-hours activity (ATT&CK T1078, valid accounts used by someone else): an account busy at an
 * hour of day it is normally never active, judged against its own hour-of-day profile.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { HOUR_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { actorEntity, actorExpr, collectEvents, detectorView, type Events, lazyEvents, MIN_PEER_ACCOUNTS, sharedStrings } from "./events";
import { windowStartExpr } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count } from "./words";

/** Options of {@link detectOffHours}. */
export interface OffHoursOptions {
  /**
   * Events in a sliding hour that count as real activity, not a stray event. Default `20`: the
   * absolute floor. Activity sustained over two hours counts from 1.5 times as many (30): a burst
   * of 33 events from 23:17 to 01:04 never holds 20 in one hour.
   */
  minEvents?: number;
  /** A user's usual hours are the shortest run of clock hours holding this share of their activity. Default `0.9`. */
  coverage?: number;
  /**
   * An hour is off-hours when it lies more than this many hours outside the usual run. Default `3`,
   * so that working late (an hour or three after the usual end) is not off-hours.
   */
  marginHours?: number;
  /**
   * Users with fewer events than this (outside the 24 hours judged) have no profile of their own.
   * Default `30`: at 30 events, the run holding 90 % of them leaves three outside it.
   */
  minHistory?: number;
  /**
   * …or active on fewer other days than this. Default `2`: one day says little about a person's
   * hours (a day-long capture judged against one other day fired on a source busy around the
   * clock), and the population cannot stand in for it where some people work nights.
   */
  minDays?: number;
  /**
   * Until then, an account with at least one other day is judged against its peers: an hour more
   * than `marginHours` outside what little it has shown, in which the rest of the population does
   * less than this share of its work. Default `0.02` (half an even share of 1/24): in a capture of
   * a day or two, a burst at 3 a.m. while everyone else is idle is still news.
   */
  quietShare?: number;
}

/** A user's usual working hours: `length` clock hours from `start` (UTC), wrapping past midnight. */
export interface UsualHours {
  readonly start: number;
  readonly length: number;
  /** Share of the user's events that fall in those hours. */
  readonly share: number;
}

/**
 * Returns the shortest run of consecutive clock hours (wrapping at midnight) that holds at least
 * `coverage` of the events counted in `perHour` (24 counts, hour 0 first).
 * @example
 * usualHours([0,0,0,0,0,0,0,0,10,10,10,10,10,10,10,10,10,0,0,0,0,0,0,1], 0.9)
 * // => { start: 8, length: 9, share: 0.989… }   (90 of 91 events)
 */
export function usualHours(perHour: readonly number[], coverage: number): UsualHours {
  const total = perHour.reduce((a, b) => a + b, 0);
  let best: UsualHours = { start: 0, length: 24, share: 1 };
  if (total === 0) return best;
  for (let length = 1; length <= 24; length++) {
    for (let start = 0; start < 24; start++) {
      let sum = 0;
      for (let k = 0; k < length; k++) sum += perHour[(start + k) % 24];
      if (sum / total >= coverage && (length < best.length || (length === best.length && sum / total > best.share))) {
        best = { start, length, share: sum / total };
      }
    }
    if (best.length === length) return best;
  }
  return best;
}

/** Returns how many hours clock hour `hour` lies outside the run `usual` (0 when inside). */
export function hoursOutside(hour: number, usual: UsualHours): number {
  const after = (hour - usual.start + 24) % 24;
  if (after < usual.length) return 0;
  return Math.min(after - usual.length + 1, 24 - after);
}

/** The ATT&CK technique of {@link detectOffHours}. */
export const OFF_HOURS_TECHNIQUE = "T1078";

/** Returns each user's events per clock hour (24 counts). */
export function hourProfiles(frame: Events): Map<string, number[]> {
  return profilesBy(frame, false);
}

/**
 * Returns the events that show an account at work: all but failed logins, which are whoever tried
 * the account (an attacker guessing at 3 a.m. says nothing of the owner's hours).
 */
function accountUse(view: Events) {
  const all = lazyEvents(view);
  return view.columns.includes("log_type") ? all.filter(pl.col("log_type").neq(pl.lit("login_failed")).fillNull(true)) : all;
}

/** Returns 24 hourly counts per user, of the account's use only when `onlyUse`. */
function profilesBy(frame: Events, onlyUse: boolean): Map<string, number[]> {
  const view = detectorView(frame);
  const counts = collectEvents(
    view,
    (onlyUse ? accountUse(view) : lazyEvents(view))
      .select(actorExpr().alias("user"), pl.col("timestamp").dt.hour().cast(pl.Int32).alias("hour"))
      .groupBy(["user", "hour"])
      .agg(pl.len().alias("n")),
  );
  // Column by column: millions of (user, hour) counts as rows would be millions of arrays.
  const users = sharedStrings(counts.getColumn("user"));
  const hours = counts.getColumn("hour").toArray() as number[];
  const ns = counts.getColumn("n").cast(pl.Float64).toArray() as number[];
  const profiles = new Map<string, number[]>();
  for (let i = 0; i < users.length; i++) {
    const key = users[i] as string;
    let profile = profiles.get(key);
    if (!profile) profiles.set(key, (profile = new Array<number>(24).fill(0)));
    profile[hours[i]] = ns[i];
  }
  return profiles;
}

const pad = (h: number): string => `${String(h % 24).padStart(2, "0")}:00`;

/** Returns `"08:00–17:00"` for a run of usual hours. */
export function describeHours(usual: UsualHours): string {
  return `${pad(usual.start)}–${pad(usual.start + usual.length)}`;
}

/** Activity sustained for two hours counts from this many times `minEvents` (30 in two hours by default). */
const SUSTAINED = 1.5;

/** Returns the most of the sorted times `ts` that fall within any `width` ms. */
function slidingPeak(ts: readonly number[], width: number): number {
  let peak = 0;
  for (let hi = 0, lo = 0; hi < ts.length; hi++) {
    while (ts[hi] - ts[lo] >= width) lo++;
    peak = Math.max(peak, hi - lo + 1);
  }
  return peak;
}

/** The defaults of {@link OffHoursOptions}. */
const OFF_HOURS_DEFAULTS = { minEvents: 20, coverage: 0.9, marginHours: 3, minHistory: 30, minDays: 2, quietShare: 0.02 };

/**
 * Returns a detection for every run of hours in which a user had at least `minEvents` events in a
 * sliding hour (or 1.5 times as many in two), at hours more than `marginHours` outside the user's
 * usual hours: the shortest run of clock hours holding `coverage` of their activity outside the 24
 * hours judged, so that a night of attack that runs past midnight cannot make itself usual.
 * Consecutive such hours form one detection. A user needs `minHistory` events on at least
 * `minDays` other days, and a whole day watched outside the 24 hours judged, first; one busy around
 * the clock has usual hours that span nearly the whole day, so no hour lies outside them.
 * @example
 * detectOffHours(logs)[0].evidence // => { usual_hours: "08:00–17:00", hours_outside: 7, … }
 */
export function detectOffHours(frame: Events, options: OffHoursOptions = {}): Detection[] {
  const { minEvents, coverage, marginHours, minHistory, minDays, quietShare } = withDefaults(OFF_HOURS_DEFAULTS, options);
  checkNumber("quietShare", quietShare, 0, 1);
  checkInteger("minDays", minDays, 0, 1e6);
  checkInteger("minEvents", minEvents, 1, 1e9);
  checkNumber("coverage", coverage, 0.5, 1);
  checkInteger("marginHours", marginHours, 0, 11);
  checkInteger("minHistory", minHistory, 0, 1e9);
  const profiles = profilesBy(frame, true);
  const view = detectorView(frame);
  const busy = collectEvents(
    view,
    accountUse(view)
      .select(actorExpr().alias("user"), pl.col("timestamp").cast(pl.Int64).alias("t"))
      .filter(pl.col("user").isNotNull())
      .withColumns(windowStartExpr(pl.col("t"), HOUR_MS).alias("h"))
      .groupBy(["user", "h"])
      .agg(pl.len().alias("n"), pl.col("t").min().alias("first"), pl.col("t").max().alias("last"))
      // Half the threshold per clock hour: a burst across an hour's edge can still fill a sliding hour.
      .filter(pl.col("n").gtEq(Math.ceil(minEvents / 2)))
      .sort(["user", "h"]),
  );
  const detections: Detection[] = [];
  type Run = { user: string; h: number; first: number; last: number; events: number; peak: number; twoHourPeak?: number; outside: number; usual: UsualHours; history: number; days: number; peers?: number };
  let open: Run | undefined;
  const runs: Run[] = [];
  const close = (): void => {
    if (open) runs.push(open);
    open = undefined;
  };
  const report = (run: Run): void => {
    // In one hour, or sustained over two.
    const hourly = run.peak >= minEvents;
    detections.push({
      rule: "off_hours",
      technique: OFF_HOURS_TECHNIQUE,
      entity: actorEntity(run.user),
      start: run.first,
      end: run.last,
      eventCount: run.events,
      score: Math.max(run.peak / minEvents, (run.twoHourPeak ?? 0) / (SUSTAINED * minEvents)) + run.outside / 12,
      observed: hourly ? run.peak : run.twoHourPeak ?? 0,
      expected: hourly ? minEvents : SUSTAINED * minEvents,
      measure: hourly ? "events in one hour outside usual hours" : "events in two hours outside usual hours",
      window: hourly ? "1 h sliding" : "2 h sliding",
      evidence: {
        usual_hours: describeHours(run.usual),
        usual_share: Number(run.usual.share.toFixed(3)),
        hours_outside: run.outside,
        events: run.events,
        history_events: run.history,
        history_days: run.days,
        ...(run.peers === undefined ? {} : { population_share: Number(run.peers.toFixed(4)) }),
      },
    });
  };
  // The account's history is everything outside the 24 hours around the hour judged, so that a long
  // night of attack cannot make itself usual, not even when it runs past midnight into the next day.
  const candidates = [...new Set(busy.getColumn("user").toArray() as string[])];
  const hourIndex = pl.col("timestamp").cast(pl.Int64).div(pl.lit(HOUR_MS).cast(pl.Int64)).floor().cast(pl.Int64).alias("hour");
  const hourlyRows = candidates.length === 0 ? [] : (collectEvents(
    view,
    accountUse(view).select(actorExpr().alias("user"), hourIndex).filter(pl.col("user").isIn(candidates)).groupBy(["user", "hour"]).agg(pl.len().alias("n")),
  ).rows() as [string, number, number][]);
  const hourly = new Map<string, Map<number, number>>();
  const dayTotals = new Map<string, Map<number, number>>();
  // The first and last hour each account was seen in.
  const seen = new Map<string, { first: number; last: number }>();
  for (const [user, hour, n] of hourlyRows) {
    (hourly.get(user) ?? hourly.set(user, new Map()).get(user)!).set(Number(hour), Number(n));
    const span = seen.get(user) ?? seen.set(user, { first: Number(hour), last: Number(hour) }).get(user)!;
    span.first = Math.min(span.first, Number(hour));
    span.last = Math.max(span.last, Number(hour));
    const days = dayTotals.get(user) ?? dayTotals.set(user, new Map()).get(user)!;
    const day = Math.floor(Number(hour) / 24);
    days.set(day, (days.get(day) ?? 0) + Number(n));
  }
  // The whole population's activity per clock hour, for accounts too new to have hours of their own.
  // The 24 hours judged are left out, as they are from the account's own profile: a night of several
  // attacks at once must not make that night look busy.
  // Accounts only: addresses seen in a capture (the Internet's scanners among them) are no peer group.
  const isAccount = (actor: string): boolean => actorEntity(actor).type === "user";
  const population = new Array<number>(24).fill(0);
  let accounts = 0;
  for (const [actor, p] of profiles) {
    if (!isAccount(actor)) continue;
    accounts++;
    p.forEach((c, hour) => (population[hour] += c));
  }
  const populationHourly = new Map<number, number>();
  if (candidates.length > 0 && view.columns.includes("user_id")) {
    const rows = collectEvents(view, accountUse(view).filter(pl.col("user_id").isNotNull()).select(hourIndex).groupBy("hour").agg(pl.len().alias("n"))).rows();
    for (const [hour, n] of rows as [number, number][]) populationHourly.set(Number(hour), Number(n));
  }
  /** Returns the 24 hourly counts (by clock hour) of `counts` in the hours `from` … `from + 23`. */
  const windowOf = (counts: ReadonlyMap<number, number> | undefined, from: number): number[] => {
    const inside = new Array<number>(24).fill(0);
    for (let k = 0; k < 24; k++) inside[(((from + k) % 24) + 24) % 24] = counts?.get(from + k) ?? 0;
    return inside;
  };
  const total = (counts: readonly number[]): number => counts.reduce((a, b) => a + b, 0);
  for (const [user, h, n, first, last] of busy.rows() as [string, number, number, number, number][]) {
    const whole = profiles.get(user);
    if (!whole) continue;
    const from = Number(h) / HOUR_MS - 12;
    const own = hourly.get(user);
    const profile = windowOf(own, from).map((c, hour) => whole[hour] - c);
    // Days with activity outside those 24 hours (the window touches two calendar days).
    const days = dayTotals.get(user) ?? new Map<number, number>();
    let otherDays = days.size;
    for (const day of new Set([Math.floor(from / 24), Math.floor((from + 23) / 24)])) {
      let inside = 0;
      for (let k = 0; k < 24; k++) if (Math.floor((from + k) / 24) === day) inside += own?.get(from + k) ?? 0;
      if (inside > 0 && inside === days.get(day)) otherDays--;
    }
    // Hours the account was watched outside the 24 judged, at least a whole day: the "other days" at
    // the edges of a capture a day and a half long are fragments (8 hours of a honeypot's capture
    // read as two days made its busiest hours "usual" and the rest of its day "off-hours").
    const { first: firstHour, last: lastHour } = seen.get(user) ?? { first: from, last: from };
    const watched = Math.max(0, from - firstHour) + Math.max(0, lastHour + 1 - (from + 24));
    const hour = (((Number(h) / HOUR_MS) % 24) + 24) % 24;
    const history = total(profile);
    let peers: number | undefined;
    if (history < minHistory || otherDays < minDays || watched < 24) {
      // Too new to judge alone: judge with the population, if the account has shown any day at all.
      if (otherDays < 1 || !isAccount(user) || accounts < MIN_PEER_ACCOUNTS) continue;
      // Everyone else, outside the 24 hours judged.
      const thatDay = windowOf(populationHourly, from);
      const others = population.map((c, k) => c - thatDay[k] - profile[k]);
      peers = total(others) > 0 ? others[hour] / total(others) : 1;
      if (peers >= quietShare) continue;
    }
    const usual = usualHours(profile, coverage);
    const outside = hoursOutside(hour, usual);
    if (outside <= marginHours) continue;
    if (open && open.user === user && Number(h) === open.h + HOUR_MS) {
      open.h = Number(h);
      open.last = Number(last);
      open.events += Number(n);
      open.peak = Math.max(open.peak, Number(n));
      open.outside = Math.max(open.outside, outside);
    } else {
      close();
      open = { user, h: Number(h), first: Number(first), last: Number(last), events: Number(n), peak: Number(n), outside, usual, history, days: otherDays, peers };
    }
  }
  close();
  // The busiest sliding hour of each run, from the events themselves.
  if (runs.length > 0) {
    const times = collectEvents(
      view,
      accountUse(view)
        .select(actorExpr().alias("user"), pl.col("timestamp").cast(pl.Int64).alias("t"))
        .filter(pl.col("user").isIn([...new Set(runs.map((r) => r.user))]))
        .sort("t"),
    );
    const byUser = new Map<string, number[]>();
    const users = sharedStrings(times.getColumn("user"));
    const ts = times.getColumn("t").toArray().map(Number);
    users.forEach((u, i) => (byUser.get(u!) ?? byUser.set(u!, []).get(u!)!).push(ts[i]));
    const clockHour = (t: number): number => (((Math.floor(t / HOUR_MS) % 24) + 24) % 24);
    const outsideAt = (t: number, run: Run): boolean => hoursOutside(clockHour(t), run.usual) > marginHours;
    for (const run of runs) {
      // The run's hours, and the hour on either side when that too lies outside the usual hours: a
      // burst need not start on the hour.
      let from = run.first - (run.first % HOUR_MS);
      let to = run.h + HOUR_MS;
      if (outsideAt(from - HOUR_MS, run)) from -= HOUR_MS;
      if (outsideAt(to, run)) to += HOUR_MS;
      const inRun = (byUser.get(run.user) ?? []).filter((t) => t >= from && t < to);
      const hourPeak = slidingPeak(inRun, HOUR_MS);
      const twoHourPeak = slidingPeak(inRun, 2 * HOUR_MS);
      if (hourPeak >= minEvents || twoHourPeak >= SUSTAINED * minEvents) {
        report({ ...run, peak: hourPeak, twoHourPeak, events: inRun.length, first: inRun[0], last: inRun[inRun.length - 1] });
      }
    }
  }
  return detections;
}

/** What an off-hours detection holds. */
export type OffHoursEvidence = {
  usual_hours: string; usual_share: number; hours_outside: number; events: number; history_events: number; history_days?: number;
  /** For an account too new to judge alone: the share of the rest of the population's activity in that clock hour. */
  population_share?: number;
};

/** Activity outside the account's usual hours. */
export const offHours: Rule<"off_hours", OffHoursOptions, OffHoursEvidence> = {
  name: "off_hours", title: "Activity outside usual hours", family: "baseline", technique: "T1078", severity: "low",
  requires: ["timestamp", "user_id"], needsValues: [], defaults: OFF_HOURS_DEFAULTS,
  explain: (o) => `≥ ${o.minEvents} events in a sliding hour (or ${SUSTAINED * Number(o.minEvents)} in two) more than ${o.marginHours} h outside the account's usual hours (the shortest run holding ${Math.round((o.coverage ?? 0) * 100)}% of its activity outside the 24 hours judged), once it has ${o.minHistory} events of history on ${o.minDays} other days and was watched for a whole day outside them; before that, only in an hour holding < ${Number(o.quietShare) * 100}% of the other accounts' activity (from ${MIN_PEER_ACCOUNTS} accounts)`,
  basis: "per-user hour-of-day profile",
  detect: detectOffHours,
  summarize: (d) =>
    `${d.entity.value} was active for ${formatDuration(Math.max(d.end - d.start, 1000))} (${count(d.eventCount)} events) ${d.evidence.hours_outside} h outside their usual hours ${d.evidence.usual_hours} UTC` +
    (d.evidence.history_days ? ` (learned from ${count(d.evidence.history_days)} other days)` : "") +
    (d.evidence.population_share !== undefined ? `, an hour in which the rest of the population does ${Number((d.evidence.population_share * 100).toFixed(1))}% of its work` : ""),
};
