import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** What `<out>/.lock` holds: the run that writes the store. */
export interface LockOwner {
  owner: string;
  pid: number;
  host: string;
  started: string;
}

/** Another run holds the store's lock: retry once it has finished (CLI exit code `busy`). */
export class StoreBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreBusyError";
  }
}

/** Who this process is, and whether a process of this host still runs; injected so tests can hold or kill a lock. */
export interface LockDeps {
  pid: number;
  host: string;
  now: () => Date;
  isAlive: (pid: number) => boolean;
}

export const systemLockDeps = (): LockDeps => ({
  pid: process.pid,
  host: hostname(),
  now: () => new Date(),
  isAlive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      // EPERM: the process exists, under another user.
      return (e as NodeJS.ErrnoException).code === "EPERM";
    }
  },
});

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
};

const parse = (text: string): LockOwner | undefined => {
  try {
    return JSON.parse(text) as LockOwner;
  } catch {
    // Empty or partial: its owner is writing it this moment.
    return undefined;
  }
};

/**
 * Takes `<out>/.lock`, created exclusively (`wx`), and returns its release. A lock whose process
 * is gone from this host is stale: it is removed (said through `progress`) and taken once more;
 * any other lock, or one of another host (whose processes cannot be seen), makes the store busy.
 */
export function acquireLock(
  out: string,
  runId: string,
  deps: LockDeps,
  progress: (message: string) => void,
): () => void {
  const path = join(out, ".lock");
  const text = JSON.stringify({
    owner: runId,
    pid: deps.pid,
    host: deps.host,
    started: deps.now().toISOString(),
  } satisfies LockOwner);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, text, { flag: "wx" });
      // Removed only while it is still ours.
      return () => {
        if (read(path) === text) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const held = read(path);
    if (held === undefined) continue;
    const owner = parse(held);
    if (attempt === 0 && owner && owner.host === deps.host && !deps.isAlive(owner.pid)) {
      progress(`${path}: removing the stale lock of run ${owner.owner} (pid ${owner.pid} no longer runs)`);
      // Still the dead run's lock: a live run that recovered it first holds its own record.
      if (read(path) === held) rmSync(path, { force: true });
      continue;
    }
    const who = owner
      ? `run ${owner.owner} (pid ${owner.pid} on ${owner.host}, started ${owner.started})`
      : "a run starting now";
    throw new StoreBusyError(
      `${out} is being written by ${who}: run again when it has finished; if that process is gone, delete ${path}`,
    );
  }
}
