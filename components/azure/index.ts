// `costline/azure`: the Azure side of a tenant's pipeline, each concern a component.
export { AzureAuditLogging, type AzureAuditLoggingArgs } from "./audit-logging";
export { AzureCostExports, type AzureCostExportsArgs } from "./exports";
export { AzureJobIdentity, type AzureJobIdentityArgs } from "./identity";
export { AzureNormalizationJob, type AzureNormalizationJobArgs } from "./job";
export { AzureJobNetwork, type AzureJobNetworkArgs } from "./network";
export { AzureCostPipeline, type AzureCostPipelineArgs } from "./pipeline";
export { AzureExportPolicy, type AzureExportPolicyArgs } from "./policy";
export { AzureCostStorage, type AzureCostStorageArgs } from "./storage";
export { AzureCostVault, type AzureCostVaultArgs } from "./vault";
