/**
 * The same steps in danfojs, the pandas-like DataFrame library for JavaScript, for learners coming
 * from the Python tutorial: `toDanfo(logs).column("log_type").valueCounts()` reads like pandas.
 * polars does the real work everywhere else; danfojs is loaded only when one of these is called
 * (it takes about a second to load).
 */
import type * as Danfo from "danfojs-node";
import type { DataFrame } from "nodejs-polars";

let danfo: typeof Danfo | undefined;

/** Returns the danfojs-node module, loading it on first use. */
export function loadDanfo(): typeof Danfo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  danfo ??= require("danfojs-node") as typeof Danfo;
  return danfo;
}

/**
 * Returns a danfojs DataFrame with the same columns and rows; datetimes become
 * `YYYY-MM-DD HH:MM:SS` text, as pandas prints them.
 * @example
 * toDanfo(logs.head(3)).print()
 */
export function toDanfo(frame: DataFrame): Danfo.DataFrame {
  const { DataFrame: DanfoFrame } = loadDanfo();
  const columns: Record<string, unknown[]> = {};
  for (const name of frame.columns) {
    const series = frame.getColumn(name);
    columns[name] =
      series.dtype.variant === "Datetime"
        ? series.dt.strftime("%Y-%m-%d %H:%M:%S").toArray()
        : series.toArray();
  }
  return new DanfoFrame(columns);
}

/**
 * Returns `{ value: count }` for one column, computed by danfojs (pandas:
 * `df[column].value_counts()`); compare with `countsToObject(valueCounts(frame, column))`.
 * @example
 * valueCountsDanfo(logs, "location") // => { home: 269, office: 253, data_center: 233, remote: 245 }
 */
export function valueCountsDanfo(frame: DataFrame, column: string): Record<string, number> {
  const counts = toDanfo(frame.select(column)).column(column).valueCounts();
  const out: Record<string, number> = Object.create(null);
  counts.index.forEach((value, i) => {
    out[String(value)] = Number(counts.values[i]);
  });
  return out;
}

/**
 * Returns the mean of a numeric column computed by danfojs (pandas: `df[column].mean()`).
 * @example
 * meanDanfo(logs, "bytes_transferred") // => 489110.922
 */
export function meanDanfo(frame: DataFrame, column: string): number {
  return Number(toDanfo(frame.select(column)).column(column).mean());
}
