import { describe, expect, test } from "vitest";
import { compileWorkloadPlans } from "../../src/config/compile-plans.js";
import { ConfigError, formatIssue } from "../../src/config/config-error.js";
import type { FilterPlanner } from "../../src/config/filter-planner.js";
import { buildMeshConfig, loadMeshConfig } from "../../src/config/load-mesh-config.js";
import { policyApplies } from "../../src/config/policy-scope.js";
import { BUILTIN_PLANNERS } from "../../src/config/planners/index.js";
import { CLUSTER_HEADER, type RouterConfig } from "../../src/config/planners/router-planner.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";

function build(text: string) {
  return buildMeshConfig(parseYamlDocuments(text, "mesh.yaml"));
}

function workload(name: string, namespace: string, labels: Record<string, string>, serviceHost?: string): string {
  return `apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  labels: ${JSON.stringify(labels)}
  ports: [{ number: 9080 }]
${serviceHost ? `  service: { host: ${serviceHost} }\n` : ""}---
`;
}

function compileErrors(text: string): string[] {
  try {
    compileWorkloadPlans(build(text));
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("router planner on bookinfo", () => {
  const { plans, warnings } = compileWorkloadPlans(loadMeshConfig("examples/bookinfo"));
  const productpage = plans.find((plan) => plan.workload.name === "productpage-v1")!;
  const router = productpage.filters.find((filter) => filter.name === "router")!;
  const config = router.config as unknown as RouterConfig;

  test("one plan per workload, each with the router on outbound traffic", () => {
    expect(plans.map((plan) => plan.workload.name)).toEqual(["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"]);
    expect(warnings).toEqual([]);
    expect(router).toMatchObject({ module: "router", phase: "UNSPECIFIED_PHASE", mode: "CLIENT", failStrategy: "FAIL_CLOSE" });
  });

  test("virtual services carry qualified hosts, aliases and destinations", () => {
    expect(config.clusterHeader).toBe(CLUSTER_HEADER);
    const reviews = config.virtualServices.find((vs) => vs.name === "default/reviews")!;
    expect(reviews.hosts).toEqual(["reviews.default.svc.cluster.local", "reviews", "reviews.default", "reviews.default.svc"]);
    expect(reviews.http[0]).toEqual({
      name: "jason-to-v2",
      match: [{ headers: { "end-user": { exact: "jason" } } }],
      route: [{ destination: { host: "reviews.default.svc.cluster.local", subset: "v2" } }],
    });
    expect((reviews.http[1].route as { weight: number }[]).map((r) => r.weight)).toEqual([75, 25]);
  });

  test("consistentHash comes from the DestinationRule of routed hosts only", () => {
    expect(config.destinationRules).toEqual({ "reviews.default.svc.cluster.local": { consistentHash: { httpHeaderName: "x-user" } } });
  });

  test("virtual hosts to take over are the HTTP ports of the routed services", () => {
    expect(router.clusterHeaderRouting).toEqual({
      header: CLUSTER_HEADER,
      virtualHosts: [
        { host: "ratings.default.svc.cluster.local", port: 9080 },
        { host: "reviews.default.svc.cluster.local", port: 9080 },
      ],
    });
    expect(router.sources).toEqual(["VirtualService default/ratings", "VirtualService default/reviews", "DestinationRule default/reviews"]);
  });
});

describe("visibility", () => {
  const mesh = build(`${workload("client", "shop", { app: "client" })}${workload("api", "backend", { app: "api" }, "api")}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: private, namespace: backend }
spec:
  hosts: [api]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: api, port: { number: 9080 } } }] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: gateway-only, namespace: shop }
spec:
  hosts: [web.example.com]
  gateways: [ingress]
  http: [{ route: [{ destination: { host: api.backend.svc.cluster.local } }] }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api-mesh-default, namespace: istio-system }
spec:
  host: "*.backend.svc.cluster.local"
  trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: user, ttl: 0s } } } }
`);
  const { plans } = compileWorkloadPlans(mesh);

  test("exportTo '.' hides a VirtualService from other namespaces; gateway-bound ones never reach sidecars", () => {
    expect(plans.find((p) => p.workload.name === "client")!.filters).toEqual([]);
    const api = plans.find((p) => p.workload.name === "api")!;
    expect((api.filters[0].config as unknown as RouterConfig).virtualServices.map((vs) => vs.name)).toEqual(["backend/private"]);
  });

  test("a root-namespace wildcard DestinationRule applies when nothing closer exists", () => {
    const api = plans.find((p) => p.workload.name === "api")!;
    expect((api.filters[0].config as unknown as RouterConfig).destinationRules).toEqual({
      "api.backend.svc.cluster.local": { consistentHash: { httpCookie: { name: "user", ttl: "0s" } } },
    });
  });
});

describe("bad input", () => {
  test("selectors that match nothing", () => {
    const errors = compileErrors(`${workload("reviews-v1", "default", { app: "reviews", version: "v1" })}apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny, namespace: default }
spec:
  selector: { matchLabels: { app: reveiws } }
  action: DENY
  rules: [{}]
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: ef, namespace: other }
spec:
  workloadSelector: { labels: { app: reviews } }
`);
    expect(errors).toEqual([
      "mesh.yaml:12:28: document 1 (AuthorizationPolicy default/deny): spec.selector.matchLabels: selector {app=reveiws} matches no workload in namespace default",
      "mesh.yaml:20:31: document 2 (EnvoyFilter other/ef): spec.workloadSelector.labels: selector {app=reviews} matches no workload in namespace other",
    ]);
  });

  test("two VirtualServices claiming one host for the mesh", () => {
    const vs = (name: string, host: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: default }
spec:
  hosts: [${host}]
  http: [{ route: [{ destination: { host: reviews } }] }]
---
`;
    const errors = compileErrors(`${workload("reviews-v1", "default", { app: "reviews" }, "reviews")}${vs("a", "reviews")}${vs("b", "reviews.default.svc.cluster.local")}`);
    expect(errors).toEqual([
      'mesh.yaml:20:11: document 2 (VirtualService default/b): spec.hosts[0]: host "reviews.default.svc.cluster.local" for gateway "mesh" is already claimed by VirtualService default/a (mesh.yaml document 1)',
    ]);
  });

  test("the same host on different gateways, or invisible to each other, is no conflict", () => {
    const text = `${workload("reviews-v1", "default", { app: "reviews" }, "reviews")}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: a, namespace: default }
spec: { hosts: [reviews], http: [{ route: [{ destination: { host: reviews } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: b, namespace: default }
spec: { hosts: [reviews], gateways: [ingress], http: [{ route: [{ destination: { host: reviews } }] }] }
`;
    expect(() => compileWorkloadPlans(build(text))).not.toThrow();
  });

  test("hosts no service declares are warnings", () => {
    const { warnings } = compileWorkloadPlans(build(`${workload("w", "default", { app: "w" })}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ext, namespace: default }
spec: { hosts: [api.example.com], http: [{ route: [{ destination: { host: api.example.com } }] }] }
`));
    expect(warnings.map(formatIssue)).toEqual([
      'mesh.yaml:11:17: document 1 (VirtualService default/ext): spec.hosts[0]: host "api.example.com" is not a known service (no Workload service or ServiceEntry declares it): its requests get no cluster_header route',
    ]);
  });
});

describe("planner registry", () => {
  test("a new planner is one object; filters are ordered by phase then priority", () => {
    const mesh = build(`${workload("w", "default", { app: "w" })}apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: istio-system }
spec: { jwtRules: [{ issuer: "https://issuer.example.com" }] }
`);
    const jwtPlanner: FilterPlanner = {
      name: "jwt",
      plan: ({ mesh: m, workload: w }) => {
        const rules = m.requestAuthentications.filter((ra) => policyApplies({ namespace: ra.namespace, selector: ra.spec.selector?.matchLabels }, w, m.rootNamespace));
        if (rules.length === 0) return undefined;
        return { name: "jwt", module: "jwt", phase: "AUTHN", priority: 0, mode: "SERVER", failStrategy: "FAIL_CLOSE", config: { rules: rules.map((r) => r.spec) }, sources: [] };
      },
    };
    const statsPlanner: FilterPlanner = {
      name: "stats",
      plan: () => ({ name: "stats", module: "stats", phase: "STATS", priority: 0, mode: "CLIENT_AND_SERVER", failStrategy: "FAIL_OPEN", config: {}, sources: [] }),
    };
    // The built-in jwt planner would (rightly) refuse this keyless rule; the stand-ins replace jwt and stats.
    const others = BUILTIN_PLANNERS.filter((p) => p.name !== "jwt" && !p.name.startsWith("stats"));
    const { plans } = compileWorkloadPlans(mesh, [statsPlanner, ...others, jwtPlanner]);
    expect(plans[0].filters.map((f) => `${f.phase}:${f.name}`)).toEqual(["AUTHN:jwt", "STATS:stats"]);
    expect(plans[0].filters[0].config).toEqual({ rules: [{ jwtRules: [{ issuer: "https://issuer.example.com" }] }] });
  });
});
