import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const SNAPSHOTS = join(__dirname, "__snapshots__");

/** One clause or select item a line, so that a review reads the SQL, not one 40 KB line. */
function layout(sql: string): string {
  return sql
    .replace(/ (FROM|WHERE|LEFT JOIN|CROSS JOIN|UNION ALL|GROUP BY|ORDER BY) /g, "\n$1 ")
    .replace(/ AS ("[^"]+"|`[^`]+`|\w+), /g, " AS $1,\n  ");
}

/** Compares SQL, laid out, with its reviewed snapshot (`UPDATE_SNAPSHOTS=1` rewrites it for review). */
export function matchesSnapshot(name: string, sql: string) {
  const file = join(SNAPSHOTS, name);
  const text = `${layout(sql)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === "1") writeFileSync(file, text);
  assert.ok(
    existsSync(file),
    `${relative(process.cwd(), file)} is missing; run with UPDATE_SNAPSHOTS=1 and review it`,
  );
  assert.equal(
    text,
    readFileSync(file, "utf8"),
    `${name} changed; review the difference and rerun with UPDATE_SNAPSHOTS=1`,
  );
}
