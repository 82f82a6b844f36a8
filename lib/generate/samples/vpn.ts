/**
 * The bundled VPN gateway log, already in threatlab's event schema with a country per login: two
 * weeks of twenty staff logging in from home, with three attacks — a login from Brazil 39 minutes
 * after one from Germany, a first-ever login from Nigeria, and a credential-stuffing burst from
 * thirty addresses. The same events are written as NDJSON, CSV and Parquet.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { toCsv } from "../../io/csv-export";
import { DAY_MS, HOUR_MS, MINUTE_MS, isoUtc } from "../../time";
import { integer, poisson } from "../draw";
import { createRng } from "../../shared/rng";
import { dayStart, isWeekend, workTime } from "./timeline";

const DAYS = 14;

/** Staff and the country each works from. */
const STAFF: readonly [string, string][] = [
  ["m.keller", "DE"], ["a.schmidt", "DE"], ["l.weber", "DE"], ["j.martin", "FR"], ["c.dubois", "FR"], ["s.ahmed", "GB"], ["o.bennett", "GB"],
  ["r.patel", "GB"], ["p.rossi", "NL"], ["e.devries", "NL"], ["t.nguyen", "US"], ["k.johnson", "US"], ["d.garcia", "US"], ["h.tanaka", "JP"],
  ["y.sato", "JP"], ["a.kumar", "IN"], ["n.singh", "IN"], ["b.wilson", "CA"], ["f.costa", "BR"], ["g.lim", "SG"],
];

/** Each country's addresses: a /24 of the benchmarking range, never a real network. */
const BLOCK: Record<string, number> = { DE: 10, FR: 20, GB: 30, NL: 40, US: 50, JP: 60, IN: 70, CA: 80, BR: 90, SG: 100, NG: 110 };

/** The attacks planted in the VPN sample. */
export const VPN_ATTACKS = {
  impossibleTravel: { user: "m.keller", from: "DE", to: "BR", address: "203.0.113.61", at: dayStart(9) + 8 * HOUR_MS + 41 * MINUTE_MS, after: dayStart(9) + 8 * HOUR_MS + 2 * MINUTE_MS },
  newCountry: { user: "s.ahmed", country: "NG", address: "203.0.113.77", at: dayStart(10) + 19 * HOUR_MS + 20 * MINUTE_MS },
  stuffing: { sources: 30, start: dayStart(11) + 3 * HOUR_MS + 10 * MINUTE_MS, cracked: ["t.nguyen", "p.rossi"] },
} as const;

/** One VPN event, in event-schema names. */
export interface VpnEvent {
  timestamp: string;
  log_type: "login_success" | "login_failed";
  user_id: string;
  ip_address: string;
  country: string;
  outcome: "success" | "failure";
  service: "vpn";
}

/** The columns of the VPN sample, in order. */
export const VPN_COLUMNS = ["timestamp", "log_type", "user_id", "ip_address", "country", "outcome", "service"] as const;

/** Returns the sample's events for `seed`, in time order. */
export function vpnEvents(seed: number, attacks = true): VpnEvent[] {
  const rng = createRng(seed, "vpn");
  const events: { t: number; e: Omit<VpnEvent, "timestamp"> }[] = [];
  const login = (t: number, user: string, ip: string, country: string, ok: boolean): void => {
    events.push({ t, e: { log_type: ok ? "login_success" : "login_failed", user_id: user, ip_address: ip, country, outcome: ok ? "success" : "failure", service: "vpn" } });
  };
  STAFF.forEach(([user, country], i) => {
    const home = `198.18.${BLOCK[country]}.${10 + i}`;
    for (let day = 0; day < DAYS; day++) {
      const logins = isWeekend(day) ? poisson(rng, 0.2) : 1 + poisson(rng, 1.5);
      for (let k = 0; k < logins; k++) {
        // Working hours in the user's own part of the world, roughly.
        const shift = { JP: -8, IN: -4.5, SG: -7, US: 6, CA: 5, BR: 4 }[country] ?? 0;
        const t = workTime(rng, day) + shift * HOUR_MS;
        if (rng.float() < 0.08) login(t - integer(rng, 10, 60) * 1000, user, home, country, false);
        login(t, user, home, country, true);
      }
    }
  });
  const travel = VPN_ATTACKS.impossibleTravel;
  if (!attacks) return inOrder(events);
  login(travel.after, travel.user, `198.18.${BLOCK.DE}.10`, travel.from, true);
  login(travel.at, travel.user, travel.address, travel.to, true);
  const fresh = VPN_ATTACKS.newCountry;
  login(fresh.at, fresh.user, fresh.address, fresh.country, true);
  const stuffing = VPN_ATTACKS.stuffing;
  const leaked = [...STAFF.map(([u]) => u), "admin", "vpnuser", "test", "j.smith", "root", "support", "helpdesk", "guest", "info", "backup"];
  for (let k = 0; k < stuffing.sources; k++) {
    const user = leaked[k % leaked.length];
    const t = stuffing.start + k * 7_000 + integer(rng, 0, 3_000);
    const ip = `203.0.113.${100 + k}`;
    const country = ["RU", "CN", "VN", "RO", "NG", "BR"][k % 6];
    const cracked = (stuffing.cracked as readonly string[]).includes(user);
    login(t, user, ip, country, false);
    if (cracked) login(t + 4_000, user, ip, country, true);
  }
  return inOrder(events);
}

/** Returns the logins sorted by time, ties in the order they were made. */
function inOrder(events: readonly { t: number; e: Omit<VpnEvent, "timestamp"> }[]): VpnEvent[] {
  return events
    .map((x, order) => ({ ...x, order }))
    .sort((a, b) => a.t - b.t || a.order - b.order)
    .map(({ t, e }) => ({ timestamp: isoUtc(t), ...e }) as VpnEvent);
}

/** Returns the events as NDJSON. */
export function vpnNdjson(events: readonly VpnEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}

/** Returns the events as CSV with event-schema column names. */
export function vpnCsv(events: readonly VpnEvent[]): string {
  return toCsv(VPN_COLUMNS, events.map((e) => VPN_COLUMNS.map((c) => e[c])));
}

/** Returns the events as a frame for Parquet: timestamps as UTC datetimes, the rest as text. */
export function vpnFrame(events: readonly VpnEvent[]): DataFrame {
  return pl
    .DataFrame(Object.fromEntries(VPN_COLUMNS.map((c) => [c, events.map((e) => (c === "timestamp" ? Date.parse(e[c]) : e[c]))])))
    .withColumns(pl.col("timestamp").cast(pl.Int64).cast(pl.Datetime("ms")));
}

/** How long the VPN sample covers, in milliseconds. */
export const VPN_SPAN_MS = DAYS * DAY_MS;
