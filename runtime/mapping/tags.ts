import type { Dialect } from "./dialect";

/** Canonical tag key -> the other spellings of it in the cost data (a tenant's `checks.tagAliases`). */
export type TagAliases = Readonly<Record<string, readonly string[]>>;

/**
 * The value of canonical key `key` in `tags` (a JSON object, or a MAP when `isMap`): the first of
 * its spellings, the key itself and then its aliases as declared, whose value is not blank; NULL
 * when none has one. The checks and the unified view's `canonical_tags` both read a key so.
 */
export function canonicalTagValue(
  d: Dialect,
  tags: string,
  isMap: boolean,
  key: string,
  aliases: TagAliases,
): string {
  const values = [key, ...(aliases[key] ?? [])].map((k) => `NULLIF(TRIM(${d.keyOf(tags, k, isMap)}), '')`);
  return values.length === 1 ? values[0]! : `COALESCE(${values.join(", ")})`;
}

/**
 * `tags` (a JSON object as the normalized table holds it) with every alias renamed to its
 * canonical key: each aliased key holds its canonicalTagValue, or is left out when that is NULL,
 * and no alias is left; other keys stay as they are. Without aliases, the tags themselves.
 */
export function canonicalTags(d: Dialect, tags: string, aliases: TagAliases): string {
  const keys = Object.keys(aliases);
  if (keys.length === 0) return tags;
  return d.patchObject(tags, [
    ...keys.flatMap((k) => aliases[k]!.map((alias) => [alias, "NULL"] as const)),
    ...keys.map((k) => [k, canonicalTagValue(d, tags, false, k, aliases)] as const),
  ]);
}
