// Byte-level header and filter-state helpers (assembly/sdk/header-bytes.ts, property-bytes.ts), end to end
// through the host with module test/modules/sdk-header-bytes.
import { beforeEach, describe, expect, it } from "vitest";
import { ProxyHost, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

let plugin: Plugin;

beforeEach(async () => {
  plugin = await new ProxyHost().startPlugin({ wasm: testModule("sdk-header-bytes") });
});

const request = (extra: [string, string][]): [string, string][] => [
  [":method", "GET"], [":path", "/"], [":authority", "example.com"], [":scheme", "http"], ...extra,
];

describe("BorrowedHeaderPairs with removeHeaderBytes / replaceHeaderBytes", () => {
  it("walks every pair in order and acts on names and values in place", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request([["x-drop-a", "1"], ["keep", "k"], ["X-Drop-B", "2"], ["x-copy", "v\u00e9"], ["x-drop-a", "3"]]), true);
    expect(http.requestHeaders.map(([k]) => k).filter((k) => !k.startsWith(":"))).toEqual(["keep", "x-copy", "x-copied"]);
    expect(http.getRequestHeader("x-copied")).toBe("v\u00e9");
  });

  it("handles a request with no matching headers and an empty value", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request([["x-copy", ""]]), true);
    expect(http.getRequestHeader("x-copied")).toBe("");
    expect(http.requestHeaders).toHaveLength(6);
  });
});

describe("setPropertyBytes", () => {
  it("stores the bytes in filter state under Envoy's wasm. prefix", () => {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders(request([["x-state", "principal/one"]]), true);
    expect(Buffer.from(http.filterState.get("wasm.sdk.bytes")!).toString("latin1")).toBe("principal/one");
  });
});
