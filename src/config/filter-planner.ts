import type { ConfigIssue } from "./config-error.js";
import type { MeshConfig, Workload } from "./mesh-config.js";
import type { FilterPlan } from "./workload-plan.js";

/** What a planner gets: the whole mesh, the workload being planned, and a way to report warnings. */
export interface PlanningContext {
  mesh: MeshConfig;
  workload: Workload;
  warn(issue: ConfigIssue): void;
}

/**
 * Turns the Istio resources relevant to one filter into that filter's plan for one workload. A planner
 * returns nothing when the filter is not needed (e.g. no VirtualService is visible to the workload). It may
 * throw a ConfigError for input it cannot honour.
 */
export interface FilterPlanner {
  /** The filter's name; also the default module name (`build/<name>.wasm`). */
  readonly name: string;
  plan(context: PlanningContext): FilterPlan | undefined;
}
