// `costline/gcp`: the GCP side of a tenant's pipeline, each concern a component.
export { GcpProjectApis, type GcpProjectApisArgs } from "./apis";
export { GcpAuditLogging, type GcpAuditLoggingArgs } from "./audit-logging";
export { GcpBillingExport, type GcpBillingExportArgs } from "./billing-export";
export { GcpConnectionSecret, type GcpConnectionSecretArgs } from "./connection-secret";
export { GcpCostViews, type GcpCostViewsArgs } from "./cost-views";
export { GcpJobIdentity, type GcpJobIdentityArgs } from "./job-identity";
export { GcpNormalizationJob, type GcpNormalizationJobArgs } from "./normalization-job";
export { GcpNormalizedDataset, type GcpNormalizedDatasetArgs } from "./normalized-dataset";
export { GcpCostPipeline, type GcpCostPipelineArgs } from "./pipeline";
export { GcpPlatformAccess, type GcpPlatformAccessArgs } from "./platform-access";
