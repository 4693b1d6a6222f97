import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { localStore } from "../../../runtime/jobs/stores/local";
import { publishPeriod } from "../../../runtime/jobs/stores/publish";
import { runCli as run } from "../../helpers/cli";
import { focusFiles, sampleStore } from "../../helpers/stores";
import { SAMPLES, tempDir } from "../normalize/helpers";

const OPENCOST = join(SAMPLES, "opencost", "allocation-namespace-1d-2025-03-01_03.json");

/** A tenant on Kubernetes only, whose cluster writes to a volume, and one also on AWS. */
function tenantFile(dir: string, id: string, aws: boolean): string {
  const file = join(dir, `${id}.yaml`);
  writeFileSync(
    file,
    [
      `tenantId: ${id}`,
      `displayName: ${id}`,
      "tags: { cost-center: cc-1, owner: finops@example.com }",
      "residency: { allowedRegions: [us-east-1] }",
      ...(aws
        ? [
            "aws: { managementAccountId: '444455556666', region: us-east-1, platformPrincipalArn: 'arn:aws:iam::999988887777:role/p' }",
          ]
        : []),
      "kubernetes:",
      "  clusters:",
      "    - { name: lab, cloud: other, sink: { kind: volume, claimName: costline-out } }",
    ].join("\n"),
  );
  return file;
}

describe("costline collect", function () {
  this.timeout(120000);

  it("reads a cluster's sink copy given by --source, and says which clouds it cannot read", async () => {
    const dir = tempDir();
    const sink = tempDir();
    const store = localStore(sink);
    const files = focusFiles(await sampleStore([OPENCOST]));
    await publishPeriod(
      store,
      { root: "focus", provider: "kubernetes", billingPeriod: "2025-03", runId: "r1" },
      files,
    );
    await store.put(
      "_runs/r1/run.json",
      JSON.stringify({ runId: "r1", status: "succeeded", finishedAt: new Date().toISOString() }),
    );
    const out = join(dir, "collected");
    const alone = await run(
      "collect",
      "--tenant",
      tenantFile(dir, "lab", false),
      "--source",
      `lab:kubernetes=file://${sink}`,
      "--out",
      out,
    );
    assert.equal(alone.code, 0, alone.all);
    assert.match(alone.out, /lab +kubernetes +connected +last run 20/);
    const query = await run(
      "query",
      "--input",
      out,
      "--output-format",
      "csv",
      "SELECT tenant, provider, count(*) AS n FROM unified GROUP BY ALL",
    );
    assert.match(query.out, /^tenant,provider,n\nlab,kubernetes,\d+\n$/);

    // Without the copy, the volume cannot be reached; without the external id, the connector role
    // cannot be assumed: both are said (the AWS cloud as failing, with where to find the id), exit 1.
    const both = await run("collect", "--tenant", tenantFile(dir, "lab2", true), "--out", out);
    assert.equal(both.code, 1, both.all);
    assert.match(
      both.out,
      /not collected: lab2: kubernetes cluster lab writes to a volume inside the cluster: copy it out and pass --source lab2:kubernetes=file:/,
    );
    assert.match(both.out, /lab2 +aws +failing/);
    // Collected again without the copy, tenant lab keeps what the first collect brought.
    const again = await run("collect", "--tenant", tenantFile(dir, "lab", false), "--out", out);
    assert.equal(again.code, 1, again.all);
    assert.match(again.out, /not collected: lab: kubernetes cluster lab writes to a volume/);
    const still = await run(
      "query",
      "--input",
      out,
      "--output-format",
      "csv",
      "SELECT tenant, count(*) AS n FROM unified WHERE tenant = 'lab' GROUP BY 1",
    );
    assert.match(still.out, /^tenant,n\nlab,\d+\n$/);
    assert.match(
      both.out,
      /set COSTLINE_AWS_EXTERNAL_ID_LAB2 to tenant lab2's external id \(the value of the secret its stack outputs as aws\.externalIdSecretArn\) to assume arn:aws:iam::444455556666:role\/costline-lab2-connector/,
    );
  });

  it("fails without a stack on a bad --source or an unknown tenant in it", async () => {
    const dir = tempDir();
    const file = tenantFile(dir, "lab", false);
    const bad = await run("collect", "--tenant", file, "--source", "lab-kubernetes");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--source takes TENANT:CLOUD=URL/);
    const cloud = await run("collect", "--tenant", file, "--source", "lab:oci=file:///x");
    assert.match(cloud.err, /the cloud is one of aws, gcp, azure, kubernetes, not "oci"/);
    const who = await run("collect", "--tenant", file, "--source", "nobody:kubernetes=file:///x");
    assert.match(who.err, /no tenant nobody is given/);
    for (const r of [bad, cloud, who]) assert.doesNotMatch(r.err, /\n\s+at /);
  });
});
