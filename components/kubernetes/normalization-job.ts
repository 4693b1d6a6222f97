import * as k8s from "@pulumi/kubernetes";
import type { OutputVersion } from "../../runtime/schema/output";
import * as pulumi from "@pulumi/pulumi";
import { rules } from "../core/input-rules";
import { checked } from "./checks";
import { jobNetworkPolicySpec } from "./job-network";
import { DEFAULT_JOB_MEMORY_MIB, jobPodSpec, memoryBudget } from "./job-pod";
import { selectorLabels, workloadLabels } from "./labels";
import type { OpenCostEndpoint } from "./opencost";
import { type KubernetesSink, wireSink } from "./sink";
import { CHECKS_SETTING, type ChecksConfig } from "../../runtime/checks/config";
import { KUBERNETES_JOB_ENV as ENV } from "./job-contract";

/** The `app.kubernetes.io/name` of the job's pods. */
export const JOB_APP = "costline-normalizer";

export interface NormalizationJobArgs {
  /** The cluster's provider; every child uses it explicitly. */
  provider: k8s.Provider;
  /** Namespace of the job (OpenCost's namespace). */
  namespace: pulumi.Input<string>;
  /** Name of the CronJob, its service account, Role, RoleBinding and NetworkPolicy. */
  jobName: string;
  /** The tenant; passed to the job so every row it writes is attributed. */
  tenantId: string;
  /** The tenant's reporting currency, in which the job also states each row's cost. */
  reportingCurrency: string;
  /** The FOCUS version the job writes. */
  focusVersion: OutputVersion;
  /** The cluster; passed to the job as the account id of the rows. */
  clusterName: string;
  /** The tenant's checks settings, which the job applies to what it writes. */
  checks: ChecksConfig;
  /** Tenant labels, from `kubernetesLabels`. */
  labels: Readonly<Record<string, string>>;
  /** The job image (built from runtime/jobs/kubernetes/Dockerfile), pinned by tag or digest. */
  image: pulumi.Input<string>;
  /** Five-field Unix cron, UTC (already rendered with `toUnixCron`). */
  schedule: string;
  /** Where the job writes, and with which identity. */
  sink: KubernetesSink;
  /** The only addresses the job's HTTPS may reach; any public address when omitted (see httpsEgress). */
  httpsEgressCidrs?: readonly string[];
  /** The OpenCost to read. */
  opencost: OpenCostEndpoint;
  /** Memory limit of the job container in MiB; DuckDB and V8 get fixed shares of it. */
  memoryMiB?: number;
}

/**
 * The nightly normalization: a CronJob that reads OpenCost's allocations and writes FOCUS rows to
 * the sink, with its own service account (a cloud identity, never a static key), a Role that can
 * read only the OpenCost Service, and a NetworkPolicy that admits nothing and lets out only what
 * the job needs.
 */
export class NormalizationJob extends pulumi.ComponentResource {
  /** Name of the CronJob. */
  readonly cronJobName: pulumi.Output<string>;
  /** Name of the job's service account (the subject that workload identity trusts). */
  readonly serviceAccountName: pulumi.Output<string>;

  constructor(name: string, args: NormalizationJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:kubernetes:NormalizationJob", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const sink = wireSink(args.sink, args.httpsEgressCidrs);
    const image = checked(args.image, rules.containerImage, "jobImage");
    const memory = memoryBudget(args.memoryMiB ?? DEFAULT_JOB_MEMORY_MIB);
    const labels = workloadLabels(args.labels, JOB_APP, args.jobName);
    const metadata = { name: args.jobName, namespace: args.namespace, labels };

    const account = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      // Its pods mount no API token either (job-pod.ts); the sink's identity comes by its own projected token.
      {
        metadata: { ...metadata, annotations: sink.serviceAccountAnnotations },
        automountServiceAccountToken: false,
      },
      child,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-role`,
      {
        metadata,
        rules: [
          {
            apiGroups: [""],
            resources: ["services", "endpoints"],
            resourceNames: [args.opencost.serviceName],
            verbs: ["get"],
          },
        ],
      },
      child,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-role-binding`,
      {
        metadata,
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }],
      },
      child,
    );
    const policy = new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      {
        metadata,
        spec: jobNetworkPolicySpec(
          selectorLabels(JOB_APP, args.jobName),
          { opencostPods: args.opencost.podSelector, opencostPort: args.opencost.apiPort },
          sink,
        ),
      },
      child,
    );
    const cronJob = new k8s.batch.v1.CronJob(
      `${name}-cron-job`,
      {
        metadata,
        spec: {
          schedule: args.schedule,
          // The tenant's schedule is UTC; without this the controller manager's zone applies.
          timeZone: "Etc/UTC",
          concurrencyPolicy: "Forbid",
          // A run missed by more than an hour (controller down, cluster upgrade) waits for the next one.
          startingDeadlineSeconds: 3600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 5,
          jobTemplate: {
            metadata: { labels },
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 3 * 3600,
              template: {
                metadata: { labels: { ...labels, ...sink.podLabels } },
                spec: jobPodSpec({
                  serviceAccountName: account.metadata.name,
                  image,
                  memory,
                  env: [
                    { name: ENV.tenantId, value: args.tenantId },
                    { name: ENV.reportingCurrency, value: args.reportingCurrency },
                    { name: ENV.focusVersion, value: args.focusVersion },
                    { name: ENV.cluster, value: args.clusterName },
                    { name: ENV.opencostUrl, value: args.opencost.allocationUrl },
                    { name: CHECKS_SETTING, value: JSON.stringify(args.checks) },
                  ],
                  sink,
                }),
              },
            },
          },
        },
      },
      // The first run finds OpenCost ready, and is already confined and allowed.
      { ...child, dependsOn: [args.opencost.installed, binding, policy] },
    );
    this.cronJobName = cronJob.metadata.name;
    this.serviceAccountName = account.metadata.name;
    this.registerOutputs({ cronJobName: this.cronJobName, serviceAccountName: this.serviceAccountName });
  }
}
