/**
 * report.html opened in a real browser (Debian's Chromium, driven by playwright-core): the charts
 * render, the alerts table is there and sorts, nothing is fetched, the console stays clean, and
 * attacker-written names run nothing.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { SAMPLES } from "../../lib/generate/samples";
import { writeReport } from "../../lib/report/write-report";
import { CHROMIUM_ARGS, describeWith, findChromium } from "../external";
import { ROOT, tempDir, writeFixture } from "../helpers";
import { IMG_PAYLOAD, SCRIPT_PAYLOAD, hostileEvents } from "./report-fixture";

/** What happened while a page was open. */
interface Visit {
  page: Page;
  /** Console errors and warnings (a blocked script or a CSP violation shows here) and uncaught exceptions. */
  problems: string[];
  /** Requests for anything but the page itself. */
  requests: string[];
}

/** Browser-side expressions (the tests compile without the DOM's types). */
const CHARTS_DRAWN = 'document.querySelectorAll(".js-plotly-plot .main-svg").length >= 2';
/** What a payload sets when it runs. */
const PWNED = "window.__pwned";

describeWith("report.html in headless Chromium", "CHROMIUM", findChromium(), (executablePath) => {
  const dir = tempDir();
  let browser: Browser;
  let report: string;

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    report = (await writeReport(writeFixture(dir, "hostile.ndjson", hostileEvents()), join(dir, "out"))).files.html;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a file and waits until its scripts have run. */
  async function visit(path: string): Promise<Visit> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== `file://${path}`) requests.push(r.url());
    });
    await page.goto(`file://${path}`, { waitUntil: "load" });
    return { page, problems, requests };
  }

  it("draws both charts and the alerts table, fetches nothing, logs no error", async () => {
    const { page, problems, requests } = await visit(report);
    await page.waitForFunction(CHARTS_DRAWN, undefined, { timeout: 20_000 });
    const charts = await page.$$eval(".js-plotly-plot", (divs) =>
      divs.map((d) => ({ id: d.id, traces: ((d as unknown as { _fullData?: unknown[] })._fullData ?? []).length, marks: d.querySelectorAll(".trace, .slice, .point").length })),
    );
    expect(charts.map((c) => c.id)).toEqual(["overview", "timeline"]);
    for (const c of charts) {
      expect(c.traces).toBeGreaterThan(0);
      expect(c.marks).toBeGreaterThan(0);
    }
    expect(await page.$$eval("#alerts tbody tr", (rows) => rows.length)).toBe(2);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows attacker-written names as text and runs none of them", async () => {
    const { page, problems } = await visit(report);
    await page.waitForFunction(CHARTS_DRAWN, undefined, { timeout: 20_000 });
    const text = await page.$eval("#alerts", (t) => t.textContent ?? "");
    expect(text).toContain(IMG_PAYLOAD);
    expect(text).toContain(SCRIPT_PAYLOAD);
    expect(await page.evaluate(PWNED)).toBeUndefined();
    expect(await page.$$eval("img", (e) => e.length)).toBe(0);
    expect(await page.$$eval("script", (e) => e.length)).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("the probe works: the same payloads inserted raw into a page do run", async () => {
    const raw = join(dir, "raw.html");
    writeFileSync(raw, `<!DOCTYPE html><html><body><p>${IMG_PAYLOAD}</p></body></html>`);
    const { page } = await visit(raw);
    await page.waitForFunction(`${PWNED} !== undefined`, undefined, { timeout: 10_000 });
    expect(await page.evaluate(PWNED)).toBe("img");
    await page.close();
    const script = join(dir, "raw-script.html");
    writeFileSync(script, `<!DOCTYPE html><html><body><script>var user = "${SCRIPT_PAYLOAD}";</script></body></html>`);
    const second = await visit(script);
    expect(await second.page.evaluate(PWNED)).toBe("script");
    await second.page.close();
  }, 60_000);

  /** Every bundled log: the samples and the tutorial's CSV (whose report shows the tutorial's dashboard). */
  const bundled = [
    ...SAMPLES.map((s) => ({ name: s.file, path: join(ROOT, "data", "samples", s.file), ingest: s.ingest, planted: s.attacks.length })),
    { name: "sample_logs.csv", path: join(ROOT, "data", "sample_logs.csv"), ingest: {}, planted: 0 },
  ];
  for (const sample of bundled) {
    it(`the report of the bundled ${sample.name} renders its charts and every alert`, async () => {
      const run = await writeReport(sample.path, join(dir, `sample-${sample.name}`), sample.ingest);
      const { page, problems, requests } = await visit(run.files.html);
      await page.waitForFunction(CHARTS_DRAWN, undefined, { timeout: 20_000 });
      expect(await page.$$eval(".js-plotly-plot .main-svg", (e) => e.length)).toBeGreaterThanOrEqual(2);
      expect(await page.$$eval("#alerts tbody tr", (rows) => rows.length)).toBe(run.summary.alerts.total);
      expect(run.summary.alerts.total).toBeGreaterThanOrEqual(sample.planted);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    }, 60_000);
  }

  it("sorts the alerts table by a clicked column", async () => {
    const { page } = await visit(report);
    const entities = () => page.$$eval("#alerts tbody tr", (rows) => rows.map((r) => r.children[3].textContent ?? ""));
    await page.click("#alerts th:nth-child(4)");
    const ascending = await entities();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
    await page.click("#alerts th:nth-child(4)");
    expect(await entities()).toEqual([...ascending].reverse());
    expect(await page.getAttribute("#alerts th:nth-child(4)", "aria-sort")).toBe("descending");
    await page.close();
  }, 60_000);
});
