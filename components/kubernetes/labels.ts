/**
 * The labels a Costline workload carries: the tenant's labels (from `kubernetesLabels`) plus the
 * recommended `app.kubernetes.io/*` ones that selectors use. Tenant label keys cannot contain "/",
 * so the two sets never collide.
 */
export function workloadLabels(
  tenantLabels: Readonly<Record<string, string>>,
  app: string,
  instance: string,
): Record<string, string> {
  return { ...tenantLabels, ...selectorLabels(app, instance), "app.kubernetes.io/part-of": "costline" };
}

/** The labels that select one workload's pods. */
export function selectorLabels(app: string, instance: string): Record<string, string> {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": instance };
}
