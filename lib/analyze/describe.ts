/**
 * The tutorial's other analysis steps: mean bytes, the rows labelled as threats, daily volume.
 */
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";

/**
 * Returns the mean of `bytes_transferred`, or `null` for no rows (pandas: `df['bytes_transferred'].mean()`).
 * @example
 * meanBytes(logs) // => 489110.922
 */
export function meanBytes(frame: DataFrame): number | null {
  if (frame.height === 0) return null;
  return frame.select(pl.col("bytes_transferred").mean()).row(0)[0];
}

/**
 * Returns the rows whose `threat_level` label is not `normal` (pandas: `df[df['threat_level'] != 'normal']`).
 * These are the generator's answer key, not detections.
 * @example
 * threatRows(readLogs("data/sample_logs.csv")).height // => 54
 */
export function threatRows(frame: DataFrame): DataFrame {
  return frame.filter(pl.col("threat_level").neq(pl.lit("normal")));
}

/**
 * Returns a frame of `["date", "count"]`: rows per calendar date of `timestamp`, oldest first
 * (pandas: `df.groupby(df['timestamp'].dt.date).size()`). Dates are the wall-clock dates written
 * in the file, as `YYYY-MM-DD` text.
 * @example
 * dailyCounts(logs).head(2)
 * // │ date       ┆ count │
 * // │ 2025-01-01 ┆ 33    │
 * // │ 2025-01-02 ┆ 29    │
 */
export function dailyCounts(frame: DataFrame): DataFrame {
  return datedCounts(dailyCountsPlan(frame.lazy()).collectSync());
}

/**
 * The plan behind {@link dailyCounts}, for a lazy frame: rows per `Date`, oldest first. It groups
 * on the date (a cast, no text); {@link datedCounts} then writes the few dates as text, because
 * formatting or truncating every row is what makes this slow.
 */
export function dailyCountsPlan(frame: LazyDataFrame): LazyDataFrame {
  return frame
    .select(pl.col("timestamp").cast(pl.Date).alias("day"))
    .groupBy("day")
    .agg(pl.len().cast(pl.Int64).alias("count"))
    .sort("day");
}

/** Returns the result of {@link dailyCountsPlan} as `["date", "count"]` with `YYYY-MM-DD` text. */
export function datedCounts(days: DataFrame): DataFrame {
  const date = (day: Date): string => day.toISOString().slice(0, 10);
  return pl.DataFrame([pl.Series("date", (days.getColumn("day").toArray() as unknown as Date[]).map(date), pl.String), days.getColumn("count")]);
}

/** The bin of {@link eventVolume}: a minute, an hour or a day. */
export type VolumeUnit = "minute" | "hour" | "day";

/** Spans up to which a finer bin is used: two hours in minutes, three days in hours, else days. */
const FINEST_BIN: readonly [VolumeUnit, number, string][] = [
  ["minute", 2 * 3_600_000, "1m"],
  ["hour", 3 * 86_400_000, "1h"],
  ["day", Infinity, "1d"],
];

/**
 * Returns events per bin of time, the bin chosen from the span of `timestamp` so that a chart has
 * enough points and readable ticks: minutes for up to two hours, hours for up to three days, else
 * days. `start` is each bin's start as `YYYY-MM-DD HH:MM` text (wall-clock, as written), oldest first.
 * @example
 * eventVolume(oneDayOfLogs).unit // => "hour"
 */
export function eventVolume(frame: DataFrame): { unit: VolumeUnit; counts: DataFrame } {
  const times = frame.select(pl.col("timestamp").cast(pl.Datetime("ms")).alias("t")).filter(pl.col("t").isNotNull());
  const span = times.height === 0 ? 0 : Number(times.getColumn("t").max()) - Number(times.getColumn("t").min());
  const [unit, , every] = FINEST_BIN.find(([, upTo]) => span <= upTo)!;
  const bins = times
    .lazy()
    .select(pl.col("t").dt.truncate(every).alias("bin"))
    .groupBy("bin")
    .agg(pl.len().cast(pl.Int64).alias("count"))
    .sort("bin")
    .collectSync();
  const start = (bin: Date): string => bin.toISOString().slice(0, 16).replace("T", " ");
  return { unit, counts: pl.DataFrame([pl.Series("start", (bins.getColumn("bin").toArray() as unknown as Date[]).map(start), pl.String), bins.getColumn("count")]) };
}
