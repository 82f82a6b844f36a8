/**
 * A reader for the one .evtx record layout `@ts-evtx/core` cannot render: BinXML written without
 * templates, every value inline, and element tokens without the two-byte dependency identifier.
 * Some exporters write whole files this way (the public RDP brute-force sample of
 * EVTX-to-MITRE-Attack is one: python-evtx, libevtx and @ts-evtx render none of its records).
 * The layout is libevtx's "Windows XML Event Log (EVTX)" description; the reader walks the tokens
 * once, with every offset checked against the record and chunk it belongs to.
 */

const CHUNK_SIZE = 0x10000;
const FILE_HEADER_SIZE = 0x1000;
/** A record's header: magic, size, number and FILETIME, before its BinXML. */
const RECORD_HEADER_SIZE = 24;
/** Element nesting deeper than this is not an event. */
const MAX_DEPTH = 64;

/** Why a record's inline BinXML could not be read. */
export class BinXmlError extends Error {}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]);

/** A cursor over one record's BinXML, resolving names against the record's chunk. */
class Reader {
  private pos: number;
  private readonly chunk: number;

  constructor(private readonly bytes: Uint8Array, start: number, private readonly end: number) {
    this.pos = start;
    this.chunk = FILE_HEADER_SIZE + Math.floor((start - FILE_HEADER_SIZE) / CHUNK_SIZE) * CHUNK_SIZE;
  }

  private need(n: number, at = this.pos, limit = this.end): void {
    if (at < 0 || at + n > limit) throw new BinXmlError(`a token at byte ${at} runs past its record`);
  }
  peek(): number {
    this.need(1);
    return this.bytes[this.pos];
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  /** Reads a 16-bit little-endian number at `at`, within `limit`. */
  read16(at: number, limit = this.end): number {
    this.need(2, at, limit);
    return this.bytes[at] | (this.bytes[at + 1] << 8);
  }
  /** Reads a 32-bit little-endian unsigned number at `at`, within `limit`. */
  read32(at: number, limit = this.end): number {
    this.need(4, at, limit);
    return (this.bytes[at] | (this.bytes[at + 1] << 8) | (this.bytes[at + 2] << 16)) + this.bytes[at + 3] * 0x1000000;
  }
  /** Reads `count` UTF-16LE code units at `at`, within `limit`. */
  readUtf16(count: number, at: number, limit = this.end): string {
    this.need(count * 2, at, limit);
    let text = "";
    for (let i = 0; i < count; i++) text += String.fromCharCode(this.bytes[at + 2 * i] | (this.bytes[at + 2 * i + 1] << 8));
    return text;
  }
  u16(): number {
    const n = this.read16(this.pos);
    this.pos += 2;
    return n;
  }
  u32(): number {
    const n = this.read32(this.pos);
    this.pos += 4;
    return n;
  }
  utf16(count: number): string {
    const text = this.readUtf16(count, this.pos);
    this.pos += count * 2;
    return text;
  }

  /**
   * Reads a name reference: a chunk offset, followed by the name itself when it is defined here
   * (next-name offset, hash, length, UTF-16 text, terminator); an earlier name is read where it is.
   */
  name(): string {
    const offset = this.u32();
    const here = this.pos - this.chunk;
    const at = this.chunk + offset;
    const chunkEnd = this.chunk + CHUNK_SIZE;
    if (offset < 0x200 || at + 8 > chunkEnd) throw new BinXmlError(`a name offset (${offset}) lies outside its chunk`);
    const length = this.read16(at + 6, chunkEnd);
    const text = this.readUtf16(length, at + 8, chunkEnd);
    if (offset === here) this.pos += 8 + 2 * length + 2;
    else if (offset > here) throw new BinXmlError(`a name offset (${offset}) points forward`);
    return text;
  }

  /**
   * Reads an element start after its token: the data size, the name and, when `attributes` is
   * set, the attribute list's size. Whether the two-byte dependency identifier is there is told
   * by where the name offset then points: at the bytes that follow it, or at an earlier name.
   */
  elementStart(): string {
    const at = this.pos;
    const plausible = (nameAt: number): boolean => {
      if (nameAt + 4 > this.end) return false;
      const offset = this.read32(nameAt);
      return offset === nameAt + 4 - this.chunk || (offset >= 0x200 && offset < at - this.chunk);
    };
    if (!plausible(at + 4) && plausible(at + 6)) this.pos += 2;
    this.u32(); // data size
    return this.name();
  }

  /** Reads an inline value after its token: a type byte and the value. */
  value(): string {
    const type = this.u8();
    if (type === 0x00) return "";
    if (type === 0x01) return this.utf16(this.u16());
    throw new BinXmlError(`a value of type 0x${type.toString(16)} is not one threatlab reads inline`);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }
  get offset(): number {
    return this.pos;
  }
}

/** Renders the element at the cursor, with its attributes and content, as XML. */
function element(r: Reader, token: number, depth: number): string {
  if (depth > MAX_DEPTH) throw new BinXmlError(`elements nest deeper than ${MAX_DEPTH}`);
  const name = r.elementStart();
  if (token & 0x40) r.u32(); // attribute list size
  let xml = `<${name}`;
  for (;;) {
    const next = r.u8();
    if ((next & 0xbf) === 0x06) {
      const attribute = r.name();
      let value = "";
      while ((r.peek() & 0xbf) === 0x05) {
        r.u8();
        value += r.value();
      }
      xml += ` ${attribute}="${escapeXml(value)}"`;
    } else if (next === 0x03) return `${xml}/>`;
    else if (next === 0x02) break;
    else throw new BinXmlError(`byte ${r.offset - 1}: expected an attribute or the end of <${name}>'s start tag, found token 0x${next.toString(16)}`);
  }
  xml += ">";
  for (;;) {
    const next = r.u8();
    if (next === 0x04) return `${xml}</${name}>`;
    if ((next & 0xbf) === 0x01) xml += element(r, next, depth + 1);
    else if ((next & 0xbf) === 0x05) xml += escapeXml(r.value());
    else if (next === 0x07) xml += escapeXml(r.utf16(r.u16()));
    else if (next === 0x08) xml += `&#${r.u16()};`;
    else throw new BinXmlError(`byte ${r.offset - 1}: expected content of <${name}>, found token 0x${next.toString(16)}`);
  }
}

/**
 * Returns the XML of the record at `recordOffset` in an .evtx file's bytes, read as inline BinXML
 * (no templates); throws a BinXmlError naming what it met where the record is not of that layout.
 * @example
 * renderInlineBinXml(readFileSync("rdp.evtx"), 0x1200) // => '<Event xmlns="…"><System><Provider Name="…"/>…</Event>'
 */
export function renderInlineBinXml(bytes: Uint8Array, recordOffset: number): string {
  const size = new Reader(bytes, recordOffset, recordOffset + 8).read32(recordOffset + 4);
  if (size < RECORD_HEADER_SIZE + 4 || recordOffset + size > bytes.length) throw new BinXmlError(`the record's size (${size}) does not fit the file`);
  const r = new Reader(bytes, recordOffset + RECORD_HEADER_SIZE, recordOffset + size - 4);
  if (r.u8() !== 0x0f) throw new BinXmlError("the record does not start with a BinXML fragment header");
  r.u8();
  r.u8();
  r.u8();
  const token = r.u8();
  if ((token & 0xbf) !== 0x01) throw new BinXmlError(`the record's fragment holds token 0x${token.toString(16)}, not an element (a template instance is @ts-evtx's to render)`);
  return element(r, token, 0);
}
