import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWasmInterface, WasmFormatError } from "../../src/abi/wasm-interface.js";
import { compileGcoreFilter } from "../third-party/gcore-module.js";
import { buildModule } from "./module-builder.js";

const TYPE_NAMES = new Map<number, string>([
  [binaryen.i32, "i32"], [binaryen.i64, "i64"], [binaryen.f32, "f32"], [binaryen.f64, "f64"],
]);
const typeNames = (type: number): string[] => binaryen.expandType(type).map((t) => TYPE_NAMES.get(t) ?? `?${t}`);

/** The same interface as binaryen sees it, to hold our reader against. */
function binaryenView(bytes: Uint8Array) {
  const module = binaryen.readBinary(bytes);
  try {
    const functions = new Map<string, binaryen.FunctionInfo>();
    const imports = [];
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
      functions.set(info.name, info);
      if (info.module) imports.push({ module: info.module, name: info.base, params: typeNames(info.params), results: typeNames(info.results) });
    }
    const exports = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      const info = binaryen.getExportInfo(module.getExportByIndex(i));
      const fn = info.kind === binaryen.ExternalFunction ? functions.get(info.value) : undefined;
      exports.push({ name: info.name, params: fn ? typeNames(fn.params) : undefined, results: fn ? typeNames(fn.results) : undefined });
    }
    return { imports, exports };
  } finally {
    module.dispose();
  }
}

function ourView(bytes: Uint8Array) {
  const wasm = readWasmInterface(bytes);
  return {
    imports: wasm.imports.filter((entry) => entry.kind === "function")
      .map((entry) => ({ module: entry.module, name: entry.name, params: entry.signature!.params, results: entry.signature!.results })),
    exports: wasm.exports.map((entry) => ({ name: entry.name, params: entry.signature?.params, results: entry.signature?.results })),
  };
}

describe("readWasmInterface", () => {
  const workDir = mkdtempSync(join(tmpdir(), "wasmixer-wasm-interface-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));
  let gcoreModule: Uint8Array;
  beforeAll(async () => {
    gcoreModule = readFileSync((await compileGcoreFilter(join(workDir, "gcore.wasm"))).outFile);
  });

  it("reads what binaryen reads from a real AssemblyScript module", () => {
    const ours = ourView(gcoreModule);
    expect(ours.imports.length).toBeGreaterThan(5);
    expect(ours.exports.length).toBeGreaterThan(20);
    expect(ours).toEqual(binaryenView(gcoreModule));
  });

  it("reads multi-value signatures, i64 and float types", () => {
    const bytes = buildModule({
      imports: { "env.f": { params: ["i64", "f32", "f64"], results: ["i32", "i64"] } },
      exports: { g: { params: ["f64"], results: ["f32", "f64"] } },
    });
    expect(ourView(bytes)).toEqual(binaryenView(bytes));
    expect(readWasmInterface(bytes).imports[0]!.signature).toEqual({ params: ["i64", "f32", "f64"], results: ["i32", "i64"] });
  });

  it("reads memory limits, memory64 and global imports", () => {
    const wasm = readWasmInterface(buildModule({ memory64: true, importedGlobal: "env.g" }));
    expect(wasm.memories).toEqual([{ min: 1n, max: 16n, shared: false, is64: true }]);
    expect(wasm.imports).toEqual([{ module: "env", name: "g", kind: "global", global: { type: "i32", mutable: false } }]);
    expect(wasm.exports.find((entry) => entry.name === "memory")).toMatchObject({ kind: "memory", memory: { is64: true } });
  });

  it("throws WasmFormatError on non-Wasm, wrong versions and truncation", () => {
    expect(() => readWasmInterface(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]))).toThrow(/no \\0asm magic/);
    expect(() => readWasmInterface(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]))).toThrow(/version/);
    for (const cut of [9, 20, 60]) {
      expect(() => readWasmInterface(gcoreModule.subarray(0, cut))).toThrow(WasmFormatError);
    }
  });
});
