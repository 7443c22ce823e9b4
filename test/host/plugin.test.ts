// Plugin lifecycle, load errors, failure policies, timers, queues and TCP, through the raw test modules.
import { describe, expect, it } from "vitest";
import { Action, LogLevel, PluginLoadError, ProxyHost } from "../../src/host/index.js";
import { lastLog, modulePath } from "./support.js";

const load = async (options: Parameters<ProxyHost["startPlugin"]>[0]) => {
  try {
    await new ProxyHost().startPlugin(options);
  } catch (error) {
    return error as PluginLoadError;
  }
  throw new Error("expected a PluginLoadError");
};

describe("load errors", () => {
  it("garbage bytes", async () => {
    const error = await load({ wasm: new Uint8Array([1, 2, 3, 4]), name: "junk" });
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.reason).toMatch(/^not a Wasm module/);
    expect(error.message).toMatch(/^Unable to create Wasm plugin junk/);
  });

  it("no proxy_abi_version_0_2_1 export", async () => {
    expect((await load({ wasm: modulePath("host-no-abi") })).reason).toMatch(/missing export proxy_abi_version_0_2_1/);
  });

  it("no allocator export", async () => {
    expect((await load({ wasm: modulePath("host-no-alloc") })).reason).toMatch(/proxy_on_memory_allocate \(or malloc\)/);
  });

  it("a trap in _initialize", async () => {
    expect((await load({ wasm: modulePath("host-init-trap") })).reason).toMatch(/^_initialize trapped \(RuntimeError: unreachable/);
  });

  it("vm_start or configure returning false, with the module's log in the error", async () => {
    const configure = await load({ wasm: modulePath("host-basic"), pluginConfig: "fail" });
    expect(configure.reason).toBe("proxy_on_configure returned false");
    expect(configure.logs.map((l) => l.message)).toContain("configuration rejected: fail requested");
    expect(configure.message).toContain("configuration rejected: fail requested");
    expect((await load({ wasm: modulePath("host-basic"), vmConfig: "fail" })).reason).toBe("proxy_on_vm_start returned false");
    expect((await load({ wasm: modulePath("host-basic"), pluginConfig: "trap" })).reason).toMatch(/^proxy_on_configure trapped/);
  });

  it("an unreadable path", async () => {
    expect((await load({ wasm: "build/test/does-not-exist.wasm" })).reason).toMatch(/^cannot read/);
  });
});

describe("lifecycle", () => {
  it("HTTP: on_log before on_done and on_delete; the access log sees the final maps", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":path": "/x" });
    http.callOnResponseHeaders({ ":status": "204" });
    const before = plugin.logs().length;
    http.complete();
    http.complete();
    expect(plugin.logs().slice(before)).toEqual([`log ${http.id} path=/x status=204 trailers=1`, `done ${http.id}`, `delete ${http.id}`]);
  });

  it("TCP: done, log, delete; downstream data can be changed", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const tcp = plugin.newTcpContext();
    expect(tcp.callOnNewConnection()).toBe(Action.Continue);
    tcp.callOnDownstreamData("ping");
    expect(tcp.downstreamText).toBe("ping!");
    tcp.callOnDownstreamClose();
    const before = plugin.logs().length;
    tcp.complete();
    expect(plugin.logs().slice(before).map((l) => l.split(" ")[0])).toEqual(["done", "log", "delete"]);
  });

  it("stop(): on_done then on_delete on the root context", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic") });
    host.stop();
    expect(plugin.logs().slice(-2)).toEqual([`done ${plugin.rootContextId}`, `delete ${plugin.rootContextId}`]);
  });
});

describe("timers", () => {
  it("ticks follow the manual clock per root context", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic"), pluginConfig: "tick:100" });
    expect(plugin.tickPeriodMs).toBe(100);
    host.advanceTime(99);
    expect(plugin.logs().filter((l) => l.startsWith("tick"))).toEqual([]);
    host.advanceTime(250);
    expect(plugin.logs().filter((l) => l.startsWith("tick"))).toEqual([
      `tick 1 context=${plugin.rootContextId}`, `tick 2 context=${plugin.rootContextId}`, `tick 3 context=${plugin.rootContextId}`,
    ]);
    expect(host.getCounter("ticks_total")).toBe(3n);
  });
});

describe("shared queues across plugins", () => {
  it("a second plugin resolves the queue by name and the owner's root gets on_queue_ready", async () => {
    const host = new ProxyHost();
    const owner = await host.startPlugin({ wasm: modulePath("host-basic"), name: "owner", pluginConfig: "queue-owner" });
    const producer = await host.startPlugin({ wasm: modulePath("host-basic"), name: "producer" });
    expect(lastLog(owner, "registered").status).toBe("0");
    producer.newHttpContext().callOnRequestHeaders({ "x-op": "enqueue", "x-queue": "jobs" });
    expect(lastLog(producer, "enqueue")).toEqual({ resolve: "0", enqueue: "0", bad: "1" });
    expect(lastLog(owner, "queue_ready")).toMatchObject({ context: String(owner.rootContextId), status: "0", item: "job-1", next: "7" });
    producer.newHttpContext().callOnRequestHeaders({ "x-op": "enqueue", "x-queue": "missing" });
    expect(lastLog(producer, "enqueue").resolve).toBe("1");
  });
});

describe("failure policy", () => {
  const trap = { "x-op": "trap" };

  it("a trap fails the stream with one 503 wasm_fail_stream and marks the VM failed; it never throws", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders(trap)).toBe(Action.Pause);
    expect(http.failed).toBe(true);
    expect(http.localResponse).toMatchObject({ status: 503, bodyText: "", details: "wasm_fail_stream" });
    expect(plugin.isFailed).toBe(true);
    expect(plugin.failure).toMatch(/proxy_on_request_headers: RuntimeError: unreachable/);
    expect(plugin.logs(LogLevel.Critical)[0]).toMatch(/wasm trap in proxy_on_request_headers/);
  });

  it("an AssemblyScript abort is a trap too", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ "x-op": "abort" });
    expect(http.localResponse?.status).toBe(503);
    expect(plugin.logs().some((l) => l.startsWith("abort: boom"))).toBe(true);
  });

  it("a gRPC request gets grpc-status 14 in the failure reply", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ...trap, "content-type": "application/grpc" });
    expect(http.localResponse).toMatchObject({ status: 200, grpcStatus: 14 });
  });

  it("a trap in on_log sends no reply", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ "x-op": "trap-log" });
    http.complete();
    expect(plugin.isFailed).toBe(true);
    expect(http.localResponse).toBeUndefined();
  });

  it("FAIL_CLOSED: every later stream gets an immediate 503", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic"), failurePolicy: "FAIL_CLOSED" });
    plugin.newHttpContext().callOnRequestHeaders(trap);
    const next = plugin.newHttpContext();
    expect(next.mode).toBe("fail");
    expect(next.callOnRequestHeaders({ "x-op": "headers" })).toBe(Action.Pause);
    expect(next.localResponse).toMatchObject({ status: 503, details: "wasm_fail_stream" });
  });

  it("FAIL_OPEN: later streams skip the filter", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic"), failurePolicy: "FAIL_OPEN" });
    plugin.newHttpContext().callOnRequestHeaders(trap);
    const before = plugin.logs().length;
    const next = plugin.newHttpContext();
    expect(next.callOnRequestHeaders({ "x-op": "local" })).toBe(Action.Continue);
    expect(next.localResponse).toBeUndefined();
    next.complete();
    expect(plugin.logs().length).toBe(before);
  });

  it("FAIL_RELOAD: 503 during the backoff, then a fresh VM (start and configure re-run)", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: modulePath("host-basic"), failurePolicy: "FAIL_RELOAD", reloadBackoffMs: 500, pluginConfig: "again" });
    plugin.newHttpContext().callOnRequestHeaders(trap);
    host.advanceTime(499);
    const during = plugin.newHttpContext();
    during.callOnRequestHeaders({ "x-op": "headers" });
    expect(during.localResponse?.status).toBe(503);
    host.advanceTime(1);
    const after = plugin.newHttpContext();
    expect(after.callOnRequestHeaders({ "x-op": "headers", "x-a": "ok" })).toBe(Action.Continue);
    expect(after.localResponse).toBeUndefined();
    expect(plugin.isFailed).toBe(false);
    expect(plugin.reloadCount).toBe(1);
    expect(plugin.logs().filter((l) => l === "configure config=again")).toHaveLength(2);
    expect(lastLog(plugin, "headers first=ok").first).toBe("ok");
  });

  it("a trap in a TCP callback closes the connection", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: modulePath("host-basic") });
    const tcp = plugin.newTcpContext();
    expect(tcp.callOnDownstreamData("trap")).toBe(Action.Pause);
    expect(tcp.failed).toBe(true);
    expect(tcp.closed).toEqual({ downstream: true, upstream: true });
  });
});
