// The stats filter's per-label-set metric ids (label-set-cache.ts) and the texts it
// remembers between streams (stream-texts.ts, recent-text.ts, the peer cache): streams
// that differ in any label value must land in their own series, in any order.
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../../src/build/compile.js";
import { ProxyHost, type Plugin, type PropertyValue } from "../../../src/host/index.js";

const WASM = "build/test/stats-metric-cache.wasm";

beforeAll(async () => {
  await compileAssemblyScript("assembly/filters/stats/index.ts", WASM);
});

const NODE: Record<string, PropertyValue> = {
  "xds.node.metadata.WORKLOAD_NAME": "reviews-v2",
  "xds.node.metadata.NAMESPACE": "bookinfo",
  "xds\0node\0metadata\0LABELS\0app": "reviews",
};
const INBOUND = 1;

async function start(pluginConfig: object): Promise<{ host: ProxyHost; plugin: Plugin }> {
  const host = new ProxyHost();
  const plugin = await host.startPlugin({ wasm: WASM, pluginConfig, properties: { ...NODE, "xds.listener_direction": INBOUND } });
  return { host, plugin };
}

interface Request {
  status: string;
  authority: string;
  baggage?: string;
  principal?: string;
  method?: string;
}

function send(plugin: Plugin, request: Request): void {
  const properties: Record<string, PropertyValue> = {};
  if (request.principal !== undefined) properties["connection.uri_san_peer_certificate"] = request.principal;
  const http = plugin.newHttpContext({ properties });
  const headers: Record<string, string> = { ":authority": request.authority, ":method": request.method ?? "GET" };
  if (request.baggage !== undefined) headers.baggage = request.baggage;
  http.callOnRequestHeaders(headers, true);
  http.callOnResponseHeaders({ ":status": request.status }, true);
  http.complete();
}

const PRODUCTPAGE = "k8s.deployment.name=productpage-v1,k8s.namespace.name=default,service.name=productpage";
const RATINGS = "k8s.deployment.name=ratings-v1,k8s.namespace.name=ratings-ns,service.name=ratings";

describe("stats filter metric cache", () => {
  it("keeps every distinct label set in its own series, whatever the order", async () => {
    const { host, plugin } = await start({});
    const kinds: Request[] = [
      { status: "200", authority: "reviews.bookinfo:9080", baggage: PRODUCTPAGE },
      { status: "503", authority: "reviews.bookinfo:9080", baggage: PRODUCTPAGE },
      { status: "200", authority: "reviews.bookinfo:9080", baggage: RATINGS },
      { status: "200", authority: "details.bookinfo:9080", baggage: PRODUCTPAGE },
      { status: "200", authority: "reviews.bookinfo:9080", baggage: PRODUCTPAGE, principal: "spiffe://cluster.local/ns/default/sa/productpage" },
      { status: "200", authority: "reviews.bookinfo:9080", baggage: PRODUCTPAGE, principal: "spiffe://cluster.local/ns/other/sa/productpage" },
      { status: "200", authority: "reviews.bookinfo:9080" },
    ];
    // Repeats (the previous stream's label set), returns to older sets, and first sightings.
    const order = [0, 0, 1, 0, 2, 2, 3, 0, 4, 5, 4, 6, 1, 6, 0, 5, 5, 3];
    for (const k of order) send(plugin, kinds[k]!);

    const series = host.listMetrics().filter((m) => m.name === "istio_requests_total");
    expect(series).toHaveLength(kinds.length);
    const expected = (k: number) => order.filter((o) => o === k).length;
    const find = (tags: Record<string, string>) => series.filter((m) => Object.entries(tags).every(([key, value]) => m.tags[key] === value));
    const check = (k: number, tags: Record<string, string>) => {
      const matching = find(tags);
      expect(matching, JSON.stringify(tags)).toHaveLength(1);
      expect(matching[0]!.value, JSON.stringify(tags)).toBe(BigInt(expected(k)));
    };
    check(0, { response_code: "200", source_workload: "productpage-v1", destination_service_name: "reviews", source_principal: "unknown" });
    check(1, { response_code: "503", source_workload: "productpage-v1" });
    check(2, { source_workload: "ratings-v1", source_workload_namespace: "ratings-ns" });
    check(3, { destination_service: "details.bookinfo", destination_service_name: "details" });
    check(4, { source_principal: "spiffe://cluster.local/ns/default/sa/productpage", source_workload_namespace: "default", connection_security_policy: "none" });
    check(5, { source_principal: "spiffe://cluster.local/ns/other/sa/productpage", source_workload_namespace: "other" });
    check(6, { source_workload: "unknown", source_workload_namespace: "unknown" });
    // Every metric of a stream shares its series' tags.
    for (const name of ["istio_request_duration_milliseconds", "istio_request_bytes", "istio_response_bytes"]) {
      expect(host.listMetrics().filter((m) => m.name === name)).toHaveLength(kinds.length);
    }
  });

  it("keeps tags_to_remove and custom dimensions right on repeated label sets", async () => {
    const { host, plugin } = await start({
      definitions: [{ name: "calls_total", value: "1" }],
      metrics: [
        { name: "requests_total", tags_to_remove: ["response_code"], dimensions: { method: "request.method" } },
        { name: "calls_total", dimensions: { node_ns: "node.metadata['NAMESPACE']", code: "string(response.code)" } },
      ],
    });
    const requests: Request[] = [
      { status: "200", authority: "reviews", method: "GET" },
      { status: "503", authority: "reviews", method: "GET" },
      { status: "200", authority: "reviews", method: "GET" },
      { status: "200", authority: "reviews", method: "POST" },
      { status: "503", authority: "reviews", method: "GET" },
    ];
    for (const request of requests) send(plugin, request);

    // requests_total ignores response_code: the 200 and 503 GETs share one series.
    const totals = host.listMetrics().filter((m) => m.name === "istio_requests_total");
    expect(totals).toHaveLength(2);
    for (const total of totals) expect(Object.keys(total.tags)).not.toContain("response_code");
    expect(totals.find((m) => m.tags.method === "GET")?.value).toBe(4n);
    expect(totals.find((m) => m.tags.method === "POST")?.value).toBe(1n);
    // response_bytes keeps response_code and has no method dimension.
    const bytes = host.listMetrics().filter((m) => m.name === "istio_response_bytes");
    expect(bytes.map((m) => m.tags.response_code).sort()).toEqual(["200", "503"]);
    for (const series of bytes) expect(Object.keys(series.tags)).not.toContain("method");
    // The custom metric carries only its dimensions.
    const calls = host.listMetrics().filter((m) => m.name === "istio_calls_total");
    expect(calls.map((m) => [m.definedName, m.value]).sort()).toEqual([
      ["code=.=200;.;node_ns=.=bookinfo;.;istio_calls_total", 3n],
      ["code=.=503;.;node_ns=.=bookinfo;.;istio_calls_total", 2n],
    ]);
  });

  it("reads an expression's node attributes once: Envoy's node is fixed for the process", async () => {
    const { host, plugin } = await start({ metrics: [{ name: "requests_total", dimensions: { node_ns: "node.metadata['NAMESPACE']", path: "request.url_path" } }] });
    send(plugin, { status: "200", authority: "reviews", method: "GET" });
    // A stream-level value under xds.node (which Envoy cannot have) does not reach the dimension;
    // per-stream attributes of the same expression set still do.
    const http = plugin.newHttpContext({ properties: { "xds.node.metadata.NAMESPACE": "elsewhere" } });
    http.callOnRequestHeaders({ ":authority": "reviews", ":path": "/other" }, true);
    http.callOnResponseHeaders({ ":status": "200" }, true);
    http.complete();
    const series = host.listMetrics().filter((m) => m.name === "istio_requests_total");
    expect(series.map((m) => [m.tags.node_ns, m.tags.path]).sort()).toEqual([["bookinfo", "/"], ["bookinfo", "/other"]]);
  });

  it("evaluates dimensions over attributes of every type", async () => {
    const { host, plugin } = await start({
      definitions: [{ name: "typed_total", value: "1" }],
      metrics: [{
        name: "typed_total",
        dimensions: {
          mtls: "connection.mtls", header_count: "size(request.headers)", code: "response.code",
          method: "request.method", missing: "request.referer",
        },
      }],
    });
    for (const mtls of [true, false, true]) {
      const http = plugin.newHttpContext({ properties: { "connection.mtls": mtls } });
      http.callOnRequestHeaders({ ":authority": "reviews", ":method": "PUT", "x-a": "1" }, true);
      http.callOnResponseHeaders({ ":status": "201" }, true);
      http.complete();
    }
    const series = host.listMetrics().filter((m) => m.name === "istio_typed_total");
    // Request headers: :authority, :path, :method, :scheme and x-a.
    expect(series.map((m) => [m.definedName, m.value]).sort()).toEqual([
      ["code=.=201;.;header_count=.=5;.;method=.=PUT;.;missing=.=unknown;.;mtls=.=false;.;istio_typed_total", 1n],
      ["code=.=201;.;header_count=.=5;.;method=.=PUT;.;missing=.=unknown;.;mtls=.=true;.;istio_typed_total", 2n],
    ]);
  });
});
