// HTTP callouts whose responses reach the HttpContext that made them (module test/modules/sdk-callouts).
import { beforeEach, describe, expect, it } from "vitest";
import { Action, LogLevel, ProxyHost, Status, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

let host: ProxyHost;
let plugin: Plugin;

beforeEach(async () => {
  host = new ProxyHost({ clusters: { auth: () => undefined } });
  plugin = await host.startPlugin({ wasm: testModule("sdk-callouts") });
});

function startStream(scenario: string) {
  const http = plugin.newHttpContext();
  const action = http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "app", "x-scenario": scenario }, true);
  return { http, action };
}

describe("httpCall", () => {
  it("sends the request the module built", () => {
    const { http, action } = startStream("http");
    expect(action).toBe(Action.Pause);
    const [call] = plugin.pendingHttpCalls();
    expect(call).toMatchObject({ cluster: "auth", method: "POST", path: "/check", authority: "auth.local", bodyText: "token=abc", timeoutMs: 500 });
    expect(call!.headers).toContainEqual(["x-stream", String(http.id)]);
  });

  it("delivers the response to the originating stream, which resumes", async () => {
    const first = startStream("http");
    const second = startStream("http");
    const calls = plugin.pendingHttpCalls();
    expect(calls).toHaveLength(2);
    // Answer the second stream's call first: each answer must reach its own stream.
    const secondCall = calls.find((c) => c.headers.some(([k, v]) => k === "x-stream" && v === String(second.http.id)))!;
    plugin.respondToHttpCall(secondCall.id, { status: 200, headers: { "x-user": "bob" }, body: "ok-2", trailers: { "x-trailer": "t" } });
    await host.settle();
    expect(second.http.continued.request).toBe(true);
    expect(second.http.getRequestHeader("x-user")).toBe("bob");
    expect(second.http.getRequestHeader("x-auth-body")).toBe("ok-2");
    expect(second.http.getRequestHeader("x-auth-trailer")).toBe("t");
    expect(second.http.getRequestHeader("x-handled-by")).toBe(String(second.http.id));
    expect(first.http.continued.request).toBe(false);
    expect(first.http.getRequestHeader("x-user")).toBeUndefined();

    const firstCall = calls.find((c) => c !== secondCall)!;
    plugin.respondToHttpCall(firstCall.id, { status: 200, headers: { "x-user": "alice" }, body: "ok-1" });
    await host.settle();
    expect(first.http.continued.request).toBe(true);
    expect(first.http.getRequestHeader("x-user")).toBe("alice");
    expect(first.http.getRequestHeader("x-handled-by")).toBe(String(first.http.id));
  });

  it("lets the handler send a local reply on the stream", async () => {
    const { http } = startStream("http");
    plugin.respondToHttpCall(plugin.pendingHttpCalls()[0]!.id, { status: 401, body: "bad token" });
    await host.settle();
    expect(http.localResponse).toMatchObject({ status: 403, bodyText: "denied 401: bad token" });
  });

  it("reports a timeout as Envoy's 504", async () => {
    const { http } = startStream("http");
    host.advanceTime(500);
    await host.settle();
    expect(http.localResponse).toMatchObject({ status: 403, bodyText: "denied 504: upstream request timeout" });
  });

  it("reports a reset as a failed call", async () => {
    const { http } = startStream("http");
    plugin.respondToHttpCall(plugin.pendingHttpCalls()[0]!.id, "reset");
    await host.settle();
    expect(http.localResponse).toMatchObject({ status: 503, bodyText: "callout failed" });
  });

  it("answers with a cluster handler", async () => {
    const answering = new ProxyHost({ clusters: { auth: (req) => ({ status: 200, headers: { "x-user": req.authority }, body: req.bodyText }) } });
    const p = await answering.startPlugin({ wasm: testModule("sdk-callouts") });
    const http = p.newHttpContext();
    http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "app", "x-scenario": "http" }, true);
    await answering.settle();
    expect(http.getRequestHeader("x-user")).toBe("auth.local");
    expect(http.getRequestHeader("x-auth-body")).toBe("token=abc");
    expect(http.continued.request).toBe(true);
  });

  it("drops the response of a stream that is gone", async () => {
    const { http } = startStream("http");
    http.complete();
    plugin.respondToHttpCall(plugin.pendingHttpCalls()[0]!.id, { status: 200 });
    await host.settle();
    expect(plugin.isFailed).toBe(false);
    expect(plugin.logs(LogLevel.Debug)).toContain("http call response for a deleted context dropped");
  });

  it("returns the host's refusal of a call without :authority", () => {
    const { http, action } = startStream("http-bad");
    expect(action).toBe(Action.Continue);
    expect(http.getRequestHeader("x-call-status")).toBe(String(Status.BadArgument));
    expect(plugin.pendingHttpCalls()).toHaveLength(0);
  });
});
