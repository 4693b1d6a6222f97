import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { rules } from "../../../components/core/input-rules";
import { checked } from "../../../components/kubernetes/checks";

/** Resolves an Output outside a deployment (the SDK's own promise, which rejects when an apply throws). */
const resolve = (value: pulumi.Input<string>) =>
  (pulumi.output(value) as unknown as { promise(): Promise<string> }).promise();

describe("Kubernetes input checks", () => {
  it("checks a plain value at once, naming the field and the expected form", () => {
    assert.equal(checked("eu-west-1", rules.awsRegion, "sink.region"), "eu-west-1");
    assert.throws(
      () => checked("EU West", rules.awsRegion, "sink.region"),
      /^Error: sink\.region is "EU West"; it must be an AWS region such as "eu-west-1"$/,
    );
  });

  it("checks a computed value when it is known", async () => {
    assert.equal(
      await resolve(checked(pulumi.output("acme-bucket"), rules.s3Bucket, "sink.bucket")),
      "acme-bucket",
    );
    await assert.rejects(
      resolve(checked(pulumi.output("Acme_Bucket"), rules.s3Bucket, "sink.bucket")),
      /sink\.bucket is "Acme_Bucket"; it must be an S3 bucket name/,
    );
  });

  it("accepts images pinned by tag or digest and nothing else", () => {
    const ok = [
      "ghcr.io/acme/costline-job:1.4.0",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/costline/job:2026.05.01",
      `europe-docker.pkg.dev/acme/costline/job@sha256:${"0".repeat(64)}`,
      "localhost:5000/job:dev-1",
    ];
    const bad = ["ghcr.io/acme/job", "ghcr.io/acme/job:latest", "job:1.0", "ghcr.io/acme/job@sha256:abc"];
    for (const image of ok) assert.ok(rules.containerImage.pattern.test(image), image);
    for (const image of bad) assert.ok(!rules.containerImage.pattern.test(image), image);
  });

  it("accepts key prefixes without leading, trailing or doubled slashes", () => {
    for (const p of ["", "costline", "costline/kubernetes/prod-eks"])
      assert.ok(rules.objectPrefix.pattern.test(p), p);
    for (const p of ["/costline", "costline/", "a//b", "a b", "a\\b"])
      assert.ok(!rules.objectPrefix.pattern.test(p), p);
  });
});
