/**
 * Writing log frames as CSV (the tutorial's format) or Parquet (for big data).
 */
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";
import { TIMESTAMP_FORMAT } from "../schema";
import { syncFile, trackTemporary, untrackTemporary, writeAtomic, writeAtomicAsync, writeFileSynced, writeFully } from "./atomic-write";
import { releaseNativeMemory } from "./native-memory";
import { FORMULA_AFTER_SEMICOLON, FORMULA_PREFIX } from "./csv-export";

/**
 * Returns text columns with spreadsheet formula prefixes (`=`, `+`, `-`, `@`, tab, carriage return,
 * after leading spaces or after a semicolon) neutralised by an apostrophe, as `csvCell` does for
 * single cells.
 * @example
 * neutralizeFormulas(pl.DataFrame({ user_id: ["=1+1", "alice"] })).getColumn("user_id").toArray() // => ["'=1+1", "alice"]
 */
export function neutralizeFormulas(frame: DataFrame): DataFrame {
  const text = frame.columns.filter((c) => frame.getColumn(c).dtype.variant === "String");
  return frame.withColumns(
    ...text.map((c) =>
      pl.when(pl.col(c).str.contains(FORMULA_PREFIX)).then(pl.concatString([pl.lit("'"), pl.col(c)], "")).otherwise(pl.col(c))
        .str.replaceAll(FORMULA_AFTER_SEMICOLON, ";${1}'${2}")
        .alias(c),
    ),
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
    writeAtomic(path, (tmp) => writeFileSynced(tmp, csvText(frame, true)));
  }
}

/** Returns the frame as CSV text: timestamps as the tutorial writes them, formulas neutralised. */
function csvText(frame: DataFrame, includeHeader: boolean): Buffer {
  const datetimes = frame.columns.filter((c) => frame.getColumn(c).dtype.variant === "Datetime");
  // Whole seconds as the tutorial writes them; milliseconds only where a column has them.
  const format = (c: string): string => {
    const fractional = frame.select(pl.col(c).cast(pl.Int64).modulo(1000).neq(0).cast(pl.UInt32).sum().alias("n")).row(0)[0] as number;
    return fractional > 0 ? `${TIMESTAMP_FORMAT}%.3f` : TIMESTAMP_FORMAT;
  };
  return neutralizeFormulas(frame).withColumns(...datetimes.map((c) => pl.col(c).dt.strftime(format(c)))).writeCSV({ includeHeader });
}

/**
 * Writes logs that arrive in pieces (from a generator, for data bigger than memory) to one file,
 * atomically, holding one piece at a time: CSV pieces are appended; Parquet pieces are written as
 * parts beside the output, then streamed by polars into one file of row groups. `onChunk` is
 * called after each piece with the rows written so far; resolves to the number of rows. The file
 * is the same as {@link writeLogs} of all the pieces at once.
 * @example
 * await writeLogsInChunks([logs.head(600), logs.tail(400)], "logs.parquet") // => 1000
 */
export async function writeLogsInChunks(chunks: Iterable<DataFrame>, path: string, onChunk?: (rowsWritten: number) => void): Promise<number> {
  let rows = 0;
  /** Writes each piece, then frees it before the next is made: memory stays at about one piece. */
  const each = async (write: (chunk: DataFrame) => void): Promise<void> => {
    for (const chunk of chunks) {
      write(chunk);
      rows += chunk.height;
      onChunk?.(rows);
      await releaseNativeMemory();
    }
  };
  if (extname(path).toLowerCase() === ".parquet") {
    await writeAtomicAsync(path, async (tmp) => {
      const parts = trackTemporary(mkdtempSync(join(dirname(tmp), ".threatlab-parts-")));
      try {
        let n = 0;
        await each((chunk) => chunk.writeParquet(join(parts, `part-${String(n++).padStart(6, "0")}.parquet`), { compression: "zstd" }));
        sinkParquet(pl.scanParquet(join(parts, "*.parquet")), tmp);
      } finally {
        rmSync(parts, { recursive: true, force: true });
        untrackTemporary(parts);
      }
    });
  } else {
    await writeAtomicAsync(path, async (tmp) => {
      const fd = openSync(tmp, "w");
      try {
        let first = true;
        await each((chunk) => {
          writeFully(fd, csvText(chunk, first));
          first = false;
        });
        syncFile(fd);
      } finally {
        closeSync(fd);
      }
    });
  }
  return rows;
}

/**
 * Runs a lazy frame in polars' streaming engine straight into a Parquet file at `path` (zstd, rows
 * in order): the data never has to fit in memory. Not atomic by itself: write to a temporary path.
 * @example
 * sinkParquet(scanLogs("data/sample_logs.csv"), "logs.parquet") // writes the 1,000 rows without holding them
 */
export function sinkParquet(frame: LazyDataFrame, path: string): void {
  const sink = frame.sinkParquet(path, {
    compression: "zstd",
    sinkOptions: { syncOnClose: "all", maintainOrder: true, mkdir: false },
  } as never) as unknown as { collectSync(engine: string): unknown };
  sink.collectSync("streaming");
}
