import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHECK_EXIT, runCheck } from "../../src/cli/check.js";
import { buildModule, MINIMAL_EXPORTS } from "../abi/module-builder.js";

const workDir = mkdtempSync(join(tmpdir(), "wasmixer-cli-check-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(workDir, name);
  writeFileSync(path, bytes);
  return path;
}

async function run(args: string[]): Promise<{ code: number; text: string }> {
  let text = "";
  const code = await runCheck(args, { write: (chunk: string) => (text += chunk) });
  return { code, text };
}

const clean = file("clean.wasm", buildModule({}));
const { proxy_abi_version_0_2_1: _marker, ...withoutMarker } = MINIMAL_EXPORTS;
const broken = file("broken.wasm", buildModule({
  exports: withoutMarker,
  imports: { "env.abort": { params: ["i32", "i32", "i32", "i32"] } },
}));
const notWasm = file("notes.txt", "hello");

describe("runCheck", () => {
  it("exits 0 and says OK for a clean module", async () => {
    const { code, text } = await run([clean]);
    expect(code).toBe(CHECK_EXIT.ok);
    expect(text).toContain(`${clean}: OK`);
    expect(text).toContain("ABI marker: 0.2.1");
  });

  it("exits 1 and lists each error with its subject and code", async () => {
    const { code, text } = await run([clean, broken]);
    expect(code).toBe(CHECK_EXIT.errorsFound);
    expect(text).toContain(`${broken}: 2 error(s)`);
    expect(text).toMatch(/error +env\.abort: .*\[import-not-in-abi\]/);
    expect(text).toMatch(/error +proxy_abi_version_0_2_1: .*\[abi-version-missing\]/);
  });

  it("exits 2 for a file that is not Wasm or cannot be read, still reporting the others", async () => {
    const missing = join(workDir, "missing.wasm");
    const { code, text } = await run([broken, notWasm, missing]);
    expect(code).toBe(CHECK_EXIT.unreadable);
    expect(text).toContain(`${notWasm}: not a Wasm module`);
    expect(text).toContain(`${missing}: cannot read`);
    expect(text).toContain(`${broken}: 2 error(s)`);
  });

  it("exits 2 with usage when no module is named", async () => {
    const { code, text } = await run([]);
    expect(code).toBe(CHECK_EXIT.unreadable);
    expect(text).toMatch(/^usage: wasmixer check/);
  });

  it("prints the reports as JSON with --json", async () => {
    const { code, text } = await run(["--json", broken]);
    expect(code).toBe(CHECK_EXIT.errorsFound);
    const [outcome] = JSON.parse(text) as { path: string; report: { errors: { code: string }[]; abiVersion: string | null } }[];
    expect(outcome!.path).toBe(broken);
    expect(outcome!.report.errors.map((finding) => finding.code)).toEqual(["import-not-in-abi", "abi-version-missing"]);
    expect(outcome!.report.abiVersion).toBeNull();
  });
});
