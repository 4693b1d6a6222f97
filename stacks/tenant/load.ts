import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { parseTenantConfig, type TenantConfig, TenantConfigError } from "../../components/tenant/config";

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
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new TenantConfigError(
      path,
      doc.errors.map((e) => ({
        path: `(yaml line ${e.linePos?.[0]?.line ?? "?"})`,
        message: `${e.message.split("\n")[0]}; fix the YAML syntax`,
      })),
    );
  }
  return parseTenantConfig(doc.toJS(), path);
}
