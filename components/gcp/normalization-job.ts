import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { toUnixCron } from "../core/schedule";
import { childOptions } from "./options";

/** Physical names of the job's resources, made by the caller with `physicalName`. */
export interface GcpNormalizationJobNames {
  /** The source bucket: globally unique, so it carries the project id. */
  bucket: string;
  /** The Artifact Registry repository the build pushes the function image to. */
  repository: string;
  /** The Cloud Functions (gen2) function and its Cloud Run service. */
  function: string;
  /** The Cloud Scheduler job. */
  schedulerJob: string;
  /** Service account id the build runs as. */
  buildAccountId: string;
  /** Service account id Cloud Scheduler signs its OIDC token as. */
  invokerAccountId: string;
}

export interface GcpNormalizationJobArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project of every resource. */
  projectId: string;
  /** Region of the bucket, repository, function and scheduler; inside the tenant's residency. */
  region: string;
  /** Physical names. */
  names: GcpNormalizationJobNames;
  /** The GCP job bundle (the function's source), e.g. a FileArchive of dist/jobs/gcp/. */
  source: pulumi.Input<pulumi.asset.Archive>;
  /** The exported function of the bundle that handles the scheduler's request. */
  entryPoint: string;
  /** Email of the service account the function runs as (see GcpJobIdentity). */
  runtimeServiceAccountEmail: pulumi.Input<string>;
  /** Environment of the function; no secret values (the job reads those from Secret Manager). */
  environment: Record<string, pulumi.Input<string>>;
  /** Five-field Unix cron, UTC. */
  schedule: string;
  /** Labels from the tenant tags. */
  labels: Record<string, string>;
}

/** Cloud Scheduler allows an HTTP target at most 30 minutes; the function may use all of it. */
const RUN_TIMEOUT_SECONDS = 1800;

/**
 * The normalization job: the bundle as a Cloud Functions gen2 function, built by its own service
 * account, reachable only from inside the project, and called on the tenant schedule by Cloud
 * Scheduler with an OIDC token of a service account that may do nothing but invoke it.
 */
export class GcpNormalizationJob extends pulumi.ComponentResource {
  /** The function's name. */
  readonly functionName: pulumi.Output<string>;
  /** The function's HTTPS endpoint (internal ingress only). */
  readonly uri: pulumi.Output<string>;
  /** The scheduler job's name. */
  readonly schedulerJobName: pulumi.Output<string>;

  constructor(name: string, args: GcpNormalizationJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:NormalizationJob", name, {}, opts);
    const child = childOptions(this, args.provider, opts);
    const { projectId, region, names } = args;
    const schedule = toUnixCron(args.schedule);
    const serviceAccount = (key: string, accountId: string, displayName: string) =>
      new gcp.serviceaccount.Account(`${name}-${key}`, { project: projectId, accountId, displayName }, child);

    const bucket = new gcp.storage.Bucket(
      `${name}-source`,
      {
        project: projectId,
        name: names.bucket,
        location: region,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        // Holds only the build input, which every deployment uploads again.
        forceDestroy: true,
        labels: args.labels,
      },
      child,
    );
    const archive = new gcp.storage.BucketObject(
      `${name}-bundle`,
      { bucket: bucket.name, name: "gcp-job.zip", source: args.source },
      child,
    );
    const repository = new gcp.artifactregistry.Repository(
      `${name}-images`,
      {
        project: projectId,
        location: region,
        repositoryId: names.repository,
        format: "DOCKER",
        description: "Images of the Costline normalization function",
        labels: args.labels,
      },
      child,
    );

    // A dedicated build identity: the default (the project's compute account) may hold Editor.
    const builder = serviceAccount("builder", names.buildAccountId, "Costline function build");
    const buildGrants = [
      new gcp.storage.BucketIAMMember(
        `${name}-builder-source`,
        { bucket: bucket.name, role: "roles/storage.objectViewer", member: builder.member },
        child,
      ),
      new gcp.artifactregistry.RepositoryIamMember(
        `${name}-builder-images`,
        {
          project: projectId,
          location: region,
          repository: repository.repositoryId,
          role: "roles/artifactregistry.writer",
          member: builder.member,
        },
        child,
      ),
      new gcp.projects.IAMMember(
        `${name}-builder-logs`,
        { project: projectId, role: "roles/logging.logWriter", member: builder.member },
        child,
      ),
    ];

    const fn = new gcp.cloudfunctionsv2.Function(
      `${name}-function`,
      {
        project: projectId,
        location: region,
        name: names.function,
        description: "Costline normalization job",
        buildConfig: {
          runtime: "nodejs22",
          entryPoint: args.entryPoint,
          serviceAccount: pulumi.interpolate`projects/${projectId}/serviceAccounts/${builder.email}`,
          dockerRepository: pulumi.interpolate`projects/${projectId}/locations/${region}/repositories/${repository.repositoryId}`,
          source: {
            storageSource: { bucket: bucket.name, object: archive.name, generation: archive.generation },
          },
        },
        serviceConfig: {
          serviceAccountEmail: args.runtimeServiceAccountEmail,
          // Cloud Scheduler requests from the same project count as internal traffic.
          ingressSettings: "ALLOW_INTERNAL_ONLY",
          allTrafficOnLatestRevision: true,
          // One run at a time: a late run must not overlap the next one writing the same partitions.
          maxInstanceCount: 1,
          maxInstanceRequestConcurrency: 1,
          availableMemory: "512Mi",
          timeoutSeconds: RUN_TIMEOUT_SECONDS,
          environmentVariables: args.environment,
        },
        labels: args.labels,
      },
      childOptions(this, args.provider, opts, ...buildGrants),
    );
    const uri = fn.serviceConfig.apply((config) => {
      if (!config?.uri) throw new Error(`function ${names.function} has no service URI to schedule`);
      return config.uri;
    });

    const invoker = serviceAccount("invoker", names.invokerAccountId, "Costline scheduler invoker");
    new gcp.cloudrunv2.ServiceIamMember(
      `${name}-invoker-run`,
      // Gen2 functions are invoked through their Cloud Run service, so run.invoker on that service
      // is the grant that matters; nothing else may call it.
      {
        project: projectId,
        location: region,
        name: fn.name,
        role: "roles/run.invoker",
        member: invoker.member,
      },
      child,
    );
    const job = new gcp.cloudscheduler.Job(
      `${name}-schedule`,
      {
        project: projectId,
        region,
        name: names.schedulerJob,
        description: "Runs the Costline normalization job",
        schedule,
        timeZone: "Etc/UTC",
        attemptDeadline: `${RUN_TIMEOUT_SECONDS}s`,
        httpTarget: {
          uri,
          httpMethod: "POST",
          oidcToken: { serviceAccountEmail: invoker.email, audience: uri },
        },
      },
      child,
    );

    this.functionName = fn.name;
    this.uri = uri;
    this.schedulerJobName = job.name;
    this.registerOutputs({
      functionName: this.functionName,
      uri: this.uri,
      schedulerJobName: this.schedulerJobName,
    });
  }
}
