import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { compileAssemblyScript, type CompiledModule } from "../build/compile.js";

/** Compiles every `<dir>/assembly/filters/<name>/index.ts` into `<dir>/build/<name>.wasm`. */
export async function buildFilters(projectDir: string, log: (line: string) => void = () => {}): Promise<CompiledModule[]> {
  const filtersDir = join(projectDir, "assembly", "filters");
  if (!existsSync(filtersDir)) throw new Error(`no ${relative(process.cwd(), filtersDir) || filtersDir} folder: nothing to build`);
  const names = readdirSync(filtersDir).filter((name) => existsSync(join(filtersDir, name, "index.ts"))).sort();
  const built: CompiledModule[] = [];
  for (const name of names) {
    log(`compiling ${name} ...`);
    built.push(await compileAssemblyScript(join(filtersDir, name, "index.ts"), join(projectDir, "build", `${name}.wasm`), { baseDir: projectDir }));
  }
  return built;
}

export async function runBuild(args: string[]): Promise<number> {
  const dirFlag = args.indexOf("--dir");
  const projectDir = dirFlag >= 0 ? args[dirFlag + 1] : process.cwd();
  if (!projectDir) throw new Error("--dir needs a folder");
  const built = await buildFilters(projectDir, (line) => console.error(line));
  console.table(built.map((m) => ({ module: relative(projectDir, m.outFile), bytes: m.size, sha256: m.sha256 })));
  return 0;
}
