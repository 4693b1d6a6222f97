import { createHash } from "node:crypto";

/**
 * A short, stable hash of a whole value, so that two long values cut to one length stay distinct:
 * physical names (components/core/naming.ts) and tag values (./tags.ts). It lives in the pack,
 * which imports nothing from the stack.
 */
export function shortHash(value: string, length = 6): string {
  return createHash("sha256").update(value).digest("hex").slice(0, length);
}
