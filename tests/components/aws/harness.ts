import * as pulumi from "@pulumi/pulumi";
import { AwsCostPipeline, type AwsCostPipelineArgs } from "../../../components/aws/pipeline";
import type { TenantConfig } from "../../../components/tenant/config";
import { createTenantProviders } from "../../../components/tenant/providers";
import { type Recorded, record } from "../../helpers/pulumi";
import { exampleTenant } from "../../helpers/tenants";

/** A tenant reduced to its AWS side, so that only AWS providers are created. */
export const awsTenant = (
  tenant: TenantConfig = exampleTenant(),
): TenantConfig & { aws: NonNullable<TenantConfig["aws"]> } => {
  if (!tenant.aws) throw new Error(`tenant ${tenant.tenantId} has no aws section`);
  return { ...tenant, aws: tenant.aws, gcp: undefined, azure: undefined, kubernetes: undefined };
};

/** Resolves an output's value (secret or not) once the program has run. */
export const resolved = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((resolve) => output.apply((v) => resolve(v as T)));

/** What one recorded AwsCostPipeline run yields: the resources and the component's own values. */
export interface PipelineRun {
  recorded: Recorded;
  pipeline: AwsCostPipeline;
  providerUrns: { main: string; usEast1: string };
}

type Extra = Omit<AwsCostPipelineArgs, "tenant" | "aws" | "provider" | "usEast1Provider" | "jobCode">;

/** Records the AWS pipeline of a tenant under mocks, with the tenant's own explicit providers. */
export async function recordAwsPipeline(tenant = awsTenant(), extra: Extra = {}): Promise<PipelineRun> {
  let pipeline: AwsCostPipeline | undefined;
  const providerUrns = { main: "", usEast1: "" };
  const recorded = await record(() => {
    const root = new pulumi.ComponentResource("test:index:Tenant", tenant.tenantId);
    const providers = createTenantProviders(tenant.tenantId, tenant, {}, root);
    if (!providers.aws) throw new Error("no AWS providers");
    providers.aws.main.urn.apply((u) => (providerUrns.main = u));
    providers.aws.usEast1.urn.apply((u) => (providerUrns.usEast1 = u));
    pipeline = new AwsCostPipeline(
      `${tenant.tenantId}-aws`,
      {
        tenant,
        aws: tenant.aws as NonNullable<TenantConfig["aws"]>,
        provider: providers.aws.main,
        usEast1Provider: providers.aws.usEast1,
        jobCode: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({});"),
        }),
        ...extra,
      },
      { parent: root },
    );
  });
  if (!pipeline) throw new Error("the program did not create the pipeline");
  return { recorded, pipeline, providerUrns };
}

/** A recorded input that holds a JSON document, parsed. */
export function parsedInput(recorded: Recorded, type: string, name: string, field: string): unknown {
  const value = recorded.one(type, name).inputs[field];
  if (typeof value !== "string")
    throw new Error(`${name}.${field} is not JSON text: ${JSON.stringify(value)}`);
  return JSON.parse(value);
}
