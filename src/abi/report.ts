import type { WasmExport, WasmImport } from "./wasm-interface.js";

/** What a finding is about; stable strings that tests and tools can match on. */
export type FindingCode =
  /** An import that is not a host function of ABI 0.2.1 (Envoy's link fails). */
  | "import-not-in-abi"
  /** An ABI 0.1.0 host function (Envoy registers it only for 0.1.0 modules). */
  | "import-abi-0.1.0"
  /** An ABI host function imported with another signature (Envoy's link fails). */
  | "import-signature"
  /** A global, memory, table or tag import. */
  | "import-non-function"
  /** An ABI callback exported with another signature (Envoy fails the load). */
  | "export-signature"
  /** An ABI callback name exported as something other than a function, or `memory` not a memory. */
  | "export-kind"
  /** A callback from older ABIs/SDKs that ABI 0.2.1 does not have. */
  | "export-legacy"
  /** A `proxy_*` export no host calls, often a misspelled callback. */
  | "export-unknown-callback"
  /** No `proxy_abi_version_0_2_1` export. */
  | "abi-version-missing"
  /** More than one ABI marker, or a marker of another version. */
  | "abi-version-conflict"
  /** No exported linear memory. */
  | "memory-missing"
  /** A 64-bit linear memory (Envoy's V8 runs wasm32 only). */
  | "memory64"
  /** Neither `proxy_on_memory_allocate` nor `malloc` is exported. */
  | "allocator-missing"
  /** About `malloc` / `proxy_on_memory_allocate`. */
  | "allocator"
  /** About `_initialize`, `_start` and `main`. */
  | "entry-point";

export interface Finding {
  code: FindingCode;
  /** The import (`module.name`) or export name the finding is about, if any. */
  subject?: string;
  message: string;
}

/** The result of checking one module against the proxy-wasm ABI v0.2.1 table. */
export interface AbiReport {
  /** Problems that make Envoy refuse the module or call it wrongly. */
  errors: Finding[];
  /** Likely mistakes that do not stop the module from loading. */
  warnings: Finding[];
  /** Facts worth knowing, allowed by the spec. */
  info: Finding[];
  /**
   * The ABI version Envoy would detect: the first `proxy_abi_version_*`
   * function export in export order, or null when there is none.
   */
  abiVersion: string | null;
  imports: WasmImport[];
  exports: WasmExport[];
}
