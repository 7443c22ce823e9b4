import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/host/bounded-memo.js";

describe("BoundedMemo", () => {
  it("derives a key's value once while it is remembered", () => {
    const derived: string[] = [];
    const memo = new BoundedMemo(8, (key) => { derived.push(key); return key.length; });
    expect([memo.get("abc"), memo.get("abc"), memo.get("de"), memo.get("abc")]).toEqual([3, 3, 2, 3]);
    expect(derived).toEqual(["abc", "de"]);
  });

  it("starts over when full, and keeps answering right", () => {
    const derived: string[] = [];
    const memo = new BoundedMemo(3, (key) => { derived.push(key); return key.toUpperCase(); });
    for (const key of ["a", "b", "c", "d", "a"]) expect(memo.get(key)).toBe(key.toUpperCase());
    // "d" found the memo full (a, b, c) and cleared it, so "a" was derived again.
    expect(derived).toEqual(["a", "b", "c", "d", "a"]);
    expect(memo.get("d")).toBe("D");
    expect(derived).toHaveLength(5);
  });
});
