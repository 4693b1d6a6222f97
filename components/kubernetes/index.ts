export type { AthenaCloudCost, BigQueryCloudCost, OpenCostCloudCost } from "./cloud-cost";
export { CostNamespace } from "./namespace";
export { NormalizationJob } from "./normalization-job";
export { OPENCOST_CHART, OpenCost } from "./opencost";
export {
  KubernetesCostPipeline,
  type KubernetesCostPipelineArgs,
  type NormalizerIdentity,
  normalizerIdentity,
} from "./pipeline";
export type { AzureBlobSink, GcsSink, KubernetesSink, S3Sink, VolumeSink } from "./sink";
