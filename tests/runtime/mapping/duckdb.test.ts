import assert from "node:assert/strict";
import fc from "fast-check";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { duckdb } from "../../../runtime/mapping/duckdb";

/** The stated rule: the prefix is stripped, and where that makes a key collide the unprefixed original wins. */
function expectedTags(map: Record<string, string>, prefix: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  for (const [k, v] of Object.entries(map)) if (!k.startsWith(prefix)) out[k] = v;
  return Object.keys(out).length ? out : null;
}

describe("duckdb dialect: tags of a MAP with a prefix to strip", function () {
  this.timeout(60000);
  const keys = [
    "user_env",
    "env",
    "user_team",
    "user_user_team",
    "aws_created_by",
    'user_a"b',
    'x,"user_y',
    '{"user_z',
  ];
  const values = fc.constantFrom("prod", "", '{"user_k":"v"}', ',"user_q', "ü", "a\\b");

  it("keeps every tag, strips the prefix and lets the unprefixed key win, whatever the mix of keys", async () => {
    const engine = await openEngine({ memoryLimit: "256MB" });
    try {
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), values), async (map) => {
          const entries = Object.entries(map).map(
            ([k, v]) => `{'key': ${duckdb.string(k)}, 'value': ${duckdb.string(v)}}`,
          );
          const literal = entries.length
            ? `map_from_entries([${entries.join(", ")}])`
            : "CAST(map() AS MAP(VARCHAR, VARCHAR))";
          const sql = duckdb.keyValue([{ sql: literal, form: "map", stripPrefix: "user_" }]);
          const [row] = await queryRows<{ tags: string | null }>(engine.connection, `SELECT ${sql} AS tags`);
          assert.deepEqual(row!.tags === null ? null : JSON.parse(row!.tags), expectedTags(map, "user_"));
        }),
        { numRuns: 300 },
      );
    } finally {
      engine.close();
    }
  });
});

describe("duckdb dialect: tags of a JSON object text", function () {
  this.timeout(60000);
  const keys = fc.constantFrom("env", "team", "Env", 'a"b', "c\\d", "line\nbreak", "ü", "");
  const values = fc.constantFrom("prod", "", null, '{"k":"v"}', "a\\b", "tab\t");

  it("keeps every tag, and the last value of a repeated key, whether or not a key repeats", async () => {
    const engine = await openEngine({ memoryLimit: "256MB" });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(keys, values), { maxLength: 6 }), async (entries) => {
          const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
          const sql = duckdb.keyValue([{ sql: duckdb.string(text), form: "json" }]);
          const [row] = await queryRows<{ tags: string | null; keys: number | null }>(
            engine.connection,
            `SELECT tags, CAST(json_array_length(json_keys(tags)) AS INTEGER) AS keys FROM (SELECT ${sql} AS tags)`,
          );
          // JSON.parse keeps a repeated key's last value: the stated rule. It would hide a key
          // written twice, which the engine's own count of the keys shows.
          const expected = entries.length ? JSON.parse(text) : null;
          assert.deepEqual(row!.tags === null ? null : JSON.parse(row!.tags), expected);
          assert.equal(row!.keys, expected === null ? null : Object.keys(expected).length);
        }),
        { numRuns: 300 },
      );
    } finally {
      engine.close();
    }
  });
});
