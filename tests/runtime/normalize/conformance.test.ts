import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readRatesFile } from "../../../runtime/currency/rates";
import type { FormatId } from "../../../runtime/mapping/types";
import { applicabilityFor, UNSUPPORTED_CAPABILITIES } from "../../../runtime/mappings/capabilities";
import { focusColumns, OUTPUT_VERSIONS, type OutputVersion } from "../../../runtime/schema/output";
import { focusRules, strength } from "../../../runtime/validate/model";
import { readerFor } from "../../../runtime/validate/dataset";
import { type ValidationReport, validateFocus } from "../../../runtime/validate/validator";
import { exampleTenant } from "../../helpers/tenants";
import { normalized, SAMPLES } from "./helpers";

/**
 * Issues 4 and 22: the normalizer's output for every bundled good sample, written as each FOCUS
 * version, passes every statically checkable MUST rule of that version. Each sample is validated
 * with every applicability criterion of the version declared except those its provider truly
 * lacks (runtime/mappings/capabilities.ts).
 */

const RATES = readRatesFile(join(__dirname, "..", "..", "..", "runtime", "data", "rates.csv"));
const EXPECTED = JSON.parse(readFileSync(join(SAMPLES, "EXPECTED.json"), "utf8")).files as Record<
  string,
  { format: FormatId; quarantined?: number }
>;
/** The good samples: every bundled file whose rows are all valid. */
const GOOD = Object.entries(EXPECTED).filter(([, e]) => !e.quarantined);
const criteria = (version: OutputVersion) => Object.keys(focusRules(version).applicabilityCriteria);
/**
 * The GCP export names no billing account; the demo tenant (`npm start`) names the samples' two,
 * as a tenant's GCP job is given them (tenant config gcp.billingAccountNames).
 */
const BILLING_ACCOUNT_NAMES = exampleTenant().gcp!.billingAccountNames;

/**
 * MUST rules the output still fails, by sample, each with why. The test asserts these fail
 * exactly as listed, so a fix (or a new failure) makes it fail until the list is updated.
 */
const ACTUAL_COST =
  "actual-cost data is not amortized: commitment purchases keep their price as EffectiveCost and savings-plan usage states no commitment consumed; AmortizedCost and FocusCost exports conform";
/** Columns FOCUS added after 1.0-preview that nothing in a preview file states. */
const NOT_IN_PREVIEW = (columns: string) =>
  `a FOCUS 1.0-preview file has no ${columns}, and nothing it states says what they are: written as NULL, and the summary names them`;
const KNOWN_GAPS_1_2: Record<string, Record<string, string>> = {
  "focus/oci-focus-cost-report-2025-03-01.csv": {
    "ContractedCost-C-003-M": NOT_IN_PREVIEW(
      "ContractedCost (no price without commitment discounts is stated)",
    ),
    "ContractedCost-C-004-M": NOT_IN_PREVIEW("ContractedCost"),
    "ContractedUnitPrice-C-006-C": NOT_IN_PREVIEW("ContractedUnitPrice"),
    "CommitmentDiscountQuantity-C-005-C": NOT_IN_PREVIEW("CommitmentDiscountQuantity (added in 1.1)"),
    "BillingAccountType-C-005-C": NOT_IN_PREVIEW("BillingAccountType (added in 1.2)"),
    "SubAccountType-C-005-C": NOT_IN_PREVIEW("SubAccountType (added in 1.2)"),
  },
  // AWS added account names with CUR 2.0 (bill_payer_account_name, line_item_usage_account_name).
  "aws-cur/cur-legacy-2025-03.csv": {
    "BillingAccountName-C-003-C": "the legacy CUR names no accounts",
    "SubAccountName-C-005-C": "the legacy CUR names no accounts",
  },
  "azure-cost-details/ea-actualcost-2025-03.csv": {
    "CommitmentDiscountQuantity-C-005-C": ACTUAL_COST,
    "EffectiveCost-C-005-C": ACTUAL_COST,
  },
  "azure-cost-details/mca-actualcost-2025-03.csv": {
    "EffectiveCost-C-005-C": ACTUAL_COST,
  },
};

/**
 * MUST rules that ran (pass or fail) on each sample: fewer would mean rules were skipped. A sample
 * that fails a known gap runs a few more: composites above the gap get a verdict (fail) where they
 * would otherwise be skipped for parts that need a person. OpenCost lacks seven
 * capabilities (capabilities.ts): the rules about them do not apply. The FOCUS file of an unknown
 * provider is judged with every criterion, and its failing composites get verdicts.
 */
const MUST_RULES_RUN_1_2: Record<string, number> = {
  "focus/oci-focus-cost-report-2025-03-01.csv": 372,
  "aws-cur2/cur2-2025-03.csv": 364,
  "aws-cur/cur-legacy-2025-03.csv": 365,
  "aws-focus/focus-1-2-aws-2025-03.csv": 364,
  "azure-focus/focuscost-2025-03.csv": 364,
  "gcp-billing/gcp_billing_export_v1_2025-03.ndjson": 364,
  "gcp-billing/gcp_billing_export_resource_v1_2025-03-jpy.ndjson": 364,
  "azure-cost-details/ea-actualcost-2025-03.csv": 365,
  "azure-cost-details/ea-amortizedcost-2025-03.csv": 364,
  "azure-cost-details/mca-actualcost-2025-03.csv": 365,
  "opencost/allocation-namespace-1d-2025-03-01_03.json": 226,
  "opencost/allocation-container-1d-2025-03-01.json": 226,
  "opencost/allocation-label-team-1d-2025-03-01.json": 226,
};

/** 1.3 names its Cost and Usage rules with a `CAU-` prefix, and adds rules to the same gaps. */
const KNOWN_GAPS_1_3: Record<string, Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(KNOWN_GAPS_1_2).map(([file, gaps]) => [
      file,
      Object.fromEntries(Object.entries(gaps).map(([id, why]) => [`CAU-${id}`, why])),
    ]),
  ),
  "focus/oci-focus-cost-report-2025-03-01.csv": {
    ...Object.fromEntries(
      Object.entries(KNOWN_GAPS_1_2["focus/oci-focus-cost-report-2025-03-01.csv"]).map(([id, why]) => [
        `CAU-${id}`,
        why,
      ]),
    ),
    // 1.3 asks for a contracted unit price (and its currency) on every row with a SkuPriceId.
    "CAU-ContractedUnitPrice-C-015-C": NOT_IN_PREVIEW("ContractedUnitPrice"),
    "CAU-PricingCurrencyContractedUnitPrice-C-012-C": NOT_IN_PREVIEW("ContractedUnitPrice"),
  },
};

/** 1.3 has about 100 more MUST rules that apply to Cost and Usage: the counts move together. */
const MUST_RULES_RUN_1_3: Record<string, number> = {
  "focus/oci-focus-cost-report-2025-03-01.csv": 474,
  "aws-cur2/cur2-2025-03.csv": 466,
  "aws-cur/cur-legacy-2025-03.csv": 467,
  "aws-focus/focus-1-2-aws-2025-03.csv": 466,
  "azure-focus/focuscost-2025-03.csv": 466,
  "gcp-billing/gcp_billing_export_v1_2025-03.ndjson": 466,
  "gcp-billing/gcp_billing_export_resource_v1_2025-03-jpy.ndjson": 466,
  "azure-cost-details/ea-actualcost-2025-03.csv": 467,
  "azure-cost-details/ea-amortizedcost-2025-03.csv": 466,
  "azure-cost-details/mca-actualcost-2025-03.csv": 467,
  "opencost/allocation-namespace-1d-2025-03-01_03.json": 318,
  "opencost/allocation-container-1d-2025-03-01.json": 318,
  "opencost/allocation-label-team-1d-2025-03-01.json": 318,
};

const EXPECTATIONS: Record<
  OutputVersion,
  { knownGaps: Record<string, Record<string, string>>; mustRulesRun: Record<string, number> }
> = {
  "1.2": { knownGaps: KNOWN_GAPS_1_2, mustRulesRun: MUST_RULES_RUN_1_2 },
  "1.3": { knownGaps: KNOWN_GAPS_1_3, mustRulesRun: MUST_RULES_RUN_1_3 },
};

const mandatory = (r: ValidationReport["results"][number]) => strength(r.keyword) === 2;

for (const version of OUTPUT_VERSIONS) {
  const { knownGaps, mustRulesRun } = EXPECTATIONS[version];
  const CRITERIA = criteria(version);
  describe(`FOCUS ${version} conformance of the normalized bundled samples (issues 4, 22)`, function () {
    this.timeout(120000);
    for (const [file, expected] of GOOD) {
      it(`${file}: passes every statically checkable MUST rule but its listed known gaps`, async () => {
        const run = await normalized([join(SAMPLES, file)], {
          rates: RATES,
          billingAccountNames: BILLING_ACCOUNT_NAMES,
          focusVersion: version,
        });
        assert.equal(run.summary.totals.rowsQuarantined, 0, "a good sample quarantines nothing");
        const report = await validateFocus(join(run.out, "focus"), {
          applicability: applicabilityFor(expected.format, CRITERIA),
        });
        assert.equal(report.focusVersion, version, "the validator detects the version written");
        assert.equal(report.rows, run.summary.totals.rowsWritten, "the validator read every written row");

        const failing = report.results.filter((r) => mandatory(r) && r.status === "fail");
        // Composites fail through their parts; the rules that decide are the leaves.
        const leaves = failing.filter((r) => !r.failedParts).map((r) => r.id);
        const details = failing
          .filter((r) => !r.failedParts)
          .map((r) => `${r.id}: ${r.detail} ${JSON.stringify(r.examples?.slice(0, 2))}`)
          .join("\n");
        assert.deepEqual(
          leaves.sort(),
          Object.keys(knownGaps[file] ?? {}).sort(),
          `failing MUST rules: ${leaves.join(", ") || "none"}\n${details}`,
        );

        const ran = report.results.filter((r) => mandatory(r) && r.status !== "skipped").length;
        assert.equal(ran, mustRulesRun[file], "MUST rules that ran (pass or fail)");

        // FOCUS: every column that is not a FOCUS column is a custom `x_` column, hive partitions included.
        const focus = new Set(focusColumns(version).map((c) => c.name));
        const asRead = readerFor(join(run.out, "focus")).sql;
        const custom = (await run.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${asRead}`))
          .map((c) => c.column_name)
          .filter((c) => !focus.has(c) && !c.startsWith("x_"));
        assert.deepEqual(custom, [], "columns that are neither FOCUS nor x_ columns");
      });
    }

    it("without billing account names, the GCP samples fail BillingAccountName-C-003-C and nothing else", async () => {
      for (const file of [
        "gcp-billing/gcp_billing_export_v1_2025-03.ndjson",
        "gcp-billing/gcp_billing_export_resource_v1_2025-03-jpy.ndjson",
      ]) {
        const run = await normalized([join(SAMPLES, file)], { rates: RATES, focusVersion: version });
        const report = await validateFocus(join(run.out, "focus"), {
          applicability: applicabilityFor("gcp-billing", CRITERIA),
        });
        const leaves = report.results.filter((r) => mandatory(r) && r.status === "fail" && !r.failedParts);
        assert.deepEqual(
          leaves.map((r) => r.id),
          [version === "1.2" ? "BillingAccountName-C-003-C" : "CAU-BillingAccountName-C-003-C"],
          file,
        );
      }
    });

    it("covers every source format with a good sample, and declares capabilities only for known formats", () => {
      const formats = new Set(GOOD.map(([, e]) => e.format));
      assert.deepEqual([...formats].sort(), Object.keys(UNSUPPORTED_CAPABILITIES).sort());
      for (const gaps of Object.values(UNSUPPORTED_CAPABILITIES)) {
        for (const criterion of Object.keys(gaps)) assert.ok(CRITERIA.includes(criterion), criterion);
      }
    });
  });
}
