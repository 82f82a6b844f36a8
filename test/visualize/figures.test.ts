import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { readLogs } from "../../lib/io/read-logs";
import { combineFigures, plotAnomalyCounts, plotBytesHistogram, plotDailyVolume, plotDashboard, plotThreatLevels, plotlyText } from "../../lib/visualize";
import { generateLogs } from "../../lib/generate/generate-logs";
import { HAND_CSV, HAND_SUMMARY, tempDir, writeFixture } from "../helpers";

const hand = readLogs(writeFixture(tempDir(), "hand.csv", HAND_CSV));

describe("dashboard panels", () => {
  it("pie: threat levels in the tutorial's order, values are their counts", () => {
    const [trace] = plotThreatLevels(hand).data;
    expect(trace.type).toBe("pie");
    expect(trace.labels).toEqual(["normal", "brute_force", "unusual_location", "anomaly"]);
    expect(trace.values).toEqual([7, 1, 1, 1]);
  });

  it("pie: unknown labels come last and are escaped for Plotly", () => {
    const frame = hand.withColumns(
      pl.when(pl.col("user_id").eq(pl.lit("user_6"))).then(pl.lit("<b>evil</b>")).otherwise(pl.col("threat_level")).alias("threat_level"),
    );
    expect(plotThreatLevels(frame).data[0].labels).toEqual(["normal", "brute_force", "anomaly", "&lt;b&gt;evil&lt;/b&gt;"]);
  });

  it("histogram: 50 bins of equal width that count every row", () => {
    const logs = generateLogs({ rows: 2000, seed: 8 });
    const [trace] = plotBytesHistogram(logs).data;
    const y = trace.y as number[];
    const widths = trace.width as number[];
    expect(y).toHaveLength(50);
    expect(y.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(new Set(widths.map((w) => w.toFixed(6))).size).toBe(1);
  });

  it("histogram: bins of the hand rows (width (10000 − 100) / 5 = 1980)", () => {
    const [trace] = plotBytesHistogram(hand, { bins: 5 }).data;
    // 100..900 fall in the first bin [100, 2080); 10000 in the last.
    expect(trace.y).toEqual([9, 0, 0, 0, 1]);
    expect((trace.x as number[])[0]).toBe(1090);
  });

  it("histogram: an optional threshold line at the given x", () => {
    const figure = plotBytesHistogram(hand, { threshold: 5905 });
    expect(figure.layout.shapes).toEqual([expect.objectContaining({ type: "line", x0: 5905, x1: 5905 })]);
    expect(plotBytesHistogram(hand).layout.shapes).toBeUndefined();
  });

  it("bar: normal versus anomalous rows", () => {
    const [trace] = plotAnomalyCounts(hand).data;
    expect(trace.x).toEqual(["Normal", "Anomaly"]);
    expect(trace.y).toEqual([9, 1]);
  });

  it("line: rows per date, oldest first", () => {
    const [trace] = plotDailyVolume(hand).data;
    expect(trace.x).toEqual(["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04"]);
    expect(trace.y).toEqual([3, 2, 4, 1]);
  });
});

describe("plotDashboard", () => {
  const dashboard = plotDashboard(hand);

  it("has the four panels in the tutorial's order", () => {
    expect(dashboard.data.map((t) => t.type)).toEqual(["pie", "bar", "bar", "scatter"]);
    expect((dashboard.layout.annotations as { text: string }[]).map((a) => a.text)).toEqual([
      "<b>Threat levels (labels)</b>",
      "<b>Bytes transferred (50 bins)</b>",
      "<b>Normal vs anomalous logs</b>",
      "<b>Daily log volume</b>",
    ]);
  });

  it("lays them out 2×2: pie top left, histogram top right, bar bottom left, line bottom right", () => {
    // Columns: gap 0.1, so [0, 0.45] and [0.55, 1]. Rows: gap 0.18, so [0, 0.41] and [0.59, 1].
    const close = (actual: unknown, expected: number[]) =>
      (actual as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    const [pie, hist, bar, line] = dashboard.data;
    const layout = dashboard.layout as Record<string, { domain: number[] }>;
    // The pie keeps the left 70% of its cell; its legend takes the rest.
    close((pie.domain as { x: number[] }).x, [0, 0.315]);
    close((pie.domain as { y: number[] }).y, [0.59, 1]);
    expect(dashboard.layout.legend).toMatchObject({ x: expect.closeTo(0.325, 12), y: expect.closeTo(1, 12) });
    expect([pie.showlegend, hist.showlegend, bar.showlegend, line.showlegend]).toEqual([true, false, false, false]);
    expect([hist.xaxis, hist.yaxis, bar.xaxis, bar.yaxis, line.xaxis, line.yaxis]).toEqual(["x", "y", "x2", "y2", "x3", "y3"]);
    close(layout.xaxis.domain, [0.55, 1]);
    close(layout.yaxis.domain, [0.59, 1]);
    close(layout.xaxis2.domain, [0, 0.45]);
    close(layout.yaxis2.domain, [0, 0.41]);
    close(layout.xaxis3.domain, [0.55, 1]);
    close(layout.yaxis3.domain, [0, 0.41]);
  });

  it("carries the hand rows' numbers (test/helpers.ts): labels 7/1/1/1, one row above 5905 bytes, rows per day 3, 2, 4, 1", () => {
    const [pie, hist, bar, line] = dashboard.data;
    expect(Object.fromEntries((pie.labels as string[]).map((l, i) => [l, (pie.values as number[])[i]]))).toEqual(HAND_SUMMARY.threat_level_counts);
    expect((hist.y as number[]).reduce((a, b) => a + b, 0)).toBe(HAND_SUMMARY.total);
    expect(bar.y).toEqual([HAND_SUMMARY.total - HAND_SUMMARY.anomaly_count, HAND_SUMMARY.anomaly_count]);
    expect(line.y).toEqual(Object.values(HAND_SUMMARY.daily_counts));
    // And the same data gives the same figure, byte for byte.
    expect(JSON.stringify(plotDashboard(hand))).toBe(JSON.stringify(dashboard));
  });

  it("combineFigures places three figures on a 2-column grid with two rows", () => {
    const one = plotDailyVolume(hand);
    const combined = combineFigures([one, one, one]);
    const domain = (combined.layout as Record<string, { domain: number[] }>).yaxis3.domain;
    expect(domain[0]).toBe(0);
    expect(domain[1]).toBeCloseTo(0.41, 12);
  });
});

describe("plotlyText", () => {
  it("escapes the characters Plotly reads as markup", () => {
    expect(plotlyText('<a href="javascript:alert(1)">x</a> & co')).toBe('&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; &amp; co');
  });
});
