// `costline/kubernetes`: a cluster's side of a tenant's pipeline, each concern a component.
export type { AthenaCloudCost, BigQueryCloudCost, OpenCostCloudCost } from "./cloud-cost";
export { CostNamespace, type CostNamespaceArgs } from "./namespace";
export { NormalizationJob, type NormalizationJobArgs } from "./normalization-job";
export { OPENCOST_CHART, OpenCost, type OpenCostArgs } from "./opencost";
export {
  KubernetesCostPipeline,
  type KubernetesCostPipelineArgs,
  type NormalizerIdentity,
  normalizerIdentity,
} from "./pipeline";
export type { AzureBlobSink, GcsSink, KubernetesSink, S3Sink, VolumeSink } from "./sink";
