import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { parseTenantConfig, type TenantConfig, TenantConfigError } from "../../../components/tenant/config";
import { tenantPlanChecker } from "../../../stacks/plan/tenant-pack";
import { planTenant } from "../../../stacks/plan/offline-plan";
import { EXAMPLES } from "../../helpers/tenants";

type Raw = Record<string, unknown>;
const example = (): Raw => parse(readFileSync(join(EXAMPLES, "acme-all.yaml"), "utf8")) as Raw;

// The fields whose rules once lived in two places (a tenant passed TenantConfig and then crashed
// the plan), drawn from what users write: valid, edge and wrong values alike.
// Mostly values that should pass, so that many tenants get as far as the plan, and some that
// must be refused, so that the refusal is exercised too.
const mostly = <T>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 20 }, { arbitrary: wrong, weight: 1 });
const cronField = (lo: number, hi: number) =>
  mostly(
    fc.oneof(
      fc.constant("*"),
      fc.integer({ min: lo, max: hi }).map(String),
      fc.integer({ min: 2, max: 15 }).map((n) => `*/${n}`),
      fc
        .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }))
        .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    ),
    fc.integer({ min: hi + 1, max: hi + 10 }).map(String),
  );
const schedule = fc
  .tuple(cronField(0, 59), cronField(0, 23), cronField(1, 31), cronField(1, 12), cronField(0, 6))
  .map((f) => f.join(" "));
const prefix = mostly(
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}(\/[a-z0-9-]{1,10})?$/),
  fc.constantFrom("/prod-eks/", "prod-eks/", "", "prod eks", "a//b", "../x"),
);
const bucket = mostly(
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,40}[a-z0-9]$/),
  fc.constantFrom("ACME", "a", "acme_costline", "xn--acme-costline", "a".repeat(64)),
);
const clouds = fc.subarray(["aws", "gcp", "azure", "kubernetes"] as const, { minLength: 1 });

const tenant = fc
  .record({
    tenantId: fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9-]{2,24}$/),
      fc.constantFrom("acme", "acme--prod", "ab"),
    ),
    schedule,
    focusVersion: fc.constantFrom("1.2", "1.3"),
    retentionDays: mostly(fc.integer({ min: 30, max: 730 }), fc.constantFrom(0, 20, 731, 3651)),
    granularity: fc.constantFrom("HOURLY", "DAILY", "MONTHLY"),
    exports: fc.subarray(["cur2", "focus-1.2"], { minLength: 1 }),
    assetInventory: fc.constantFrom(undefined, {}, { organizationId: "123456789012" }),
    organizationTrailName: fc.constantFrom(undefined, "acme-org-trail"),
    sinkBucket: bucket,
    sinkPrefix: prefix,
    clouds,
  })
  .map((t): Raw => {
    const raw = example();
    const aws = raw.aws as Raw;
    const gcp = raw.gcp as Raw;
    const cluster = ((raw.kubernetes as Raw).clusters as Raw[])[0]!;
    Object.assign(raw, {
      tenantId: t.tenantId,
      schedule: t.schedule,
      focusVersion: t.focusVersion,
      audit: { retentionDays: t.retentionDays },
    });
    Object.assign(aws, { granularity: t.granularity, exports: t.exports });
    if (t.organizationTrailName) aws.organizationTrailName = t.organizationTrailName;
    if (t.assetInventory) gcp.assetInventory = t.assetInventory;
    Object.assign(cluster.sink as Raw, { bucket: t.sinkBucket, prefix: t.sinkPrefix });
    for (const cloud of ["aws", "gcp", "azure", "kubernetes"] as const) {
      if (!t.clouds.includes(cloud)) delete raw[cloud];
    }
    return raw;
  });

describe("stacks/plan: every tenant TenantConfig accepts plans", function () {
  this.timeout(300_000);

  it("refuses a tenant with its problems, or plans it with the pack, never a crash in between", async () => {
    let planned = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(tenant, async (raw) => {
        let config: TenantConfig;
        try {
          config = parseTenantConfig(raw, "generated tenant");
        } catch (e) {
          assert.ok(e instanceof TenantConfigError, `not a TenantConfigError: ${(e as Error).stack}`);
          assert.ok(e.problems.length > 0);
          refused++;
          return;
        }
        const plan = await planTenant(config, tenantPlanChecker);
        assert.ok(plan.resources.length > 1, "the plan creates resources");
        planned++;
      }),
      { numRuns: 12, seed: 20261203 },
    );
    // Both sides were exercised, or the property says nothing about one of them.
    assert.ok(planned >= 3 && refused >= 1, `planned ${planned}, refused ${refused}`);
  });
});
