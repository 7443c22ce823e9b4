// Property reads, typed attribute helpers and setProperty into filter state (module test/modules/sdk-root).
import { expect, it } from "vitest";
import { ProxyHost, Status } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

const start = (properties: Record<string, string | number | boolean> = {}) =>
  new ProxyHost().startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root", name: "props-plugin", properties });

it("reads request, connection, upstream, node and plugin attributes", async () => {
  const plugin = await start({ "xds.node.metadata.NAMESPACE": "shop", "custom.number": 1234567890123 });
  const http = plugin.newHttpContext({
    properties: {
      "source.address": "10.0.0.1:5555", "source.port": 5555, "destination.address": "10.0.0.2:8080", "destination.port": 8080,
      "connection.mtls": true, "connection.requested_server_name": "shop.example", "upstream.address": "10.0.0.3:80",
      "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/shop/sa/web",
    },
  });
  http.callOnRequestHeaders({ ":method": "PUT", ":path": "/items?id=1", ":authority": "shop.example", ":scheme": "https", "x-scenario": "properties" }, true);
  expect(http.localResponse?.bodyText.split("\n")).toEqual([
    "path=/items?id=1",
    "method=PUT",
    "host=shop.example",
    "scheme=https",
    "header=properties",
    "source=10.0.0.1:5555 port=5555",
    "destination=10.0.0.2:8080 port=8080",
    "mtls=true",
    "sni=shop.example",
    "peer=spiffe://cluster.local/ns/shop/sa/web",
    "upstream=10.0.0.3:80",
    "namespace=shop",
    "plugin=props-plugin root=sdk-root",
    "custom=1234567890123",
    "missing=<none>",
  ]);
});

it("reports absent attributes as absent", async () => {
  const plugin = await start();
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "a", "x-scenario": "properties" }, true);
  const lines = http.localResponse!.bodyText.split("\n");
  expect(lines).toContain("mtls=false");
  expect(lines).toContain("namespace=<none>");
  expect(lines).toContain("custom=-7");
});

it("reads response.code as an int64", async () => {
  const plugin = await start();
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "a", "x-scenario": "response-code" }, true);
  http.callOnResponseHeaders({ ":status": "418" });
  expect(http.getResponseHeader("x-response-code")).toBe("418");
});

it("writes filter state under wasm.<path> and reads it back", async () => {
  const plugin = await start();
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "a", "x-scenario": "set-property" }, true);
  expect(http.localResponse?.bodyText).toBe(`set=${Status.Ok} nested=${Status.Ok} read=v1`);
  expect(Buffer.from(http.filterState.get("wasm.sdk_state")!).toString()).toBe("v1");
  expect(Buffer.from(http.filterState.get("wasm.sdk\0nested")!).toString()).toBe("v2");
});
