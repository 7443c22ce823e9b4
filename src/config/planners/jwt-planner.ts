import { ConfigError, type ConfigIssue } from "../config-error.js";
import type { FilterPlanner, PlanningContext } from "../filter-planner.js";
import type { IstioResource, MeshConfig, SelectorSpec, Workload } from "../mesh-config.js";
import { policyApplies } from "../policy-scope.js";
import { resourceIssue } from "../resource-issue.js";
import type { FilterPlan } from "../workload-plan.js";

/** One `spec.jwtRules[]` entry of a RequestAuthentication (istio/api security/v1beta1/request_authentication.proto `JWTRule`). */
export interface JwtRuleSpec {
  issuer?: string;
  audiences?: string[];
  jwksUri?: string;
  jwks?: string;
  fromHeaders?: { name?: string; prefix?: string }[];
  fromParams?: string[];
  fromCookies?: string[];
  outputPayloadToHeader?: string;
  outputClaimToHeaders?: { header?: string; claim?: string }[];
  forwardOriginalToken?: boolean;
  timeout?: string;
}

interface RequestAuthenticationSpec extends SelectorSpec {
  jwtRules?: JwtRuleSpec[];
}
type RequestAuthentication = IstioResource<RequestAuthenticationSpec>;

/** A rule as the jwt filter takes it (docs/auth-contract.md): Istio's fields plus the JWKS cluster. */
export type JwtFilterRule = JwtRuleSpec & { jwksCluster?: string };

/** The jwt filter's plugin configuration. */
export interface JwtPluginConfig {
  rules: JwtFilterRule[];
  jwksCacheSeconds: number;
}

/** How long fetched keys are kept: Envoy's default for jwt_authn `RemoteJwks.cache_duration` (10 minutes; Istio sets none). */
export const JWKS_CACHE_SECONDS = 600;

const RULE_FIELDS: readonly (keyof JwtRuleSpec)[] = [
  "issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "fromCookies",
  "outputPayloadToHeader", "outputClaimToHeaders", "forwardOriginalToken", "timeout",
];

/**
 * The Envoy cluster a JWKS URI is fetched through: Istio's outbound cluster of the URI's host and port
 * (`outbound|<port>||<host>`; 443 for https and 80 for http when the URI names no port), as istiod builds
 * the jwks_uri cluster for a remote JWKS (pilot/pkg/security/authn `buildJwksURIClusterName`).
 */
export function jwksClusterFor(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const port = url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80";
  return `outbound|${port}||${url.hostname}`;
}

/** The RequestAuthentications that apply to a workload; Istio merges all of them (root namespace, namespace, selector). */
export function applicableRequestAuthentications(mesh: MeshConfig, workload: Pick<Workload, "namespace" | "labels">): RequestAuthentication[] {
  return (mesh.requestAuthentications as RequestAuthentication[]).filter((policy) =>
    policyApplies({ namespace: policy.namespace, selector: policy.spec.selector?.matchLabels }, workload, mesh.rootNamespace));
}

function ruleIssues(policy: RequestAuthentication, index: number, rule: JwtRuleSpec): ConfigIssue[] {
  const path = ["spec", "jwtRules", index];
  const issues: ConfigIssue[] = [];
  if (typeof rule.issuer !== "string" || rule.issuer === "") issues.push(resourceIssue(policy, [...path, "issuer"], "issuer is required"));
  if (rule.jwks !== undefined) {
    try {
      const parsed = JSON.parse(rule.jwks) as { keys?: unknown };
      if (!Array.isArray(parsed.keys)) issues.push(resourceIssue(policy, [...path, "jwks"], "jwks must be a JSON Web Key Set with a keys list"));
    } catch (error) {
      issues.push(resourceIssue(policy, [...path, "jwks"], `jwks is not JSON: ${(error as Error).message}`));
    }
  } else if (rule.jwksUri !== undefined) {
    if (jwksClusterFor(rule.jwksUri) === undefined) issues.push(resourceIssue(policy, [...path, "jwksUri"], "jwksUri must be an absolute http(s) URL"));
  } else {
    // istiod would discover the JWKS through the issuer's OpenID configuration; the mesh config is offline.
    issues.push(resourceIssue(policy, path, "set jwks or jwksUri: OpenID discovery from the issuer is not supported"));
  }
  return issues;
}

function filterRule(rule: JwtRuleSpec): JwtFilterRule {
  const out: JwtFilterRule = {};
  for (const field of RULE_FIELDS) {
    if (rule[field] !== undefined) (out as Record<string, unknown>)[field] = structuredClone(rule[field]);
  }
  // Inline keys win over the URI, as in Istio (the URI is then not fetched).
  if (out.jwks === undefined && out.jwksUri !== undefined) out.jwksCluster = jwksClusterFor(out.jwksUri);
  else delete out.jwksUri;
  return out;
}

/**
 * Plans Istio request authentication (security.istio.io RequestAuthentication) as the `jwt` module on the
 * workload's inbound side, in the AUTHN phase, failing closed. Every policy that selects the workload
 * contributes its jwtRules, as Istio merges them into one jwt_authn provider list.
 */
export const jwtPlanner: FilterPlanner = {
  name: "jwt",
  plan({ mesh, workload, warn }: PlanningContext): FilterPlan | undefined {
    const policies = applicableRequestAuthentications(mesh, workload);
    if (policies.length === 0) return undefined;
    const issues: ConfigIssue[] = [];
    const rules: JwtFilterRule[] = [];
    for (const policy of policies) {
      const jwtRules = policy.spec.jwtRules ?? [];
      if (policy.spec.targetRef !== undefined || policy.spec.targetRefs !== undefined) {
        warn(resourceIssue(policy, ["spec", policy.spec.targetRef !== undefined ? "targetRef" : "targetRefs"], "targetRef is ignored: the policy is applied by namespace and selector"));
      }
      jwtRules.forEach((rule, index) => {
        const problems = ruleIssues(policy, index, rule);
        if (problems.length > 0) issues.push(...problems);
        else rules.push(filterRule(rule));
      });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    if (rules.length === 0) return undefined;
    const config: JwtPluginConfig = { rules, jwksCacheSeconds: JWKS_CACHE_SECONDS };
    return {
      name: "jwt",
      module: "jwt",
      phase: "AUTHN",
      priority: 0,
      mode: "SERVER",
      type: "HTTP",
      // A failed authentication filter must not let forged identities through.
      failStrategy: "FAIL_CLOSE",
      config: config as unknown as Record<string, unknown>,
      sources: policies.map((policy) => `RequestAuthentication ${policy.namespace}/${policy.name}`),
    };
  },
};
