import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../../components/aws/iam";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

/** One request to evaluate. */
export interface SimRequest {
  /** Caller: a role ARN or a service principal. */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  context?: Record<string, string | string[]>;
}

/** The policies in force. */
export interface SimPolicies {
  identity?: PolicyDocument[];
  resource?: PolicyDocument;
}

/**
 * Evaluates one request with the IAM policy simulator. A request the simulator cannot evaluate
 * (unknown action, resource type or context key) fails the test instead of counting as a denial.
 */
export async function decide(request: SimRequest, policies: SimPolicies): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: request.context ?? {},
      },
      identityPolicies: (policies.identity ?? []).map((policy, i) => ({ name: `policy${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resource,
    },
    {},
  );
  if (response.resultType === "error") {
    throw new Error(
      `the simulator rejected ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`,
    );
  }
  // Actions without resource types (cloudwatch:PutMetricData) are asked for "*"; when no statement
  // of any policy names a matching pattern the simulator evaluates nothing and the request is denied.
  const results = response.resultType === "single" ? [response.result] : response.results;
  if (results.length === 0 && request.resource === "*") return response.overallResult as Decision;
  if (results.length !== 1) {
    throw new Error(
      `${request.action} on ${request.resource} matched ${results.length} resource patterns; ask for one resource`,
    );
  }
  const ignored = results[0].ignoredContextKeys ?? [];
  const given = Object.keys(request.context ?? {});
  const dropped = given.filter((k) => ignored.includes(k) && !ALWAYS_PRESENT.includes(k));
  if (dropped.length > 0) {
    throw new Error(
      `the simulator ignored context key(s) ${dropped.join(", ")} for ${request.action}; the test proves nothing`,
    );
  }
  return response.overallResult as Decision;
}

/** Transport keys we add to every S3 request; not every action evaluates them. */
const ALWAYS_PRESENT = ["aws:SecureTransport", "s3:TlsVersion"];
