import { describe, expect, it } from "vitest";
import { compileWorkloadPlans } from "../../src/config/compile-plans.js";
import { ConfigError, formatIssue } from "../../src/config/config-error.js";
import { buildMeshConfig } from "../../src/config/load-mesh-config.js";
import { jwksClusterFor, jwtPlanner } from "../../src/config/planners/jwt-planner.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";

const WORKLOADS = `
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: productpage-v1, namespace: default }
spec: { labels: { app: productpage, version: v1 }, ports: [{ number: 9080 }] }
---
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: reviews-v1, namespace: default }
spec: { labels: { app: reviews, version: v1 }, ports: [{ number: 9080 }] }
---
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: other-v1, namespace: other }
spec: { labels: { app: other }, ports: [{ number: 9080 }] }
`;

const JWKS = '{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"a"}]}';

function plansFor(resources: string) {
  const mesh = buildMeshConfig(parseYamlDocuments(`${WORKLOADS}---\n${resources}`, "test.yaml"));
  return compileWorkloadPlans(mesh, [jwtPlanner]);
}

function jwtOf(result: ReturnType<typeof plansFor>, workload: string) {
  return result.plans.find((p) => p.workload.name === workload)!.filters.find((f) => f.name === "jwt");
}

describe("jwt planner", () => {
  it("plans RequestAuthentication as the jwt filter in AUTHN, SERVER mode, failing closed, for selected workloads", () => {
    const result = plansFor(`
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt-example, namespace: default }
spec:
  selector: { matchLabels: { app: productpage } }
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/jwt/samples/jwks.json
    fromHeaders: [{ name: x-jwt, prefix: "Bearer " }]
    outputPayloadToHeader: x-payload
`);
    const plan = jwtOf(result, "productpage-v1")!;
    expect(plan).toMatchObject({ module: "jwt", phase: "AUTHN", mode: "SERVER", failStrategy: "FAIL_CLOSE", sources: ["RequestAuthentication default/jwt-example"] });
    expect(plan.config).toEqual({
      rules: [{
        issuer: "testing@secure.istio.io",
        jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/jwt/samples/jwks.json",
        jwksCluster: "outbound|443||raw.githubusercontent.com",
        fromHeaders: [{ name: "x-jwt", prefix: "Bearer " }],
        outputPayloadToHeader: "x-payload",
      }],
      jwksCacheSeconds: 600,
    });
    expect(jwtOf(result, "reviews-v1")).toBeUndefined();
    expect(jwtOf(result, "other-v1")).toBeUndefined();
  });

  it("merges the rules of every policy that applies (root namespace, namespace, selector)", () => {
    const result = plansFor(`
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: mesh-wide, namespace: istio-system }
spec: { jwtRules: [{ issuer: root, jwks: '${JWKS}' }] }
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: { name: ns, namespace: default }
spec: { jwtRules: [{ issuer: ns, jwks: '${JWKS}', audiences: [a] }] }
`);
    expect((jwtOf(result, "reviews-v1")!.config.rules as { issuer: string }[]).map((r) => r.issuer)).toEqual(["root", "ns"]);
    expect((jwtOf(result, "other-v1")!.config.rules as { issuer: string; jwksCluster?: string }[])).toEqual([{ issuer: "root", jwks: JWKS }]);
  });

  it("derives the JWKS cluster from the URI's host and port", () => {
    expect(jwksClusterFor("http://keycloak.auth.svc:8080/realms/x/certs")).toBe("outbound|8080||keycloak.auth.svc");
    expect(jwksClusterFor("http://issuer.example/jwks")).toBe("outbound|80||issuer.example");
    expect(jwksClusterFor("ftp://x/y")).toBeUndefined();
  });

  it("reports rules without issuer, without keys, or with broken inline JWKS", () => {
    let message = "";
    try {
      plansFor(`
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: bad, namespace: default }
spec: { jwtRules: [{ jwks: '${JWKS}' }, { issuer: b }, { issuer: c, jwks: "{nope" }] }
`);
    } catch (error) {
      message = (error as ConfigError).issues.map(formatIssue).join("\n");
    }
    expect(message).toContain("issuer is required");
    expect(message).toContain("OpenID discovery from the issuer is not supported");
    expect(message).toContain("jwks is not JSON");
  });
});
