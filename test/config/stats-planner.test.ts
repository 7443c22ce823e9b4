import { describe, expect, it } from "vitest";
import { compileWorkloadPlans } from "../../src/config/compile-plans.js";
import { ConfigError, formatIssue } from "../../src/config/config-error.js";
import { buildMeshConfig } from "../../src/config/load-mesh-config.js";
import { statsPlanners } from "../../src/config/planners/stats-planner.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";

const WORKLOADS = `
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: reviews-v1, namespace: default }
spec: { labels: { app: reviews, version: v1 }, ports: [{ number: 9080 }] }
---
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: ratings-v1, namespace: default }
spec: { labels: { app: ratings, version: v1 }, ports: [{ number: 9080 }] }
---
apiVersion: wasmixer.io/v1alpha1
kind: Workload
metadata: { name: other-v1, namespace: other }
spec: { labels: { app: other, version: v1 }, ports: [{ number: 9080 }] }
`;

function plansFor(telemetry: string) {
  const mesh = buildMeshConfig(parseYamlDocuments(`${WORKLOADS}---\n${telemetry}`, "test.yaml"));
  return compileWorkloadPlans(mesh, statsPlanners);
}

function filtersOf(result: ReturnType<typeof plansFor>, workload: string) {
  return result.plans.find((p) => p.workload.name === workload)!.filters;
}

function issuesOf(telemetry: string): string {
  try {
    plansFor(telemetry);
  } catch (error) {
    return (error as ConfigError).issues.map(formatIssue).join("\n");
  }
  return "";
}

describe("stats planner", () => {
  it("plans nothing without a Telemetry", () => {
    const mesh = buildMeshConfig(parseYamlDocuments(WORKLOADS, "test.yaml"));
    expect(compileWorkloadPlans(mesh, statsPlanners).plans.every((plan) => plan.filters.length === 0)).toBe(true);
  });

  it("plans the stats filter in both directions, HTTP and TCP, phase STATS, fail open", () => {
    const result = plansFor(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh, namespace: istio-system }
spec: { metrics: [{ overrides: [{ match: { metric: REQUEST_COUNT }, tagOverrides: { request_method: { value: request.method } } }] }] }
`);
    const filters = filtersOf(result, "other-v1");
    expect(filters.map((f) => [f.name, f.mode, f.type, f.phase, f.module, f.failStrategy])).toEqual([
      ["stats-inbound", "SERVER", "HTTP", "STATS", "stats", "FAIL_OPEN"],
      ["stats-outbound", "CLIENT", "HTTP", "STATS", "stats", "FAIL_OPEN"],
      ["stats-tcp-inbound", "SERVER", "NETWORK", "STATS", "stats", "FAIL_OPEN"],
      ["stats-tcp-outbound", "CLIENT", "NETWORK", "STATS", "stats", "FAIL_OPEN"],
    ]);
    expect(filters[1].config).toEqual({ metrics: [{ name: "requests_total", dimensions: { request_method: "request.method" } }] });
    expect(filters[0].config).toEqual({ disable_host_header_fallback: true, metrics: [{ name: "requests_total", dimensions: { request_method: "request.method" } }] });
    expect(filters[0].podAnnotations!["sidecar.istio.io/extraStatTags"]).toMatch(/^reporter,source_workload,.*,request_method$/);
    expect(filters[0].sources).toEqual(["Telemetry istio-system/mesh"]);
  });

  it("applies root, then namespace, then workload Telemetries, later ones overriding per metric, mode and tag", () => {
    const result = plansFor(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh, namespace: istio-system }
spec:
  metrics:
    - overrides:
        - match: { metric: ALL_METRICS, mode: CLIENT }
          tagOverrides: { a: { value: "1" }, b: { value: "2" } }
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ns, namespace: default }
spec:
  metrics:
    - overrides:
        - match: { metric: REQUEST_DURATION }
          disabled: true
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: reviews, namespace: default }
spec:
  selector: { matchLabels: { app: reviews } }
  metrics:
    - overrides:
        - match: { metric: REQUEST_COUNT, mode: CLIENT }
          tagOverrides: { a: { operation: REMOVE }, c: { value: "3" } }
        - match: { metric: REQUEST_DURATION, mode: SERVER }
          disabled: false
`);
    const [inbound, outbound] = filtersOf(result, "reviews-v1");
    const outboundMetrics = outbound.config.metrics as { name: string }[];
    expect(outboundMetrics.map((m) => m.name)).toEqual([
      "request_messages_total", "response_messages_total", "requests_total", "request_duration_milliseconds", "request_bytes",
      "response_bytes", "tcp_connections_closed_total", "tcp_connections_opened_total", "tcp_received_bytes_total", "tcp_sent_bytes_total",
    ]);
    expect(outboundMetrics.find((m) => m.name === "requests_total")).toEqual({ name: "requests_total", dimensions: { b: "2", c: "3" }, tags_to_remove: ["a"] });
    expect(outboundMetrics.find((m) => m.name === "request_duration_milliseconds")).toEqual({ name: "request_duration_milliseconds", dimensions: { a: "1", b: "2" }, drop: true });
    expect(inbound.config.metrics).toEqual([{ name: "request_duration_milliseconds" }]);
    expect(filtersOf(result, "ratings-v1")[0].config.metrics).toEqual([{ name: "request_duration_milliseconds", drop: true }]);
    expect(filtersOf(result, "other-v1")[0].config).toEqual({ disable_host_header_fallback: true });
    expect(outbound.sources).toEqual(["Telemetry istio-system/mesh", "Telemetry default/ns", "Telemetry default/reviews"]);
  });

  it("drops the filter when ALL_METRICS is disabled, until a lower level enables metrics again", () => {
    const result = plansFor(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh, namespace: istio-system }
spec: { metrics: [{ overrides: [{ match: { metric: ALL_METRICS }, disabled: true }] }] }
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: reviews, namespace: default }
spec:
  selector: { matchLabels: { app: reviews } }
  metrics: [{ overrides: [{ match: { metric: REQUEST_COUNT }, disabled: false }] }]
`);
    expect(filtersOf(result, "ratings-v1")).toEqual([]);
    expect(filtersOf(result, "reviews-v1")).toHaveLength(4);
  });

  it("ignores metrics entries for other providers", () => {
    const result = plansFor(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh, namespace: istio-system }
spec: { metrics: [{ providers: [{ name: stackdriver }], overrides: [{ match: { metric: REQUEST_COUNT }, disabled: true }] }] }
`);
    expect(filtersOf(result, "reviews-v1")).toEqual([]);
  });

  it("reads custom metric definitions from the Telemetry annotation", () => {
    const result = plansFor(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: reviews
  namespace: default
  annotations:
    stats.wasmixer.io/definitions: '[{"name": "by_user_total", "value": "1"}, {"name": "body_bytes", "value": "request.size", "type": "HISTOGRAM"}]'
spec:
  selector: { matchLabels: { app: reviews } }
  metrics: [{ overrides: [{ match: { customMetric: by_user_total, mode: SERVER }, tagOverrides: { user: { value: "request.headers['end-user']" } } }] }]
`);
    const [inbound, outbound] = filtersOf(result, "reviews-v1");
    const definitions = [{ name: "body_bytes", value: "request.size", type: "HISTOGRAM" }, { name: "by_user_total", value: "1", type: "COUNTER" }];
    expect(inbound.config).toEqual({
      disable_host_header_fallback: true,
      metrics: [{ name: "by_user_total", dimensions: { user: "request.headers['end-user']" } }],
      definitions,
    });
    expect(outbound.config).toEqual({ definitions });
    expect(inbound.podAnnotations!["sidecar.istio.io/extraStatTags"]).toMatch(/,user$/);
    expect(filtersOf(result, "ratings-v1")).toEqual([]);
  });

  it("warns about an override of a custom metric nothing defines", () => {
    const result = plansFor(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh, namespace: istio-system }
spec: { metrics: [{ overrides: [{ match: { customMetric: nowhere_total } }] }] }
`);
    expect(result.warnings.map(formatIssue).join("\n")).toMatch(/custom metric "nowhere_total" is not defined/);
  });

  it("rejects bad tag overrides and definitions, located in the file", () => {
    const message = issuesOf(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh
  namespace: istio-system
  annotations:
    stats.wasmixer.io/definitions: '[{"name": "requests_total", "value": "1"}, {"name": "x", "value": "1", "type": "SUMMARY"}]'
spec:
  metrics:
    - overrides:
        - match: { metric: REQUEST_COUNT }
          tagOverrides:
            gone: { operation: REMOVE, value: "x" }
            empty: { operation: UPSERT }
            "bad-name": { value: "1" }
`);
    expect(message).toContain("spec.metrics[0].overrides[0].tagOverrides.gone.value: a REMOVE tag override must not set a value");
    expect(message).toContain("spec.metrics[0].overrides[0].tagOverrides.empty.value: an UPSERT tag override needs a value");
    expect(message).toContain('tag name "bad-name" must match');
    expect(message).toContain('definition 0: name "requests_total" is a standard Istio metric');
    expect(message).toContain('definition 1: type "SUMMARY" must be COUNTER, GAUGE or HISTOGRAM');
    expect(message).toMatch(/^test\.yaml:\d+:\d+: document 3/m);
    // Reported once, not once per filter form.
    expect(message.match(/REMOVE tag override/g)).toHaveLength(1);
  });

  it("rejects unknown metrics and operations (schema and planner agree)", () => {
    const message = issuesOf(`
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: mesh, namespace: istio-system }
spec: { metrics: [{ overrides: [{ match: { metric: REQUEST_COUNTS }, tagOverrides: { a: { operation: DELETE } } }] }] }
`);
    expect(message).toContain("spec.metrics[0].overrides[0].match.metric");
    expect(message).toContain("spec.metrics[0].overrides[0].tagOverrides.a.operation");
  });
});
