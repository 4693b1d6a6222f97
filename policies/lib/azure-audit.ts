/**
 * What is logged, per resource: every Key Vault data-plane request (secret reads included) is an
 * `AuditEvent`; blob reads, writes and deletes are `StorageRead`, `StorageWrite`, `StorageDelete`
 * of the account's blob service (diagnostic settings of the account itself carry only metrics).
 * The stack enables them, `costline verify` reads them back, and the pack holds every
 * diagnostic setting to them: declared with the pack, which imports nothing from the stack.
 */
export const AUDIT_LOG_CATEGORIES = {
  vault: ["AuditEvent"],
  blob: ["StorageRead", "StorageWrite", "StorageDelete"],
} as const;

/**
 * Category groups that carry every category above, for a setting made with groups instead:
 * `allLogs` is every log of the resource, and Key Vault's `audit` group is its AuditEvent. The blob
 * service's `audit` group is not documented to carry StorageRead, so it does not stand in there.
 */
export const AUDIT_CATEGORY_GROUPS: Record<keyof typeof AUDIT_LOG_CATEGORIES, readonly string[]> = {
  vault: ["audit", "allLogs"],
  blob: ["allLogs"],
};
