// build/crypto.wasm ships with Wasm SIMD (REPOSITORY_MODULE_FLAGS in src/cli/build.ts): the tested
// SIMD build must be that one and compile reproducibly; the scalar fallback is a different binary.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { REPOSITORY_MODULE_FLAGS } from "../../src/cli/build.js";
import { CRYPTO_ENTRY, SHIPPED_CRYPTO_FLAGS } from "./crypto-modules.js";

describe("the shipped crypto.wasm build", () => {
  const previous = process.env.WASMIXER_NO_CACHE;
  afterEach(() => {
    if (previous === undefined) delete process.env.WASMIXER_NO_CACHE;
    else process.env.WASMIXER_NO_CACHE = previous;
  });

  it("npm run build compiles crypto with SIMD, and only the modules listed get extra flags", () => {
    expect(REPOSITORY_MODULE_FLAGS.crypto).toEqual(["--enable", "simd"]);
    expect(SHIPPED_CRYPTO_FLAGS).toEqual(REPOSITORY_MODULE_FLAGS.crypto);
    // jwt.wasm's flags: test/filters/jwt.test.ts checks that its tests run the shipped bytes.
    expect(Object.keys(REPOSITORY_MODULE_FLAGS)).toEqual(["crypto", "jwt"]);
  });

  it("compiles to identical bytes twice, without the compile cache", async () => {
    process.env.WASMIXER_NO_CACHE = "1";
    const first = await compileAssemblyScript(CRYPTO_ENTRY, join("build", "test", "crypto-shipped-1.wasm"), [...SHIPPED_CRYPTO_FLAGS]);
    const second = await compileAssemblyScript(CRYPTO_ENTRY, join("build", "test", "crypto-shipped-2.wasm"), [...SHIPPED_CRYPTO_FLAGS]);
    expect(second.sha256).toBe(first.sha256);
    expect(WebAssembly.validate(readFileSync(first.outFile))).toBe(true);
    const scalar = await compileAssemblyScript(CRYPTO_ENTRY, join("build", "test", "crypto-shipped-scalar.wasm"));
    expect(scalar.sha256).not.toBe(first.sha256);
  }, 120_000);
});
