import { coalesce, col, lookup, notNull } from "../mapping/ast";
import type { RawColumn, SourceMapping } from "../mapping/types";
import { CUR2_PRODUCT_COLUMNS } from "../sources/aws-cur";
import { awsCur2 } from "./aws-cur2";
import { extensionColumns } from "./common";

/**
 * Where the legacy CUR holds what CUR 2.0 puts in one column, by the CUR 2.0 name; every other
 * column of CUR 2.0 has its legacy name's `cur2Name`.
 */
const LEGACY: Record<string, Partial<RawColumn>> = {
  product: { entries: { prefix: "product_", except: CUR2_PRODUCT_COLUMNS } },
  resource_tags: { entries: { prefix: "resource_tags_" } },
  // Reports older than `product/regionCode` state the region code in `product/region` alone.
  product_region_code: { names: ["product_region_code", "product_region"] },
};

/**
 * The legacy Cost and Usage Report (CSV or Athena/Parquet) -> FOCUS (1.2 and 1.3): the CUR 2.0 mapping over
 * the same line items, its raw columns found under their legacy names (sources/aws-cur.ts).
 */
export const awsCur: SourceMapping = {
  ...awsCur2,
  format: "aws-cur",
  raw: Object.fromEntries(
    Object.entries(awsCur2.raw).map(([name, column]) => [name, { ...column, ...LEGACY[name] }]),
  ),
  columnNames: "cur2",
  // The legacy CUR has no account name columns (CUR 2.0 added them): the payer's name is the one
  // the run is given for its id, and the summary says so when the file names none.
  facts: { payerNamed: notNull(col("bill_payer_account_name")) },
  factNotes: {
    payerNamed: {
      whenFalse:
        "legacy CUR states no account names: BillingAccountName, which FOCUS requires, is the name given for the payer's id (--billing-account-name PAYER_ID=NAME), else NULL; SubAccountName stays NULL",
    },
  },
  focus: {
    ...awsCur2.focus,
    BillingAccountName: coalesce(col("bill_payer_account_name"), lookup("billingAccount", "name")),
  },
  extensions: extensionColumns("aws-cur", "aws"),
};
