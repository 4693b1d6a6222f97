import type { ResourceValidationArgs } from "@pulumi/policy";
import { POD_WORKLOAD_TYPES, type PodView, podOf } from "./lib/pod-spec";
import { eachKnown } from "./lib/stack";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { type CostlinePolicy, list, record, settingsOf, stringList } from "./policy";

/** The pod template of the resource under validation; any other resource is not applicable. */
function podUnder(args: ResourceValidationArgs): PodView {
  return podOf(args.type, args.props) ?? args.notApplicable("not a workload with a pod template");
}

const CAPABILITIES_SCHEMA = {
  properties: {
    allowedCapabilities: stringList([], "Linux capabilities a container may add back after dropping ALL."),
  },
};

const HOST_PATH_SCHEMA = {
  properties: {
    allowedHostPaths: stringList([], "Host paths a pod may mount read-only (e.g. a node exporter's /proc)."),
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
    apiClients: stringList(
      [],
      "Service accounts whose pods call the Kubernetes API and so may mount its token.",
    ),
  },
};

const HIGH_IDS_SCHEMA = {
  properties: {
    minimumId: {
      type: "integer" as const,
      minimum: 1,
      default: 10000,
      description: "Lowest user and group id a pod may name (ids below it may match a user of the node).",
    },
  },
};

const REGISTRIES_SCHEMA = {
  properties: {
    allowedRegistries: stringList(
      ["ghcr.io/costline/"],
      "Image name prefixes (registry and path) containers may pull from.",
    ),
  },
};

// The sysctls the baseline Pod Security Standard counts as safe (namespaced, isolated per pod).
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];
const SAFE_SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const ROLE_TYPES = [`${RBAC}:Role`, `${RBAC}:ClusterRole`];
const BINDING_TYPES = [`${RBAC}:RoleBinding`, `${RBAC}:ClusterRoleBinding`];
const NAMESPACED_TYPES = [
  ...POD_WORKLOAD_TYPES,
  `${RBAC}:Role`,
  `${RBAC}:RoleBinding`,
  "kubernetes:core/v1:ServiceAccount",
  "kubernetes:core/v1:ConfigMap",
  "kubernetes:core/v1:Secret",
  "kubernetes:core/v1:Service",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy",
];
// Subjects that stand for everyone, or for the API server's superusers.
const SYSTEM_SUBJECTS = [
  "system:anonymous",
  "system:unauthenticated",
  "system:authenticated",
  "system:masters",
];

/** The rules of the Role or ClusterRole under validation; any other resource is not applicable. */
function rulesUnder(args: ResourceValidationArgs): Record<string, unknown>[] {
  if (!ROLE_TYPES.includes(args.type)) args.notApplicable("not a Role or ClusterRole");
  return list(args.props.rules).map(record);
}

const WRITE_VERBS = ["create", "update", "patch"];
const writes = (verbs: string[], resources: string[], targets: string[]) =>
  verbs.some((v) => WRITE_VERBS.includes(v)) && resources.some((r) => targets.includes(r));
const WORKLOADS = [
  "pods",
  "deployments",
  "daemonsets",
  "statefulsets",
  "replicasets",
  "jobs",
  "cronjobs",
  "replicationcontrollers",
];

/** Paths from a role to more privilege, by what they let the holder do (wildcards are k8s-rbac-no-wildcards'). */
const ESCALATIONS: [what: string, grants: (verbs: string[], resources: string[]) => boolean][] = [
  [
    "bind, escalate or impersonate",
    (verbs) => verbs.some((v) => ["bind", "escalate", "impersonate"].includes(v)),
  ],
  [
    "write roles or role bindings",
    (v, r) => writes(v, r, ["roles", "clusterroles", "rolebindings", "clusterrolebindings"]),
  ],
  [
    "change admission webhooks",
    (v, r) => writes(v, r, ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]),
  ],
  [
    "approve certificate signing requests",
    (v, r) =>
      writes(v, r, ["certificatesigningrequests/approval"]) ||
      (v.includes("approve") && r.includes("signers")),
  ],
  [
    "exec or attach into pods",
    (v, r) =>
      v.some((x) => x === "create" || x === "get") && r.some((x) => x === "pods/exec" || x === "pods/attach"),
  ],
  ["reach kubelets through nodes/proxy", (v, r) => v.length > 0 && r.includes("nodes/proxy")],
  [
    "create workloads that run as any service account of the namespace",
    (v, r) => v.includes("create") && r.some((x) => WORKLOADS.includes(x)),
  ],
];

const PRIVATE_RANGES_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];
const PRIVATE_RANGES_V6 = ["fc00::/7", "fe80::/10"];

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
    description:
      "Pods that do not call the Kubernetes API mount no token for it, and their service accounts do not offer one by default.",
    // Advisory: a chart's own workloads (OpenCost reads the API) mount theirs; list them in apiClients.
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Set automountServiceAccountToken: false in the pod spec and on the ServiceAccount; a workload that calls the API lists its service account in apiClients.",
    configSchema: API_TOKEN_SCHEMA,
    validateResource: (args, report) => {
      const { apiClients } = settingsOf<{ apiClients: string[] }>(args, API_TOKEN_SCHEMA);
      if (args.type === "kubernetes:core/v1:ServiceAccount") {
        const name = String(record(args.props.metadata).name ?? args.name);
        if (args.props.automountServiceAccountToken !== false && !apiClients.includes(name))
          report(`service account "${name}" lets its pods mount a Kubernetes API token by default`);
        return;
      }
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
  {
    name: "k8s-seccomp-runtime-default",
    description:
      "Every container runs under the runtime's default seccomp profile (or a node-local one), never Unconfined, and no AppArmor profile is Unconfined.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set securityContext.seccompProfile { type: "RuntimeDefault" } on the pod (or every container) and leave appArmorProfile unset or RuntimeDefault.',
    validateResource: (args, report) => {
      const pod = podUnder(args);
      for (const c of pod.containers) {
        const seccomp = record(c.securityContext.seccompProfile ?? pod.securityContext.seccompProfile).type;
        if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
          report(`${c.label} runs with seccomp profile ${seccomp ?? "unset (Unconfined on most runtimes)"}`);
        const apparmor = record(
          c.securityContext.appArmorProfile ?? pod.securityContext.appArmorProfile,
        ).type;
        if (apparmor === "Unconfined") report(`${c.label} runs with AppArmor Unconfined`);
      }
    },
  },
  {
    name: "k8s-no-host-ports",
    description: "Containers bind no port on the node (hostPort).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove ports[].hostPort; expose the port through a Service if anything must reach it.",
    validateResource: (args, report) => {
      for (const c of podUnder(args).containers) {
        const bound = list(c.spec.ports)
          .map((p) => record(p).hostPort)
          .filter((p) => p !== undefined && p !== 0);
        if (bound.length > 0) report(`${c.label} binds host port ${bound.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-no-unsafe-kernel-settings",
    description:
      "Pods set no unsafe sysctl, no unmasked /proc, no custom SELinux user, role or type, and no Windows host process.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Remove securityContext.sysctls outside the safe set, procMount: Unmasked, seLinuxOptions other than a container_* type, and windowsOptions.hostProcess.",
    validateResource: (args, report) => {
      const pod = podUnder(args);
      const unsafe = list(pod.securityContext.sysctls)
        .map((s) => String(record(s).name))
        .filter((n) => !SAFE_SYSCTLS.includes(n));
      if (unsafe.length > 0) report(`the pod sets unsafe sysctls ${unsafe.join(", ")}`);
      const contexts: [string, Record<string, unknown>][] = [
        ["the pod", pod.securityContext],
        ...pod.containers.map((c): [string, Record<string, unknown>] => [c.label, c.securityContext]),
      ];
      for (const [label, context] of contexts) {
        if (context.procMount !== undefined && context.procMount !== "Default")
          report(`${label} mounts /proc ${context.procMount}`);
        const selinux = record(context.seLinuxOptions);
        if (selinux.user !== undefined || selinux.role !== undefined)
          report(`${label} sets a SELinux user or role`);
        if (selinux.type !== undefined && !SAFE_SELINUX_TYPES.includes(String(selinux.type)))
          report(`${label} sets the SELinux type ${selinux.type}`);
        if (record(context.windowsOptions).hostProcess === true)
          report(`${label} runs as a Windows host process`);
      }
    },
  },
  {
    name: "k8s-volume-types",
    description:
      "Pods mount only the volume types the restricted Pod Security Standard allows (configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Replace the volume with an emptyDir, a PersistentVolumeClaim or a projected/secret volume.",
    validateResource: (args, report) => {
      for (const v of list(podUnder(args).spec.volumes).map(record)) {
        // hostPath is k8s-no-host-path's to judge, with its allowed paths.
        const kinds = Object.keys(v).filter((k) => k !== "name" && k !== "hostPath");
        const other = kinds.filter((k) => !RESTRICTED_VOLUME_TYPES.includes(k));
        if (other.length > 0) report(`volume "${v.name}" is of type ${other.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-run-as-high-ids",
    description:
      "Pods and containers that name their user and group use ids at or above the configured minimum, and never the root group (runAsGroup, fsGroup, supplementalGroups 0).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Set runAsUser and runAsGroup (and fsGroup) to an id of at least minimumId (Costline's images use 65532).",
    configSchema: HIGH_IDS_SCHEMA,
    validateResource: (args, report) => {
      const { minimumId } = settingsOf<{ minimumId: number }>(args, HIGH_IDS_SCHEMA);
      const pod = podUnder(args);
      const contexts: [string, Record<string, unknown>][] = [
        ["the pod", pod.securityContext],
        ...pod.containers.map((c): [string, Record<string, unknown>] => [c.label, c.securityContext]),
      ];
      for (const [label, context] of contexts) {
        for (const key of ["runAsUser", "runAsGroup"]) {
          const id = context[key];
          // runAsUser 0 is k8s-run-as-non-root's to report.
          if (typeof id === "number" && id < minimumId && !(key === "runAsUser" && id === 0))
            report(`${label} sets ${key} ${id}, below ${minimumId}`);
        }
        const groups = [context.runAsGroup, context.fsGroup, ...list(context.supplementalGroups)];
        if (groups.includes(0)) report(`${label} runs with the root group (0)`);
      }
    },
  },
  {
    name: "k8s-no-default-service-account",
    description:
      "Pods run as a service account of their own, never a namespace's default one, and no binding grants a role to a default service account.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Create a ServiceAccount for the workload, set serviceAccountName, and bind roles to that account only.",
    validateResource: (args, report) => {
      if (BINDING_TYPES.includes(args.type)) {
        const defaults = list(args.props.subjects)
          .map(record)
          .filter((s) => s.kind === "ServiceAccount" && s.name === "default");
        if (defaults.length > 0)
          report(`binds ${record(args.props.roleRef).name} to the default service account`);
        return;
      }
      const spec = podUnder(args).spec;
      const account = spec.serviceAccountName ?? spec.serviceAccount;
      if (account === undefined || account === "default")
        report("the pod runs as the default service account");
    },
  },
  {
    name: "k8s-secrets-as-files",
    description:
      "Containers read Kubernetes Secrets from mounted files, not environment variables (which leak into logs and child processes).",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      "Mount the Secret as a volume (secret or projected) and read the file; drop env valueFrom.secretKeyRef and envFrom.secretRef.",
    validateResource: (args, report) => {
      for (const c of podUnder(args).containers) {
        const fromSecret = [
          ...list(c.spec.env)
            .map(record)
            .filter((e) => record(e.valueFrom).secretKeyRef !== undefined)
            .map((e) => String(e.name)),
          ...list(c.spec.envFrom)
            .map(record)
            .filter((e) => e.secretRef !== undefined)
            .map((e) => `all of ${record(e.secretRef).name}`),
        ];
        if (fromSecret.length > 0)
          report(`${c.label} reads Secrets through its environment: ${fromSecret.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-trusted-registries",
    description: "Container images come from the configured registries only.",
    // Advisory: a tenant may mirror Costline's images into a registry of its own; list it.
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Pull the image from an allowed registry (or add the tenant's mirror to allowedRegistries).",
    configSchema: REGISTRIES_SCHEMA,
    validateResource: (args, report) => {
      const { allowedRegistries } = settingsOf<{ allowedRegistries: string[] }>(args, REGISTRIES_SCHEMA);
      for (const c of podUnder(args).containers) {
        const image = String(c.spec.image ?? "");
        if (!allowedRegistries.some((r) => image.startsWith(r)))
          report(`${c.label} pulls "${image}" from outside ${allowedRegistries.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-no-default-namespace",
    description: "Namespaced resources are placed in a namespace of their own, never default or kube-system.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set metadata.namespace (a Helm chart: namespace) to the tenant's Costline namespace.",
    validateResource: (args, report) => {
      const namespace =
        args.type === "kubernetes:helm.sh/v4:Chart" || args.type === "kubernetes:helm.sh/v3:Release"
          ? args.props.namespace
          : NAMESPACED_TYPES.includes(args.type)
            ? record(args.props.metadata).namespace
            : args.notApplicable("not a namespaced resource");
      // A provider with a namespace places what names none there.
      const placed = namespace ?? args.provider?.props.namespace ?? "default";
      if (placed === "default" || placed === "kube-system")
        report(`the resource is placed in the ${placed} namespace`);
    },
  },
  {
    name: "k8s-no-privileged-bindings",
    description:
      "No RoleBinding or ClusterRoleBinding grants cluster-admin, or grants anything to anonymous, unauthenticated, all-authenticated or system:masters subjects.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Bind a Role with only the needed rules to the workload's own ServiceAccount.",
    validateResource: (args, report) => {
      if (!BINDING_TYPES.includes(args.type)) args.notApplicable("not a role binding");
      const roleRef = record(args.props.roleRef);
      if (roleRef.name === "cluster-admin") report("binds cluster-admin");
      const wide = list(args.props.subjects)
        .map((s) => String(record(s).name))
        .filter((n) => SYSTEM_SUBJECTS.includes(n));
      if (wide.length > 0) report(`binds ${roleRef.name} to ${wide.join(", ")}`);
    },
  },
  {
    name: "k8s-rbac-no-wildcards",
    description: "Roles and ClusterRoles name their verbs, resources and API groups: no * in any rule.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'List the exact verbs (e.g. ["get"]) and resources (e.g. ["services"]) the workload needs.',
    validateResource: (args, report) => {
      for (const [i, rule] of rulesUnder(args).entries()) {
        const wild = (["verbs", "resources", "apiGroups", "nonResourceURLs"] as const).filter((k) =>
          list(rule[k]).includes("*"),
        );
        if (wild.length > 0) report(`rule ${i} uses * in ${wild.join(", ")}`);
      }
    },
  },
  {
    name: "k8s-rbac-no-secret-access",
    description: "No role reads or changes Secrets, except get on Secrets it names (resourceNames).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Drop the secrets rule, or narrow it to verbs ["get"] with resourceNames listing the one Secret the workload reads.',
    validateResource: (args, report) => {
      for (const [i, rule] of rulesUnder(args).entries()) {
        if (!list(rule.apiGroups).some((g) => g === "" || g === "*")) continue;
        if (!list(rule.resources).some((r) => r === "secrets" || r === "*")) continue;
        const verbs = list(rule.verbs).map(String);
        const named = list(rule.resourceNames).length > 0;
        if (!named || verbs.some((v) => v !== "get"))
          report(`rule ${i} grants ${verbs.join(", ")} on ${named ? "named" : "all"} Secrets`);
      }
    },
  },
  {
    name: "k8s-rbac-no-escalation",
    description:
      "No role grants a path to more privilege: bind, escalate or impersonate; writing roles, bindings or admission webhooks; approving certificate requests; exec or attach into pods; the nodes proxy; creating workloads.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Remove the rule; a workload that must run others is given a dedicated controller, not these permissions.",
    validateResource: (args, report) => {
      for (const [i, rule] of rulesUnder(args).entries()) {
        const verbs = list(rule.verbs).map(String);
        const resources = list(rule.resources).map(String);
        for (const [what, grants] of ESCALATIONS) {
          if (grants(verbs, resources)) report(`rule ${i} lets its holder ${what}`);
        }
      }
    },
  },
  {
    name: "k8s-network-egress-restricted",
    description:
      "NetworkPolicy egress rules name their destinations: no rule without `to`, and no 0.0.0.0/0 or ::/0 block that does not except the private and link-local ranges (cluster, VPC and instance metadata).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Give every egress rule a `to`; where it must reach the internet, except 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 169.254.0.0/16 (IPv6: fc00::/7, fe80::/10) from the /0 block.",
    validateResource: (args, report) => {
      if (args.type !== "kubernetes:networking.k8s.io/v1:NetworkPolicy")
        args.notApplicable("not a NetworkPolicy");
      for (const [i, raw] of list(record(args.props.spec).egress).entries()) {
        const to = list(record(raw).to).map(record);
        if (to.length === 0) {
          report(`egress rule ${i} has no "to", so it allows every destination`);
          continue;
        }
        for (const peer of to) {
          const block = record(peer.ipBlock);
          if (typeof block.cidr !== "string" || !block.cidr.endsWith("/0")) continue;
          const family = block.cidr.includes(":") ? PRIVATE_RANGES_V6 : PRIVATE_RANGES_V4;
          const kept = family.filter((r) => !list(block.except).includes(r));
          if (kept.length > 0)
            report(`egress rule ${i} allows ${block.cidr} without excepting ${kept.join(", ")}`);
        }
      }
    },
  },
  {
    name: "k8s-namespace-default-deny",
    description:
      "Every namespace the stack creates has a default-deny NetworkPolicy: it selects every pod and allows no ingress and no egress, so only policies that name traffic open it.",
    // Advisory: Costline's namespace has the job's own policy only; a default deny would also cut
    // OpenCost off from Prometheus and the API server until it has a policy of its own.
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      'Add a NetworkPolicy in the namespace with podSelector {}, policyTypes ["Ingress", "Egress"] and no rules, and a policy per workload that allows what it needs.',
    validateStack: (args, report) => {
      const namespaces = args.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
      if (namespaces.length === 0) args.notApplicable("no namespace is created");
      const policies = args.resources.filter(
        (r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      );
      eachKnown(namespaces, (ns) => {
        const name = record(ns.props.metadata).name;
        const denies = policies.some((p) => {
          const spec = record(p.props.spec);
          const types = list(spec.policyTypes);
          return (
            record(p.props.metadata).namespace === name &&
            Object.keys(record(record(spec.podSelector).matchLabels)).length === 0 &&
            list(record(spec.podSelector).matchExpressions).length === 0 &&
            types.includes("Ingress") &&
            types.includes("Egress") &&
            list(spec.ingress).length === 0 &&
            list(spec.egress).length === 0
          );
        });
        if (!denies) report(`namespace "${name}" has no default-deny NetworkPolicy`, ns.urn);
      });
    },
  },
];
