/**
 * Security contexts that meet the `restricted` Pod Security Standard, plus a read-only root
 * filesystem. Used for the normalization job and written into OpenCost's chart values, so both
 * workloads in the namespace follow one rule.
 */

/** Pod-level settings for a workload that runs as `uid`. */
export function restrictedPodSecurity(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    // Volumes the pod writes to (emptyDir, a sink claim) become writable by this group.
    fsGroup: uid,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level settings: no privilege, no escalation, no capabilities, nothing written outside volumes. */
export const restrictedContainerSecurity = {
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
