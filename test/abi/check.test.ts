import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { checkAbi, formatSignature } from "../../src/abi/check.js";
import type { AbiReport, FindingCode } from "../../src/abi/report.js";
import { WasmFormatError } from "../../src/abi/wasm-interface.js";
import { compileGcoreFilter, REPO_ROOT } from "../third-party/gcore-module.js";
import { buildModule, MINIMAL_EXPORTS, type ModuleSpec } from "./module-builder.js";

const workDir = mkdtempSync(join(tmpdir(), "wasmixer-abi-check-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const filtersDir = join(REPO_ROOT, "assembly", "filters");
// Built from assembly/filters/ like the filters but not proxy-wasm modules (no proxy_* exports):
// see assembly/filters/crypto/README.md; test/crypto/module.test.ts checks that it stays so.
const STANDALONE_MODULES = new Set(["crypto"]);
const filterNames = existsSync(filtersDir)
  ? readdirSync(filtersDir).filter((name) => existsSync(join(filtersDir, name, "index.ts")) && !STANDALONE_MODULES.has(name)).sort()
  : [];

function codes(findings: AbiReport["errors"]): FindingCode[] {
  return findings.map((finding) => finding.code);
}

function subjects(findings: AbiReport["errors"], code: FindingCode): (string | undefined)[] {
  return findings.filter((finding) => finding.code === code).map((finding) => finding.subject);
}

function check(spec: ModuleSpec): AbiReport {
  return checkAbi(buildModule(spec));
}

describe("our filters", () => {
  // Compiled here rather than read from build/, so a missing `npm run build` cannot make this pass on zero modules.
  const modules = new Map<string, Uint8Array>();
  beforeAll(async () => {
    for (const name of filterNames) {
      const built = await compileAssemblyScript(join(filtersDir, name, "index.ts"), join(workDir, `${name}.wasm`));
      modules.set(name, readFileSync(built.outFile));
    }
  });

  it("exist", () => {
    expect(filterNames.length, `no assembly/filters/<name>/index.ts under ${filtersDir}`).toBeGreaterThan(0);
  });

  it.each(filterNames)("%s matches ABI 0.2.1 with no errors or warnings", (name) => {
    const report = checkAbi(modules.get(name)!);
    expect(report.errors, JSON.stringify(report.errors, null, 2)).toEqual([]);
    expect(report.warnings, JSON.stringify(report.warnings, null, 2)).toEqual([]);
    expect(report.abiVersion).toBe("0.2.1");
    expect(report.exports.map((entry) => entry.name)).toEqual(expect.arrayContaining(["proxy_abi_version_0_2_1", "memory", "_initialize"]));
  });
});

describe("hand-built modules", () => {
  it("a minimal ABI 0.2.1 module is clean", () => {
    const report = check({ imports: { "env.proxy_log": { params: ["i32", "i32", "i32"], results: ["i32"] } } });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.info).toEqual([]);
    expect(report.abiVersion).toBe("0.2.1");
    expect(report.imports).toEqual([
      { module: "env", name: "proxy_log", kind: "function", signature: { params: ["i32", "i32", "i32"], results: ["i32"] } },
    ]);
  });

  it("reports env.abort, wasi_unstable, unknown WASI and unknown env imports", () => {
    const report = check({
      imports: {
        "env.abort": { params: ["i32", "i32", "i32", "i32"] },
        "wasi_unstable.fd_write": { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
        "wasi_snapshot_preview1.fd_read": { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
        "env.proxy_dictionary_get": { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
        "env.wasi_snapshot_preview1.fd_write": { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
      },
    });
    expect(subjects(report.errors, "import-not-in-abi")).toEqual([
      "env.abort", "wasi_unstable.fd_write", "wasi_snapshot_preview1.fd_read", "env.proxy_dictionary_get", "env.wasi_snapshot_preview1.fd_write",
    ]);
    expect(report.errors.find((finding) => finding.subject === "env.abort")?.message).toMatch(/--use abort=/);
  });

  it("reports ABI 0.1.0 host functions", () => {
    const report = check({
      imports: {
        "env.proxy_clear_route_cache": { results: ["i32"] },
        "env.proxy_continue_request": { results: ["i32"] },
        "env.proxy_get_configuration": { params: ["i32", "i32"], results: ["i32"] },
      },
    });
    expect(subjects(report.errors, "import-abi-0.1.0")).toEqual(["env.proxy_clear_route_cache", "env.proxy_continue_request", "env.proxy_get_configuration"]);
  });

  it("reports imports with the wrong signature", () => {
    const report = check({
      imports: {
        "env.proxy_log": { params: ["i32", "i32"], results: ["i32"] },
        "env.proxy_increment_metric": { params: ["i32", "i32"], results: ["i32"] },
        "env.proxy_done": {},
        "wasi_snapshot_preview1.clock_time_get": { params: ["i32", "i64", "i32"], results: ["i32"] },
      },
    });
    expect(subjects(report.errors, "import-signature")).toEqual(["env.proxy_log", "env.proxy_increment_metric", "env.proxy_done"]);
    expect(report.errors[0]!.message).toContain("(i32, i32) -> i32");
    expect(report.errors[0]!.message).toContain("(i32, i32, i32) -> i32");
  });

  it("uses the corrected proxy_grpc_call signature (12 i32 -> i32), not the fixture's extraction", () => {
    const twelve = Array<"i32">(12).fill("i32");
    expect(check({ imports: { "env.proxy_grpc_call": { params: twelve, results: ["i32"] } } }).errors).toEqual([]);
    const extracted = check({ imports: { "env.proxy_grpc_call": { params: [...twelve, "i32"] } } });
    expect(subjects(extracted.errors, "import-signature")).toEqual(["env.proxy_grpc_call"]);
  });

  it("reports exports with the wrong signature, proxy_on_log included", () => {
    const report = check({
      exports: {
        ...MINIMAL_EXPORTS,
        proxy_on_log: { params: ["i32"], results: ["i32"] },
        proxy_on_request_headers: { params: ["i32", "i32"], results: ["i32"] },
        proxy_on_vm_start: { params: ["i32", "i32"], results: ["i32"] },
      },
    });
    expect(subjects(report.errors, "export-signature")).toEqual(["proxy_on_log", "proxy_on_request_headers"]);
  });

  it("reports a missing proxy_abi_version_0_2_1", () => {
    const { proxy_abi_version_0_2_1: _marker, ...rest } = MINIMAL_EXPORTS;
    const report = check({ exports: rest });
    expect(codes(report.errors)).toEqual(["abi-version-missing"]);
    expect(report.abiVersion).toBeNull();
  });

  it("reports stale ABI 0.1.0 exports", () => {
    const report = check({
      exports: {
        proxy_abi_version_0_1_0: {},
        ...MINIMAL_EXPORTS,
        proxy_on_request_metadata: { params: ["i32", "i32"], results: ["i32"] },
        proxy_on_response_metadata: { params: ["i32", "i32"], results: ["i32"] },
        proxy_validate_configuration: { params: ["i32"] },
        proxy_on_grpc_trailing_metadata: { params: ["i32", "i32", "i32"] },
      },
    });
    // Envoy takes the first marker in export order.
    expect(report.abiVersion).toBe("0.1.0");
    expect(subjects(report.errors, "abi-version-conflict")).toEqual(["proxy_abi_version_0_1_0"]);
    expect(subjects(report.errors, "export-signature")).toEqual(["proxy_validate_configuration"]);
    expect(subjects(report.warnings, "export-legacy")).toEqual(["proxy_on_request_metadata", "proxy_on_response_metadata", "proxy_validate_configuration"]);
    expect(subjects(report.warnings, "export-unknown-callback")).toEqual(["proxy_on_grpc_trailing_metadata"]);
  });

  it("reports a missing memory and a missing allocator", () => {
    const { proxy_on_memory_allocate: _allocate, ...rest } = MINIMAL_EXPORTS;
    expect(codes(check({ exports: rest }).errors)).toEqual(["allocator-missing"]);
    expect(codes(check({ memoryExport: null }).errors)).toEqual(["memory-missing"]);
  });

  it("accepts malloc alone as info, and notes both allocators", () => {
    const { proxy_on_memory_allocate: _allocate, ...rest } = MINIMAL_EXPORTS;
    const mallocOnly = check({ exports: { ...rest, malloc: { params: ["i32"], results: ["i32"] } } });
    expect(mallocOnly.errors).toEqual([]);
    expect(mallocOnly.info.map((finding) => [finding.code, finding.subject])).toEqual([["allocator", "malloc"]]);
    const both = check({ exports: { ...MINIMAL_EXPORTS, malloc: { params: ["i32"], results: ["i32"] } } });
    expect(both.info[0]?.message).toMatch(/Envoy calls malloc/);
    const badMalloc = check({ exports: { ...rest, malloc: { params: ["i64"], results: ["i64"] } } });
    expect(subjects(badMalloc.errors, "export-signature")).toEqual(["malloc"]);
  });

  it("follows the spec's integration rules for _initialize, _start and main", () => {
    const { _initialize: _init, ...rest } = MINIMAL_EXPORTS;
    const mainAlone = check({ exports: { ...rest, main: { params: ["i32", "i32"], results: ["i32"] } } });
    expect(mainAlone.errors).toEqual([]);
    expect(subjects(mainAlone.warnings, "entry-point")).toEqual(["main"]);
    const startAndInitialize = check({ exports: { ...MINIMAL_EXPORTS, _start: {} } });
    expect(subjects(startAndInitialize.warnings, "entry-point")).toEqual(["_start"]);
    const startOnly = check({ exports: { ...rest, _start: {} } });
    expect(startOnly.warnings).toEqual([]);
    expect(startOnly.info).toEqual([]);
    const none = check({ exports: rest });
    expect(codes(none.info)).toEqual(["entry-point"]);
    const badMain = check({ exports: { ...MINIMAL_EXPORTS, main: {} } });
    expect(subjects(badMain.errors, "export-signature")).toEqual(["main"]);
  });

  it("reports imported globals as errors and imported memories as warnings", () => {
    expect(subjects(check({ importedGlobal: "env.__stack_pointer" }).errors, "import-non-function")).toEqual(["env.__stack_pointer"]);
    const importedMemory = check({ importedMemory: "env.memory" });
    expect(subjects(importedMemory.warnings, "import-non-function")).toEqual(["env.memory"]);
    expect(codes(importedMemory.errors)).toEqual(["memory-missing"]);
  });

  it("reports a 64-bit memory", () => {
    const report = check({ memory64: true });
    expect(codes(report.errors)).toEqual(["memory64"]);
    expect(report.exports.find((entry) => entry.name === "memory")?.memory?.is64).toBe(true);
  });

  it("rejects bytes that are not Wasm", () => {
    expect(() => checkAbi(new TextEncoder().encode("not wasm at all"))).toThrow(WasmFormatError);
    const truncated = buildModule({}).subarray(0, 40);
    expect(() => checkAbi(truncated)).toThrow(WasmFormatError);
  });
});

describe("AssemblyScript built without --use abort", () => {
  it("imports env.abort, which the check reports", async () => {
    const source = [
      "export function proxy_abi_version_0_2_1(): void {}",
      "export function proxy_on_memory_allocate(size: usize): usize { return heap.alloc(size); }",
      "export function proxy_on_vm_start(id: u32, size: u32): u32 { assert(size < 100, 'too big'); return 1; }",
    ].join("\n");
    let binary: Uint8Array | undefined;
    const stderr = asc.createMemoryStream();
    const { error } = await asc.main(["entry.ts", "--outFile", "entry.wasm", "--exportStart", "_initialize", "--runtime", "stub"], {
      stderr,
      readFile: (name: string) => (name === "entry.ts" ? source : null),
      writeFile: (name: string, contents: Uint8Array | string) => {
        if (name.endsWith(".wasm") && typeof contents !== "string") binary = contents;
      },
      listFiles: () => [],
    });
    expect(error, stderr.toString()).toBeNull();
    const report = checkAbi(binary!);
    expect(subjects(report.errors, "import-not-in-abi")).toEqual(["env.abort"]);
  });
});

describe("the module built with @gcoredev/proxy-wasm-sdk-as 1.2.3", () => {
  let report: AbiReport;
  beforeAll(async () => {
    const built = await compileGcoreFilter(join(workDir, "gcore-headers.wasm"));
    report = checkAbi(readFileSync(built.outFile));
  });

  it("links: no errors, ABI marker 0.2.1", () => {
    expect(report.errors).toEqual([]);
    expect(report.abiVersion).toBe("0.2.1");
  });

  it("imports only ABI functions, logging through WASI fd_write", () => {
    const names = report.imports.map((entry) => `${entry.module}.${entry.name}`);
    expect(names).toContain("wasi_snapshot_preview1.fd_write");
    expect(names).not.toContain("env.proxy_log");
    expect(names.every((name) => name.startsWith("env.proxy_") || name === "wasi_snapshot_preview1.fd_write")).toBe(true);
  });

  it("carries legacy callbacks and a misspelled gRPC callback, and allocates with malloc only", () => {
    expect(report.warnings.map((finding) => [finding.code, finding.subject])).toEqual([
      ["export-legacy", "proxy_validate_configuration"],
      ["export-legacy", "proxy_on_request_metadata"],
      ["export-legacy", "proxy_on_response_metadata"],
      // The spec's name is proxy_on_grpc_receive_trailing_metadata, which the SDK does not export.
      ["export-unknown-callback", "proxy_on_grpc_trailing_metadata"],
    ]);
    expect(report.exports.map((entry) => entry.name)).not.toContain("proxy_on_grpc_receive_trailing_metadata");
    expect(report.info.map((finding) => [finding.code, finding.subject])).toEqual([["allocator", "malloc"]]);
  });

  it("exports its callbacks with the ABI's signatures", () => {
    const onRequestHeaders = report.exports.find((entry) => entry.name === "proxy_on_request_headers");
    expect(onRequestHeaders?.signature && formatSignature(onRequestHeaders.signature)).toBe("(i32, i32, i32) -> i32");
  });
});
