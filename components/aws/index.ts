// `costline/aws`: the AWS side of a tenant's pipeline, each concern a component.
export { AuditTrail, type AuditTrailArgs } from "./audit-trail";
export { CostCatalog, type CostCatalogArgs } from "./catalog";
export { ConnectorRole, type ConnectorRoleArgs } from "./connector-role";
export { DataExports, type DataExportsArgs } from "./data-exports";
export { ExportBucket, type ExportBucketArgs } from "./export-bucket";
export { MemberMetricsRoles, type MemberMetricsRolesArgs } from "./member-metrics";
export { NormalizationJob, type NormalizationJobArgs } from "./normalization-job";
export { AwsCostPipeline, type AwsCostPipelineArgs } from "./pipeline";
