/**
 * Writing log frames as CSV (the tutorial's format) or Parquet (for big data).
 */
import { extname } from "node:path";
import pl, { type DataFrame } from "nodejs-polars";
import { TIMESTAMP_FORMAT } from "../schema";
import { writeAtomic } from "./atomic-write";

/**
 * Writes logs to `path`, atomically: Parquet when the name ends in `.parquet`, else CSV with
 * timestamps as `YYYY-MM-DD HH:MM:SS`, the way pandas' `to_csv` writes the tutorial's frame.
 * @example
 * writeLogs(generateLogs({ rows: 1000, seed: 42 }), "data/sample_logs.csv");
 */
export function writeLogs(frame: DataFrame, path: string): void {
  if (extname(path).toLowerCase() === ".parquet") {
    writeAtomic(path, (tmp) => frame.writeParquet(tmp, { compression: "zstd" }));
  } else {
    const datetimes = frame.columns.filter((c) => frame.getColumn(c).dtype.variant === "Datetime");
    const text = frame.withColumns(...datetimes.map((c) => pl.col(c).dt.strftime(TIMESTAMP_FORMAT)));
    writeAtomic(path, (tmp) => text.writeCSV(tmp));
  }
}
