import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { memberMetricsPolicy } from "./policies";

export interface MemberMetricsRolesArgs {
  /** The member accounts that receive the role. */
  accountIds: string[];
  /** Role name in every member account. */
  roleName: string;
  /** StackSet name. */
  stackSetName: string;
  /** The platform principal that may assume the role. */
  platformPrincipalArn: string;
  /** The external id it must present (the same as for the connector role). */
  externalId: pulumi.Input<string>;
  /** The region the stack instances are created in (IAM is global; one region suffices). */
  region: string;
  /** The provider of the organization's management account. */
  provider: aws.Provider;
}

/**
 * The CloudFormation template deployed into each member account: one role that the platform may
 * assume with the external id, reading CloudWatch metrics and nothing else.
 */
export function memberMetricsTemplate(roleName: string, platformPrincipalArn: string): string {
  return JSON.stringify({
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Costline: read-only metrics role for the platform",
    Parameters: { ExternalId: { Type: "String", NoEcho: true, MinLength: 2 } },
    Resources: {
      MetricsRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: roleName,
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "PlatformAssumesWithExternalId",
                Effect: "Allow",
                Principal: { AWS: platformPrincipalArn },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
              },
            ],
          },
          Policies: [{ PolicyName: "costline-read-metrics", PolicyDocument: memberMetricsPolicy() }],
        },
      },
    },
    Outputs: { RoleArn: { Value: { "Fn::GetAtt": ["MetricsRole", "Arn"] } } },
  });
}

/**
 * A service-managed StackSet that deploys the read-only metrics role into the listed member
 * accounts. It targets the organization root filtered to exactly those accounts, so the accounts
 * may sit in any OU; it needs trusted access for CloudFormation StackSets in AWS Organizations.
 */
export class MemberMetricsRoles extends pulumi.ComponentResource {
  /** The StackSet name. */
  readonly stackSetName: pulumi.Output<string>;

  constructor(name: string, args: MemberMetricsRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:MemberMetricsRoles", name, {}, opts);
    if (args.accountIds.length === 0) {
      throw new Error("MemberMetricsRoles needs at least one account id in aws.memberAccountIds");
    }
    const child = { parent: this, provider: args.provider };
    const organization = aws.organizations.getOrganizationOutput({}, child);
    const stackSet = new aws.cloudformation.StackSet(
      `${name}-stackset`,
      {
        name: args.stackSetName,
        description: "Costline: read-only metrics role in member accounts",
        permissionModel: "SERVICE_MANAGED",
        callAs: "SELF",
        // Explicit accounts, not whole OUs: accounts that join later are not enrolled silently.
        autoDeployment: { enabled: false },
        managedExecution: { active: true },
        capabilities: ["CAPABILITY_NAMED_IAM"],
        templateBody: memberMetricsTemplate(args.roleName, args.platformPrincipalArn),
        parameters: { ExternalId: pulumi.secret(args.externalId) },
      },
      child,
    );
    new aws.cloudformation.StackSetInstance(
      `${name}-instances`,
      {
        stackSetName: stackSet.name,
        callAs: "SELF",
        stackSetInstanceRegion: args.region,
        deploymentTargets: {
          organizationalUnitIds: organization.roots.apply((roots) => {
            if (roots.length === 0)
              throw new Error("the organization has no root; is this the management account?");
            return [roots[0].id];
          }),
          accountFilterType: "INTERSECTION",
          accounts: args.accountIds,
        },
        operationPreferences: { failureToleranceCount: 0, maxConcurrentCount: 5 },
      },
      child,
    );
    this.stackSetName = stackSet.name;
    this.registerOutputs({ stackSetName: this.stackSetName });
  }
}
