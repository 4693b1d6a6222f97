import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { withRetry } from "../shared/retry";

/** The one method of the S3 client the job uses. */
export interface S3ClientLike {
  send(command: unknown): Promise<unknown>;
}

export interface ListedObject {
  key: string;
  lastModified: Date;
}

/** Every object under a prefix (all pages). */
export async function listObjects(s3: S3ClientLike, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = (await withRetry(() =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    )) as ListObjectsV2CommandOutput;
    for (const o of page.Contents ?? []) {
      if (o.Key && o.LastModified) objects.push({ key: o.Key, lastModified: o.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** Deletes objects (1000 keys a request); an error names the keys that stayed. */
export async function deleteKeys(s3: S3ClientLike, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const out = (await withRetry(() =>
      s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      ),
    )) as { Errors?: { Key?: string; Code?: string }[] };
    if (out.Errors?.length) {
      throw new Error(
        `could not delete ${out.Errors.length} object(s) in s3://${bucket}: ${out.Errors.map((e) => `${e.Key} (${e.Code})`).join(", ")}`,
      );
    }
  }
}

/** Deletes every object under a prefix. */
export async function deletePrefix(s3: S3ClientLike, bucket: string, prefix: string): Promise<void> {
  await deleteKeys(
    s3,
    bucket,
    (await listObjects(s3, bucket, prefix)).map((o) => o.key),
  );
}

export async function putJson(s3: S3ClientLike, bucket: string, key: string, value: unknown): Promise<void> {
  await withRetry(() =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(value, null, 2)}\n`,
        ContentType: "application/json",
      }),
    ),
  );
}
