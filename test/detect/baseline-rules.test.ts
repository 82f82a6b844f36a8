import { describe, expect, it } from "vitest";
import { detectOffHours, hoursOutside, usualHours } from "../../lib/detect/off-hours";
import { bytesBaseline, detectBytesBaseline, detectVolumeExfiltration, volumeExfiltration } from "../../lib/detect/volume";
import { detectImpossibleTravel, detectUnusualLocation, unusualLocation } from "../../lib/detect/location";
import { detectRecon } from "../../lib/detect/recon";
import { T0, eventFrame, series, type EventRow } from "../helpers";

const HOUR = 3600;
const DAY = 86400;
const out = (bytes: number, s: number, destination = "52.1.2.3"): EventRow => ({ s, type: "network_traffic", bytes, destination });

describe("detectBytesBaseline (hourly bytes to outside addresses against the user's own hours)", () => {
  const history = Array.from({ length: 6 }, (_, h) => out(1e6, h * HOUR));

  it("flags 150 MB in an hour after six hours of 1 MB", () => {
    // Hours: six of 1 MB and one of 150 MB. Median 1 MB; MAD 0, so the spread floor is 10% of the
    // median, 100 KB: z = (150 − 1) MB / 100 KB = 1490. Ratio 150.
    const [d, ...rest] = detectBytesBaseline(eventFrame([...history, out(150e6, 10 * HOUR)]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "bytes_baseline", technique: "T1048", entity: { type: "user", value: "alice" }, observed: 150e6, eventCount: 1 });
    expect(d.score).toBeCloseTo(1490, 6);
    expect(d.evidence).toMatchObject({ usual_bytes: 1e6, ratio: 150, destinations: ["52.1.2.3"] });
  });

  it("does not flag 99 MB (under the 100 MB floor)", () => {
    expect(detectBytesBaseline(eventFrame([...history, out(99e6, 10 * HOUR)]))).toEqual([]);
  });

  it("ignores internal destinations by default, counts them with scope 'all'", () => {
    const logs = eventFrame([...history, out(150e6, 10 * HOUR, "10.200.9.9")]);
    expect(detectBytesBaseline(logs)).toEqual([]);
    expect(detectBytesBaseline(logs, { scope: "all" })).toHaveLength(1);
  });

  it("says nothing of a user seen in fewer hours than its learning period (minHistory 5)", () => {
    // One hour of activity, 150 MB out: no usual to compare with.
    expect(detectBytesBaseline(eventFrame([out(150e6, 0)]))).toEqual([]);
    // Four hours of internal traffic and then the 150 MB hour: 5 active hours, enough to judge.
    const internal = Array.from({ length: 4 }, (_, h) => out(1e3, h * HOUR, "10.0.0.2"));
    expect(detectBytesBaseline(eventFrame([...internal.slice(1), out(150e6, 10 * HOUR)]))).toEqual([]);
    expect(detectBytesBaseline(eventFrame([...internal, out(150e6, 10 * HOUR)]))).toHaveLength(1);
  });

  it("judges a user active long enough who rarely sends anything out on the floor alone, and says so", () => {
    // Six hours of internal traffic, then 150 MB out in a seventh: 1 hour with outside transfers
    // among 7 active hours, fewer than 5, so the 100 MB floor alone decides.
    const internal = Array.from({ length: 6 }, (_, h) => out(1e3, h * HOUR, "10.0.0.2"));
    const [d, ...rest] = detectBytesBaseline(eventFrame([...internal, out(150e6, 10 * HOUR)]));
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ usual_bytes: null, history_windows: 1, active_windows: 7 });
    expect(d.expected).toBe(100e6);
    expect(bytesBaseline.summarize(d as never)).toBe("alice sent 150 MB in one hour; it made transfers in only 1 of the 7 hours it was active");
  });

  it("returns nothing for no events", () => {
    expect(detectBytesBaseline(eventFrame([]))).toEqual([]);
  });
});

describe("detectVolumeExfiltration (daily bytes to outside addresses against the user's own days)", () => {
  const days = Array.from({ length: 6 }, (_, d) => out(2e6, d * DAY + 10 * HOUR));

  it("flags 30 transfers of 1 MB in a day after six days of 2 MB: each small, the day 15× usual", () => {
    // Days: six of 2 MB, one of 30 MB. Median 2 MB, spread floor 200 KB: z = 28 MB / 200 KB = 140.
    const staged = series(30, 8 * DAY + 9 * HOUR, 300, () => ({ type: "network_traffic", bytes: 1e6, destination: "45.9.9.9" }));
    const [d, ...rest] = detectVolumeExfiltration(eventFrame([...days, ...staged]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "volume_exfiltration", observed: 30e6, eventCount: 30 });
    expect(d.score).toBeCloseTo(140, 6);
    expect(d.evidence).toMatchObject({ transfers: 30, usual_bytes: 2e6, ratio: 15 });
  });

  it("an account seen on 2 days is compared with the other accounts: 30 MB where accounts send 2 MB a day; not with 9 accounts in all", () => {
    // Every account sends 2 MB on days 0 and 1; mallory then 30 MB on day 2. mallory is active on
    // 3 days (< 5): its own days cannot speak. Windows of all accounts: 2 MB each but mallory's
    // 30 MB: median 2 MB, MAD 0, spread floor 200 KB: z = 28 MB / 200 KB = 140, 15× the median.
    const team = (n: number) => Array.from({ length: n - 1 }, (_, k) => [out(2e6, 10 * HOUR), out(2e6, DAY + 10 * HOUR)].map((e) => ({ ...e, user: `u${k}` }))).flat();
    const mallory = [out(2e6, 10 * HOUR), out(2e6, DAY + 10 * HOUR), ...series(30, 2 * DAY + 9 * HOUR, 300, () => ({ type: "network_traffic", bytes: 1e6, destination: "45.9.9.9" }))].map((e) => ({ ...e, user: "mallory" }));
    const [d, ...rest] = detectVolumeExfiltration(eventFrame([...team(10), ...mallory]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ entity: { value: "mallory" }, observed: 30e6, eventCount: 30 });
    expect(d.score).toBeCloseTo(140, 6);
    expect(d.evidence).toMatchObject({ usual_bytes: null, ratio: 15, peer_bytes: 2e6, peers: 9, active_windows: 3 });
    expect(volumeExfiltration.summarize(d as never)).toContain("15× what an account usually sends in a day (2 MB, 9 other accounts)");
    expect(detectVolumeExfiltration(eventFrame([...team(9), ...mallory]))).toEqual([]);
  });

  it("does not flag a day of 19 MB (under the 20 MB floor)", () => {
    const day = series(19, 8 * DAY, 300, () => ({ type: "network_traffic", bytes: 1e6, destination: "45.9.9.9" }));
    expect(detectVolumeExfiltration(eventFrame([...days, ...day]))).toEqual([]);
  });
});

describe("usualHours and hoursOutside", () => {
  it("finds the shortest run of hours holding 90% of activity, wrapping past midnight", () => {
    const day = new Array(24).fill(0);
    for (let h = 8; h <= 16; h++) day[h] = 10;
    day[23] = 1;
    expect(usualHours(day, 0.9)).toMatchObject({ start: 8, length: 9 });
    const night = new Array(24).fill(0);
    for (const h of [22, 23, 0, 1, 2, 3]) night[h] = 10;
    expect(usualHours(night, 0.9)).toMatchObject({ start: 22, length: 6 });
  });

  it("measures hours outside the run on the shorter side of the clock", () => {
    const usual = { start: 8, length: 9, share: 1 }; // 08:00–17:00
    expect(hoursOutside(12, usual)).toBe(0);
    expect(hoursOutside(17, usual)).toBe(1);
    expect(hoursOutside(20, usual)).toBe(4);
    expect(hoursOutside(2, usual)).toBe(6);
    expect(hoursOutside(7, usual)).toBe(1);
  });
});

describe("detectOffHours (20+ events in an hour more than 3 h outside the user's usual hours)", () => {
  // Ten days of 25 events at 09:xx: usual hours are 09:00–10:00 (250 of 250 + test events).
  const habit = Array.from({ length: 10 }, (_, d) => series(25, d * DAY + 9 * HOUR, 60, () => ({}))).flat();

  it("flags 20 events at 02:00, 7 h outside 09:00–10:00", () => {
    const [d, ...rest] = detectOffHours(eventFrame([...habit, ...series(20, 11 * DAY + 2 * HOUR, 60, () => ({}))]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "off_hours", entity: { value: "alice" }, observed: 20, eventCount: 20 });
    expect(d.evidence).toMatchObject({ usual_hours: "09:00–10:00", hours_outside: 7 });
  });

  it("does not flag 19 events at 02:00, nor 20 at 12:00 (the third hour after the usual end: working late)", () => {
    expect(detectOffHours(eventFrame([...habit, ...series(19, 11 * DAY + 2 * HOUR, 60, () => ({}))]))).toEqual([]);
    expect(detectOffHours(eventFrame([...habit, ...series(20, 11 * DAY + 12 * HOUR, 60, () => ({}))]))).toEqual([]);
  });

  it("skips users with too little history to know their hours", () => {
    expect(detectOffHours(eventFrame(series(20, 2 * HOUR, 60, () => ({}))))).toEqual([]);
  });

  it("needs 2 other days of activity: 1 day of 110 events at 09:xx is not enough, 2 are", () => {
    const days = (n: number) => Array.from({ length: n }, (_, d) => series(110, d * DAY + 9 * HOUR, 30, () => ({}))).flat();
    const night = series(20, 5 * DAY + 2 * HOUR, 60, () => ({}));
    expect(detectOffHours(eventFrame([...days(1), ...night]))).toEqual([]);
    const [d] = detectOffHours(eventFrame([...days(2), ...night]));
    expect(d.evidence).toMatchObject({ history_events: 220, history_days: 2, hours_outside: 7 });
  });

  it("needs 30 events of history: 15 a day at 09:xx on 2 days are enough, 14 and 15 are not", () => {
    const night = series(20, 5 * DAY + 2 * HOUR, 60, () => ({}));
    const [d] = detectOffHours(eventFrame([...series(15, 9 * HOUR, 60, () => ({})), ...series(15, DAY + 9 * HOUR, 60, () => ({})), ...night]));
    expect(d.evidence).toMatchObject({ history_events: 30, history_days: 2 });
    expect(detectOffHours(eventFrame([...series(14, 9 * HOUR, 60, () => ({})), ...series(15, DAY + 9 * HOUR, 60, () => ({})), ...night]))).toEqual([]);
  });

  it("needs a whole day watched outside the 24 hours judged: fragments of two days at a short capture's edges are not enough", () => {
    // 30 events at 06:xx on day 1, judged against 17:xx on day 0 and 19:xx on day 1 (20 each: 40
    // events on 2 other days, but watched 1 h before and 2 h after the hours 18:00–18:00): nothing.
    const burst = series(30, DAY + 6 * HOUR, 60, () => ({}));
    const edges = [...series(20, 17 * HOUR, 60, () => ({})), ...series(20, DAY + 19 * HOUR, 60, () => ({}))];
    expect(detectOffHours(eventFrame([...edges, ...burst]))).toEqual([]);
    // 20 more at 19:xx on day 2: watched 1 h + 26 h. Usual hours 17:00–20:00; 06:00 is 11 h outside.
    const [d, ...rest] = detectOffHours(eventFrame([...edges, ...series(20, 2 * DAY + 19 * HOUR, 60, () => ({})), ...burst]));
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ usual_hours: "17:00–20:00", hours_outside: 11, history_events: 60, history_days: 3 });
  });

  it("judges noon against exactly one calendar day: 2 other days of 01:xx, then 20 events at 12:00", () => {
    // The 24 hours around 12:00–13:00 on day 2 are day 2 itself: days 0 and 1 are the 2 other days.
    const nights = [...series(20, HOUR, 60, () => ({})), ...series(20, DAY + HOUR, 60, () => ({}))];
    const [d, ...rest] = detectOffHours(eventFrame([...nights, ...series(20, 2 * DAY + 12 * HOUR, 60, () => ({}))]));
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ usual_hours: "01:00–02:00", hours_outside: 11, history_events: 40, history_days: 2 });
  });

  it("judges a night that runs past midnight against the 24 hours around it, not the calendar day", () => {
    // 30 events 23:00–23:29 on day 10 and 30 more 00:00–00:29 on day 11. Cut by calendar day, the
    // 30 after midnight would be day 10's history (hour 00:xx: 30 of 280, 11 %) and the hour
    // 23:00 only 1 h outside a usual run of 00:00–10:00.
    const night = [...series(30, 10 * DAY + 23 * HOUR, 60, () => ({})), ...series(30, 11 * DAY, 60, () => ({}))];
    const [d, ...rest] = detectOffHours(eventFrame([...habit, ...night]));
    expect(rest).toEqual([]);
    // One run 23:00–00:29: 60 events, 30 in any sliding hour at most (23:00:00–23:59:59 holds 30).
    expect(d).toMatchObject({ eventCount: 60, observed: 30, start: T0 + (10 * DAY + 23 * HOUR) * 1000 });
    // The 10 days of habit are history (day 10's 09:xx among them: outside 22:59–23:00 the next day).
    expect(d.evidence).toMatchObject({ usual_hours: "09:00–10:00", history_events: 250, history_days: 10 });
  });

  it("counts activity sustained over two hours: 15 events an hour for two hours (30 ≥ 1.5 × 20), not 14 and 15", () => {
    const sustained = (a: number, b: number) => [...series(a, 11 * DAY + 1 * HOUR, 240, () => ({})), ...series(b, 11 * DAY + 2 * HOUR, 240, () => ({}))];
    const [d, ...rest] = detectOffHours(eventFrame([...habit, ...sustained(15, 15)]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ observed: 30, expected: 30, eventCount: 30, window: "2 h sliding" });
    expect(detectOffHours(eventFrame([...habit, ...sustained(14, 15)]))).toEqual([]);
  });

  it("counts a sliding hour: 12 events in 01:30–02:00 and 12 in 02:00–02:30 are 24 in an hour, though no clock hour holds 20", () => {
    const night = [...series(12, 11 * DAY + 1.5 * HOUR, 150, () => ({})), ...series(12, 11 * DAY + 2 * HOUR, 150, () => ({}))];
    const [d, ...rest] = detectOffHours(eventFrame([...habit, ...night]));
    expect(rest).toEqual([]);
    // 01:30:00 … 02:27:30: all 24 within one hour.
    expect(d).toMatchObject({ observed: 24, eventCount: 24, start: T0 + 11 * DAY * 1000 + 1.5 * HOUR * 1000, window: "1 h sliding" });
    // 9 and 9: 18 in the hour, under 20.
    expect(detectOffHours(eventFrame([...habit, ...series(9, 11 * DAY + 1.5 * HOUR, 150, () => ({})), ...series(9, 11 * DAY + 2 * HOUR, 150, () => ({}))]))).toEqual([]);
  });

  it("an account too new to judge alone is judged with its peers: a burst at 02:00 while everyone else is idle", () => {
    // Nine colleagues (days 0 and 1) and alice (day 0 only) work 09:xx: 10 accounts, the fewest that
    // make a peer group. On day 2 alice is busy at 02:00.
    const day = (user: string, d: number) => series(30, d * DAY + 9 * HOUR, 60, () => ({ user }));
    const colleagues = ["bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];
    const team = [...colleagues.flatMap((u) => [...day(u, 0), ...day(u, 1)]), ...day("alice", 0)];
    const burst = series(20, 2 * DAY + 2 * HOUR, 60, () => ({ user: "alice" }));
    const [d, ...rest] = detectOffHours(eventFrame([...team, ...burst]));
    expect(rest).toEqual([]);
    // One other day (< 2): the peers decide; none of their 540 events is at 02:xx.
    expect(d).toMatchObject({ entity: { value: "alice" }, observed: 20 });
    expect(d.evidence).toMatchObject({ history_days: 1, history_events: 30, population_share: 0 });
    // If the colleagues work nights too (10 more events each at 02:xx on day 1: 90 of 630, 14 %), it is no news.
    const nights = colleagues.flatMap((user) => series(10, 1 * DAY + 2 * HOUR, 60, () => ({ user })));
    expect(detectOffHours(eventFrame([...team, ...nights, ...burst]))).toEqual([]);
    // Nor with only 9 accounts in all: too few to be a population.
    expect(detectOffHours(eventFrame([...team.filter((e) => e.user !== "judy"), ...burst]))).toEqual([]);
    // Two accounts busy the same night do not hide each other: alice's peers are read outside the 24
    // hours judged (bob, with 2 days, is judged on his own).
    const both = detectOffHours(eventFrame([...team, ...burst, ...series(20, 2 * DAY + 2 * HOUR, 60, () => ({ user: "bob" }))]));
    expect(both.map((x) => x.entity.value).sort()).toEqual(["alice", "bob"]);
    // With no other day at all, nothing is said.
    expect(detectOffHours(eventFrame([...day("bob", 0), ...day("bob", 1), ...series(20, 2 * DAY + 2 * HOUR, 60, () => ({ user: "alice" }))]))).toEqual([]);
  });

  it("stays quiet for an account busy around the clock (a flat profile): 25 events every hour for 4 days, then 30 at 02:00", () => {
    const flat = Array.from({ length: 4 * 24 }, (_, h) => series(25, h * HOUR, 120, () => ({}))).flat();
    expect(detectOffHours(eventFrame([...flat, ...series(30, 5 * DAY + 2 * HOUR, 60, () => ({}))]))).toEqual([]);
  });
});

describe("detectUnusualLocation and detectImpossibleTravel", () => {
  const home = series(25, 0, 8 * HOUR, () => ({ country: "US" })); // 25 events over 8 days

  it("flags the first use from a new country after the learning week, with what was known", () => {
    const [d, ...rest] = detectUnusualLocation(eventFrame([...home, { s: 9 * DAY, type: "login_success", country: "RO", ip: "91.1.2.3" }, { s: 9 * DAY + 60, country: "RO" }]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "unusual_location", technique: "T1078", entity: { value: "alice" }, eventCount: 2 });
    expect(d.evidence).toMatchObject({ new: "RO", known: ["US"], source_ip: "91.1.2.3", events_before: 25 });
  });

  it("ignores failed logins from abroad and new places in the learning week", () => {
    expect(detectUnusualLocation(eventFrame([...home, { s: 9 * DAY, type: "login_failed", country: "RO" }]))).toEqual([]);
    expect(detectUnusualLocation(eventFrame([...home, { s: 3 * DAY, country: "RO" }]))).toEqual([]);
  });

  it("learns for 7 days, or a quarter of a shorter log: a new country after 18 h speaks in a 3-day log, not in a month's", () => {
    // 40 events from the US every 30 min from 0 h; the log spans 3 days (72 h): learning 18 h.
    const us = series(40, 0, HOUR / 2, () => ({ country: "US" }));
    const ro = (h: number): EventRow => ({ s: h * HOUR, type: "login_success", country: "RO", ip: "91.1.2.3" });
    const end = { s: 72 * HOUR, user: "bob", country: "US" };
    // RO at 18 h 15 min: 37 US events before it (0 h … 18 h).
    const [d] = detectUnusualLocation(eventFrame([...us, ro(18.25), end]));
    expect(d.evidence).toMatchObject({ new: "RO", events_before: 37 });
    // At 17 h 45 min, still learning.
    expect(detectUnusualLocation(eventFrame([...us, ro(17.75), end]))).toEqual([]);
    // The same, in a log that bob's events stretch to 30 days: alice is still in her learning week.
    expect(detectUnusualLocation(eventFrame([...us, ro(18.25), { ...end, s: 30 * DAY }]))).toEqual([]);
  });

  it("a place at least a fifth of the other users (and two) are seen at is the population's own, not news", () => {
    // Six users: alice learns "office" for 8 days, then shows up "home" on day 9.
    const alice = [...series(25, 0, 8 * HOUR, () => ({ location: "office", country: null })), { s: 9 * DAY, location: "home", country: null }];
    const others = (atHome: number) =>
      ["bob", "carol", "dave", "erin", "frank"].map((user, k) => ({ s: 60 + k, user, location: k < atHome ? "home" : "office", country: null }));
    // 5 other users: the bar is max(2, 0.2 × 5 = 1) = 2 of them.
    expect(detectUnusualLocation(eventFrame([...alice, ...others(2)]).drop("country"))).toEqual([]);
    const [d] = detectUnusualLocation(eventFrame([...alice, ...others(1)]).drop("country"));
    expect(d.evidence).toMatchObject({ new: "home", other_users_there: 1, users: 6 });
    expect(unusualLocation.summarize(d as never)).toContain("1 of the other 5 users are seen there");
  });

  it("uses the tutorial's location column when there is no country", () => {
    const logs = eventFrame([...series(25, 0, 8 * HOUR, () => ({ location: "office", country: null })), { s: 9 * DAY, location: "remote", country: null }]);
    expect(detectUnusualLocation(logs.drop("country"))[0].evidence).toMatchObject({ new: "remote", known: ["office"], field: "location" });
  });

  it("flags US then JP 30 minutes later: 9,756 km at 19,512 km/h", () => {
    const [d, ...rest] = detectImpossibleTravel(eventFrame([{ s: 0, country: "US" }, { s: 1800, type: "login_success", country: "JP" }]));
    expect(rest).toEqual([]);
    expect(d.evidence).toMatchObject({ from: "US", to: "JP", distance_km: 9756, minutes_apart: 30, speed_kmh: 19512 });
  });

  it("does not flag the same trip 12 hours apart (813 km/h), nor a failed login", () => {
    expect(detectImpossibleTravel(eventFrame([{ s: 0, country: "US" }, { s: 12 * HOUR, country: "JP" }]))).toEqual([]);
    expect(detectImpossibleTravel(eventFrame([{ s: 0, country: "US" }, { s: 600, type: "login_failed", country: "JP" }]))).toEqual([]);
  });
});

describe("detectRecon (60 system calls or file reads in a sliding minute, 3× the user's busiest minute)", () => {
  const quiet = series(5, 2 * HOUR, 10, () => ({ type: "system_call" })); // busiest usual minute: 5

  it("flags 60 in 59 s", () => {
    const [d, ...rest] = detectRecon(eventFrame([...quiet, ...series(60, 0, 1, () => ({ type: "system_call" }))]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "recon", technique: "T1087", observed: 60, expected: 60, eventCount: 60 });
    expect(d.evidence).toMatchObject({ usual_per_minute: 5 });
  });

  it("does not flag 60 spread over 60.2 s (59 in any minute)", () => {
    expect(detectRecon(eventFrame([...quiet, ...series(60, 0, 1.02, () => ({ type: "file_access" }))]))).toEqual([]);
  });

  it("asks 3× a busy user's usual busiest minute: 60 is not enough after a minute of 25", () => {
    const busy = series(25, 2 * HOUR, 2, () => ({ type: "system_call" }));
    expect(detectRecon(eventFrame([...busy, ...series(60, 0, 0.5, () => ({ type: "system_call" }))]))).toEqual([]);
    expect(detectRecon(eventFrame([...busy, ...series(75, 0, 0.5, () => ({ type: "system_call" }))]))).toHaveLength(1);
  });
});
