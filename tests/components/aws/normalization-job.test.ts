/**
 * Who may publish the job's alarms, simulated against the documents the pipeline deployed: the
 * alerts topic's policy and the tenant key's policy (CloudWatch needs the key to publish to the
 * encrypted topic at all).
 */
import assert from "node:assert/strict";
import type { PolicyDocument } from "../../../components/aws/iam";
import { parsedInput, recordAwsPipeline } from "./harness";
import { decide } from "./simulate";

const ACCOUNT = "111122223333";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OWN_ALARM = `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:costline-acme-aws-normalize-errors`;
const from = (alarm: string, account = ACCOUNT) => ({
  "aws:SourceAccount": account,
  "aws:SourceArn": alarm,
  "aws:SecureTransport": "true",
});

describe("NormalizationJob alerts under IAM simulation", function () {
  this.timeout(60_000);
  let topicPolicy: PolicyDocument;
  let keyPolicy: PolicyDocument;
  let topic: string;
  before(async () => {
    const { recorded } = await recordAwsPipeline();
    topicPolicy = parsedInput(
      recorded,
      "aws:sns/topicPolicy:TopicPolicy",
      "acme-aws-job-alerts-policy",
      "policy",
    ) as PolicyDocument;
    topic = String(recorded.one("aws:sns/topicPolicy:TopicPolicy").inputs.arn);
    keyPolicy = parsedInput(recorded, "aws:kms/key:Key", "acme-aws-bucket-key", "policy") as PolicyDocument;
  });
  const publish = (principal: string, context: Record<string, string>) =>
    decide(
      { principal, action: "sns:Publish", resource: topic, resourceAccount: ACCOUNT, context },
      { resource: topicPolicy },
    );
  const useKey = (action: string, context: Record<string, string>) =>
    decide(
      { principal: "cloudwatch.amazonaws.com", action, resource: KEY, resourceAccount: ACCOUNT, context },
      { resource: keyPolicy },
    );

  it("lets CloudWatch publish and use the key for the job's own alarms", async () => {
    assert.equal(await publish("cloudwatch.amazonaws.com", from(OWN_ALARM)), "Allowed");
    assert.equal(await useKey("kms:GenerateDataKey", from(OWN_ALARM)), "Allowed");
    assert.equal(await useKey("kms:Decrypt", from(OWN_ALARM)), "Allowed");
  });

  it("refuses CloudWatch acting for another alarm or another account (the confused deputy)", async () => {
    const otherAlarm = `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:someone-elses-alarm`;
    const foreign = `arn:aws:cloudwatch:eu-west-1:999988887777:alarm:costline-acme-aws-normalize-errors`;
    assert.equal(await publish("cloudwatch.amazonaws.com", from(otherAlarm)), "ImplicitlyDenied");
    assert.equal(
      await publish("cloudwatch.amazonaws.com", from(foreign, "999988887777")),
      "ImplicitlyDenied",
    );
    assert.equal(await useKey("kms:GenerateDataKey", from(otherAlarm)), "ImplicitlyDenied");
    assert.equal(await useKey("kms:GenerateDataKey", from(foreign, "999988887777")), "ImplicitlyDenied");
  });

  it("grants CloudWatch nothing on the key beyond publishing, and no other caller the topic", async () => {
    assert.equal(await useKey("kms:ScheduleKeyDeletion", from(OWN_ALARM)), "ImplicitlyDenied");
    assert.equal(await useKey("kms:ReEncryptFrom", from(OWN_ALARM)), "ImplicitlyDenied");
    assert.equal(
      await publish("arn:aws:iam::999988887777:role/costline-platform", { "aws:SecureTransport": "true" }),
      "ImplicitlyDenied",
    );
    assert.equal(
      await publish("cloudwatch.amazonaws.com", { ...from(OWN_ALARM), "aws:SecureTransport": "false" }),
      "ExplicitlyDenied",
    );
  });
});
