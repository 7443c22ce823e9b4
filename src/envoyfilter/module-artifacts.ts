import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/config-error.js";

/** A built filter module and its digest. */
export interface ModuleArtifact {
  module: string;
  path: string;
  /** Lower-case hex SHA-256 of the .wasm file. */
  sha256: string;
}

/** Reads `build/<module>.wasm` for each module and hashes it; all missing modules are reported together. */
export function readModuleArtifacts(buildDir: string, modules: readonly string[]): Map<string, ModuleArtifact> {
  const out = new Map<string, ModuleArtifact>();
  const missing: string[] = [];
  for (const module of [...new Set(modules)].sort()) {
    const path = join(buildDir, `${module}.wasm`);
    if (!existsSync(path)) {
      missing.push(path);
      continue;
    }
    out.set(module, { module, path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") });
  }
  if (missing.length > 0) {
    throw new ConfigError(missing.map((path) => ({ file: path, message: "filter module not found: run `npm run build` first" })));
  }
  return out;
}
