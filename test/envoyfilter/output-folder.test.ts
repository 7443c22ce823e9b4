import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { diffFolder, readFolder, replaceFolder } from "../../src/envoyfilter/output-folder.js";

test("replaceFolder swaps the whole folder and leaves no staging folders behind", () => {
  const parent = mkdtempSync(join(tmpdir(), "wasmixer-out-"));
  const out = join(parent, "envoyfilters");
  mkdirSync(join(out, "old"), { recursive: true });
  writeFileSync(join(out, "old", "stale.yaml"), "stale");
  replaceFolder(out, new Map([["default/a.yaml", "a"], ["b.yaml", "b"]]));
  expect([...readFolder(out).entries()]).toEqual([["b.yaml", "b"], ["default/a.yaml", "a"]]);
  expect(readdirSync(parent)).toEqual(["envoyfilters"]);
  rmSync(parent, { recursive: true, force: true });
});

test("diffFolder names missing, stale and extra files", () => {
  const diff = diffFolder(new Map([["a", "1"], ["b", "2"], ["c", "3"]]), new Map([["a", "1"], ["b", "changed"], ["d", "4"]]));
  expect(diff).toEqual({ added: ["d"], changed: ["b"], removed: ["c"] });
  expect(existsSync("/nonexistent-wasmixer")).toBe(false);
  expect(readFolder("/nonexistent-wasmixer").size).toBe(0);
});
