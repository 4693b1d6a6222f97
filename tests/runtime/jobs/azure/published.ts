import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEngine, queryRows, sqlString } from "../../../../runtime/engine/duckdb";
import { currentFiles } from "../../../../runtime/jobs/stores/publish";
import type { ObjectStore } from "../../../../runtime/jobs/stores/store";

/**
 * Runs `sql` over what a reader sees of one published period: the files its pointer lists, fetched
 * from the store. `{period}` in the SQL names them.
 */
export async function queryPublished<T>(
  store: ObjectStore,
  provider: string,
  period: string,
  sql: string,
): Promise<T[]> {
  const files = await currentFiles(store, "focus", provider, period);
  assert.ok(files?.length, `${provider} ${period} has a pointer with files`);
  const dir = mkdtempSync(join(tmpdir(), "published-"));
  const local = await Promise.all(
    files.map(async (key, i) => {
      const file = join(dir, `${i}.parquet`);
      writeFileSync(file, (await store.get(key))!);
      return file;
    }),
  );
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    return await queryRows<T>(
      engine.connection,
      sql.replaceAll("{period}", `read_parquet([${local.map(sqlString).join(", ")}])`),
    );
  } finally {
    engine.close();
  }
}
