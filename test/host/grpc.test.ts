// gRPC calls and streams through the test module.
import { describe, expect, it } from "vitest";
import { ProxyHost, Status } from "../../src/host/index.js";
import { lastLog, modulePath } from "./support.js";

const grpc = (op: string, cluster = "svc") => ({ "x-op": op, "x-cluster": cluster });

describe("gRPC callouts", () => {
  it("an unknown cluster is ParseFailure (Envoy) and unknown tokens NotFound", async () => {
    const host = new ProxyHost({ clusters: { svc: {} } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(grpc("grpc-call", "nope"));
    expect(lastLog(plugin, "grpc-call")).toMatchObject({ status: String(Status.ParseFailure), cancelUnknown: "1", closeUnknown: "1" });
  });

  it("a successful unary call gets on_grpc_receive with the message", async () => {
    const host = new ProxyHost({ clusters: { svc: { grpc: (req) => ({ message: `echo:${req.service}/${req.method}:${Buffer.from(req.message).toString()}` }) } } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(grpc("grpc-call"));
    await host.settle();
    expect(lastLog(plugin, "grpc-call")).toMatchObject({ status: "0", token: "1" });
    expect(lastLog(plugin, "grpc_receive")).toMatchObject({ context: String(plugin.rootContextId), token: "1", message: "echo:pkg.Service/Method:request-bytes" });
  });

  it("a failed unary call gets on_grpc_close and get_status returns the status and message", async () => {
    const host = new ProxyHost({ clusters: { svc: {} } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(grpc("grpc-call"));
    const [pending] = plugin.pendingGrpcCalls();
    expect(pending).toMatchObject({ kind: "call", service: "pkg.Service", method: "Method", initialMetadata: [["x-md", "1"]], timeoutMs: 5000 });
    plugin.respondToGrpcCall(pending!.id, { status: 7, statusMessage: "denied" });
    expect(lastLog(plugin, "grpc_close")).toMatchObject({ token: "1", status: "7", get_status: "7", message: "denied" });
  });

  it("a unary call times out with DEADLINE_EXCEEDED on the host clock", async () => {
    const host = new ProxyHost({ clusters: { svc: {} } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(grpc("grpc-call"));
    host.advanceTime(5000);
    expect(lastLog(plugin, "grpc_close")).toMatchObject({ status: "4" });
  });

  it("streams: send, initial metadata, messages, trailing metadata, close", async () => {
    const host = new ProxyHost({ clusters: { svc: {} } });
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    plugin.newHttpContext().callOnRequestHeaders(grpc("grpc-stream"));
    expect(lastLog(plugin, "grpc-stream")).toMatchObject({ status: "0", token: "2", send: "0", sendOnCall: String(Status.BadArgument) });
    const [stream] = plugin.pendingGrpcCalls();
    expect(stream!.sentMessages.map((m) => Buffer.from(m).toString())).toEqual(["request-bytes"]);
    plugin.sendGrpcStreamEvent(2, { initialMetadata: { "x-init": "i" } });
    expect(lastLog(plugin, "grpc_initial_metadata")).toMatchObject({ token: "2", count: "1", "x-init": "i" });
    plugin.sendGrpcStreamEvent(2, { message: "m1" });
    expect(lastLog(plugin, "grpc_receive")).toMatchObject({ token: "2", message: "m1" });
    plugin.sendGrpcStreamEvent(2, { close: { status: 0, trailingMetadata: { "x-trail": "t" } } });
    expect(lastLog(plugin, "grpc_trailing_metadata")).toMatchObject({ "x-trail": "t" });
    expect(lastLog(plugin, "grpc_close")).toMatchObject({ token: "2", status: "0" });
    expect(plugin.pendingGrpcCalls()).toEqual([]);
  });
});
