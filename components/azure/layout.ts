import { physicalName } from "../core/naming";

/**
 * Where a tenant's Azure cost data lives, without the Pulumi SDK: the stack creates these, and
 * `costline collect` reads the normalized container.
 */

/** The tenant's cost data storage account. */
export const costStorageAccountName = (tenantId: string) =>
  physicalName("azureStorageAccount", "costline", tenantId, "data");

/** The names of the two containers; exports land in one, the job writes the other. */
export const CONTAINERS = { exports: "exports", normalized: "normalized" } as const;
