// The peer from filter state (a serialized google.protobuf.Struct) is parsed from the bytes
// the host returns, not from a text round trip of them.
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../../src/build/compile.js";
import { ProxyHost } from "../../../src/host/index.js";
import { encodeStruct } from "../../support/protobuf-struct.js";

const WASM = "build/test/stats-peer-state.wasm";

beforeAll(async () => {
  await compileAssemblyScript("assembly/filters/stats/index.ts", WASM);
});

function struct(fields: Record<string, string>): Uint8Array {
  return Uint8Array.from(encodeStruct(fields));
}

describe("stats filter peer from filter state", () => {
  it("reads a Struct whose lengths need more than one varint byte (not valid UTF-8)", async () => {
    const host = new ProxyHost();
    const plugin = await host.startPlugin({ wasm: WASM, pluginConfig: {}, properties: { "xds.listener_direction": 1 } });
    // 200 bytes: the length varint 0xC8 0x01 is not UTF-8.
    const workload = "w".repeat(200);
    const peer = struct({ workload, namespace: "db", service: "client" });
    expect(Buffer.from(peer).toString("utf8")).toContain("\ufffd");
    const http = plugin.newHttpContext({ properties: { "filter_state\0downstream_peer": peer } });
    http.callOnRequestHeaders({ ":authority": "mysql" }, true);
    http.callOnResponseHeaders({ ":status": "200" }, true);
    http.complete();
    const requests = host.listMetrics().filter((m) => m.name === "istio_requests_total");
    expect(requests).toHaveLength(1);
    expect(requests[0]!.tags).toMatchObject({ source_workload: workload, source_workload_namespace: "db", source_canonical_service: "client" });
  });
});
