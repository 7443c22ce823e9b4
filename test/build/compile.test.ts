// src/build/compile.ts: deterministic modules, the compile cache, and clear compile errors.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CompileError, compileAssemblyScript } from "../../src/build/compile.js";

const work = mkdtempSync(join(tmpdir(), "wasmixer-compile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("compileAssemblyScript", () => {
  it("gives byte-identical modules for the same sources", async () => {
    process.env.WASMIXER_NO_CACHE = "1";
    try {
      const a = await compileAssemblyScript("assembly/filters/hello/index.ts", join(work, "a", "hello.wasm"));
      const b = await compileAssemblyScript("assembly/filters/hello/index.ts", join(work, "b", "hello.wasm"));
      expect(a.sha256).toBe(b.sha256);
      expect(Buffer.compare(readFileSync(a.outFile), readFileSync(b.outFile))).toBe(0);
    } finally {
      delete process.env.WASMIXER_NO_CACHE;
    }
  });

  it("reuses a cached module until a source it read changes", async () => {
    const dir = join(work, "cached");
    const entry = join(dir, "index.ts");
    const helper = join(dir, "answer.ts");
    const out = join(dir, "out", "m.wasm");
    const source = (n: number) => `import { answer } from "./answer";\nexport function value(): i32 { return answer() + ${n}; }\n@global function wasmixer_abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }\n`;
    rmSync(dir, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(dir, { recursive: true }));
    writeFileSync(entry, source(1));
    writeFileSync(helper, "export function answer(): i32 { return 41; }\n");
    const value = async () => {
      const { instance } = await WebAssembly.instantiate(readFileSync(out));
      (instance.exports._initialize as () => void)();
      return (instance.exports.value as () => number)();
    };
    await compileAssemblyScript(entry, out);
    expect(await value()).toBe(42);
    // Unchanged sources: the cached module is returned and the file is not written again.
    const writtenAt = statSync(out).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await compileAssemblyScript(entry, out);
    expect(statSync(out).mtimeMs).toBe(writtenAt);
    expect(again.sha256).toBe(createHash("sha256").update(readFileSync(out)).digest("hex"));
    // A change in an imported file, not the entry, must invalidate the cache.
    writeFileSync(helper, "export function answer(): i32 { return 99; }\n");
    await compileAssemblyScript(entry, out);
    expect(await value()).toBe(100);
  });

  it("reports compiler diagnostics with the entry's name", async () => {
    const entry = join(work, "broken.ts");
    writeFileSync(entry, "export function f(): i32 { return nope; }\n");
    const failure = await compileAssemblyScript(entry, join(work, "broken.wasm")).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CompileError);
    expect(String((failure as CompileError).message)).toContain("broken.ts");
    expect(String((failure as CompileError).message)).toContain("nope");
  });
});
