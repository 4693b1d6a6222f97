import type { ContainerClient } from "@azure/storage-blob";
import { withRetry } from "../shared/retry";
import { keyJoin, type ObjectStore } from "./store";

/** An Azure Blob container and prefix as an object store (identity-based: the client carries the credential). */
export function azureBlobStore(container: ContainerClient, prefix = ""): ObjectStore {
  const full = (key: string) => keyJoin(prefix, key);
  return {
    url: `${container.url}/${prefix}`,
    async put(key, body) {
      const data = typeof body === "string" ? Buffer.from(body) : body;
      await withRetry(() => container.getBlockBlobClient(full(key)).uploadData(data));
    },
    async putFile(key, file) {
      await withRetry(() => container.getBlockBlobClient(full(key)).uploadFile(file));
    },
    async get(key) {
      try {
        return await withRetry(() => container.getBlockBlobClient(full(key)).downloadToBuffer());
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },
    async list(listPrefix) {
      const keys: string[] = [];
      for await (const blob of container.listBlobsFlat({ prefix: full(listPrefix) })) {
        keys.push(prefix ? blob.name.slice(keyJoin(prefix).length + 1) : blob.name);
      }
      return keys.sort();
    },
    async delete(keys) {
      for (const key of keys) await withRetry(() => container.getBlockBlobClient(full(key)).deleteIfExists());
    },
  };
}
