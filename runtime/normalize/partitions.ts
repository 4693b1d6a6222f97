/**
 * The hive partitions of normalized output: `x_Provider=<p>/x_BillingPeriod=<yyyy-mm>/`. Readers
 * with hive partitioning (DuckDB, Athena, Spark) see each as a column, so each is named as a FOCUS
 * custom column (`x_` prefix); `x_Provider` is the output column of the same name and value.
 */
export const PARTITION = { provider: "x_Provider", period: "x_BillingPeriod" } as const;

/** The folder names of one provider's billing period, outermost first. */
export const partitionPath = (provider: string, billingPeriod: string): [string, string] => [
  `${PARTITION.provider}=${provider}`,
  `${PARTITION.period}=${billingPeriod}`,
];
