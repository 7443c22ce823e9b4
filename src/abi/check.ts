import { abiTable, importKey, type AbiTable } from "./abi-table.js";
import { ABI_0_1_0_ONLY_IMPORTS, ABI_MARKERS, LEGACY_CALLBACKS } from "./legacy-names.js";
import type { AbiReport, Finding } from "./report.js";
import { readWasmInterface, type FunctionSignature, type WasmInterface } from "./wasm-interface.js";

const TARGET_MARKER = "proxy_abi_version_0_2_1";
const WASI_MODULE = "wasi_snapshot_preview1";

/** `(i32, i32) -> i32` */
export function formatSignature(signature: FunctionSignature): string {
  const results = signature.results.length === 0 ? "()" : signature.results.length === 1 ? signature.results[0] : `(${signature.results.join(", ")})`;
  return `(${signature.params.join(", ")}) -> ${results}`;
}

function sameSignature(a: FunctionSignature, b: FunctionSignature): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length
    && a.params.every((type, i) => type === b.params[i]) && a.results.every((type, i) => type === b.results[i]);
}

class Findings {
  readonly errors: Finding[] = [];
  readonly warnings: Finding[] = [];
  readonly info: Finding[] = [];

  error(code: Finding["code"], message: string, subject?: string): void {
    this.errors.push(subject === undefined ? { code, message } : { code, subject, message });
  }
  warning(code: Finding["code"], message: string, subject?: string): void {
    this.warnings.push(subject === undefined ? { code, message } : { code, subject, message });
  }
  note(code: Finding["code"], message: string, subject?: string): void {
    this.info.push(subject === undefined ? { code, message } : { code, subject, message });
  }
}

function checkImports(wasm: WasmInterface, table: AbiTable, findings: Findings): void {
  for (const entry of wasm.imports) {
    const subject = `${entry.module}.${entry.name}`;
    if (entry.kind !== "function") {
      // proxy-wasm-cpp-host src/v8/v8.cc `V8::link`: an imported global fails the
      // link; memories and tables are created empty by the host.
      if (entry.kind === "global" || entry.kind === "tag") {
        findings.error("import-non-function", `imports a ${entry.kind}: no proxy-wasm host provides one, and Envoy's V8 link fails on it`, subject);
      } else {
        findings.warning("import-non-function", `imports a ${entry.kind}: Envoy's V8 creates an empty one, but ABI 0.2.1 has the module define and export it`, subject);
        if (entry.memory?.is64) findings.error("memory64", "the imported memory is 64-bit; Envoy's V8 accepts only wasm32 memories", subject);
      }
      continue;
    }
    const inAbiNamespace = entry.module === "env" ? !entry.name.includes(".") : entry.module === WASI_MODULE;
    const expected = inAbiNamespace ? table.imports[importKey(entry.module, entry.name)] : undefined;
    if (!expected) {
      findings.error(...unknownImport(entry.module, entry.name), subject);
      continue;
    }
    if (entry.signature && !sameSignature(entry.signature, expected)) {
      findings.error("import-signature", `imported as ${formatSignature(entry.signature)}, ABI 0.2.1 defines ${formatSignature(expected)}`, subject);
    }
  }
}

function unknownImport(module: string, name: string): [Finding["code"], string] {
  if (module === "env" && ABI_0_1_0_ONLY_IMPORTS[name]) {
    return ["import-abi-0.1.0", `ABI 0.1.0 host function, linked by Envoy only for 0.1.0 modules: ${ABI_0_1_0_ONLY_IMPORTS[name]}`];
  }
  if (module === "env" && name === "abort") {
    return ["import-not-in-abi", "AssemblyScript's default abort handler; no proxy-wasm host provides it (build with --use abort=<a function of the module>)"];
  }
  if (module === "wasi_unstable") {
    return ["import-not-in-abi", `pre-snapshot WASI; ABI 0.2.1 provides only a few ${WASI_MODULE} functions`];
  }
  if (module === WASI_MODULE) {
    return ["import-not-in-abi", `not one of the ${WASI_MODULE} functions ABI 0.2.1 provides`];
  }
  return ["import-not-in-abi", "not a host function of proxy-wasm ABI 0.2.1, so Envoy's link fails (missing import)"];
}

function checkExports(wasm: WasmInterface, table: AbiTable, findings: Findings): void {
  for (const entry of wasm.exports) {
    const expected = table.exports[entry.name] ?? LEGACY_CALLBACKS[entry.name];
    const legacy = table.exports[entry.name] === undefined && LEGACY_CALLBACKS[entry.name] !== undefined;
    if (expected) {
      if (entry.kind !== "function") {
        findings.error("export-kind", `exported as a ${entry.kind}; the host looks it up as a function ${formatSignature(expected)}`, entry.name);
        continue;
      }
      if (entry.signature && !sameSignature(entry.signature, expected)) {
        findings.error("export-signature", `exported as ${formatSignature(entry.signature)}, the host wants ${formatSignature(expected)} and refuses the module ("Bad function signature")`, entry.name);
      }
      if (legacy) {
        findings.warning("export-legacy", "not an ABI 0.2.1 callback (left from ABI 0.1.0 or an older SDK); Envoy still looks it up, the spec never calls it", entry.name);
      }
      continue;
    }
    if (entry.name in ABI_MARKERS) continue; // judged by checkAbiMarkers
    if (entry.name.startsWith("proxy_")) {
      findings.warning("export-unknown-callback", "a proxy_* export that ABI 0.2.1 does not define, so no host calls it (misspelled callback?)", entry.name);
    }
  }
}

/** The ABI version cpp-host detects: the first marker function in export order (`V8::getAbiVersion`). */
function detectedAbiVersion(wasm: WasmInterface): string | null {
  const marker = wasm.exports.find((entry) => entry.kind === "function" && entry.name in ABI_MARKERS);
  return marker ? ABI_MARKERS[marker.name]! : null;
}

function checkAbiMarkers(wasm: WasmInterface, abiVersion: string | null, findings: Findings): void {
  const markers = wasm.exports.filter((entry) => entry.name in ABI_MARKERS);
  if (!markers.some((entry) => entry.name === TARGET_MARKER && entry.kind === "function")) {
    findings.error("abi-version-missing", `no ${TARGET_MARKER} function export: Envoy refuses a module without an ABI marker, and this checker checks ABI 0.2.1`, TARGET_MARKER);
  }
  for (const marker of markers) {
    if (marker.name === TARGET_MARKER) continue;
    findings.error("abi-version-conflict", `ABI ${ABI_MARKERS[marker.name]} marker; Envoy takes the first marker in export order${abiVersion ? ` (here ${abiVersion})` : ""} and links that ABI's host functions`, marker.name);
  }
}

function checkMemory(wasm: WasmInterface, findings: Findings): void {
  const memory = wasm.exports.find((entry) => entry.name === "memory");
  if (!memory) {
    findings.error("memory-missing", "no export named memory: the host cannot read or write the module's linear memory", "memory");
  } else if (memory.kind !== "memory") {
    findings.error("export-kind", `"memory" is exported as a ${memory.kind}, not a linear memory`, "memory");
  } else if (memory.memory?.is64) {
    findings.error("memory64", "64-bit linear memory; Envoy's V8 runs only wasm32 modules", "memory");
  }
}

function checkAllocator(wasm: WasmInterface, findings: Findings): void {
  const names = new Set(wasm.exports.filter((entry) => entry.kind === "function").map((entry) => entry.name));
  const hasAllocate = names.has("proxy_on_memory_allocate");
  const hasMalloc = names.has("malloc");
  if (!hasAllocate && !hasMalloc) {
    findings.error("allocator-missing", "exports neither proxy_on_memory_allocate nor malloc: the host cannot return data to the module");
  } else if (!hasAllocate) {
    findings.note("allocator", "exports malloc without proxy_on_memory_allocate: allowed (the spec deprecates malloc and calls it only in its absence)", "malloc");
  } else if (hasMalloc) {
    // proxy-wasm-cpp-host src/wasm.cc `WasmBase::getFunctions` looks up malloc first.
    findings.note("allocator", "exports both allocators: the spec calls proxy_on_memory_allocate, Envoy calls malloc; both must allocate the same way", "malloc");
  }
}

/** The spec's "Integration" section: `_initialize` then `main`, or `_start` alone; all optional. */
function checkEntryPoints(wasm: WasmInterface, findings: Findings): void {
  const names = new Set(wasm.exports.filter((entry) => entry.kind === "function").map((entry) => entry.name));
  const hasInitialize = names.has("_initialize");
  if (names.has("main") && !hasInitialize) {
    findings.warning("entry-point", "exports main without _initialize: the spec calls main only after _initialize, so it never runs", "main");
  }
  if (names.has("_start") && hasInitialize) {
    findings.warning("entry-point", "exports both _start and _initialize: the spec calls _start only when _initialize is absent, so it never runs", "_start");
  }
  if (!hasInitialize && !names.has("_start")) {
    findings.note("entry-point", "exports neither _initialize nor _start: the host runs no initializer (fine if the module needs none)");
  }
}

/**
 * Checks a module's imports and exports against the proxy-wasm ABI v0.2.1
 * signature table (src/abi/abi-0.2.1.json) and the link rules of Envoy's host.
 * @throws WasmFormatError when the bytes are not a Wasm module.
 */
export function checkAbi(bytes: Uint8Array, table: AbiTable = abiTable()): AbiReport {
  const wasm = readWasmInterface(bytes);
  const findings = new Findings();
  const abiVersion = detectedAbiVersion(wasm);
  checkImports(wasm, table, findings);
  checkAbiMarkers(wasm, abiVersion, findings);
  checkExports(wasm, table, findings);
  checkMemory(wasm, findings);
  checkAllocator(wasm, findings);
  checkEntryPoints(wasm, findings);
  return { errors: findings.errors, warnings: findings.warnings, info: findings.info, abiVersion, imports: wasm.imports, exports: wasm.exports };
}
