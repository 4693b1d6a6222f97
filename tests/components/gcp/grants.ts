import type { RecordedResource } from "../../helpers/pulumi";

/** One IAM grant as recorded: which member gets which role on which resource. */
export interface Grant {
  scope: string;
  role: string;
  member: string;
  urn: string;
}

/** Where each IAM member type grants, read from its inputs. */
const SCOPES: Record<string, (inputs: Record<string, unknown>) => string> = {
  "gcp:projects/iAMMember:IAMMember": (i) => `project:${i.project}`,
  "gcp:organizations/iAMMember:IAMMember": (i) => `organization:${i.orgId}`,
  "gcp:bigquery/datasetIamMember:DatasetIamMember": (i) => `dataset:${i.project}.${i.datasetId}`,
  "gcp:serviceaccount/iAMMember:IAMMember": (i) => `serviceAccount:${i.serviceAccountId}`,
  "gcp:secretmanager/secretIamMember:SecretIamMember": (i) => `secret:${i.project}/${i.secretId}`,
  "gcp:storage/bucketIAMMember:BucketIAMMember": (i) => `bucket:${i.bucket}`,
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": (i) =>
    `repository:${i.project}/${i.location}/${i.repository}`,
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": (i) =>
    `runService:${i.project}/${i.location}/${i.name}`,
};

/**
 * Every IAM grant among the recorded resources. Any resource type that manages IAM but is not
 * known here fails, so that a new kind of grant cannot slip past the least-privilege tests.
 */
export function grantsOf(resources: RecordedResource[]): Grant[] {
  const grants: Grant[] = [];
  for (const r of resources) {
    const scope = SCOPES[r.type];
    if (scope) {
      grants.push({
        scope: scope(r.inputs),
        role: String(r.inputs.role),
        member: String(r.inputs.member),
        urn: r.urn,
      });
    } else if (/iam(member|binding|policy)$/i.test(r.type.split(":")[2] ?? "")) {
      throw new Error(`${r.type} (${r.name}) manages IAM but the test does not know it; add it to SCOPES`);
    }
  }
  return grants;
}

/** The grants of one member as "role on scope" lines, sorted, for exact comparison. */
export function grantsFor(grants: Grant[], member: string): string[] {
  return grants
    .filter((g) => g.member === member)
    .map((g) => `${g.role} on ${g.scope}`)
    .sort();
}
