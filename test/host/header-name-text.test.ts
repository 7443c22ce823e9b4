import { describe, expect, it } from "vitest";
import { asciiLowercase, byteStringFromText } from "../../src/host/byte-strings.js";
import { headerNameFromText } from "../../src/host/header-name-text.js";

describe("headerNameFromText", () => {
  it("lowercases ASCII only and keeps non-ASCII names as their UTF-8 bytes", () => {
    expect(headerNameFromText("X-Request-ID")).toBe("x-request-id");
    expect(headerNameFromText(":authority")).toBe(":authority");
    expect(headerNameFromText("X-Ä")).toBe("x-\xc3\x84");
  });

  it("answers as the uncached conversion for many more names than it remembers", () => {
    for (let n = 0; n < 3000; n++) {
      const text = `X-Name-${n % 1500}-${n % 7 === 0 ? "Ü" : "u"}`;
      expect(headerNameFromText(text)).toBe(asciiLowercase(byteStringFromText(text)));
    }
  });
});
