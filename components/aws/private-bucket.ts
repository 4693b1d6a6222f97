import * as s3 from "@pulumi/aws/s3";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Makes a bucket private and owner-enforced: every public ACL and policy blocked, ACLs disabled so
 * that the bucket owner owns every object whoever writes it. Returns the public access block,
 * which a bucket policy must wait for (S3 rejects a policy while the block is being changed).
 */
export function lockDownBucket(
  name: string,
  bucket: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): s3.BucketPublicAccessBlock {
  const publicAccess = new s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  new s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  return publicAccess;
}
