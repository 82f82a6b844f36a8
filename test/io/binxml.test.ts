/**
 * The inline BinXML reader on records built byte by byte here, after libevtx's description of the
 * format: a fragment header (0f 01 01 00), elements (0x01, 0x41 with attributes) whose names are
 * written where first used and referred to by chunk offset after, attributes (0x06, 0x46), string
 * values (0x05, type 0x01), close tokens (0x02 start tag, 0x03 empty, 0x04 element) and 0x00.
 */
import { describe, expect, it } from "vitest";
import { BinXmlError, renderInlineBinXml } from "../../lib/io/formats/binxml";

const CHUNK = 0x1000;
const RECORD = CHUNK + 0x200;

/** Builds one record at RECORD in an otherwise empty file; `body` gets the chunk offset it starts at. */
function file(body: (at: number) => number[]): Uint8Array {
  const start = RECORD + 24 - CHUNK;
  const binxml = body(start);
  const size = 24 + binxml.length + 4;
  const bytes = new Uint8Array(CHUNK + 0x10000);
  const view = new DataView(bytes.buffer);
  view.setUint32(RECORD, 0x2a2a, true);
  view.setUint32(RECORD + 4, size, true);
  bytes.set(binxml, RECORD + 24);
  view.setUint32(RECORD + size - 4, size, true);
  return bytes;
}

const u16 = (n: number): number[] => [n & 0xff, n >> 8];
const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const utf16 = (s: string): number[] => [...s].flatMap((c) => u16(c.charCodeAt(0)));
/** A name defined where it is used: its offset (the bytes' own), then next offset, hash, length, text, terminator. */
const inlineName = (at: number, name: string): number[] => [...u32(at + 4), ...u32(0), ...u16(0), ...u16(name.length), ...utf16(name), 0, 0];
const value = (text: string): number[] => [0x05, 0x01, ...u16(text.length), ...utf16(text)];

describe("renderInlineBinXml", () => {
  it("renders elements, attributes and values written inline, and names referred to by offset", () => {
    const bytes = file((at) => {
      const out: number[] = [0x0f, 0x01, 0x01, 0x00];
      const push = (...b: number[]): void => void out.push(...b);
      // <Event> with no attributes: token, data size, name.
      push(0x01, ...u32(0));
      const eventName = at + out.length + 4;
      push(...inlineName(eventName - 4, "Event"));
      push(0x02);
      // <Data Name="Client">10.0.0.1:5</Data>: token 0x41, size, name, attribute list size, attribute.
      push(0x41, ...u32(0));
      push(...inlineName(at + out.length, "Data"), ...u32(0));
      const nameAttr = at + out.length + 1;
      push(0x06, ...inlineName(nameAttr, "Name"), ...value("Client"));
      push(0x02, ...value("10.0.0.1:5"), 0x04);
      // A second <Event/> referring to the first name by offset, empty: 0x03.
      push(0x01, ...u32(0), ...u32(eventName), 0x03);
      push(0x04, 0x00);
      return out;
    });
    expect(renderInlineBinXml(bytes, RECORD)).toBe('<Event><Data Name="Client">10.0.0.1:5</Data><Event/></Event>');
  });

  it("reads an element with the two-byte dependency identifier too", () => {
    const bytes = file((at) => [0x0f, 0x01, 0x01, 0x00, 0x01, 0xff, 0xff, ...u32(0), ...inlineName(at + 11, "Event"), 0x02, ...value("x"), 0x04, 0x00]);
    expect(renderInlineBinXml(bytes, RECORD)).toBe("<Event>x</Event>");
  });

  it("escapes markup in values", () => {
    const bytes = file((at) => [0x0f, 0x01, 0x01, 0x00, 0x01, ...u32(0), ...inlineName(at + 9, "Event"), 0x02, ...value('<b>&"'), 0x04, 0x00]);
    expect(renderInlineBinXml(bytes, RECORD)).toBe("<Event>&lt;b&gt;&amp;&quot;</Event>");
  });

  it("names what it cannot read: a template instance, a cut record, a name offset pointing forward", () => {
    expect(() => renderInlineBinXml(file(() => [0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01]), RECORD)).toThrow(/template instance/);
    // The value says 40 characters; the record ends after 1.
    const cut = file((at) => [0x0f, 0x01, 0x01, 0x00, 0x01, ...u32(0), ...inlineName(at + 9, "Event"), 0x02, 0x05, 0x01, ...u16(40), ...utf16("x")]);
    expect(() => renderInlineBinXml(cut, RECORD)).toThrow(BinXmlError);
    expect(() => renderInlineBinXml(cut, RECORD)).toThrow(/runs past its record/);
    const forward = file((at) => [0x0f, 0x01, 0x01, 0x00, 0x01, ...u32(0), ...u32(at + 400), 0x03, 0x00]);
    expect(() => renderInlineBinXml(forward, RECORD)).toThrow(/points forward/);
  });
});
