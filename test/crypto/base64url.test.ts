import { randomBytes, randomInt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { Arena, type CryptoBuild, type HarnessExports, loadCryptoBuilds, loadHarness } from "./crypto-modules.js";

let build: CryptoBuild;
let harness: HarnessExports;
beforeAll(async () => {
  build = (await loadCryptoBuilds())[0]!;
  harness = await loadHarness();
});

let arena: Arena | undefined;
function buildArena(): Arena {
  arena ??= new Arena(build.exports, 1 << 16);
  arena.reset();
  return arena;
}

function decode(text: string): Buffer | null {
  const arena = buildArena();
  const ascii = Buffer.from(text, "latin1");
  const out = arena.reserve(ascii.length);
  const length = build.exports.base64urlDecode(arena.put(ascii), ascii.length, out);
  return length < 0 ? null : arena.read(out, length);
}

function encode(bytes: Uint8Array): string {
  const arena = buildArena();
  const out = arena.reserve(Math.ceil((bytes.length * 4) / 3));
  const length = build.exports.base64urlEncode(arena.put(bytes), bytes.length, out);
  return arena.read(out, length).toString("latin1");
}

describe("base64url", () => {
  it("round-trips random bytes and agrees with Buffer's base64url both ways", () => {
    for (let round = 0; round < 3000; round++) {
      const bytes = randomBytes(randomInt(0, 200));
      const text = encode(bytes);
      expect(text).toBe(bytes.toString("base64url"));
      expect(decode(text)?.toString("hex")).toBe(bytes.toString("hex"));
    }
  });

  it("decodes RFC 4648 test vectors (unpadded)", () => {
    const vectors: [string, string][] = [["", ""], ["f", "Zg"], ["fo", "Zm8"], ["foo", "Zm9v"], ["foob", "Zm9vYg"], ["fooba", "Zm9vYmE"], ["foobar", "Zm9vYmFy"]];
    for (const [plain, encoded] of vectors) {
      expect(decode(encoded)?.toString("latin1")).toBe(plain);
      expect(encode(Buffer.from(plain, "latin1"))).toBe(encoded);
    }
    // 62, 63, 62, 63 -> 111110 111111 111110 111111.
    expect(decode("-_-_")?.toString("hex")).toBe("fbffbf");
  });

  it("rejects padding, the base64 (non-url) characters, whitespace and anything outside the alphabet", () => {
    for (const bad of ["Zg==", "Zm8=", "Zm9v====", "Zm9v+A", "Zm9v/A", "Zm 9v", "Zm9v\n", "Zm9v.", "Zm9\u00ff", "Zm9v\u0000A", "====", "Z=g"]) {
      expect(decode(bad), JSON.stringify(bad)).toBeNull();
    }
    // Every byte value outside [A-Za-z0-9_-], in every position of a 4-character group.
    const alphabet = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    for (let code = 0; code < 256; code++) {
      const ch = String.fromCharCode(code);
      if (alphabet.has(ch)) continue;
      for (let position = 0; position < 4; position++) {
        const text = "AAAA".slice(0, position) + ch + "AAAA".slice(position + 1);
        expect(decode(text), `char ${code} at ${position}`).toBeNull();
      }
    }
  });

  it("rejects lengths of 4k+1", () => {
    for (const bad of ["A", "AAAAA", "Zm9vY"]) expect(decode(bad)).toBeNull();
  });

  it("rejects non-canonical trailing bits", () => {
    // "Zg" is canonical for 0x66; "Zh".."Zv" carry non-zero bits in the unused low 4 bits.
    expect(decode("Zg")?.toString("hex")).toBe("66");
    for (const bad of ["Zh", "Zi", "Zv", "Zm9", "Zm-"]) {
      const canonical = Buffer.from(bad, "base64url").toString("base64url");
      expect(canonical === bad, `${bad} should be non-canonical`).toBe(false);
      expect(decode(bad), bad).toBeNull();
    }
    // Exhaustively: for the last character of 2- and 3-character tails, only the canonical ones decode.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (const prefix of ["Q", "QU"]) {
      for (const last of alphabet) {
        const text = prefix + last;
        const canonical = Buffer.from(text, "base64url").toString("base64url") === text;
        expect(decode(text) !== null, text).toBe(canonical);
      }
    }
  });

  it("managed API (base64urlDecodeBytes/base64urlEncode) agrees with the pointer API", () => {
    const arena = new Arena(harness);
    for (let round = 0; round < 300; round++) {
      arena.reset();
      const bytes = randomBytes(randomInt(0, 100));
      const out = arena.reserve(200);
      const textLength = harness.encodeManaged(arena.put(bytes), bytes.length, out);
      const text = arena.read(out, textLength).toString("latin1");
      expect(text).toBe(bytes.toString("base64url"));
      const decoded = arena.reserve(100);
      expect(harness.decodeManaged(arena.put(Buffer.from(text)), text.length, decoded)).toBe(bytes.length);
      expect(arena.read(decoded, bytes.length).equals(bytes)).toBe(true);
      harness.collect();
    }
    expect(harness.decodeManaged(arena.put(Buffer.from("Zg==")), 4, arena.reserve(4))).toBe(-1);
  });
});
