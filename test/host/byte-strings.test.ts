import { describe, expect, it } from "vitest";
import { asciiLowercase, byteStringFromText, textFromByteString } from "../../src/host/byte-strings.js";

describe("byte strings", () => {
  it("keeps ASCII as is and turns other text into its UTF-8 bytes", () => {
    expect(byteStringFromText("x-request-id")).toBe("x-request-id");
    expect(byteStringFromText("\x7f")).toBe("\x7f");
    expect(byteStringFromText("\x80")).toBe("\xc2\x80");
    expect(byteStringFromText("é")).toBe("\xc3\xa9");
    expect(byteStringFromText("€")).toBe("\xe2\x82\xac");
    expect(byteStringFromText("😀")).toBe("\xf0\x9f\x98\x80");
    expect(byteStringFromText("a".repeat(600) + "é")).toBe("a".repeat(600) + "\xc3\xa9");
  });

  it("round-trips text through bytes", () => {
    for (const text of ["", "plain", "héllo wörld", "日本語", "mixed 😀 text"]) {
      expect(textFromByteString(byteStringFromText(text))).toBe(text);
    }
  });

  it("lowercases ASCII letters only", () => {
    expect(asciiLowercase("X-Ä\xc4")).toBe("x-Ä\xc4");
  });
});
