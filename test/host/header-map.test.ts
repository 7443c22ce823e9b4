import { describe, expect, it } from "vitest";
import { GuestViews } from "../../src/host/guest-views.js";
import { HeaderMap } from "../../src/host/header-map.js";
import { parsePairs, serializePairs } from "../../src/host/memory.js";

function guestViewsOf(text: string): GuestViews {
  const views = new GuestViews(new ArrayBuffer(text.length + 3));
  views.bytes.set(Buffer.from(text, "latin1"));
  return views;
}

describe("HeaderMap (Envoy semantics)", () => {
  it("lowercases names on every operation and returns the first value", () => {
    const map = HeaderMap.fromInput([["X-A", "1"], ["x-a", "2"]]);
    expect(map.first("X-a")).toBe("1");
    expect(map.all("x-A")).toEqual(["1", "2"]);
    map.add("X-B", "b");
    expect(map.pairs()).toEqual([["x-a", "1"], ["x-a", "2"], ["x-b", "b"]]);
  });

  it("replace removes every entry and appends one; remove drops all", () => {
    const map = HeaderMap.fromInput({ "x-a": ["1", "2"], other: "o" });
    map.replace("X-A", "3");
    expect(map.pairs()).toEqual([["other", "o"], ["x-a", "3"]]);
    map.remove("X-A");
    expect(map.has("x-a")).toBe(false);
  });

  it("byteSize sums names and values", () => {
    expect(HeaderMap.fromInput({ ab: "cde", f: "" }).byteSize()).toBe(6);
  });

  it("finds a name in guest memory case-insensitively without decoding", () => {
    const map = HeaderMap.fromInput({ "content-type": "json", accept: "x" });
    const guest = guestViewsOf("..ACCEPT..");
    expect(map.indexOfGuestName(guest, 2, 6)).toBe(1);
    expect(map.indexOfGuestName(guest, 2, 5)).toBe(-1);
  });

  it("answers the same before and after it builds its lookup table", () => {
    const map = HeaderMap.fromInput([["x-a", "1"], ["accept", "2"], ["x-a", "3"], ["x-b", "4"]]);
    const guest = guestViewsOf("X-Ax-bACCEPTx-c");
    const expected = [0, 3, 1, -1];
    const lookups: [number, number][] = [[0, 3], [3, 3], [6, 6], [12, 3]];
    for (let round = 0; round < 5; round++) {
      lookups.forEach(([ptr, size], i) => expect(map.indexOfGuestName(guest, ptr, size), `round ${round}`).toBe(expected[i]));
    }
  });

  it("a guest lookup after a change sees the new names, and the first of repeated names", () => {
    const map = HeaderMap.fromInput([["x-a", "1"], ["x-a", "2"]]);
    const guest = guestViewsOf("X-Ax-b");
    expect(map.indexOfGuestName(guest, 0, 3)).toBe(0);
    expect(map.indexOfGuestName(guest, 3, 3)).toBe(-1);
    map.add("x-b", "b");
    expect(map.indexOfGuestName(guest, 3, 3)).toBe(2);
    map.remove("x-a");
    expect(map.indexOfGuestName(guest, 0, 3)).toBe(-1);
    expect(map.indexOfGuestName(guest, 3, 3)).toBe(0);
  });

  it("keeps non-ASCII values byte-exact and lowercases only ASCII", () => {
    const map = HeaderMap.fromInput({ "X-Ä": "héllo" });
    expect(map.textPairs()).toEqual([["x-Ä", "héllo"]]);
  });
});

describe("serialized maps", () => {
  it("round-trips the spec format", () => {
    const bytes = serializePairs([["a", "1"], ["bc", ""]]);
    expect(bytes.byteLength).toBe(4 + 16 + 2 + 2 + 3 + 1);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(2);
    expect(parsePairs(bytes)).toEqual([["a", "1"], ["bc", ""]]);
  });

  it("rejects a count that runs past the end and reads empty input as empty", () => {
    const bad = new Uint8Array(8);
    new DataView(bad.buffer).setUint32(0, 5, true);
    expect(parsePairs(bad)).toBeUndefined();
    expect(parsePairs(new Uint8Array(0))).toEqual([]);
  });
});
