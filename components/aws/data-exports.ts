import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  CUR2_TABLE,
  type Cur2Options,
  cur2Columns,
  cur2TableConfigurations,
  exportQuery,
  FOCUS_TABLE,
  focusColumns,
  focusTableConfigurations,
} from "./export-tables";
import type { ExportLayout, ExportLocation } from "./layout";

export interface DataExportsArgs {
  /** The management account whose billing data is exported. */
  accountId: string;
  /** The bucket's region (Data Exports deliver across regions; the export itself lives in us-east-1). */
  bucketRegion: string;
  /** The bucket layout; the exports deliver to its cur2/focus locations. */
  layout: ExportLayout;
  /** CUR 2.0 schema and granularity choices. */
  cur2: Cur2Options;
  /** Whether to create the CUR 2.0 export. */
  includeCur2: boolean;
  /** Whether to create the FOCUS 1.2 export. */
  includeFocus: boolean;
  /**
   * Resources that must exist before AWS checks write access at creation: the bucket policy (and
   * the bucket's default encryption).
   */
  bucketReady: pulumi.Resource[];
  /** A us-east-1 provider for the management account: Data Exports are created only there. */
  usEast1Provider: aws.Provider;
}

/**
 * AWS Data Exports into the tenant's bucket: CUR 2.0 with an explicit column list, resources
 * included, and optionally FOCUS 1.2; both Parquet, overwriting each billing period on refresh.
 */
export class DataExports extends pulumi.ComponentResource {
  /** ARNs of the created exports, by kind. */
  readonly exportArns: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: DataExportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:DataExports", name, {}, opts);
    if (!args.includeCur2 && !args.includeFocus) {
      throw new Error('DataExports needs at least one export: list "cur2" and/or "focus-1.2" in aws.exports');
    }
    if (args.bucketReady.length === 0) {
      throw new Error(
        "DataExports needs the bucket policy in bucketReady: AWS checks write access at creation",
      );
    }
    const child = { parent: this, provider: args.usEast1Provider, dependsOn: args.bucketReady };
    const destination = (location: ExportLocation) => [
      {
        s3Destinations: [
          {
            s3Bucket: args.layout.bucket,
            s3Prefix: location.s3Prefix,
            s3Region: args.bucketRegion,
            s3OutputConfigurations: [
              {
                outputType: "CUSTOM",
                format: "PARQUET",
                compression: "PARQUET",
                overwrite: "OVERWRITE_REPORT",
              },
            ],
          },
        ],
      },
    ];
    const arns: Record<string, pulumi.Output<string>> = {};
    if (args.includeCur2) {
      const location = args.layout.cur2;
      arns.cur2 = new aws.bcmdata.Export(
        `${name}-cur2`,
        {
          export: {
            name: location.exportName,
            description: "Costline: CUR 2.0 for normalization to FOCUS",
            dataQueries: [
              {
                queryStatement: exportQuery(CUR2_TABLE, cur2Columns(args.cur2)),
                tableConfigurations: cur2TableConfigurations(args.cur2, args.accountId),
              },
            ],
            destinationConfigurations: destination(location),
            refreshCadences: [{ frequency: "SYNCHRONOUS" }],
          },
        },
        child,
      ).arn;
    }
    if (args.includeFocus) {
      const location = args.layout.focus;
      arns.focus = new aws.bcmdata.Export(
        `${name}-focus`,
        {
          export: {
            name: location.exportName,
            description: "Costline: FOCUS 1.2 with AWS columns",
            dataQueries: [
              {
                queryStatement: exportQuery(FOCUS_TABLE, focusColumns()),
                tableConfigurations: focusTableConfigurations(args.cur2.granularity),
              },
            ],
            destinationConfigurations: destination(location),
            refreshCadences: [{ frequency: "SYNCHRONOUS" }],
          },
        },
        child,
      ).arn;
    }
    this.exportArns = pulumi.output(arns);
    this.registerOutputs({ exportArns: this.exportArns });
  }
}
