/**
 * When to read a file whole and when to scan it in batches (polars' streaming engine): the
 * policy `threatlab analyze`, `detect` and `convert` follow, in the library so that notebooks and
 * the report can make the same choice.
 */
import { statSync } from "node:fs";
import { totalmem } from "node:os";
import { extname } from "node:path";
import pl from "nodejs-polars";
import { TUTORIAL_COLUMNS } from "../schema";

/**
 * The CSV size from which `analyze` streams: read whole, a CSV takes about three times its size in
 * memory, so it streams once that would pass a quarter of this machine's memory (2 GB of CSV on a
 * 24 GB machine, about 27M rows). Below that, reading it whole once is faster than scanning it
 * again for each part of the summary.
 */
export function streamingFromBytes(totalMemory: number = totalmem()): number {
  return Math.floor(totalMemory / 4 / 3);
}

/**
 * Returns true when `analyze` is to scan a file in streaming mode: when asked, for Parquet always
 * (it reads only the columns each part needs: faster and leaner at every size), for CSV from
 * {@link streamingFromBytes}.
 * @example
 * analyzeStreams("logs.parquet", false) // => true
 */
export function analyzeStreams(file: string, asked: boolean): boolean {
  if (asked || extname(file).toLowerCase() === ".parquet") return true;
  try {
    return statSync(file).size >= streamingFromBytes();
  } catch {
    return false; // the reader names the problem
  }
}

/**
 * The number of events from which `detect` scans a file in batches instead of reading it whole:
 * 6M on a 24 GB machine, where reading whole would take a quarter of the memory at 1 KB per event
 * (the benchmark: 5.2 GB for 10.6M events read whole, plus the file's frame). From a few million
 * events streaming is as fast (10.6M: 33 s against 44 s) and far leaner (1.7 GB).
 */
export function detectStreamingFromEvents(totalMemory: number = totalmem()): number {
  return Math.floor(totalMemory / 4 / 1024);
}

/** A tutorial CSV row takes about this many bytes: how `detect` estimates a CSV's events from its size. */
export const CSV_BYTES_PER_ROW = 75;

/** Returns the rows of a Parquet file, counted by polars from its metadata without reading the data. */
export function parquetRowCount(file: string): number {
  return Number(pl.scanParquet(file).select(pl.len()).collectSync().row(0)[0]);
}

/**
 * Returns about how many events a file holds, for choosing how to read it: Parquet's row count,
 * a tutorial CSV's size over {@link CSV_BYTES_PER_ROW}, and 0 for formats that are ingested
 * line by line (they are read whole). Throws when the file cannot be read.
 * @example
 * estimatedEvents("big.parquet", "parquet") // => 10600000
 */
export function estimatedEvents(file: string, format: string): number {
  if (format === "parquet") return parquetRowCount(file);
  if (format === "tutorial-csv") return statSync(file).size / CSV_BYTES_PER_ROW;
  return 0;
}

/** Returns true when a Parquet file has every tutorial column (false when it cannot be read). */
export function parquetHasTutorialColumns(file: string): boolean {
  try {
    const columns = pl.scanParquet(file).columns;
    return TUTORIAL_COLUMNS.every((c) => columns.includes(c));
  } catch {
    return false;
  }
}

/**
 * Returns whether `detect` is to scan a file in batches — when asked, or when it is a file polars
 * can scan (Parquet, the tutorial's CSV) holding at least {@link detectStreamingFromEvents} events —
 * and its format (given, or sniffed). A file that cannot be read is not scanned: the reader that
 * reads it whole names the problem.
 * @example
 * await detectScans("data/samples/vpn.parquet") // => { scan: false, format: "parquet" }
 */
export async function detectScans(file: string, { format, asked = false, totalMemory = totalmem() }: { format?: string; asked?: boolean; totalMemory?: number } = {}): Promise<{ scan: boolean; format?: string }> {
  if (asked) return { scan: true, format };
  try {
    // Loaded here, not above: `analyze` uses this module and needs none of the readers.
    const known = format ?? (await (await import("./ingest/ingest.js")).sniffFormat(file));
    return { scan: estimatedEvents(file, known) >= detectStreamingFromEvents(totalMemory), format: known };
  } catch {
    return { scan: false, format };
  }
}
