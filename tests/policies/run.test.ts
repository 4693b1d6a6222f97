import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { PolicyConfigError, resolvePackConfig } from "../../policies/config";
import type { CostlinePolicy } from "../../policies/policy";
import { costlinePolicies } from "../../policies/pack";
import { runPolicyPack } from "../../policies/run";
import { providerResource, resource, stackResource } from "./harness";

const noRotation = resource("aws:kms/key:Key", "cmk", {});
const run = (config?: unknown, resources = [stackResource(), noRotation]) =>
  runPolicyPack(resources, { config });

/** A probe policy that records what CrossGuard would hand it. */
function probe(seen: unknown[], extra: Partial<CostlinePolicy> = {}): CostlinePolicy {
  return {
    name: "probe",
    description: "records its arguments",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "none",
    configSchema: {
      properties: { limit: { type: "integer", minimum: 1, default: 7 }, label: { type: "string" } },
    },
    validateResource: (args, report) => {
      seen.push({
        type: args.type,
        name: args.name,
        config: args.getConfig(),
        provider: args.provider?.props.region,
      });
      report(`saw ${args.name}`);
    },
    ...extra,
  } as CostlinePolicy;
}

describe("the in-process policy runner", function () {
  this.timeout(30_000);

  it("reports a policy at its default level, overridden by config, and all-policies levels", async () => {
    assert.deepEqual(
      (await run()).filter((v) => v.policy === "aws-kms-key-rotation").map((v) => v.level),
      ["mandatory"],
    );
    const advisory = await run({ "aws-kms-key-rotation": { enforcementLevel: "advisory" } });
    assert.equal(advisory.find((v) => v.policy === "aws-kms-key-rotation")?.level, "advisory");
    assert.equal(
      (await run({ "aws-kms-key-rotation": "advisory" })).find((v) => v.policy === "aws-kms-key-rotation")
        ?.level,
      "advisory",
    );
    const all = await run({ all: "advisory", "aws-kms-key-rotation": "mandatory" });
    assert.equal(all.find((v) => v.policy === "aws-kms-key-rotation")?.level, "mandatory");
    assert.ok((await run({ all: "advisory" })).every((v) => v.level === "advisory"));
  });

  it("does not run disabled policies and reports remediate as mandatory", async () => {
    assert.equal(
      (await run({ "aws-kms-key-rotation": "disabled" })).filter((v) => v.policy === "aws-kms-key-rotation")
        .length,
      0,
    );
    assert.equal(
      (await run({ "aws-kms-key-rotation": "remediate" })).find((v) => v.policy === "aws-kms-key-rotation")
        ?.level,
      "mandatory",
    );
  });

  it("hands a policy its settings with the schema's defaults, the resource's provider, and skips components", async () => {
    const seen: unknown[] = [];
    const provider = providerResource("aws", "p", { region: "eu-west-1" });
    const component = resource("costline:aws:Thing", "thing", {}, { custom: false });
    const key = resource("aws:kms/key:Key", "cmk", {}, { provider });
    const violations = await runPolicyPack([stackResource(), component, provider, key], {
      policies: [probe(seen)],
      config: { probe: { label: "x" } },
    });
    assert.deepEqual(seen, [
      { type: "pulumi:providers:aws", name: "p", config: { limit: 7, label: "x" }, provider: undefined },
      { type: "aws:kms/key:Key", name: "cmk", config: { limit: 7, label: "x" }, provider: "eu-west-1" },
    ]);
    assert.deepEqual(
      violations.map((v) => [v.level, v.message, v.urn]),
      [
        ["advisory", "saw p", provider.urn],
        ["advisory", "saw cmk", key.urn],
      ],
    );
  });

  it("skips other types on a typed validation's fast path, as CrossGuard does", async () => {
    const calls: string[] = [];
    const typed = probe([], {
      validateResource: validateResourceOfType(aws.kms.Key, (_k, args) => {
        calls.push(args.type);
      }),
    });
    await runPolicyPack([stackResource(), noRotation, resource("aws:sqs/queue:Queue", "q", {})], {
      policies: [typed],
    });
    assert.deepEqual(calls, ["aws:kms/key:Key"]);
  });

  it("turns a read of an unknown value into an advisory can't-run violation", async () => {
    const fn = resource("aws:lambda/function:Function", "job", {
      environment: { variables: { TOKEN: "[unknown]" } },
    });
    const found = (await run(undefined, [stackResource(), fn])).filter(
      (v) => v.policy === "aws-lambda-no-plaintext-secrets",
    );
    assert.deepEqual(found, [
      {
        policy: "aws-lambda-no-plaintext-secrets",
        urn: fn.urn,
        level: "advisory",
        message:
          'can\'t run policy "aws-lambda-no-plaintext-secrets" before deployment: props.environment.variables.TOKEN is not known until the resource is created',
      },
    ]);
  });

  it("reports stack-policy violations without a URN on the stack", async () => {
    const stackWide = probe([], {
      validateResource: undefined,
      validateStack: (args, report) => report(`${args.resources.length} resources`),
    } as Partial<CostlinePolicy>);
    assert.deepEqual(await runPolicyPack([stackResource(), noRotation], { policies: [stackWide] }), [
      { policy: "probe", urn: stackResource().urn, level: "advisory", message: "2 resources" },
    ]);
  });

  it("fails loudly, naming the policy and the resource, when a policy throws", async () => {
    const broken = probe([], {
      validateResource: () => {
        throw new Error("boom");
      },
    });
    await assert.rejects(
      runPolicyPack([noRotation], { policies: [broken] }),
      /policy "probe" failed on urn:pulumi:test::costline::aws:kms\/key:Key::cmk: boom/,
    );
  });
});

describe("policy pack config", () => {
  it("lists every problem: unknown policy, unknown setting, wrong type, bad level", () => {
    const bad = {
      "no-such-policy": "mandatory",
      "aws-log-retention": { minimumDays: "thirty", maximumDays: 0, keep: true },
      "aws-kms-key-rotation": { enforcementLevel: "strict" },
      "k8s-drop-capabilities": { allowedCapabilities: ["NET_ADMIN", 3] },
      "data-residency": { globalTypes: ["^aws:iam/", "^aws:(s3"] },
    };
    assert.throws(
      () => resolvePackConfig(costlinePolicies, bad, "ci.json"),
      (e: unknown) => {
        assert.ok(e instanceof PolicyConfigError);
        const text = e.message;
        for (const expected of [
          /^ci\.json: invalid policy pack config/,
          /"no-such-policy" is not a policy of this pack; policies are: aws-s3-encryption-at-rest/,
          /"aws-log-retention"\.keep is not a setting of this policy; settings are: minimumDays, maximumDays/,
          /"aws-log-retention"\.minimumDays must be integer, not string "thirty"/,
          /"aws-log-retention"\.maximumDays must be at least 1, not 0/,
          /"aws-kms-key-rotation"\.enforcementLevel must be one of advisory, mandatory, remediate, disabled, not "strict"/,
          /"k8s-drop-capabilities"\.allowedCapabilities\[1\] must be string, not integer 3/,
          /"data-residency"\.globalTypes\[1\] is not a valid regular expression: .*Unterminated group/,
        ]) {
          assert.match(text, new RegExp(expected.source, "m"));
        }
        return true;
      },
    );
    assert.throws(
      () => resolvePackConfig(costlinePolicies, ["advisory"]),
      /must be a JSON object keyed by policy name/,
    );
  });

  it("completes every policy's settings with its defaults", () => {
    const resolved = resolvePackConfig(costlinePolicies, { "aws-log-retention": { minimumDays: 90 } });
    assert.deepEqual(resolved.get("aws-log-retention"), {
      level: "mandatory",
      settings: { minimumDays: 90, maximumDays: 3653 },
    });
    assert.deepEqual(resolved.get("gcp-bigquery-cmek")?.settings, { requireCmek: false });
  });
});
