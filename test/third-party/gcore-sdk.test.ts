// Runs a filter built with the third-party @gcoredev/proxy-wasm-sdk-as (1.2.3,
// from npm, unmodified) in our Node host, so the host is checked against an SDK
// it was not written alongside. That SDK differs from ours where a lax host
// would go unnoticed: it exports `malloc` but not `proxy_on_memory_allocate`,
// logs through WASI `fd_write` to stdout ("[INFO]: ..." lines) instead of
// `proxy_log`, treats host-allocated buffers as AssemblyScript ArrayBuffers
// (so the host must allocate exactly the returned size through the module),
// and returns Envoy's FilterHeadersStatus values.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileGcoreFilter, REPO_ROOT } from "./gcore-module.js";

type HostModule = typeof import("../../src/host/index.js");
type ProxyHost = InstanceType<HostModule["ProxyHost"]>;
type Plugin = Awaited<ReturnType<ProxyHost["startPlugin"]>>;

const HOST_ENTRY = join(REPO_ROOT, "src", "host", "index.ts");
const PLUGIN_CONFIG = { greeting: "hi", id: 42 };
const CONFIG_TEXT = JSON.stringify(PLUGIN_CONFIG);

const request = (path: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ":method": "GET", ":path": path, ":authority": "example.com", ":scheme": "http", ...extra,
});

const hostReady = existsSync(HOST_ENTRY);
if (!hostReady) it.skip("needs src/host/index.ts, which does not exist yet", () => {});

describe.runIf(hostReady)("a @gcoredev/proxy-wasm-sdk-as filter in the Node host", () => {
  const workDir = mkdtempSync(join(tmpdir(), "wasmixer-gcore-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  let hostModule: HostModule;
  let wasm: Uint8Array;
  let host: ProxyHost;
  let plugin: Plugin;

  beforeAll(async () => {
    hostModule = await import("../../src/host/index.js");
    wasm = readFileSync((await compileGcoreFilter(join(workDir, "gcore-headers.wasm"))).outFile);
    host = new hostModule.ProxyHost({ clock: "manual" });
    plugin = await host.startPlugin({ wasm, name: "gcore", rootId: "gcore_headers", pluginConfig: PLUGIN_CONFIG });
  });

  it("starts, reads the plugin configuration and logs through WASI stdout at info level", () => {
    expect(plugin.isFailed).toBe(false);
    expect(plugin.logs()).toContainEqual(expect.stringContaining(`[INFO]: gcore configured: ${CONFIG_TEXT}`));
    expect(plugin.logs(hostModule.LogLevel.Info)).toContainEqual(expect.stringContaining("gcore configured:"));
  });

  it("adds and removes request headers, counts the request and logs it", () => {
    const http = plugin.newHttpContext();
    const action = http.callOnRequestHeaders(request("/hello", { "x-remove-me": "yes", "x-keep": "1" }));
    expect(action).toBe(hostModule.Action.Continue);
    expect(http.getRequestHeader("x-gcore-config")).toBe(CONFIG_TEXT);
    expect(http.getRequestHeader("x-remove-me")).toBeUndefined();
    expect(http.getRequestHeader("x-keep")).toBe("1");
    expect(http.requestHeaders.filter(([name]) => name === "x-gcore-config")).toHaveLength(1);
    expect(plugin.logs()).toContainEqual(expect.stringContaining("[INFO]: gcore request GET /hello"));
    expect(Number(host.getCounter("gcore_requests_total"))).toBe(1);
  });

  it("changes response headers using state kept from the request", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("/from-request"));
    const action = http.callOnResponseHeaders({ ":status": "200", server: "envoy", "content-type": "text/plain" });
    expect(action).toBe(hostModule.Action.Continue);
    expect(http.getResponseHeader("x-gcore-seen")).toBe("/from-request");
    expect(http.getResponseHeader("server")).toBe("gcore");
    expect(http.responseHeaders.filter(([name]) => name === "server")).toEqual([["server", "gcore"]]);
    http.complete();
    expect(http.failed).toBe(false);
    expect(plugin.isFailed).toBe(false);
  });

  it("sends a local reply on /gcore/deny without counting the request", () => {
    const before = Number(host.getCounter("gcore_requests_total"));
    expect(before).toBeGreaterThanOrEqual(1);
    const http = plugin.newHttpContext();
    const action = http.callOnRequestHeaders(request("/gcore/deny"));
    expect(action).toBe(hostModule.Action.Pause);
    expect(http.localResponse).toBeDefined();
    expect(http.localResponse!.status).toBe(403);
    expect(http.localResponse!.bodyText).toBe("denied by gcore filter");
    expect(http.localResponse!.details).toBe("gcore_denied");
    expect(http.localResponse!.headers).toContainEqual(["x-denied-by", "gcore"]);
    expect(http.getRequestHeader("x-gcore-config")).toBeUndefined();
    expect(Number(host.getCounter("gcore_requests_total"))).toBe(before);
    http.complete();
    expect(plugin.isFailed).toBe(false);
  });

  it("keeps counting across streams", () => {
    const before = Number(host.getCounter("gcore_requests_total"));
    expect(before).toBeGreaterThanOrEqual(1);
    for (const path of ["/a", "/b", "/c"]) {
      const http = plugin.newHttpContext();
      http.callOnRequestHeaders(request(path));
      http.callOnResponseHeaders({ ":status": "204" });
      http.complete();
    }
    expect(Number(host.getCounter("gcore_requests_total"))).toBe(before + 3);
  });
});
