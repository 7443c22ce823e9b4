import { describe, expect, it } from "vitest";
import { encodePropertyValue } from "../../src/host/properties.js";

/** Envoy's encoding of an int64 property, through DataView as a reference. */
function int64(value: bigint): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigInt64(0, BigInt.asIntN(64, value), true);
  return [...new Uint8Array(view.buffer)];
}

describe("encodePropertyValue", () => {
  it("encodes integral numbers as little-endian int64", () => {
    for (const value of [0, 1, 200, 503, -1, -5, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 32 + 7, -(2 ** 32), 123456789012, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      expect([...encodePropertyValue(value)], String(value)).toEqual(int64(BigInt(value)));
    }
  });

  it("encodes integral numbers beyond the safe range and bigints as int64, wrapping like Envoy's int64", () => {
    for (const value of [2 ** 60, -(2 ** 60), 1e20]) expect([...encodePropertyValue(value)], String(value)).toEqual(int64(BigInt(value)));
    for (const value of [0n, 1763790000123456789n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n + 5n]) {
      expect([...encodePropertyValue(value)], String(value)).toEqual(int64(value));
    }
  });

  it("returns a fresh array each time", () => {
    const first = encodePropertyValue(1763790000123456789n);
    const second = encodePropertyValue(42n);
    expect([...first]).toEqual(int64(1763790000123456789n));
    expect([...second]).toEqual(int64(42n));
    const third = encodePropertyValue(0.5);
    const fourth = encodePropertyValue(-2.25);
    expect(new DataView(third.buffer, third.byteOffset, 8).getFloat64(0, true)).toBe(0.5);
    expect(new DataView(fourth.buffer, fourth.byteOffset, 8).getFloat64(0, true)).toBe(-2.25);
  });

  it("encodes strings as UTF-8 and bools as one byte", () => {
    expect([...encodePropertyValue("é")]).toEqual([0xc3, 0xa9]);
    expect([...encodePropertyValue(true)]).toEqual([1]);
    expect([...encodePropertyValue(false)]).toEqual([0]);
  });
});
