import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { auditTrailNames, exportLayout } from "../../components/aws/layout";

/**
 * CloudTrail and S3 answering as they do for the audit trail components/aws/audit-trail.ts
 * deploys for the tenant (acme in 111122223333, eu-west-1, 400 days); tests override one answer
 * with `trail.on(...)` or `bucket.on(...)` to play a drifted setting.
 */
export function deployedAuditTrail(tenantId = "acme", accountId = "111122223333", region = "eu-west-1") {
  const names = auditTrailNames(tenantId, accountId, region);
  const layout = exportLayout(tenantId, accountId, region);
  const trail = mockClient(CloudTrailClient);
  const bucket = mockClient(S3Client);
  const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${names.trail}`;
  trail.on(GetTrailCommand).resolves({
    Trail: {
      Name: names.trail,
      S3BucketName: names.bucket,
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: region,
      TrailARN: trailArn,
      LogFileValidationEnabled: true,
      KmsKeyId: `arn:aws:kms:${region}:${accountId}:key/5d3f1c2a-8b7e-4e21-9a4c-0f6e2d1b7c93`,
      HasCustomEventSelectors: true,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    },
  });
  trail.on(GetTrailStatusCommand).resolves({
    IsLogging: true,
    StartLoggingTime: new Date("2026-11-02T09:14:07Z"),
    LatestDeliveryTime: new Date("2026-12-03T16:35:12Z"),
    LatestDigestDeliveryTime: new Date("2026-12-03T16:02:44Z"),
  });
  trail.on(GetEventSelectorsCommand).resolves({
    TrailARN: trailArn,
    AdvancedEventSelectors: [
      {
        Name: "All management events",
        FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }],
      },
      {
        Name: "S3 data events on cost data",
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Data"] },
          { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          {
            Field: "resources.ARN",
            StartsWith: [layout.exportsPrefix, layout.normalizedPrefix].map(
              (p) => `arn:aws:s3:::${layout.bucket}/${p}`,
            ),
          },
        ],
      },
    ],
  });
  bucket.on(GetBucketLifecycleConfigurationCommand).resolves({
    Rules: [
      {
        ID: "expire-audit-logs",
        Status: "Enabled",
        Filter: {},
        Expiration: { Days: 400 },
        NoncurrentVersionExpiration: { NoncurrentDays: 400 },
      },
    ],
  });
  bucket.on(GetBucketVersioningCommand).resolves({ Status: "Enabled" });
  return {
    names,
    layout,
    trail,
    bucket,
    clients: { cloudtrail: new CloudTrailClient({ region }), s3: new S3Client({ region }) },
    restore: () => {
      trail.restore();
      bucket.restore();
    },
  };
}
