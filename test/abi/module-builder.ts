// Hand-built Wasm modules for the ABI checker tests, made with binaryen's
// module builder so the bytes come from a tool independent of our reader.
import binaryen from "binaryen";

type ValueName = "i32" | "i64" | "f32" | "f64";

export interface FunctionSpec {
  params?: ValueName[];
  results?: ValueName[];
}

export interface ModuleSpec {
  /** Function imports as "module.name" (module `env` included explicitly). */
  imports?: Record<string, FunctionSpec>;
  /** Function exports by name. */
  exports?: Record<string, FunctionSpec>;
  /** Exported memory name; null for none. Default "memory". */
  memoryExport?: string | null;
  memory64?: boolean;
  importedMemory?: string;
  importedGlobal?: string;
}

const TYPES: Record<ValueName, number> = {
  i32: binaryen.i32, i64: binaryen.i64, f32: binaryen.f32, f64: binaryen.f64,
};

function typeOf(list: readonly ValueName[] = []): number {
  return list.length === 0 ? binaryen.none : binaryen.createType(list.map((name) => TYPES[name]));
}

function zeroOf(module: binaryen.Module, results: readonly ValueName[] = []): number {
  if (results.length === 0) return module.nop();
  if (results.length > 1) return module.tuple.make(results.map((name) => zeroOf(module, [name])));
  switch (results[0]) {
    // This binaryen takes one bigint, while its typings still declare (low, high).
    case "i64": return (module.i64.const as unknown as (value: bigint) => number)(0n);
    case "f32": return module.f32.const(0);
    case "f64": return module.f64.const(0);
    default: return module.i32.const(0);
  }
}

/** The exports every ABI 0.2.1 module in these tests starts from. */
export const MINIMAL_EXPORTS: Record<string, FunctionSpec> = {
  proxy_abi_version_0_2_1: {},
  _initialize: {},
  proxy_on_memory_allocate: { params: ["i32"], results: ["i32"] },
  proxy_on_context_create: { params: ["i32", "i32"] },
};

/** Builds a module whose exported functions return zero of their result types. */
export function buildModule(spec: ModuleSpec): Uint8Array {
  const module = new binaryen.Module();
  try {
    module.setFeatures(binaryen.Features.MVP | binaryen.Features.Multivalue | (spec.memory64 ? binaryen.Features.Memory64 : 0));
    for (const [key, fn] of Object.entries(spec.imports ?? {})) {
      const dot = key.indexOf(".");
      module.addFunctionImport(`import:${key}`, key.slice(0, dot), key.slice(dot + 1), typeOf(fn.params), typeOf(fn.results));
    }
    if (spec.importedGlobal) {
      const dot = spec.importedGlobal.indexOf(".");
      module.addGlobalImport("imported_global", spec.importedGlobal.slice(0, dot), spec.importedGlobal.slice(dot + 1), binaryen.i32, false);
    }
    if (spec.importedMemory) {
      const dot = spec.importedMemory.indexOf(".");
      module.setMemory(1, 16, null, [], false, spec.memory64 ?? false, "mem");
      module.addMemoryImport("mem", spec.importedMemory.slice(0, dot), spec.importedMemory.slice(dot + 1));
    } else {
      const exportName = spec.memoryExport === undefined ? "memory" : spec.memoryExport;
      module.setMemory(1, 16, exportName, [], false, spec.memory64 ?? false, "mem");
    }
    for (const [name, fn] of Object.entries(spec.exports ?? MINIMAL_EXPORTS)) {
      module.addFunction(`export:${name}`, typeOf(fn.params), typeOf(fn.results), [], zeroOf(module, fn.results));
      module.addFunctionExport(`export:${name}`, name);
    }
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}
