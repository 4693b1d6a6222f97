import type { Dialect } from "./dialect";

/** Canonical tag key -> the other spellings of it in the cost data (a tenant's `checks.tagAliases`). */
export type TagAliases = Readonly<Record<string, readonly string[]>>;

/**
 * The value of canonical key `key` in `tags` (a JSON object, or a MAP when `isMap`): the first of
 * its spellings, the key itself and then its aliases as declared, whose value is not blank; NULL
 * when none has one.
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
