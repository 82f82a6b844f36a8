import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { readLogs } from "../../lib/io/read-logs";
import { combineFigures, plotAnomalyCounts, plotBytesHistogram, plotDailyVolume, plotDashboard, plotThreatLevels, plotlyText } from "../../lib/visualize";
import { generateLogs } from "../../lib/generate/generate-logs";
import { HAND_CSV, tempDir, writeFixture } from "../helpers";

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
    const [pie, hist, bar, line] = dashboard.data;
    const layout = dashboard.layout as Record<string, { domain: number[] }>;
    expect(pie.domain).toEqual({ x: [0, 0.45], y: [0.55, 1] });
    expect([hist.xaxis, hist.yaxis, bar.xaxis, bar.yaxis, line.xaxis, line.yaxis]).toEqual(["x", "y", "x2", "y2", "x3", "y3"]);
    expect(layout.xaxis.domain).toEqual([0.55, 1]);
    expect(layout.yaxis.domain).toEqual([0.55, 1]);
    expect(layout.xaxis2.domain).toEqual([0, 0.45]);
    expect(layout.yaxis2.domain).toEqual([0, 0.45]);
    expect(layout.xaxis3.domain).toEqual([0.55, 1]);
    expect(layout.yaxis3.domain).toEqual([0, 0.45]);
  });

  it("is the same for the same data (figures are reproducible)", () => {
    expect(JSON.stringify(plotDashboard(hand))).toBe(JSON.stringify(dashboard));
  });

  it("combineFigures places three figures on a 2-column grid with two rows", () => {
    const one = plotDailyVolume(hand);
    const combined = combineFigures([one, one, one]);
    expect((combined.layout as Record<string, { domain: number[] }>).yaxis3.domain).toEqual([0, 0.45]);
  });
});

describe("plotlyText", () => {
  it("escapes the characters Plotly reads as markup", () => {
    expect(plotlyText('<a href="javascript:alert(1)">x</a> & co')).toBe('&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; &amp; co');
  });
});
