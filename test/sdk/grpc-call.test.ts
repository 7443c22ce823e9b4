// gRPC calls and streams whose events reach the HttpContext that opened them (module test/modules/sdk-callouts).
import { beforeEach, describe, expect, it } from "vitest";
import { Action, ProxyHost, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

let host: ProxyHost;
let plugin: Plugin;

beforeEach(async () => {
  host = new ProxyHost({ clusters: { "grpc-backend": {} } });
  plugin = await host.startPlugin({ wasm: testModule("sdk-callouts") });
});

function startStream(scenario: string) {
  const http = plugin.newHttpContext();
  const action = http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "app", "x-scenario": scenario }, true);
  return { http, action };
}

describe("grpcCall", () => {
  it("sends the call and resumes the stream with the reply", async () => {
    const { http, action } = startStream("grpc");
    expect(action).toBe(Action.Pause);
    const [call] = plugin.pendingGrpcCalls();
    expect(call).toMatchObject({ kind: "call", cluster: "grpc-backend", service: "test.Lookup", method: "Find", timeoutMs: 1000 });
    expect(Buffer.from(call!.message).toString()).toBe("ping");
    expect(call!.initialMetadata).toContainEqual(["x-meta", "1"]);
    plugin.respondToGrpcCall(call!.id, { message: "pong" });
    await host.settle();
    expect(http.getRequestHeader("x-grpc-reply")).toBe("pong");
    expect(http.continued.request).toBe(true);
  });

  it("reports a failed call through onGrpcClose with the host's status message", async () => {
    const { http } = startStream("grpc");
    plugin.respondToGrpcCall(plugin.pendingGrpcCalls()[0]!.id, { status: 14, statusMessage: "no healthy upstream" });
    await host.settle();
    expect(http.localResponse).toMatchObject({ status: 503, bodyText: "grpc 14 no healthy upstream" });
  });
});

describe("grpcStream", () => {
  it("sends messages and delivers metadata, messages, trailers and close to the stream", async () => {
    const { http, action } = startStream("grpc-stream");
    expect(action).toBe(Action.Pause);
    const [stream] = plugin.pendingGrpcCalls();
    expect(stream).toMatchObject({ kind: "stream", service: "test.Chat", method: "Talk", localClosed: true });
    expect(stream!.sentMessages.map((m) => Buffer.from(m).toString())).toEqual(["hello", "bye"]);
    plugin.sendGrpcStreamEvent(stream!.id, { initialMetadata: { "x-server": "s1" } });
    plugin.sendGrpcStreamEvent(stream!.id, { message: "hi" });
    plugin.sendGrpcStreamEvent(stream!.id, { message: "ciao" });
    plugin.sendGrpcStreamEvent(stream!.id, { close: { status: 0, trailingMetadata: { "x-done": "yes" } } });
    await host.settle();
    expect(http.getRequestHeader("x-chat")).toBe("meta:x-server=s1;msg:hi;msg:ciao;trailer:x-done=yes;close:0");
    expect(http.continued.request).toBe(true);
  });
});
