import { S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

/** Temporary credentials as the SDK's clients take them. */
interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * The tenant's connector role, assumed with its external id from the caller's own credentials
 * (the platform principal the role trusts), renewed a minute before it expires.
 */
export function connectorCredentials(
  sts: STSClient,
  roleArn: string,
  externalId: string,
): () => Promise<Credentials> {
  let current: Credentials | undefined;
  return async () => {
    if (current?.expiration && current.expiration.getTime() - Date.now() > 60_000) return current;
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        ExternalId: externalId,
        RoleSessionName: "costline-collect",
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`sts:AssumeRole of ${roleArn} returned no credentials`);
    current = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    return current;
  };
}

/** An S3 client in the bucket's region acting as the connector role. */
export function connectorS3(
  region: string,
  roleArn: string,
  externalId: string,
  sts = new STSClient({ region }),
): S3Client {
  return new S3Client({ region, credentials: connectorCredentials(sts, roleArn, externalId) });
}
