/**
 * Attack campaigns injected into a scenario, each with its ground truth: an `attack_id`, the
 * MITRE ATT&CK technique, and the `threat_level` the tutorial would have given it.
 */
import pl, { type DataFrame } from "nodejs-polars";
import type { Location, LogType, ThreatLevel } from "../schema";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../time";
import { integer, pick, sample, uniform } from "./draw";
import type { EventBuilder } from "./event-builder";
import type { UserHabits } from "./habits";
import type { Rng } from "../shared/rng";

/** The kinds of campaign a scenario can contain. */
export const CAMPAIGN_KINDS = [
  "brute_force",
  "password_spraying",
  "credential_stuffing",
  "low_and_slow_spraying",
  "unusual_location",
  "impossible_travel",
  "off_hours",
  "exfiltration",
  "staged_exfiltration",
  "reconnaissance",
] as const;

/** One of {@link CAMPAIGN_KINDS}. */
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** The ATT&CK technique of each campaign kind, and the tutorial label its events get. */
export const CAMPAIGN_LABELS: Record<CampaignKind, { technique: string; threat: ThreatLevel; description: string }> = {
  brute_force: { technique: "T1110.001", threat: "brute_force", description: "one source guesses one account's password many times in minutes" },
  password_spraying: { technique: "T1110.003", threat: "brute_force", description: "one source tries one or two passwords on many accounts" },
  credential_stuffing: { technique: "T1110.004", threat: "brute_force", description: "many sources replay leaked credentials for many accounts at machine speed" },
  low_and_slow_spraying: { technique: "T1110.003", threat: "brute_force", description: "distributed sources spray slowly with jittered timing, each under any per-source threshold" },
  unusual_location: { technique: "T1078", threat: "unusual_location", description: "an account is used from a country it has never been used from" },
  impossible_travel: { technique: "T1078", threat: "unusual_location", description: "an account logs in from two far-apart countries within an hour" },
  off_hours: { technique: "T1078", threat: "suspicious_pattern", description: "an account is busy in the middle of its night" },
  exfiltration: { technique: "T1048", threat: "anomaly", description: "one very large transfer to an outside address" },
  staged_exfiltration: { technique: "T1048", threat: "anomaly", description: "many transfers, each under the tutorial's 95th percentile, that add up to far more than usual" },
  reconnaissance: { technique: "T1087", threat: "suspicious_pattern", description: "a burst of system calls and file reads at machine speed" },
};

/** Ground truth for one injected campaign. */
export interface Campaign {
  readonly id: string;
  readonly kind: CampaignKind;
  readonly technique: string;
  readonly description: string;
  /** Epoch milliseconds of the first and last event. */
  readonly start: number;
  readonly end: number;
  readonly events: number;
  /** Source addresses the attacker used. */
  readonly sources: readonly string[];
  /** Accounts the campaign targeted or used. */
  readonly accounts: readonly string[];
}

/** What every campaign generator gets. */
export interface CampaignContext {
  readonly rng: Rng;
  readonly out: EventBuilder;
  readonly users: readonly UserHabits[];
  /** First and last day (0-based) a campaign may start on; earlier days are the learning period. */
  readonly firstDay: number;
  readonly lastDay: number;
  readonly start: number;
  /** The 95th percentile of background bytes_transferred: the tutorial's threshold. */
  readonly p95Bytes: number;
}

/** Account names attackers try everywhere. */
export const COMMON_ACCOUNTS = ["admin", "administrator", "root", "test", "guest", "backup", "svc_sql", "helpdesk", "oracle", "support"];
const FIRST = ["maria", "john", "li", "ana", "omar", "sven", "yuki", "paul", "nina", "raj", "eva", "tom"];
const LAST = ["lopez", "smith", "wang", "silva", "khan", "berg", "tanaka", "brown", "novak", "patel", "costa", "reid"];
/** Countries the scenario's attackers come from. */
export const ATTACKER_COUNTRIES = ["RU", "CN", "NL", "VN", "RO", "NG", "BR", "SG"];
const ATTACKER_PREFIXES = [45, 77, 91, 103, 141, 185, 193, 194, 212];

/** Returns an address in a range used here for attackers (synthetic, not real attribution). */
function externalIp(rng: Rng): string {
  return `${pick(rng, ATTACKER_PREFIXES)}.${rng.below(256)}.${rng.below(256)}.${integer(rng, 1, 254)}`;
}

/** Returns the epoch milliseconds of a random moment on a random campaign day, between the given hours. */
function randomTime(ctx: CampaignContext, fromHour = 0, toHour = 24): number {
  const day = integer(ctx.rng, ctx.firstDay, ctx.lastDay);
  return ctx.start + day * DAY_MS + Math.floor(uniform(ctx.rng, fromHour, toHour) * HOUR_MS);
}

/** Collects one campaign's events and ground truth. */
class CampaignWriter {
  private first = Infinity;
  private last = -Infinity;
  private count = 0;
  readonly sources = new Set<string>();
  readonly accounts = new Set<string>();

  constructor(
    private readonly ctx: CampaignContext,
    readonly id: string,
    readonly kind: CampaignKind,
  ) {}

  add(at: number, user: string, logType: LogType, ip: string, country: string, bytes: number, options: { location?: Location; destination?: string | null } = {}): void {
    const label = CAMPAIGN_LABELS[this.kind];
    const time = Math.round(at);
    this.ctx.out.push({
      time,
      user,
      logType,
      ip,
      location: options.location ?? "remote",
      bytes,
      country,
      destination: options.destination ?? null,
      threat: label.threat,
      attackId: this.id,
      technique: label.technique,
    });
    this.first = Math.min(this.first, time);
    this.last = Math.max(this.last, time);
    this.count++;
    this.sources.add(ip);
    this.accounts.add(user);
  }

  done(): Campaign {
    const label = CAMPAIGN_LABELS[this.kind];
    return {
      id: this.id, kind: this.kind, technique: label.technique, description: label.description,
      start: this.first, end: this.last, events: this.count,
      sources: [...this.sources], accounts: [...this.accounts],
    };
  }
}

const loginBytes = (rng: Rng): number => Math.round(uniform(rng, 300, 900));

/**
 * Returns a user who is not in `avoid` (so that two campaigns do not share a victim) and, when
 * given, passes `fits`.
 */
function victim(ctx: CampaignContext, avoid: Set<string>, fits: (u: UserHabits) => boolean = () => true): UserHabits {
  const free = ctx.users.filter((u) => !avoid.has(u.name) && fits(u));
  const chosen = pick(ctx.rng, free.length > 0 ? free : ctx.users);
  avoid.add(chosen.name);
  return chosen;
}

type Generator = (ctx: CampaignContext, w: CampaignWriter, victims: Set<string>) => void;

const GENERATORS: Record<CampaignKind, Generator> = {
  brute_force(ctx, w, victims) {
    const { rng } = ctx;
    const source = externalIp(rng);
    const country = pick(rng, ATTACKER_COUNTRIES);
    const account = rng.float() < 0.8 ? victim(ctx, victims).name : pick(rng, COMMON_ACCOUNTS);
    let t = randomTime(ctx);
    const attempts = integer(rng, 40, 150);
    for (let k = 0; k < attempts; k++) {
      w.add(t, account, "login_failed", source, country, loginBytes(rng));
      t += uniform(rng, 1, 6) * 1000;
    }
    if (rng.float() < 0.5) w.add(t, account, "login_success", source, country, loginBytes(rng));
  },

  password_spraying(ctx, w) {
    const { rng } = ctx;
    const source = externalIp(rng);
    const country = pick(rng, ATTACKER_COUNTRIES);
    const pool = [...ctx.users.map((u) => u.name), ...COMMON_ACCOUNTS];
    const accounts = sample(rng, pool, integer(rng, 25, 60));
    const tries = accounts.flatMap((a) => (rng.float() < 0.4 ? [a, a] : [a]));
    const start = randomTime(ctx);
    const span = uniform(rng, 5, 25) * MINUTE_MS;
    tries.forEach((account, k) => {
      w.add(start + (span * (k + rng.float())) / tries.length, account, "login_failed", source, country, loginBytes(rng));
    });
  },

  credential_stuffing(ctx, w) {
    const { rng } = ctx;
    const sources = Array.from({ length: integer(rng, 40, 90) }, () => ({ ip: externalIp(rng), country: pick(rng, ATTACKER_COUNTRIES) }));
    const leaked = new Set<string>();
    while (leaked.size < 400) leaked.add(`${pick(rng, FIRST)}.${pick(rng, LAST)}${integer(rng, 1, 99)}`);
    const existing = sample(rng, ctx.users.map((u) => u.name), Math.ceil(ctx.users.length * 0.6));
    const accounts = sample(rng, [...existing, ...leaked], integer(rng, 80, 200));
    let t = randomTime(ctx);
    for (const account of accounts) {
      const tries = integer(rng, 1, 3);
      for (let k = 0; k < tries; k++) {
        const from = pick(rng, sources);
        const success = rng.float() < 0.03 && existing.includes(account);
        w.add(t, account, success ? "login_success" : "login_failed", from.ip, from.country, loginBytes(rng));
        t += uniform(rng, 0.1, 0.8) * 1000;
        if (success) break;
      }
    }
  },

  low_and_slow_spraying(ctx, w) {
    const { rng } = ctx;
    const sources = Array.from({ length: integer(rng, 30, 50) }, () => ({ ip: externalIp(rng), country: pick(rng, ATTACKER_COUNTRIES) }));
    const accounts = sample(rng, ctx.users.map((u) => u.name), Math.min(ctx.users.length, integer(rng, 40, 70)));
    const start = randomTime(ctx);
    const end = start + integer(rng, 36, 60) * HOUR_MS;
    for (const source of sources) {
      // Each source waits 1-3 hours between attempts: under any fixed per-source threshold.
      for (let t = start + uniform(rng, 0, 120) * MINUTE_MS; t < end; t += uniform(rng, 60, 180) * MINUTE_MS) {
        w.add(t, pick(rng, accounts), "login_failed", source.ip, source.country, loginBytes(rng));
      }
    }
  },

  unusual_location(ctx, w, victims) {
    const { rng } = ctx;
    const user = victim(ctx, victims);
    const country = pick(rng, ATTACKER_COUNTRIES.filter((c) => c !== user.country));
    const source = externalIp(rng);
    let t = randomTime(ctx, 0, 24);
    w.add(t, user.name, "login_success", source, country, loginBytes(rng));
    const n = integer(rng, 10, 30);
    for (let k = 0; k < n; k++) {
      t += uniform(rng, 20, 120) * 1000;
      const type = pick(rng, ["file_access", "system_call", "network_traffic"] as const);
      w.add(t, user.name, type, source, country, type === "system_call" ? 2_000 : user.bytesMedian * uniform(rng, 0.5, 2));
    }
  },

  impossible_travel(ctx, w, victims) {
    const { rng, out } = ctx;
    const user = victim(ctx, victims);
    // Anchor: the real user logs in from home in the middle of a working day...
    const day = integer(rng, ctx.firstDay, ctx.lastDay);
    const home = ctx.start + day * DAY_MS + Math.floor((user.shiftStart + user.shiftLength / 2) * HOUR_MS);
    out.push({
      time: home, user: user.name, logType: "login_success", ip: user.ips[0], location: user.location, bytes: 600,
      country: user.country, destination: null, threat: "normal", attackId: null, technique: null,
    });
    // ...and minutes later someone logs in as them from the other side of the world.
    const far = user.country === "JP" ? "BR" : pick(rng, ["JP", "SG", "VN", "CN", "BR"].filter((c) => c !== user.country));
    const source = externalIp(rng);
    let t = home + uniform(rng, 15, 50) * MINUTE_MS;
    w.add(t, user.name, "login_success", source, far, loginBytes(rng));
    const n = integer(rng, 5, 15);
    for (let k = 0; k < n; k++) {
      t += uniform(rng, 20, 90) * 1000;
      w.add(t, user.name, pick(rng, ["file_access", "system_call"] as const), source, far, 2_000);
    }
  },

  off_hours(ctx, w, victims) {
    const { rng } = ctx;
    // Only an account with a night has a middle of the night: not a service account busy around
    // the clock, nor a shift worker whose hours move every week.
    const user = victim(ctx, victims, (u) => !u.aroundTheClock && !u.rotating);
    // The middle of the user's night: twelve hours after the middle of their working day.
    const night = (user.shiftStart + user.shiftLength / 2 + 12) % 24;
    let t = randomTime(ctx, Math.max(0, night - 1), Math.min(24, night + 1));
    const end = t + uniform(rng, 60, 120) * MINUTE_MS;
    const n = integer(rng, 30, 80);
    for (let k = 0; k < n && t < end; k++) {
      const type = pick(rng, ["file_access", "file_access", "system_call", "network_traffic"] as const);
      w.add(t, user.name, type, user.ips[0], user.country, type === "system_call" ? 2_000 : user.bytesMedian * uniform(rng, 0.5, 3), { location: user.location });
      t += ((end - t) / (n - k)) * uniform(rng, 0.5, 1.5);
    }
  },

  exfiltration(ctx, w, victims) {
    const { rng } = ctx;
    const user = victim(ctx, victims);
    const t = randomTime(ctx, user.shiftStart, Math.min(24, user.shiftStart + user.shiftLength));
    w.add(t, user.name, "network_traffic", user.ips[0], user.country, uniform(rng, 1.5e9, 4.5e9), { location: user.location, destination: externalIp(rng) });
  },

  staged_exfiltration(ctx, w, victims) {
    const { rng } = ctx;
    const user = victim(ctx, victims);
    const destination = externalIp(rng);
    const chunks = integer(rng, 150, 400);
    const start = randomTime(ctx, user.shiftStart, Math.min(23, user.shiftStart + user.shiftLength - 2));
    const span = uniform(rng, 2, 6) * HOUR_MS;
    for (let k = 0; k < chunks; k++) {
      // Every chunk stays under the tutorial's 95th-percentile threshold.
      w.add(start + (span * (k + rng.float())) / chunks, user.name, "network_traffic", user.ips[0], user.country, ctx.p95Bytes * uniform(rng, 0.55, 0.9), {
        location: user.location,
        destination,
      });
    }
  },

  reconnaissance(ctx, w, victims) {
    const { rng } = ctx;
    const user = victim(ctx, victims);
    let t = randomTime(ctx, user.shiftStart, Math.min(24, user.shiftStart + user.shiftLength));
    const n = integer(rng, 200, 600);
    for (let k = 0; k < n; k++) {
      const type = rng.float() < 0.7 ? "system_call" : "file_access";
      w.add(t, user.name, type, user.ips[0], user.country, type === "system_call" ? uniform(rng, 200, 3_000) : uniform(rng, 500, 20_000), { location: user.location });
      t += uniform(rng, 50, 400);
    }
  },
};

/** Adds one campaign of `kind` with id `id` and returns its ground truth. */
export function addCampaign(ctx: CampaignContext, kind: CampaignKind, id: string, victims: Set<string>): Campaign {
  const writer = new CampaignWriter(ctx, id, kind);
  GENERATORS[kind](ctx, writer, victims);
  return writer.done();
}

/**
 * Returns campaigns as a table: id, kind, technique, start and end (UTC text), events, and how
 * many sources and accounts each used.
 * @example
 * campaignsFrame(scenario.campaigns).head(2)
 */
export function campaignsFrame(campaigns: readonly Campaign[]): DataFrame {
  const text = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  return pl.DataFrame({
    id: campaigns.map((c) => c.id),
    technique: campaigns.map((c) => c.technique),
    start: campaigns.map((c) => text(c.start)),
    end: campaigns.map((c) => text(c.end)),
    events: campaigns.map((c) => c.events),
    sources: campaigns.map((c) => c.sources.length),
    accounts: campaigns.map((c) => c.accounts.length),
  });
}
