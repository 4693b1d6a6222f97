import { list, record } from "../policy";

/**
 * IAM grant resources of any GCP service: `…IamMember` (one member), `…IamBinding` (several
 * `members`) or `…IamPolicy` (a whole policy, as `policyData` JSON), each spelled `Iam` or `IAM`.
 */
export const IAM_GRANT_TYPE = /^gcp:[^:]+:[A-Za-z0-9]*(Iam|IAM)(Member|Binding|Policy)$/;

/** Grants on a project, folder or organization: they reach every resource below it. */
export const HIERARCHY_GRANT_TYPE =
  /^gcp:(projects|folder|organizations)\/[A-Za-z]+:(IAM|Iam)(Member|Binding|Policy)$/;

/** One role given to members. */
export interface Grant {
  role: string;
  members: string[];
}

const strings = (v: unknown): string[] => list(v).filter((m): m is string => typeof m === "string");

/**
 * The grants an IAM resource makes: its role and member(s), or each binding of its policy data.
 * Policy data the plan cannot read ("[secret]", not JSON) grants nothing this can judge; the
 * provider rejects data that is not a policy.
 */
export function grantsOf(props: Record<string, unknown>): Grant[] {
  if (props.policyData !== undefined) {
    let policy: unknown = props.policyData;
    if (typeof policy === "string") {
      try {
        policy = JSON.parse(policy);
      } catch {
        return [];
      }
    }
    return list(record(policy).bindings).map((b) => ({
      role: String(record(b).role ?? ""),
      members: strings(record(b).members),
    }));
  }
  const members = [...(typeof props.member === "string" ? [props.member] : []), ...strings(props.members)];
  return [{ role: String(props.role ?? ""), members }];
}

/** allUsers and allAuthenticatedUsers: anyone, or anyone with a Google account. */
export const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** The public members among grants, once each. */
export const publicMembersOf = (grants: Grant[]): string[] => [
  ...new Set(grants.flatMap((g) => g.members.filter((m) => PUBLIC_MEMBERS.includes(m)))),
];
