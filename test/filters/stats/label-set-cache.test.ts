import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../../src/build/compile.js";

type Check = (...args: number[]) => number;
let harness: Record<string, Check>;

beforeAll(async () => {
  const { outFile } = await compileAssemblyScript("test/filters/stats/harness/label-set-cache.ts", "build/test/stats-label-set-cache.wasm");
  const { instance } = await WebAssembly.instantiate(await readFile(outFile), {});
  const exports = instance.exports as Record<string, unknown>;
  (exports._initialize as () => void)();
  harness = exports as Record<string, Check>;
});

describe("LabelSetCache", () => {
  it("keeps distinct label sets apart through bucket chains and growth", () => {
    expect(harness.distinctSetsStayDistinct!(300)).toBe(0);
  });
  it("keys on the expression texts too", () => {
    expect(harness.expressionsArePartOfTheKey!()).toBe(0);
  });
  it("keeps its own copies of the arrays it is given", () => {
    expect(harness.keepsCopiesOfTheArrays!()).toBe(0);
  });
  it("starts over when full", () => {
    expect(harness.startsOverAtItsLimit!()).toBe(0);
  });
  it("compares values by position", () => {
    expect(harness.positionsMatter!()).toBe(0);
  });
});
