import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { azureBlobStore } from "../../../../runtime/jobs/stores/azure-blob";
import { localStore } from "../../../../runtime/jobs/stores/local";
import { currentFiles, publishPeriod } from "../../../../runtime/jobs/stores/publish";
import { s3Store } from "../../../../runtime/jobs/stores/s3";
import type { ObjectStore } from "../../../../runtime/jobs/stores/store";
import { AZURITE_ACCOUNT, startAzurite, startS3rver, s3rverClient } from "../../../helpers/emulators";

function parts(n: number, tag: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "costline-parts-"));
  return Array.from({ length: n }, (_, i) => {
    const file = join(dir, `part-${i}.parquet`);
    writeFileSync(file, `${tag}-${i}`);
    return file;
  });
}

/** A store that fails on the n-th file upload, as a network drop midway would. */
function failingOn(store: ObjectStore, n: number): ObjectStore {
  let uploads = 0;
  return {
    ...store,
    async putFile(key, file) {
      if (++uploads === n) throw new Error("connection reset");
      return store.putFile(key, file);
    },
  };
}

const target = (runId: string) => ({ root: "focus", provider: "aws", billingPeriod: "2026-10", runId });

function contract(name: string, open: () => Promise<ObjectStore>) {
  describe(`${name} store`, () => {
    let store: ObjectStore;
    before(async () => {
      store = await open();
    });

    it("puts, gets, lists and deletes objects", async () => {
      await store.put("a/one.txt", "1");
      await store.put("a/two.txt", Buffer.from("2"));
      await store.put("b/three.txt", "3");
      assert.equal((await store.get("a/one.txt"))?.toString(), "1");
      assert.equal(await store.get("a/missing.txt"), undefined);
      assert.deepEqual(await store.list("a/"), ["a/one.txt", "a/two.txt"]);
      await store.delete(["a/one.txt", "a/two.txt"]);
      assert.deepEqual(await store.list("a/"), []);
    });

    it("replaces a period atomically and leaves no previous run behind", async () => {
      const first = await publishPeriod(store, target("r1"), parts(3, "first"));
      assert.equal(first.files.length, 3);
      const second = await publishPeriod(store, target("r2"), parts(2, "second"));
      const current = await currentFiles(store, "focus", "aws", "2026-10");
      assert.deepEqual(current, second.files);
      const all = await store.list("focus/x_Provider=aws/x_BillingPeriod=2026-10/");
      assert.ok(
        all.every((k) => k.includes("run=r2") || k.endsWith("_current.json")),
        all.join(", "),
      );
      assert.equal((await store.get(current![0]))?.toString(), "second-0");
    });

    it("keeps the previous data current when a publication fails midway", async () => {
      const before = await currentFiles(store, "focus", "aws", "2026-10");
      await assert.rejects(
        publishPeriod(failingOn(store, 2), target("r3"), parts(3, "broken")),
        /previous data stays current: connection reset/,
      );
      assert.deepEqual(await currentFiles(store, "focus", "aws", "2026-10"), before);
      assert.ok(
        !(await store.list("focus/")).some((k) => k.includes("run=r3")),
        "the partial upload is cleaned up",
      );
      for (const key of before!) assert.ok(await store.get(key), `${key} still readable`);
    });
  });
}

describe("object stores", function () {
  this.timeout(60_000);
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers) await close();
  });

  contract("local", async () => localStore(mkdtempSync(join(tmpdir(), "costline-store-"))));

  contract("S3 (s3rver)", async () => {
    const s3 = await startS3rver();
    closers.push(s3.close);
    const client = s3rverClient(s3.endpoint, "us-east-1");
    await client.send(new CreateBucketCommand({ Bucket: "normalized" }));
    return s3Store(client, "normalized", "tenant=acme");
  });

  contract("Azure Blob (azurite)", async () => {
    const azurite = await startAzurite();
    closers.push(azurite.close);
    const service = new BlobServiceClient(
      azurite.blobUrl,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key),
    );
    const container = service.getContainerClient("normalized");
    await container.create();
    return azureBlobStore(container, "tenant=acme");
  });
});
