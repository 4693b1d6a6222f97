import { join } from "node:path";
import type { TenantConfig } from "../../components/tenant/config";
import { loadTenantFile } from "../../stacks/tenant/load";

export const EXAMPLES = join(__dirname, "..", "..", "examples", "tenants");

/** The all-clouds example tenant, validated. */
export const exampleTenant = (): TenantConfig => loadTenantFile(join(EXAMPLES, "acme-all.yaml"));
/** The AWS-only example tenant, validated. */
export const awsOnlyTenant = (): TenantConfig => loadTenantFile(join(EXAMPLES, "globex-aws.yaml"));
