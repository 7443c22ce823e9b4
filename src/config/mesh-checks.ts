import type { ConfigIssue } from "./config-error.js";
import { qualifyHost } from "./host-names.js";
import type { IstioResource, MatchLabels, MeshConfig } from "./mesh-config.js";
import { exportedTo, labelsMatch } from "./policy-scope.js";
import { boundGateways } from "./virtual-service-binding.js";
import { resourceIssue } from "./resource-issue.js";

interface SelectorUse {
  resource: IstioResource<Record<string, unknown>>;
  path: string[];
  labels: MatchLabels;
  /** Gateways select pods in every namespace; workload policies only in theirs (or all from the root). */
  anyNamespace: boolean;
}

function selectorUses(mesh: MeshConfig): SelectorUse[] {
  const uses: SelectorUse[] = [];
  const add = (resource: IstioResource<Record<string, unknown>>, path: string[], labels: unknown, anyNamespace: boolean): void => {
    if (labels && typeof labels === "object" && Object.keys(labels).length > 0) {
      uses.push({ resource, path, labels: labels as MatchLabels, anyNamespace: anyNamespace || resource.namespace === mesh.rootNamespace });
    }
  };
  for (const list of [mesh.requestAuthentications, mesh.authorizationPolicies, mesh.telemetries, mesh.wasmPlugins]) {
    for (const resource of list) add(resource, ["spec", "selector", "matchLabels"], resource.spec.selector?.matchLabels, false);
  }
  for (const resource of mesh.envoyFilters) add(resource, ["spec", "workloadSelector", "labels"], resource.spec.workloadSelector?.labels, false);
  for (const resource of mesh.destinationRules) {
    add(resource, ["spec", "workloadSelector", "matchLabels"], resource.spec.workloadSelector?.matchLabels, false);
  }
  for (const resource of mesh.gateways) add(resource, ["spec", "selector"], resource.spec.selector, true);
  return uses;
}

/** Selectors that select no declared workload: almost always a typo in a label. */
export function checkSelectors(mesh: MeshConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const use of selectorUses(mesh)) {
    const matched = mesh.workloads.some(
      (workload) => (use.anyNamespace || workload.namespace === use.resource.namespace) && labelsMatch(use.labels, workload.labels),
    );
    if (!matched) {
      const wanted = Object.entries(use.labels).map(([k, v]) => `${k}=${v}`).join(",");
      const scope = use.anyNamespace ? "any namespace" : `namespace ${use.resource.namespace}`;
      issues.push(resourceIssue(use.resource, use.path, `selector {${wanted}} matches no workload in ${scope}`));
    }
  }
  return issues;
}

function visibilityOverlaps(a: IstioResource<{ exportTo?: string[] }>, b: IstioResource<{ exportTo?: string[] }>, namespaces: string[]): boolean {
  return namespaces.some((ns) => exportedTo({ namespace: a.namespace, exportTo: a.spec.exportTo }, ns) && exportedTo({ namespace: b.namespace, exportTo: b.spec.exportTo }, ns));
}

/**
 * Two VirtualServices claiming the same host for the same gateway (or both for the mesh) where some
 * namespace sees both. Istio would silently keep one (the oldest); here it is an error naming both.
 */
export function checkVirtualServiceConflicts(mesh: MeshConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const namespaces = [...new Set([...mesh.workloads.map((w) => w.namespace), ...mesh.virtualServices.map((vs) => vs.namespace), mesh.rootNamespace])];
  const claims = new Map<string, { vs: IstioResource<Record<string, unknown>>; index: number }>();
  for (const vs of mesh.virtualServices) {
    (vs.spec.hosts ?? []).forEach((rawHost, index) => {
      const host = qualifyHost(rawHost, vs.namespace);
      for (const gateway of boundGateways(vs)) {
        const key = `${gateway}\u0000${host}`;
        const previous = claims.get(key);
        if (previous && previous.vs !== vs && visibilityOverlaps(previous.vs, vs, namespaces)) {
          const where = `${previous.vs.source.file} document ${previous.vs.source.documentIndex}`;
          issues.push(
            resourceIssue(vs, ["spec", "hosts", index], `host "${host}" for gateway "${gateway}" is already claimed by VirtualService ${previous.vs.namespace}/${previous.vs.name} (${where})`),
          );
        } else if (!previous) {
          claims.set(key, { vs, index });
        }
      }
    });
  }
  return issues;
}
