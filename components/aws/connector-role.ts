import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PolicyDocument } from "./iam";
import { connectorPolicy, connectorTrustPolicy, type ReadScope } from "./policies";

export interface ConnectorRoleArgs {
  /** IAM role name. */
  roleName: string;
  /** The platform principal (role or account root ARN) that may assume the role. */
  platformPrincipalArn: string;
  /** The external id the platform must present; generated (40 random characters) when omitted. */
  externalId?: pulumi.Input<string>;
  /** Name of the connection secret: `tenantSecretPath(tenantId, "aws", accountId)`. */
  secretName: string;
  /** Days a deleted secret can be restored (7-30). Default 30. */
  secretRecoveryDays?: number;
  /** What the role may read: bucket layout, key, account and region. */
  scope: pulumi.Input<ReadScope>;
  /** The tenant key, which encrypts the secret. */
  keyArn: pulumi.Input<string>;
  /** The provider for the tenant's region. */
  provider: aws.Provider;
}

/**
 * The role the platform assumes to read the tenant's cost data: one trusted principal, a mandatory
 * external id, and read access to the export and normalized data (no Athena: see connectorPolicy).
 * The external id is kept in Secrets Manager, encrypted with the tenant key; only its ARN leaves.
 */
export class ConnectorRole extends pulumi.ComponentResource {
  /** The role ARN the platform assumes. */
  readonly roleArn: pulumi.Output<string>;
  /** The ARN of the secret holding the external id (never the value). */
  readonly externalIdSecretArn: pulumi.Output<string>;
  /** The trust policy as deployed (secret: it carries the external id). */
  readonly trustPolicy: pulumi.Output<PolicyDocument>;
  /** The permission policy as deployed. */
  readonly permissionPolicy: pulumi.Output<PolicyDocument>;
  /** The external id, kept secret, for roles that share it (member accounts); never a stack output. */
  readonly externalId: pulumi.Output<string>;

  constructor(name: string, args: ConnectorRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:ConnectorRole", name, {}, opts);
    const recovery = args.secretRecoveryDays ?? 30;
    if (!Number.isInteger(recovery) || recovery < 7 || recovery > 30) {
      throw new Error(`secretRecoveryDays is ${recovery}; Secrets Manager accepts 7 to 30 days`);
    }
    const child = { parent: this, provider: args.provider };
    if (typeof args.externalId === "string") checkExternalId(args.externalId);
    const externalId = pulumi.secret(
      args.externalId ??
        new random.RandomPassword(`${name}-external-id`, { length: 40, special: false }, { parent: this })
          .result,
    );

    this.trustPolicy = externalId.apply((id) =>
      connectorTrustPolicy(args.platformPrincipalArn, checkExternalId(id)),
    );
    this.permissionPolicy = pulumi.output(args.scope).apply((scope) => connectorPolicy(scope));

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: "Costline platform: read-only access to this tenant's cost data",
        assumeRolePolicy: pulumi.jsonStringify(this.trustPolicy),
        maxSessionDuration: 3600,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-read`,
      { role: role.name, name: "costline-read", policy: pulumi.jsonStringify(this.permissionPolicy) },
      child,
    );

    const secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        name: args.secretName,
        description: "Costline: how the platform connects to this tenant's AWS cost data",
        kmsKeyId: args.keyArn,
        recoveryWindowInDays: recovery,
      },
      child,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-secret-value`,
      {
        secretId: secret.id,
        secretString: pulumi.jsonStringify({ roleArn: role.arn, externalId }),
      },
      child,
    );

    this.externalId = externalId;
    this.roleArn = role.arn;
    this.externalIdSecretArn = secret.arn;
    this.registerOutputs({ roleArn: this.roleArn, externalIdSecretArn: this.externalIdSecretArn });
  }
}

/** STS accepts 2-1224 characters of this set as an external id. */
function checkExternalId(id: string): string {
  if (id.length < 2 || id.length > 1224 || !/^[\w+=,.@:/-]+$/.test(id)) {
    throw new Error(
      "the external id must be 2-1224 characters of letters, digits and + = , . @ : / - _; omit it to have one generated",
    );
  }
  return id;
}
