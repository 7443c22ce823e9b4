// Host functions as the module sees them, through the raw test module test/modules/host-basic.
import { beforeEach, describe, expect, it } from "vitest";
import { Action, LogLevel, ProxyHost, Status, type Plugin } from "../../src/host/index.js";
import { lastLog, modulePath } from "./support.js";

let host: ProxyHost;
let plugin: Plugin;

beforeEach(async () => {
  host = new ProxyHost({ startTimeNs: 1_700_000_000_000_000_000n });
  plugin = await host.startPlugin({ wasm: modulePath("host-basic"), name: "basic", pluginConfig: "cfg", vmConfig: "vmcfg" });
});

const request = (op: string, extra: Record<string, string | string[]> = {}) => ({ ":path": "/p?q=1", ":method": "GET", host: "example.com", "x-op": op, ...extra });

describe("header maps", () => {
  it("get returns the first value, missing is NotFound, bad/unavailable maps BadArgument", () => {
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders(request("headers", { "X-A": ["1", "2"], "x-rep": ["a", "b"], "x-del": "d" }))).toBe(Action.Continue);
    const f = lastLog(plugin, "headers first=1");
    expect(f).toMatchObject({ first: "1", missing: String(Status.NotFound), badmap: String(Status.BadArgument), response: String(Status.BadArgument), callout: String(Status.BadArgument) });
  });

  it("add appends, replace keeps one value, remove drops all, and request changes clear the route cache", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("headers", { "x-rep": ["a", "b"], "x-del": "d" }));
    expect(http.requestHeaders.filter(([k]) => k === "x-added")).toEqual([["x-added", "one"], ["x-added", "two"]]);
    expect(http.requestHeaders.filter(([k]) => k === "x-rep")).toEqual([["x-rep", "replaced"]]);
    expect(http.getRequestHeader("x-del")).toBeUndefined();
    expect(http.routeCacheClears).toBe(4);
  });

  it("request maps carry :authority (from Host), :path, :method, :scheme first; size is the byte size", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("headers"));
    expect(http.requestHeaders.slice(0, 4).map(([k]) => k)).toEqual([":authority", ":path", ":method", ":scheme"]);
    const size = lastLog(plugin, "headers size");
    expect(size).toMatchObject({ authority: "example.com", method: "GET", scheme: "http", path: "/p?q=1" });
  });

  it("set_header_map_pairs replaces the whole map", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("set-pairs"));
    expect(lastLog(plugin, "set-pairs").status).toBe("0");
    expect(http.requestHeaders).toEqual([[":path", "/new"], ["x-only", "1"]]);
  });

  it("response headers hold :status first; request headers are gone once the request continued", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("resp-header"));
    http.callOnResponseHeaders({ "content-type": "text/plain", ":status": "201" });
    expect(lastLog(plugin, "response_headers")).toMatchObject({ first: ":status", request: String(Status.BadArgument) });
    expect(http.getResponseHeader("x-resp")).toBe("added");
    expect(http.responseHeaders[0]).toEqual([":status", "201"]);
  });
});

describe("bodies", () => {
  const body = (op: string, chunks: string[]) => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request(op));
    chunks.forEach((c, i) => http.callOnRequestBody(c, i === chunks.length - 1));
    return http;
  };

  it("get_buffer_bytes reads the chunk and a clamped slice", () => {
    body("body-read", ["hello world"]);
    expect(lastLog(plugin, "request_body")).toMatchObject({ size: "11", status: "11", body: "hello", part: "llo", headers: String(Status.BadArgument) });
  });

  it("set_buffer_bytes replaces, prepends, appends; a start inside the body is BadArgument", () => {
    expect(body("body-replace", ["abc"]).requestBodyText).toBe("replaced");
    expect(body("body-prepend", ["abc"]).requestBodyText).toBe("pre-abc");
    expect(body("body-append", ["abc"]).requestBodyText).toBe("abc-post");
    const middle = body("body-middle", ["abc"]);
    expect(lastLog(plugin, "request_body").set).toBe(String(Status.BadArgument));
    expect(middle.requestBodyText).toBe("abc");
  });

  it("a paused body buffers: the next callback sees everything so far", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("body-buffer"));
    expect(http.callOnRequestBody("one-", false)).toBe(Action.Pause);
    expect(http.callOnRequestBody("two", true)).toBe(Action.Continue);
    expect(lastLog(plugin, "request_body")).toMatchObject({ size: "7", body: "one-two" });
    expect(http.requestBodyText).toBe("one-two");
  });

  it("trailers can be added while the last body chunk is processed", () => {
    const http = body("body-trailers", ["abc"]);
    expect(lastLog(plugin, "request_body").set).toBe("0");
    expect(http.requestTrailers).toEqual([["x-added-trailer", "yes"]]);
  });

  it("response bodies can be rewritten", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("resp-body"));
    http.callOnResponseHeaders({ ":status": "200" });
    http.callOnResponseBody("original", true);
    expect(http.responseBodyText).toBe("rewritten");
  });
});

describe("local replies", () => {
  it("are deferred until the callback returns and force Pause", () => {
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders(request("local"))).toBe(Action.Pause);
    expect(lastLog(plugin, "local").status).toBe("0");
    expect(http.localResponse).toMatchObject({ status: 403, bodyText: "nope", details: "denied_by_policy_now", grpcStatus: -1 });
    expect(http.localResponse!.headers).toEqual([[":status", "403"], ["content-length", "4"], ["content-type", "text/plain"], ["x-custom", "v1"], ["x-other", "v2"]]);
  });

  it("gRPC requests get a trailers-only 200 with grpc-status and grpc-message", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("local", { "content-type": "application/grpc", "x-grpc": "7" }));
    expect(http.localResponse).toMatchObject({ status: 200, grpcStatus: 7 });
    expect(http.localResponse!.headers).toContainEqual(["grpc-message", "nope"]);
  });

  it("notifies listeners", () => {
    const http = plugin.newHttpContext();
    const seen: number[] = [];
    http.observe({ onLocalResponse: (r) => seen.push(r.status) });
    http.callOnRequestHeaders(request("local"));
    expect(seen).toEqual([403]);
  });
});

describe("properties", () => {
  const property = (path: string, properties?: Record<string, string | number | boolean | bigint | Uint8Array>) => {
    const http = plugin.newHttpContext({ properties });
    http.callOnRequestHeaders(request("property", { "x-path": path, "user-agent": "ua", "x-h": ["1", "2"] }));
    return lastLog(plugin, "property");
  };
  const hex = (s: string) => Buffer.from(s).toString("hex");

  it("encodes strings raw, ints as 8-byte LE, bools as one byte, doubles as float64", () => {
    expect(property("source.address", { "source.address": "10.0.0.1:80" }).hex).toBe(hex("10.0.0.1:80"));
    expect(property("source.port", { "source.port": 8080 }).hex).toBe("901f000000000000");
    expect(property("connection.mtls", { "connection.mtls": true }).hex).toBe("01");
    expect(property("x.ratio", { "x.ratio": 0.5 }).hex).toBe("000000000000e03f");
    expect(property("x.big", { "x.big": -1n }).hex).toBe("ffffffffffffffff");
  });

  it("serves request attributes and Wasm attributes; unknown paths are NotFound", () => {
    expect(property("request.path").hex).toBe(hex("/p?q=1"));
    expect(property("request.url_path").hex).toBe(hex("/p"));
    expect(property("request.host").hex).toBe(hex("example.com"));
    expect(property("request.useragent").hex).toBe(hex("ua"));
    expect(property("request.headers.x-h").hex).toBe(hex("1,2"));
    expect(property("plugin_name").hex).toBe(hex("basic"));
    expect(property("request.time").hex).toBe(Buffer.from(new BigInt64Array([1_700_000_000_000_000_000n]).buffer).toString("hex"));
    expect(property("nothing.here").status).toBe(String(Status.NotFound));
  });

  it("plugin-level properties are visible to streams; stream-level ones win", async () => {
    const p = await host.startPlugin({ wasm: modulePath("host-basic"), properties: { "node.metadata.NAMESPACE": "prod" } });
    const http = p.newHttpContext();
    http.callOnRequestHeaders(request("property", { "x-path": "node.metadata.NAMESPACE" }));
    expect(lastLog(p, "property").hex).toBe(hex("prod"));
    const other = p.newHttpContext({ properties: { "node.metadata.NAMESPACE": "dev" } });
    other.callOnRequestHeaders(request("property", { "x-path": "node.metadata.NAMESPACE" }));
    expect(lastLog(p, "property").hex).toBe(hex("dev"));
  });

  it("set_property writes filter state wasm.<path>, readable back by name", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request("set-property"));
    expect(lastLog(plugin, "set-property")).toMatchObject({ status: "0", read: "0", value: "my" });
    expect(Buffer.from(http.filterState.get("wasm.my_key")!).toString()).toBe("my value");
  });

  it("set_property from the root context is NotFound", () => {
    plugin.newHttpContext().callOnRequestHeaders(request("effective"));
    expect(lastLog(plugin, "effective").setPropertyFromRoot).toBe(String(Status.NotFound));
  });
});

describe("metrics, shared data, misc", () => {
  it("applies Envoy's metric rules", () => {
    plugin.newHttpContext().callOnRequestHeaders(request("metrics"));
    expect(lastLog(plugin, "metrics")).toEqual({
      same: "1", badType: "2", inc0: "2", incNeg: "2", inc: "0", rec: "0", counter: "7", gdec: "0", gauge: "7", hinc: "2", hget: "2", unknown: "1",
    });
    expect(host.getCounter("my_total", { reporter: "dst" })).toBe(7n);
    expect(host.getGauge("my_gauge")).toBe(7n);
    expect(host.getHistogram("my_histogram")!.samples).toEqual([7n, 700n]);
    expect(host.listMetrics().map((m) => m.statName)).toContain("wasmcustom.reporter=.=dst;.;my_total");
  });

  it("shared data: NotFound, CAS mismatch, CAS success", () => {
    plugin.newHttpContext().callOnRequestHeaders(request("shared"));
    expect(lastLog(plugin, "shared")).toMatchObject({ missing: "1", set: "0", got: "v1", casNonZero: "1", stale: "8", fresh: "0", reuse: "8", final: "v2" });
  });

  it("status codes of misc host functions", () => {
    plugin.newHttpContext().callOnRequestHeaders(request("misc"));
    expect(lastLog(plugin, "misc")).toMatchObject({
      nowMs: "1700000000000", level: String(LogLevel.Trace), badLevel: "2", done: "1", cont: "2", contUp: "12", closeBad: "2",
      status: "0", code: "0", oob: "6", bufNotFound: "1", cfgNotFound: "1", bufBad: "2", readOnly: "2",
    });
  });

  it("configuration buffers are readable in vm_start / configure", () => {
    expect(plugin.logs()).toContain("vm_start config=vmcfg");
    expect(plugin.logs()).toContain("configure config=cfg");
  });

  it("WASI: stdout becomes an info log without the newline; bad fd EBADF; unknown clock ENOTSUP", () => {
    plugin.newHttpContext().callOnRequestHeaders(request("wasi"));
    expect(plugin.logs(LogLevel.Info)).toContain("hello from stdout");
    expect(lastLog(plugin, "wasi")).toMatchObject({ write: "0", written: "18", badFd: "8", clock: "0", nowPositive: "1", badClock: "58", random: "0" });
  });

  it("proxy_set_effective_context: unknown id BadArgument, root id switches the context", () => {
    plugin.newHttpContext().callOnRequestHeaders(request("effective"));
    expect(lastLog(plugin, "effective")).toMatchObject({ bad: "2", good: "0", mapFromRoot: "2" });
  });

  it("foreign functions: clear_route_cache, custom ones, unknown NotFound", async () => {
    const p = await host.startPlugin({
      wasm: modulePath("host-basic"),
      foreignFunctions: { echo: (args) => new Uint8Array([...Buffer.from("got:"), ...args]) },
    });
    const http = p.newHttpContext();
    http.callOnRequestHeaders(request("foreign", { "x-fn": "clear_route_cache" }));
    expect(lastLog(p, "foreign").status).toBe("0");
    expect(http.routeCacheClears).toBe(1);
    p.newHttpContext().callOnRequestHeaders(request("foreign", { "x-fn": "echo" }));
    expect(lastLog(p, "foreign")).toMatchObject({ status: "0", result: "got:args!" });
    p.newHttpContext().callOnRequestHeaders(request("foreign", { "x-fn": "nope" }));
    expect(lastLog(p, "foreign").status).toBe(String(Status.NotFound));
  });
});

// Speed is measured by `npm run bench` (bench/host-calls.ts), not here: this checks that the module's
// hot-path loop really reads the header through proxy_get_header_map_value on every iteration.
describe("header-get hot path", () => {
  it("bench_get_header reads the value on every iteration", () => {
    const http = plugin.newHttpContext();
    const headers: Record<string, string> = { "x-op": "continue-later", "x-bench": "some-value-123" };
    for (let i = 0; i < 20; i++) headers[`x-filler-${i}`] = `v${i}`;
    http.callOnRequestHeaders(headers);
    // Call the export with the stream context current, as a callback would.
    const vm = (http as unknown as { vm: { call(ctx: unknown, name: string, ...args: number[]): { value: number } } }).vm;
    expect(vm.call(http, "bench_get_header", 3).value).toBe(3 * "some-value-123".length);
    expect(vm.call(http, "bench_get_header", 1000).value).toBe(1000 * "some-value-123".length);
  });
});
