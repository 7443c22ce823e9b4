import { describe, expect, it } from "vitest";
import { compileWorkloadPlans } from "../../src/config/compile-plans.js";
import { ConfigError, formatIssue } from "../../src/config/config-error.js";
import { buildMeshConfig } from "../../src/config/load-mesh-config.js";
import { BUILTIN_PLANNERS } from "../../src/config/planners/index.js";
import { rbacPlanner } from "../../src/config/planners/rbac-planner.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";

const WORKLOADS = `
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: httpbin-v1, namespace: foo }
spec: { labels: { app: httpbin, version: v1 }, ports: [{ number: 8000 }] }
---
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: sleep-v1, namespace: foo }
spec: { labels: { app: sleep }, ports: [{ number: 80 }] }
---
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: other-v1, namespace: bar }
spec: { labels: { app: httpbin }, ports: [{ number: 8000 }] }
`;

function plansFor(policies: string) {
  const mesh = buildMeshConfig(parseYamlDocuments(`${WORKLOADS}---\n${policies}`, "test.yaml"));
  return compileWorkloadPlans(mesh, [rbacPlanner]);
}

function rbacOf(result: ReturnType<typeof plansFor>, workload: string) {
  return result.plans.find((p) => p.workload.name === workload)!.filters.find((f) => f.name === "rbac");
}

function issuesOf(policies: string): string {
  try {
    plansFor(policies);
  } catch (error) {
    return (error as ConfigError).issues.map(formatIssue).join("\n");
  }
  return "";
}

describe("rbac planner", () => {
  it("is registered with the built-in planners", () => {
    expect(BUILTIN_PLANNERS).toContain(rbacPlanner);
  });

  it("plans nothing without an AuthorizationPolicy", () => {
    const mesh = buildMeshConfig(parseYamlDocuments(WORKLOADS, "test.yaml"));
    expect(compileWorkloadPlans(mesh, [rbacPlanner]).plans.every((plan) => plan.filters.length === 0)).toBe(true);
  });

  it("plans the rbac module inbound, in phase AUTHZ, failing closed, with the policy verbatim", () => {
    const rules = [{ from: [{ source: { requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"] } }], when: [{ key: "request.auth.claims[role]", values: ["customer"] }] }];
    const result = plansFor(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: require-jwt, namespace: foo }
spec:
  selector: { matchLabels: { app: httpbin } }
  action: ALLOW
  rules: ${JSON.stringify(rules)}
`);
    const filter = rbacOf(result, "httpbin-v1")!;
    expect([filter.module, filter.phase, filter.mode, filter.type, filter.failStrategy]).toEqual(["rbac", "AUTHZ", "SERVER", "HTTP", "FAIL_CLOSE"]);
    expect(filter.config).toEqual({ policies: [{ name: "require-jwt", namespace: "foo", action: "ALLOW", rules, dryRun: false }] });
    expect(filter.sources).toEqual(["AuthorizationPolicy foo/require-jwt"]);
    expect(rbacOf(result, "sleep-v1")).toBeUndefined();
    // A selector only reaches workloads of the policy's own namespace.
    expect(rbacOf(result, "other-v1")).toBeUndefined();
  });

  it("applies root-namespace policies mesh-wide and namespace policies to their namespace, v1beta1 too", () => {
    const result = plansFor(`
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: { name: deny-all-ns, namespace: foo }
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: mesh-audit, namespace: istio-system }
spec: { action: AUDIT, rules: [{}] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: mesh-httpbin, namespace: istio-system }
spec: { selector: { matchLabels: { app: httpbin } }, action: DENY, rules: [{ to: [{ operation: { methods: [DELETE] } }] }] }
`);
    const names = (workload: string) => (rbacOf(result, workload)?.config.policies as { namespace: string; name: string }[] | undefined)?.map((p) => `${p.namespace}/${p.name}`);
    expect(names("httpbin-v1")).toEqual(["foo/deny-all-ns", "istio-system/mesh-audit", "istio-system/mesh-httpbin"]);
    expect(names("sleep-v1")).toEqual(["foo/deny-all-ns", "istio-system/mesh-audit"]);
    expect(names("other-v1")).toEqual(["istio-system/mesh-audit", "istio-system/mesh-httpbin"]);
    // spec: {} is an ALLOW policy without rules: it denies everything.
    expect((rbacOf(result, "sleep-v1")!.config.policies as object[])[0]).toEqual({ name: "deny-all-ns", namespace: "foo", action: "ALLOW", rules: null, dryRun: false });
  });

  it("passes the istio.io/dry-run annotation as dryRun", () => {
    const result = plansFor(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: try-deny, namespace: foo, annotations: { "istio.io/dry-run": "true" } }
spec: { action: DENY, rules: [{}] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: not-dry, namespace: foo, annotations: { "istio.io/dry-run": "False" } }
spec: { action: DENY, rules: [{}] }
`);
    const policies = rbacOf(result, "sleep-v1")!.config.policies as { name: string; dryRun: boolean }[];
    expect(policies.map((p) => [p.name, p.dryRun])).toEqual([["not-dry", false], ["try-deny", true]]);
  });

  it("warns about an unparsable dry-run annotation and enforces the policy", () => {
    const result = plansFor(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: maybe, namespace: foo, annotations: { "istio.io/dry-run": "yes" } }
spec: { action: DENY, rules: [{}] }
`);
    expect((rbacOf(result, "sleep-v1")!.config.policies as { dryRun: boolean }[])[0]!.dryRun).toBe(false);
    expect(result.warnings.map(formatIssue).join("\n")).toMatch(/istio\.io\/dry-run.*"yes" is not a boolean/);
  });

  it("refuses CUSTOM with a clear reason, once per policy", () => {
    const issues = issuesOf(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ext, namespace: istio-system }
spec: { action: CUSTOM, provider: { name: opa }, rules: [{}] }
`);
    expect(issues).toMatch(/AuthorizationPolicy istio-system\/ext.*spec\.action: CUSTOM delegates to an external authorizer \(provider "opa"\)/);
    expect(issues.split("\n")).toHaveLength(1);
  });
});
