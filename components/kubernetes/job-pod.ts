import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./pod-security";
import type { SinkWiring } from "./sink";
import { KUBERNETES_JOB_ENV as ENV } from "./job-contract";

/** The user the job image runs as (distroless `nonroot`, see runtime/jobs/kubernetes/Dockerfile). */
export const JOB_UID = 65532;

/** The only writable path of the job besides a volume sink: DuckDB spills and the SDKs cache here. */
export const JOB_TEMP_DIR = "/tmp";

/** Default memory limit of the job container. */
export const DEFAULT_JOB_MEMORY_MIB = 1024;

/** How the container's memory limit is shared, so that neither DuckDB nor V8 pushes the pod into an OOM kill. */
export interface MemoryBudget {
  /** The container's memory limit (and request). */
  limitMiB: number;
  /** DuckDB's `memory_limit`: half; beyond it DuckDB spills to the temp dir. */
  duckdbMiB: number;
  /** V8's old-space limit: a quarter; the rest is native buffers, Parquet writers and the runtime. */
  heapMiB: number;
}

/** Splits a container memory limit between DuckDB and the JavaScript heap. */
export function memoryBudget(limitMiB: number): MemoryBudget {
  if (!Number.isInteger(limitMiB) || limitMiB < 512 || limitMiB > 65536) {
    throw new Error(
      `jobMemoryMiB is ${limitMiB}; give a whole number of MiB from 512 to 65536 (default ${DEFAULT_JOB_MEMORY_MIB})`,
    );
  }
  return { limitMiB, duckdbMiB: Math.floor(limitMiB / 2), heapMiB: Math.floor(limitMiB / 4) };
}

export interface JobPodArgs {
  /** Service account the pod runs as. */
  serviceAccountName: pulumi.Input<string>;
  /** The job image, pinned by tag or digest. */
  image: pulumi.Input<string>;
  /** The container's memory and its split (from `memoryBudget`). */
  memory: MemoryBudget;
  /** Environment that tells the job what to read and whose it is. */
  env: k8s.types.input.core.v1.EnvVar[];
  /** What the sink adds: its env, volumes and mounts. */
  sink: SinkWiring;
}

/** The normalization job's pod: restricted, read-only, bounded, and writing only to /tmp and the sink. */
export function jobPodSpec(args: JobPodArgs): k8s.types.input.core.v1.PodSpec {
  const budget = args.memory;
  return {
    serviceAccountName: args.serviceAccountName,
    // No Kubernetes API token: the job reaches OpenCost over HTTP at the URL in its environment and
    // never calls the API. The keyless sinks need none either: the EKS Pod Identity webhook (IRSA)
    // and Azure Workload Identity project their own audience-bound tokens, and GKE Workload
    // Identity answers through the node's metadata server.
    automountServiceAccountToken: false,
    // No environment variables for every Service in the namespace: the job is told what it needs.
    enableServiceLinks: false,
    restartPolicy: "Never",
    securityContext: restrictedPodSecurity(JOB_UID),
    containers: [
      {
        name: "normalize",
        image: args.image,
        imagePullPolicy: "IfNotPresent",
        env: [
          ...args.env,
          ...args.sink.env,
          { name: ENV.tempDir, value: JOB_TEMP_DIR },
          { name: ENV.memoryLimit, value: `${budget.duckdbMiB}MiB` },
          { name: "NODE_OPTIONS", value: `--max-old-space-size=${budget.heapMiB}` },
          // The image's home directory is on the read-only root.
          { name: "HOME", value: JOB_TEMP_DIR },
        ],
        resources: {
          // Memory request = limit: the job is never the first evicted, and its budget above is real.
          requests: { cpu: "250m", memory: `${budget.limitMiB}Mi`, "ephemeral-storage": "1Gi" },
          limits: { cpu: "1", memory: `${budget.limitMiB}Mi`, "ephemeral-storage": "5Gi" },
        },
        securityContext: restrictedContainerSecurity,
        volumeMounts: [{ name: "tmp", mountPath: JOB_TEMP_DIR }, ...args.sink.volumeMounts],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "4Gi" } }, ...args.sink.volumes],
  };
}
