import { readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { describe, expect, it } from "vitest";
import { escapeHtml, scriptJson, scriptSource } from "../../lib/html";
import { dataPath } from "../../lib/notebook/own-logs";
import { projectRoot } from "../../lib/shared/paths";
import { describeFigure, figureBundle, plotlyLoaderBundle, tableBundle } from "../../lib/notebook/display";
import type { Figure } from "../../lib/visualize/figure";
import { ROOT } from "../helpers";

const EVIL = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";

describe("figureBundle", () => {
  const figure: Figure = { data: [{ type: "bar", x: [EVIL], y: [1] }], layout: { title: { text: "t" }, height: 300 } };
  const bundle = figureBundle(figure, "fig-1");

  it("carries the Plotly JSON as an object, an HTML fallback and a text summary", () => {
    expect(bundle["application/vnd.plotly.v1+json"]).toEqual({ data: figure.data, layout: figure.layout, config: { responsive: true, displaylogo: false } });
    expect(bundle["text/plain"]).toBe('Figure "t": bar (1 trace)');
    expect(String(bundle["text/html"])).toContain('<div id="fig-1" class="threatlab-figure mathjax_ignore" style="width:100%;height:300px;">');
  });

  it("cannot be broken out of by a value in the data", () => {
    const html = String(bundle["text/html"]);
    // The only closing script tag is the bundle's own, and no value appears as markup.
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html).not.toContain("<img");
    // The escaped JSON still decodes to the original value.
    const json = /fig = (\{.*\});/.exec(html)![1];
    expect(JSON.parse(json).data[0].x[0]).toBe(EVIL);
  });

  it("waits for plotly.js and the element instead of failing", () => {
    const html = String(bundle["text/html"]);
    expect(html).toContain("window.Plotly.newPlot(el, fig.data, fig.layout, fig.config)");
    expect(html).toContain("setTimeout(draw, 50)");
  });
});

describe("plotlyLoaderBundle", () => {
  it("inlines plotly.min.js from the npm package, with no CDN address", () => {
    const html = String(plotlyLoaderBundle()["text/html"]);
    const source = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
    // Booleans, not string matchers: a failure must not print 5 MB of plotly.js.
    expect(html.length).toBeGreaterThan(source.length);
    expect(html.includes(source.slice(0, 2000))).toBe(true);
    expect(/<script[^>]+src=/.test(html)).toBe(false);
    expect(html.match(/<\/script/gi)?.length).toBe(1);
  });

  it("hides RequireJS's and CommonJS's globals so plotly.js sets window.Plotly", () => {
    const html = String(plotlyLoaderBundle()["text/html"]);
    expect(html.startsWith('<script type="text/javascript">if (!window.Plotly) { (function (module, exports, define) {')).toBe(true);
  });
});

describe("tableBundle", () => {
  it("escapes every value and header, and says how many rows were left out", () => {
    const frame = pl.DataFrame({ "<th>": [EVIL, "ok", "three"] });
    const html = String(tableBundle(frame, { rows: 2 })["text/html"]);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)");
    expect(html).toContain("<th>&lt;th&gt;</th>");
    expect(html).toContain("<p>2 of 3 rows shown</p>");
  });
});

describe("html helpers", () => {
  it("escapeHtml escapes the five HTML specials", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("scriptJson round-trips and contains no < > & or line separators", () => {
    const value = { s: "</script>&\u2028\u2029<!--" };
    const text = scriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("scriptSource breaks up closing tags and comment openers inside code", () => {
    const code = 'var s = "</script>"; var c = "<!--";';
    const safe = scriptSource(code);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    expect(new Function(`${safe}; return [s, c];`)()).toEqual(["</script>", "<!--"]);
  });
});

describe("paths", () => {
  it("projectRoot is the checkout and dataPath defaults to the bundled sample", () => {
    expect(projectRoot()).toBe(ROOT);
    expect(dataPath({})).toBe(`${ROOT}/data/sample_logs.csv`);
    expect(dataPath({ THREATLAB_DATA: "/tmp/x.csv" })).toBe("/tmp/x.csv");
  });

  it("describeFigure names an untitled figure", () => {
    expect(describeFigure({ data: [], layout: {} })).toBe('Figure "untitled":  (0 traces)');
  });
});
