import { settingsOf } from "../policy";

/** Retention the audit logs must reach: one setting, held by each cloud's audit policy. */
export const AUDIT_RETENTION_SETTING = {
  type: "integer" as const,
  minimum: 1,
  default: 365,
  description: "Fewest days the audit logs of access to credentials and cost data may be kept.",
};

/** The config schema of an audit policy whose only setting is the retention. */
export const AUDIT_RETENTION_SCHEMA = { properties: { minimumRetentionDays: AUDIT_RETENTION_SETTING } };

/** The fewest days an audit policy's config asks the logs to be kept. */
export const minimumRetentionDays = (args: { getConfig<U extends object>(): U }): number =>
  settingsOf<{ minimumRetentionDays: number }>(args, AUDIT_RETENTION_SCHEMA).minimumRetentionDays;
