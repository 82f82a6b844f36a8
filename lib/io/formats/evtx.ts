/**
 * Native Windows event log files (.evtx), read with the maintained parser `@ts-evtx/core`: each
 * record is rendered to its XML (the same XML Windows' own export and Debian's python3-evtx
 * write; a test compares them record by record), and the XML's System and EventData fields become
 * a Windows event like any JSON collector's. The file is read into memory whole, as the parser
 * requires; .evtx files are capped by Windows' log size setting (20 MB by default).
 */
import { readFile } from "node:fs/promises";
import { InputError } from "../../errors";
import { isGzip } from "../lines";
import { BinXmlError, renderInlineBinXml } from "./binxml";
import type { BinaryFormat } from "./format";
import { WINDOWS_SKIPPED, type WindowsEvent, windowsEventRecord, windowsReader } from "./windows";

/** The first bytes of every .evtx file. */
const MAGIC = "ElfFile\0";

/** One record of an .evtx file: its number and rendered XML. */
export interface EvtxRecord {
  readonly number: number;
  readonly xml: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Returns XML text with its character references and the five named entities decoded. */
function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/g, (whole, e: string) => {
    if (e[0] !== "#") return ENTITIES[e];
    const code = e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Returns the Windows event an .evtx record's XML holds (EventID, SystemTime, Computer and the
 * named `<Data>` values of EventData, or the elements of UserData), or undefined when the XML
 * holds no event id.
 * @example
 * evtxXmlEvent('<Event><System><EventID>4625</EventID><TimeCreated SystemTime="2021-05-21T20:43:22.562Z"/><Computer>fs01</Computer></System><EventData><Data Name="TargetUserName">bob</Data></EventData></Event>')
 * // => { id: 4625, utc: 1621629802562, host: "fs01", local: null, data: { TargetUserName: "bob" } }
 */
export function evtxXmlEvent(xml: string): WindowsEvent | undefined {
  const id = /<EventID\b[^>]*>\s*(\d+)\s*<\/EventID>/.exec(xml);
  if (!id) return undefined;
  const time = /<TimeCreated\b[^>]*\bSystemTime="([^"]*)"/.exec(xml)?.[1];
  const computer = /<Computer>([^<]*)<\/Computer>/.exec(xml)?.[1];
  const data: Record<string, string | null> = Object.create(null);
  for (const m of xml.matchAll(/<Data Name="([^"]*)"\s*(?:\/>|>([^<]*)<\/Data>)/g)) data[unescapeXml(m[1])] = m[2] === undefined ? null : unescapeXml(m[2]);
  const user = /<UserData>([\s\S]*?)<\/UserData>/.exec(xml)?.[1];
  if (user) for (const m of user.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) data[m[1]] ??= unescapeXml(m[2]);
  const utc = time === undefined ? null : Date.parse(time.includes("T") || time.endsWith("Z") ? time : `${time.replace(" ", "T")}Z`);
  return { id: Number(id[1]), utc: Number.isFinite(utc) ? utc : null, host: computer ? unescapeXml(computer) : null, local: null, data };
}

/**
 * Returns the records of an .evtx file in order. A record `@ts-evtx` cannot render (it renders
 * templated BinXML) is read as inline BinXML, the layout some exporters write; a record neither
 * reads is malformed.
 */
export async function* evtxRecords(path: string): AsyncGenerator<EvtxRecord | { malformed: string }> {
  if (isGzip(path)) throw new InputError({ file: path }, "is a gzip-compressed .evtx file; threatlab reads .evtx files uncompressed (gunzip it first)");
  const { EvtxFile } = await import("@ts-evtx/core");
  let file;
  try {
    file = await EvtxFile.open(path);
  } catch (error) {
    throw new InputError({ file: path }, `not a readable .evtx file (${(error as Error).message.split("\n")[0]})`);
  }
  let bytes: Uint8Array | undefined;
  for (const r of file.records()) {
    let xml: string | undefined;
    let why: string;
    try {
      const rendered = r.renderXml();
      xml = rendered;
      // A record whose template the parser cannot apply renders as an empty <Event/>.
      why = `the parser could not apply its template (it rendered ${JSON.stringify(rendered.slice(0, 40))})`;
    } catch (error) {
      why = `its XML could not be rendered (${(error as Error).message.split("\n")[0]})`;
    }
    if (xml === undefined || !/<EventID\b/.test(xml)) {
      bytes ??= await readFile(path);
      try {
        xml = renderInlineBinXml(bytes, r.offset);
      } catch (error) {
        if (!(error instanceof BinXmlError)) throw error;
        yield { malformed: `${why}; read as inline BinXML, ${error.message}` };
        continue;
      }
    }
    yield { number: Number(r.recordNum()), xml };
  }
}

/** Native Windows .evtx files. */
export const evtx: BinaryFormat<EvtxRecord> = {
  kind: "binary",
  name: "evtx",
  title: "Windows event log files (.evtx), binary, read with @ts-evtx/core (records written without templates by threatlab's own reader)",
  example: "Security.evtx (binary: each record's XML holds <EventID>4771</EventID>, <TimeCreated SystemTime=…>, <Data Name=\"TargetUserName\">…)",
  clock: "each record's SystemTime (UTC)",
  binary: true,
  skipped: WINDOWS_SKIPPED,
  sniff: (head) => head.bytes.subarray(0, 8).toString("latin1") === MAGIC,
  records: evtxRecords,
  open: (context) =>
    windowsReader<EvtxRecord>(context, (r, windows) => {
      const event = evtxXmlEvent(r.xml);
      return event ? windowsEventRecord(event, windows) : "unrecognised";
    }, "each record's SystemTime (UTC)"),
};
