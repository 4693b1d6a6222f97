import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;

const matchesType = (v: unknown, t: string) => typeOf(v) === t || (t === "number" && typeOf(v) === "integer");

/**
 * Problems of `value` against the JSON-schema subset that policy config schemas use (type, enum,
 * const, bounds, pattern, format regex, items, properties, required), each naming the path. The Pulumi CLI
 * validates policy config against the same schemas before a preview. Of `format`, only `regex` is
 * checked: a pattern a policy compiles must compile.
 */
export function schemaProblems(
  value: unknown,
  schema: PolicyConfigJSONSchemaDefinition,
  path: string,
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path} is not allowed`];
  const s: PolicyConfigJSONSchema = schema;
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.length > 0 && !types.some((t) => matchesType(value, t))) {
    return [`${path} must be ${types.join(" or ")}, not ${typeOf(value)} ${JSON.stringify(value)}`];
  }
  const problems: string[] = [];
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(
      `${path} must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}, not ${JSON.stringify(value)}`,
    );
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) {
    problems.push(`${path} must be ${JSON.stringify(s.const)}`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum)
      problems.push(`${path} must be at least ${s.minimum}, not ${value}`);
    if (s.maximum !== undefined && value > s.maximum)
      problems.push(`${path} must be at most ${s.maximum}, not ${value}`);
  }
  if (typeof value === "string") {
    if (s.minLength !== undefined && value.length < s.minLength)
      problems.push(`${path} must have at least ${s.minLength} characters`);
    if (s.maxLength !== undefined && value.length > s.maxLength)
      problems.push(`${path} must have at most ${s.maxLength} characters`);
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(value))
      problems.push(`${path} must match ${s.pattern}`);
    if (s.format === "regex") {
      try {
        new RegExp(value);
      } catch (e) {
        problems.push(`${path} is not a valid regular expression: ${(e as Error).message}`);
      }
    }
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      problems.push(`${path} must list at least ${s.minItems} item(s)`);
    if (s.maxItems !== undefined && value.length > s.maxItems)
      problems.push(`${path} must list at most ${s.maxItems} item(s)`);
    if (s.items !== undefined && !Array.isArray(s.items)) {
      const items = s.items;
      for (const [i, v] of value.entries()) problems.push(...schemaProblems(v, items, `${path}[${i}]`));
    }
  }
  if (typeOf(value) === "object" && (s.properties || s.required)) {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) problems.push(`${path}.${key} is required`);
    for (const [key, v] of Object.entries(obj)) {
      const sub = s.properties?.[key] ?? s.additionalProperties;
      if (sub !== undefined) problems.push(...schemaProblems(v, sub, `${path}.${key}`));
    }
  }
  return problems;
}
