import { statSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { LogLevel, PluginLoadError, ProxyHost, type Plugin } from "../../src/host/index.js";
import type { PropertyValue } from "../../src/host/index.js";
import { encodeStruct, type StructValue } from "../support/protobuf-struct.js";

const WASM = "build/test/stats-filter.wasm";

beforeAll(async () => {
  await compileAssemblyScript("assembly/filters/stats/index.ts", WASM);
});

function peerMetadataHeader(fields: Record<string, StructValue>): string {
  return Buffer.from(encodeStruct(fields)).toString("base64");
}

const PRODUCTPAGE = peerMetadataHeader({
  NAME: "productpage-v1-84975bc778-pxz2w",
  NAMESPACE: "default",
  WORKLOAD_NAME: "productpage-v1",
  CLUSTER_ID: "Kubernetes",
  LABELS: {
    app: "productpage", version: "v1", "pod-template-hash": "84975bc778",
    "service.istio.io/canonical-name": "productpage", "service.istio.io/canonical-revision": "v1",
  },
});

// The proxy's own node metadata: the reviews-v2 sidecar.
const REVIEWS_NODE: Record<string, PropertyValue> = {
  "xds.node.metadata.WORKLOAD_NAME": "reviews-v2",
  "xds.node.metadata.NAMESPACE": "bookinfo",
  "xds.node.metadata.CLUSTER_ID": "cluster-1",
  "xds\0node\0metadata\0LABELS\0app": "reviews",
  "xds\0node\0metadata\0LABELS\0version": "v2",
  "xds\0node\0metadata\0LABELS\0service.istio.io/canonical-name": "reviews",
  "xds\0node\0metadata\0LABELS\0service.istio.io/canonical-revision": "v2",
};

const LABEL_ORDER = [
  "reporter", "source_workload", "source_workload_namespace", "source_principal", "source_app", "source_version",
  "source_canonical_service", "source_canonical_revision", "source_cluster", "destination_workload",
  "destination_workload_namespace", "destination_principal", "destination_app", "destination_version",
  "destination_service", "destination_service_name", "destination_service_namespace",
  "destination_canonical_service", "destination_canonical_revision", "destination_cluster", "request_protocol",
  "response_flags", "connection_security_policy", "response_code", "grpc_response_status",
];

async function start(pluginConfig: object | string, direction: number, host = new ProxyHost()): Promise<{ host: ProxyHost; plugin: Plugin }> {
  const plugin = await host.startPlugin({
    wasm: WASM, pluginConfig, properties: { ...REVIEWS_NODE, "xds.listener_direction": direction },
  });
  return { host, plugin };
}

/** The defined name of the only metric called `name`. */
function only(host: ProxyHost, name: string) {
  const found = host.listMetrics().filter((m) => m.name === name);
  expect(found, `metrics named ${name}: ${found.map((m) => m.definedName).join("\n")}`).toHaveLength(1);
  return found[0]!;
}

const INBOUND = 1;
const OUTBOUND = 2;

describe("stats filter", () => {
  it("fits the 64 KB module budget", () => {
    expect(statSync(WASM).size).toBeLessThanOrEqual(64 * 1024);
  });

  it("reports an inbound HTTP request with every standard label, in Istio's order", async () => {
    const { host, plugin } = await start({}, INBOUND);
    const http = plugin.newHttpContext({
      properties: {
        "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/default/sa/bookinfo-productpage",
        "connection.uri_san_local_certificate": "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews",
        "request.total_size": 120, "response.total_size": 345, "request.duration": 42_500_000,
      },
    });
    http.callOnRequestHeaders({
      ":authority": "reviews.bookinfo.svc.cluster.local:9080", ":path": "/reviews/0", ":method": "GET",
      "x-envoy-peer-metadata": PRODUCTPAGE, "x-envoy-peer-metadata-id": "sidecar~10.0.0.5~productpage",
    }, true);
    http.callOnResponseHeaders({ ":status": "200" }, true);
    http.complete();

    const requests = only(host, "istio_requests_total");
    expect(Object.keys(requests.tags)).toEqual(LABEL_ORDER);
    expect(requests.tags).toEqual({
      reporter: "destination",
      source_workload: "productpage-v1", source_workload_namespace: "default",
      source_principal: "spiffe://cluster.local/ns/default/sa/bookinfo-productpage",
      source_app: "productpage", source_version: "v1", source_canonical_service: "productpage",
      source_canonical_revision: "v1", source_cluster: "Kubernetes",
      destination_workload: "reviews-v2", destination_workload_namespace: "bookinfo",
      destination_principal: "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews",
      destination_app: "reviews", destination_version: "v2",
      destination_service: "reviews.bookinfo.svc.cluster.local", destination_service_name: "reviews",
      destination_service_namespace: "bookinfo", destination_canonical_service: "reviews",
      destination_canonical_revision: "v2", destination_cluster: "cluster-1",
      request_protocol: "http", response_flags: "-", connection_security_policy: "mutual_tls",
      response_code: "200", grpc_response_status: "",
    });
    expect(requests.definedName.startsWith("reporter=.=destination;.;source_workload=.=productpage-v1;.;")).toBe(true);
    expect(requests.definedName.endsWith(";.;istio_requests_total")).toBe(true);
    expect(requests.value).toBe(1n);
    expect(host.getHistogram("istio_request_duration_milliseconds", requests.tags)?.samples).toEqual([42n]);
    expect(host.getHistogram("istio_request_bytes", requests.tags)?.samples).toEqual([120n]);
    expect(host.getHistogram("istio_response_bytes", requests.tags)?.samples).toEqual([345n]);
    expect(host.listMetrics().map((m) => m.name).sort()).toEqual([
      "istio_request_bytes", "istio_request_duration_milliseconds", "istio_requests_total", "istio_response_bytes",
    ]);

    // The same peer again: same series, counted twice.
    const again = plugin.newHttpContext({ properties: { "response.flags": 2 ** 1 + 2 ** 5 } });
    again.callOnRequestHeaders({ ":authority": "reviews.bookinfo.svc.cluster.local:9080", "x-envoy-peer-metadata": PRODUCTPAGE }, true);
    again.callOnResponseHeaders({ ":status": "503" }, true);
    again.complete();
    expect(host.getCounter("istio_requests_total", requests.tags)).toBe(1n);
    const failed = host.listMetrics().find((m) => m.name === "istio_requests_total" && m.tags.response_code === "503");
    expect(failed?.tags).toMatchObject({ response_flags: "UH,UF", connection_security_policy: "none", source_principal: "unknown", source_workload: "productpage-v1" });
  });

  it("reports an outbound request with the peer from the response's baggage", async () => {
    const { host, plugin } = await start({}, OUTBOUND);
    const http = plugin.newHttpContext({
      properties: { "upstream.uri_san_peer_certificate": "spiffe://cluster.local/ns/ratings-ns/sa/ratings" },
    });
    http.callOnRequestHeaders({ ":authority": "ratings:9080", ":path": "/ratings/0" }, true);
    const baggage = "k8s.deployment.name=ratings-v1,k8s.namespace.name=ratings-ns,k8s.cluster.name=c2,service.name=ratings,service.version=v1,app.name=ratings,app.version=v1;prop=x,other=1";
    http.callOnResponseHeaders({ ":status": "404", baggage }, false);
    http.callOnResponseBody("not found", true);
    http.complete();
    const requests = only(host, "istio_requests_total");
    expect(Object.keys(requests.tags)).toEqual(LABEL_ORDER);
    expect(requests.tags).toMatchObject({
      reporter: "source",
      source_workload: "reviews-v2", source_workload_namespace: "bookinfo", source_principal: "unknown",
      source_app: "reviews", source_version: "v2", source_canonical_service: "reviews", source_canonical_revision: "v2",
      source_cluster: "cluster-1",
      destination_workload: "ratings-v1", destination_workload_namespace: "ratings-ns",
      destination_principal: "spiffe://cluster.local/ns/ratings-ns/sa/ratings", destination_app: "ratings",
      destination_version: "v1", destination_service: "ratings", destination_service_name: "ratings",
      destination_service_namespace: "ratings-ns", destination_canonical_service: "ratings",
      destination_canonical_revision: "v1", destination_cluster: "c2",
      request_protocol: "http", connection_security_policy: "unknown", response_code: "404",
    });
    // response.total_size: the body bytes sent plus the response headers' names and values (Envoy's byteSize).
    const responseHeaderBytes = ":status".length + "404".length + "baggage".length + baggage.length;
    expect(host.getHistogram("istio_response_bytes", requests.tags)?.samples).toEqual([BigInt(9 + responseHeaderBytes)]);
  });

  it("uses unknown for everything a request without metadata cannot tell", async () => {
    const { host, plugin } = await start({ disable_host_header_fallback: true }, OUTBOUND);
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":authority": "example.com" }, true);
    http.callOnResponseHeaders({ ":status": "200" }, true);
    http.complete();
    expect(only(host, "istio_requests_total").tags).toMatchObject({
      destination_workload: "unknown", destination_service: "unknown", destination_service_name: "unknown",
      destination_canonical_revision: "latest", destination_principal: "unknown",
    });
  });

  it("counts gRPC messages across chunks and takes grpc-status from the trailers", async () => {
    const { host, plugin } = await start({}, INBOUND);
    const frame = (payload: number[]) => [0, ...[24, 16, 8, 0].map((s) => (payload.length >>> s) & 0xff), ...payload];
    const request = Uint8Array.from([...frame([1, 2, 3]), ...frame([4, 5, 6, 7])]);
    const response = Uint8Array.from([...frame([9]), ...frame([]), ...frame(new Array(300).fill(7))]);
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":path": "/helloworld.Greeter/SayHello", ":method": "POST", "content-type": "application/grpc", "x-envoy-peer-metadata": PRODUCTPAGE }, false);
    // Split inside the second message's 5-byte prefix.
    http.callOnRequestBody(request.subarray(0, 10), false);
    http.callOnRequestBody(request.subarray(10), true);
    http.callOnResponseHeaders({ ":status": "200", "content-type": "application/grpc" }, false);
    http.callOnResponseBody(response.subarray(0, 7), false);
    http.callOnResponseBody(response.subarray(7, 100), false);
    http.callOnResponseBody(response.subarray(100), false);
    http.callOnResponseTrailers({ "grpc-status": "5", "grpc-message": "not found" });
    http.complete();
    const requests = only(host, "istio_requests_total");
    expect(requests.tags).toMatchObject({ request_protocol: "grpc", grpc_response_status: "5", response_code: "200" });
    expect(host.getCounter("istio_request_messages_total", requests.tags)).toBe(2n);
    expect(host.getCounter("istio_response_messages_total", requests.tags)).toBe(3n);
  });

  it("counts a request an earlier filter rejected with 401, seen only at on_log", async () => {
    const { host, plugin } = await start({}, INBOUND);
    const rejected = plugin.newHttpContext({ properties: { "response.code": 401, "response.code_details": "jwt_authn_access_denied" } });
    rejected.complete();
    const requests = only(host, "istio_requests_total");
    expect(requests.tags).toMatchObject({ reporter: "destination", response_code: "401", request_protocol: "http", source_workload: "unknown" });
    expect(requests.value).toBe(1n);
  });

  it("reports TCP connections periodically and when they close", async () => {
    const { host, plugin } = await start({ tcp_reporting_duration: "10s" }, INBOUND);
    expect(plugin.tickPeriodMs).toBe(10_000);
    const peerStruct = Uint8Array.from(encodeStruct({ workload: "mysql-client", namespace: "db", app: "client", service: "client", revision: "v3" }));
    const tcp = plugin.newTcpContext({ properties: { "filter_state\0downstream_peer": peerStruct } });
    tcp.callOnNewConnection();
    tcp.callOnDownstreamData("hello", false);
    tcp.callOnUpstreamData("welcome!", false);
    host.advanceTime(10_000);
    const opened = only(host, "istio_tcp_connections_opened_total");
    expect(Object.keys(opened.tags)).toEqual(LABEL_ORDER.filter((l) => l !== "response_code" && l !== "grpc_response_status"));
    expect(opened.tags).toMatchObject({ reporter: "destination", request_protocol: "tcp", source_workload: "mysql-client", source_workload_namespace: "db", source_canonical_revision: "v3" });
    expect(opened.value).toBe(1n);
    expect(host.getCounter("istio_tcp_received_bytes_total", opened.tags)).toBe(5n);
    expect(host.getCounter("istio_tcp_sent_bytes_total", opened.tags)).toBe(8n);
    expect(host.listMetrics().some((m) => m.name === "istio_tcp_connections_closed_total")).toBe(false);

    tcp.callOnDownstreamData("more", true);
    tcp.callOnDownstreamClose();
    tcp.complete();
    expect(host.getCounter("istio_tcp_connections_opened_total", opened.tags)).toBe(1n);
    expect(host.getCounter("istio_tcp_received_bytes_total", opened.tags)).toBe(9n);
    expect(host.getCounter("istio_tcp_connections_closed_total", opened.tags)).toBe(1n);
    // Closed connections are no longer reported.
    host.advanceTime(10_000);
    expect(host.getCounter("istio_tcp_received_bytes_total", opened.tags)).toBe(9n);
    expect(host.listMetrics().some((m) => m.name === "istio_requests_total")).toBe(false);
  });

  it("applies custom definitions, dimensions, tags_to_remove and drop", async () => {
    const { host, plugin } = await start({
      definitions: [
        { name: "request_header_bytes", value: "size(request.headers['x-data'])", type: "HISTOGRAM" },
        { name: "api_calls_total", value: "1" },
      ],
      metrics: [
        { name: "requests_total", dimensions: { request_method: "request.method", destination_service: "'svc-' + request.host", user: "request.headers['x-user']" }, tagsToRemove: ["source_principal", "not_a_tag"] },
        { name: "api_calls_total", dimensions: { path: "request.url_path" } },
        { dimensions: { node_ns: "node.metadata['NAMESPACE']" } },
        { name: "request_bytes", drop: true },
      ],
    }, INBOUND);
    expect(plugin.logs(LogLevel.Warn).join("\n")).toContain("tag 'not_a_tag' is not standard");
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":authority": "reviews", ":path": "/api/v1?q=1", ":method": "PUT", "x-data": "12345" }, true);
    http.callOnResponseHeaders({ ":status": "200" }, true);
    http.complete();

    const requests = only(host, "istio_requests_total");
    const keys = Object.keys(requests.tags);
    expect(keys).not.toContain("source_principal");
    expect(keys.slice(-3)).toEqual(["request_method", "user", "node_ns"]);
    expect(keys.indexOf("destination_service")).toBe(LABEL_ORDER.indexOf("destination_service") - 1);
    expect(requests.tags).toMatchObject({ request_method: "PUT", destination_service: "svc-reviews", user: "unknown", node_ns: "bookinfo" });
    expect(host.listMetrics().some((m) => m.name === "istio_request_bytes")).toBe(false);
    expect(only(host, "istio_response_bytes").tags.node_ns).toBe("bookinfo");

    const header = only(host, "istio_request_header_bytes");
    expect(header.tags).toEqual({ node_ns: "bookinfo" });
    expect(host.getHistogram("istio_request_header_bytes", { node_ns: "bookinfo" })?.samples).toEqual([5n]);
    const calls = only(host, "istio_api_calls_total");
    expect(calls.definedName).toBe("path=.=/api/v1;.;node_ns=.=bookinfo;.;istio_api_calls_total");
    expect(calls.value).toBe(1n);
  });

  it("takes lowerCamel and snake_case names and the Wasm-era stat_prefix", async () => {
    const { host, plugin } = await start({ statPrefix: "mesh", disableHostHeaderFallback: true, tcpReportingDuration: "1.5s", reporter: "SERVER_GATEWAY" }, OUTBOUND);
    expect(plugin.tickPeriodMs).toBe(1500);
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":authority": "reviews" }, true);
    http.complete();
    expect(only(host, "mesh_requests_total").tags).toMatchObject({ reporter: "waypoint", destination_service: "unknown" });
  });

  const rejections: [string, object | string, RegExp][] = [
    ["bad JSON", "{\"metrics\": [", /configuration is not valid JSON: unexpected end of input at byte 13/],
    ["an unknown metric type", { definitions: [{ name: "x", value: "1", type: "SUMMARY" }] }, /definitions\[0\]\.type must be COUNTER, GAUGE or HISTOGRAM/],
    ["a bad expression", { metrics: [{ dimensions: { path: "request.headers['x'" } }] },
      /metrics\[0\]\.dimensions\.path: invalid expression "request\.headers\['x'" at byte 19: expected '\]' before the end/],
    ["a redefined standard metric", { definitions: [{ name: "requests_total", value: "1" }] }, /'requests_total' redefines a standard metric/],
    ["a metric defined twice", { definitions: [{ name: "a", value: "1" }, { name: "a", value: "2", type: "GAUGE" }] }, /metric 'a' is defined twice/],
    ["an unknown reporter", { reporter: "SIDECAR" }, /reporter must be UNSPECIFIED or SERVER_GATEWAY/],
  ];
  for (const [what, config, message] of rejections) {
    it(`rejects ${what}`, async () => {
      const error = await start(config, INBOUND).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginLoadError);
      expect((error as PluginLoadError).message).toContain("proxy_on_configure returned false");
      expect((error as PluginLoadError).logs.map((l) => l.message).join("\n")).toMatch(message);
    });
  }
});
