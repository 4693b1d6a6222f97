import { readFileSync } from "node:fs";
import { z } from "zod";

const instant = z.iso.datetime({ offset: true, error: "an ISO 8601 date-time such as 2024-05-01T06:00:00Z" });
const provider = z.enum(["aws", "gcp", "azure", "kubernetes"]);

/**
 * What a tenant's jobs record about the connection, for the freshness and credential-age
 * policies. The jobs write it as `connection.json` beside their output (`<out>/connection.json`).
 * It never holds a secret value: credentials are named (secret path or key id) and dated.
 */
export const ConnectionRecord = z
  .object({
    /** When the job wrote the record. */
    recordedAt: instant,
    /** Billing exports the job read, with the time the provider last delivered each. */
    exports: z
      .array(
        z
          .object({
            provider,
            /** The export's name, e.g. the Data Export or the Cost Management export. */
            name: z.string().min(1),
            /** When the provider last wrote a file (or table partition) of it. */
            lastExportAt: instant,
          })
          .strict(),
      )
      .default([]),
    /** Secrets and keys the platform uses for the tenant (keyless identities have none). */
    credentials: z
      .array(
        z
          .object({
            provider,
            /** The secret's path (tenantSecretPath) or the key's id; never its value. */
            name: z.string().min(1),
            createdAt: instant,
            /** When it was last rotated; `createdAt` counts when it never was. */
            rotatedAt: instant.optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type ConnectionRecord = z.output<typeof ConnectionRecord>;

/** Reads and validates a connection record; errors name the field and the file. */
export function readConnectionRecord(path: string): ConnectionRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON connection record (${(e as Error).message})`);
  }
  const parsed = ConnectionRecord.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(record)"}: ${i.message}`);
    throw new Error(`${path}: invalid connection record\n${problems.join("\n")}`);
  }
  return parsed.data;
}
