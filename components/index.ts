// `costline`: a tenant's whole pipeline and the tenant schema; each cloud's components are
// `costline/aws`, `costline/gcp`, `costline/azure` and `costline/kubernetes`.
export {
  type AuditConfig,
  type AwsConfig,
  type AzureConfig,
  type ConfigProblem,
  type GcpConfig,
  type KubernetesCluster,
  type KubernetesConfig,
  parseTenantConfig,
  parseTenantText,
  TenantConfig,
  TenantConfigError,
} from "./tenant/config";
export { type JobArtifacts, TenantCostPipeline, type TenantCostPipelineArgs } from "./tenant/pipeline";
export type { Kubeconfigs, TenantProviders } from "./tenant/providers";
export { Tenant, type TenantArgs } from "./tenant/tenant";
