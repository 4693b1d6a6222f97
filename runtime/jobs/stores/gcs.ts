import type { Bucket } from "@google-cloud/storage";
import { withRetry } from "../shared/retry";
import { keyJoin, type ObjectStore } from "./store";

const notFound = (e: unknown) => (e as { code?: number }).code === 404;

/**
 * A Cloud Storage bucket and prefix as an object store (the bucket's client carries the identity).
 * Uploads are single requests (multipart, not resumable): the job writes files of tens of MB,
 * and a failed one is retried whole.
 */
export function gcsStore(bucket: Bucket, prefix = ""): ObjectStore {
  const full = (key: string) => keyJoin(prefix, key);
  return {
    url: `gs://${bucket.name}/${prefix}`,
    async put(key, body) {
      await withRetry(() =>
        bucket
          .file(full(key))
          .save(typeof body === "string" ? Buffer.from(body) : body, { resumable: false }),
      );
    },
    async putFile(key, file) {
      await withRetry(() => bucket.upload(file, { destination: full(key), resumable: false }));
    },
    async get(key) {
      try {
        const [data] = await withRetry(() => bucket.file(full(key)).download());
        return data;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
    async list(listPrefix) {
      const [files] = await withRetry(() =>
        bucket.getFiles({ prefix: full(listPrefix), autoPaginate: true }),
      );
      return files.map((f) => (prefix ? f.name.slice(keyJoin(prefix).length + 1) : f.name)).sort();
    },
    async delete(keys) {
      for (const key of keys) await withRetry(() => bucket.file(full(key)).delete({ ignoreNotFound: true }));
    },
  };
}
