import type { FilterPlanner } from "../filter-planner.js";
import { jwtPlanner } from "./jwt-planner.js";
import { rbacPlanner } from "./rbac-planner.js";
import { routerPlanner } from "./router-planner.js";
import { statsPlanners } from "./stats-planner.js";

/**
 * The filter planners run for every workload. Adding a filter = one planner file in this folder plus its
 * entry here; nothing else in the model needs to change.
 */
export const BUILTIN_PLANNERS: readonly FilterPlanner[] = [routerPlanner, jwtPlanner, rbacPlanner, ...statsPlanners];
