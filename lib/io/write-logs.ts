/**
 * Writing log frames as CSV (the tutorial's format) or Parquet (for big data).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import pl, { type DataFrame, type LazyDataFrame } from "nodejs-polars";
import { TIMESTAMP_FORMAT } from "../schema";
import { syncFile, trackTemporary, untrackTemporary, writeAtomic, writeAtomicAsync, writeFully } from "./atomic-write";
import { releaseNativeMemory } from "./native-memory";
import { FORMULA_AFTER_SEMICOLON, FORMULA_ANYWHERE, FORMULA_PREFIX } from "./csv-export";

/**
 * Returns text columns with spreadsheet formula prefixes (`=`, `+`, `-`, `@`, tab, carriage return,
 * after leading spaces or after a semicolon) neutralised by an apostrophe, as `csvCell` does for
 * single cells.
 * @example
 * neutralizeFormulas(pl.DataFrame({ user_id: ["=1+1", "alice"] })).getColumn("user_id").toArray() // => ["'=1+1", "alice"]
 */
export function neutralizeFormulas(frame: DataFrame): DataFrame {
  const text = frame.columns.filter((c) => ["String", "Categorical"].includes(frame.getColumn(c).dtype.variant));
  if (text.length === 0 || frame.height === 0) return frame;
  const value = (c: string) => pl.col(c).cast(pl.String);
  // First one pass to find the columns with anything to neutralise: most have nothing, and
  // rewriting every value of a clean column costs ten times more than looking (1M rows: 1.2 s).
  const found = frame.select(...text.map((c) => value(c).str.contains(FORMULA_ANYWHERE).cast(pl.UInt32).sum().alias(c))).row(0) as number[];
  const dirty = text.filter((_, i) => found[i] > 0);
  return dirty.length === 0
    ? frame
    : frame.withColumns(
        ...dirty.map((c) =>
          pl.when(value(c).str.contains(FORMULA_PREFIX)).then(pl.concatString([pl.lit("'"), value(c)], "")).otherwise(value(c))
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
    writeAtomic(path, (tmp) => {
      writeCsvFile(frame, tmp, true);
      syncPath(tmp);
    });
  }
}

/**
 * Writes the frame as CSV to a new file at `path` (polars writes it natively: five times faster
 * than through a Node buffer): timestamps as the tutorial writes them, formulas neutralised.
 * Polars reports a failed or short write as an error. Not atomic by itself.
 */
function writeCsvFile(frame: DataFrame, path: string, includeHeader: boolean): void {
  const datetimes = frame.columns.filter((c) => frame.getColumn(c).dtype.variant === "Datetime");
  // Whole seconds as the tutorial writes them; milliseconds only where a column has them.
  const format = (c: string): string => {
    const fractional = frame.select(pl.col(c).cast(pl.Int64).modulo(1000).neq(0).cast(pl.UInt32).sum().alias("n")).row(0)[0] as number;
    return fractional > 0 ? `${TIMESTAMP_FORMAT}%.3f` : TIMESTAMP_FORMAT;
  };
  const formats = datetimes.map(format);
  const safe = neutralizeFormulas(frame);
  // One layout for every datetime column: the writer formats them as it goes, with no text column made first.
  if (new Set(formats).size <= 1) safe.writeCSV(path, { includeHeader, datetimeFormat: formats[0] ?? TIMESTAMP_FORMAT });
  else safe.withColumns(...datetimes.map((c, i) => pl.col(c).dt.strftime(formats[i]))).writeCSV(path, { includeHeader });
}

/** Flushes a written file to the disk. */
function syncPath(path: string): void {
  const fd = openSync(path, "r+");
  try {
    syncFile(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends the file at `from` to the open file `fd`, a block at a time, each write checked. */
function appendFile(fd: number, from: string): void {
  const source = openSync(from, "r");
  try {
    const block = Buffer.allocUnsafe(4 << 20);
    for (let n = readSync(source, block); n > 0; n = readSync(source, block)) writeFully(fd, block.subarray(0, n));
  } finally {
    closeSync(source);
  }
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
    // The first piece is written by polars straight into the file; each later one into a part
    // beside it, then appended (polars cannot append to a file).
    await writeAtomicAsync(path, async (tmp) => {
      let fd: number | undefined;
      try {
        await each((chunk) => {
          if (fd === undefined) {
            writeCsvFile(chunk, tmp, true);
            fd = openSync(tmp, "a");
            return;
          }
          const part = trackTemporary(`${tmp}.part`);
          try {
            writeCsvFile(chunk, part, false);
            appendFile(fd, part);
          } finally {
            rmSync(part, { force: true });
            untrackTemporary(part);
          }
        });
        if (fd === undefined) closeSync(openSync(tmp, "w"));
        else syncFile(fd);
      } finally {
        if (fd !== undefined) closeSync(fd);
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
