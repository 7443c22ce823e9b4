import type { MatchLabels, Workload } from "./mesh-config.js";

/** True when every `matchLabels` entry is among the workload's labels. */
export function labelsMatch(matchLabels: MatchLabels, labels: Record<string, string>): boolean {
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

/**
 * Whether a workload-scoped policy (RequestAuthentication, AuthorizationPolicy, Telemetry, WasmPlugin,
 * EnvoyFilter) applies to a workload, by Istio's rules: a policy without selector applies to its whole
 * namespace, or to the whole mesh when it lives in the root namespace; a policy with a selector applies to
 * the matching workloads of its namespace, or of every namespace when it lives in the root namespace.
 */
export function policyApplies(
  policy: { namespace: string; selector: MatchLabels | undefined },
  workload: Pick<Workload, "namespace" | "labels">,
  rootNamespace: string,
): boolean {
  const inScope = policy.namespace === rootNamespace || policy.namespace === workload.namespace;
  if (!inScope) return false;
  if (!policy.selector || Object.keys(policy.selector).length === 0) return true;
  return labelsMatch(policy.selector, workload.labels);
}

/**
 * Whether a resource exported with `exportTo` is visible from `namespace` (Istio: "*" or absent = every
 * namespace, "." = its own namespace, otherwise the listed namespaces).
 */
export function exportedTo(resource: { namespace: string; exportTo?: string[] }, namespace: string): boolean {
  const exportTo = resource.exportTo && resource.exportTo.length > 0 ? resource.exportTo : ["*"];
  return exportTo.some((entry) => entry === "*" || entry === namespace || (entry === "." && resource.namespace === namespace));
}
