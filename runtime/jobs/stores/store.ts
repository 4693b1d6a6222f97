/** An object store the jobs write to: a local folder, S3, Azure Blob or GCS, behind one interface. */
export interface ObjectStore {
  /** Where this store points, for logs and run records (never with credentials). */
  readonly url: string;
  put(key: string, body: Buffer | string): Promise<void>;
  putFile(key: string, file: string): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(keys: readonly string[]): Promise<void>;
}

/** Joins key segments with single slashes. */
export const keyJoin = (...parts: string[]) =>
  parts
    .map((p) => p.replace(/^\/+|\/+$/g, ""))
    .filter(Boolean)
    .join("/");
