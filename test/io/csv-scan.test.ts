import { describe, expect, it } from "vitest";
import { csvRecords, splitCsvLine } from "../../lib/io/csv-scan";
import { tempDir, writeFixture } from "../helpers";

describe("csvRecords", () => {
  const dir = tempDir();

  it("yields fields and the line each record starts on, across quoted newlines and CRLF", () => {
    const path = writeFixture(dir, "a.csv", 'h1,h2\r\n"multi\nline","say ""hi"""\r\n\r\nlast,\n');
    const records = [...csvRecords(path)];
    expect(records.map((r) => [r.index, r.line, r.fields, r.blank])).toEqual([
      [0, 1, ["h1", "h2"], false],
      [1, 2, ["multi\nline", 'say "hi"'], false],
      [2, 4, [""], true],
      [3, 5, ["last", ""], false],
    ]);
  });

  it("reads a last line without a newline, and strips a byte-order mark", () => {
    const path = writeFixture(dir, "b.csv", "\uFEFFa,b\n1,2");
    expect([...csvRecords(path)].map((r) => r.fields)).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("keeps a quoted empty field from being a blank line", () => {
    const path = writeFixture(dir, "c.csv", 'a\n""\n');
    expect([...csvRecords(path)].map((r) => r.blank)).toEqual([false, false]);
  });

  it("handles records that straddle the 1 MiB read chunks", () => {
    const long = "x".repeat(1_100_000);
    const path = writeFixture(dir, "d.csv", `a,b\n"${long}",2\n3,4\n`);
    const records = [...csvRecords(path)];
    expect(records[1].fields[0].length).toBe(long.length);
    expect(records[2]).toMatchObject({ line: 3, fields: ["3", "4"] });
  });
});

describe("splitCsvLine (the line readers' use of the same splitter)", () => {
  it("honours quotes, escaped quotes and separators inside quotes", () => {
    expect(splitCsvLine('a,"b, ""c""",d')).toEqual(["a", 'b, "c"', "d"]);
    expect(splitCsvLine(",,")).toEqual(["", "", ""]);
    expect(splitCsvLine('"",x')).toEqual(["", "x"]);
    // a quote that does not open the field is an ordinary character, as in polars and pandas
    expect(splitCsvLine('ab"c,d')).toEqual(['ab"c', "d"]);
  });

  it("says when a quoted field is not closed on the line, and takes a closing quote at the very end", () => {
    expect(splitCsvLine('a,"open')).toBeUndefined();
    expect(splitCsvLine('a,"say ""hi')).toBeUndefined();
    expect(splitCsvLine('a,"closed"')).toEqual(["a", "closed"]);
  });

  it("drops a CR left at the line's end, and splits on another separator when asked", () => {
    expect(splitCsvLine("a,b\r")).toEqual(["a", "b"]);
    expect(splitCsvLine("a;b,c", ";")).toEqual(["a", "b,c"]);
  });
});
