// The floor for the tutorial analysis: a bare nodejs-polars script that does only the reads and
// aggregations of `threatlab analyze` (no validation, no error messages, no formatting), on
// the same CSV. threatlab's whole process is timed against this one's.
// Usage: node bench/polars_floor.js FILE.csv
"use strict";
const pl = require("nodejs-polars");

const df = pl.readCSV(process.argv[2], { tryParseDates: true });
const bytes = pl.col("bytes_transferred");
const threshold = df.select(bytes.quantile(0.95, "linear")).row(0)[0];
const flagged = bytes.gt(threshold);
const summary = {
  total: df.height,
  log_type_counts: df.getColumn("log_type").valueCounts().toRecords(),
  threat_level_counts: df.getColumn("threat_level").valueCounts().toRecords(),
  threat_count: df.filter(pl.col("threat_level").neq(pl.lit("normal"))).height,
  mean_bytes: df.getColumn("bytes_transferred").mean(),
  anomaly_threshold: threshold,
  anomaly_count: df.filter(flagged).height,
  alert_count: df.filter(pl.col("threat_level").neq(pl.lit("normal")).or(flagged)).height,
  daily_counts: df.select(pl.col("timestamp").cast(pl.Date).alias("date")).groupBy("date").len().sort("date").toRecords(),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
