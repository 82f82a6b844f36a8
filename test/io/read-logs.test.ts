import { gzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { InputError } from "../../lib/errors";
import { generateLogs } from "../../lib/generate/generate-logs";
import { readLogs, readLogsCsv } from "../../lib/io/read-logs";
import { writeLogs } from "../../lib/io/write-logs";
import { HAND_CSV, HAND_ROWS, HEADER, expectFrameEqual, tempDir, writeFixture } from "../helpers";

const dir = tempDir();
const csv = (name: string, lines: string[]): string => writeFixture(dir, name, `${lines.join("\n")}\n`);

/** Returns the message of the InputError that reading `path` throws. */
function failure(path: string): string {
  try {
    readLogs(path);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`reading ${path} did not fail`);
}

describe("readLogs", () => {
  it("reads back exactly what writeLogs wrote, as CSV and as Parquet", () => {
    const logs = generateLogs({ rows: 500, seed: 3 });
    for (const name of ["round.csv", "round.parquet"]) {
      writeLogs(logs, `${dir}/${name}`);
      expectFrameEqual(readLogs(`${dir}/${name}`), logs);
    }
  });

  it("parses timestamps as naive UTC wall-clock times, with or without T and fractions", () => {
    const path = csv("times.csv", [
      HEADER,
      "2025-03-01 08:00:00,u,login_success,1.2.3.4,home,1,normal",
      "2025-03-01T08:00:01,u,login_success,1.2.3.4,home,1,normal",
      "2025-03-01 08:00:02.250000,u,login_success,1.2.3.4,home,1,normal",
    ]);
    const ms = readLogs(path).getColumn("timestamp").cast(pl.Int64).toArray().map(Number);
    const base = Date.UTC(2025, 2, 1, 8);
    expect(ms).toEqual([base, base + 1000, base + 2250]);
  });

  it("accepts columns in any order, keeps extra columns, and reads CRLF, a BOM, quotes and blank lines", () => {
    const path = writeFixture(
      dir,
      "messy.csv",
      "\uFEFFnote,threat_level,bytes_transferred,location,ip_address,log_type,user_id,timestamp\r\n" +
        '"a, ""quoted"" note",normal,10,home,1.2.3.4,file_access,user_1,2025-01-01 00:00:00\r\n' +
        "\r\n" +
        "plain,brute_force,20,office,1.2.3.5,login_failed,user_2,2025-01-02 00:00:00\r\n",
    );
    const frame = readLogs(path);
    expect(frame.height).toBe(2);
    expect(frame.getColumn("note").toArray()).toEqual(['a, "quoted" note', "plain"]);
    expect(frame.getColumn("bytes_transferred").toArray().map(Number)).toEqual([10, 20]);
    expect(frame.getColumn("user_id").toArray()).toEqual(["user_1", "user_2"]);
  });

  it("reads a header-only file as zero rows", () => {
    expect(readLogs(csv("header.csv", [HEADER])).height).toBe(0);
  });

  it("reads the ten hand-made rows", () => {
    const frame = readLogs(writeFixture(dir, "hand.csv", HAND_CSV));
    expect(frame.height).toBe(HAND_ROWS.length);
  });
});

describe("readLogs on bad input names the file, the line and the column", () => {
  it("a missing file", () => {
    expect(failure(`${dir}/absent.csv`)).toBe(`${dir}/absent.csv: no such file`);
  });

  it("an empty file", () => {
    const path = writeFixture(dir, "empty.csv", "");
    expect(failure(path)).toBe(`${path}: the file is empty (expected a header line naming ${HEADER})`);
  });

  it("a header without a required column", () => {
    const path = csv("nobytes.csv", ["timestamp,user_id,log_type,ip_address,location,threat_level", "2025-01-01 00:00:00,u,a,b,c,normal"]);
    expect(failure(path)).toBe(`${path}:1: missing column "bytes_transferred" (expected a header naming ${HEADER})`);
  });

  it("an unparsable timestamp", () => {
    const path = csv("badtime.csv", [HEADER, HAND_ROWS[0], "yesterday,user_1,login_success,1.2.3.4,home,5,normal"]);
    expect(failure(path)).toBe(`${path}:3: column timestamp: expected a timestamp like 2025-01-31 13:00:00, got "yesterday"`);
  });

  it("an impossible date", () => {
    const path = csv("feb30.csv", [HEADER, "2025-02-30 00:00:00,user_1,login_success,1.2.3.4,home,5,normal"]);
    expect(failure(path)).toBe(`${path}:2: column timestamp: expected a timestamp like 2025-01-31 13:00:00, got "2025-02-30 00:00:00"`);
  });

  it("a non-numeric byte count", () => {
    const path = csv("text-bytes.csv", [HEADER, HAND_ROWS[0], HAND_ROWS[1], "2025-01-01 00:00:00,u,a,b,c,lots,normal"]);
    expect(failure(path)).toBe(`${path}:4: column bytes_transferred: expected a whole number of bytes ≥ 0, got "lots"`);
  });

  it("a negative byte count", () => {
    const path = csv("negative.csv", [HEADER, "2025-01-01 00:00:00,u,a,b,c,-5,normal"]);
    expect(failure(path)).toBe(`${path}:2: column bytes_transferred: expected a whole number of bytes ≥ 0, got "-5"`);
  });

  it("a fractional byte count", () => {
    const path = csv("fraction.csv", [HEADER, "2025-01-01 00:00:00,u,a,b,c,1.5,normal"]);
    expect(failure(path)).toBe(`${path}:2: column bytes_transferred: expected a whole number of bytes ≥ 0, got "1.5"`);
  });

  it("a row with too few fields", () => {
    const path = csv("short.csv", [HEADER, HAND_ROWS[0], "2025-01-01 00:00:00,user_1,login_success,1.2.3.4,home"]);
    expect(failure(path)).toBe(`${path}:3: expected 7 fields, found 5 (too few fields in this row)`);
  });

  it("a row with too many fields", () => {
    const path = csv("long.csv", [HEADER, `${HAND_ROWS[0]},extra`]);
    expect(failure(path)).toBe(`${path}:2: expected 7 fields, found 8 (too many fields in this row)`);
  });

  it("an empty required value", () => {
    const path = csv("blankuser.csv", [HEADER, "2025-01-01 00:00:00,,login_success,1.2.3.4,home,5,normal"]);
    expect(failure(path)).toBe(`${path}:2: column user_id: expected a value, found an empty field`);
  });

  it("counts lines inside quoted multi-line fields", () => {
    const path = writeFixture(dir, "multiline.csv", `note,${HEADER}\n"two\nlines",${HAND_ROWS[0]}\nok,2025-01-01 00:00:00,u,a,b,c,x,normal\n`);
    expect(failure(path)).toBe(`${path}:4: column bytes_transferred: expected a whole number of bytes ≥ 0, got "x"`);
  });

  it("a binary file", () => {
    const path = writeFixture(dir, "binary.csv", gzipSync(HAND_CSV));
    expect(failure(path)).toBe(`${path}: is a binary file, expected CSV text`);
  });

  it("a directory", () => {
    expect(failure(dir)).toBe(`${dir}: is a directory, expected a log file`);
  });

  it("a Parquet file without a required column", () => {
    const path = `${dir}/partial.parquet`;
    generateLogs({ rows: 5 }).drop("user_id").writeParquet(path);
    expect(failure(path)).toBe(`${path}: missing column "user_id" (expected columns ${HEADER})`);
  });

  it("a Parquet file with a negative byte count, a null, or text where numbers belong", () => {
    /** Returns the frame with `value` in `column` at 0-based `row`. */
    const setValue = (frame: pl.DataFrame, column: string, row: number, value: unknown) =>
      frame.withRowIndex("i").withColumns(pl.when(pl.col("i").eq(row)).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)).drop("i");
    const negative = `${dir}/negative.parquet`;
    setValue(generateLogs({ rows: 5 }), "bytes_transferred", 3, -7).withColumns(pl.col("bytes_transferred").cast(pl.Int64)).writeParquet(negative);
    expect(failure(negative)).toBe(`${negative}: column bytes_transferred: row 4: expected a whole number of bytes ≥ 0, got -7`);
    const nulls = `${dir}/nulls.parquet`;
    setValue(generateLogs({ rows: 3 }), "user_id", 1, null).writeParquet(nulls);
    expect(failure(nulls)).toBe(`${nulls}: column user_id: row 2: expected a value, found null`);
    const text = `${dir}/text.parquet`;
    generateLogs({ rows: 3 }).withColumns(pl.col("bytes_transferred").cast(pl.Utf8)).writeParquet(text);
    expect(failure(text)).toBe(`${text}: column bytes_transferred: expected a column of whole numbers, found String`);
  });

  it("a file that is not Parquet but is named .parquet", () => {
    const path = writeFixture(dir, "fake.parquet", HAND_CSV);
    expect(failure(path)).toMatch(new RegExp(`^${path}: not a readable Parquet file \\(`));
  });

  it("leaves the input untouched", () => {
    const content = `${HEADER}\n2025-01-01 00:00:00,u,a,b,c,-5,normal\n`;
    const path = writeFixture(dir, "untouched.csv", content);
    failure(path);
    expect(require("node:fs").readFileSync(path, "utf8")).toBe(content);
  });
});

describe("readLogsCsv", () => {
  it("takes other required columns", () => {
    const path = csv("two.csv", ["timestamp,bytes_transferred", "2025-01-01 00:00:00,7"]);
    expect(readLogsCsv(path, { requiredColumns: ["timestamp", "bytes_transferred"] }).height).toBe(1);
  });
});
