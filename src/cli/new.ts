import { existsSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { filterSource, packageJson, readme, testSource } from "./scaffold-templates.js";

/** The folder wasmixer itself is installed in (holds assembly/ and dist/). */
export function wasmixerRoot(): string {
  // dist/src/cli/new.js -> three levels up
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** `wasmixer new <name> [--dir <parent>]`: a project with one filter and its test. */
export async function runNew(args: string[]): Promise<number> {
  const name = args.find((arg, i) => !arg.startsWith("--") && args[i - 1] !== "--dir");
  const dirFlag = args.indexOf("--dir");
  const parent = dirFlag >= 0 ? args[dirFlag + 1] : process.cwd();
  if (!name || !parent) {
    console.error("usage: wasmixer new <name> [--dir <parent folder>]");
    return 2;
  }
  if (!NAME.test(name)) {
    console.error(`wasmixer new: "${name}" is not a valid filter name (lowercase letters, digits and '-', starting with a letter)`);
    return 2;
  }
  const project = resolve(parent, name);
  if (existsSync(project)) {
    console.error(`wasmixer new: ${project} already exists; nothing was written`);
    return 1;
  }
  const files: [string, string][] = [
    ["package.json", packageJson(name)],
    ["README.md", readme(name)],
    [join("assembly", "filters", name, "index.ts"), filterSource(name)],
    [join("test", `${name}.test.ts`), testSource(name)],
  ];
  for (const [path, text] of files) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  }
  await mkdir(join(project, "node_modules"), { recursive: true });
  await symlink(wasmixerRoot(), join(project, "node_modules", "wasmixer"), "dir");
  console.log(`created ${project}`);
  for (const [path] of files) console.log(`  ${path}`);
  console.log(`\nnext: cd ${name} && wasmixer test`);
  return 0;
}
