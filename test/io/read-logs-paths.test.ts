/**
 * readLogsCsv has a fast path for clean files and a careful one for everything else; whichever
 * reads a file, the same rows are accepted with the same values, and the same ones refused.
 */
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { readLogs, strictDatetime } from "../../lib/io/read-logs";
import { HEADER, tempDir, writeFixture } from "../helpers";

const dir = tempDir();
const GOOD = "2025-03-01 08:00:00,user_1,login_success,192.168.1.1,office,100,normal";
const row = (timestamp: string, bytes = "5") => `${timestamp},user_2,file_access,192.168.1.2,home,${bytes},normal`;
let n = 0;
const file = (...rows: string[]) => writeFixture(dir, `f${n++}.csv`, `${[HEADER, ...rows].join("\n")}\n`);
const iso = (path: string) => (readLogs(path).getColumn("timestamp").toArray() as unknown as Date[]).map((d) => d.toISOString());

describe("strictDatetime (the fast path's timestamp parser)", () => {
  const parse = (text: string) => pl.DataFrame({ t: [text] }).select(strictDatetime(pl.col("t"), "%Y-%m-%d %H:%M:%S")).row(0)[0] as Date;

  it("parses the exact layout to milliseconds since 1970", () => {
    expect(parse("2025-03-01 08:00:00").getTime()).toBe(Date.UTC(2025, 2, 1, 8, 0, 0));
  });

  it.each(["2025-03-01 08:00", "2025-03-01 08:00:00.5", "2025-03-01T08:00:00", "2025-02-30 08:00:00", "2025-03-01 08:00:00Z"])("throws on %j rather than guessing", (text) => {
    expect(() => parse(text)).toThrow();
  });
});

describe("readLogs: a row unlike the first is read by the careful path, with the same rules", () => {
  it("a later ISO 'T' timestamp or fraction of a second is accepted, as on the first row", () => {
    expect(iso(file(GOOD, row("2025-03-01T09:30:00"), row("2025-03-01 10:00:00.250")))).toEqual([
      "2025-03-01T08:00:00.000Z",
      "2025-03-01T09:30:00.000Z",
      "2025-03-01T10:00:00.250Z",
    ]);
  });

  it.each([
    ["a timestamp without seconds", row("2025-03-01 09:30"), "timestamp", "expected a timestamp like"],
    ["a day that does not exist", row("2025-02-30 09:30:00"), "timestamp", "expected a timestamp like"],
    ["a byte count with a sign", row("2025-03-01 09:30:00", "+5"), "bytes_transferred", "expected a whole number of bytes"],
    ["a byte count with a space", row("2025-03-01 09:30:00", " 5"), "bytes_transferred", "expected a whole number of bytes"],
    ["a byte count too big for 64 bits", row("2025-03-01 09:30:00", "99999999999999999999"), "bytes_transferred", "expected a whole number of bytes"],
    ["a timestamp with a leading space", row(" 2025-03-01 9:30:00"), "timestamp", "expected a timestamp like"],
    ["a timestamp with a one-digit month", row("2025-3-01  09:30:00"), "timestamp", "expected a timestamp like"],
  ])("%s on line 3 is refused there", (_, bad, column, message) => {
    const path = file(GOOD, bad);
    expect(() => readLogs(path)).toThrow(`${path}:3: column ${column}: ${message}`);
  });

  it("a blank line is skipped (as pandas does) and the rest read", () => {
    expect(iso(file(GOOD, "", row("2025-03-01 09:30:00")))).toEqual(["2025-03-01T08:00:00.000Z", "2025-03-01T09:30:00.000Z"]);
  });
});
