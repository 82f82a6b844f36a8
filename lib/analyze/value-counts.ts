/**
 * Counting values: the tutorial's `df[column].value_counts()`, in polars.
 */
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";

/**
 * Returns a frame of `[column, "count"]`: how often each value of `column` occurs, most frequent
 * first and ties in alphabetical order (pandas: `df[column].value_counts()`).
 * @example
 * valueCounts(logs, "location")
 * // shape: (4, 2)
 * // │ location    ┆ count │
 * // │ home        ┆ 269   │
 * // │ office      ┆ 253   │ …
 */
export function valueCounts(frame: DataFrame, column: string): DataFrame {
  return valueCountsPlan(frame.lazy(), column).collectSync();
}

/** The plan behind {@link valueCounts}, for a lazy frame (a file scanned in streaming mode). */
export function valueCountsPlan(frame: LazyDataFrame, column: string): LazyDataFrame {
  return frame
    .groupBy(column)
    .agg(pl.len().cast(pl.Int64).alias("count"))
    .sort(column)
    .sort({ by: "count", descending: true, maintainOrder: true });
}

/**
 * Returns how many rows have each `log_type` (pandas: `df['log_type'].value_counts()`).
 * @example
 * countByLogType(readLogs("data/sample_logs.csv")).row(0) // => ["login_success", 211]
 */
export function countByLogType(frame: DataFrame): DataFrame {
  return valueCounts(frame, "log_type");
}

/**
 * Returns how many rows have each `threat_level` (pandas: `df['threat_level'].value_counts()`).
 * @example
 * countByThreatLevel(readLogs("data/sample_logs.csv")).getColumn("count").toArray() // => [946, 16, 16, 15, 7]
 */
export function countByThreatLevel(frame: DataFrame): DataFrame {
  return valueCounts(frame, "threat_level");
}

/**
 * Returns a value-count frame as a plain object `{ value: count }`, in the frame's order.
 * @example
 * countsToObject(countByLogType(logs)) // => { login_success: 211, login_failed: 202, … }
 */
export function countsToObject(counts: DataFrame): Record<string, number> {
  const [key] = counts.columns;
  const out: Record<string, number> = Object.create(null);
  for (const row of counts.toRecords()) out[String(row[key])] = Number(row.count);
  return out;
}
