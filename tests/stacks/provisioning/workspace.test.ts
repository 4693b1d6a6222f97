import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { tenantPackConfig } from "../../../stacks/plan/tenant-pack";
import { gatedOptions } from "../../../stacks/provisioning/workspace";
import { exampleTenant } from "../../helpers/tenants";

describe("stacks/provisioning/workspace: what a gated preview or update hands the engine", () => {
  const tenant = exampleTenant();
  const gate = { packs: ["/repo/policies"], configFor: tenantPackConfig };

  it("passes the pack and the tenant's own pack config, as `--policy-pack-config` would", () => {
    const dir = mkdtempSync(join(tmpdir(), "costline-gate-"));
    const { options } = gatedOptions(gate, tenant, dir);
    assert.deepEqual(options.policyPacks, ["/repo/policies"]);
    const [file] = options.policyPackConfigs as string[];
    const config = JSON.parse(readFileSync(file!, "utf8"));
    assert.deepEqual(config, JSON.parse(JSON.stringify(tenantPackConfig(tenant))));
    assert.deepEqual(config["data-residency"].allowedRegions, tenant.residency.allowedRegions);
    assert.equal(config["aws-audit-trail"].minimumRetentionDays, tenant.audit.retentionDays);
  });

  it("collects every policy event, advisory (the engine's 'warning') and mandatory alike", () => {
    const { options, violations } = gatedOptions(gate, tenant, mkdtempSync(join(tmpdir(), "costline-gate-")));
    const onEvent = options.onEvent as (e: EngineEvent) => void;
    const policyEvent = (policyName: string, enforcementLevel: "warning" | "mandatory") =>
      ({
        sequence: 1,
        timestamp: 0,
        policyEvent: {
          resourceUrn: "urn:pulumi:acme::costline::aws:lambda/function:Function::acme-aws-job",
          message: `${policyName} says no`,
          color: "never",
          policyName,
          policyPackName: "costline",
          policyPackVersion: "0.1.0",
          policyPackVersionTag: "0.1.0",
          enforcementLevel,
        },
      }) as EngineEvent;
    onEvent(policyEvent("aws-lambda-dead-letter", "warning"));
    onEvent({ sequence: 2, timestamp: 0, stdoutEvent: { message: "noise", color: "never" } } as EngineEvent);
    onEvent(policyEvent("aws-s3-tls-only", "mandatory"));
    assert.deepEqual(
      violations.map((v) => [v.policy, v.level, v.urn?.split("::").pop()]),
      [
        ["aws-lambda-dead-letter", "advisory", "acme-aws-job"],
        ["aws-s3-tls-only", "mandatory", "acme-aws-job"],
      ],
    );
  });

  it("hands progress on as whole lines, however the engine cuts its output", () => {
    const seen: string[] = [];
    const { options } = gatedOptions(gate, tenant, mkdtempSync(join(tmpdir(), "costline-gate-")), {
      progress: (l) => seen.push(l),
    });
    const onOutput = options.onOutput as (chunk: string) => void;
    for (const chunk of [
      "Previewing update (acme)\n +  aws:s3:Bu",
      "cket acme-aws-bucket create\n\n",
      "Resources:\n",
    ])
      onOutput(chunk);
    assert.deepEqual(seen, [
      "Previewing update (acme)",
      " +  aws:s3:Bucket acme-aws-bucket create",
      "Resources:",
    ]);
  });
});
