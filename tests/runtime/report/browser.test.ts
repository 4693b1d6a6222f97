import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { loadTenantFile } from "../../../stacks/tenant/load";
import { buildReport } from "../../../runtime/report/build";
import { launchChromium, TEST_OUTPUT } from "../../helpers/browser";
import { overlappedFiles, sampleStore, sumOver } from "../../helpers/stores";
import { tempDir } from "../normalize/helpers";

const TENANT = join(__dirname, "..", "..", "..", "examples", "tenants", "acme-all.yaml");
/**
 * Run in the page (as text: the tests compile without the DOM's types): each chart the report
 * drew, with its data points and the share of its canvas painted.
 */
const CHARTS_DRAWN = `(window.reportCharts || []).map((c) => {
  const { width, height } = c.canvas;
  const pixels = c.canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return { id: c.canvas.id, points: c.data.datasets.reduce((n, d) => n + d.data.length, 0), painted: painted / (width * height) };
})`;
const VIEWPORTS = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

describe("report in a real browser (headless Chromium)", function () {
  this.timeout(180000);
  let browser: Browser | undefined;
  let url: string;
  let storeTotal: number;
  before(async function () {
    browser = await launchChromium();
    if (!browser) this.skip();
    const store = await sampleStore();
    const out = join(tempDir(), "report.html");
    await buildReport({
      input: store,
      out,
      checks: loadTenantFile(TENANT).checks,
      now: new Date("2025-03-31T18:00:00Z"),
    });
    url = pathToFileURL(out).href;
    storeTotal = (await sumOver(overlappedFiles(store).counted, "x_EffectiveCostUsd")).all!;
  });
  after(async () => browser?.close());

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    it(`draws every chart with no console error and no request on a ${name} screen`, async () => {
      const page = await browser!.newPage({ viewport });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url);
      const charts = await page.evaluate<{ id: string; points: number; painted: number }[]>(CHARTS_DRAWN);
      assert.deepEqual(
        charts.map((c) => c.id),
        ["chart-provider", "chart-category", "chart-services", "chart-tags"],
      );
      for (const c of charts) {
        assert.ok(c.points > 0, `${c.id} has no data`);
        // Axes, bars and labels paint a good part of the canvas; a chart that failed paints none.
        assert.ok(c.painted > 0.02, `${c.id} painted ${c.painted}`);
      }
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);
      // The total shown is the store's, and the text says it in USD.
      const total = await page.getAttribute("[data-total]", "data-total");
      assert.ok(Math.abs(Number(total) - storeTotal) < 1e-6, `${total} vs ${storeTotal}`);
      const shown = await page.textContent("[data-total] .value");
      assert.equal(
        shown,
        `${storeTotal.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`,
      );
      // Nothing wider than the screen: tables scroll inside their box.
      const widths = await page.evaluate<number[]>(
        "[document.documentElement.scrollWidth, window.innerWidth]",
      );
      assert.ok(widths[0]! <= widths[1]!, `page ${widths[0]} px wide on a ${widths[1]} px screen`);
      mkdirSync(TEST_OUTPUT, { recursive: true });
      await page.screenshot({ path: join(TEST_OUTPUT, `report-${name}.png`), fullPage: true });
      await page.close();
    });
  }
});
