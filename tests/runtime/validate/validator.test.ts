import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatasetError } from "../../../runtime/validate/dataset";
import { focusRules } from "../../../runtime/validate/model";
import { supplementOf } from "../../../runtime/validate/supplements";
import {
  ApplicabilityError,
  type ValidationReport,
  validateFocus,
} from "../../../runtime/validate/validator";
import {
  conformantRows,
  conformantRows13,
  contractCommitmentRows,
  type Row,
  writeCsv,
  writeParquet,
} from "../../fixtures/focus/rows";
import { runCli as run } from "../../helpers/cli";
import { normalized } from "../normalize/helpers";

const dir = mkdtempSync(join(tmpdir(), "costline-validate-"));
let n = 0;

async function validateRows(
  rows: Row[],
  format: "csv" | "parquet" = "csv",
  applicability: "ALL" | string[] = "ALL",
) {
  const path = join(dir, `d${n++}.${format}`);
  if (format === "csv") writeCsv(path, rows);
  else await writeParquet(path, rows);
  return validateFocus(path, { applicability });
}

const result = (report: ValidationReport, id: string) => report.results.find((r) => r.id === id)!;
const failed = (report: ValidationReport) =>
  report.results.filter((r) => r.status === "fail" && !r.failedParts).map((r) => r.id);

describe("validate: the FOCUS 1.2 conformance validator", function () {
  this.timeout(60_000);

  for (const format of ["csv", "parquet"] as const) {
    it(`passes every statically checkable rule on conformant ${format}`, async () => {
      const report = await validateRows(conformantRows(), format);
      assert.deepEqual(failed(report), []);
      assert.equal(report.summary.mandatoryFailures, 0);
    });
  }

  it("reads a normalize output folder as its focus/ data, not its quarantine", async () => {
    const samples = join(__dirname, "..", "..", "..", "examples", "exports");
    // A bad-rows sample: the output has quarantine files beside the FOCUS rows.
    const run = await normalized([join(samples, "aws-focus", "bad-rows.csv")]);
    assert.ok(run.summary.totals.rowsQuarantined > 0);
    const report = await validateFocus(run.out, { applicability: "ALL" });
    assert.equal(report.rows, run.summary.totals.rowsWritten);
  });

  it("counts how many rules are executed, skipped and why", async () => {
    const m = focusRules();
    const rules = Object.values(m.rules);
    const report = await validateRows(conformantRows());
    const s = report.summary;
    assert.equal(s.executed + s.skipped, 621);
    // 313 before the attribute rules ran and composites passed partly (the FinOps Foundation's
    // validator executed 368 on the 1,000-row files this was compared on).
    assert.equal(s.executed, 389);
    assert.equal(s.passedPartly, 53);
    // Every MAY rule is a permission; every other rule without a machine check needs a person,
    // but those the data decides (supplements.ts), which ran.
    assert.equal(s.skippedBy.permission, rules.filter((r) => r.keyword === "MAY").length);
    const decided = Object.keys(m.rules).filter((id) => supplementOf(id)?.decides);
    assert.equal(decided.length, 20);
    assert.ok(decided.every((id) => result(report, id).status === "pass"));
    assert.equal(
      s.skippedBy.dynamic,
      Object.entries(m.rules).filter(
        ([id, r]) => r.keyword !== "MAY" && !r.requirement && !decided.includes(id),
      ).length,
    );
    assert.equal(s.skippedBy.partial, 39);
    assert.deepEqual(
      {
        na: s.skippedBy["not-applicable"],
        absent: s.skippedBy["column-absent"],
        unsupported: s.skippedBy.unsupported,
      },
      { na: 0, absent: 0, unsupported: 0 },
    );
    // Without declared criteria, the rules that depend on them are not applicable.
    const none = await validateRows(conformantRows(), "csv", []);
    assert.equal(none.summary.skippedBy["not-applicable"], 341);
    const criteria = Object.keys(m.applicabilityCriteria);
    for (const r of none.results.filter((x) => x.reason === "not-applicable")) {
      // A leaf names its criteria; a composite names its parts that were not applicable.
      assert.ok(criteria.some((c) => r.detail?.includes(c)) || r.detail?.includes("(not-applicable)"), r.id);
    }
    // Rules that declare criteria themselves are among them (unless they are MAY permissions).
    for (const [id, rule] of Object.entries(m.rules)) {
      if (rule.applicability.length && rule.keyword !== "MAY")
        assert.equal(result(none, id).reason, "not-applicable", id);
    }
    assert.equal(result(none, "CostAndUsage-D-064-C").reason, "not-applicable");
  });

  it("fails lowercase enumeration values", async () => {
    const rows = conformantRows();
    rows[0].ChargeCategory = "usage";
    rows[2].PricingCategory = "standard";
    const report = await validateRows(rows);
    const r = result(report, "ChargeCategory-C-003-M");
    assert.equal(r.status, "fail");
    assert.equal(r.failingRows, 1);
    assert.deepEqual(r.examples, [{ ChargeCategory: "usage" }]);
    assert.equal(result(report, "PricingCategory-C-007-M").failingRows, 1);
    // The composite fails through its part.
    assert.deepEqual(result(report, "ChargeCategory-C-000-M").failedParts, ["ChargeCategory-C-003-M"]);
  });

  it('fails "NULL" strings where a value must be null, a number or a string', async () => {
    const rows = conformantRows();
    rows[0].ChargeClass = "NULL";
    rows[2].ListUnitPrice = "NULL";
    rows[3].ResourceName = "NULL";
    const report = await validateRows(rows);
    assert.equal(result(report, "ChargeClass-C-005-C").failingRows, 1);
    assert.equal(result(report, "ListUnitPrice-C-001-M").failingRows, 1);
    assert.equal(result(report, "ListUnitPrice-C-002-M").failingRows, 1);
    assert.equal(result(report, "ResourceName-C-002-M").failingRows, 1);
  });

  it("reads a bare NULL in a CSV as null, as the FOCUS sample data writes it; a quoted one stays text", async () => {
    const path = join(dir, `d${n++}.csv`);
    writeCsv(path, conformantRows());
    // Every empty unquoted field (a null) spelled as the bare token instead.
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replace(/(^|,)(?=,|\n)/gm, "$1NULL"));
    assert.match(readFileSync(path, "utf8"), /,NULL,/);
    const report = await validateFocus(path, { applicability: "ALL" });
    assert.deepEqual(failed(report), []);
    // Null in every row, and the column is still there; a tax row's ListUnitPrice must be null.
    assert.equal(result(report, "CostAndUsage-D-026-M").status, "pass");
    assert.equal(result(report, "ChargeClass-C-005-C").status, "pass");
    assert.equal(result(report, "ListUnitPrice-C-004-C").status, "pass");
    writeFileSync(path, text.replace(/(^|,)(?=,|\n)/gm, '$1"NULL"'));
    const quoted = await validateFocus(path, { applicability: "ALL" });
    assert.equal(result(quoted, "ChargeClass-C-005-C").status, "fail");
  });

  it("fails timestamps without T and Z on the format rule, not the type rule", async () => {
    const rows = conformantRows();
    rows[1].ChargePeriodStart = "2024-01-01 00:00:00";
    const report = await validateRows(rows);
    assert.equal(result(report, "ChargePeriodStart-C-001-M").status, "pass");
    assert.equal(result(report, "ChargePeriodStart-C-002-M").failingRows, 1);
  });

  it("fails inclusive period ends on the exclusive-end rule's necessary condition", async () => {
    const rows = conformantRows();
    for (const r of rows) r.BillingPeriodEnd = "2024-01-31T23:59:59Z";
    rows[3].ChargePeriodEnd = "2024-01-01T23:59:59Z";
    const report = await validateRows(rows);
    assert.equal(result(report, "BillingPeriodEnd-C-004-M").failingRows, 4);
    assert.equal(result(report, "ChargePeriodEnd-C-004-M").failingRows, 1);
    // Exclusive ends are not proven by that condition: the rule stays for review.
    const ok = await validateRows(conformantRows());
    assert.equal(result(ok, "BillingPeriodEnd-C-004-M").status, "skipped");
  });

  it("fails Tags written as an array", async () => {
    const rows = conformantRows();
    rows[0].Tags = '[{"key":"team","value":"web"}]';
    const report = await validateRows(rows);
    assert.deepEqual(failed(report), ["KeyValueFormat-A-001-M", "Tags-C-001-M"]);
  });

  it("judges the value-format attribute rules on every column of their format, with no criteria declared", async () => {
    // A Tags array fails KeyValueFormat even where TAGGING_SUPPORTED is not declared (Tags-C-001-M is then not applicable).
    const array = conformantRows();
    array[0].Tags = '[{"key":"team","value":"web"}]';
    const undeclared = await validateRows(array, "csv", []);
    assert.equal(result(undeclared, "Tags-C-001-M").reason, "not-applicable");
    assert.deepEqual(failed(undeclared), ["KeyValueFormat-A-001-M"]);
    assert.match(
      result(undeclared, "KeyValueFormat-A-001-M").detail!,
      /^1 of 4 rows violate it: key-value columns hold a serialized JSON object/,
    );

    /** The rules of one attribute that fail once `change` edits the conformant rows. */
    const failingAfter = async (attribute: string, change: (rows: Row[]) => void) => {
      const rows = conformantRows();
      change(rows);
      return failed(await validateRows(rows)).filter((id) => id.startsWith(attribute));
    };
    assert.deepEqual(
      await failingAfter("NumericFormat", (rows) => {
        rows[2].BilledCost = "1,5";
        rows[1].ListCost = "$36";
        rows[3].EffectiveCost = "+1.1";
      }),
      ["NumericFormat-A-003-M", "NumericFormat-A-008-M", "NumericFormat-A-009-M", "NumericFormat-A-010-M"],
    );
    // Two-digit hours, minutes and seconds it has; the T, the Z and so ISO 8601 and UTC it lacks.
    assert.deepEqual(
      await failingAfter("DateTimeFormat", (rows) => {
        rows[0].ChargePeriodStart = "2024-01-01 00:00:00";
      }),
      [
        "DateTimeFormat-A-001-M",
        "DateTimeFormat-A-002-M",
        "DateTimeFormat-A-004-M",
        "DateTimeFormat-A-006-M",
      ],
    );

    const blank = conformantRows();
    blank[0].ChargeDescription = " ";
    const r = await validateRows(blank);
    assert.equal(result(r, "StringHandling-A-007-M").status, "fail");
    // A necessary condition only: a placeholder list cannot prove a value is not one.
    assert.match(result(r, "NullHandling-A-002-M").detail!, /break a necessary condition/);
    assert.equal(result(await validateRows(conformantRows()), "NullHandling-A-002-M").reason, "dynamic");
  });

  it("passes a composite partly when its checkable parts pass, naming the parts that need a person", async () => {
    const report = await validateRows(conformantRows());
    const partly = report.results.filter((r) => r.uncheckedParts?.length);
    assert.equal(partly.length, report.summary.passedPartly);
    for (const r of partly) {
      assert.equal(r.status, "pass");
      assert.match(r.detail!, /^its checkable parts pass; not checked \(review by hand\): /);
      // Every part it names was not checked, here or further down.
      for (const id of r.uncheckedParts!)
        assert.ok(result(report, id).status === "skipped" || result(report, id).uncheckedParts, id);
    }
    // DateTimeFormat-A-000-M: its one machine check passes; A-001..A-006 are judged by the data.
    assert.equal(result(report, "DateTimeFormat-A-000-M").status, "pass");
  });

  it("applies conditions, including the ones inherited from composites", async () => {
    // Tax rows must not have a unit price; usage rows must (ListUnitPrice-C-004-C / C-005-C).
    const rows = conformantRows();
    rows[3].ListUnitPrice = 1;
    rows[2].ListUnitPrice = null;
    const report = await validateRows(rows);
    assert.equal(result(report, "ListUnitPrice-C-004-C").failingRows, 1);
    assert.equal(result(report, "ListUnitPrice-C-005-C").failingRows, 1);
    // ContractedUnitPrice-C-009-C (non-negative) is checked where its composite's condition holds.
    const negative = conformantRows();
    negative[2].ContractedUnitPrice = -0.023;
    negative[2].PricingCurrencyContractedUnitPrice = -0.023;
    const r = result(await validateRows(negative), "ContractedUnitPrice-C-009-C");
    assert.equal(r.failingRows, 1);
    assert.equal(r.checkedRows, 3);
  });

  it("skips rules about absent columns, and fails a mandatory column's presence", async () => {
    const rows = conformantRows().map(({ Tags: _t, ChargeClass: _c, ...rest }) => rest);
    const report = await validateRows(rows);
    assert.equal(result(report, "Tags-C-001-M").reason, "column-absent");
    assert.equal(result(report, "CostAndUsage-D-064-C").status, "fail"); // Tags, with TAGGING_SUPPORTED
    assert.equal(result(report, "CostAndUsage-D-026-M").status, "fail"); // ChargeClass is mandatory
    const undeclared = await validateRows(rows, "csv", []);
    assert.equal(result(undeclared, "CostAndUsage-D-064-C").reason, "not-applicable");
  });

  it("reads a hive-partitioned folder of Parquet", async () => {
    const folder = join(dir, "hive");
    mkdirSync(join(folder, "x_Provider=aws"), { recursive: true });
    await writeParquet(join(folder, "x_Provider=aws", "part-0.parquet"), conformantRows());
    const report = await validateFocus(folder, { applicability: "ALL" });
    assert.equal(report.rows, 4);
    assert.equal(report.summary.failed, 0);
  });

  it("names a missing input or an unknown criterion", async () => {
    await assert.rejects(validateFocus(join(dir, "nope.csv")), DatasetError);
    await assert.rejects(
      validateFocus(join(dir, "d0.csv"), { applicability: ["TAGS"] }),
      (e: Error) => e instanceof ApplicabilityError && /TAGGING_SUPPORTED/.test(e.message),
    );
  });

  it("costline validate exits 3 on a failing MUST rule, 0 otherwise, 2 on bad input", async () => {
    const good = join(dir, "good.csv");
    writeCsv(good, conformantRows());
    const bad = join(dir, "bad.csv");
    const rows = conformantRows();
    rows[0].ChargeCategory = "usage";
    writeCsv(bad, rows);
    const ok = await run("validate", "--input", good, "--applicability", "ALL");
    assert.equal(ok.code, 0, ok.all);
    const nok = await run("validate", "--input", bad, "--applicability", "ALL");
    assert.equal(nok.code, 3);
    assert.match(nok.all, /FAIL +MUST +ChargeCategory-C-003-M/);
    const json = await run("validate", "--input", bad, "--json");
    assert.equal(JSON.parse(json.all).summary.mandatoryFailures > 0, true);
    assert.equal((await run("validate", "--input", join(dir, "missing"))).code, 2);
  });

  it("costline validate --input PATH... validates files and folders together, as one dataset", async () => {
    const folder = join(dir, "several");
    mkdirSync(folder);
    const rows = conformantRows();
    writeCsv(join(folder, "a.csv"), rows.slice(0, 2));
    writeCsv(join(dir, "b.csv"), rows.slice(2));
    const both = await run("validate", "--input", folder, join(dir, "b.csv"), "--json");
    assert.equal(both.code, 0, both.all);
    const report = JSON.parse(both.out) as ValidationReport;
    assert.equal(report.rows, 4);
    assert.equal(report.input, `${folder}, ${join(dir, "b.csv")}`);
    await writeParquet(join(dir, "c.parquet"), rows);
    const mixed = await run("validate", "--input", folder, "--input", join(dir, "c.parquet"));
    assert.equal(mixed.code, 2);
    assert.match(mixed.err, /holds both Parquet and CSV files; pass files or folders of one format/);
  });
});

describe("validate: FOCUS 1.3 and its two datasets (issue 22)", function () {
  this.timeout(60_000);
  const elements = (...e: object[]) => JSON.stringify({ Elements: e });

  it("judges a file with 1.3's columns by the 1.3 model, and passes every checkable rule on conformant rows", async () => {
    const report = await validateRows(conformantRows13());
    assert.equal(report.focusVersion, "1.3");
    assert.equal(report.dataset, "CostAndUsage");
    assert.deepEqual(failed(report), []);
    const s = report.summary;
    // The Cost and Usage rules and the rules shared by both datasets; Contract Commitment's are not run.
    assert.equal(s.executed + s.skipped, 837);
    assert.equal(s.executed, 494);
    assert.deepEqual(
      {
        removed: s.skippedBy.removed,
        unsupported: s.skippedBy.unsupported,
        partial: s.skippedBy.partial,
        passedPartly: s.passedPartly,
      },
      { removed: 17, unsupported: 1, partial: 56, passedPartly: 71 },
    );
    assert.ok(report.results.every((r) => !r.id.startsWith("CCT-")));
    // JSONCheckPathDistinctParent (the Tags keys of AllocatedTags) has no static check here.
    assert.deepEqual(
      report.results.filter((r) => r.reason === "unsupported").map((r) => r.detail?.split(":")[0]),
      report.results
        .filter((r) => r.reason === "unsupported")
        .map(() => "check function JSONCheckPathDistinctParent is not implemented"),
    );
  });

  it("reports a rule the specification removed as skipped, and a 1.2 file is still judged by 1.2", async () => {
    const report = await validateRows(conformantRows13());
    const removed = report.results.filter((r) => r.reason === "removed");
    assert.equal(removed.length, 17);
    assert.ok(removed.every((r) => r.status === "skipped"));
    const old = await validateRows(conformantRows());
    assert.equal(old.focusVersion, "1.2");
    assert.ok(old.results.every((r) => !r.id.startsWith("CAU-")));
  });

  it("checks ContractApplied and AllocatedMethodDetails with the JSON path functions", async () => {
    const good = conformantRows13();
    good[0].ContractApplied = elements({
      ContractId: "EDP-2024",
      ContractCommitmentId: "EDP-2024-Y1",
      ContractCommitmentAppliedCost: 1.5,
      ContractCommitmentAppliedQuantity: 1.5,
      ContractCommitmentAppliedUnit: "USD",
    });
    Object.assign(good[2], {
      AllocatedMethodId: "eks-split",
      AllocatedMethodDetails: elements({ AllocatedRatio: 0.25, UsageUnit: "vCPU-Hours", UsageQuantity: 6 }),
      AllocatedResourceId: "pod/web-1",
      AllocatedResourceName: "web-1",
      AllocatedTags: '{"team":"web"}',
    });
    assert.deepEqual(failed(await validateRows(good)), []);

    const notAnArray = conformantRows13();
    notAnArray[0].ContractApplied = JSON.stringify({ Elements: { ContractId: "EDP-2024" } });
    assert.deepEqual(failed(await validateRows(notAnArray)), ["CAU-ContractAppliedObject-O-001-M"]);

    const ratioAsText = structuredClone(good);
    ratioAsText[2].AllocatedMethodDetails = elements({
      AllocatedRatio: "a quarter",
      UsageUnit: "vCPU-Hours",
    });
    const report = await validateRows(ratioAsText);
    assert.deepEqual(failed(report), ["CAU-AllocatedMethodDetailsObject-O-013-M"]);
    assert.equal(result(report, "CAU-AllocatedMethodDetailsObject-O-013-M").failingRows, 1);

    const foreignKey = structuredClone(good);
    foreignKey[0].ContractApplied = elements({
      ContractId: "EDP-2024",
      ContractCommitmentId: "EDP-2024-Y1",
      ContractCommitmentAppliedCost: 1.5,
      Discount: 0.1,
    });
    assert.ok(failed(await validateRows(foreignKey)).includes("CAU-ContractAppliedObject-O-010-M"));
  });

  it("reads a Contract Commitment dataset by its columns and fails a duplicate ContractCommitmentId", async () => {
    const report = await validateRows(contractCommitmentRows());
    assert.equal(report.dataset, "ContractCommitment");
    assert.equal(report.focusVersion, "1.3");
    assert.deepEqual(failed(report), []);
    assert.equal(report.summary.executed, 98);
    assert.ok(report.results.every((r) => !r.id.startsWith("CAU-")));
    const dup = contractCommitmentRows();
    dup[1].ContractCommitmentId = dup[0].ContractCommitmentId;
    const bad = await validateRows(dup);
    assert.deepEqual(failed(bad), ["CCT-ContractCommitmentId-C-009-M"]);
    assert.equal(result(bad, "CCT-ContractCommitmentId-C-009-M").failingRows, 2);
  });

  it("costline validate --focus-version judges by the named version, and refuses another", async () => {
    const path = join(dir, "v12.csv");
    writeCsv(path, conformantRows());
    const as13 = await run("validate", "--input", path, "--focus-version", "1.3", "--json");
    const report = JSON.parse(as13.out) as ValidationReport;
    assert.equal(report.focusVersion, "1.3");
    // A 1.2 file lacks the columns 1.3 made mandatory.
    assert.equal(as13.code, 3);
    assert.equal(result(report, "CAU-CostAndUsage-D-076-M").status, "fail", "ServiceProviderName is present");
    const wrong = await run("validate", "--input", path, "--focus-version", "1.4");
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /--focus-version must be 1\.2 or 1\.3, not "1\.4"/);
  });
});
