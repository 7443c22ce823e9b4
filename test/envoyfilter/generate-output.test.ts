import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { compileWorkloadPlans } from "../../src/config/compile-plans.js";
import { ConfigError, formatIssue } from "../../src/config/config-error.js";
import { loadMeshConfig } from "../../src/config/load-mesh-config.js";
import type { WorkloadPlan } from "../../src/config/workload-plan.js";
import { generateOutput, type GenerateOptions } from "../../src/envoyfilter/generate-output.js";
import type { ModuleArtifact } from "../../src/envoyfilter/module-artifacts.js";
import { readFolder } from "../../src/envoyfilter/output-folder.js";

// Fixed digests keep the goldens independent of the modules' builds.
const ARTIFACTS = new Map<string, ModuleArtifact>([
  ["router", { module: "router", path: "build/router.wasm", sha256: "0123456789abcdef".repeat(4) }],
  ["stats", { module: "stats", path: "build/stats.wasm", sha256: "fedcba9876543210".repeat(4) }],
  ["jwt", { module: "jwt", path: "build/jwt.wasm", sha256: "00112233445566778899aabbccddeeff".repeat(2) }],
  ["rbac", { module: "rbac", path: "build/rbac.wasm", sha256: "ffeeddccbbaa99887766554433221100".repeat(2) }],
]);
const GOLDEN_DIR = "test/envoyfilter/golden";
const UPDATE = process.env.WASMIXER_UPDATE_GOLDEN === "1";

const VARIANTS: Record<string, Partial<GenerateOptions>> = {
  inline: { delivery: "inline" },
  ecds: { delivery: "ecds", baseUrl: "https://wasm.example.com/wasmixer" },
  wasmplugin: { wasmPlugin: true, baseUrl: "oci://registry.example.com/wasmixer" },
};

const { plans } = compileWorkloadPlans(loadMeshConfig("examples/bookinfo"));

function generate(variant: Partial<GenerateOptions>, from: readonly WorkloadPlan[] = plans): Map<string, string> {
  return generateOutput(from, { wasmPlugin: false, delivery: "inline", buildDir: "build", localDir: "/var/local/lib/wasmixer", artifacts: ARTIFACTS, ...variant });
}

describe("golden output for examples/bookinfo", () => {
  for (const [name, variant] of Object.entries(VARIANTS)) {
    test(name, () => {
      const files = generate(variant);
      const dir = join(GOLDEN_DIR, name);
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const [path, text] of files) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), text);
        }
      }
      const golden = readFolder(dir);
      expect([...files.keys()].sort()).toEqual([...golden.keys()].sort());
      for (const [path, text] of files) expect(text, path).toBe(golden.get(path));
    });
  }
});

test("envoyfilters/ is the current output for examples/bookinfo (wasmixer envoyfilter --config examples/bookinfo --out envoyfilters)", () => {
  // The inline form with local files embeds no digest, so the fixed one does not matter here.
  const expected = generate({});
  expect([...readFolder("envoyfilters").entries()]).toEqual([...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
});

describe("generated resources", () => {
  const files = generate({});
  const [envoyFilter] = parseAllDocuments(files.get("default/productpage-v1.yaml")!).map((d) => d.toJS());

  test("the router goes before Envoy's router on outbound listeners, with the plan as its configuration", () => {
    const filterPatch = envoyFilter.spec.configPatches.find((p: { patch: { value: { name?: string } } }) => p.patch.value.name === "wasmixer.router");
    expect(filterPatch.match.context).toBe("SIDECAR_OUTBOUND");
    expect(filterPatch.match.listener.filterChain.filter.subFilter.name).toBe("envoy.filters.http.router");
    expect(filterPatch.patch.operation).toBe("INSERT_BEFORE");
    const config = filterPatch.patch.value.typed_config.config;
    const plan = plans.find((p) => p.workload.name === "productpage-v1")!;
    expect(JSON.parse(config.configuration.value)).toEqual(plan.filters.find((f) => f.name === "router")!.config);
    expect(config.vm_config.code.local.filename).toBe("/var/local/lib/wasmixer/router.wasm");
  });

  test("the selector is the workload's labels", () => {
    expect(envoyFilter.spec.workloadSelector.labels).toEqual({ app: "productpage", version: "v1" });
    expect(readFileSync(join(GOLDEN_DIR, "inline/default/productpage-v1.yaml"), "utf8")).toBe(files.get("default/productpage-v1.yaml"));
  });

  test("an invalid embedded message fails generation", () => {
    const broken = structuredClone(plans);
    broken[0].filters.find((f) => f.name === "router")!.clusterHeaderRouting!.header = "";
    let message = "";
    try {
      generate({}, broken);
    } catch (error) {
      message = (error as ConfigError).issues.map(formatIssue).join("\n");
    }
    expect(message).toMatch(/spec\.configPatches\[\d+\]\.patch\.value: route\.cluster_header: must have at least 1 character\(s\) \(envoy\.config\.route\.v3\.Route\)/);
  });

  test("a workload whose labels are a subset of another's is rejected", () => {
    const overlapping = structuredClone(plans);
    overlapping.find((p) => p.workload.name === "reviews-v1")!.workload.labels = { app: "reviews" };
    expect(() => generate({}, overlapping)).toThrow(/Workload default\/reviews-v1: spec.labels: its labels also select Workload default\/reviews-v2/);
  });

  test("oci:// needs --wasmplugin; missing modules say to build", () => {
    expect(() => generate({ baseUrl: "oci://r/x" })).toThrow(/oci:\/\/ modules can only be used with --wasmplugin/);
    expect(() => generateOutput(plans, { wasmPlugin: false, delivery: "inline", buildDir: "/nonexistent", localDir: "/x" })).toThrow(
      /\/nonexistent\/router.wasm: filter module not found: run `npm run build` first/,
    );
  });
});
