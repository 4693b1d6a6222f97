import { request } from "node:https";
import type { TenantConfig } from "../../../components/tenant/config";
import type { PermissionCheck, Requirement, VerifyReport } from "./types";

/** What a SelfSubjectAccessReview asks: may the subject do `verb` on `resource` (named) in `namespace`? */
export interface ResourceAttributes {
  namespace: string;
  verb: string;
  resource: string;
  name?: string;
  group?: string;
}

export interface AccessReviewer {
  review(attributes: ResourceAttributes): Promise<{ allowed: boolean; reason?: string }>;
}

/**
 * SelfSubjectAccessReview on the API server. With `impersonate` the review is made as that user
 * (the job's service account), which needs the caller to hold `impersonate` on it.
 */
export function apiServerReviewer(options: {
  server: string;
  token: string;
  ca?: Buffer;
  impersonate?: string;
}): AccessReviewer {
  return {
    review: (attributes) =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({
          apiVersion: "authorization.k8s.io/v1",
          kind: "SelfSubjectAccessReview",
          spec: { resourceAttributes: attributes },
        });
        const req = request(
          new URL("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", options.server),
          {
            method: "POST",
            ca: options.ca,
            headers: {
              authorization: `Bearer ${options.token}`,
              "content-type": "application/json",
              ...(options.impersonate ? { "impersonate-user": options.impersonate } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              if ((res.statusCode ?? 500) >= 300) {
                reject(
                  new Error(`SelfSubjectAccessReview answered ${res.statusCode}: ${text.slice(0, 300)}`),
                );
                return;
              }
              const status = (JSON.parse(text) as { status?: { allowed?: boolean; reason?: string } }).status;
              resolve({ allowed: status?.allowed === true, reason: status?.reason });
            });
          },
        );
        req.on("error", reject);
        req.end(body);
      }),
  };
}

interface KubernetesRequirement extends Requirement {
  attributes: ResourceAttributes;
  /** The service-account subject the review is for. */
  subject: string;
}

/** Per cluster: the job's service account must read the OpenCost Service and its endpoints, by name. */
export function kubernetesRequirements(tenant: TenantConfig): KubernetesRequirement[] {
  const clusters = tenant.kubernetes?.clusters;
  if (!clusters?.length)
    throw new Error("the tenant has no kubernetes clusters; nothing to verify for --cloud kubernetes");
  // The component owns these names; loaded here only, as it brings the Kubernetes SDK.
  const { normalizerIdentity } =
    require("../../../components/kubernetes/pipeline") as typeof import("../../../components/kubernetes/pipeline");
  const { physicalName } =
    require("../../../components/core/naming") as typeof import("../../../components/core/naming");
  const opencost = physicalName("kubernetes", tenant.tenantId, "opencost");
  return clusters.flatMap((cluster) => {
    const id = normalizerIdentity(tenant, cluster);
    return ["services", "endpoints"].map((resource) => ({
      permission: `get ${resource}`,
      resource: `${cluster.name}: ${id.namespace}/${resource}/${opencost}`,
      why: "find the OpenCost API",
      grant: `a Role in ${id.namespace} with get on ${resource} named ${opencost}, bound to ${id.subject} (pulumi up creates it)`,
      attributes: { namespace: id.namespace, verb: "get", resource, name: opencost },
      subject: id.subject,
    }));
  });
}

/** Reviews each requirement as the job's service account, on the cluster the reviewer talks to. */
export async function verifyKubernetes(
  reviewerFor: (subject: string) => AccessReviewer,
  tenant: TenantConfig,
  cluster?: string,
): Promise<VerifyReport> {
  const all = kubernetesRequirements(tenant);
  const names = [...new Set(all.map((r) => r.resource.split(":")[0]!))];
  if (!cluster && names.length > 1) {
    throw new Error(
      `the tenant has ${names.length} clusters (${names.join(", ")}); name the one the API server belongs to with --cluster`,
    );
  }
  const requirements = cluster ? all.filter((r) => r.resource.startsWith(`${cluster}: `)) : all;
  if (requirements.length === 0)
    throw new Error(`cluster "${cluster}" is not in the tenant's kubernetes.clusters`);
  const checks: PermissionCheck[] = [];
  for (const { attributes, subject, ...r } of requirements) {
    const answer = await reviewerFor(subject).review(attributes);
    checks.push({
      ...r,
      allowed: answer.allowed,
      detail: answer.allowed ? undefined : answer.reason || "denied",
    });
  }
  return {
    cloud: "kubernetes",
    identity: [...new Set(requirements.map((r) => r.subject))].join(", "),
    checks,
    audit: [],
    notChecked: [
      "the sink's cloud permissions: verify them with --cloud aws, gcp or azure for the sink's identity",
      "the cluster's audit log: the API server's audit policy and log backend are the cluster operator's, not the stack's; the sink's object reads are in its cloud's trail (verify --cloud aws, gcp or azure)",
    ],
  };
}
