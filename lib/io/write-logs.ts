/**
 * Writing log frames as CSV (the tutorial's format) or Parquet (for big data).
 */
import { extname } from "node:path";
import pl, { type DataFrame } from "nodejs-polars";
import { TIMESTAMP_FORMAT } from "../schema";
import { writeAtomic } from "./atomic-write";
import { FORMULA_PREFIX } from "./csv-export";

/**
 * Returns text columns with spreadsheet formula prefixes (`=`, `+`, `-`, `@`, tab, carriage return)
 * neutralised by a leading apostrophe, as `csvCell` does for single cells.
 */
export function neutralizeFormulas(frame: DataFrame): DataFrame {
  const text = frame.columns.filter((c) => frame.getColumn(c).dtype.variant === "String");
  return frame.withColumns(
    ...text.map((c) => pl.when(pl.col(c).str.contains(FORMULA_PREFIX)).then(pl.concatString([pl.lit("'"), pl.col(c)], "")).otherwise(pl.col(c)).alias(c)),
  );
}

/**
 * Writes logs to `path`, atomically: Parquet when the name ends in `.parquet` (values exactly as
 * they are), else CSV with timestamps as `YYYY-MM-DD HH:MM:SS` (the way pandas' `to_csv` writes the
 * tutorial's frame), with `.fff` milliseconds only when some timestamp has them, and formula
 * prefixes in text cells neutralised (log values are attacker-controlled).
 * @example
 * writeLogs(generateLogs({ rows: 1000, seed: 42 }), "data/sample_logs.csv");
 */
export function writeLogs(frame: DataFrame, path: string): void {
  if (extname(path).toLowerCase() === ".parquet") {
    writeAtomic(path, (tmp) => frame.writeParquet(tmp, { compression: "zstd" }));
  } else {
    const datetimes = frame.columns.filter((c) => frame.getColumn(c).dtype.variant === "Datetime");
    // Whole seconds as the tutorial writes them; milliseconds only where a column has them.
    const format = (c: string): string => {
      const fractional = frame.select(pl.col(c).cast(pl.Int64).modulo(1000).neq(0).cast(pl.UInt32).sum().alias("n")).row(0)[0] as number;
      return fractional > 0 ? `${TIMESTAMP_FORMAT}%.3f` : TIMESTAMP_FORMAT;
    };
    const text = neutralizeFormulas(frame).withColumns(...datetimes.map((c) => pl.col(c).dt.strftime(format(c))));
    writeAtomic(path, (tmp) => text.writeCSV(tmp));
  }
}
