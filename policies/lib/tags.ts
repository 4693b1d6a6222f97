import { shortHash } from "./hash";

/** Tenant tags as the TenantConfig holds them: free-form keys and values. */
export type TenantTags = Readonly<Record<string, string>>;

/** The key every Costline resource carries so that its cost can be traced back to the tenant. */
export const TENANT_TAG_KEY = "costline-tenant";

interface LabelRule {
  maxKey: number;
  maxValue: number;
  maxCount: number;
  key(k: string): string;
  value(v: string): string;
}

const awsRule: LabelRule = {
  // AWS: keys 128, values 256; letters, digits, spaces and _ . : / = + - @
  maxKey: 128,
  maxValue: 256,
  maxCount: 50,
  key: (k) => k.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, "_"),
  value: (v) => v.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, "_"),
};

const gcpRule: LabelRule = {
  // GCP labels: lowercase letters, digits, '_' and '-'; keys start with a letter; both 63 max.
  maxKey: 63,
  maxValue: 63,
  maxCount: 64,
  key: (k) => {
    const s = k.toLowerCase().replace(/[^\p{Ll}\p{N}_-]+/gu, "_");
    return /^\p{Ll}/u.test(s) ? s : `k${s}`;
  },
  value: (v) => v.toLowerCase().replace(/[^\p{Ll}\p{N}_-]+/gu, "_"),
};

const azureRule: LabelRule = {
  // Azure: names 512 (128 on storage accounts, so we keep 128), values 256; names exclude < > % & \ ? /
  maxKey: 128,
  maxValue: 256,
  maxCount: 50,
  key: (k) => k.replace(/[<>%&\\?/]/g, "_"),
  value: (v) => v,
};

const kubernetesRule: LabelRule = {
  // Kubernetes label names and values: 63, alphanumerics with - _ . inside, alphanumeric at both ends.
  maxKey: 63,
  maxValue: 63,
  maxCount: Number.POSITIVE_INFINITY,
  key: (k) => k8sSafe(k) || "key",
  value: (v) => k8sSafe(v),
};

function k8sSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

/** Cuts a value to `max`, ending in a short hash of the whole so that two long values stay distinct. */
function fitLength(value: string, max: number): string {
  if (value.length <= max) return value;
  const hash = shortHash(value);
  return `${value.slice(0, max - hash.length - 1)}-${hash}`;
}

function apply(rule: LabelRule, target: string, tenantId: string, tags: TenantTags): Record<string, string> {
  const out: Record<string, string> = {};
  const origin: Record<string, string> = {};
  for (const [rawKey, rawValue] of Object.entries({ ...tags, [TENANT_TAG_KEY]: tenantId })) {
    const key = fitLength(rule.key(rawKey), rule.maxKey);
    const value = fitLength(rule.value(rawValue), rule.maxValue);
    if (key in out && origin[key] !== rawKey) {
      // Two tenant tags that differ only in characters the target forbids would silently overwrite
      // each other; refuse instead, naming both, so the tenant renames one.
      throw new Error(
        `tags "${origin[key]}" and "${rawKey}" both become the ${target} key "${key}"; rename one of them in the tenant's tags`,
      );
    }
    out[key] = value;
    origin[key] = rawKey;
  }
  const count = Object.keys(out).length;
  if (count > rule.maxCount) {
    throw new Error(`${count} tags exceed the ${target} limit of ${rule.maxCount}; remove some tenant tags`);
  }
  return out;
}

/** AWS resource tags for a tenant (also used as the provider's defaultTags). */
export const awsTags = (tenantId: string, tags: TenantTags) => apply(awsRule, "AWS tag", tenantId, tags);
/** GCP labels for a tenant, following GCP's lowercase label charset. */
export const gcpLabels = (tenantId: string, tags: TenantTags) => apply(gcpRule, "GCP label", tenantId, tags);
/** Azure resource tags for a tenant. */
export const azureTags = (tenantId: string, tags: TenantTags) =>
  apply(azureRule, "Azure tag", tenantId, tags);
/** Kubernetes metadata labels for a tenant. */
export const kubernetesLabels = (tenantId: string, tags: TenantTags) =>
  apply(kubernetesRule, "Kubernetes label", tenantId, tags);
