// Compiles and instantiates the crypto module (scalar and SIMD builds) and the test harness,
// with helpers to move bytes in and out of their linear memory.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { REPOSITORY_MODULE_FLAGS } from "../../src/cli/build.js";

export const CRYPTO_ENTRY = "assembly/filters/crypto/index.ts";
const HARNESS_ENTRY = "test/crypto/harness/index.ts";

/** Exports every module here has: linear memory and its allocator. */
export interface WasmMemoryExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  collect(): void;
}

export interface CryptoExports extends WasmMemoryExports {
  verify(algorithm: number, key: number, keyLength: number, message: number, messageLength: number, signature: number, signatureLength: number): number;
  sha256(data: number, length: number, out: number): void;
  sha384(data: number, length: number, out: number): void;
  sha512(data: number, length: number, out: number): void;
  hmac(hash: number, key: number, keyLength: number, message: number, messageLength: number, out: number): number;
  base64urlDecode(text: number, length: number, out: number): number;
  base64urlEncode(data: number, length: number, out: number): number;
}

export interface HarnessExports extends WasmMemoryExports {
  hashChunked(algorithm: number, data: number, length: number, chunk: number, out: number): void;
  hashOneShot(algorithm: number, data: number, length: number, out: number): void;
  decodeManaged(text: number, length: number, out: number): number;
  encodeManaged(data: number, length: number, out: number): number;
}

/** Algorithm ids of the crypto module's verify export (README.md). */
export const ALGORITHM = {
  RS256: 1, RS384: 2, RS512: 3, PS256: 4, PS384: 5, PS512: 6,
  ES256: 7, ES384: 8, EdDSA: 9, HS256: 10, HS384: 11, HS512: 12,
} as const;

export const VERIFY = { valid: 1, invalid: 0, unsupported: -1, keyTooSmall: -2, keyTooLarge: -3, keyMalformed: -4 } as const;

async function instantiate<T>(file: string): Promise<T> {
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  (instance.exports._initialize as () => void)();
  return instance.exports as T;
}

export interface CryptoBuild { name: "scalar" | "simd"; file: string; size: number; exports: CryptoExports }

/** The flags `npm run build` ships build/crypto.wasm with (SIMD). */
export const SHIPPED_CRYPTO_FLAGS: readonly string[] = REPOSITORY_MODULE_FLAGS.crypto ?? [];

/** Both builds of the crypto module, compiled into build/test/: the scalar fallback and the shipped SIMD one. */
export async function loadCryptoBuilds(): Promise<CryptoBuild[]> {
  const builds: CryptoBuild[] = [];
  for (const [name, flags] of [["scalar", []], ["simd", SHIPPED_CRYPTO_FLAGS]] as const) {
    const compiled = await compileAssemblyScript(CRYPTO_ENTRY, join("build", "test", `crypto-${name}.wasm`), [...flags]);
    builds.push({ name, file: compiled.outFile, size: compiled.size, exports: await instantiate<CryptoExports>(compiled.outFile) });
  }
  return builds;
}

export async function loadHarness(): Promise<HarnessExports> {
  const compiled = await compileAssemblyScript(HARNESS_ENTRY, join("build", "test", "crypto-harness.wasm"));
  return instantiate<HarnessExports>(compiled.outFile);
}

/**
 * A bump arena over one allocation: tests copy inputs in, call, read outputs,
 * then reset. Keeps the module's heap untouched between calls.
 */
export class Arena {
  private readonly base: number;
  private used = 0;

  constructor(private readonly module: WasmMemoryExports, private readonly size = 1 << 20) {
    this.base = module.alloc(size);
  }

  reset(): void {
    this.used = 0;
  }

  /** Copies bytes in; returns their address. */
  put(bytes: Uint8Array): number {
    const ptr = this.reserve(bytes.length);
    new Uint8Array(this.module.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  reserve(length: number): number {
    const ptr = this.base + this.used;
    this.used += (length + 15) & ~15;
    if (this.used > this.size) throw new Error("test arena exhausted");
    return ptr;
  }

  read(ptr: number, length: number): Buffer {
    return Buffer.from(new Uint8Array(this.module.memory.buffer, ptr, length));
  }
}

/** The crypto module's RSA key encoding: u32le nLen | n | u32le eLen | e. */
export function rsaKeyBytes(n: Uint8Array, e: Uint8Array): Buffer {
  const key = Buffer.alloc(8 + n.length + e.length);
  key.writeUInt32LE(n.length, 0);
  key.set(n, 4);
  key.writeUInt32LE(e.length, 4 + n.length);
  key.set(e, 8 + n.length);
  return key;
}

// One arena per build, reused: the module's heap stays flat across thousands of calls.
const verifyArenas = new WeakMap<CryptoBuild, Arena>();

/** The `verify` export of `build` on copies of the inputs. */
export function verifyWith(build: CryptoBuild, algorithm: number, key: Uint8Array, message: Uint8Array, signature: Uint8Array): number {
  let arena = verifyArenas.get(build);
  if (!arena) verifyArenas.set(build, arena = new Arena(build.exports, 1 << 16));
  arena.reset();
  return build.exports.verify(algorithm, arena.put(key), key.length, arena.put(message), message.length, arena.put(signature), signature.length);
}
