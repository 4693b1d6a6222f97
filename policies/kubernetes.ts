import type { ResourceValidationArgs } from "@pulumi/policy";
import { type PodView, podOf } from "./lib/pod-spec";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { type CostlinePolicy, list, record, settingsOf } from "./policy";

/** The pod template of the resource under validation; any other resource is not applicable. */
function podUnder(args: ResourceValidationArgs): PodView {
  return podOf(args.type, args.props) ?? args.notApplicable("not a workload with a pod template");
}

const CAPABILITIES_SCHEMA = {
  properties: {
    allowedCapabilities: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [] as string[],
      description: "Linux capabilities a container may add back after dropping ALL.",
    },
  },
};

const HOST_PATH_SCHEMA = {
  properties: {
    allowedHostPaths: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [] as string[],
      description: "Host paths a pod may mount read-only (e.g. a node exporter's /proc).",
    },
  },
};

const LIMITS_SCHEMA = {
  properties: {
    requireCpuLimit: {
      type: "boolean" as const,
      default: false,
      description:
        "Require a CPU limit as well (a memory limit and CPU/memory requests are always required).",
    },
  },
};

const API_TOKEN_SCHEMA = {
  properties: {
    apiClients: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [] as string[],
      description: "Service accounts whose pods call the Kubernetes API and so may mount its token.",
    },
  },
};

export const kubernetesPolicies: CostlinePolicy[] = [
  {
    name: "k8s-run-as-non-root",
    description: "Pods run as a non-root user.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Set securityContext.runAsNonRoot: true (and a non-zero runAsUser) on the pod or every container.",
    validateResource: (args, report) => {
      const pod = podUnder(args);
      for (const c of pod.containers) {
        const nonRoot = c.securityContext.runAsNonRoot ?? pod.securityContext.runAsNonRoot;
        const user = c.securityContext.runAsUser ?? pod.securityContext.runAsUser;
        if (user === 0) report(`${c.label} runs as root (runAsUser: 0)`);
        else if (nonRoot !== true) report(`${c.label} may run as root; set runAsNonRoot: true`);
      }
    },
  },
  {
    name: "k8s-no-privilege-escalation",
    description: "Containers are not privileged and cannot gain privileges.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set securityContext.allowPrivilegeEscalation: false and never privileged: true.",
    validateResource: (args, report) => {
      for (const c of podUnder(args).containers) {
        if (c.securityContext.privileged === true) report(`${c.label} is privileged`);
        if (c.securityContext.allowPrivilegeEscalation !== false) {
          report(`${c.label} does not set allowPrivilegeEscalation: false`);
        }
      }
    },
  },
  {
    name: "k8s-drop-capabilities",
    description: "Containers drop ALL Linux capabilities and add back only allowed ones.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set securityContext.capabilities.drop: ["ALL"]; add only what the configuration allows.',
    configSchema: CAPABILITIES_SCHEMA,
    validateResource: (args, report) => {
      const { allowedCapabilities } = settingsOf<{ allowedCapabilities: string[] }>(
        args,
        CAPABILITIES_SCHEMA,
      );
      for (const c of podUnder(args).containers) {
        const caps = record(c.securityContext.capabilities);
        if (!list(caps.drop).includes("ALL")) report(`${c.label} does not drop ALL capabilities`);
        const added = list(caps.add)
          .map(String)
          .filter((cap) => !allowedCapabilities.includes(cap));
        if (added.length > 0) report(`${c.label} adds capabilities ${added.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-resource-limits",
    description: "Containers request CPU and memory and have a memory limit.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory.",
    configSchema: LIMITS_SCHEMA,
    validateResource: (args, report) => {
      const { requireCpuLimit } = settingsOf<{ requireCpuLimit: boolean }>(args, LIMITS_SCHEMA);
      for (const c of podUnder(args).containers.filter((c) => !c.label.startsWith("ephemeral"))) {
        const resources = record(c.spec.resources);
        const missing = [
          ["requests", "cpu"],
          ["requests", "memory"],
          ["limits", "memory"],
          ...(requireCpuLimit ? [["limits", "cpu"]] : []),
        ]
          .filter(([kind, what]) => record(resources[kind])[what] === undefined)
          .map(([kind, what]) => `${kind}.${what}`);
        if (missing.length > 0) report(`${c.label} has no ${missing.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-no-host-path",
    description: "Pods mount no host paths except allowed ones, read-only.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Use an emptyDir, a ConfigMap or a PersistentVolumeClaim instead of hostPath.",
    configSchema: HOST_PATH_SCHEMA,
    validateResource: (args, report) => {
      const { allowedHostPaths } = settingsOf<{ allowedHostPaths: string[] }>(args, HOST_PATH_SCHEMA);
      const pod = podUnder(args);
      for (const v of list(pod.spec.volumes).map(record)) {
        const path = record(v.hostPath).path;
        if (path === undefined) continue;
        const mountedWritable = pod.containers.some((c) =>
          list(c.spec.volumeMounts).some((m) => record(m).name === v.name && record(m).readOnly !== true),
        );
        if (!allowedHostPaths.includes(String(path)))
          report(`volume "${v.name}" mounts the host path ${path}`);
        else if (mountedWritable) report(`volume "${v.name}" mounts the allowed host path ${path} writable`);
      }
    },
  },
  {
    name: "k8s-no-host-namespaces",
    description: "Pods do not share the node's network, PID or IPC namespace.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove hostNetwork, hostPID and hostIPC from the pod spec.",
    validateResource: (args, report) => {
      const pod = podUnder(args);
      const shared = ["hostNetwork", "hostPID", "hostIPC"].filter((k) => pod.spec[k] === true);
      if (shared.length > 0) report(`the pod shares the node's namespaces: ${shared.join(", ")}`);
    },
  },
  {
    name: "k8s-no-api-token",
    description: "Pods that do not call the Kubernetes API mount no token for it.",
    // Advisory: a chart's own workloads (OpenCost reads the API) mount theirs; list them in apiClients.
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Set automountServiceAccountToken: false in the pod spec; a workload that calls the API lists its service account in apiClients.",
    configSchema: API_TOKEN_SCHEMA,
    validateResource: (args, report) => {
      const { apiClients } = settingsOf<{ apiClients: string[] }>(args, API_TOKEN_SCHEMA);
      const spec = podUnder(args).spec;
      const account = typeof spec.serviceAccountName === "string" ? spec.serviceAccountName : "default";
      // Unset means mounted: the kubelet mounts the token unless the pod or its service account opts out.
      if (spec.automountServiceAccountToken !== false && !apiClients.includes(account)) {
        report(`the pod of service account "${account}" mounts a Kubernetes API token`);
      }
    },
  },
  {
    name: "k8s-read-only-root-filesystem",
    description: "Containers run with a read-only root filesystem.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the job writes.",
    validateResource: (args, report) => {
      for (const c of podUnder(args).containers) {
        if (c.securityContext.readOnlyRootFilesystem !== true)
          report(`${c.label} has a writable root filesystem`);
      }
    },
  },
  {
    name: "k8s-no-plaintext-secrets",
    description: "Container environments take secrets from Secrets (valueFrom), never literal values.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Put the value in a Kubernetes Secret (or a CSI secret store) and use valueFrom.secretKeyRef.",
    validateResource: (args, report) => {
      for (const c of podUnder(args).containers) {
        const found = plaintextSecrets(
          list(c.spec.env).map((e) => [String(record(e).name), record(e).value]),
        );
        if (found.length > 0)
          report(describePlaintextSecrets(`${c.label}'s environment`, found, "Use valueFrom.secretKeyRef."));
      }
    },
  },
  {
    name: "k8s-cronjob-no-overlap",
    description: "CronJobs never run two instances at once and do not retry forever.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: 'Set concurrencyPolicy: "Forbid" and jobTemplate.spec.backoffLimit.',
    validateResource: (args, report) => {
      if (args.type !== "kubernetes:batch/v1:CronJob") args.notApplicable("not a CronJob");
      const spec = record(args.props.spec);
      if (spec.concurrencyPolicy !== "Forbid" && spec.concurrencyPolicy !== "Replace") {
        report(`concurrencyPolicy is ${spec.concurrencyPolicy ?? "Allow (the default)"}; runs may overlap`);
      }
      if (record(record(spec.jobTemplate).spec).backoffLimit === undefined)
        report("jobTemplate.spec.backoffLimit is not set");
    },
  },
  {
    name: "k8s-image-pinned",
    description: "Container images are pinned to a version tag or digest, never latest.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Reference the image by digest (@sha256:…) or an immutable version tag.",
    validateResource: (args, report) => {
      for (const c of podUnder(args).containers) {
        const image = String(c.spec.image ?? "");
        const tag = image.includes("@") ? "digest" : /:([^/:]+)$/.exec(image)?.[1];
        if (!tag || tag === "latest") report(`${c.label} uses the unpinned image "${image}"`);
      }
    },
  },
];
