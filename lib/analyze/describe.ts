/**
 * The tutorial's other analysis steps: mean bytes, the rows labelled as threats, daily volume.
 */
import pl, { type DataFrame } from "nodejs-polars";

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
  // Group on the date (a cast, no text), and write the few dates as text after: formatting or
  // truncating every row is what makes this slow.
  const days = frame
    .select(pl.col("timestamp").cast(pl.Datetime("ms")).cast(pl.Date).alias("day"))
    .groupBy("day")
    .agg(pl.len().cast(pl.Int64).alias("count"))
    .sort("day");
  const date = (day: Date): string => day.toISOString().slice(0, 10);
  return pl.DataFrame([pl.Series("date", (days.getColumn("day").toArray() as unknown as Date[]).map(date), pl.String), days.getColumn("count")]);
}
