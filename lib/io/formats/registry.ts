/**
 * The formats threatlab reads, in the order in which a file is recognised: binary magic first,
 * then headers, then JSON by its keys, then line shapes. Adding a format is one module and one
 * line here (see `format.ts`).
 */
import type { LogFormat } from "./format";
import { evtx } from "./evtx";
import { csv, ndjson } from "./generic";
import { journaldJson } from "./journald-json";
import { parquet } from "./parquet";
import { journaldShortIso, syslog } from "./syslog";
import { tutorialCsv } from "./tutorial-csv";
import { windowsJson } from "./windows";
import { zeekJson, zeekTsv } from "./zeek";

/** Every format, in the order files are recognised. */
export const FORMATS: readonly LogFormat[] = [
  parquet, evtx, zeekTsv, windowsJson, zeekJson, journaldJson, ndjson, journaldShortIso, syslog, tutorialCsv, csv,
];

/** The formats' names, as `--format` takes them. */
export const LOG_FORMATS: readonly string[] = FORMATS.map((f) => f.name);

/** Returns the format of this name, or undefined. */
export function findFormat(name: string): LogFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}
