import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTenantConfig, TenantConfigError } from "../../../components/tenant/config";
import { ChecksConfig } from "../../../runtime/checks/config";
import { runChecks, worstSeverity } from "../../../runtime/checks/run";
import { days, writeNormalized } from "../../fixtures/focus/normalized";
import { runCli as run } from "../../helpers/cli";

const TENANT = `tenantId: acme
displayName: ACME
tags: { cost-center: cc-1, owner: finops }
residency: { allowedRegions: [eu-west-1] }
aws:
  managementAccountId: "111122223333"
  region: eu-west-1
  platformPrincipalArn: arn:aws:iam::999988887777:role/costline-platform
`;

describe("checks: settings, runChecks and costline check", function () {
  this.timeout(60_000);
  let out: string;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), "costline-check-"));
    await writeNormalized(
      out,
      days("2024-01-01", "2024-01-20").map((day) => ({
        day,
        service: "Amazon EC2",
        cost: 100,
        tags: { owner: "web" },
      })),
    );
  });

  it("defaults every policy's settings and names unknown or wrong fields by path", () => {
    const defaults = ChecksConfig.parse({});
    assert.equal(defaults.freshness.maxExportLagHours, 4);
    assert.equal(defaults.credentialAge.rotationDays, 90);
    assert.equal(defaults.anomalies.enabled, true);
    const base = {
      tenantId: "acme",
      displayName: "ACME",
      tags: { "cost-center": "cc", owner: "o" },
      residency: { allowedRegions: ["eu-west-1"] },
      kubernetes: { clusters: [{ name: "c-1", cloud: "other", sink: { kind: "volume", claimName: "out" } }] },
    };
    assert.equal(
      parseTenantConfig(base).checks.budgets.enabled,
      true,
      "a tenant without checks gets the defaults",
    );
    assert.throws(
      () =>
        parseTenantConfig(
          { ...base, checks: { requiredTag: {}, budgets: { budgets: [{ name: "x", amount: -1 }] } } },
          "t.yaml",
        ),
      (e: Error) =>
        e instanceof TenantConfigError &&
        /checks: unknown field\(s\) "requiredTag"/.test(e.message) &&
        /checks\.budgets\.budgets\.0\.amount: a budget amount is a positive number/.test(e.message),
    );
  });

  it("runChecks returns findings for every enabled policy", async () => {
    const checks = ChecksConfig.parse({ anomalies: { enabled: false }, requiredTags: { tags: ["owner"] } });
    const findings = await runChecks({ input: out, checks, now: new Date("2024-01-21T06:00:00Z") });
    const policies = new Set(findings.map((f) => f.policy));
    assert.ok(!policies.has("anomalies"));
    for (const p of [
      "focus-conformance",
      "required-tags",
      "freshness",
      "credential-age",
      "unmapped-services",
      "exchange-rates",
    ]) {
      assert.ok(policies.has(p), p);
    }
    assert.equal(worstSeverity(findings), "info"); // no connection record: said, not silently skipped
  });

  it("costline check exits 3 on an error finding, honours --fail-on, and reads connection.json", async () => {
    const tenant = join(out, "tenant.yaml");
    writeFileSync(tenant, `${TENANT}checks:\n  budgets: { budgets: [{ name: all, amount: 1500 }] }\n`);
    const now = "2024-01-21T06:00:00Z";
    const over = await run("check", "--input", out, "--tenant", tenant, "--now", now);
    assert.equal(over.code, 3, over.all);
    assert.match(over.all, /ERROR +budgets +all \(2024-01\): measured 2000 USD, threshold 1500 USD/);

    writeFileSync(tenant, `${TENANT}checks:\n  budgets: { budgets: [{ name: all, amount: 2200 }] }\n`);
    const warn = await run("check", "--input", out, "--tenant", tenant, "--now", now, "--json");
    assert.equal(warn.code, 0, warn.all);
    assert.ok(JSON.parse(warn.all).findings.some((f: { severity: string }) => f.severity === "warning"));
    assert.equal(
      (await run("check", "--input", out, "--tenant", tenant, "--now", now, "--fail-on", "warning")).code,
      3,
    );

    writeFileSync(
      join(out, "connection.json"),
      JSON.stringify({
        recordedAt: now,
        credentials: [
          { provider: "aws", name: "tenant-acme-aws-111122223333", createdAt: "2023-01-01T00:00:00Z" },
        ],
      }),
    );
    const stale = await run("check", "--input", out, "--tenant", tenant, "--now", now);
    assert.equal(stale.code, 3);
    assert.match(stale.all, /ERROR +credential-age/);
  });

  it("costline check fails clearly on a bad tenant, settings or connection record", async () => {
    const bad = join(out, "bad.yaml");
    writeFileSync(bad, `${TENANT}checks:\n  freshness: { maxExportLagHours: -1 }\n`);
    const r = await run("check", "--input", out, "--tenant", bad);
    assert.equal(r.code, 2);
    assert.match(r.all, /checks\.freshness\.maxExportLagHours/);
    const conn = join(out, "conn.json");
    writeFileSync(conn, JSON.stringify({ recordedAt: "yesterday" }));
    const c = await run("check", "--input", out, "--tenant", join(out, "tenant.yaml"), "--connection", conn);
    assert.equal(c.code, 2);
    assert.match(c.all, /recordedAt: an ISO 8601 date-time/);
    assert.match((await run("check", "--input", out)).all, /--tenant FILE is required/);
  });
});
