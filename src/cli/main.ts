import { runBuild } from "./build.js";
import { runCheck } from "./check.js";
import { runDemo } from "./demo.js";
import { runEnvoyFilter } from "./envoyfilter.js";
import { runNew } from "./new.js";
import { runTest } from "./test.js";

interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  build: {
    summary: "compile every assembly/filters/<name>/index.ts into build/<name>.wasm",
    usage: "wasmixer build [--dir <project>]",
    run: (args) => runBuild(args),
  },
  new: {
    summary: "scaffold a project with one filter and a test that build and pass on first run",
    usage: "wasmixer new <name> [--dir <parent folder>]",
    run: (args) => runNew(args),
  },
  test: {
    summary: "build the project's filters, then run its tests in the Node proxy-wasm host",
    usage: "wasmixer test [--dir <project>] [vitest options]",
    run: (args) => runTest(args),
  },
  check: {
    summary: "compare a module's imports and exports with the proxy-wasm ABI 0.2.1",
    usage: "wasmixer check <module.wasm> [...]",
    run: (args) => runCheck(args, process.stdout),
  },
  envoyfilter: {
    summary: "turn a folder of Istio YAML into EnvoyFilter (or WasmPlugin) resources for every workload",
    usage: "wasmixer envoyfilter --config <dir> --out <dir> [--wasmplugin] [--ecds] [--wasm-base-url URL] [--build-dir build] [--namespace default] [--root-namespace istio-system] [--check]",
    run: (args) => runEnvoyFilter(args),
  },
  demo: {
    summary: "run the hello filter in the embedded host on a sample request and show what it did",
    usage: "wasmixer demo [--wasm build/hello.wasm]",
    run: (args) => runDemo(args, process.stdout),
  },
};

function help(): string {
  const lines = ["usage: wasmixer <command> [options]", "", "commands:"];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${command.summary}`);
  lines.push("", "wasmixer <command> --help shows a command's options.");
  return lines.join("\n");
}

/** Runs the wasmixer command line; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`wasmixer: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    console.error(`wasmixer ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
