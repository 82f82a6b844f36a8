/**
 * Reading a log file line by line: gzip read transparently, CRLF and a missing last newline
 * handled, and lines longer than a limit skipped without ever being held in memory whole (a
 * 50 MB line must not take 50 MB).
 */
import { createReadStream, closeSync, openSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { InputError } from "../errors";

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Lines longer than this many bytes are skipped and reported. Default 1 MiB. */
  maxLineBytes?: number;
  /** Called for each line (without its line ending) with its 1-based number. */
  onLine(line: string, number: number): void;
  /** Called for a line that was too long, with its number and length in bytes. */
  onLongLine?(number: number, bytes: number): void;
  /** Called now and then with the bytes read so far from the file (compressed bytes for gzip). */
  onProgress?(bytesRead: number): void;
}

/** Returns true when the file starts with the gzip magic bytes. */
export function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  const head = Buffer.alloc(2);
  const n = readSync(fd, head, 0, 2, 0);
  closeSync(fd);
  return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Returns a stream of the file's bytes, decompressed when it is gzip. */
export function openText(path: string): { stream: Readable; raw: Readable } {
  // Opened first, a missing file fails here, before a stream exists to emit an unheard 'error'.
  const gzip = isGzip(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return { stream: gzip ? raw.pipe(createGunzip()) : raw, raw };
}

const NEWLINE = 0x0a;

/**
 * Reads every line of a file (gzip or plain) and returns how many there were. Throws an
 * {@link InputError} when a gzip stream is truncated or corrupt.
 * @example
 * await readLines("auth.log.gz", { onLine: (line, n) => … }) // => 2000
 */
export async function readLines(path: string, options: ReadLinesOptions): Promise<number> {
  const { maxLineBytes = 1 << 20, onLine, onLongLine, onProgress } = options;
  const { stream, raw } = openText(path);
  let bytesRead = 0;
  raw.on("data", (chunk: Buffer) => {
    bytesRead += chunk.length;
    onProgress?.(bytesRead);
  });
  let number = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let skippedBytes = 0;
  const emit = (parts: Buffer[]): void => {
    number++;
    let text = Buffer.concat(parts).toString("utf8");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    onLine(text, number);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        const end = nl === -1 ? chunk.length : nl;
        const piece = chunk.subarray(start, end);
        if (skipping) {
          skippedBytes += piece.length;
        } else if (pendingBytes + piece.length > maxLineBytes) {
          skipping = true;
          skippedBytes = pendingBytes + piece.length;
          pending = [];
          pendingBytes = 0;
        } else if (piece.length > 0) {
          pending.push(Buffer.from(piece));
          pendingBytes += piece.length;
        }
        if (nl === -1) break;
        if (skipping) {
          number++;
          onLongLine?.(number, skippedBytes);
          skipping = false;
          skippedBytes = 0;
        } else {
          emit(pending);
        }
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    // Only the decompressor's own errors are about the gzip data; anything else (a line the
    // caller refused, a read error) goes up as it is.
    if (!code.startsWith("Z_")) throw error;
    const reason = /Z_BUF_ERROR|unexpected end/i.test(`${code} ${(error as Error).message}`)
      ? "the gzip data end early (truncated file)"
      : `the gzip data are corrupt (${(error as Error).message})`;
    throw new InputError({ file: path, line: number > 0 ? number : undefined }, `${reason}; ${number.toLocaleString("en-US")} lines could be read`);
  }
  if (skipping) {
    number++;
    onLongLine?.(number, skippedBytes);
  } else if (pendingBytes > 0) {
    emit(pending);
  }
  return number;
}
