import { describe, expect, it } from "vitest";
import { Status } from "../../src/host/abi.js";
import { BodyBuffer } from "../../src/host/buffers.js";

const text = (b: BodyBuffer) => Buffer.from(b.bytes).toString();
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

describe("BodyBuffer.copyFrom (Envoy Buffer::copyFrom)", () => {
  it("start 0, size 0 prepends", () => {
    const b = new BodyBuffer(bytes("body"));
    expect(b.copyFrom(0, 0, bytes("pre-"))).toBe(Status.Ok);
    expect(text(b)).toBe("pre-body");
  });

  it("start 0, size n drops n bytes then prepends (size = length replaces)", () => {
    const b = new BodyBuffer(bytes("abcdef"));
    b.copyFrom(0, 2, bytes("X"));
    expect(text(b)).toBe("Xcdef");
    b.copyFrom(0, b.length, bytes("new"));
    expect(text(b)).toBe("new");
  });

  it("start >= length appends; a start inside the buffer is BadArgument", () => {
    const b = new BodyBuffer(bytes("abc"));
    expect(b.copyFrom(3, 0, bytes("-post"))).toBe(Status.Ok);
    expect(text(b)).toBe("abc-post");
    expect(b.copyFrom(1, 1, bytes("z"))).toBe(Status.BadArgument);
    expect(text(b)).toBe("abc-post");
  });

  it("read-only buffers reject writes and slices clamp", () => {
    const b = new BodyBuffer(bytes("hello"), true);
    expect(b.copyFrom(0, 0, bytes("x"))).toBe(Status.BadArgument);
    expect(Buffer.from(b.slice(3, 100)).toString()).toBe("lo");
    expect(b.slice(9, 1).byteLength).toBe(0);
  });
});
