import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Finding } from "../checks/types";
import type { DailyCost, ReportData } from "./data";
import { MOVER_DAYS } from "./data";

/** Text as HTML: the report shows names from the data (services, tags, accounts) as they are. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * JSON inside a <script> element: `<` written as its escape so that no value (`</script>` in a
 * tag) can end the element, and U+2028/2029 escaped for older parsers.
 */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/**
 * Chart.js, from the installed package, inline: the report opens with no network. Its licence
 * header stays; the source-map comment goes (a browser's developer tools would fetch the map).
 */
function chartLibrary(): string {
  // The package exports no path to its browser build: it sits beside the CommonJS entry point.
  const source = readFileSync(join(dirname(require.resolve("chart.js")), "chart.umd.min.js"), "utf8");
  return source.replace(/\/\/# sourceMappingURL=\S+\s*$/, "").replace(/<\/script/gi, "<\\/script");
}

const usd = (n: number) =>
  `${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;
const signedUsd = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : ""}${usd(Math.abs(n))}`;

function table(head: string[], body: (string | number)[][], numeric: number[] = []): string {
  const cell = (tag: string, v: string | number, i: number) =>
    `<${tag}${numeric.includes(i) ? ' class="num"' : ""}>${v}</${tag}>`;
  return (
    `<div class="scroll"><table><thead><tr>${head.map((h, i) => cell("th", escapeHtml(h), i)).join("")}</tr></thead>` +
    `<tbody>${body.map((r) => `<tr>${r.map((v, i) => cell("td", v, i)).join("")}</tr>`).join("")}</tbody></table></div>`
  );
}

const section = (id: string, title: string, body: string, note?: string) =>
  `<section id="${id}"><h2>${escapeHtml(title)}</h2>${note ? `<p class="note">${note}</p>` : ""}${body}</section>`;

const chart = (id: string, label: string) =>
  `<div class="chart"><canvas id="${id}" role="img" aria-label="${escapeHtml(label)}"></canvas></div>`;

const empty = (what: string) => `<p class="empty">${escapeHtml(what)}</p>`;

/** Every day from the first to the last, so that the time axis shows days without charges as such. */
function everyDay(dates: string[]): string[] {
  const sorted = [...dates].sort();
  const days: string[] = [];
  for (
    let t = Date.parse(`${sorted[0]}T00:00:00Z`);
    t <= Date.parse(`${sorted.at(-1)}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** One stacked series per key over the days, as the chart script draws them. */
function series(daily: DailyCost[]) {
  const dates = daily.length ? everyDay(daily.map((d) => d.date)) : [];
  const keys = [...new Set(daily.map((d) => d.key))].sort();
  const at = new Map(daily.map((d) => [`${d.key}\u0000${d.date}`, d.cost]));
  return {
    labels: dates,
    datasets: keys.map((key) => ({ label: key, data: dates.map((d) => at.get(`${key}\u0000${d}`) ?? 0) })),
  };
}

function findingRows(findings: Finding[]) {
  return findings.map((f) => [
    `<span class="sev sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</span>`,
    escapeHtml(f.policy),
    escapeHtml(f.subject),
    escapeHtml(f.message),
    escapeHtml(f.hint ?? ""),
  ]);
}

const FINDING_HEAD = ["severity", "policy", "subject", "finding", "what to do"];

/** The report as one self-contained HTML page: data, styles, chart library and script inline. */
export function renderReport(data: ReportData): string {
  const periodsText = `${data.periods[0]!.period}${data.periods.length > 1 ? ` to ${data.latestPeriod}` : ""}`;
  const latest = data.periods.at(-1)!;
  const unrated = data.periods.reduce((n, p) => n + p.rowsWithoutRate, 0);
  const rows = data.periods.reduce((n, p) => n + p.rows, 0);
  const unconverted = data.periods.flatMap((p) =>
    p.unconverted.map((u) => `${p.period}: ${u.cost.toFixed(2)} ${escapeHtml(u.currency)}`),
  );
  const cards = [
    [`EffectiveCost, ${periodsText}`, usd(data.total), `data-total="${data.total}"`],
    data.periods.length > 1
      ? [`EffectiveCost, ${data.latestPeriod}`, usd(latest.cost), `data-latest="${latest.cost}"`]
      : ["Sources", String(data.sources.length), `data-sources="${data.sources.length}"`],
    ["Rows", rows.toLocaleString("en-US"), `data-rows="${rows}"`],
    ["Rows without a USD rate", unrated.toLocaleString("en-US"), `data-unrated="${unrated}"`],
  ]
    .map(
      ([label, value, attr]) =>
        `<div class="card" ${attr}><div class="label">${label}</div><div class="value">${value}</div></div>`,
    )
    .join("");
  const budgetFindings = data.findings?.filter((f) => f.policy === "budgets") ?? [];
  const anomalyFindings = data.findings?.filter((f) => f.policy === "anomalies" && f.severity !== "ok") ?? [];
  const otherFindings =
    data.findings?.filter((f) => !["budgets", "anomalies"].includes(f.policy) && f.severity !== "ok") ?? [];
  const noChecks =
    "No tenant checks were run: pass --tenant FILE to see its budgets, anomalies and policies.";
  const multi = data.sources.some((s) => s.tenant !== undefined);
  const chartData = {
    currency: data.currency,
    byProvider: series(data.byProvider),
    byCategory: series(data.byCategory),
    services: {
      labels: data.topServices.map((s) => `${s.service} (${s.provider})`),
      data: data.topServices.map((s) => s.cost),
    },
    tags: { labels: data.tagCoverage.map((t) => t.key), data: data.tagCoverage.map((t) => t.percent) },
  };
  const sections = [
    ...(data.byTenant
      ? [
          section(
            "tenants",
            `EffectiveCost by tenant (USD)`,
            table(
              ["tenant", `${periodsText}`, data.latestPeriod],
              data.byTenant.map((t) => [
                `<span data-tenant="${escapeHtml(t.tenant)}" data-tenant-total="${t.cost}">${escapeHtml(t.tenant)}</span>`,
                usd(t.cost),
                usd(t.latestCost),
              ]),
              [1, 2],
            ),
          ),
        ]
      : []),
    section(
      "cost-over-time",
      `Daily EffectiveCost by provider (USD, ${periodsText})`,
      data.byProvider.length
        ? chart("chart-provider", "daily cost by provider")
        : empty("No charges with a USD rate."),
    ),
    section(
      "cost-by-category",
      `Daily EffectiveCost by FOCUS ServiceCategory (USD, ${periodsText})`,
      data.byCategory.length
        ? chart("chart-category", "daily cost by service category")
        : empty("No charges with a USD rate."),
    ),
    section(
      "top-services",
      `Top services (USD, ${data.latestPeriod})`,
      data.topServices.length
        ? chart("chart-services", "top services") +
            table(
              ["service", "provider", "EffectiveCost (USD)"],
              data.topServices.map((s) => [escapeHtml(s.service), escapeHtml(s.provider), usd(s.cost)]),
              [2],
            )
        : empty("No charges with a USD rate in this period."),
    ),
    section(
      "top-movers",
      "Top movers (USD)",
      data.moversWindow
        ? data.movers.length
          ? table(
              [
                "service",
                "provider",
                `${data.moversWindow.previousFrom} to ${data.moversWindow.previousTo}`,
                `${data.moversWindow.from} to ${data.moversWindow.to}`,
                "change",
              ],
              data.movers.map((m) => [
                escapeHtml(m.service),
                escapeHtml(m.provider),
                usd(m.previous),
                usd(m.cost),
                signedUsd(m.change),
              ]),
              [2, 3, 4],
            )
          : empty("No service's cost changed between the two windows.")
        : empty(`The data spans fewer than ${2 * MOVER_DAYS} days: no movers yet.`),
      `The services whose EffectiveCost changed most between the last ${MOVER_DAYS} days of charges and the ${MOVER_DAYS} days before.`,
    ),
    section(
      "tag-coverage",
      `Tag coverage (share of USD EffectiveCost, ${data.latestPeriod})`,
      data.tagCoverage.length
        ? chart("chart-tags", "tag coverage") +
            table(
              ["tag key", "tagged cost (USD)", "cost of all charges (USD)", "coverage"],
              data.tagCoverage.map((t) => [
                escapeHtml(t.key),
                usd(t.taggedCost),
                usd(t.totalCost),
                `${t.percent.toFixed(1)}%`,
              ]),
              [1, 2, 3],
            )
        : empty("No row carries a tag."),
      "Of charges with a positive cost: credits and corrections carry no tags of their own.",
    ),
    section(
      "budgets",
      "Budgets and forecast",
      !data.findings
        ? empty(noChecks)
        : budgetFindings.length
          ? table(FINDING_HEAD, findingRows(budgetFindings))
          : empty("The tenant declares no budgets (checks.budgets)."),
      `Month to date as of ${escapeHtml(data.checkedAt.slice(0, 10))}, with a linear forecast for the month; in each budget's currency.`,
    ),
    section(
      "anomalies",
      "Anomalies",
      !data.findings
        ? empty(noChecks)
        : anomalyFindings.length
          ? table(FINDING_HEAD, findingRows(anomalyFindings))
          : empty("No service's daily cost stands out from its trailing baseline."),
      "Daily EffectiveCost (USD) of each service against its trailing median.",
    ),
    ...(otherFindings.length
      ? [section("policies", "Other policy findings", table(FINDING_HEAD, findingRows(otherFindings)))]
      : []),
    section(
      "conformance",
      "FOCUS conformance",
      data.conformance
        .map(
          (c) =>
            `<div class="conf" data-mandatory-failures="${c.mandatoryFailures}"><p><strong>${c.tenant ? `${escapeHtml(c.tenant)}: ` : ""}${c.mandatoryFailures ? "not conformant" : "no statically checkable MUST rule fails"}</strong> — FOCUS ${escapeHtml(c.focusVersion)}, ${c.rows.toLocaleString("en-US")} rows, ${c.rules} rules: ${c.passed} passed, ${c.failed} failed (${c.mandatoryFailures} MUST), ${c.skipped} skipped (not passed: review them).</p>` +
            (c.failures.length
              ? table(
                  ["rule", "keyword", "requirement"],
                  c.failures.map((f) => [escapeHtml(f.id), escapeHtml(f.keyword), escapeHtml(f.requirement)]),
                )
              : "") +
            "</div>",
        )
        .join(""),
    ),
    section(
      "freshness",
      "Sources and data freshness",
      table(
        [
          ...(multi ? ["tenant"] : []),
          "provider",
          "billing account",
          "export",
          "period",
          "rows",
          "newest charge",
          "written",
        ],
        data.sources.map((s) => [
          ...(multi ? [escapeHtml(s.tenant ?? "")] : []),
          escapeHtml(s.provider),
          escapeHtml(s.billingAccountId),
          escapeHtml(s.format),
          escapeHtml(s.period),
          s.rows.toLocaleString("en-US"),
          escapeHtml(s.newestCharge ?? "—"),
          escapeHtml(s.writtenAt ?? "not recorded"),
        ]),
        [multi ? 5 : 4],
      ),
      "Every export the store holds; the unified view counts one export of each billing account and period.",
    ),
    ...(data.connections
      ? [
          section(
            "connections",
            "Connection health",
            table(
              ["tenant", "cloud", "status", "last successful run", "data freshness", "problem"],
              data.connections.flatMap((t) =>
                t.clouds.map((c) => [
                  escapeHtml(t.tenant),
                  escapeHtml(c.source && c.source !== c.cloud ? c.source : c.cloud),
                  `<span class="sev sev-${c.status === "connected" ? "ok" : c.status === "stale" ? "warning" : "error"}">${escapeHtml(c.status)}</span>`,
                  escapeHtml(c.lastSuccessfulRun ?? "never"),
                  escapeHtml(c.dataFreshness ?? "—"),
                  escapeHtml(c.problem ?? ""),
                ]),
              ),
            ),
            `As collected at ${escapeHtml(data.collectedAt ?? "")}.`,
          ),
        ]
      : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.title)}</h1>
<p class="note">FOCUS data of ${escapeHtml(periodsText)}; amounts are EffectiveCost in USD, each charge counted once (the unified view). Generated ${escapeHtml(data.generatedAt)}.</p>
${unrated ? `<p class="warn">${unrated} rows have no USD rate and are not in the USD amounts: ${unconverted.join(", ")}.</p>` : ""}
</header>
<main>
<div class="cards">${cards}</div>
${sections.join("\n")}
</main>
<script type="application/json" id="report-data">${scriptJson(chartData)}</script>
<script>${chartLibrary()}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --fg: #1d2430; --muted: #5b6573; --line: #d9dee5; --bg: #f6f7f9; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 12px 16px; }
h1 { font-size: 1.5rem; margin: 8px 0; }
h2 { font-size: 1.1rem; margin: 0 0 8px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px; margin: 14px 0; min-width: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card .label { color: var(--muted); font-size: .85rem; }
.card .value { font-size: 1.35rem; font-weight: 600; overflow-wrap: anywhere; }
.chart { position: relative; height: 320px; width: 100%; }
.note { color: var(--muted); margin: 4px 0 10px; }
.warn { background: #fff4e0; border: 1px solid #f0c36d; padding: 8px; border-radius: 6px; }
.empty { color: var(--muted); font-style: italic; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; margin-top: 10px; font-size: .9rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
.num { text-align: right; white-space: nowrap; }
.sev { padding: 1px 6px; border-radius: 4px; font-size: .8rem; font-weight: 600; }
.sev-ok, .sev-info { background: #e3f4e8; color: #1e6b35; }
.sev-warning { background: #fff1d6; color: #8a5a00; }
.sev-error { background: #fde2e1; color: #a02622; }
@media (max-width: 600px) { .chart { height: 260px; } body { font-size: 14px; } }
`;

/** Draws the charts from the embedded data; `window.reportCharts` lists them for a test to inspect. */
const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var palette = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e", "#316395", "#994499", "#22aa99"];
  var money = function (v) { return Number(v).toLocaleString("en-US", { maximumFractionDigits: 0 }) + " " + data.currency; };
  var charts = [];
  var draw = function (id, config) {
    var canvas = document.getElementById(id);
    if (canvas) charts.push(new Chart(canvas, config));
  };
  var stacked = function (series) {
    return {
      type: "bar",
      data: { labels: series.labels, datasets: series.datasets.map(function (d, i) { return { label: d.label, data: d.data, backgroundColor: palette[i % palette.length] }; }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: money } } },
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + money(c.raw); } } } } }
    };
  };
  var bars = function (series, label, format) {
    return {
      type: "bar",
      data: { labels: series.labels, datasets: [{ label: label, data: series.data, backgroundColor: palette[0] }] },
      options: { indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { ticks: { callback: format } } }, plugins: { legend: { display: false } } }
    };
  };
  draw("chart-provider", stacked(data.byProvider));
  draw("chart-category", stacked(data.byCategory));
  draw("chart-services", bars(data.services, "EffectiveCost (" + data.currency + ")", money));
  draw("chart-tags", bars(data.tags, "coverage (%)", function (v) { return v + "%"; }));
  window.reportCharts = charts;
})();
`;
