import { type ChecksConfig, tagAliasesOf } from "./config";
import type { ConnectionRecord } from "./connection";
import { POLICIES } from "./policies";
import type { CheckData, Finding } from "./types";

/** Every policy the tenant's settings enable, over the data, in report order. */
export async function evaluatePolicies(
  data: CheckData,
  checks: ChecksConfig,
  connection: ConnectionRecord | undefined,
  now: Date,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const tagAliases = tagAliasesOf(checks);
  for (const policy of POLICIES) {
    const settings = (checks as unknown as Record<string, { enabled: boolean }>)[policy.configKey];
    if (!settings.enabled) continue;
    // Each policy's settings were validated by its own schema inside ChecksConfig.
    findings.push(...(await policy.evaluate({ data, tagAliases, connection, now }, settings as never)));
  }
  return findings;
}
