// Per-request cost of the stats filter in the Node host (request headers, response headers,
// on_log and the rest of completion), next to the empty filter measured in the same run.
import { compileAssemblyScript } from "../src/build/compile.js";
import { ProxyHost, type Plugin } from "../src/host/index.js";
import { interleavedMediansNs, medianDifferenceNs, row, WARM_UP_MS, warmUp, type BenchRow } from "./measure.js";

const REQUEST_HEADERS: [string, string][] = [
  [":method", "GET"], [":path", "/reviews/0"], [":authority", "reviews.bookinfo.svc.cluster.local:9080"], [":scheme", "http"],
  ["user-agent", "curl/8.5.0"], ["accept", "*/*"], ["x-request-id", "6f1b3c2e-8a4d-4e59-9d1a-2b7c0e5f3a91"],
  ["x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"],
  ["baggage", "k8s.deployment.name=productpage-v1,k8s.namespace.name=default,service.name=productpage,service.version=v1,app.name=productpage,app.version=v1"],
];
const RESPONSE_HEADERS: [string, string][] = [[":status", "200"], ["content-type", "application/json"], ["content-length", "295"]];

const NODE = {
  "xds.listener_direction": 1,
  "xds.node.metadata.WORKLOAD_NAME": "reviews-v2",
  "xds.node.metadata.NAMESPACE": "bookinfo",
  "xds.node.metadata.CLUSTER_ID": "cluster-1",
  "xds\0node\0metadata\0LABELS\0app": "reviews",
  "xds\0node\0metadata\0LABELS\0version": "v2",
};

const FIVE_DIMENSIONS = {
  definitions: [{ name: "api_calls_total", value: "1" }],
  metrics: [{
    name: "api_calls_total",
    dimensions: {
      method: "request.method", path: "request.url_path", code: "string(response.code)",
      user_agent: "request.headers['user-agent']", node_ns: "node.metadata['NAMESPACE']",
    },
  }],
};

function request(plugin: Plugin, withBody: boolean): void {
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders(REQUEST_HEADERS, true);
  http.callOnResponseHeaders(RESPONSE_HEADERS, !withBody);
  http.complete();
}

/** Rows: stats filter per request, a custom metric with 5 dimensions on top, the empty filter. */
export async function benchStats(): Promise<BenchRow[]> {
  const stats = await compileAssemblyScript("assembly/filters/stats/index.ts", "build/bench/stats.wasm");
  const empty = await compileAssemblyScript("bench/modules/empty/index.ts", "build/bench/empty.wasm");
  const host = new ProxyHost();
  const statsPlugin = await host.startPlugin({ wasm: stats.outFile, name: "stats", pluginConfig: {}, properties: NODE });
  const customPlugin = await host.startPlugin({ wasm: stats.outFile, name: "stats-custom", pluginConfig: FIVE_DIMENSIONS, properties: NODE });
  const emptyPlugin = await host.startPlugin({ wasm: empty.outFile, name: "empty" });

  const runStats = () => request(statsPlugin, false);
  const runCustom = () => request(customPlugin, false);
  const runEmpty = () => request(emptyPlugin, false);
  warmUp(WARM_UP_MS, [runStats, runCustom, runEmpty]);
  const rounds = 31;
  const [emptyNs, statsNs, customNs] = interleavedMediansNs(rounds, 200, [runEmpty, runStats, runCustom]) as [number, number, number];
  const aboveEmptyNs = medianDifferenceNs(rounds, 200, runStats, runEmpty);
  const rows = [
    row("stats filter, one HTTP request (headers, response, on_log, done)", statsNs, emptyNs, "empty filter, same request"),
    row("stats filter + custom metric with 5 CEL dimensions", customNs, emptyNs, "empty filter, same request"),
    row("stats filter cost above the empty filter", aboveEmptyNs, 10_000, "target: 10 us per request"),
  ];
  host.stop();
  return rows;
}
