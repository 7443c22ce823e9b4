import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { runEnvoyFilter } from "../../src/cli/envoyfilter.js";
import { readFolder } from "../../src/envoyfilter/output-folder.js";

let work: string;
let stderr: string;
let stdout: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "wasmixer-cli-"));
  mkdirSync(join(work, "build"));
  writeFileSync(join(work, "build", "router.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(work, "build", "stats.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(work, "build", "jwt.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(work, "build", "rbac.wasm"), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  cpSync("examples/bookinfo", join(work, "config"), { recursive: true });
  stderr = "";
  stdout = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(work, { recursive: true, force: true });
});

function args(...extra: string[]): string[] {
  return ["--config", join(work, "config"), "--out", join(work, "out"), "--build-dir", join(work, "build"), ...extra];
}

describe("wasmixer envoyfilter", () => {
  test("writes one file per workload, then --check passes, then fails once the config changes", async () => {
    expect(await runEnvoyFilter(args())).toBe(0);
    const files = readFolder(join(work, "out"));
    const workloads = ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"];
    // Every workload gets its resources plus, for the stats filter's tags, a pod annotations patch.
    expect([...files.keys()]).toEqual(workloads.flatMap((w) => [`default/${w}.pod-annotations.patch`, `default/${w}.yaml`]));
    // Local files are not pinned: Envoy's local data source has no digest.
    expect(files.get("default/reviews-v1.yaml")).toContain("filename: /var/local/lib/wasmixer/router.wasm");
    expect(await runEnvoyFilter(args("--check"))).toBe(0);

    const reviews = join(work, "config", "reviews.yaml");
    writeFileSync(reviews, readFileSync(reviews, "utf8").replace("weight: 75", "weight: 70").replace("weight: 25", "weight: 30"));
    writeFileSync(join(work, "out", "default", "notes.txt"), "x");
    expect(await runEnvoyFilter(args("--check"))).toBe(1);
    expect(stderr).toContain("is out of date");
    expect(stderr).toContain("stale:   default/productpage-v1.yaml");
    expect(stderr).toContain("extra:   default/notes.txt");
  });

  test("remote code carries the module's real sha256", async () => {
    expect(await runEnvoyFilter(args("--ecds", "--wasm-base-url", "https://wasm.example.com/m"))).toBe(0);
    const text = readFolder(join(work, "out")).get("default/details-v1.yaml")!;
    const { createHash } = await import("node:crypto");
    const digest = createHash("sha256").update(readFileSync(join(work, "build", "router.wasm"))).digest("hex");
    expect(text).toContain(`sha256: ${digest}`);
    expect(text).toContain("applyTo: EXTENSION_CONFIG");
  });

  test("invalid input: clear message, exit 1, nothing written", async () => {
    writeFileSync(join(work, "config", "broken.yaml"), "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x\n");
    expect(await runEnvoyFilter(args())).toBe(1);
    expect(stderr).toMatch(/broken\.yaml:\d+:\d+: document 0: invalid YAML/);
    expect(existsSync(join(work, "out"))).toBe(false);
  });

  test("a schema error keeps an existing output untouched", async () => {
    expect(await runEnvoyFilter(args())).toBe(0);
    const before = readFolder(join(work, "out"));
    writeFileSync(join(work, "config", "bad.yaml"), "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: bad }\nspec: { host: 7 }\n");
    expect(await runEnvoyFilter(args())).toBe(1);
    expect(stderr).toContain("bad.yaml:4:15: document 0 (DestinationRule default/bad): spec.host: must be string");
    expect(readFolder(join(work, "out"))).toEqual(before);
  });

  test("missing module tells to build", async () => {
    expect(await runEnvoyFilter(["--config", join(work, "config"), "--out", join(work, "out"), "--build-dir", join(work, "nothing")])).toBe(1);
    expect(stderr).toContain("router.wasm: filter module not found: run `npm run build` first");
  });

  test("usage errors exit 2", async () => {
    expect(await runEnvoyFilter(["--config", "x"])).toBe(2);
    expect(await runEnvoyFilter(args("--bogus"))).toBe(2);
    expect(await runEnvoyFilter(args("--ecds", "--wasmplugin"))).toBe(2);
    expect(await runEnvoyFilter(["--help"])).toBe(0);
    expect(stdout).toContain("Usage: wasmixer envoyfilter");
  });
});
