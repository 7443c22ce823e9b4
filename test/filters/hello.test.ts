// The hello filter (assembly/filters/hello): adds a response header and counts requests per method.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { PluginLoadError, ProxyHost } from "../../src/host/index.js";

// Compiled here rather than taken from build/hello.wasm so the test never runs a stale build.
const WASM = "build/test/filters/hello.wasm";
let size = 0;

beforeAll(async () => {
  size = (await compileAssemblyScript("assembly/filters/hello/index.ts", WASM)).size;
});

function exchange(plugin: Awaited<ReturnType<ProxyHost["startPlugin"]>>, method: string) {
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders({ ":method": method, ":path": "/", ":authority": "example.com" }, true);
  http.callOnResponseHeaders({ ":status": "200", "x-wasmixer": "upstream" });
  http.complete();
  return http;
}

describe("hello filter", () => {
  it("stays within 20 KB", () => {
    expect(size).toBeLessThanOrEqual(20 * 1024);
    expect(readFileSync(WASM).byteLength).toBe(size);
  });

  it("adds x-wasmixer: hello, replacing what the upstream sent", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: WASM });
    const http = exchange(plugin, "GET");
    expect(http.responseHeaders.filter(([name]) => name === "x-wasmixer")).toEqual([["x-wasmixer", "hello"]]);
  });

  it("takes the header from the plugin configuration", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: WASM, pluginConfig: "x-served-by:  edge-1 " });
    const http = exchange(plugin, "GET");
    expect(http.getResponseHeader("x-served-by")).toBe("edge-1");
    expect(http.getResponseHeader("x-wasmixer")).toBe("upstream");
  });

  it("rejects a configuration without a header name", async () => {
    await expect(new ProxyHost().startPlugin({ wasm: WASM, pluginConfig: "no colon" })).rejects.toBeInstanceOf(PluginLoadError);
  });

  it("refuses a header name that is not a lowercase token, and says why", async () => {
    const failure = await new ProxyHost().startPlugin({ wasm: WASM, pluginConfig: '{"greeting": "hi"}' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PluginLoadError);
    expect(String((failure as PluginLoadError).message) + JSON.stringify((failure as PluginLoadError).logs)).toContain("configuration must be");
  });

  it("counts requests per method in a tagged counter", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: WASM });
    for (const method of ["GET", "GET", "POST"]) exchange(plugin, method);
    expect(host.getCounter("hello_requests_total", { method: "GET" })).toBe(2n);
    expect(host.getCounter("hello_requests_total", { method: "POST" })).toBe(1n);
    expect(host.listMetrics().map((m) => m.statName).sort()).toEqual([
      "wasmcustom.method=.=GET;.;hello_requests_total",
      "wasmcustom.method=.=POST;.;hello_requests_total",
    ]);
  });
});
