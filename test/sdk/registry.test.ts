// assembly/sdk/registry.ts: every callback reaches the context created under its id, however many
// contexts live at once and in whatever order they come and go; unknown ids are ignored.
// Module: test/modules/sdk-registry (streams tag themselves with their request's header count).
import { describe, expect, it } from "vitest";
import { Action, ProxyHost } from "../../src/host/index.js";
import { instantiateDirect } from "./direct-module.js";
import { testModule } from "./module-path.js";

/** Deterministic shuffle (xorshift32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("context registry", () => {
  it("routes each callback to its own context for ids created and deleted out of order", () => {
    const { vm, logs } = instantiateDirect("sdk-registry");
    const root = 7;
    vm.proxy_on_context_create(root, 0);
    expect(vm.proxy_on_vm_start(root, 0)).toBe(1);
    expect(vm.proxy_on_configure(root, 0)).toBe(1);
    const ids = [
      ...Array.from({ length: 3000 }, (_, i) => 8 + i),
      ...Array.from({ length: 200 }, (_, i) => 0x10000 * (i + 1) + 3),
      0, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
    ];
    const tag = (id: number) => (id * 2654435761) % 1000 >>> 0;
    for (const id of shuffled(ids, 1)) {
      vm.proxy_on_context_create(id, root);
      expect(vm.proxy_on_request_headers(id, tag(id), 1)).toBe(Action.Continue);
    }
    logs.length = 0;
    const order = shuffled(ids, 2);
    for (const id of order) {
      vm.proxy_on_log(id);
      expect(vm.proxy_on_done(id)).toBe(1);
      vm.proxy_on_delete(id);
    }
    expect(logs.filter((line) => !line.startsWith("done "))).toEqual(order.flatMap((id) => [`log ${id}:${tag(id)}`, `delete ${id}:${tag(id)}`]));
  });

  it("ignores callbacks for ids it does not know or already forgot", () => {
    const { vm, logs } = instantiateDirect("sdk-registry");
    vm.proxy_on_context_create(1, 0);
    vm.proxy_on_context_create(2, 1);
    vm.proxy_on_request_headers(2, 5, 1);
    vm.proxy_on_delete(2);
    logs.length = 0;
    for (const id of [2, 3, 129, 0xffffffff]) {
      expect(vm.proxy_on_request_headers(id, 9, 1)).toBe(Action.Continue);
      vm.proxy_on_log(id);
      expect(vm.proxy_on_done(id)).toBe(1);
      vm.proxy_on_delete(id);
    }
    expect(logs).toEqual([]);
    // A stream under a root that does not exist gets no context.
    vm.proxy_on_context_create(4, 99);
    expect(logs).toEqual(["stream context created under an unknown root context"]);
    vm.proxy_on_log(4);
    expect(logs).toHaveLength(1);
    // A forgotten id can be used again, and gets a fresh context.
    vm.proxy_on_context_create(2, 1);
    vm.proxy_on_log(2);
    expect(logs.at(-1)).toBe("log 2:0");
  });

  it("keeps thousands of concurrent host streams apart", async () => {
    const plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-registry") });
    const streams = Array.from({ length: 2500 }, (_, i) => {
      const http = plugin.newHttpContext();
      const extra = Array.from({ length: i % 23 }, (_, k): [string, string] => [`x-extra-${k}`, "1"]);
      http.callOnRequestHeaders([[":method", "GET"], [":path", "/"], [":authority", "example.com"], [":scheme", "http"], ...extra], true);
      return { http, headerCount: 4 + (i % 23) };
    });
    for (const { http, headerCount } of shuffled(streams, 3)) {
      expect(http.callOnResponseHeaders({ ":status": "200" }, true)).toBe(Action.Continue);
      expect(http.getResponseHeader("x-context")).toBe(`${http.id}:${headerCount}`);
    }
    for (const { http } of shuffled(streams, 4)) http.complete();
    const deletes = plugin.logs().filter((line) => line.startsWith("delete "));
    expect(deletes).toHaveLength(streams.length);
    expect(new Set(deletes).size).toBe(streams.length);
    expect(plugin.isFailed).toBe(false);
  });
});
