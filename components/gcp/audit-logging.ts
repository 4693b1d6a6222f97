import * as logging from "@pulumi/gcp/logging";
import * as projects from "@pulumi/gcp/projects";
import type { Provider } from "@pulumi/gcp/provider";
import * as pulumi from "@pulumi/pulumi";
import { AUDITED_LOG_TYPES, AUDITED_SERVICES } from "./job-contract";
import { childOptions } from "./options";

export interface GcpAuditLoggingArgs {
  /** The tenant's GCP provider. */
  provider: Provider;
  /** The tenant's project. */
  projectId: string;
  /** The log bucket's region (inside the tenant's residency). */
  location: string;
  /** The log bucket's id. */
  bucketId: string;
  /** The log sink's name. */
  sinkName: string;
  /** Days the log bucket keeps entries (the tenant's `audit.retentionDays`). */
  retentionDays: number;
}

/**
 * Data Access audit logging of the audited services in the tenant's project, and a log bucket in
 * the tenant's region that keeps their audit logs (Admin Activity and Data Access) for the
 * tenant's retention, fed by a sink; the `_Default` bucket keeps its own shorter copy.
 */
export class GcpAuditLogging extends pulumi.ComponentResource {
  /** The log bucket's resource name, projects/P/locations/L/buckets/B. */
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: GcpAuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:AuditLogging", name, {}, opts);
    const child = childOptions(this, args.provider, opts);
    for (const service of AUDITED_SERVICES) {
      new projects.IAMAuditConfig(
        `${name}-${service.split(".")[0]}`,
        {
          project: args.projectId,
          service,
          auditLogConfigs: AUDITED_LOG_TYPES.map((logType) => ({ logType })),
        },
        child,
      );
    }
    const bucket = new logging.ProjectBucketConfig(
      `${name}-bucket`,
      {
        project: args.projectId,
        location: args.location,
        bucketId: args.bucketId,
        retentionDays: args.retentionDays,
        description: "Costline: audit logs of access to the tenant's secret and cost data",
      },
      child,
    );
    const bucketPath = `projects/${args.projectId}/locations/${args.location}/buckets/${args.bucketId}`;
    const services = AUDITED_SERVICES.map((s) => `"${s}"`).join(" OR ");
    new logging.ProjectSink(
      `${name}-sink`,
      {
        project: args.projectId,
        name: args.sinkName,
        destination: `logging.googleapis.com/${bucketPath}`,
        filter: `logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName=(${services})`,
        // A log bucket in the sink's own project needs no grant to the sink's writer identity.
        uniqueWriterIdentity: true,
      },
      { ...child, dependsOn: [...(child.dependsOn as pulumi.Resource[]), bucket] },
    );
    this.bucketName = pulumi.output(bucketPath);
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
