/**
 * Generated data written to a file a piece at a time, one piece in memory: what `threatlab
 * generate` and `threatlab scenario` do, for any size.
 */
import type { DataFrame } from "nodejs-polars";
import { checkInteger } from "../errors";
import { writeLogsInChunks } from "../io/write-logs";
import { createLogGenerator, type GenerateLogsOptions } from "./generate-logs";
import { scenarioPieces, type ScenarioOptions } from "./scenario";

/** Options of {@link writeGeneratedLogs}. */
export interface WriteGeneratedOptions {
  /** Rows generated and written at a time (memory stays flat; the file is the same). Default `1_000_000`. */
  chunkRows?: number;
  /** Called with the share written so far, from 0 to 1. */
  onProgress?: (share: number) => void;
}

/**
 * Generates `rows` rows of the tutorial's logs and writes them to `path` (Parquet for a `.parquet`
 * name, else CSV), a chunk at a time; returns the rows written. The same seed writes the same file,
 * whatever the chunk size.
 * @example
 * await writeGeneratedLogs("logs.csv", 1000, { seed: 42 }) // => 1000   (the bundled sample, byte for byte)
 */
export async function writeGeneratedLogs(path: string, rows: number, options: Omit<GenerateLogsOptions, "rows"> = {}, { chunkRows = 1_000_000, onProgress }: WriteGeneratedOptions = {}): Promise<number> {
  checkInteger("rows", rows, 0);
  checkInteger("chunkRows", chunkRows, 1);
  const generator = createLogGenerator(options);
  function* pieces(): Generator<DataFrame> {
    let done = 0;
    do {
      const n = Math.min(chunkRows, rows - done);
      yield generator.next(n);
      done += n;
    } while (done < rows);
  }
  await writeLogsInChunks(pieces(), path, (written) => onProgress?.(rows === 0 ? 1 : written / rows));
  return rows;
}

/** What {@link writeScenario} wrote. */
export interface WrittenScenario {
  events: number;
  attackEvents: number;
  campaigns: number;
}

/**
 * Writes `pieces` labelled scenarios into one file (each with its own accounts and seed, see
 * `scenarioPieces`), one piece in memory at a time; returns what it wrote.
 * @example
 * await writeScenario("small.parquet", scenarioPreset("small")) // => { events: 22376, attackEvents: 2681, campaigns: 10 }
 */
export async function writeScenario(path: string, options: ScenarioOptions, pieces = 1, onProgress?: (share: number) => void): Promise<WrittenScenario> {
  let campaigns = 0;
  let attackEvents = 0;
  let done = 0;
  function* frames(): Generator<DataFrame> {
    for (const piece of scenarioPieces(options, pieces)) {
      campaigns += piece.campaigns;
      attackEvents += piece.attackEvents;
      yield piece.events;
      onProgress?.(++done / pieces);
    }
  }
  const events = await writeLogsInChunks(frames(), path);
  return { events, attackEvents, campaigns };
}
