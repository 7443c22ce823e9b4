import { parseArgs } from "node:util";
import { compileWorkloadPlans } from "../config/compile-plans.js";
import { ConfigError, formatIssue } from "../config/config-error.js";
import { loadMeshConfig } from "../config/load-mesh-config.js";
import { generateOutput } from "../envoyfilter/generate-output.js";
import { diffFolder, isEmptyDiff, readFolder, replaceFolder } from "../envoyfilter/output-folder.js";
import { DEFAULT_LOCAL_DIR } from "../envoyfilter/wasm-code-source.js";

export const ENVOYFILTER_USAGE = `Usage: wasmixer envoyfilter --config <dir> --out <dir> [options]

Compiles a folder of Istio YAML (plus wasmixer.io/v1alpha1 Workload documents) into per-workload
resources that install the wasmixer filters, one file per workload: <out>/<namespace>/<workload>.yaml.

Options:
  --config <dir>          folder of Istio YAML (read recursively, *.yaml / *.yml)
  --out <dir>             output folder (owned by the generator: replaced as a whole)
  --wasmplugin            emit Istio WasmPlugin resources instead of EnvoyFilter HTTP_FILTER patches
  --ecds                  EnvoyFilter form: deliver the Wasm config over ECDS (EXTENSION_CONFIG patch)
  --wasm-base-url <url>   where proxies get <module>.wasm: https://..., http://..., file:///dir or
                          oci://registry/repo (oci only with --wasmplugin); default file://${DEFAULT_LOCAL_DIR}
  --build-dir <dir>       folder of the built modules (default: build); run \`npm run build\` first
  --namespace <ns>        namespace of documents without one (default: default)
  --root-namespace <ns>   Istio root namespace (default: istio-system)
  --check                 do not write: fail when --out differs from what would be generated
  -h, --help              show this help
`;

function print(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith("\n") ? text : `${text}\n`);
}

/**
 * `wasmixer envoyfilter`: returns the process exit code (0 ok, 1 invalid input or stale output,
 * 2 bad usage). Nothing is written unless every resource validated.
 */
export async function runEnvoyFilter(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        out: { type: "string" },
        wasmplugin: { type: "boolean", default: false },
        ecds: { type: "boolean", default: false },
        "wasm-base-url": { type: "string" },
        "build-dir": { type: "string", default: "build" },
        namespace: { type: "string", default: "default" },
        "root-namespace": { type: "string", default: "istio-system" },
        check: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    print(process.stderr, `wasmixer envoyfilter: ${(error as Error).message}\n\n${ENVOYFILTER_USAGE}`);
    return 2;
  }
  if (values.help) {
    print(process.stdout, ENVOYFILTER_USAGE);
    return 0;
  }
  const configDir = values.config as string | undefined;
  const outDir = values.out as string | undefined;
  if (!configDir || !outDir) {
    print(process.stderr, `wasmixer envoyfilter: --config and --out are required\n\n${ENVOYFILTER_USAGE}`);
    return 2;
  }
  if (values.wasmplugin && values.ecds) {
    print(process.stderr, "wasmixer envoyfilter: --ecds applies to the EnvoyFilter form; it cannot be combined with --wasmplugin");
    return 2;
  }

  try {
    const mesh = loadMeshConfig(configDir, { defaultNamespace: values.namespace as string, rootNamespace: values["root-namespace"] as string });
    const { plans, warnings } = compileWorkloadPlans(mesh);
    for (const warning of warnings) print(process.stderr, `warning: ${formatIssue(warning)}`);
    const files = generateOutput(plans, {
      wasmPlugin: values.wasmplugin === true,
      delivery: values.ecds ? "ecds" : "inline",
      buildDir: values["build-dir"] as string,
      ...(values["wasm-base-url"] !== undefined ? { baseUrl: values["wasm-base-url"] as string } : {}),
      localDir: DEFAULT_LOCAL_DIR,
    });
    if (values.check) {
      const diff = diffFolder(readFolder(outDir), files);
      if (isEmptyDiff(diff)) {
        print(process.stdout, `${outDir} is up to date (${files.size} file(s))`);
        return 0;
      }
      const lines = [
        ...diff.added.map((path) => `  missing: ${path}`),
        ...diff.changed.map((path) => `  stale:   ${path}`),
        ...diff.removed.map((path) => `  extra:   ${path}`),
      ];
      print(process.stderr, `${outDir} is out of date; rerun without --check to regenerate:\n${lines.join("\n")}`);
      return 1;
    }
    replaceFolder(outDir, files);
    print(process.stdout, `wrote ${files.size} file(s) to ${outDir}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      print(process.stderr, `wasmixer envoyfilter: ${error.issues.length} problem(s):\n${error.issues.map((issue) => `  ${formatIssue(issue)}`).join("\n")}`);
      return 1;
    }
    throw error;
  }
}
