// proxy_http_call through the test module: handlers, manual answers, timeouts, resets, a real HTTP server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Action, ProxyHost, Status } from "../../src/host/index.js";
import { lastLog, modulePath } from "./support.js";

const call = (cluster: string, extra: Record<string, string> = {}) => ({ "x-op": "http-call", "x-cluster": cluster, ...extra });

describe("proxy_http_call", () => {
  it("unknown cluster, negative timeout and missing :path are BadArgument", async () => {
    const host = new ProxyHost({ clusters: { auth: () => undefined } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(call("nope"));
    expect(lastLog(plugin, "http-call").status).toBe(String(Status.BadArgument));
    plugin.newHttpContext().callOnRequestHeaders(call("auth", { "x-timeout": "-5" }));
    expect(lastLog(plugin, "http-call").status).toBe(String(Status.BadArgument));
    plugin.newHttpContext().callOnRequestHeaders({ "x-op": "http-call-bad", "x-cluster": "auth" });
    expect(lastLog(plugin, "http-call").status).toBe(String(Status.BadArgument));
    expect(plugin.pendingHttpCalls()).toEqual([]);
  });

  it("an in-process handler answers the root context after the callback returns", async () => {
    const seen: string[] = [];
    const host = new ProxyHost({
      clusters: {
        auth: (req) => {
          seen.push(`${req.method} ${req.path} ${req.authority} ${req.bodyText} ${req.headers.find(([k]) => k === "x-token")?.[1]}`);
          return { status: 200, headers: { "x-r": "1" }, body: "allowed", trailers: { "x-rt": "t" } };
        },
      },
    });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders(call("auth"))).toBe(Action.Pause);
    await host.settle();
    expect(seen).toEqual(["POST /check?x=1 auth.local payload abc"]);
    expect(lastLog(plugin, "http_response")).toMatchObject({
      context: String(plugin.rootContextId), token: "1", headers: "2", body_size: "7", trailers: "1", status: "200", body: "allowed", trailer: "t", code: "0",
    });
  });

  it("pending calls can be answered by the test; the module can resume the stream via the effective context", async () => {
    const host = new ProxyHost({ clusters: { auth: () => undefined } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    const resumed: string[] = [];
    http.observe({ onContinue: (d) => resumed.push(d) });
    http.callOnRequestHeaders(call("auth"));
    const [pending] = plugin.pendingHttpCalls();
    expect(pending).toMatchObject({ cluster: "auth", timeoutMs: 1000, trailers: [["x-trailer", "t1"]] });
    expect(plugin.respondToHttpCall(pending!.id, { status: 200, headers: { "x-stream": String(http.id) }, body: "resume" })).toBe(true);
    expect(http.continued.request).toBe(true);
    expect(resumed).toEqual(["request"]);
    expect(plugin.respondToHttpCall(pending!.id, { status: 200 })).toBe(false);
  });

  it("a timeout becomes a 504 'upstream request timeout' on the host clock", async () => {
    const host = new ProxyHost({ clusters: { slow: () => undefined } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(call("slow", { "x-timeout": "250" }));
    host.advanceTime(249);
    expect(plugin.pendingHttpCalls()).toHaveLength(1);
    host.advanceTime(1);
    expect(plugin.pendingHttpCalls()).toHaveLength(0);
    expect(lastLog(plugin, "http_response")).toMatchObject({ status: "504", body: "upstream", code: "0" });
  });

  it("a reset gives (token, 0, 0, 0) and get_status BrokenConnection 'reset'", async () => {
    const host = new ProxyHost({ clusters: { auth: () => "reset" } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(call("auth"));
    await host.settle();
    expect(lastLog(plugin, "http_response")).toMatchObject({ headers: "0", body_size: "0", trailers: "0", status: "null", code: String(Status.BrokenConnection), message: "reset" });
  });

  it("a trap in on_http_call_response fails the VM without a reply", async () => {
    const host = new ProxyHost({ clusters: { auth: () => ({ status: 200, body: "trap" }) } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(call("auth"));
    await host.settle();
    expect(plugin.isFailed).toBe(true);
    expect(http.localResponse).toBeUndefined();
    expect(http.callOnRequestBody("x")).toBe(Action.Pause);
    expect(http.localResponse).toMatchObject({ status: 503, details: "wasm_fail_stream" });
  });
});

describe("proxy_http_call to a real server", () => {
  let server: Server;
  let base: string;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push(`${req.method} ${req.url} host=${req.headers.host} token=${req.headers["x-token"]} body=${body}`);
        res.writeHead(201, { "x-server": "yes" });
        res.end("from-server");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the call over HTTP and delivers the response", async () => {
    const host = new ProxyHost({ clusters: { upstream: { url: base } } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(call("upstream"));
    await host.settle();
    expect(received).toEqual(["POST /check?x=1 host=auth.local token=abc body=payload"]);
    expect(lastLog(plugin, "http_response")).toMatchObject({ status: "201", body: "from-server" });
  });

  it("a refused connection is a 503 response, as Envoy's router reports it", async () => {
    const host = new ProxyHost({ clusters: { down: { url: "http://127.0.0.1:1" } } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(call("down"));
    await host.settle();
    expect(lastLog(plugin, "http_response")).toMatchObject({ status: "503", body: "upstream" });
  });
});
