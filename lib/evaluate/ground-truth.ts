/**
 * Ground truth for evaluation: which events belong to which campaign, read from the label columns
 * (`attack_id`, `technique`) that detectors never see, and an index to find the events an alert
 * is about.
 */
import pl, { type DataFrame } from "nodejs-polars";
import { InputError } from "../errors";
import type { Entity } from "../detect/detection";

/** One campaign as the labels describe it. */
export interface TruthCampaign {
  readonly id: string;
  /** The campaign kind, from its id (`password_spraying-2` → `password_spraying`). */
  readonly kind: string;
  readonly technique: string;
  readonly events: number;
}

/** Events sorted by time within one entity (a user, a source, or the whole login service). */
interface EntityEvents {
  readonly times: Float64Array;
  /** Index into {@link GroundTruth.events} arrays. */
  readonly rows: Int32Array;
}

/** The labelled events, indexed for looking up what an alert covers. */
export interface GroundTruth {
  readonly totalEvents: number;
  readonly attackEvents: number;
  readonly campaigns: ReadonlyMap<string, TruthCampaign>;
  /** Per event: its campaign id (or null) and its log type. */
  readonly attackId: readonly (string | null)[];
  readonly logType: readonly string[];
  /** Attack events per technique. */
  readonly eventsByTechnique: ReadonlyMap<string, number>;
  /** Looks up the events of an entity. */
  readonly byUser: ReadonlyMap<string, EntityEvents>;
  readonly bySource: ReadonlyMap<string, EntityEvents>;
  readonly logins: EntityEvents;
}

/** Returns the campaign kind encoded in an id such as `low_and_slow_spraying-2`. */
export function campaignKind(id: string): string {
  return id.replace(/-\d+$/, "");
}

/**
 * Returns the ground truth of a labelled frame. Throws an {@link InputError} when the frame has
 * no `attack_id` column: there is nothing to evaluate against.
 * @example
 * groundTruth(generateScenario(scenarioPreset("small")).events).campaigns.size // => 10
 */
export function groundTruth(frame: DataFrame): GroundTruth {
  if (!frame.columns.includes("attack_id")) {
    throw new InputError({ file: "(data)", column: "attack_id" }, "no ground-truth labels: evaluate needs a labelled scenario (threatlab scenario writes one)");
  }
  const rows = frame
    .select(
      pl.col("timestamp").cast(pl.Int64).alias("t"),
      pl.col("user_id").cast(pl.Utf8).alias("user"),
      pl.col("ip_address").cast(pl.Utf8).alias("ip"),
      pl.col("log_type").cast(pl.Utf8).alias("type"),
      pl.col("attack_id").cast(pl.Utf8).alias("attack"),
      (frame.columns.includes("technique") ? pl.col("technique") : pl.lit(null)).cast(pl.Utf8).alias("technique"),
    )
    .withRowIndex("row")
    .sort({ by: ["t", "row"] });
  const time = Float64Array.from(rows.getColumn("t").toArray().map(Number));
  const user = rows.getColumn("user").toArray() as string[];
  const ip = rows.getColumn("ip").toArray() as string[];
  const logType = rows.getColumn("type").toArray() as string[];
  const attackId = rows.getColumn("attack").toArray() as (string | null)[];
  const technique = rows.getColumn("technique").toArray() as (string | null)[];

  const campaigns = new Map<string, { id: string; kind: string; technique: string; events: number }>();
  const eventsByTechnique = new Map<string, number>();
  let attackEvents = 0;
  attackId.forEach((id, i) => {
    if (id === null) return;
    attackEvents++;
    const tech = technique[i] ?? "unknown";
    let c = campaigns.get(id);
    if (!c) campaigns.set(id, (c = { id, kind: campaignKind(id), technique: tech, events: 0 }));
    c.events++;
    eventsByTechnique.set(tech, (eventsByTechnique.get(tech) ?? 0) + 1);
  });

  const index = (keys: readonly string[], keep: (i: number) => boolean = () => true): Map<string, EntityEvents> => {
    const lists = new Map<string, number[]>();
    keys.forEach((k, i) => {
      if (!keep(i)) return;
      let list = lists.get(k);
      if (!list) lists.set(k, (list = []));
      list.push(i);
    });
    return new Map([...lists].map(([k, list]) => [k, { times: Float64Array.from(list, (i) => time[i]), rows: Int32Array.from(list) }]));
  };
  const loginRows = logType.map((t, i) => i).filter((i) => logType[i] === "login_failed" || logType[i] === "login_success");
  return {
    totalEvents: time.length,
    attackEvents,
    campaigns,
    attackId,
    logType,
    eventsByTechnique,
    byUser: index(user),
    bySource: index(ip),
    logins: { times: Float64Array.from(loginRows, (i) => time[i]), rows: Int32Array.from(loginRows) },
  };
}

/** Returns the first index in sorted `times` at or after `t`. */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calls `visit` with every event an alert is about: the entity's events between `start` and
 * `end` (inclusive), of the given log types when there are any.
 */
export function forEachCovered(
  truth: GroundTruth,
  entity: Entity,
  start: number,
  end: number,
  logTypes: readonly string[] | undefined,
  visit: (row: number) => void,
): void {
  const events = entity.type === "user" ? truth.byUser.get(entity.value) : entity.type === "source" ? truth.bySource.get(entity.value) : truth.logins;
  if (!events) return;
  for (let k = lowerBound(events.times, start); k < events.times.length && events.times[k] <= end; k++) {
    const row = events.rows[k];
    if (!logTypes || logTypes.includes(truth.logType[row])) visit(row);
  }
}
