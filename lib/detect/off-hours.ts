/**
 * Off-hours activity (ATT&CK T1078, valid accounts used by someone else): an account busy at an
 * hour of day it is normally never active, judged against its own hour-of-day profile.
 */
import pl from "nodejs-polars";
import { checkInteger, checkNumber } from "../errors";
import { DAY_MS, HOUR_MS } from "../time";
import { type Detection, formatDuration } from "./detection";
import { actorEntity, actorExpr, collectEvents, detectorView, type Events, lazyEvents, MIN_PEER_ACCOUNTS, sharedStrings } from "./events";
import { windowStartExpr } from "./windows";
import { type Rule, withDefaults } from "./rule";
import { count } from "./words";

/** Options of {@link detectOffHours}. */
export interface OffHoursOptions {
  /** Events in one clock hour that count as real activity, not a stray event. Default `20`: the absolute floor. */
  minEvents?: number;
  /** A user's usual hours are the shortest run of clock hours holding this share of their activity. Default `0.9`. */
  coverage?: number;
  /**
   * An hour is off-hours when it lies more than this many hours outside the usual run. Default `3`,
   * so that working late (an hour or three after the usual end) is not off-hours.
   */
  marginHours?: number;
  /** Users with fewer events than this have no profile and are skipped. Default `200`. */
  minHistory?: number;
  /**
   * …or active on fewer other days than this. Default `3`: one or two days say little about a
   * person's hours (a day-long capture judged against one other day fired on a source busy around
   * the clock).
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
  return profilesBy(frame, false, false);
}

/**
 * Returns the events that show an account at work: all but failed logins, which are whoever tried
 * the account (an attacker guessing at 3 a.m. says nothing of the owner's hours).
 */
function accountUse(view: Events) {
  const all = lazyEvents(view);
  return view.columns.includes("log_type") ? all.filter(pl.col("log_type").neq(pl.lit("login_failed")).fillNull(true)) : all;
}

/** Returns 24 hourly counts per user (`byDay` false) or per user and UTC day (`"user|dayStartMs"`), of the account's use only when `onlyUse`. */
function profilesBy(frame: Events, byDay: boolean, onlyUse: boolean): Map<string, number[]> {
  const view = detectorView(frame);
  const counts = collectEvents(
    view,
    (onlyUse ? accountUse(view) : lazyEvents(view))
      .select(
        actorExpr().alias("user"),
        pl.col("timestamp").dt.hour().cast(pl.Int32).alias("hour"),
        (byDay ? windowStartExpr(pl.col("timestamp").cast(pl.Int64), DAY_MS) : pl.lit(0)).alias("day"),
      )
      .groupBy(["user", "day", "hour"])
      .agg(pl.len().alias("n")),
  );
  // Column by column: millions of (user, day, hour) counts as rows would be millions of arrays.
  const users = sharedStrings(counts.getColumn("user"));
  const days = counts.getColumn("day").cast(pl.Float64).toArray() as number[];
  const hours = counts.getColumn("hour").toArray() as number[];
  const ns = counts.getColumn("n").cast(pl.Float64).toArray() as number[];
  const profiles = new Map<string, number[]>();
  for (let i = 0; i < users.length; i++) {
    const key = byDay ? `${users[i]}|${days[i]}` : (users[i] as string);
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

/** The defaults of {@link OffHoursOptions}. */
const OFF_HOURS_DEFAULTS = { minEvents: 20, coverage: 0.9, marginHours: 3, minHistory: 200, minDays: 3, quietShare: 0.02 };

/**
 * Returns a detection for every run of clock hours in which a user had at least `minEvents` events
 * per hour, at hours more than `marginHours` outside the user's usual hours (the shortest run of
 * hours holding `coverage` of their activity on all other days). Consecutive such hours form one
 * detection. A user needs `minHistory` events on at least `minDays` other days first; one busy
 * around the clock has usual hours that span nearly the whole day, so no hour lies outside them.
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
  const profiles = profilesBy(frame, false, true);
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
  let open: { user: string; h: number; first: number; last: number; events: number; peak: number; outside: number; usual: UsualHours; history: number; days: number; peers?: number } | undefined;
  const runs: NonNullable<typeof open>[] = [];
  const close = (): void => {
    if (open) runs.push(open);
    open = undefined;
  };
  const report = (run: NonNullable<typeof open>): void => {
    detections.push({
      rule: "off_hours",
      technique: OFF_HOURS_TECHNIQUE,
      entity: actorEntity(run.user),
      start: run.first,
      end: run.last,
      eventCount: run.events,
      score: run.peak / minEvents + run.outside / 12,
      observed: run.peak,
      expected: minEvents,
      measure: "events in one hour outside usual hours",
      window: "1 h sliding",
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
  const days = busy.height > 0 ? profilesBy(frame, true, true) : new Map<string, number[]>();
  // Days with any activity, per user.
  const activeDays = new Map<string, number>();
  for (const key of days.keys()) {
    const user = key.slice(0, key.lastIndexOf("|"));
    activeDays.set(user, (activeDays.get(user) ?? 0) + 1);
  }
  // The whole population's activity per clock hour, for accounts too new to have hours of their own.
  // The day being judged is left out, as it is from the account's own profile: a night of several
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
  const populationByDay = new Map<number, number[]>();
  for (const [key, p] of days) {
    if (!isAccount(key.slice(0, key.lastIndexOf("|")))) continue;
    const day = Number(key.slice(key.lastIndexOf("|") + 1));
    const sum = populationByDay.get(day) ?? populationByDay.set(day, new Array<number>(24).fill(0)).get(day)!;
    p.forEach((c, hour) => (sum[hour] += c));
  }
  const total = (counts: readonly number[]): number => counts.reduce((a, b) => a + b, 0);
  for (const [user, h, n, first, last] of busy.rows() as [string, number, number, number, number][]) {
    const whole = profiles.get(user);
    if (!whole) continue;
    // The user's hours without the day being judged, so a long night of attack cannot make itself usual.
    const dayStart = Number(h) - (Number(h) % DAY_MS);
    const today = days.get(`${user}|${dayStart}`) ?? [];
    const profile = whole.map((c, hour) => c - (today[hour] ?? 0));
    const otherDays = (activeDays.get(user) ?? 0) - (today.length > 0 ? 1 : 0);
    const hour = (Number(h) / HOUR_MS) % 24;
    const own = total(profile);
    let peers: number | undefined;
    if (own < minHistory || otherDays < minDays) {
      // Too new to judge alone: judge with the population, if the account has shown any day at all.
      if (otherDays < 1 || !isAccount(user) || accounts < MIN_PEER_ACCOUNTS) continue;
      // Everyone else, on every other day.
      const thatDay = populationByDay.get(dayStart) ?? new Array<number>(24).fill(0);
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
      open = { user, h: Number(h), first: Number(first), last: Number(last), events: Number(n), peak: Number(n), outside, usual, history: own, days: otherDays, peers };
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
    for (const run of runs) {
      const from = run.first - (run.first % HOUR_MS);
      const inRun = (byUser.get(run.user) ?? []).filter((t) => t >= from && t < run.h + HOUR_MS);
      let peak = 0;
      for (let hi = 0, lo = 0; hi < inRun.length; hi++) {
        while (inRun[hi] - inRun[lo] >= HOUR_MS) lo++;
        peak = Math.max(peak, hi - lo + 1);
      }
      if (peak >= minEvents) report({ ...run, peak, events: inRun.length, first: inRun[0], last: inRun[inRun.length - 1] });
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
  explain: (o) => `≥ ${o.minEvents} events in a sliding hour more than ${o.marginHours} h outside the account's usual hours (the shortest run holding ${Math.round((o.coverage ?? 0) * 100)}% of its other days' activity), once it has ${o.minHistory} events of history on ${o.minDays} other days; before that, only in an hour holding < ${Number(o.quietShare) * 100}% of the other accounts' activity (from ${MIN_PEER_ACCOUNTS} accounts)`,
  basis: "per-user hour-of-day profile",
  detect: detectOffHours,
  summarize: (d) =>
    `${d.entity.value} was active for ${formatDuration(Math.max(d.end - d.start, 1000))} (${count(d.eventCount)} events) ${d.evidence.hours_outside} h outside their usual hours ${d.evidence.usual_hours} UTC` +
    (d.evidence.history_days ? ` (learned from ${count(d.evidence.history_days)} other days)` : "") +
    (d.evidence.population_share !== undefined ? `, an hour in which the rest of the population does ${Number((d.evidence.population_share * 100).toFixed(1))}% of its work` : ""),
};
