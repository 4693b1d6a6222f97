import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { ConnectionRecord } from "../../../runtime/checks/connection";
import { anomalies, median } from "../../../runtime/checks/policies/anomalies";
import { budgets } from "../../../runtime/checks/policies/budgets";
import { credentialAge } from "../../../runtime/checks/policies/credential-age";
import { exchangeRates } from "../../../runtime/checks/policies/exchange-rates";
import { focusConformance } from "../../../runtime/checks/policies/focus-conformance";
import { freshness } from "../../../runtime/checks/policies/freshness";
import { overlappingSources } from "../../../runtime/checks/policies/overlapping-sources";
import { requiredTags } from "../../../runtime/checks/policies/required-tags";
import { unmappedServices } from "../../../runtime/checks/policies/unmapped-services";
import { duckdbCheckData } from "../../../runtime/checks/run";
import type { CheckContext, Finding, Policy } from "../../../runtime/checks/types";
import { type Dataset, openDataset } from "../../../runtime/validate/dataset";
import { type Charge, days, writeNormalized } from "../../fixtures/focus/normalized";

const NOW = new Date("2024-01-21T06:00:00Z");
const open: { db: DuckDBInstance; conn: DuckDBConnection }[] = [];

type Context = CheckContext & { conn: DuckDBConnection; dataset: Dataset };

async function context(charges: Charge[], connection?: unknown, now = NOW): Promise<Context> {
  const out = await writeNormalized(mkdtempSync(join(tmpdir(), "costline-checks-")), charges);
  const db = await DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  open.push({ db, conn });
  const dataset = await openDataset(conn, join(out, "focus"), "normalized");
  return {
    conn,
    dataset,
    data: duckdbCheckData(conn, dataset),
    tagAliases: {},
    now,
    connection: connection === undefined ? undefined : ConnectionRecord.parse(connection),
  };
}

function evaluate<P extends Policy>(policy: P, ctx: CheckContext, config: unknown = {}): Promise<Finding[]> {
  return policy.evaluate(ctx, policy.config.parse(config));
}

/** Twenty days of steady EC2 and S3 charges. */
const steady = (): Charge[] =>
  days("2024-01-01", "2024-01-20").flatMap((day, i) => [
    { day, service: "Amazon EC2", cost: 100 + (i % 3), tags: { "cost-center": "cc-1", owner: "web" } },
    { day, service: "Amazon S3", cost: 20, tags: { "cost-center": "cc-2" } as Record<string, string> },
  ]);

const total = (charges: Charge[], service?: string) =>
  charges.filter((c) => !service || c.service === service).reduce((s, c) => s + c.cost, 0);
const EC2 = total(steady(), "Amazon EC2"); // 2019
const ALL = total(steady()); // 2419

describe("checks: policies", function () {
  this.timeout(60_000);
  after(() => {
    for (const { db, conn } of open) {
      conn.closeSync();
      db.closeSync();
    }
  });

  describe("required-tags", () => {
    it("passes when every usage cost carries the tag, and measures the share that does", async () => {
      const ctx = await context(steady());
      const [cc, owner] = await evaluate(requiredTags, ctx, {
        tags: ["cost-center", "owner"],
        minCoveragePercent: 80,
      });
      assert.deepEqual([cc.severity, cc.measured], ["ok", 100]);
      // Only EC2 carries an owner.
      assert.equal(owner.measured, Math.round((10000 * EC2) / ALL) / 100);
      assert.equal(owner.measured, 83.46);
      assert.equal(owner.severity, "ok");
    });

    it("fails below the minimum, and ignores non-usage charges", async () => {
      const charges = [
        ...steady(),
        { day: "2024-01-05", service: "Tax", cost: 5000, category: "Tax", tags: null },
      ];
      const [owner] = await evaluate(requiredTags, await context(charges), {
        tags: ["owner"],
        minCoveragePercent: 90,
      });
      assert.equal(owner.severity, "warning");
      assert.equal(owner.measured, 83.46);
      assert.equal(owner.threshold, 90);
      assert.ok(owner.hint);
    });

    it("counts a row's alias with a value toward its canonical key, and reports under that key", async () => {
      const charges: Charge[] = [
        { day: "2024-01-02", service: "Amazon EC2", cost: 40, tags: { CostCenter: "cc-1" } },
        { day: "2024-01-02", service: "Amazon S3", cost: 30, tags: { "cost-center": "cc-2" } },
        // A blank canonical value does not hide an alias's value; a blank alias counts for nothing.
        { day: "2024-01-02", service: "Amazon RDS", cost: 10, tags: { cost_center: "", CostCenter: "cc-3" } },
        { day: "2024-01-02", service: "AWS Lambda", cost: 20, tags: { "cost-center": " " } },
        { day: "2024-01-02", service: "Amazon EKS", cost: 100, tags: { owner: "web" } },
      ];
      const ctx = await context(charges);
      const config = { tags: ["cost_center"], minCoveragePercent: 50 };
      const [raw] = await evaluate(requiredTags, ctx, config);
      assert.equal(raw.measured, 0);
      const tagAliases = { cost_center: ["cost-center", "CostCenter"] };
      const [cc] = await evaluate(requiredTags, { ...ctx, tagAliases }, config);
      // 40 + 30 + 10 of 200.
      assert.deepEqual([cc.subject, cc.measured, cc.severity], ["cost_center", 40, "warning"]);
      assert.match(cc.message, /carries tag "cost_center" \(or "cost-center", "CostCenter"\)/);
    });
  });

  describe("budgets", () => {
    it("passes below the thresholds, with month to date and forecast", async () => {
      const ctx = await context(steady());
      const [f] = await evaluate(budgets, ctx, {
        budgets: [{ name: "all", amount: 5000, thresholds: [80, 100] }],
      });
      assert.equal(f.severity, "ok");
      assert.equal(f.measured, ALL);
    });

    it("reports crossed thresholds by severity and a forecast overrun", async () => {
      const ctx = await context(steady());
      const over = await evaluate(budgets, ctx, { budgets: [{ name: "all", amount: 2000 }] });
      assert.deepEqual(
        over.map((f) => [f.severity, f.measured, f.threshold]),
        [["error", ALL, 2000]],
      );
      const near = await evaluate(budgets, ctx, {
        budgets: [{ name: "ec2", amount: 2500, provider: "aws" }],
      });
      assert.deepEqual(
        near.map((f) => [f.severity, f.measured, f.threshold]),
        [
          ["warning", ALL, 2000],
          ["warning", 3749.45, 2500], // forecast: 2419 / 20 days x 31
        ],
      );
    });

    it("converts to the budget's currency with the data's rate, or says it cannot", async () => {
      const eur = steady().map((c) => ({ ...c, currency: "EUR", rateToUsd: 1.1 }));
      const [f] = await evaluate(budgets, await context(eur), {
        budgets: [{ name: "eur", amount: 10000, currency: "EUR" }],
      });
      assert.equal(f.measured, ALL);
      const [g] = await evaluate(budgets, await context(steady()), {
        budgets: [{ name: "gbp", amount: 10, currency: "GBP" }],
      });
      assert.equal(g.severity, "error");
      assert.match(g.message, /no GBP exchange rate/);
    });
  });

  describe("anomalies", () => {
    it("computes the median", () => {
      assert.equal(median([3, 1, 2]), 2);
      assert.equal(median([4, 1, 2, 3]), 2.5);
    });

    it("passes steady costs and counts the service-days judged", async () => {
      const [f] = await evaluate(anomalies, await context(steady()));
      assert.equal(f.severity, "ok");
      assert.equal(f.measured, 6); // 2 services x the last 3 days
    });

    it("flags a jump against the trailing median, with the threshold it crossed", async () => {
      const charges = steady().map((c) =>
        c.day === "2024-01-20" && c.service === "Amazon EC2" ? { ...c, cost: 400 } : c,
      );
      const found = await evaluate(anomalies, await context(charges));
      assert.equal(found.length, 1);
      assert.equal(found[0].subject, "Amazon EC2 on 2024-01-20");
      assert.equal(found[0].measured, 400);
      // 14 days before: median 101, MAD 1 -> max(101 + 3.5 x 1.4826, 101 x 1.5, 111) = 151.5
      assert.equal(found[0].threshold, 151.5);
    });

    it("does not flag small absolute jumps or services without enough history", async () => {
      const charges = steady().map((c) =>
        c.day === "2024-01-20" && c.service === "Amazon S3" ? { ...c, cost: 29 } : c,
      );
      charges.push(
        { day: "2024-01-19", service: "New", cost: 1 },
        { day: "2024-01-20", service: "New", cost: 500 },
      );
      const [f] = await evaluate(anomalies, await context(charges));
      assert.equal(f.severity, "ok");
    });
  });

  describe("freshness", () => {
    const record = (lastExportAt: string) => ({
      recordedAt: "2024-01-21T06:00:00Z",
      exports: [{ provider: "aws", name: "acme-focus", lastExportAt }],
    });

    it("passes a recent export and recent charges, with the lags measured", async () => {
      const found = await evaluate(freshness, await context(steady(), record("2024-01-21T03:00:00Z")));
      assert.deepEqual(
        found.map((f) => [f.subject, f.severity, f.measured, f.threshold]),
        [
          ["aws export acme-focus", "ok", 3, 4],
          ["aws charges", "ok", 6, 48],
        ],
      );
    });

    it("fails an export older than 4 hours and charges older than the charge lag", async () => {
      const late = new Date("2024-01-24T06:00:00Z");
      const found = await evaluate(freshness, await context(steady(), record("2024-01-21T01:00:00Z"), late));
      assert.deepEqual(
        found.map((f) => [f.severity, f.measured]),
        [
          ["error", 77],
          ["error", 78],
        ],
      );
    });

    it("says when there is no connection record", async () => {
      const [f] = await evaluate(freshness, await context(steady()));
      assert.equal(f.severity, "info");
    });

    it("counts a charge period that ends after the time checked (today's) as no lag, not a negative one", async () => {
      const evening = new Date("2024-01-20T18:00:00Z");
      const [, charges] = await evaluate(freshness, await context(steady(), undefined, evening));
      assert.deepEqual([charges.severity, charges.measured], ["ok", 0]);
      assert.match(
        charges.message,
        /ends 2024-01-21T00:00:00.000Z, after the time checked, 2024-01-20T18:00:00.000Z/,
      );
    });
  });

  describe("credential-age", () => {
    const record = (createdAt: string, rotatedAt?: string) => ({
      recordedAt: "2024-01-21T06:00:00Z",
      credentials: [
        {
          provider: "aws",
          name: "tenant-acme-aws-111122223333",
          createdAt,
          ...(rotatedAt ? { rotatedAt } : {}),
        },
      ],
    });

    it("passes a recently rotated secret", async () => {
      const [f] = await evaluate(
        credentialAge,
        await context(steady(), record("2023-01-01T06:00:00Z", "2024-01-01T06:00:00Z")),
      );
      assert.deepEqual([f.severity, f.measured, f.threshold], ["ok", 20, 90]);
    });

    it("warns ahead of the window and fails past it", async () => {
      const [warn] = await evaluate(credentialAge, await context(steady(), record("2023-10-30T06:00:00Z")));
      assert.deepEqual([warn.severity, warn.measured], ["warning", 83]);
      const [fail] = await evaluate(credentialAge, await context(steady(), record("2023-10-01T06:00:00Z")));
      assert.deepEqual([fail.severity, fail.measured], ["error", 112]);
      assert.doesNotMatch(JSON.stringify(fail), /secret-value/);
    });
  });

  describe("unmapped-services", () => {
    it("passes when every service maps to a family", async () => {
      const [f] = await evaluate(unmappedServices, await context(steady()));
      assert.deepEqual([f.severity, f.measured], ["ok", 0]);
    });

    it("fails with the unmapped services and their share of cost", async () => {
      const charges: Charge[] = [...steady(), { day: "2024-01-03", service: "Mystery DB", cost: 242 }];
      const [f] = await evaluate(unmappedServices, await context(charges));
      assert.equal(f.severity, "warning");
      assert.equal(f.subject, "Mystery DB");
      assert.equal(f.measured, 9.09); // 242 of 2662
    });
  });

  describe("exchange-rates", () => {
    it("passes when every charge has a rate to USD", async () => {
      const eur = steady().map((c) => ({ ...c, currency: "EUR", rateToUsd: 1.1 }));
      const [f] = await evaluate(exchangeRates, await context(eur));
      assert.deepEqual([f.severity, f.measured], ["ok", 0]);
    });

    it("fails charges in another currency without a rate", async () => {
      const eur = steady().map((c) => ({
        ...c,
        currency: "EUR",
        rateToUsd: c.day === "2024-01-07" ? null : 1.1,
      }));
      const [f] = await evaluate(exchangeRates, await context(eur));
      assert.deepEqual([f.severity, f.measured, f.subject], ["error", 2, "EUR"]);
      assert.match(f.message, /2024-01-07 to 2024-01-07/);
    });
  });

  describe("overlapping-sources", () => {
    it("passes when each billing account's period comes from one source format", async () => {
      const [f] = await evaluate(overlappingSources, await context(steady()));
      assert.deepEqual([f.severity, f.measured, f.subject], ["ok", 1, "(all billing accounts)"]);
    });

    it("warns when a period of one billing account also comes from a second export of the same costs", async () => {
      const ctx = await context(steady());
      // The same charges once more, as if CUR 2.0 had been normalized beside the FOCUS export.
      await ctx.conn.run(
        `CREATE OR REPLACE TEMP VIEW twice AS SELECT * FROM ${ctx.dataset.relation}
         UNION ALL SELECT * REPLACE ('aws-cur2' AS x_SourceFormat) FROM ${ctx.dataset.relation}`,
      );
      const twice = { ...ctx, data: duckdbCheckData(ctx.conn, { ...ctx.dataset, relation: "twice" }) };
      const [f, ...more] = await evaluate(overlappingSources, twice);
      assert.equal(more.length, 0);
      const [{ account }] = await ctx.data.rows(
        `SELECT DISTINCT BillingAccountId AS account FROM ${ctx.dataset.relation}`,
      );
      assert.deepEqual(
        [f.severity, f.measured, f.subject],
        ["warning", 2, `aws billing account ${account}, 2024-01`],
      );
      assert.match(
        f.message,
        /^charges from aws-cur2 \(40 rows, 2419 USD\) and aws-focus \(40 rows, 2419 USD\): /,
      );
    });
  });

  describe("focus-conformance", () => {
    it("passes conformant normalized data", async () => {
      const found = await evaluate(focusConformance, await context(steady()));
      assert.deepEqual(
        found.map((f) => [f.severity, f.measured]),
        [["ok", 0]],
      );
    });

    it("reports each failing rule with its offending rows", async () => {
      const charges = steady();
      const ctx = await context(charges);
      await ctx.conn.run(
        `CREATE OR REPLACE TEMP VIEW broken AS SELECT * REPLACE (CASE WHEN ServiceName = 'Amazon S3' THEN 'storage' ELSE ServiceCategory END AS ServiceCategory) FROM ${ctx.dataset.relation}`,
      );
      const broken = duckdbCheckData(ctx.conn, { ...ctx.dataset, relation: "broken" });
      const found = await evaluate(focusConformance, { ...ctx, data: broken });
      const rule = found.find((f) => f.subject === "ServiceCategory-C-003-M")!;
      assert.deepEqual([rule.severity, rule.measured], ["error", 20]);
    });

    it("judges each source's rows with its provider's capabilities: OpenCost has no price list", async () => {
      const ctx = await context(steady());
      // S3's 20 rows become OpenCost allocations without a SKU, as OpenCost writes them; one EC2
      // row of the cloud export loses its SKU, which no capability excuses.
      await ctx.conn.run(
        `CREATE OR REPLACE TEMP VIEW mixed AS SELECT * REPLACE (
           CASE WHEN ServiceName = 'Amazon S3' THEN 'opencost' ELSE x_SourceFormat END AS x_SourceFormat,
           CASE WHEN ServiceName = 'Amazon S3' OR ChargePeriodStart = TIMESTAMP '2024-01-01' THEN NULL ELSE SkuId END AS SkuId,
           CASE WHEN ServiceName = 'Amazon S3' OR ChargePeriodStart = TIMESTAMP '2024-01-01' THEN NULL ELSE SkuMeter END AS SkuMeter,
           CASE WHEN ServiceName = 'Amazon S3' OR ChargePeriodStart = TIMESTAMP '2024-01-01' THEN NULL ELSE SkuPriceId END AS SkuPriceId)
         FROM ${ctx.dataset.relation}`,
      );
      const mixed = { ...ctx, data: duckdbCheckData(ctx.conn, { ...ctx.dataset, relation: "mixed" }) };
      const skuId = (found: Finding[]) => found.find((f) => f.subject === "SkuId-C-005-C");
      const bySource = await evaluate(focusConformance, mixed);
      assert.equal(skuId(bySource)?.measured, 1);
      assert.match(skuId(bySource)!.message, /\(aws-focus: 1 of 20 rows violate it\)$/);
      const summary = bySource.find((f) => f.subject === "(dataset)")!;
      assert.match(
        summary.message,
        /over 40 rows: aws-focus \(20 rows\): \d+ rules.*; opencost \(20 rows\): \d+ rules/,
      );
      // Judged as one dataset with every capability, the OpenCost rows fail too.
      const asOne = await evaluate(focusConformance, mixed, { applicability: "ALL" });
      assert.equal(skuId(asOne)?.measured, 21);
    });

    it("judges FOCUS 1.3 data by the 1.3 rules", async () => {
      const ctx = await context(steady());
      // The same rows as FOCUS 1.3 states them, but S3's without their ServiceProviderName.
      await ctx.conn.run(
        `CREATE OR REPLACE TEMP VIEW v13 AS SELECT *,
           CASE WHEN ServiceName = 'Amazon S3' THEN NULL ELSE ProviderName END AS ServiceProviderName,
           ProviderName AS HostProviderName,
           NULL::VARCHAR AS AllocatedMethodId, NULL::JSON AS AllocatedMethodDetails,
           NULL::VARCHAR AS AllocatedResourceId, NULL::VARCHAR AS AllocatedResourceName,
           NULL::JSON AS AllocatedTags, NULL::JSON AS ContractApplied
         FROM ${ctx.dataset.relation}`,
      );
      const columns = new Map(ctx.dataset.columns);
      for (const c of [
        "ServiceProviderName",
        "HostProviderName",
        "AllocatedMethodId",
        "AllocatedResourceId",
        "AllocatedResourceName",
      ])
        columns.set(c, "VARCHAR");
      for (const c of ["AllocatedMethodDetails", "AllocatedTags", "ContractApplied"]) columns.set(c, "JSON");
      const data = duckdbCheckData(ctx.conn, { ...ctx.dataset, relation: "v13", columns });
      const found = await evaluate(focusConformance, { ...ctx, data });
      const rule = found.find((f) => f.subject === "CAU-ServiceProviderName-C-003-M");
      assert.deepEqual([rule?.severity, rule?.measured], ["error", 20]);
      assert.ok(
        found.every((f) => !/^[A-Z][A-Za-z]+-[CD]-\d{3}-[MCO]$/.test(f.subject)),
        "no 1.2 rule ids",
      );
    });
  });
});
