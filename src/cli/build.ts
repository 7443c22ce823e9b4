import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { compileAssemblyScript, type CompiledModule } from "../build/compile.js";

/** Extra compiler flags per module name (`assembly/filters/<name>`), after the common ones. */
export type ModuleFlags = Readonly<Record<string, readonly string[]>>;

/**
 * The flags `npm run build` adds for this repository's own modules (not for
 * projects built with `wasmixer build`). crypto.wasm ships with Wasm SIMD:
 * Envoy's V8 runs it (on by default), and its RSA kernel is about twice as fast
 * as the scalar one. The scalar build stays tested (test/crypto/ compiles both);
 * both are deterministic like every module.
 *
 * jwt.wasm is optimized for speed (-O2) instead of size (-Oz): it runs on
 * every authenticated request against a per-request target, and under the
 * stub host of bench/jwt.ts its cache hit took ~20% less time for 5 KB more
 * module (93 -> 98 KB of its 128 KB budget); -O3 gained ~3% more for +26 KB.
 * It also ships with SIMD, so the signatures it verifies itself go through
 * the same RSA kernel as crypto.wasm, and token compares take 64 bytes a step.
 */
export const REPOSITORY_MODULE_FLAGS: ModuleFlags = {
  crypto: ["--enable", "simd"],
  jwt: ["--optimizeLevel", "2", "--shrinkLevel", "0", "--enable", "simd"],
};

/** Compiles every `<dir>/assembly/filters/<name>/index.ts` into `<dir>/build/<name>.wasm`. */
export async function buildFilters(projectDir: string, log: (line: string) => void = () => {}, moduleFlags: ModuleFlags = {}): Promise<CompiledModule[]> {
  const filtersDir = join(projectDir, "assembly", "filters");
  if (!existsSync(filtersDir)) throw new Error(`no ${relative(process.cwd(), filtersDir) || filtersDir} folder: nothing to build`);
  const names = readdirSync(filtersDir).filter((name) => existsSync(join(filtersDir, name, "index.ts"))).sort();
  const built: CompiledModule[] = [];
  for (const name of names) {
    log(`compiling ${name} ...`);
    const extraFlags = Object.hasOwn(moduleFlags, name) ? moduleFlags[name] : [];
    built.push(await compileAssemblyScript(join(filtersDir, name, "index.ts"), join(projectDir, "build", `${name}.wasm`), { baseDir: projectDir, extraFlags }));
  }
  return built;
}

export async function runBuild(args: string[], moduleFlags: ModuleFlags = {}): Promise<number> {
  const dirFlag = args.indexOf("--dir");
  const projectDir = dirFlag >= 0 ? args[dirFlag + 1] : process.cwd();
  if (!projectDir) throw new Error("--dir needs a folder");
  const built = await buildFilters(projectDir, (line) => console.error(line), moduleFlags);
  console.table(built.map((m) => ({ module: relative(projectDir, m.outFile), bytes: m.size, sha256: m.sha256 })));
  return 0;
}
