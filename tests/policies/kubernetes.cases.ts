import { type PolicyCase, resource } from "./harness";

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
];
