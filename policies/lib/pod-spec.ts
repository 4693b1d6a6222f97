import { record } from "../policy";

/** One container of a pod template, named for messages. */
export interface ContainerView {
  label: string;
  spec: Record<string, unknown>;
  securityContext: Record<string, unknown>;
}

/** A pod template inside any workload: the pod spec and its containers (init and ephemeral included). */
export interface PodView {
  spec: Record<string, unknown>;
  securityContext: Record<string, unknown>;
  containers: ContainerView[];
}

// Where each workload keeps its pod spec.
const POD_SPEC_PATH: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The workload types whose pod templates the Kubernetes policies check. */
export const POD_WORKLOAD_TYPES = Object.keys(POD_SPEC_PATH);

/** The pod template of a workload resource, or undefined when the type carries none. */
export function podOf(type: string, props: Record<string, unknown>): PodView | undefined {
  const path = POD_SPEC_PATH[type];
  if (!path) return undefined;
  const spec = path.reduce<Record<string, unknown>>((node, key) => record(node[key]), props);
  const containers = (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((kind) =>
    (Array.isArray(spec[kind]) ? (spec[kind] as unknown[]) : []).map((c, i) => {
      const container = record(c);
      const name = typeof container.name === "string" ? container.name : `#${i}`;
      return {
        label: kind === "containers" ? `container "${name}"` : `${kind.replace(/s$/, "")} "${name}"`,
        spec: container,
        securityContext: record(container.securityContext),
      };
    }),
  );
  return { spec, securityContext: record(spec.securityContext), containers };
}
