import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Redactor } from "./redact";

/** One place a secret may live. `get` returns undefined when this source does not have it. */
export interface SecretSource {
  readonly name: string;
  get(path: string): Promise<string | undefined>;
}

const missing = (e: unknown) => ["ENOENT", "ENOTDIR"].includes((e as NodeJS.ErrnoException).code ?? "");

/** A secret mounted as a file `<dir>/<path>` (Kubernetes Secret volume, Functions mounts). */
export function mountedFileSource(dir: string): SecretSource {
  return {
    name: `mounted file in ${dir}`,
    async get(path) {
      try {
        return (await readFile(join(dir, path), "utf8")).replace(/\n$/, "");
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
    },
  };
}

/** The environment variable COSTLINE_SECRET_<PATH>, path uppercased with every other character as "_". */
export function environmentSource(env: NodeJS.ProcessEnv = process.env): SecretSource {
  const variable = (path: string) => `COSTLINE_SECRET_${path.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  return {
    name: "environment (COSTLINE_SECRET_<PATH>)",
    get: async (path) => env[variable(path)] || undefined,
  };
}

/** A JSON map of path -> value, for development on a laptop only. */
export function localFileSource(file: string): SecretSource {
  return {
    name: `local file ${file}`,
    async get(path) {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (e) {
        if (missing(e)) return undefined;
        throw e;
      }
      const map: unknown = JSON.parse(text);
      const value = map && typeof map === "object" ? (map as Record<string, unknown>)[path] : undefined;
      return typeof value === "string" ? value : undefined;
    },
  };
}

export interface SecretLoaderOptions {
  /** In order: cloud secret manager, mounted file, environment, local file. */
  sources: readonly SecretSource[];
  /** How long a value is reused before it is read again (rotation takes effect after this). */
  ttlMs?: number;
  /** Every loaded value is registered here so that logs never show it. */
  redactor?: Redactor;
  now?: () => number;
}

/** Loads secrets from the first source that has them, caching each for a TTL. */
export class SecretLoader {
  private readonly cache = new Map<string, { value: string; expires: number }>();

  constructor(private readonly options: SecretLoaderOptions) {}

  async get(path: string): Promise<string> {
    const now = this.options.now?.() ?? Date.now();
    const cached = this.cache.get(path);
    if (cached && cached.expires > now) return cached.value;
    for (const source of this.options.sources) {
      const value = await source.get(path);
      if (value !== undefined) {
        this.options.redactor?.add(value);
        this.cache.set(path, { value, expires: now + (this.options.ttlMs ?? 5 * 60_000) });
        return value;
      }
    }
    throw new Error(
      `secret "${path}" was not found; looked in: ${this.options.sources.map((s) => s.name).join(", ")}. ` +
        "Create it at that path in the cloud's secret manager (pulumi up does), or set it in one of the others for development.",
    );
  }

  /** Reads and parses a JSON secret. */
  async json<T>(path: string): Promise<T> {
    const text = await this.get(path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`secret "${path}" is not valid JSON; store the connection settings as a JSON object`);
    }
  }
}
