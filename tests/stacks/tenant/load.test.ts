import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TenantConfigError } from "../../../components/tenant/config";
import { loadTenantFile } from "../../../stacks/tenant/load";

const write = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), "costline-tenant-")), "t.yaml");
  writeFileSync(file, text);
  return file;
};

describe("loadTenantFile", () => {
  it("reports YAML syntax errors with their line", () => {
    const file = write("tenantId: acme\ntags: [unclosed\n");
    assert.throws(
      () => loadTenantFile(file),
      (e: unknown) => e instanceof TenantConfigError && /yaml line/.test(e.message),
    );
  });

  it("reports a missing file with a hint", () => {
    assert.throws(() => loadTenantFile("/nonexistent/t.yaml"), /no such file; check the path/);
  });

  it("rejects duplicate keys instead of keeping the last", () => {
    assert.throws(() => loadTenantFile(write("tenantId: a\ntenantId: b\n")), /yaml line 2/);
  });
});
