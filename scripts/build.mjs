// npm run build: TypeScript -> dist/, every assembly/filters/<name>/index.ts -> build/<name>.wasm.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
const { compileAssemblyScript } = await import("../dist/src/build/compile.js");

const filtersDir = "assembly/filters";
const names = readdirSync(filtersDir).filter((n) => existsSync(join(filtersDir, n, "index.ts"))).sort();
const rows = [];
for (const name of names) {
  const built = await compileAssemblyScript(join(filtersDir, name, "index.ts"), join("build", `${name}.wasm`));
  rows.push({ module: `build/${name}.wasm`, bytes: built.size, sha256: built.sha256 });
}
console.table(rows);
