// npm run build: TypeScript -> dist/, then every assembly/filters/<name>/index.ts -> build/<name>.wasm.
import { execFileSync } from "node:child_process";

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
const { REPOSITORY_MODULE_FLAGS, runBuild } = await import("../dist/src/cli/build.js");
process.exitCode = await runBuild([], REPOSITORY_MODULE_FLAGS);
