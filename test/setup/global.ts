// Runs once before the suite. `npm test` builds the filters first; modules that
// exist only for tests are compiled here, into build/test/.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compileAssemblyScript } from "../../src/build/compile.js";

export default async function setup(): Promise<void> {
  const dir = "test/modules";
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const entry = join(dir, name, "index.ts");
    if (existsSync(entry)) await compileAssemblyScript(entry, join("build", "test", `${name}.wasm`));
  }
}
