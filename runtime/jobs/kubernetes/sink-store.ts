import type { ObjectStore } from "../stores/store";
import { KUBERNETES_JOB_ENV } from "../../../components/kubernetes/job-contract";

/**
 * The object store a COSTLINE_SINK_URL names (components/kubernetes/sink.ts writes it):
 * `s3://bucket[/prefix]`, `gs://bucket[/prefix]`, `https://<account>.blob.core.windows.net/<container>[/prefix]`
 * or `file:///path`. Each SDK is loaded only for its own kind and finds its keyless identity on
 * its own (IRSA, GKE Workload Identity, Azure Workload Identity env injected by the webhooks).
 */
export function storeFromSinkUrl(
  sinkUrl: string,
  env: NodeJS.ProcessEnv,
  /** Outside a pod (`costline collect` on a laptop): the Azure credential to use instead of the webhook's. */
  azureCredential?: import("@azure/identity").TokenCredential,
): ObjectStore {
  let url: URL;
  try {
    url = new URL(sinkUrl);
  } catch {
    throw new Error(
      `${KUBERNETES_JOB_ENV.sinkUrl} "${sinkUrl}" is not a URL; expected s3://, gs://, https://<account>.blob.core.windows.net/ or file://`,
    );
  }
  const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "");
  switch (url.protocol) {
    case "s3:": {
      if (!env.AWS_REGION) throw new Error("AWS_REGION is not set; the S3 sink needs the bucket's region");
      const { S3Client } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
      const { s3Store } = require("../stores/s3") as typeof import("../stores/s3");
      return s3Store(new S3Client({ region: env.AWS_REGION }), url.hostname, path);
    }
    case "gs:": {
      const { Storage } = require("@google-cloud/storage") as typeof import("@google-cloud/storage");
      const { gcsStore } = require("../stores/gcs") as typeof import("../stores/gcs");
      return gcsStore(new Storage().bucket(url.hostname), path);
    }
    case "https:": {
      const [container, ...prefix] = path.split("/");
      if (!container) throw new Error(`${KUBERNETES_JOB_ENV.sinkUrl} "${sinkUrl}" names no container`);
      const { ContainerClient } = require("@azure/storage-blob") as typeof import("@azure/storage-blob");
      const { WorkloadIdentityCredential } = require("@azure/identity") as typeof import("@azure/identity");
      const { azureBlobStore } = require("../stores/azure-blob") as typeof import("../stores/azure-blob");
      if (azureCredential) {
        return azureBlobStore(
          new ContainerClient(`${url.origin}/${container}`, azureCredential),
          prefix.join("/"),
        );
      }
      const injected = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"].filter(
        (n) => !env[n],
      );
      if (injected.length > 0) {
        throw new Error(
          `${injected.join(", ")} not set: the Azure Workload Identity webhook injects them into pods labelled azure.workload.identity/use=true whose service account names a client id`,
        );
      }
      const credential = new WorkloadIdentityCredential({
        clientId: env.AZURE_CLIENT_ID,
        tenantId: env.AZURE_TENANT_ID,
        tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE,
      });
      return azureBlobStore(new ContainerClient(`${url.origin}/${container}`, credential), prefix.join("/"));
    }
    case "file:": {
      const { localStore } = require("../stores/local") as typeof import("../stores/local");
      return localStore(`/${path}`);
    }
    default:
      throw new Error(
        `${KUBERNETES_JOB_ENV.sinkUrl} "${sinkUrl}" has an unknown scheme ${url.protocol}; use s3://, gs://, https:// (Azure Blob) or file://`,
      );
  }
}
