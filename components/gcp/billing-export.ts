import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GcpConfig } from "../tenant/config";
import { childOptions } from "./options";

export type GcpExportType = GcpConfig["exportTypes"][number];

/** What a person has to do in the console for one billing account, since GCP has no API for it. */
export interface BillingExportSetup {
  /** The billing account whose export this is. */
  billingAccountId: string;
  /** Where the export settings of that billing account live in the console. */
  consoleUrl: string;
  /** The steps, in order, naming the exact project and dataset. */
  steps: string[];
  /** The tables the export creates; the normalization job checks that they appear. */
  expectedTables: string[];
}

const EXPORT_SECTIONS: Record<GcpExportType, { section: string; tablePrefix: string }> = {
  standard: { section: "Standard usage cost", tablePrefix: "gcp_billing_export_v1_" },
  detailed: { section: "Detailed usage cost", tablePrefix: "gcp_billing_export_resource_v1_" },
};

/** The table the billing export writes for one billing account and export type. */
export function exportTableName(billingAccountId: string, exportType: GcpExportType): string {
  return `${EXPORT_SECTIONS[exportType].tablePrefix}${billingAccountId.replace(/-/g, "_")}`;
}

/**
 * The console steps that turn on the billing export of each billing account into the dataset.
 * When the datasets use a customer-managed key, BigQuery's own service account must be able to use
 * it before any table is written, so that grant comes first.
 */
export function billingExportSetup(opts: {
  projectId: string;
  datasetId: string;
  billingAccountIds: readonly string[];
  exportTypes: readonly GcpExportType[];
  kmsKeyName?: string;
}): BillingExportSetup[] {
  const keyStep = opts.kmsKeyName
    ? [
        `Make sure BigQuery's encryption service account of project ${opts.projectId} (shown by \`bq show --encryption_service_account --project_id=${opts.projectId}\`) has roles/cloudkms.cryptoKeyEncrypterDecrypter on ${opts.kmsKeyName}.`,
      ]
    : [];
  return opts.billingAccountIds.map((billingAccountId) => {
    const consoleUrl = `https://console.cloud.google.com/billing/${billingAccountId}/export`;
    const exportSteps = opts.exportTypes.map(
      (type) =>
        `Under "${EXPORT_SECTIONS[type].section}" choose "Edit settings", select project ${opts.projectId} and dataset ${opts.datasetId}, then "Save".`,
    );
    return {
      billingAccountId,
      consoleUrl,
      steps: [
        ...keyStep,
        `With Billing Account Administrator (or Billing Account Costs Manager) on ${billingAccountId} and BigQuery User on ${opts.projectId}, open ${consoleUrl} (Billing > Billing export > BigQuery export).`,
        ...exportSteps,
        `Wait for the first rows (usually within a few hours); the normalization job reports until then that ${opts.exportTypes
          .map((type) => exportTableName(billingAccountId, type))
          .join(" and ")} are missing.`,
      ],
      expectedTables: opts.exportTypes.map((type) => exportTableName(billingAccountId, type)),
    };
  });
}

export interface GcpBillingExportArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project that holds the dataset. */
  projectId: string;
  /** BigQuery dataset id (letters, digits, underscores). */
  datasetId: string;
  /** BigQuery location: "US", "EU" or a region; must be inside the tenant's residency. */
  location: string;
  /** Billing accounts whose export goes into this dataset. */
  billingAccountIds: readonly string[];
  /** Which exports to expect from each billing account. */
  exportTypes: readonly GcpExportType[];
  /** Customer-managed key for the dataset; Google-managed when omitted. */
  kmsKeyName?: string;
  /** Labels for the dataset, from the tenant tags. */
  labels: Record<string, string>;
}

/**
 * The dataset Cloud Billing exports into, protected against deletion (it holds the only copy of
 * the billing history), and the steps that turn the export on.
 */
export class GcpBillingExport extends pulumi.ComponentResource {
  /** The dataset's id. */
  readonly datasetId: pulumi.Output<string>;
  /** The console steps for each billing account. */
  readonly setup: pulumi.Output<BillingExportSetup[]>;
  /** Every table the export will create, across billing accounts and export types. */
  readonly expectedTables: pulumi.Output<string[]>;

  constructor(name: string, args: GcpBillingExportArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:BillingExport", name, {}, opts);
    const dataset = new gcp.bigquery.Dataset(
      `${name}-dataset`,
      {
        project: args.projectId,
        datasetId: args.datasetId,
        location: args.location,
        description: `Cloud Billing export (${args.exportTypes.join(", ")}) of ${args.billingAccountIds.join(", ")}`,
        defaultEncryptionConfiguration: args.kmsKeyName ? { kmsKeyName: args.kmsKeyName } : undefined,
        deleteContentsOnDestroy: false,
        deletionPolicy: "PREVENT",
        labels: args.labels,
      },
      childOptions(this, args.provider, opts),
    );
    const setup = billingExportSetup(args);
    this.datasetId = dataset.datasetId;
    this.setup = pulumi.output(setup);
    this.expectedTables = pulumi.output(setup.flatMap((s) => s.expectedTables));
    this.registerOutputs({
      datasetId: this.datasetId,
      setup: this.setup,
      expectedTables: this.expectedTables,
    });
  }
}
