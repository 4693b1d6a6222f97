import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** s3rver on loopback with a fresh directory; `close` stops it. */
export async function startS3rver(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const S3rver = require("s3rver");
  const port = await freePort();
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    silent: true,
    directory: mkdtempSync(join(tmpdir(), "s3rver-")),
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** An S3 client of s3rver at `endpoint`. */
export function s3rverClient(endpoint: string, region = "us-east-1"): S3Client {
  return new S3Client({
    region,
    endpoint,
    forcePathStyle: true,
    // s3rver predates the SDK's default aws-chunked uploads with trailing checksums.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
}

/** The well-known development account azurite accepts. */
export const AZURITE_ACCOUNT = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
};

/** azurite's blob service on loopback, in memory, telemetry off (no traffic leaves the machine); `close` stops it. */
export async function startAzurite(): Promise<{ blobUrl: string; close(): Promise<void> }> {
  const port = await freePort();
  const bin = require.resolve("azurite/dist/src/blob/main.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--extentMemoryLimit",
      "256",
      "--silent",
      "--skipApiVersionCheck",
      "--loose",
      "--disableTelemetry",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("azurite did not start within 20 s")), 20_000);
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("successfully listens")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`azurite exited with ${code}`)));
  });
  return {
    blobUrl: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.name}`,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
