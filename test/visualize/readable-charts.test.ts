/**
 * Charts a reader can read: parts of a whole as a pie only while every slice has its own colour,
 * time binned to the log's span, legends where colour carries meaning.
 */
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { eventVolume } from "../../lib/analyze/describe";
import { readLogs } from "../../lib/io/read-logs";
import { COLORS, combineFigures, plotDailyVolume, plotEventVolume, plotOverview, plotTopEntities, shareChart } from "../../lib/visualize";
import { plotLogTypes } from "../../lib/visualize/overview";
import { eventFrame, HAND_CSV, HAND_ROWS, HEADER, tempDir, writeFixture } from "../helpers";

const hand = readLogs(writeFixture(tempDir(), "hand.csv", HAND_CSV));
const rows = (picked: readonly string[]) => readLogs(writeFixture(tempDir(), "rows.csv", `${[HEADER, ...picked].join("\n")}\n`));

describe("eventVolume and plotEventVolume: time binned to the span", () => {
  it("days for the hand rows (2025-03-01 08:00 to 03-04 10:00, over three days): 3, 2, 4 and 1 rows", () => {
    const { unit, counts } = eventVolume(hand);
    expect(unit).toBe("day");
    expect(counts.toRecords()).toEqual([
      { start: "2025-03-01 00:00", count: 3 },
      { start: "2025-03-02 00:00", count: 2 },
      { start: "2025-03-03 00:00", count: 4 },
      { start: "2025-03-04 00:00", count: 1 },
    ]);
  });

  it("hours for the first nine hand rows (03-01 08:00 to 03-03 09:00, two days and an hour): nine hours of one row", () => {
    const { unit, counts } = eventVolume(rows(HAND_ROWS.slice(0, 9)));
    expect(unit).toBe("hour");
    expect(counts.getColumn("start").toArray()).toEqual(["2025-03-01 08:00", "2025-03-01 09:00", "2025-03-01 23:00", "2025-03-02 00:00", "2025-03-02 12:00", "2025-03-03 06:00", "2025-03-03 07:00", "2025-03-03 08:00", "2025-03-03 09:00"]);
    expect(counts.getColumn("count").toArray().map(Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("minutes for an hour: events at 0 s, 30 s, 61 s and 3600 s fall in 00:00 (2), 00:01 (1) and 01:00 (1)", () => {
    const frame = eventFrame([{ s: 0 }, { s: 30 }, { s: 61 }, { s: 3600 }]);
    const { unit, counts } = eventVolume(frame);
    expect(unit).toBe("minute");
    expect(counts.toRecords()).toEqual([
      { start: "2025-01-01 00:00", count: 2 },
      { start: "2025-01-01 00:01", count: 1 },
      { start: "2025-01-01 01:00", count: 1 },
    ]);
    const figure = plotEventVolume(frame);
    expect(figure.layout.title?.text).toBe("Events per minute");
    expect((figure.layout.xaxis as { tickformat: string }).tickformat).toBe("%H:%M");
    expect(figure.data[0].y).toEqual([2, 1, 1]);
  });

  it("a log of one day gets named days, not a date axis zoomed into milliseconds", () => {
    const oneDay = rows(HAND_ROWS.slice(0, 3));
    expect((plotDailyVolume(oneDay).layout.xaxis as { type: string }).type).toBe("category");
    expect((plotDailyVolume(hand).layout.xaxis as { type: string }).type).toBe("date");
    expect(plotEventVolume(oneDay).layout.title?.text).toBe("Events per hour");
  });
});

describe("shareChart: a pie only while every slice has its own colour", () => {
  it("seven categories: a pie with seven different colours, small labels hidden rather than overlapping", () => {
    const chart = shareChart("kinds", ["a", "b", "c", "d", "e", "f", "g"], [7, 6, 5, 4, 3, 2, 1], "events");
    expect(chart.data[0].type).toBe("pie");
    const colours = (chart.data[0].marker as { colors: string[] }).colors;
    expect(new Set(colours).size).toBe(7);
    expect(chart.layout.uniformtext).toEqual({ minsize: 10, mode: "hide" });
  });

  it("eight categories: a bar chart, largest at the top (Plotly draws the last bar at the top), labels escaped", () => {
    const chart = shareChart("kinds", ["a", "<b>", "c", "d", "e", "f", "g", "h"], [3, 9, 1, 8, 2, 7, 4, 6], "events");
    expect(chart.data[0].type).toBe("bar");
    expect(chart.data[0].x).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
    expect(chart.data[0].y).toEqual(["c", "e", "a", "g", "h", "f", "d", "&lt;b&gt;"]);
  });

  it("a log with nine event types shows them as bars", () => {
    const types = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];
    const frame = eventFrame(types.map((type, i) => ({ s: i, type })));
    expect(plotLogTypes(frame).data[0].type).toBe("bar");
    expect(plotLogTypes(frame.filter(pl.col("log_type").isIn(types.slice(0, 7)))).data[0].type).toBe("pie");
    expect(COLORS.threats.length).toBe(7);
  });
});

describe("legends where colour carries meaning", () => {
  it("the overview's busiest sources keep a legend of their own (failed logins against other events)", () => {
    // Without the tutorial's labelled columns: real logs, which get the overview rather than the tutorial's dashboard.
    const frame = eventFrame([{ s: 0, type: "login_failed" }, { s: 60, type: "login_success" }, { s: 120, ip: "10.0.0.2" }]).drop("threat_level");
    const overview = plotOverview(frame);
    const sources = overview.data.filter((t) => t.name === "failed logins" || t.name === "other events");
    expect(sources).toHaveLength(2);
    for (const trace of sources) expect(trace).toMatchObject({ showlegend: true, legend: "legend2" });
    expect(overview.layout.legend2).toMatchObject({ xanchor: "right", yanchor: "bottom" });
    expect(overview.layout.showlegend).toBe(true);
    // A line of one colour needs no legend.
    expect(overview.data.find((t) => t.name === "events per minute")?.showlegend).toBe(false);
  });

  it("figures that show no legend stay out of legends when combined", () => {
    const combined = combineFigures([plotDailyVolume(hand), plotTopEntities(hand, "ip_address", "Sources")]);
    expect(combined.data[0].showlegend).toBe(false);
    expect(combined.data.slice(1).every((t) => t.legend === "legend2")).toBe(true);
  });
});
