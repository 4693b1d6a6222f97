import assert from "node:assert/strict";
import type { ReportData } from "../../../runtime/report/data";
import { escapeHtml, renderReport, scriptJson } from "../../../runtime/report/html";

/** A report's data with names a hostile or careless export could hold. */
const data = (over: Partial<ReportData> = {}): ReportData => ({
  title: "t <b>",
  generatedAt: "2025-04-01T00:00:00.000Z",
  checkedAt: "2025-03-31T18:00:00.000Z",
  currency: "USD",
  periods: [
    {
      period: "2025-03",
      cost: 10,
      rows: 2,
      rowsWithoutRate: 1,
      unconverted: [{ currency: "JPY", cost: 1500 }],
    },
  ],
  total: 10,
  latestPeriod: "2025-03",
  byProvider: [
    { date: "2025-03-01", key: "aws", cost: 4 },
    { date: "2025-03-03", key: "aws", cost: 6 },
  ],
  byCategory: [{ date: "2025-03-01", key: "Compute", cost: 10 }],
  topServices: [{ provider: "aws", service: "</script><img src=x onerror=alert(1)>", cost: 10 }],
  movers: [],
  tagCoverage: [{ key: "team\u2028</script>", taggedCost: 5, totalCost: 10, percent: 50 }],
  conformance: [],
  sources: [],
  ...over,
});

describe("report page", () => {
  it("escapes names from the data in the page and in its embedded JSON", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const json = scriptJson({ s: "</script><!--\u2028" });
    assert.doesNotMatch(json, /<|\u2028/);
    assert.deepEqual(JSON.parse(json), { s: "</script><!--\u2028" });
    const html = renderReport(data());
    assert.doesNotMatch(html, /<img src=x/);
    assert.match(html, /&lt;\/script&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
    // Only our own three script elements end: no value closes one early.
    assert.equal(html.match(/<\/script>/g)!.length, 3);
  });

  it("over a collect folder, gives each tenant's cost, its name escaped", () => {
    const html = renderReport(data({ byTenant: [{ tenant: "a<b", cost: 7, latestCost: 3 }] }));
    assert.match(html, /EffectiveCost by tenant \(USD\)/);
    assert.match(html, /data-tenant="a&lt;b" data-tenant-total="7">a&lt;b</);
    assert.doesNotMatch(renderReport(data()), /by tenant/);
  });

  it("is one file: the chart library inline, nothing fetched, no source map", () => {
    const html = renderReport(data());
    assert.match(html, /Chart\.js v4\.6\.1/);
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it("says each amount's currency and period, and what is left out of USD", () => {
    const html = renderReport(data());
    assert.match(html, /Daily EffectiveCost by provider \(USD, 2025-03\)/);
    assert.match(html, /Top services \(USD, 2025-03\)/);
    assert.match(html, /1 rows have no USD rate and are not in the USD amounts: 2025-03: 1500\.00 JPY/);
    assert.match(html, /data-total="10"/);
    // Without the tenant's checks, the page says how to get them instead of an empty table.
    assert.match(html, /pass --tenant FILE/);
    // Days without charges are on the axis: 1 to 3 March.
    assert.match(html, /"labels":\["2025-03-01","2025-03-02","2025-03-03"\]/);
  });
});
