// assembly/sdk/exports.ts: every SDK-built module exports exactly the ABI 0.2.1 callbacks with the
// spec's signatures, imports only spec host functions, and nothing from older ABIs.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { abiTable, importKey } from "../../src/abi/abi-table.js";
import { readWasmInterface } from "../../src/abi/wasm-interface.js";
import { testModule } from "./module-path.js";

const CALLBACKS = [
  "proxy_on_context_create", "proxy_on_vm_start", "proxy_on_configure", "proxy_on_tick", "proxy_on_done", "proxy_on_log",
  "proxy_on_delete", "proxy_on_new_connection", "proxy_on_downstream_data", "proxy_on_downstream_connection_close",
  "proxy_on_upstream_data", "proxy_on_upstream_connection_close", "proxy_on_request_headers", "proxy_on_request_body",
  "proxy_on_request_trailers", "proxy_on_response_headers", "proxy_on_response_body", "proxy_on_response_trailers",
  "proxy_on_http_call_response", "proxy_on_grpc_receive_initial_metadata", "proxy_on_grpc_receive",
  "proxy_on_grpc_receive_trailing_metadata", "proxy_on_grpc_close", "proxy_on_queue_ready", "proxy_on_foreign_function",
];
const EXPECTED_EXPORTS = [...CALLBACKS, "proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "_initialize", "memory"].sort();

const MODULES = ["sdk-http", "sdk-metrics", "sdk-json", "sdk-callouts", "sdk-root", "sdk-noop", "sdk-registry"];

describe.each(MODULES)("%s", (name) => {
  const bytes = readFileSync(testModule(name));
  const module = new WebAssembly.Module(bytes);
  const table = abiTable();

  it("exports exactly the ABI 0.2.1 callbacks, the version marker, the allocator, _initialize and memory", () => {
    expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(EXPECTED_EXPORTS);
  });

  it("gives every export the spec's signature", () => {
    for (const exported of readWasmInterface(bytes).exports) {
      if (exported.kind !== "function") continue;
      expect(exported.signature, exported.name).toEqual(table.exports[exported.name]);
    }
  });

  it("imports only spec host functions, with the spec's signatures", () => {
    const imports = readWasmInterface(bytes).imports;
    expect(WebAssembly.Module.imports(module).every((i) => i.module === "env" && i.name.startsWith("proxy_"))).toBe(true);
    for (const imported of imports) {
      expect(imported.signature, imported.name).toEqual(table.imports[importKey(imported.module, imported.name)]);
    }
  });

  it("has nothing from older ABIs", () => {
    const names = [...WebAssembly.Module.exports(module), ...WebAssembly.Module.imports(module)].map((e) => e.name);
    for (const legacy of ["malloc", "proxy_clear_route_cache", "proxy_validate_configuration", "proxy_on_request_metadata",
      "proxy_abi_version_0_1_0", "proxy_get_configuration", "wasmixer_abort", "abort"]) {
      expect(names).not.toContain(legacy);
    }
    expect(WebAssembly.Module.imports(module).map((i) => i.module)).not.toContain("wasi_unstable");
  });
});
