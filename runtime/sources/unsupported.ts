/**
 * Billing files Costline does not read, known by their columns (lower case; all must be present),
 * with what the file is and what to export instead. Checked after no source format's signature
 * matched, so that such a file gets a way forward instead of a list of columns.
 */
export const UNSUPPORTED_FILES: { what: string; all: string[]; instead: string }[] = [
  {
    // Oracle's cost and usage reports (Billing & Cost Management > Cost and Usage Reports): CSV
    // with lineItem/*, product/*, usage/* and, in cost reports, cost/* columns.
    what: "an Oracle Cloud (OCI) cost or usage report, OCI's own CSV layout (lineItem/*, product/*, cost/* columns)",
    all: ["lineitem/referenceno", "lineitem/tenantid", "product/service"],
    instead:
      "no Costline source format reads it; OCI also writes FOCUS reports: download those instead (Billing & Cost Management > Cost and Usage Reports > FOCUS Reports)",
  },
  {
    // The console's "Download as CSV": one column per service (or account, ...) named "<name>($)",
    // a "Total costs($)" column, a "Service total" row and one row per period.
    what: 'an AWS Cost Explorer CSV download (costs summed per group and period, with a "Total costs($)" column)',
    all: ["total costs($)"],
    instead:
      "it has no line items to normalize; create a CUR 2.0 or FOCUS 1.2 export in AWS Billing and Cost Management > Data Exports and pass its files (read as aws-cur2 or aws-focus)",
  },
  {
    // The EA portal's usage details download (the legacy layout, names with spaces), not Cost
    // Management's cost details.
    what: 'an Azure Enterprise Agreement usage details file from the EA portal (the legacy layout with "Consumed Quantity" and "ExtendedCost")',
    all: ["accountownerid", "serviceadministratorid", "consumed quantity", "extendedcost"],
    instead:
      "export cost details from Cost Management instead (Cost Management > Exports: 'Cost and usage details (actual)' or '(amortized)', read as azure-cost-details, or 'Cost and usage details (FOCUS)', read as azure-focus)",
  },
  {
    // Cloud Billing's file export to Cloud Storage (CSV), which Google discontinued for the
    // export to BigQuery.
    what: "a Google Cloud Billing file export (the discontinued CSV export to Cloud Storage)",
    all: ["account id", "line item", "measurement1 total consumption"],
    instead:
      "set up the Cloud Billing export to BigQuery (standard or detailed usage cost) and export its table as newline-delimited JSON (read as gcp-billing)",
  },
];
