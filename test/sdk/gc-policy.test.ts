// assembly/sdk/gc-policy.ts: modules use the minimal runtime and collect garbage between
// callbacks. Many allocation-heavy streams must neither grow memory without bound nor
// corrupt live objects (contexts, configuration) that survive collections.
import { describe, expect, it } from "vitest";
import { ProxyHost } from "../../src/host/index.js";
import { instantiateDirect } from "./direct-module.js";
import { testModule } from "./module-path.js";

const STREAMS = 5_000;

function stream(plugin: Awaited<ReturnType<ProxyHost["startPlugin"]>>, i: number) {
  const http = plugin.newHttpContext();
  const extra: [string, string][] = [["x-multi", `one-${i}`], ["x-multi", `two-${i}`], ["x-replaced", "a"], ["x-remove-me", "1"]];
  http.callOnRequestHeaders([[":method", "GET"], [":path", `/item/${i}`], [":authority", "example.com"], [":scheme", "http"], ["x-scenario", "headers"], ...extra], true);
  http.callOnResponseHeaders({ ":status": "200", server: "upstream" });
  http.complete();
  return http;
}

describe("garbage collection between callbacks", () => {
  it("keeps memory bounded over many streams and live data intact", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-http") });
    for (let i = 0; i < 500; i++) stream(plugin, i);
    const afterWarmUp = plugin.memoryBytes;
    let last;
    for (let i = 0; i < STREAMS; i++) last = stream(plugin, i);
    // Every stream allocates strings and arrays; without collection 5,000 streams would need megabytes.
    expect(plugin.memoryBytes).toBeLessThanOrEqual(afterWarmUp + 64 * 1024);
    expect(last!.getRequestHeader("x-all")).toBe(`one-${STREAMS - 1}|two-${STREAMS - 1}`);
    expect(last!.getResponseHeader("server")).toBe("wasmixer");
    expect(plugin.isFailed).toBe(false);
  });
});

describe("re-entered callbacks", () => {
  it("do not collect while an outer callback still holds objects only its stack refers to", () => {
    // Stream 3's onDone logs one fresh string twice; between the two, the "host" re-enters the
    // module far more often than a collection interval, with callbacks that allocate. A collection
    // in there would free the string and let those allocations overwrite it.
    const nested = 3000;
    let reentered = false;
    const { vm, logs } = instantiateDirect("sdk-registry", (message, module) => {
      if (message !== "done 3:41" || reentered) return;
      reentered = true;
      for (let i = 0; i < nested; i++) {
        module.vm.proxy_on_log(2);
        module.vm.proxy_on_request_headers(2, 50 + (i % 7), 1);
      }
    });
    vm.proxy_on_context_create(1, 0);
    vm.proxy_on_context_create(2, 1);
    vm.proxy_on_context_create(3, 1);
    vm.proxy_on_request_headers(3, 41, 1);
    expect(vm.proxy_on_done(3)).toBe(1);
    expect(reentered).toBe(true);
    expect(logs).toHaveLength(nested + 2);
    expect(logs[0]).toBe("done 3:41");
    expect(logs.at(-1)).toBe("done 3:41");
    // Once the outermost callback returned, collections run again: memory stays flat.
    const pages = vm.memory.buffer.byteLength;
    for (let i = 0; i < 20_000; i++) vm.proxy_on_log(2);
    expect(vm.memory.buffer.byteLength).toBe(pages);
  });
});
