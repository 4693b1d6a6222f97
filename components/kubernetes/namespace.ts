import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface CostNamespaceArgs {
  /** The cluster's provider; every child uses it explicitly. */
  provider: k8s.Provider;
  /** Namespace name (already a legal Kubernetes name). */
  name: string;
  /** Tenant labels, from `kubernetesLabels`. */
  labels: Readonly<Record<string, string>>;
}

/** The Pod Security Standard every Costline pod must meet. */
export const POD_SECURITY_LEVEL = "restricted";

/**
 * The namespace that holds OpenCost and the normalization job. The API server itself enforces the
 * `restricted` Pod Security Standard here, so a pod that asks for root, privilege escalation,
 * host access or extra capabilities is refused even if a template is later loosened.
 */
export class CostNamespace extends pulumi.ComponentResource {
  /** The namespace's name, known once it exists (children that use it wait for it). */
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: CostNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:kubernetes:Namespace", name, {}, opts);
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: args.name,
          labels: {
            ...args.labels,
            "pod-security.kubernetes.io/enforce": POD_SECURITY_LEVEL,
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": POD_SECURITY_LEVEL,
            "pod-security.kubernetes.io/warn": POD_SECURITY_LEVEL,
          },
        },
      },
      { parent: this, provider: args.provider },
    );
    this.name = namespace.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}
