import type { CostManagementClient } from "@azure/arm-costmanagement";
import type { ContainerClient } from "@azure/storage-blob";
import { withRetry } from "../shared/retry";
import type { ExportsApi } from "./export-health";

/** The Cost Management API version the exports are deployed at (components/azure/export-template.ts). */
export const EXPORTS_API_VERSION = "2025-03-01";

/**
 * Cost Management's export operations for the job. Scopes are written as ARM ids
 * (`/subscriptions/<id>`); the SDK puts the scope after a slash of its own, so the leading one goes.
 */
export function exportsApi(client: CostManagementClient): ExportsApi {
  const bare = (scope: string) => scope.replace(/^\/+/, "");
  return {
    get: (scope, name) => client.exports.get(bare(scope), name),
    getExecutionHistory: (scope, name) => client.exports.getExecutionHistory(bare(scope), name),
    execute: (scope, name) => client.exports.execute(bare(scope), name),
  };
}

/** Streams a blob of the container to a local file, retrying throttling and transient faults. */
export function blobDownloader(container: ContainerClient): (key: string, file: string) => Promise<void> {
  return async (key, file) => {
    await withRetry(() => container.getBlobClient(key).downloadToFile(file));
  };
}
