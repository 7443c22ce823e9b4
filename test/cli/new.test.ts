// `wasmixer new <name>` scaffolds a project whose filter builds and whose tests pass on first
// run, through `wasmixer test` (the same commands a user types).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const parent = mkdtempSync(join(tmpdir(), "wasmixer-new-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function wasmixer(...args: string[]) {
  const run = spawnSync(process.execPath, ["bin/wasmixer.js", ...args], { encoding: "utf8", timeout: 180_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe("wasmixer new", () => {
  it("scaffolds demo, whose tests then pass with wasmixer test", () => {
    const created = wasmixer("new", "demo", "--dir", parent);
    expect(created.code, created.out).toBe(0);
    expect(existsSync(join(parent, "demo", "assembly", "filters", "demo", "index.ts"))).toBe(true);
    const tested = wasmixer("test", "--dir", join(parent, "demo"));
    expect(tested.code, tested.out).toBe(0);
    expect(tested.out).toMatch(/Tests\s+.*2 passed/);
    expect(existsSync(join(parent, "demo", "build", "demo.wasm"))).toBe(true);
  });

  it("fails wasmixer test when the filter misbehaves", () => {
    const created = wasmixer("new", "broken", "--dir", parent);
    expect(created.code, created.out).toBe(0);
    const filter = join(parent, "broken", "assembly", "filters", "broken", "index.ts");
    writeFileSync(filter, readFileSync(filter, "utf8").replace('this.requestHeaders.add("x-broken", "on");', ""));
    const tested = wasmixer("test", "--dir", join(parent, "broken"));
    expect(tested.code).not.toBe(0);
    expect(tested.out).toMatch(/1 failed/);
  });

  it("refuses a bad name or an existing folder, writing nothing", () => {
    expect(wasmixer("new", "Bad_Name", "--dir", parent).code).toBe(2);
    expect(existsSync(join(parent, "Bad_Name"))).toBe(false);
    expect(wasmixer("new", "demo", "--dir", parent).code).toBe(1);
  });
});
