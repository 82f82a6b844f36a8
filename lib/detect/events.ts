/**
 * What detectors read: the event columns of a frame (never the labels), and the login events
 * pulled out as plain arrays for the window arithmetic.
 */
import pl, { type DataFrame, type Expr } from "nodejs-polars";
import { insideNetworks, outsideDestinations, parseCidr } from "../net";
import { withoutLabels } from "../schema";

/**
 * Returns the frame a detector may read: the labels (`threat_level`, `attack_id`, `technique`)
 * removed, so no rule can alert on the answer key even by accident.
 */
export function detectorView(frame: DataFrame): DataFrame {
  return withoutLabels(frame);
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
export function loginAttempts(frame: DataFrame, { withSuccess = false, requireUser = false }: LoginAttemptOptions = {}): Logins {
  const types = withSuccess ? ["login_failed", "login_success"] : ["login_failed"];
  const hasCountry = frame.columns.includes("country");
  const known = pl.col("ip_address").isNotNull().and(requireUser ? pl.col("user_id").isNotNull() : pl.lit(true));
  const rows = detectorView(frame)
    .filter(pl.col("log_type").isIn(types).and(known))
    .select(
      pl.col("timestamp").cast(pl.Int64).alias("t"),
      pl.col("user_id").cast(pl.Utf8).fillNull(UNKNOWN_ACCOUNT).alias("u"),
      pl.col("ip_address").cast(pl.Utf8).alias("s"),
      pl.col("log_type").eq(pl.lit("login_success")).alias("ok"),
      ...(hasCountry ? [pl.col("country").cast(pl.Utf8).alias("c")] : []),
    )
    .sort({ by: "t", maintainOrder: true });
  return {
    time: rows.getColumn("t").toArray().map(Number),
    user: rows.getColumn("u").toArray() as string[],
    source: rows.getColumn("s").toArray() as string[],
    success: rows.getColumn("ok").toArray() as boolean[],
    ...(hasCountry ? { country: rows.getColumn("c").toArray() as (string | null)[] } : {}),
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
export function timeSpan(frame: DataFrame): { from: number; to: number } | undefined {
  if (frame.height === 0) return undefined;
  const [from, to] = frame.select(pl.col("timestamp").min().cast(pl.Int64).alias("a"), pl.col("timestamp").max().cast(pl.Int64).alias("b")).row(0);
  return { from: Number(from), to: Number(to) };
}

/** Returns the distinct values of `values` at the given indices, sorted. */
export function distinctAt(values: readonly (string | null)[], indices: readonly number[]): string[] {
  return [...new Set(indices.map((i) => values[i]).filter((v): v is string => v !== null))].sort();
}

/**
 * Returns an expression true where `destination` is outside the organisation: see
 * {@link insideNetworks} for how inside is decided when `internal` (CIDR texts) is not given.
 * False everywhere when the frame has no destination column.
 */
export function outsideDestinationExpr(view: DataFrame, internal?: readonly string[]): Expr {
  if (!view.columns.includes("destination")) return pl.lit(false);
  const distinct = (column: string): string[] =>
    view.columns.includes(column) ? (view.select(pl.col(column).cast(pl.Utf8)).getColumn(column).unique().toArray().filter((v) => v !== null) as string[]) : [];
  const destinations = distinct("destination");
  const inside = insideNetworks(distinct("ip_address"), destinations, internal?.map((c) => parseCidr("internal", c)));
  const outside = outsideDestinations(destinations, inside);
  return outside.length === 0 ? pl.lit(false) : pl.col("destination").isIn(outside).fillNull(false);
}

/**
 * Returns the column that holds bytes sent by the source: `bytes_out` when the data have it (Zeek's
 * orig_bytes), else `bytes_transferred`; undefined when neither has a value.
 */
export function bytesOutColumn(view: DataFrame): string | undefined {
  for (const column of ["bytes_out", "bytes_transferred"]) {
    if (view.columns.includes(column) && view.getColumn(column).nullCount() < view.height) return column;
  }
  return undefined;
}
