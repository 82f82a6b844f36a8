/**
 * The busiest users, sources and destinations of a set of events, with their failed logins.
 */
import pl, { type DataFrame } from "nodejs-polars";

/** One row of {@link topEntities}. */
export interface EntityCount {
  readonly value: string;
  readonly events: number;
  readonly failed_logins: number;
}

/**
 * Returns the `n` values of `column` with the most events (nulls left out), most first, ties in
 * alphabetical order, with how many of their events are failed logins.
 * @example
 * topEntities(events, "ip_address", 3)[0] // => { value: "183.62.140.253", events: 1207, failed_logins: 286 }
 */
export function topEntities(frame: DataFrame, column: string, n = 10): EntityCount[] {
  if (!frame.columns.includes(column)) return [];
  return frame
    .filter(pl.col(column).isNotNull())
    .groupBy(column)
    .agg(pl.len().cast(pl.Int64).alias("events"), pl.col("log_type").eq(pl.lit("login_failed")).cast(pl.Int64).sum().alias("failed"))
    .sort(column)
    .sort({ by: "events", descending: true, maintainOrder: true })
    .head(n)
    .rows()
    .map(([value, events, failed]) => ({ value: String(value), events: Number(events), failed_logins: Number(failed) }));
}
