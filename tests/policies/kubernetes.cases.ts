import { type PolicyCase, providerResource, resource } from "./harness";

const hardened = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};
const container = (extra: Record<string, unknown> = {}) => ({
  name: "normalize",
  image: "ghcr.io/costline/runtime:1.4.2",
  securityContext: hardened,
  resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  ...extra,
});
const cronJob = (
  podSpec: Record<string, unknown>,
  spec: Record<string, unknown> = { concurrencyPolicy: "Forbid" },
) =>
  resource("kubernetes:batch/v1:CronJob", "normalize", {
    metadata: { name: "costline-normalize", namespace: "costline" },
    spec: {
      schedule: "0 6 * * *",
      ...spec,
      jobTemplate: { spec: { backoffLimit: 2, template: { spec: { restartPolicy: "Never", ...podSpec } } } },
    },
  });
const deployment = (podSpec: Record<string, unknown>) =>
  resource("kubernetes:apps/v1:Deployment", "opencost", {
    metadata: { name: "opencost" },
    spec: {
      selector: { matchLabels: { app: "opencost" } },
      template: { metadata: { labels: { app: "opencost" } }, spec: podSpec },
    },
  });

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const role = (kind: "Role" | "ClusterRole", rules: Record<string, unknown>[]) =>
  resource(`${RBAC}:${kind}`, "reader", {
    metadata: { name: "costline-reader", namespace: "costline" },
    rules,
  });
const saSubject = (name: string) => ({ kind: "ServiceAccount", name, namespace: "costline" });
const binding = (
  kind: "RoleBinding" | "ClusterRoleBinding",
  roleRef: Record<string, unknown>,
  subjects: unknown[],
) =>
  resource(`${RBAC}:${kind}`, "binding", {
    metadata: { name: "costline", namespace: "costline" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  });
const serviceAccount = (extra: Record<string, unknown>) =>
  resource("kubernetes:core/v1:ServiceAccount", "account", {
    metadata: { name: "costline-normalizer", namespace: "costline" },
    ...extra,
  });
const networkPolicy = (egress: unknown[]) =>
  resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "job-network", {
    metadata: { name: "costline-normalizer", namespace: "costline" },
    spec: {
      podSelector: { matchLabels: { app: "normalizer" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress,
    },
  });
const namespace = () =>
  resource("kubernetes:core/v1:Namespace", "namespace", { metadata: { name: "costline" } });
const defaultDeny = () =>
  resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny", {
    metadata: { name: "default-deny", namespace: "costline" },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
const namespacedProvider = providerResource("kubernetes", "cluster", { namespace: "costline" });

export const kubernetesCases: PolicyCase[] = [
  {
    policy: "k8s-no-api-token",
    what: "a CronJob whose pod mounts the API token by default",
    compliant: [
      cronJob({
        serviceAccountName: "normalizer",
        automountServiceAccountToken: false,
        containers: [container()],
      }),
    ],
    violating: [cronJob({ serviceAccountName: "normalizer", containers: [container()] })],
    message: /the pod of service account "normalizer" mounts a Kubernetes API token/,
  },
  {
    policy: "k8s-no-api-token",
    what: "a listed API client, and a Deployment mounting the default account's token",
    config: { "k8s-no-api-token": { apiClients: ["opencost"] } },
    compliant: [deployment({ serviceAccountName: "opencost", containers: [container()] })],
    violating: [deployment({ automountServiceAccountToken: true, containers: [container()] })],
    message: /the pod of service account "default" mounts a Kubernetes API token/,
  },
  {
    policy: "k8s-run-as-non-root",
    what: "a container running as UID 0",
    compliant: [
      cronJob({
        securityContext: { runAsNonRoot: true, runAsUser: 65532 },
        containers: [container({ securityContext: { ...hardened, runAsNonRoot: undefined } })],
      }),
    ],
    violating: [
      cronJob({
        containers: [container({ securityContext: { ...hardened, runAsNonRoot: undefined, runAsUser: 0 } })],
      }),
    ],
    message: /container "normalize" runs as root \(runAsUser: 0\)/,
  },
  {
    policy: "k8s-run-as-non-root",
    what: "an init container that may run as root",
    compliant: [deployment({ containers: [container()] })],
    violating: [
      deployment({
        initContainers: [container({ name: "migrate", securityContext: {} })],
        containers: [container()],
      }),
    ],
    message: /initContainer "migrate" may run as root/,
  },
  {
    policy: "k8s-no-privilege-escalation",
    what: "a privileged container",
    compliant: [cronJob({ containers: [container()] })],
    violating: [cronJob({ containers: [container({ securityContext: { ...hardened, privileged: true } })] })],
    message: /container "normalize" is privileged/,
  },
  {
    policy: "k8s-drop-capabilities",
    what: "a container adding NET_ADMIN",
    compliant: [cronJob({ containers: [container()] })],
    violating: [
      cronJob({
        containers: [
          container({
            securityContext: { ...hardened, capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } },
          }),
        ],
      }),
    ],
    message: /container "normalize" adds capabilities NET_ADMIN/,
  },
  {
    policy: "k8s-drop-capabilities",
    what: "an allowed capability from config, and one not dropped",
    config: { "k8s-drop-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } },
    compliant: [
      deployment({
        containers: [
          container({
            securityContext: { ...hardened, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } },
          }),
        ],
      }),
    ],
    violating: [
      deployment({
        containers: [
          container({ securityContext: { ...hardened, capabilities: { add: ["NET_BIND_SERVICE"] } } }),
        ],
      }),
    ],
    message: /does not drop ALL capabilities/,
  },
  {
    policy: "k8s-resource-limits",
    what: "a container without a memory limit",
    compliant: [cronJob({ containers: [container()] })],
    violating: [
      cronJob({ containers: [container({ resources: { requests: { cpu: "100m", memory: "256Mi" } } })] }),
    ],
    message: /container "normalize" has no limits\.memory/,
  },
  {
    policy: "k8s-no-host-path",
    what: "a hostPath volume",
    compliant: [deployment({ containers: [container()], volumes: [{ name: "tmp", emptyDir: {} }] })],
    violating: [
      deployment({
        containers: [container({ volumeMounts: [{ name: "docker", mountPath: "/var/run/docker.sock" }] })],
        volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
      }),
    ],
    message: /volume "docker" mounts the host path \/var\/run\/docker\.sock/,
  },
  {
    policy: "k8s-no-host-path",
    what: "an allowed host path mounted writable",
    config: { "k8s-no-host-path": { allowedHostPaths: ["/proc"] } },
    compliant: [
      deployment({
        containers: [
          container({ volumeMounts: [{ name: "proc", mountPath: "/host/proc", readOnly: true }] }),
        ],
        volumes: [{ name: "proc", hostPath: { path: "/proc" } }],
      }),
    ],
    violating: [
      deployment({
        containers: [container({ volumeMounts: [{ name: "proc", mountPath: "/host/proc" }] })],
        volumes: [{ name: "proc", hostPath: { path: "/proc" } }],
      }),
    ],
    message: /mounts the allowed host path \/proc writable/,
  },
  {
    policy: "k8s-no-host-namespaces",
    what: "a pod on the host network",
    compliant: [deployment({ containers: [container()] })],
    violating: [deployment({ hostNetwork: true, hostPID: true, containers: [container()] })],
    message: /shares the node's namespaces: hostNetwork, hostPID/,
  },
  {
    policy: "k8s-read-only-root-filesystem",
    what: "a writable root filesystem",
    compliant: [cronJob({ containers: [container()] })],
    violating: [
      cronJob({
        containers: [container({ securityContext: { ...hardened, readOnlyRootFilesystem: false } })],
      }),
    ],
    message: /container "normalize" has a writable root filesystem/,
  },
  {
    policy: "k8s-no-plaintext-secrets",
    what: "a password as a literal env value",
    compliant: [
      cronJob({
        containers: [
          container({
            env: [
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
              { name: "SECRET_NAME", value: "tenant-acme-kubernetes-prod-eks" },
            ],
          }),
        ],
      }),
    ],
    violating: [cronJob({ containers: [container({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] })] })],
    message: /container "normalize"'s environment holds secrets in plain text: DB_PASSWORD/,
  },
  {
    policy: "k8s-cronjob-no-overlap",
    what: "a CronJob allowed to overlap",
    compliant: [cronJob({ containers: [container()] })],
    violating: [cronJob({ containers: [container()] }, {})],
    message: /concurrencyPolicy is Allow \(the default\); runs may overlap/,
  },
  {
    policy: "k8s-image-pinned",
    what: "an image on latest",
    compliant: [cronJob({ containers: [container({ image: "ghcr.io/costline/runtime@sha256:0123abcd" })] })],
    violating: [cronJob({ containers: [container({ image: "ghcr.io/costline/runtime:latest" })] })],
    message: /uses the unpinned image "ghcr\.io\/costline\/runtime:latest"/,
  },
  {
    policy: "k8s-no-api-token",
    what: "a ServiceAccount that offers its token by default",
    compliant: [serviceAccount({ automountServiceAccountToken: false })],
    violating: [serviceAccount({})],
    message: /service account "costline-normalizer" lets its pods mount a Kubernetes API token by default/,
  },
  {
    policy: "k8s-resource-limits",
    what: "a CPU limit required by config",
    config: { "k8s-resource-limits": { requireCpuLimit: true } },
    compliant: [
      cronJob({
        containers: [
          container({
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
          }),
        ],
      }),
    ],
    violating: [cronJob({ containers: [container()] })],
    message: /container "normalize" has no limits\.cpu/,
  },
  {
    policy: "k8s-seccomp-runtime-default",
    what: "a container without a seccomp profile",
    compliant: [
      cronJob({ securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [container()] }),
    ],
    violating: [cronJob({ containers: [container()] })],
    message: /container "normalize" runs with seccomp profile unset/,
  },
  {
    policy: "k8s-seccomp-runtime-default",
    what: "a container overriding the pod's profile with Unconfined, and AppArmor Unconfined",
    compliant: [
      deployment({
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          container({
            securityContext: {
              ...hardened,
              seccompProfile: { type: "Localhost", localhostProfile: "p.json" },
            },
          }),
        ],
      }),
    ],
    violating: [
      deployment({
        securityContext: {
          seccompProfile: { type: "RuntimeDefault" },
          appArmorProfile: { type: "Unconfined" },
        },
        containers: [container({ securityContext: { ...hardened, seccompProfile: { type: "Unconfined" } } })],
      }),
    ],
    message: /container "normalize" runs with seccomp profile Unconfined/,
  },
  {
    policy: "k8s-no-host-ports",
    what: "a container bound to a node port",
    compliant: [deployment({ containers: [container({ ports: [{ containerPort: 9003 }] })] })],
    violating: [
      deployment({ containers: [container({ ports: [{ containerPort: 9003, hostPort: 9003 }] })] }),
    ],
    message: /container "normalize" binds host port 9003/,
  },
  {
    policy: "k8s-no-unsafe-kernel-settings",
    what: "an unsafe sysctl and an unmasked /proc",
    compliant: [
      deployment({
        securityContext: { sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }] },
        containers: [
          container({ securityContext: { ...hardened, seLinuxOptions: { type: "container_t" } } }),
        ],
      }),
    ],
    violating: [
      deployment({
        securityContext: { sysctls: [{ name: "kernel.msgmax", value: "65536" }] },
        containers: [container({ securityContext: { ...hardened, procMount: "Unmasked" } })],
      }),
    ],
    message: /the pod sets unsafe sysctls kernel\.msgmax/,
  },
  {
    policy: "k8s-no-unsafe-kernel-settings",
    what: "a custom SELinux type, and a Windows host process",
    compliant: [deployment({ containers: [container()] })],
    violating: [
      deployment({
        securityContext: { windowsOptions: { hostProcess: true } },
        containers: [container({ securityContext: { ...hardened, seLinuxOptions: { type: "spc_t" } } })],
      }),
    ],
    message: /container "normalize" sets the SELinux type spc_t/,
  },
  {
    policy: "k8s-volume-types",
    what: "an NFS volume",
    compliant: [
      cronJob({ containers: [container()], volumes: [{ name: "tmp", emptyDir: { sizeLimit: "4Gi" } }] }),
    ],
    violating: [
      cronJob({
        containers: [container()],
        volumes: [{ name: "share", nfs: { server: "10.0.0.5", path: "/x" } }],
      }),
    ],
    message: /volume "share" is of type nfs/,
  },
  {
    policy: "k8s-run-as-high-ids",
    what: "a low UID and the root group",
    compliant: [
      cronJob({
        securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 },
        containers: [container()],
      }),
    ],
    violating: [
      cronJob({
        securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 0 },
        containers: [container()],
      }),
    ],
    message: /the pod sets runAsUser 1000, below 10000/,
  },
  {
    policy: "k8s-run-as-high-ids",
    what: "a supplemental root group",
    compliant: [cronJob({ securityContext: { supplementalGroups: [65532] }, containers: [container()] })],
    violating: [cronJob({ securityContext: { supplementalGroups: [0] }, containers: [container()] })],
    message: /the pod runs with the root group \(0\)/,
  },
  {
    policy: "k8s-no-default-service-account",
    what: "a pod running as the default service account",
    compliant: [cronJob({ serviceAccountName: "costline-normalizer", containers: [container()] })],
    violating: [cronJob({ containers: [container()] })],
    message: /the pod runs as the default service account/,
  },
  {
    policy: "k8s-no-default-service-account",
    what: "a role bound to the default service account",
    compliant: [
      binding("RoleBinding", { kind: "Role", name: "costline" }, [saSubject("costline-normalizer")]),
    ],
    violating: [binding("RoleBinding", { kind: "Role", name: "costline" }, [saSubject("default")])],
    message: /binds costline to the default service account/,
  },
  {
    policy: "k8s-secrets-as-files",
    what: "a Secret read through the environment",
    compliant: [
      cronJob({
        containers: [container({ volumeMounts: [{ name: "conn", mountPath: "/secrets", readOnly: true }] })],
        volumes: [{ name: "conn", secret: { secretName: "conn" } }],
      }),
    ],
    violating: [
      cronJob({
        containers: [
          container({
            env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }],
          }),
        ],
      }),
    ],
    message: /reads Secrets through its environment: DB_PASSWORD/,
  },
  {
    policy: "k8s-trusted-registries",
    what: "an image from Docker Hub",
    compliant: [cronJob({ containers: [container({ image: "ghcr.io/costline/job:0.1.0" })] })],
    violating: [cronJob({ containers: [container({ image: "docker.io/library/node:22" })] })],
    message: /pulls "docker\.io\/library\/node:22" from outside ghcr\.io\/costline\//,
  },
  {
    policy: "k8s-no-default-namespace",
    what: "a CronJob with no namespace",
    compliant: [cronJob({ containers: [container()] })],
    violating: [
      resource("kubernetes:batch/v1:CronJob", "normalize", {
        metadata: { name: "costline-normalize" },
        spec: {
          schedule: "0 6 * * *",
          jobTemplate: { spec: { template: { spec: { containers: [container()] } } } },
        },
      }),
    ],
    message: /placed in the default namespace/,
  },
  {
    policy: "k8s-no-default-namespace",
    what: "a chart in kube-system, and a role placed by its provider's namespace",
    compliant: [
      namespacedProvider,
      resource(
        `${RBAC}:Role`,
        "reader",
        { metadata: { name: "reader" }, rules: [] },
        { provider: namespacedProvider },
      ),
    ],
    violating: [
      resource("kubernetes:helm.sh/v4:Chart", "opencost", { chart: "opencost", namespace: "kube-system" }),
    ],
    message: /placed in the kube-system namespace/,
  },
  {
    policy: "k8s-no-privileged-bindings",
    what: "a ClusterRoleBinding to cluster-admin",
    compliant: [
      binding("RoleBinding", { kind: "Role", name: "costline" }, [saSubject("costline-normalizer")]),
    ],
    violating: [
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [
        saSubject("costline-normalizer"),
      ]),
    ],
    message: /binds cluster-admin/,
  },
  {
    policy: "k8s-no-privileged-bindings",
    what: "a RoleBinding to cluster-admin and to anonymous users",
    compliant: [
      binding("RoleBinding", { kind: "ClusterRole", name: "view" }, [saSubject("costline-normalizer")]),
    ],
    violating: [
      binding("RoleBinding", { kind: "ClusterRole", name: "view" }, [
        { kind: "User", name: "system:anonymous", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "Group", name: "system:unauthenticated", apiGroup: "rbac.authorization.k8s.io" },
      ]),
    ],
    message: /binds view to system:anonymous, system:unauthenticated/,
  },
  {
    policy: "k8s-rbac-no-wildcards",
    what: "wildcard verbs on a Role",
    compliant: [role("Role", [{ apiGroups: [""], resources: ["services"], verbs: ["get"] }])],
    violating: [role("Role", [{ apiGroups: [""], resources: ["services"], verbs: ["*"] }])],
    message: /rule 0 uses \* in verbs/,
  },
  {
    policy: "k8s-rbac-no-wildcards",
    what: "wildcard resources and groups on a ClusterRole",
    compliant: [role("ClusterRole", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"] }])],
    violating: [role("ClusterRole", [{ apiGroups: ["*"], resources: ["*"], verbs: ["get"] }])],
    message: /rule 0 uses \* in resources, apiGroups/,
  },
  {
    policy: "k8s-rbac-no-secret-access",
    what: "a role listing every Secret",
    compliant: [
      role("Role", [
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["tenant-acme"], verbs: ["get"] },
      ]),
    ],
    violating: [role("Role", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }])],
    message: /rule 0 grants get, list on all Secrets/,
  },
  {
    policy: "k8s-rbac-no-secret-access",
    what: "a named Secret that may be changed",
    compliant: [role("Role", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["update"] }])],
    violating: [
      role("Role", [
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["tenant-acme"], verbs: ["get", "update"] },
      ]),
    ],
    message: /rule 0 grants get, update on named Secrets/,
  },
  {
    policy: "k8s-rbac-no-escalation",
    what: "bind, escalate and impersonate",
    compliant: [
      role("ClusterRole", [
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["get"] },
      ]),
    ],
    violating: [
      role("ClusterRole", [
        {
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["clusterroles"],
          verbs: ["bind", "escalate"],
        },
        { apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] },
      ]),
    ],
    message: /rule 1 lets its holder bind, escalate or impersonate/,
  },
  {
    policy: "k8s-rbac-no-escalation",
    what: "exec into pods and creating role bindings",
    compliant: [role("Role", [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] }])],
    violating: [
      role("Role", [
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create"] },
      ]),
    ],
    message: /rule 1 lets its holder write roles or role bindings/,
  },
  {
    policy: "k8s-rbac-no-escalation",
    what: "the nodes proxy, admission webhooks, CSR approval and creating pods",
    compliant: [role("ClusterRole", [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] }])],
    violating: [
      role("ClusterRole", [
        { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] },
        {
          apiGroups: ["admissionregistration.k8s.io"],
          resources: ["mutatingwebhookconfigurations"],
          verbs: ["patch"],
        },
        {
          apiGroups: ["certificates.k8s.io"],
          resources: ["certificatesigningrequests/approval"],
          verbs: ["update"],
        },
        { apiGroups: [""], resources: ["pods"], verbs: ["create"] },
      ]),
    ],
    message: /rule 3 lets its holder create workloads/,
  },
  {
    policy: "k8s-network-egress-restricted",
    what: "TCP 443 to 0.0.0.0/0 without excepting private ranges",
    compliant: [
      networkPolicy([
        {
          ports: [{ port: 443, protocol: "TCP" }],
          to: [
            {
              ipBlock: {
                cidr: "0.0.0.0/0",
                except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"],
              },
            },
            { ipBlock: { cidr: "::/0", except: ["fc00::/7", "fe80::/10"] } },
          ],
        },
      ]),
    ],
    violating: [
      networkPolicy([{ ports: [{ port: 443, protocol: "TCP" }], to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }]),
    ],
    message: /egress rule 0 allows 0\.0\.0\.0\/0 without excepting 10\.0\.0\.0\/8/,
  },
  {
    policy: "k8s-network-egress-restricted",
    what: "an egress rule with no destination",
    compliant: [networkPolicy([{ to: [{ podSelector: { matchLabels: { app: "opencost" } } }] }])],
    violating: [networkPolicy([{ ports: [{ port: 53, protocol: "UDP" }] }])],
    message: /egress rule 0 has no "to", so it allows every destination/,
  },
  {
    policy: "k8s-namespace-default-deny",
    what: "a namespace without a default-deny policy",
    compliant: [namespace(), defaultDeny()],
    violating: [namespace(), networkPolicy([{ to: [{ podSelector: {} }] }])],
    message: /namespace "costline" has no default-deny NetworkPolicy/,
  },
  {
    policy: "k8s-namespace-default-deny",
    what: "a deny-all that still lets egress out",
    compliant: [namespace(), defaultDeny()],
    violating: [
      namespace(),
      resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny", {
        metadata: { name: "default-deny", namespace: "costline" },
        spec: { podSelector: {}, policyTypes: ["Ingress"] },
      }),
    ],
    on: "namespace",
    message: /has no default-deny NetworkPolicy/,
  },
  {
    policy: "k8s-no-privilege-escalation",
    what: "a container that may gain privileges",
    compliant: [cronJob({ containers: [container()] })],
    violating: [
      cronJob({
        containers: [container({ securityContext: { ...hardened, allowPrivilegeEscalation: true } })],
      }),
    ],
    message: /container "normalize" does not set allowPrivilegeEscalation: false/,
  },
  {
    policy: "k8s-no-host-namespaces",
    what: "a pod sharing the node's IPC namespace",
    compliant: [deployment({ hostIPC: false, containers: [container()] })],
    violating: [deployment({ hostIPC: true, containers: [container()] })],
    message: /shares the node's namespaces: hostIPC/,
  },
  {
    policy: "k8s-resource-limits",
    what: "a container with no requests or limits at all",
    compliant: [cronJob({ containers: [container()] })],
    violating: [cronJob({ containers: [container({ resources: {} })] })],
    message: /has no requests\.cpu, requests\.memory, limits\.memory/,
  },
  {
    policy: "k8s-image-pinned",
    what: "an image with no tag",
    compliant: [cronJob({ containers: [container({ image: "ghcr.io/costline/job:0.1.0" })] })],
    violating: [cronJob({ containers: [container({ image: "ghcr.io/costline/job" })] })],
    message: /uses the unpinned image "ghcr\.io\/costline\/job"/,
  },
  {
    policy: "k8s-seccomp-runtime-default",
    what: "an Unconfined AppArmor profile",
    compliant: [
      cronJob({
        securityContext: {
          seccompProfile: { type: "RuntimeDefault" },
          appArmorProfile: { type: "RuntimeDefault" },
        },
        containers: [container()],
      }),
    ],
    violating: [
      cronJob({
        securityContext: {
          seccompProfile: { type: "RuntimeDefault" },
          appArmorProfile: { type: "Unconfined" },
        },
        containers: [container()],
      }),
    ],
    message: /runs with AppArmor Unconfined/,
  },
  {
    policy: "k8s-no-unsafe-kernel-settings",
    what: "an unmasked /proc",
    compliant: [
      deployment({ containers: [container({ securityContext: { ...hardened, procMount: "Default" } })] }),
    ],
    violating: [
      deployment({ containers: [container({ securityContext: { ...hardened, procMount: "Unmasked" } })] }),
    ],
    message: /container "normalize" mounts \/proc Unmasked/,
  },
  {
    policy: "k8s-no-unsafe-kernel-settings",
    what: "a Windows host process",
    compliant: [
      deployment({ securityContext: { windowsOptions: { hostProcess: false } }, containers: [container()] }),
    ],
    violating: [
      deployment({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [container()] }),
    ],
    message: /the pod runs as a Windows host process/,
  },
  {
    policy: "k8s-run-as-high-ids",
    what: "a low group id",
    compliant: [cronJob({ securityContext: { runAsGroup: 65532 }, containers: [container()] })],
    violating: [cronJob({ securityContext: { runAsGroup: 1000 }, containers: [container()] })],
    message: /the pod sets runAsGroup 1000, below 10000/,
  },
  {
    policy: "k8s-no-privileged-bindings",
    what: "a RoleBinding to the cluster-admin ClusterRole, and to a Role of that name",
    compliant: [
      binding("RoleBinding", { kind: "ClusterRole", name: "edit" }, [saSubject("costline-normalizer")]),
    ],
    violating: [
      binding("RoleBinding", { kind: "Role", name: "cluster-admin" }, [saSubject("costline-normalizer")]),
    ],
    message: /binds cluster-admin/,
  },
  {
    policy: "k8s-no-privileged-bindings",
    what: "a binding to system:masters and all authenticated users",
    compliant: [
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "view" }, [
        saSubject("costline-normalizer"),
      ]),
    ],
    violating: [
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "view" }, [
        { kind: "Group", name: "system:masters", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" },
      ]),
    ],
    message: /binds view to system:masters, system:authenticated/,
  },
  ...(
    [
      ["bind", ["clusterroles"], ["bind"], /bind, escalate or impersonate/],
      ["escalate", ["roles"], ["escalate"], /bind, escalate or impersonate/],
      ["impersonate", ["serviceaccounts"], ["impersonate"], /bind, escalate or impersonate/],
      ["create role bindings", ["rolebindings"], ["create"], /write roles or role bindings/],
      ["patch ClusterRoleBindings", ["clusterrolebindings"], ["patch"], /write roles or role bindings/],
      ["update roles", ["roles"], ["update"], /write roles or role bindings/],
      ["patch webhooks", ["validatingwebhookconfigurations"], ["patch"], /change admission webhooks/],
      [
        "approve CSRs",
        ["certificatesigningrequests/approval"],
        ["update"],
        /approve certificate signing requests/,
      ],
      ["exec into pods", ["pods/exec"], ["create"], /exec or attach into pods/],
      ["attach to pods", ["pods/attach"], ["get"], /exec or attach into pods/],
      ["use the nodes proxy", ["nodes/proxy"], ["get"], /reach kubelets through nodes\/proxy/],
      ["create pods", ["pods"], ["create"], /create workloads/],
      ["create deployments", ["deployments"], ["create"], /create workloads/],
    ] as const
  ).map(
    ([what, resources, verbs, message]): PolicyCase => ({
      policy: "k8s-rbac-no-escalation",
      what: `a role that may ${what}`,
      compliant: [role("ClusterRole", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }])],
      violating: [role("ClusterRole", [{ apiGroups: [""], resources: [...resources], verbs: [...verbs] }])],
      message,
    }),
  ),
];
