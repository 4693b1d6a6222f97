import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { CRC32C, Storage } from "@google-cloud/storage";
import { gcsStore } from "../../../../runtime/jobs/stores/gcs";
import { currentFiles, publishPeriod } from "../../../../runtime/jobs/stores/publish";
import type { ObjectStore } from "../../../../runtime/jobs/stores/store";

/**
 * The part of Cloud Storage's JSON API the store uses (multipart upload, media download, list with
 * pages, delete), in memory on loopback, so the real SDK's requests are what gets tested.
 */
async function fakeGcs(bucket: string) {
  const objects = new Map<string, Buffer>();
  // Real Cloud Storage returns both hashes; the SDK checks every upload and download against them.
  const hashes = (data: Buffer) => ({
    crc32c: (() => {
      const c = new CRC32C();
      c.update(data);
      return c.toString();
    })(),
    md5Hash: createHash("md5").update(data).digest("base64"),
  });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/^\/download/, "");
    const upload = `/upload/storage/v1/b/${bucket}/o`;
    const collection = `/storage/v1/b/${bucket}/o`;
    if (req.method === "POST" && path === upload && url.searchParams.get("uploadType") === "multipart") {
      const boundary = /boundary="?([^";]+)"?/.exec(req.headers["content-type"] ?? "")?.[1];
      const parts = body.toString("latin1").split(`--${boundary}`).slice(1, -1);
      const [meta, media] = parts.map((p) => p.slice(p.indexOf("\r\n\r\n") + 4, -2));
      // The object's name travels as a query parameter or in the metadata part.
      const name = url.searchParams.get("name") ?? (JSON.parse(meta!) as { name: string }).name;
      objects.set(name, Buffer.from(media!, "latin1"));
      return json(res, 200, {
        name,
        bucket,
        size: String(objects.get(name)!.length),
        ...hashes(objects.get(name)!),
      });
    }
    if (req.method === "GET" && path === collection) {
      const prefix = url.searchParams.get("prefix") ?? "";
      const names = [...objects.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get("pageToken") ?? 0);
      const page = names.slice(start, start + 2); // small pages, so paging is exercised
      const next = start + 2 < names.length ? String(start + 2) : undefined;
      return json(res, 200, { items: page.map((name) => ({ name, bucket })), nextPageToken: next });
    }
    if (path.startsWith(`${collection}/`)) {
      const name = decodeURIComponent(path.slice(collection.length + 1));
      if (!objects.has(name))
        return json(res, 404, { error: { code: 404, message: `No such object: ${bucket}/${name}` } });
      if (req.method === "DELETE") {
        objects.delete(name);
        return res.writeHead(204).end();
      }
      if (req.method === "GET" && url.searchParams.get("alt") === "media") {
        const data = objects.get(name)!;
        const { crc32c, md5Hash } = hashes(data);
        return res
          .writeHead(200, {
            "content-type": "application/octet-stream",
            "x-goog-hash": `crc32c=${crc32c},md5=${md5Hash}`,
          })
          .end(data);
      }
    }
    json(res, 400, { error: { code: 400, message: `fake GCS does not know ${req.method} ${url.pathname}` } });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, objects, close: () => server.close() };
}

function parts(n: number, tag: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "gcs-parts-"));
  return Array.from({ length: n }, (_, i) => {
    const file = join(dir, `part-${i}.parquet`);
    writeFileSync(file, `${tag}-${i}`);
    return file;
  });
}

describe("GCS store (the real SDK against an in-memory JSON API)", function () {
  this.timeout(30_000);
  let gcs: Awaited<ReturnType<typeof fakeGcs>>;
  let store: ObjectStore;
  before(async () => {
    gcs = await fakeGcs("normalized");
    store = gcsStore(
      new Storage({ apiEndpoint: gcs.endpoint, projectId: "acme-finops-prod" }).bucket("normalized"),
      "tenant=acme",
    );
  });
  after(() => gcs?.close());

  it("puts, gets, lists across pages and deletes under its prefix", async () => {
    await store.put("a/one.txt", "1");
    await store.put("a/two.txt", Buffer.from("2"));
    await store.put("a/three.txt", "3");
    await store.put("b/four.txt", "4");
    assert.ok(gcs.objects.has("tenant=acme/a/one.txt"), "keys live under the prefix");
    assert.equal((await store.get("a/two.txt"))?.toString(), "2");
    assert.equal(await store.get("a/missing.txt"), undefined);
    assert.deepEqual(await store.list("a/"), ["a/one.txt", "a/three.txt", "a/two.txt"]);
    await store.delete(["a/one.txt", "a/two.txt", "a/never-there.txt"]);
    assert.deepEqual(await store.list("a/"), ["a/three.txt"]);
  });

  it("publishes a period atomically and keeps it when an upload fails midway", async () => {
    const target = (runId: string) => ({
      root: "focus",
      provider: "kubernetes",
      billingPeriod: "2025-03",
      runId,
    });
    const first = await publishPeriod(store, target("r1"), parts(3, "first"));
    assert.deepEqual(await currentFiles(store, "focus", "kubernetes", "2025-03"), first.files);
    let uploads = 0;
    const failing: ObjectStore = {
      ...store,
      putFile: async (key, file) => {
        if (++uploads === 2) throw new Error("503 backend error");
        return store.putFile(key, file);
      },
    };
    await assert.rejects(
      publishPeriod(failing, target("r2"), parts(3, "second")),
      /previous data stays current/,
    );
    assert.deepEqual(await currentFiles(store, "focus", "kubernetes", "2025-03"), first.files);
    assert.equal((await store.get(first.files[0]!))?.toString(), "first-0");
    assert.ok(
      !(await store.list("focus/")).some((k) => k.includes("run=r2")),
      "the partial upload is removed",
    );
  });
});
