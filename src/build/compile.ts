import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import asc from "assemblyscript/asc";

/** The flags every wasmixer module is built with. */
export const ASC_FLAGS: readonly string[] = [
  // -Oz: Envoy compiles modules with TurboFan only, so small modules start faster.
  "--optimizeLevel", "3",
  "--shrinkLevel", "2",
  "--converge",
  "--noAssert",
  // ABI 0.2.1 wants a reactor: the host calls `_initialize` once before anything else.
  "--exportStart", "_initialize",
  // AssemblyScript would otherwise import `env.abort`, which no proxy-wasm host provides.
  "--use", "abort=wasmixer_abort",
  // No write barriers, no self-triggered collector: see assembly/sdk/gc-policy.ts.
  "--runtime", "minimal",
];

export interface CompiledModule {
  outFile: string;
  size: number;
  sha256: string;
}

export class CompileError extends Error {
  constructor(readonly entry: string, readonly diagnostics: string) {
    super(`AssemblyScript compilation of ${entry} failed:\n${diagnostics}`);
    this.name = "CompileError";
  }
}

/** Options for {@link compileAssemblyScript}. */
export interface CompileOptions {
  /** Appended after {@link ASC_FLAGS}. */
  extraFlags?: readonly string[];
  /**
   * The global function AssemblyScript's `abort` is routed to, replacing
   * `wasmixer_abort`. Modules written with another SDK need that SDK's own
   * (e.g. `abort_proc_exit` for @gcoredev/proxy-wasm-sdk-as), since
   * `wasmixer_abort` exists only in ours.
   */
  abort?: string;
  /**
   * The project folder: asc looks for package imports (`wasmixer/assembly/sdk/...`)
   * in its node_modules. Defaults to the current directory.
   */
  baseDir?: string;
}

/** {@link ASC_FLAGS} with the `--use abort=...` pair pointing at another function. */
function flagsWithAbort(abort: string): string[] {
  const flags = [...ASC_FLAGS];
  const at = flags.findIndex((flag, i) => flag === "--use" && flags[i + 1]?.startsWith("abort="));
  flags[at + 1] = `abort=${abort}`;
  return flags;
}

/**
 * Compiles one AssemblyScript entry file into a proxy-wasm module.
 * The compiler runs in-process and writes only the final binary, so equal
 * sources give byte-identical modules.
 * The third argument is either extra flags (appended after {@link ASC_FLAGS})
 * or a {@link CompileOptions} object.
 */
export async function compileAssemblyScript(
  entry: string,
  outFile: string,
  extraFlagsOrOptions: readonly string[] | CompileOptions = [],
): Promise<CompiledModule> {
  const options: CompileOptions = isFlagList(extraFlagsOrOptions) ? { extraFlags: extraFlagsOrOptions } : extraFlagsOrOptions;
  const baseFlags = options.abort === undefined ? ASC_FLAGS : flagsWithAbort(options.abort);
  const baseDirFlags = options.baseDir === undefined ? [] : ["--baseDir", options.baseDir];
  const entryArg = options.baseDir === undefined ? entry : relative(options.baseDir, resolve(entry));
  const args = [entryArg, "--outFile", "module.wasm", ...baseFlags, ...baseDirFlags, ...(options.extraFlags ?? [])];
  const cached = await readCache(args, outFile);
  if (cached) return cached;

  let binary: Uint8Array | undefined;
  const inputs: Record<string, string> = {};
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(args, {
    stdout: asc.createMemoryStream(),
    stderr,
    readFile(name: string, baseDir: string) {
      const path = resolve(baseDir, name);
      try {
        const text = readFileSync(path, "utf8");
        inputs[path] = sha256(text);
        return text;
      } catch {
        // asc probes several candidate paths per import; a miss is not an error.
        inputs[path] = "";
        return null;
      }
    },
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith(".wasm") && typeof contents !== "string") binary = contents;
    },
  });
  if (error || !binary) throw new CompileError(entry, stderr.toString() || String(error));
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, binary);
  const compiled = { outFile, size: binary.byteLength, sha256: sha256(binary) };
  await writeCache(args, outFile, { inputs, output: compiled.sha256 });
  return compiled;
}

// ---------------------------------------------------------------- compile cache
// The suite compiles the same modules from several test files. A manifest records
// every source file asc read (or probed and missed) with its hash; while all of them
// and the output are unchanged, the compiler is not run again. WASMIXER_NO_CACHE=1
// turns it off.

interface CacheManifest { inputs: Record<string, string>; output: string }

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function cacheFile(args: readonly string[], outFile: string): string {
  const key = sha256(JSON.stringify([asc.version, resolve(outFile), ...args]));
  return join(dirname(resolve(outFile)), ".cache", `${key}.json`);
}

async function readCache(args: readonly string[], outFile: string): Promise<CompiledModule | undefined> {
  if (process.env.WASMIXER_NO_CACHE) return undefined;
  try {
    const manifest = JSON.parse(await readFile(cacheFile(args, outFile), "utf8")) as CacheManifest;
    for (const [path, hash] of Object.entries(manifest.inputs)) {
      let current = "";
      try { current = sha256(readFileSync(path, "utf8")); } catch { /* still missing */ }
      if (current !== hash) return undefined;
    }
    const binary = await readFile(outFile);
    if (sha256(binary) !== manifest.output) return undefined;
    return { outFile, size: binary.byteLength, sha256: manifest.output };
  } catch {
    return undefined;
  }
}

async function writeCache(args: readonly string[], outFile: string, manifest: CacheManifest): Promise<void> {
  const file = cacheFile(args, outFile);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(manifest));
}

function isFlagList(value: readonly string[] | CompileOptions): value is readonly string[] {
  return Array.isArray(value);
}
