import { describe, expect, it } from "vitest";
import { countsToObject, meanBytes, valueCounts } from "../../lib/analyze";
import { meanDanfo, toDanfo, valueCountsDanfo } from "../../lib/analyze/danfo";
import { generateLogs } from "../../lib/generate/generate-logs";

describe("danfojs next to polars", () => {
  const logs = generateLogs({ rows: 3000, seed: 21 });

  it("value counts agree for every categorical column", () => {
    for (const column of ["log_type", "threat_level", "location", "user_id"]) {
      expect(valueCountsDanfo(logs, column)).toEqual(countsToObject(valueCounts(logs, column)));
    }
  });

  it("the mean of bytes_transferred agrees", () => {
    expect(meanDanfo(logs, "bytes_transferred")).toBeCloseTo(meanBytes(logs)!, 6);
  });

  it("toDanfo keeps the columns, the rows and the timestamp text", () => {
    const head = logs.head(5);
    const frame = toDanfo(head);
    expect(frame.columns).toEqual(head.columns);
    expect(frame.shape).toEqual([5, 7]);
    expect(frame.column("timestamp").values).toEqual(head.getColumn("timestamp").dt.strftime("%Y-%m-%d %H:%M:%S").toArray());
    expect(frame.column("bytes_transferred").values).toEqual(head.getColumn("bytes_transferred").toArray().map(Number));
  });
});
