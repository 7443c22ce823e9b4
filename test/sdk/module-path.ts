// Where vitest's global setup (test/setup/global.ts) puts the compiled test modules.
import { join } from "node:path";

/** Path of build/test/<name>.wasm, compiled from test/modules/<name>/index.ts. */
export function testModule(name: string): string {
  return join("build", "test", `${name}.wasm`);
}
