import { expect, test } from "vitest";
import { formatIssue } from "../../src/config/config-error.js";
import { validateGeneratedResource } from "../../src/envoyfilter/validate-output.js";

function envoyFilter(patches: unknown[]): Record<string, unknown> {
  return {
    apiVersion: "networking.istio.io/v1alpha3",
    kind: "EnvoyFilter",
    metadata: { name: "ef", namespace: "default" },
    spec: { workloadSelector: { labels: { app: "x" } }, configPatches: patches },
  };
}

test("Istio schema and Envoy messages are both checked", () => {
  const issues = validateGeneratedResource(
    envoyFilter([
      { applyTo: "HTTP_ROUTE", patch: { operation: "INSERT_SOMEWHERE", value: { match: { prefix: "/" }, route: { cluster: "c" } } } },
      { applyTo: "HTTP_FILTER", patch: { operation: "INSERT_BEFORE", value: { name: "f", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm", config: { rootid: "x" } } } } },
      { applyTo: "CLUSTER", patch: { operation: "MERGE", value: {} } },
    ]),
    "out/ef.yaml",
  ).map(formatIssue);
  expect(issues).toEqual([
    expect.stringMatching(/^out\/ef.yaml: EnvoyFilter default\/ef: spec.configPatches\[0\].patch.operation: must be one of .*"INSERT_FIRST"/),
    'out/ef.yaml: EnvoyFilter default/ef: spec.configPatches[1].patch.value: typed_config.config.rootid: unknown field "rootid" in envoy.extensions.wasm.v3.PluginConfig (envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter)',
    "out/ef.yaml: EnvoyFilter default/ef: spec.configPatches[2].applyTo: no Envoy message known for applyTo CLUSTER",
  ]);
});

test("a valid route patch passes", () => {
  const route = { applyTo: "HTTP_ROUTE", match: { context: "SIDECAR_OUTBOUND", routeConfiguration: { portNumber: 80, vhost: { name: "a:80" } } }, patch: { operation: "INSERT_FIRST", value: { match: { prefix: "/" }, route: { cluster_header: "x" } } } };
  expect(validateGeneratedResource(envoyFilter([route]), "f.yaml")).toEqual([]);
});

test("WasmPlugin: strict schema", () => {
  const plugin = { apiVersion: "extensions.istio.io/v1alpha1", kind: "WasmPlugin", metadata: { name: "w", namespace: "default" }, spec: { url: "file:///x.wasm", phase: "AUTHN", failStrategy: "FAIL_OPEN", pluginConfg: {} } };
  expect(validateGeneratedResource(plugin, "f.yaml").map((i) => `${i.fieldPath}: ${i.message}`)).toEqual(["spec.pluginConfg: unknown field"]);
});
