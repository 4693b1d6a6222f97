import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { withRetry } from "../shared/retry";
import { keyJoin, type ObjectStore } from "./store";

/** An S3 bucket and prefix as an object store; every call retries throttling. */
export function s3Store(client: S3Client, bucket: string, prefix = ""): ObjectStore {
  const full = (key: string) => keyJoin(prefix, key);
  return {
    url: `s3://${bucket}/${prefix}`,
    async put(key, body) {
      await withRetry(() =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key: full(key), Body: body })),
      );
    },
    async putFile(key, file) {
      const { size } = await stat(file);
      await withRetry(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: full(key),
            Body: createReadStream(file),
            ContentLength: size,
          }),
        ),
      );
    },
    async get(key) {
      try {
        const out = await withRetry(() =>
          client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) })),
        );
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (e) {
        if (e instanceof NoSuchKey || (e as Error).name === "NoSuchKey") return undefined;
        throw e;
      }
    },
    async list(listPrefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await withRetry(() =>
          client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: full(listPrefix), ContinuationToken: token }),
          ),
        );
        for (const o of page.Contents ?? [])
          if (o.Key) keys.push(prefix ? o.Key.slice(keyJoin(prefix).length + 1) : o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000).map((k) => ({ Key: full(k) }));
        const out = await withRetry(() =>
          client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch } })),
        );
        if (out.Errors?.length)
          throw new Error(`could not delete ${out.Errors.map((e) => `${e.Key}: ${e.Code}`).join(", ")}`);
      }
    },
  };
}
