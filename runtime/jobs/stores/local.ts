import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { ObjectStore } from "./store";

/** A folder as an object store (a Kubernetes volume, or a laptop). */
export function localStore(root: string): ObjectStore {
  const path = (key: string) => join(root, ...key.split("/"));
  const walk = async (dir: string): Promise<string[]> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
    const nested = await Promise.all(
      entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])),
    );
    return nested.flat();
  };
  return {
    url: `file://${root}`,
    async put(key, body) {
      await mkdir(dirname(path(key)), { recursive: true });
      await writeFile(path(key), body);
    },
    async putFile(key, file) {
      await mkdir(dirname(path(key)), { recursive: true });
      await copyFile(file, path(key));
    },
    async get(key) {
      try {
        return await readFile(path(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
    },
    async list(prefix) {
      const files = await walk(root);
      return files
        .map((f) => relative(root, f).split(sep).join("/"))
        .filter((k) => k.startsWith(prefix))
        .sort();
    },
    async delete(keys) {
      await Promise.all(keys.map((k) => rm(path(k), { force: true })));
    },
  };
}
