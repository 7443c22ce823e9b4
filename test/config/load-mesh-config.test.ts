import { describe, expect, test } from "vitest";
import { ConfigError, formatIssue, type ConfigIssue } from "../../src/config/config-error.js";
import { buildMeshConfig, loadMeshConfig } from "../../src/config/load-mesh-config.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";

function build(text: string) {
  return buildMeshConfig(parseYamlDocuments(text, "mesh.yaml"));
}

function issuesOf(text: string): ConfigIssue[] {
  try {
    build(text);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const WORKLOAD = `apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: reviews-v1 }
spec:
  labels: { app: reviews, version: v1 }
  ports: [{ number: 9080 }]
  service: { host: reviews }
`;

describe("buildMeshConfig", () => {
  test("loads the bookinfo example", () => {
    const mesh = loadMeshConfig("examples/bookinfo");
    expect(mesh.workloads.map((w) => w.name)).toEqual(["productpage-v1", "details-v1", "reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1"]);
    expect(mesh.virtualServices.map((vs) => `${vs.namespace}/${vs.name}`)).toEqual(["default/ratings", "default/reviews"]);
    expect(mesh.destinationRules).toHaveLength(2);
    expect(mesh.rootNamespace).toBe("istio-system");
  });

  test("defaults namespaces and qualifies the workload's service host", () => {
    const mesh = build(WORKLOAD);
    expect(mesh.workloads[0]).toMatchObject({
      name: "reviews-v1",
      namespace: "default",
      serviceAccount: "default",
      ports: [{ number: 9080, protocol: "HTTP" }],
      service: { host: "reviews.default.svc.cluster.local", ports: [{ number: 9080, protocol: "HTTP" }] },
    });
  });

  test("accepts networking.istio.io/v1 by validating against v1beta1", () => {
    const mesh = build(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: r, namespace: prod }
spec: { hosts: [r], http: [{ route: [{ destination: { host: r } }] }] }
`);
    expect(mesh.virtualServices[0]).toMatchObject({ apiVersion: "networking.istio.io/v1", namespace: "prod", spec: { hosts: ["r"] } });
  });

  test("unknown kinds are errors naming the supported ones", () => {
    const [issue] = issuesOf(`apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: s }
`);
    expect(issue).toMatchObject({ file: "mesh.yaml", documentIndex: 0, fieldPath: "kind", line: 2 });
    expect(issue.message).toMatch(/unknown kind "Sidecar".*VirtualService \(networking.istio.io\/v1, networking.istio.io\/v1beta1, networking.istio.io\/v1alpha3\)/);
  });

  test("schema violations name file, document, resource, field path and line", () => {
    const issues = issuesOf(`${WORKLOAD}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: { host: reviews }
          weight: "heavy"
`);
    expect(issues).toHaveLength(1);
    expect(formatIssue(issues[0])).toBe(
      "mesh.yaml:17:19: document 1 (VirtualService default/reviews): spec.http[0].route[0].weight: must be integer",
    );
  });

  test("unknown fields are errors (Kubernetes would prune them silently)", () => {
    const issues = issuesOf(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      consistenHash: { httpHeaderName: x-user }
`);
    expect(issues.map((i) => [i.fieldPath, i.message])).toEqual([["spec.trafficPolicy.loadBalancer.consistenHash", "unknown field"]]);
    expect(issues[0].line).toBe(8);
  });

  test("enum violations list the allowed values", () => {
    const [issue] = issuesOf(`apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: { name: w }
spec: { url: "file:///x.wasm", phase: EARLY, failStrategy: FAIL_SOMETIMES }
`);
    expect(issue.fieldPath).toBe("spec.phase");
    expect(issue.message).toContain('"AUTHN"');
  });

  test("rejects newer WasmPlugin fields only when their values are wrong", () => {
    expect(() => build(`apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: { name: w }
spec: { url: "file:///x.wasm", failStrategy: FAIL_OPEN }
`)).not.toThrow();
    const issues = issuesOf(`apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata: { name: w }
spec: { url: "file:///x.wasm", failStrategy: FAIL_SOMETIMES }
`);
    expect(issues.map((i) => i.fieldPath)).toEqual(["spec.failStrategy"]);
  });

  test("Workload documents are validated strictly too", () => {
    const issues = issuesOf(`apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: w }
spec:
  lables: { app: x }
  ports: [{ number: 70000 }]
`);
    expect(issues.map((i) => `${i.fieldPath}: ${i.message}`).sort()).toEqual([
      "spec.labels: required field is missing",
      "spec.lables: unknown field",
      "spec.ports[0].number: must be <= 65535",
    ]);
  });

  test("missing names, non-mapping documents and duplicates", () => {
    const issues = issuesOf(`- a
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { namespace: x }
---
${WORKLOAD}---
${WORKLOAD}`);
    expect(issues.map((i) => [i.documentIndex, i.fieldPath, i.message.split(":")[0]])).toEqual([
      [0, "", "a document must be a mapping with apiVersion, kind and metadata"],
      [1, "metadata.name", "required field is missing"],
      [3, "metadata.name", "duplicate resource"],
    ]);
  });
});
