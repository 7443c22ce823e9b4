// assembly/sdk/gc-policy.ts: modules use the minimal runtime and collect garbage between
// callbacks. Many allocation-heavy streams must neither grow memory without bound nor
// corrupt live objects (contexts, configuration) that survive collections.
import { describe, expect, it } from "vitest";
import { ProxyHost } from "../../src/host/index.js";
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
