import { ConfigError, type ConfigIssue } from "../config-error.js";
import type { FilterPlanner, PlanningContext } from "../filter-planner.js";
import type { IstioResource, MeshConfig, SelectorSpec } from "../mesh-config.js";
import { policyApplies } from "../policy-scope.js";
import { resourceIssue } from "../resource-issue.js";
import type { FilterPlan } from "../workload-plan.js";

/** Istio's dry-run annotation (istio/api annotation `istio.io/dry-run`): evaluate and report, never enforce. */
export const DRY_RUN_ANNOTATION = "istio.io/dry-run";

/** The actions of security.istio.io AuthorizationPolicy. */
export type AuthorizationAction = "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";

/** One policy of the rbac filter's configuration (docs/auth-contract.md). */
export interface RbacPolicyConfig {
  name: string;
  namespace: string;
  action: AuthorizationAction;
  /** `spec.rules` verbatim; null for a policy without rules (an ALLOW one then denies everything). */
  rules: unknown[] | null;
  dryRun: boolean;
  provider?: { name?: string };
}

/** The rbac filter's plugin configuration. */
export interface RbacPluginConfig {
  policies: RbacPolicyConfig[];
}

interface AuthorizationPolicySpec extends SelectorSpec {
  action?: string;
  rules?: unknown[] | null;
  provider?: { name?: string };
  targetRef?: unknown;
  targetRefs?: unknown[];
}
type AuthorizationPolicy = IstioResource<AuthorizationPolicySpec>;

const ACTIONS: readonly string[] = ["ALLOW", "DENY", "AUDIT", "CUSTOM"];

/** Go's strconv.ParseBool, which Istio applies to the annotation (builder.go `isDryRun`). */
function parseGoBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

function annotationOf(policy: AuthorizationPolicy, name: string): unknown {
  const metadata = (policy.source.value as { metadata?: { annotations?: Record<string, unknown> } } | undefined)?.metadata;
  return metadata?.annotations?.[name];
}

/** The dry-run flag; an unparsable value counts as false, as in Istio, with a warning. */
export function isDryRun(policy: AuthorizationPolicy, warn: (issue: ConfigIssue) => void): boolean {
  const raw = annotationOf(policy, DRY_RUN_ANNOTATION);
  if (raw === undefined) return false;
  const parsed = typeof raw === "boolean" ? raw : parseGoBool(String(raw));
  if (parsed === undefined) {
    warn(resourceIssue(policy, ["metadata", "annotations", DRY_RUN_ANNOTATION], `"${String(raw)}" is not a boolean; the policy is enforced`));
    return false;
  }
  return parsed;
}

/** The AuthorizationPolicies that select a workload (root namespace = mesh-wide, namespace-wide, selector). */
export function applicableAuthorizationPolicies(mesh: MeshConfig, workload: PlanningContext["workload"]): AuthorizationPolicy[] {
  return (mesh.authorizationPolicies as AuthorizationPolicy[])
    .filter((policy) => policyApplies({ namespace: policy.namespace, selector: policy.spec.selector?.matchLabels }, workload, mesh.rootNamespace))
    .sort((a, b) => (a.namespace + "/" + a.name < b.namespace + "/" + b.name ? -1 : a.namespace + "/" + a.name > b.namespace + "/" + b.name ? 1 : 0));
}

/** Problems the filter would reject the policy for, found at planning time. */
function policyIssues(policy: AuthorizationPolicy): ConfigIssue[] {
  const action = policy.spec.action ?? "ALLOW";
  if (!ACTIONS.includes(action)) return [resourceIssue(policy, ["spec", "action"], `unknown action "${action}"; one of ${ACTIONS.join(", ")}`)];
  if (action === "CUSTOM") {
    const provider = policy.spec.provider?.name ?? "";
    return [resourceIssue(policy, ["spec", "action"], `CUSTOM delegates to an external authorizer (provider "${provider}"), which wasmixer's rbac filter does not call; use Envoy's ext_authz filter for it or change the action`)];
  }
  if (policy.spec.rules !== undefined && policy.spec.rules !== null && !Array.isArray(policy.spec.rules)) {
    return [resourceIssue(policy, ["spec", "rules"], "must be a list")];
  }
  return [];
}

export function rbacPolicyConfig(policy: AuthorizationPolicy, warn: (issue: ConfigIssue) => void): RbacPolicyConfig {
  const rules = policy.spec.rules ?? null;
  const config: RbacPolicyConfig = {
    name: policy.name,
    namespace: policy.namespace,
    action: (policy.spec.action ?? "ALLOW") as AuthorizationAction,
    rules: rules === null || rules.length === 0 ? null : rules,
    dryRun: isDryRun(policy, warn),
  };
  if (policy.spec.provider) config.provider = policy.spec.provider;
  return config;
}

// A policy applies to many workloads; each of its problems is reported once per mesh.
const reportedByMesh = new WeakMap<MeshConfig, Set<AuthorizationPolicy>>();

function firstTime(mesh: MeshConfig, policy: AuthorizationPolicy): boolean {
  const reported = reportedByMesh.get(mesh) ?? new Set<AuthorizationPolicy>();
  reportedByMesh.set(mesh, reported);
  if (reported.has(policy)) return false;
  reported.add(policy);
  return true;
}

/**
 * Plans Istio authorization (security.istio.io AuthorizationPolicy, v1 and v1beta1) as the `rbac` module on
 * the workload's inbound side, in the AUTHZ phase, failing closed. Policies select workloads by Istio's
 * rules; `targetRef(s)` (gateways, waypoints) do not apply to sidecars and are ignored with a warning.
 */
export const rbacPlanner: FilterPlanner = {
  name: "rbac",
  plan({ mesh, workload, warn }: PlanningContext): FilterPlan | undefined {
    const policies = applicableAuthorizationPolicies(mesh, workload);
    if (policies.length === 0) return undefined;
    const issues: ConfigIssue[] = [];
    const configs: RbacPolicyConfig[] = [];
    for (const policy of policies) {
      const first = firstTime(mesh, policy);
      const problems = policyIssues(policy);
      if (problems.length > 0) {
        if (first) issues.push(...problems);
        continue;
      }
      if (first && (policy.spec.targetRef !== undefined || (policy.spec.targetRefs?.length ?? 0) > 0)) {
        warn(resourceIssue(policy, ["spec", policy.spec.targetRef !== undefined ? "targetRef" : "targetRefs"], "targetRef is ignored: the policy is applied by namespace and selector"));
      }
      configs.push(rbacPolicyConfig(policy, first ? warn : () => {}));
    }
    if (issues.length > 0) throw new ConfigError(issues);
    if (configs.length === 0) return undefined;
    const config: RbacPluginConfig = { policies: configs };
    return {
      name: "rbac",
      module: "rbac",
      phase: "AUTHZ",
      priority: 0,
      mode: "SERVER",
      type: "HTTP",
      // An authorization filter that fails open would let every request through.
      failStrategy: "FAIL_CLOSE",
      config: config as unknown as Record<string, unknown>,
      sources: policies.map((policy) => `AuthorizationPolicy ${policy.namespace}/${policy.name}`),
    };
  },
};
