/**
 * What detectors read: the event columns of a frame (never the labels), and the login events
 * pulled out as plain arrays for the window arithmetic.
 *
 * Events come in memory (a DataFrame) or as a lazy frame over a file (`scanEvents`). Every rule
 * reads them the same way: it builds a plan that reduces the events to what it needs (login
 * attempts, per-user hours, …) and collects that with {@link collectEvents} — in memory for a
 * DataFrame, with polars' streaming engine for a lazy frame, so a file bigger than memory is
 * detected in batches and gives the same detections.
 */
import pl, { type DataFrame, type Expr, type LazyDataFrame, type Series } from "nodejs-polars";
import { collectStreaming, type Frame, isLazyFrame, lazyFrame } from "../shared/frame";
import { insideNetworks, outsideDestinations, parseCidr } from "../net";
import { withoutLabels } from "../schema";

/** Events for the detectors: in memory, or a lazy frame over a file that is read in batches. */
export type Events = Frame;

/** Returns a lazy frame over the events, to build a plan on. */
export const lazyEvents = lazyFrame;

/**
 * Runs a plan built on {@link lazyEvents}`(events)`: in memory when the events are, else with the
 * streaming engine. Plans are to end in something small (a filter, a group-by).
 */
export function collectEvents(events: Events, plan: LazyDataFrame): DataFrame {
  return isLazyFrame(events) ? collectStreaming(plan) : plan.collectSync();
}

/** Row count and non-null count of every column, computed once per lazy frame. */
const profiles = new WeakMap<LazyDataFrame, { rows: number; values: Record<string, number> }>();

function profileOf(events: LazyDataFrame): { rows: number; values: Record<string, number> } {
  let profile = profiles.get(events);
  if (!profile) {
    const columns = events.columns;
    const row = collectStreaming(events.select(pl.len().alias("\u0000rows"), ...columns.map((c) => pl.col(c).isNotNull().cast(pl.UInt64).sum().alias(c)))).row(0);
    profile = { rows: Number(row[0]), values: Object.fromEntries(columns.map((c, i) => [c, Number(row[i + 1])])) };
    profiles.set(events, profile);
  }
  return profile;
}

/** Returns the number of events (one pass over a lazy frame's file, then remembered). */
export function eventCount(events: Events): number {
  return isLazyFrame(events) ? profileOf(events).rows : events.height;
}

/** Returns how many events have a value in `column` (0 when there is no such column). */
export function valueCount(events: Events, column: string): number {
  if (!events.columns.includes(column)) return 0;
  return isLazyFrame(events) ? (profileOf(events).values[column] ?? 0) : events.height - events.getColumn(column).nullCount();
}

/**
 * Runs work written as a generator that pauses (yields) where a caller may free memory, to its
 * end, without pausing: the synchronous form of that work.
 */
export function finishSteps<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * Events per part, by default, when a rule that needs each entity's events in full (sorted, in
 * order) works through a lazy frame part by part: about 1.5 GB of a rule's state at its peak.
 * `runDetectors` takes another as its `partEvents` option (the CLI: THREATLAB_PART_EVENTS).
 */
export const PART_EVENTS = 8_000_000;

/**
 * Yields the events of one group of entities at a time — the entities (values of `key`, e.g. the
 * account) split into groups of about `perPart` ({@link PART_EVENTS}) events, in the key's sorted
 * order, entities without a key first — for a rule whose findings about an entity depend only on
 * that entity's events: run on each part, it finds exactly what it would on all events at once,
 * while its per-entity state (every minute of every account, say) is only ever held for one part.
 * Events in memory, or fewer than a part, are one part.
 */
export function* entityParts(events: Events, key: Expr, perPart: number = PART_EVENTS): Generator<Events> {
  if (!isLazyFrame(events) || eventCount(events) <= perPart) {
    yield events;
    return;
  }
  const counts = collectStreaming(events.groupBy(key.alias("key")).agg(pl.len().alias("n"))).sort("key");
  const keys = counts.getColumn("key").toArray() as (string | null)[];
  const sizes = counts.getColumn("n").toArray().map(Number);
  let group: string[] = [];
  let size = 0;
  const flush = function* (): Generator<Events> {
    if (group.length > 0) yield events.filter(key.isIn(group));
    group = [];
    size = 0;
  };
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === null) {
      yield events.filter(key.isNull());
      continue;
    }
    if (size > 0 && size + sizes[i] > perPart) yield* flush();
    group.push(keys[i]!);
    size += sizes[i];
  }
  yield* flush();
}

/**
 * Returns the frame a detector may read: the labels (`threat_level`, `attack_id`, `technique`)
 * removed, so no rule can alert on the answer key even by accident.
 */
export function detectorView<F extends Events>(frame: F): F {
  return withoutLabels(frame);
}

/**
 * Returns a text column as strings that share one string per distinct value: 40M login attempts
 * from 100 accounts hold 100 strings, not 40M copies.
 */
export function sharedStrings(series: Series): (string | null)[] {
  const codes = series.rank("dense").toArray() as (number | null)[];
  const dictionary = series.unique().dropNulls().sort().toArray() as string[];
  return codes.map((c) => (c === null ? null : dictionary[c - 1]));
}

/** Marks an actor key that is a source, not an account (NUL never starts a user name a log can mean). */
const SOURCE_ACTOR = "\u0000source:";

/**
 * Returns the actor of each event as one text key: its account, or — where the log names none, as
 * Zeek's and firewalls' do not — its source, marked so the two never mix. Per-user rules group by
 * it, so logs without accounts are profiled per source instead of as one null user.
 */
export function actorExpr(): Expr {
  return pl
    .when(pl.col("user_id").isNotNull())
    .then(pl.col("user_id").cast(pl.Utf8))
    .otherwise(pl.concatString([pl.lit(SOURCE_ACTOR), pl.col("ip_address").cast(pl.Utf8)], ""));
}

/** Returns the entity an {@link actorExpr} key stands for. */
export function actorEntity(actor: string): { type: "user" | "source"; value: string } {
  return actor.startsWith(SOURCE_ACTOR) ? { type: "source", value: actor.slice(SOURCE_ACTOR.length) } : { type: "user", value: actor };
}

/** Login attempts as arrays, sorted by time. */
export interface Logins {
  readonly time: number[];
  readonly user: string[];
  readonly source: string[];
  readonly success: boolean[];
  /** True for sshd's "Failed publickey": a key the client offered and the server refused, not a guess. */
  readonly keyOffer: boolean[];
  /** Country of the source, when the data have one. */
  readonly country?: (string | null)[];
}

/** Options of {@link loginAttempts}. */
export interface LoginAttemptOptions {
  /** Include successful logins. Default false. */
  withSuccess?: boolean;
  /** Leave out attempts whose account is unknown (rules that count accounts need it). Default false. */
  requireUser?: boolean;
}

/** What stands for an unknown account (Zeek's ssh.log never names one). */
export const UNKNOWN_ACCOUNT = "(unknown account)";

/**
 * Returns the login attempts (`login_failed`, and `login_success` when `withSuccess`) of a frame.
 * Attempts without a source are left out: no rule can attribute them.
 */
export function loginAttempts(frame: Events, { withSuccess = false, requireUser = false }: LoginAttemptOptions = {}): Logins {
  const types = withSuccess ? ["login_failed", "login_success"] : ["login_failed"];
  const hasCountry = frame.columns.includes("country");
  const hasDetail = frame.columns.includes("detail");
  const known = pl.col("ip_address").isNotNull().and(requireUser ? pl.col("user_id").isNotNull() : pl.lit(true));
  const plan = lazyEvents(detectorView(frame))
    .filter(pl.col("log_type").isIn(types).and(known))
    .select(
      pl.col("timestamp").cast(pl.Int64).alias("t"),
      pl.col("user_id").cast(pl.Utf8).fillNull(UNKNOWN_ACCOUNT).alias("u"),
      pl.col("ip_address").cast(pl.Utf8).alias("s"),
      pl.col("log_type").eq(pl.lit("login_success")).alias("ok"),
      (hasDetail ? pl.col("detail").cast(pl.Utf8).str.startsWith("publickey").fillNull(false) : pl.lit(false)).alias("key"),
      ...(hasCountry ? [pl.col("country").cast(pl.Utf8).alias("c")] : []),
    )
    .sort({ by: "t", maintainOrder: true });
  const rows = collectEvents(frame, plan);
  return {
    time: rows.getColumn("t").toArray().map(Number),
    user: sharedStrings(rows.getColumn("u")) as string[],
    source: sharedStrings(rows.getColumn("s")) as string[],
    success: rows.getColumn("ok").toArray() as boolean[],
    keyOffer: rows.getColumn("key").toArray() as boolean[],
    ...(hasCountry ? { country: sharedStrings(rows.getColumn("c")) } : {}),
  };
}

/** Returns the indices of `keys` grouped by key, each group in its original (time) order. */
export function groupIndices(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(i);
  });
  return groups;
}

/** Returns the first and last timestamp of a frame in epoch milliseconds, or `undefined` when empty. */
export function timeSpan(frame: Events): { from: number; to: number } | undefined {
  const [from, to] = collectEvents(frame, lazyEvents(frame).select(pl.col("timestamp").min().cast(pl.Int64).alias("a"), pl.col("timestamp").max().cast(pl.Int64).alias("b"))).row(0);
  if (from === null || to === null) return undefined;
  return { from: Number(from), to: Number(to) };
}

/** Returns the distinct values of `values` at the given indices, sorted. */
export function distinctAt(values: readonly (string | null)[], indices: readonly number[]): string[] {
  return [...new Set(indices.map((i) => values[i]).filter((v): v is string => v !== null))].sort();
}

/**
 * Accounts a log must hold before a baseline compares an account too new for a usual of its own
 * with the others (off-hours, the volume rules). Only accounts form a peer group: the addresses
 * seen in a capture, the Internet's scanners among them, do not.
 */
export const MIN_PEER_ACCOUNTS = 10;

/** Which addresses of a log are inside the organisation, and what that rests on. */
export interface NetworkSides {
  /** True for an address inside the organisation. */
  inside(address: string): boolean;
  /** What decided it, in words: "--internal 10.0.0.0/8", "Zeek's local_orig and local_resp", … */
  readonly basis: string;
  /** The distinct destinations of the events. */
  readonly destinations: readonly string[];
}

/** Matches a Zeek locality flag set to true in `source_fields` (JSON text): a key can only follow `{` or `,`. */
const zeekFlag = (key: string, values: string): Expr => pl.col("source_fields").str.contains(`[{,]"${key}":(?:${values})[,}]`);

/**
 * Returns which addresses of the events are inside. Given networks (`internal`, CIDR texts) win.
 * Otherwise, where Zeek recorded locality (`local_orig`, `local_resp`: its `Site::local_nets`),
 * the addresses it marked local are inside, as well as those {@link insideNetworks} finds from the
 * addresses alone (private ranges, or the sources' networks in an all-private capture). A public
 * address Zeek marked local, such as a capture host on the Internet, is thus inside.
 * @example
 * networkSides(zeekConn).inside("147.32.81.167") // => true where Zeek marked it local_orig
 */
export function networkSides(view: Events, internal?: readonly string[]): NetworkSides {
  const given = internal?.map((c) => parseCidr("internal", c));
  const has = (column: string): boolean => view.columns.includes(column);
  const distinct = (column: string, where?: Expr): string[] => {
    if (!has(column)) return [];
    const rows = where ? lazyEvents(view).filter(where) : lazyEvents(view);
    return collectEvents(view, rows.select(pl.col(column).cast(pl.Utf8)).unique()).getColumn(column).toArray().filter((v) => v !== null) as string[];
  };
  const destinations = distinct("destination");
  const networks = insideNetworks(distinct("ip_address"), destinations, given);
  const local = new Set<string>();
  let basis = given && given.length > 0 ? `--internal ${given.map((c) => c.text).join(", ")}` : networks.length > 0 ? "private address ranges" : "no inside networks";
  if (!(given && given.length > 0) && has("source_fields")) {
    for (const a of distinct("ip_address", zeekFlag("local_orig", '"T"|true'))) local.add(a);
    for (const a of distinct("destination", zeekFlag("local_resp", '"T"|true'))) local.add(a);
    if (local.size > 0) basis = `Zeek's local_orig and local_resp, and ${basis}`;
  }
  // Host names and other text are never outside: only an address can be placed.
  return { inside: (address) => local.has(address) || outsideDestinations([address], networks).length === 0, basis, destinations };
}

/**
 * Returns an expression true where `destination` is outside the organisation: see
 * {@link networkSides} for how inside is decided. False everywhere when the frame has no
 * destination column.
 */
export function outsideDestinationExpr(view: Events, internal?: readonly string[]): Expr {
  if (!view.columns.includes("destination")) return pl.lit(false);
  const sides = networkSides(view, internal);
  const outside = sides.destinations.filter((d) => !sides.inside(d));
  return outside.length === 0 ? pl.lit(false) : pl.col("destination").isIn(outside).fillNull(false);
}

/**
 * Returns the column that holds bytes sent by the source: `bytes_out` when the data have it (Zeek's
 * orig_bytes), else `bytes_transferred`; undefined when neither has a value.
 */
export function bytesOutColumn(view: Events): string | undefined {
  for (const column of ["bytes_out", "bytes_transferred"]) {
    if (valueCount(view, column) > 0) return column;
  }
  return undefined;
}
