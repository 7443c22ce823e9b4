import { ConfigError, type ConfigIssue } from "./config-error.js";
import type { FilterPlanner } from "./filter-planner.js";
import type { MeshConfig } from "./mesh-config.js";
import { checkSelectors, checkVirtualServiceConflicts } from "./mesh-checks.js";
import { BUILTIN_PLANNERS } from "./planners/index.js";
import { orderFilters, type FilterPlan, type WorkloadPlan } from "./workload-plan.js";

/** The result of {@link compileWorkloadPlans}. */
export interface CompiledPlans {
  /** One plan per workload, sorted by namespace then name; workloads without filters have `filters: []`. */
  plans: WorkloadPlan[];
  /** Problems that do not stop generation (e.g. a VirtualService host no service declares). */
  warnings: ConfigIssue[];
}

/**
 * Checks the mesh (selectors that match nothing, conflicting VirtualServices) and runs every planner for
 * every workload. Throws a {@link ConfigError} listing all problems.
 */
export function compileWorkloadPlans(mesh: MeshConfig, planners: readonly FilterPlanner[] = BUILTIN_PLANNERS): CompiledPlans {
  const issues = [...checkSelectors(mesh), ...checkVirtualServiceConflicts(mesh)];
  if (issues.length > 0) throw new ConfigError(issues);

  const warnings: ConfigIssue[] = [];
  const seenWarnings = new Set<string>();
  const warn = (issue: ConfigIssue): void => {
    const key = JSON.stringify(issue);
    if (!seenWarnings.has(key)) {
      seenWarnings.add(key);
      warnings.push(issue);
    }
  };
  const workloads = [...mesh.workloads].sort((a, b) => (a.namespace + "/" + a.name < b.namespace + "/" + b.name ? -1 : 1));
  const plans: WorkloadPlan[] = [];
  for (const workload of workloads) {
    const filters: FilterPlan[] = [];
    for (const planner of planners) {
      try {
        const filter = planner.plan({ mesh, workload, warn });
        if (filter) filters.push(filter);
      } catch (error) {
        if (error instanceof ConfigError) issues.push(...error.issues);
        else throw error;
      }
    }
    plans.push({
      workload: { name: workload.name, namespace: workload.namespace, labels: { ...workload.labels }, serviceAccount: workload.serviceAccount },
      filters: orderFilters(filters),
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { plans, warnings };
}
