import type { FilterPlan, WorkloadPlan } from "../config/workload-plan.js";
import { MANAGED_BY_LABEL } from "./envoyfilter-resource.js";

/** One Istio WasmPlugin (extensions.istio.io/v1alpha1) per filter of a plan. */
export function buildWasmPlugins(
  plan: WorkloadPlan,
  sourceFor: (filter: FilterPlan) => { url: string; sha256?: string; imagePullPolicy: string },
): Record<string, unknown>[] {
  return plan.filters.map((filter) => {
    const source = sourceFor(filter);
    return {
      apiVersion: "extensions.istio.io/v1alpha1",
      kind: "WasmPlugin",
      metadata: { name: `wasmixer-${plan.workload.name}-${filter.name}`, namespace: plan.workload.namespace, labels: { ...MANAGED_BY_LABEL } },
      spec: {
        selector: { matchLabels: { ...plan.workload.labels } },
        url: source.url,
        ...(source.sha256 ? { sha256: source.sha256 } : {}),
        imagePullPolicy: source.imagePullPolicy,
        phase: filter.phase,
        priority: filter.priority,
        pluginName: filter.name,
        pluginConfig: filter.config,
        failStrategy: filter.failStrategy,
        ...(filter.type === "NETWORK" ? { type: "NETWORK" } : {}),
        ...(filter.mode !== "CLIENT_AND_SERVER" ? { match: [{ mode: filter.mode }] } : {}),
      },
    };
  });
}
