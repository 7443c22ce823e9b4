import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { buildFilters } from "./build.js";
import { wasmixerRoot } from "./new.js";

/**
 * `wasmixer test [--dir <project>] [vitest args]`: builds the project's filters,
 * then runs its tests with the vitest that ships with wasmixer, so a project made
 * by `wasmixer new` needs nothing else installed.
 */
export async function runTest(args: string[]): Promise<number> {
  const dirFlag = args.indexOf("--dir");
  const project = resolve(dirFlag >= 0 ? args[dirFlag + 1] ?? "." : ".");
  const passThrough = dirFlag >= 0 ? args.filter((_, i) => i !== dirFlag && i !== dirFlag + 1) : args;
  const built = await buildFilters(project, (line) => console.error(line));
  for (const module of built) console.error(`  ${module.outFile}: ${module.size} bytes, sha256 ${module.sha256}`);
  const vitest = join(wasmixerRoot(), "node_modules", "vitest", "vitest.mjs");
  return await new Promise<number>((done) => {
    const child = spawn(process.execPath, [vitest, "run", "--root", project, "--dir", project, ...passThrough], {
      cwd: project,
      stdio: "inherit",
    });
    child.on("error", (error) => {
      console.error(`wasmixer test: could not start vitest: ${error.message}`);
      done(1);
    });
    child.on("exit", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}
