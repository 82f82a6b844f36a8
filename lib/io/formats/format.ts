/**
 * The contract every log format keeps. A format is one module that says how to recognise a file
 * from its first bytes, how to turn one record into events (or a named reason to skip it), and how
 * its clock reads; `ingestLogs` loops over the list in `registry.ts` and knows no format by name.
 *
 * Adding a format: write `lib/io/formats/my-format.ts` exporting a {@link LogFormat}, then add it
 * to `FORMATS` in `registry.ts` (where it sits in the list is the order in which files are
 * recognised). `threatlab formats` and the README's table read the list; a test checks they agree.
 */
import type { DataFrame, LazyDataFrame } from "nodejs-polars";
import type { ColumnMapping } from "./generic";
import type { LineResult, RecordTable } from "../ingest/records";

/** The first bytes of a file (decompressed), as a format's `sniff` sees them. */
export interface Head {
  /** Up to the first 64 KiB. */
  readonly bytes: Buffer;
  /** Its non-empty lines as text, without line endings (the last one may be cut). */
  readonly lines: readonly string[];
  /** The first 20 of those lines parsed as JSON objects (undefined where a line is not one). */
  readonly json: readonly (Record<string, unknown> | undefined)[];
}

/** What a format's reader knows about the file it reads and the user's options. */
export interface ReadContext {
  readonly file: string;
  /** Time zone of local times: `--tz`, or UTC. */
  readonly zone: string;
  /** True when the user named the time zone (`--tz`). */
  readonly zoneGiven: boolean;
  /** `--year`, for year-less syslog stamps. */
  readonly year?: number;
  /** `--start` in epoch ms, anchoring clocks that count from the start of a capture. */
  readonly start?: number;
  /** The file's modification time, epoch ms: no event of a file can be later. */
  readonly modified: number;
  /** `--map`: a file's own column names mapped to event-schema names. */
  readonly mapping: ColumnMapping;
}

/** How a file's clock was read, and what the user should know about it. */
export interface ReadOutcome {
  /** The clock, in words, for this file (e.g. "syslog time (year 2025, assumed) read as UTC"). */
  readonly clock: string;
  readonly warnings?: readonly string[];
  /** Events dropped because another event records the same attempt. */
  readonly duplicates?: number;
}

/** Reads one file's records in order; a new reader is opened for each file. */
export interface RecordReader<R> {
  /** Returns the events of one record, "skipped" (the format's, not an event), "unrecognised", or why it is malformed. */
  read(record: R, number: number): LineResult;
  /** Called once after the last record with every event read: may amend or drop them. */
  finish(events: RecordTable): ReadOutcome;
}

/** What every format says about itself: the README's formats table and `threatlab formats` print it. */
export interface FormatInfo {
  /** The name given to `--format`. */
  readonly name: string;
  /** What it is, in a few words. */
  readonly title: string;
  /** One record, as it appears in a file. */
  readonly example: string;
  /** How its timestamps are read. */
  readonly clock: string;
  /** What its skipped records are, in a few words (default "recognised, not events"). */
  readonly skipped?: string;
  /** True for a binary format (recognised by its magic bytes before any text is looked at). */
  readonly binary?: boolean;
  /** Returns true when a file's first bytes are this format. */
  sniff(head: Head): boolean;
}

/** A text format read line by line (syslog, JSON lines, Zeek TSV, CSV…). */
export interface TextFormat extends FormatInfo {
  readonly kind: "text";
  open(context: ReadContext): RecordReader<string>;
}

/** A binary format that cuts its own records (Windows .evtx). */
export interface BinaryFormat<R = unknown> extends FormatInfo {
  readonly kind: "binary";
  /** Returns the file's records in order; malformed ones as `{ malformed }`. */
  records(path: string): AsyncIterable<R | { malformed: string }>;
  open(context: ReadContext): RecordReader<R>;
}

/** A format polars reads whole or scans in batches (Parquet, the tutorial's CSV). */
export interface FrameFormat extends FormatInfo {
  readonly kind: "frame";
  /** Returns the file's events in the event schema, read whole. */
  read(path: string): DataFrame;
  /** Returns a lazy frame over the file's events, for files bigger than memory. */
  scan(path: string): LazyDataFrame;
  /** Lines of the file that are not events (a header). */
  readonly headerLines: number;
}

/** A log format threatlab reads. */
export type LogFormat = TextFormat | BinaryFormat<any> | FrameFormat; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A {@link RecordReader} whose clock is the same for every file, with nothing to finish. */
export function simpleReader<R>(clock: string, read: (record: R, number: number) => LineResult): RecordReader<R> {
  return { read, finish: () => ({ clock }) };
}

/**
 * Returns the first JSON object of a head, or undefined: JSON formats recognise a file by it.
 * @example
 * firstJson({ bytes, lines: ['{"EventID":4625}'], json: [{ EventID: 4625 }] }) // => { EventID: 4625 }
 */
export function firstJson(head: Head): Record<string, unknown> | undefined {
  return head.json.find((o) => o !== undefined);
}
