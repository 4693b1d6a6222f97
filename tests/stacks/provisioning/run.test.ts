import assert from "node:assert/strict";
import { join } from "node:path";
import { planNameClaims } from "../../../stacks/plan/physical-names";
import { readRegistry, refuseSharedAsync } from "../../../stacks/provisioning/registry";
import { describeChanges, renderMarkdown, renderSummary, runTenants } from "../../../stacks/provisioning/run";
import { FakeWorkspace } from "../../helpers/fake-workspace";

const REGISTRY = join(__dirname, "..", "..", "fixtures", "registry");

describe("runTenants", () => {
  it("plans several tenants concurrently; one failing does not stop the others", async () => {
    const entries = readRegistry(REGISTRY);
    const ws = new FakeWorkspace(["bravo"]);
    const outcomes = await runTenants("plan", entries, ws, { concurrency: 2 });
    assert.deepEqual(
      outcomes.map((o) => [o.tenantId, o.status]),
      [
        ["alpha", "succeeded"],
        ["bravo", "failed"],
        ["charlie", "succeeded"],
        ["delta", "succeeded"],
        ["echo", "failed"],
      ],
    );
    assert.equal(ws.maxInFlight, 2, "runs two at a time, never more");
    assert.match(outcomes[1].error ?? "", /simulated failure for bravo/);
    assert.match(outcomes[4].error ?? "", /tenantId: tenantId must be 3-20 characters/);
    const table = renderSummary("plan", outcomes);
    for (const id of ["alpha", "bravo", "charlie", "delta", "echo"])
      assert.match(table, new RegExp(`^${id} `, "m"));
    assert.match(table, /^alpha +succeeded +\+3 create/m);
    assert.match(table, /plan: 3 succeeded, 2 failed/);
  });

  it("changes nothing on a rerun of up", async () => {
    const entries = readRegistry(REGISTRY, ["alpha", "charlie"]);
    const ws = new FakeWorkspace();
    const first = await runTenants("up", entries, ws, { concurrency: 4 });
    assert.deepEqual(
      first.map((o) => describeChanges(o.changes)),
      ["+3 create", "+3 create"],
    );
    const second = await runTenants("up", entries, ws, { concurrency: 4 });
    assert.deepEqual(
      second.map((o) => describeChanges(o.changes)),
      ["no changes", "no changes"],
    );
    assert.deepEqual(second[0].outputs, { tenantId: "alpha" });
  });

  it("shows advisory policy violations, which fail no tenant, and streams each tenant's progress", async () => {
    const ws = new FakeWorkspace([], 1, ["function | acme-job has no dead-letter queue"]);
    const progress: string[] = [];
    const outcomes = await runTenants("plan", readRegistry(REGISTRY, ["alpha", "charlie"]), ws, {
      concurrency: 2,
      onProgress: (tenant, line) => progress.push(`${tenant}: ${line}`),
    });
    assert.deepEqual(progress.sort(), ["alpha: previewing alpha", "charlie: previewing charlie"]);
    assert.ok(outcomes.every((o) => o.status === "succeeded"));
    const table = renderSummary("plan", outcomes);
    assert.match(
      table,
      /advisory policy violations \(2\):\n {2}alpha: aws-lambda-dead-letter: function \| acme-job/,
    );
    const md = renderMarkdown("plan", outcomes, "automation");
    assert.match(md, /^### costline tenants plan: 2 succeeded, 0 failed$/m);
    assert.match(md, /^\| alpha \| succeeded \| \+3 create \| \d+\.\ds \|$/m);
    // A pipe in a message is escaped, so it cannot add a column to the table.
    assert.match(
      md,
      /^\| charlie \| advisory \| `aws-lambda-dead-letter` \| function \\\| acme-job has no dead-letter queue \|$/m,
    );
  });

  it("puts a failed tenant's whole error under the Markdown table", async () => {
    const outcomes = await runTenants(
      "plan",
      readRegistry(REGISTRY, ["bravo"]),
      new FakeWorkspace(["bravo"]),
      {
        concurrency: 1,
      },
    );
    assert.match(
      renderMarkdown("plan", outcomes, "offline"),
      /_Offline plan[^\n]*\n\n\| tenant[\s\S]*#### bravo failed\n\n```\nsimulated failure for bravo\n```/,
    );
  });

  it("passes secrets to the workspace only", async () => {
    const ws = new FakeWorkspace();
    const outcomes = await runTenants("plan", readRegistry(REGISTRY, ["alpha"]), ws, {
      concurrency: 1,
      secretsFor: () => ({ "costline:kubeconfigs": "top-secret" }),
    });
    assert.deepEqual(ws.secretsSeen.get("alpha"), { "costline:kubeconfigs": "top-secret" });
    assert.ok(!renderSummary("plan", outcomes).includes("top-secret"));
  });

  it("refuses a concurrency below 1", async () => {
    await assert.rejects(runTenants("plan", [], new FakeWorkspace(), { concurrency: 0 }), /at least 1/);
  });
});

describe("readRegistry", () => {
  it("names unknown tenants and lists the known ones", () => {
    assert.throws(() => readRegistry(REGISTRY, ["zulu"]), /no tenant "zulu" in .*known: alpha, bravo/);
  });

  it("refuses a tenant that shares another's cluster namespace and sink, naming both and what they share", () => {
    const [alpha, bravo] = readRegistry(join(REGISTRY, "..", "registry-shared-namespace"));
    assert.equal(alpha.error, undefined);
    assert.equal(bravo.config, undefined);
    assert.deepEqual(bravo.error?.split("\n"), [
      `tenant "bravo" (${bravo.file}) and tenant "alpha" (${alpha.file}) share the Kubernetes namespace "costline" of cluster arn:aws:eks:eu-west-1:111122223333:cluster/shared; set kubernetes.clusters[].namespace to a namespace of the tenant's own`,
      `tenant "bravo" (${bravo.file}) and tenant "alpha" (${alpha.file}) share the sink s3://shared-costline-kubernetes/shared; give each tenant its own sink bucket or prefix`,
    ]);
  });

  it("refuses a tenant whose plan creates a physical name another tenant's plan creates", async function () {
    this.timeout(60_000);
    const entries = readRegistry(join(REGISTRY, "..", "registry-shared-name"));
    assert.deepEqual(
      entries.map((e) => e.error),
      [undefined, undefined],
      "the configs alone share nothing",
    );
    const [first, second] = await refuseSharedAsync(entries, planNameClaims);
    assert.equal(first.error, undefined);
    assert.equal(
      second.error,
      `tenant "zzz" (${second.file}) and tenant "yyy-costline-zzz" (${first.file}) share the gcp:storage/bucket:Bucket name projab-costline-yyy-costline-zzz-jobs; change the tenantId or the config value the name is made of (account, project, region)`,
    );
  });

  it("reports a duplicate tenant id in every file after the first", () => {
    const dup = readRegistry(join(REGISTRY, "..", "registry-duplicate"));
    assert.equal(dup.filter((e) => e.error?.includes("also used by")).length, 1);
  });
});
