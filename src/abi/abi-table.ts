import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FunctionSignature } from "./wasm-interface.js";

/** One correction of the shared fixture the table was generated from. */
export interface AbiErratum {
  entry: string;
  reason: string;
  extracted: FunctionSignature;
  corrected: FunctionSignature;
}

/**
 * The proxy-wasm ABI's signature table (`abi-0.2.1.json`).
 * `imports` are host functions keyed by name in module `env`, or as
 * `wasi_snapshot_preview1.<name>`; `exports` are the module's callbacks.
 */
export interface AbiTable {
  abiVersion: string;
  source: string;
  errata: AbiErratum[];
  imports: Record<string, FunctionSignature>;
  exports: Record<string, FunctionSignature>;
}

const TABLE_FILE = "abi-0.2.1.json";

// tsc does not copy JSON into dist/, so compiled code (dist/src/abi/) reads the
// table from the source tree, three folders up; under vitest it sits next to this file.
function tablePath(): string {
  const candidates = [new URL(`./${TABLE_FILE}`, import.meta.url), new URL(`../../../src/abi/${TABLE_FILE}`, import.meta.url)];
  const found = candidates.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
  if (!found) throw new Error(`${TABLE_FILE} not found next to ${fileURLToPath(import.meta.url)} nor in src/abi/`);
  return found;
}

let cached: AbiTable | undefined;

/** The ABI v0.2.1 table shipped in src/abi/abi-0.2.1.json. */
export function abiTable(): AbiTable {
  cached ??= JSON.parse(readFileSync(tablePath(), "utf8")) as AbiTable;
  return cached;
}

/** The table key of an import: bare name for module `env`, `module.name` otherwise. */
export function importKey(module: string, name: string): string {
  return module === "env" ? name : `${module}.${name}`;
}
