import { readFileSync } from "node:fs";
import { parseTenantText, type TenantConfig, TenantConfigError } from "../../components/tenant/config";

/** Reads and validates a tenant YAML file; every problem, including YAML syntax, is a TenantConfigError. */
export function loadTenantFile(path: string): TenantConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint =
      code === "ENOENT"
        ? "no such file; check the path (examples live in examples/tenants/)"
        : (e as Error).message;
    throw new TenantConfigError(path, [{ path: "(file)", message: hint }]);
  }
  return parseTenantText(text, path);
}
