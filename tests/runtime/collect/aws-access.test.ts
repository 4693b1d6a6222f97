import assert from "node:assert/strict";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { connectorCredentials } from "../../../runtime/collect/aws-access";

describe("collect: the connector role's credentials", () => {
  it("assumes the role with the tenant's external id, and reuses the credentials until near expiry", async () => {
    const sts = mockClient(STSClient);
    const expiring = (ms: number) => ({
      Credentials: {
        AccessKeyId: "ASIA1",
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date(Date.now() + ms),
      },
    });
    sts.on(AssumeRoleCommand).resolvesOnce(expiring(3_600_000)).resolves(expiring(30_000));
    const provider = connectorCredentials(
      new STSClient({ region: "eu-west-1" }),
      "arn:aws:iam::1:role/r",
      "ext-123",
    );
    const first = await provider();
    assert.equal(first.accessKeyId, "ASIA1");
    await provider();
    assert.equal(sts.commandCalls(AssumeRoleCommand).length, 1);
    assert.deepEqual(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input, {
      RoleArn: "arn:aws:iam::1:role/r",
      ExternalId: "ext-123",
      RoleSessionName: "costline-collect",
    });
    sts.restore();
  });

  it("says which role returned nothing", async () => {
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).resolves({});
    await assert.rejects(
      connectorCredentials(new STSClient({ region: "eu-west-1" }), "arn:aws:iam::1:role/r", "x")(),
      /sts:AssumeRole of arn:aws:iam::1:role\/r returned no credentials/,
    );
    sts.restore();
  });
});
