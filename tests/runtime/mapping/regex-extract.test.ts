import assert from "node:assert/strict";
import { Parser } from "node-sql-parser";
import { type Expr, lit, NULL, regexExtract } from "../../../runtime/mapping/ast";
import { compileOutputExpression, MappingError } from "../../../runtime/mapping/compile";
import { duckdb } from "../../../runtime/mapping/duckdb";
import { type Engine, openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { awsResourceType, azureResourceType, gcpResourceType } from "../../../runtime/mappings/resource-type";
import { DIALECTS } from "../warehouse/fixtures";

describe("regexExtract: one capturing group, NULL (never empty) when nothing is extracted", () => {
  let engine: Engine;
  before(async () => {
    engine = await openEngine({ memoryLimit: "128MB" });
  });
  after(() => engine.close());

  const value = async (e: Expr) =>
    (
      await queryRows<{ v: string | null }>(
        engine.connection,
        `SELECT ${compileOutputExpression(e, duckdb)} AS v`,
      )
    )[0]!.v;

  it("DuckDB: the group's text, NULL for no match, an empty group or NULL input", async () => {
    const type = (s: Expr) => regexExtract(s, "^arn:[^:]+:[^:]+:[^:]*:[^:]*:([^:/]+)[:/]");
    assert.equal(await value(type(lit("arn:aws:ec2:us-east-1:1:instance/i-1"))), "instance");
    assert.equal(await value(type(lit("arn:aws:s3:::bucket"))), null, "no match is NULL, not ''");
    assert.equal(await value(regexExtract(lit("a=;"), "a=([^;]*);")), null, "an empty group is NULL");
    assert.equal(await value(type(NULL)), null);
    assert.equal(
      await value(regexExtract(lit("x/Y/z"), "(?i)^x/(y)/")),
      "Y",
      "flags and (?...) are not groups",
    );
  });

  it("rejects a pattern without exactly one capturing group, naming the fix", () => {
    for (const pattern of ["^arn:", "^(a)(b)", "[(]x", "\\(x\\)"]) {
      assert.throws(
        () => compileOutputExpression(regexExtract(lit("ab"), pattern), duckdb),
        (e: unknown) => e instanceof MappingError && /exactly one capturing group/.test(e.message),
        pattern,
      );
    }
    assert.doesNotThrow(() => compileOutputExpression(regexExtract(lit("ab"), "(?:a)[(](b)\\("), duckdb));
  });

  it("Trino and BigQuery: NULLIF around the engine's extraction, parsed in each grammar", () => {
    const e = regexExtract(lit("//compute.googleapis.com/x"), "^//([^/]+)/");
    assert.equal(
      compileOutputExpression(e, DIALECTS.trino),
      "NULLIF(regexp_extract('//compute.googleapis.com/x', '^//([^/]+)/', 1), '')",
    );
    // BigQuery takes no group number: it extracts the pattern's only capturing group.
    assert.equal(
      compileOutputExpression(e, DIALECTS.bigquery),
      "NULLIF(REGEXP_EXTRACT('//compute.googleapis.com/x', '^//([^/]+)/'), '')",
    );
    const parser = new Parser();
    for (const [name, d] of Object.entries(DIALECTS)) {
      assert.doesNotThrow(() =>
        parser.astify(`SELECT ${compileOutputExpression(e, d)} AS v`, { database: name }),
      );
    }
  });

  it("ResourceType rules of the native formats, run in DuckDB", async () => {
    const aws = (id: string | null, product = "AmazonEC2") => value(awsResourceType(lit(id), lit(product)));
    assert.equal(await aws("arn:aws:ec2:us-east-1:1:instance/i-1"), "instance");
    assert.equal(await aws("arn:aws:rds:us-east-1:1:db:payments"), "db");
    assert.equal(await aws("arn:aws:logs:us-east-1:1:log-group:/aws/x:*"), "log-group");
    assert.equal(await aws("arn:aws:s3:::bucket/key"), "bucket", "an S3 ARN names a bucket, not a type");
    assert.equal(await aws("arn:aws:sqs:us-east-1:1:queue1"), "sqs", "no type part: the service");
    assert.equal(await aws("vol-0a1b2c3d4e5f6a7b8"), "volume");
    assert.equal(await aws("acme-data-lake", "AmazonS3"), "bucket");
    assert.equal(await aws("logs-deadbeef", "AmazonS3"), "bucket", "a bucket name is not an EC2 id");
    assert.equal(await aws("some-id", "AmazonBedrock"), "AmazonBedrock");
    assert.equal(await aws(null), null);

    const azure = (id: string | null) => value(azureResourceType(lit(id), lit("Storage")));
    const rg = "/subscriptions/s/resourceGroups/rg/providers";
    assert.equal(
      await azure(`${rg}/Microsoft.Compute/virtualMachines/vm1`),
      "microsoft.compute/virtualmachines",
    );
    assert.equal(
      await azure(`${rg}/Microsoft.Sql/servers/s1/databases/db1`),
      "microsoft.sql/servers/databases",
    );
    assert.equal(
      await azure(
        `${rg}/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.Insights/diagnosticSettings/d`,
      ),
      "microsoft.insights/diagnosticsettings",
    );
    assert.equal(
      await azure(
        `${rg}/Microsoft.Sql/servers/s1/databases/db1/providers/Microsoft.Insights/diagnosticSettings/d`,
      ),
      "microsoft.insights/diagnosticsettings",
      "an extension of a child resource: the last provider, whose type has no child",
    );
    assert.equal(
      await azure(
        `${rg}/Microsoft.Compute/virtualMachines/vm1/providers/Microsoft.GuestConfiguration/guestConfigurationAssignments/a/reports/r`,
      ),
      "microsoft.guestconfiguration/guestconfigurationassignments/reports",
      "an extension with a child type: both extractions read the last provider",
    );
    assert.equal(
      await azure("/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PAY"),
      "microsoft.keyvault/vaults",
      "upper-case ids (real EA exports) name the same type",
    );
    assert.equal(
      await azure("/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.SQL/SERVERS/S1/DATABASES/DB1"),
      "microsoft.sql/servers/databases",
    );
    assert.equal(await azure("not-an-arm-id"), "Storage");
    assert.equal(await azure(null), null);

    const gcp = (global: string | null, id: string | null) =>
      value(gcpResourceType(lit(global), lit(id), lit("Compute Engine")));
    const vm = "//compute.googleapis.com/projects/p/zones/z/instances/1";
    assert.equal(await gcp(vm, vm), "compute.googleapis.com/instances");
    assert.equal(
      await gcp("//storage.googleapis.com/projects/_/buckets/b", "b"),
      "storage.googleapis.com/buckets",
    );
    assert.equal(await gcp(null, "short-name"), "Compute Engine");
    assert.equal(await gcp(null, null), null);
  });
});
