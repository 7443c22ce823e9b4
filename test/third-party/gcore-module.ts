// Builds test/modules/gcore-headers/filter.ts, a filter written with the
// third-party @gcoredev/proxy-wasm-sdk-as, from the npm package as published.
import { dirname, join, relative } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { compileAssemblyScript, type CompileOptions, type CompiledModule } from "../../src/build/compile.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const GCORE_FILTER_ENTRY = join(REPO_ROOT, "test", "modules", "gcore-headers", "filter.ts");

// asc resolves --lib against its working directory and finds nothing under an absolute path.
const wasiShimAssembly = relative(process.cwd(), join(dirname(createRequire(import.meta.url).resolve("@assemblyscript/wasi-shim/package.json")), "assembly"));

/**
 * The smallest set of compiler options with which the SDK (1.2.3) compiles
 * under AssemblyScript 0.28 without touching its sources:
 * - `--use abort=abort_proc_exit`: its README's abort handler, instead of our
 *   `wasmixer_abort` (which only our SDK defines);
 * - `--lib <@assemblyscript/wasi-shim>/assembly --use process=wasi_process`:
 *   its logger (`fastedge/utils/runtime.ts`) writes with `process.stdout.write`,
 *   which AssemblyScript's own `process` lacks ("TS2339: Property 'stdout' does
 *   not exist"); the SDK's package.json names the shim (devDependency) for this.
 *   Only `process` is redirected, so the module imports just
 *   `wasi_snapshot_preview1.fd_write` from WASI, which ABI 0.2.1 provides.
 * The shim's full asconfig.json is not used: it would also export `_start`
 * instead of the `_initialize` ABI 0.2.1 reactors want.
 */
export const GCORE_SDK_COMPILE: CompileOptions = {
  abort: "abort_proc_exit",
  // That SDK pins host allocations with rt/itcms, so it needs the incremental runtime (ours uses minimal).
  extraFlags: ["--lib", wasiShimAssembly, "--use", "process=wasi_process", "--runtime", "incremental"],
};

export function compileGcoreFilter(outFile: string): Promise<CompiledModule> {
  return compileAssemblyScript(GCORE_FILTER_ENTRY, outFile, GCORE_SDK_COMPILE);
}
