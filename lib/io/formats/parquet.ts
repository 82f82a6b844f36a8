/**
 * Events in Parquet, as `threatlab ingest`, `convert` and `scenario` write them: read whole or
 * scanned in batches by polars.
 */
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";
import { EVENT_COLUMNS } from "../../schema";
import { isLazyFrame, lazyFrame } from "../../shared/frame";
import { readLogsParquet, scanLogs } from "../read-logs";
import type { FrameFormat } from "./format";

/** The columns an events Parquet file must have: events need a time and a kind. */
const PARQUET_REQUIRED = ["timestamp", "log_type"];

/**
 * Returns the events of a Parquet file in the schema: the event columns it lacks are unknown (null)
 * exactly as in events read from text, so every format gives the detectors the same frame. Rows
 * read whole are numbered as `source_line`; a scan leaves it unknown, since numbering rows would
 * stop polars from pushing a rule's filters into the scan (it would read every row in full).
 */
function parquetEvents<F extends DataFrame | LazyDataFrame>(events: F, path: string): F {
  const integers = new Set(["destination_port", "bytes_out", "bytes_in", "bytes_transferred"]);
  let lazy = lazyFrame(events);
  if (!events.columns.includes("source_line") && !isLazyFrame(events)) lazy = lazy.withRowIndex("source_line", 1).withColumns(pl.col("source_line").cast(pl.Int64));
  const absent = EVENT_COLUMNS.filter((c) => !events.columns.includes(c));
  lazy = lazy.withColumns(...absent.map((c) => (c === "source_file" ? pl.lit(path) : pl.lit(null).cast(integers.has(c) ? pl.Int64 : pl.Utf8)).alias(c)));
  const extra = events.columns.filter((c) => !(EVENT_COLUMNS as readonly string[]).includes(c));
  lazy = lazy.select(...EVENT_COLUMNS, ...extra);
  return (isLazyFrame(events) ? lazy : lazy.collectSync()) as F;
}

/** Events in Parquet. */
export const parquet: FrameFormat = {
  kind: "frame",
  name: "parquet",
  title: "events in Parquet (what threatlab ingest, convert and scenario write)",
  example: "events.parquet (binary; columns timestamp, log_type, user_id, ip_address, …)",
  clock: "the timestamp column, UTC",
  headerLines: 0,
  binary: true,
  sniff: (head) => head.bytes.subarray(0, 4).toString("latin1") === "PAR1",
  read: (path) => parquetEvents(readLogsParquet(path, { requiredColumns: PARQUET_REQUIRED }), path),
  scan: (path) => parquetEvents(scanLogs(path, { requiredColumns: PARQUET_REQUIRED }), path),
};
