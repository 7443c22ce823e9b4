// RootContext: configuration, timers, root_id registrations and the TCP factory (module test/modules/sdk-root).
import { describe, expect, it } from "vitest";
import { Action, PeerType, ProxyHost } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

describe("root contexts", () => {
  it("picks the registration matching the plugin's root_id", async () => {
    const host = new ProxyHost();
    const main = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root", vmConfig: "vm-settings" });
    const other = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "other", pluginConfig: "cfg" });
    expect(main.logs()).toEqual(["vm config: vm-settings", "main root configured, queue registered"]);
    expect(other.logs()).toContain("other root configured: cfg");
    expect(other.logs()).not.toContain("main root configured, queue registered");
  });

  it("falls back to a no-op root context for an unknown root_id", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-root"), rootId: "nobody" });
    expect(plugin.logs()).toContain('no root context registered for root_id "nobody"');
    const http = plugin.newHttpContext();
    expect(http.callOnRequestHeaders({ ":path": "/", ":method": "GET", ":authority": "a", "x-scenario": "shared-data" }, true)).toBe(Action.Continue);
    expect(http.localResponse).toBeUndefined();
  });
});

describe("timers", () => {
  it("calls onTick every period set with setTickPeriod", async () => {
    const host = new ProxyHost({ startTimeNs: 1_000_000_000n });
    const plugin = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root", pluginConfig: "250" });
    expect(plugin.tickPeriodMs).toBe(250);
    host.advanceTime(1000);
    expect(host.getCounter("sdk_ticks_total")).toBe(4n);
    expect(plugin.logs().filter((line) => line.startsWith("tick at"))).toEqual([
      "tick at 1250ms", "tick at 1500ms", "tick at 1750ms", "tick at 2000ms",
    ]);
  });

  it("never ticks without a period", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root" });
    host.advanceTime(5000);
    expect(plugin.tickPeriodMs).toBe(0);
    expect(host.getCounter("sdk_ticks_total")).toBeUndefined();
  });
});

describe("TCP contexts", () => {
  it("are created when the root context's factory returns a TcpContext", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-root"), rootId: "tcp" });
    const tcp = plugin.newTcpContext();
    expect(tcp.callOnNewConnection()).toBe(Action.Continue);
    expect(tcp.callOnDownstreamData("hello", false)).toBe(Action.Continue);
    expect(tcp.callOnUpstreamData("world", false)).toBe(Action.Continue);
    expect(tcp.downstreamText).toBe("[5]hello");
    expect(tcp.upstreamText).toBe("world!");
    tcp.callOnDownstreamClose(PeerType.Local);
    expect(plugin.logs()).toEqual(["tcp new connection", `tcp downstream closed by ${PeerType.Local}`]);
  });
});
