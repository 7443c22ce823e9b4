import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../../src/build/compile.js";
import { seededRandom } from "../../support/seeded-random.js";

interface Comparisons {
  memory: WebAssembly.Memory;
  left(): number;
  right(): number;
  exact(leftOffset: number, rightOffset: number, length: number): number;
  ignoringCase(leftOffset: number, rightOffset: number, length: number): number;
}

let module: Comparisons;

beforeAll(async () => {
  const built = await compileAssemblyScript("test/filters/jwt/ascii-bytes-module/index.ts", "build/test/jwt-ascii-bytes.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(built.outFile), {});
  module = instance.exports as unknown as Comparisons;
});

const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

function place(left: Uint8Array, leftOffset: number, right: Uint8Array, rightOffset: number): void {
  new Uint8Array(module.memory.buffer, module.left(), 4096).set(left, leftOffset);
  new Uint8Array(module.memory.buffer, module.right(), 4096).set(right, rightOffset);
}

describe("jwt byte comparisons", () => {
  it("agree with a byte-by-byte reference on equal, case-changed and altered ranges", () => {
    const random = seededRandom(0x5eed);
    const alphabet = Buffer.from("abcxyzABCXYZ-_:09\u00c1\u00e1".split("").map((c) => c.charCodeAt(0)));
    for (let round = 0; round < 3000; round++) {
      const length = Math.floor(random() * 90);
      const a = new Uint8Array(length).map(() => alphabet[Math.floor(random() * alphabet.length)]!);
      const b = a.slice();
      const change = random();
      if (length > 0 && change < 0.4) {
        // Flip the case of letters at a few positions (anywhere: first byte, inside a block, in the tail).
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
          const at = Math.floor(random() * length);
          if ((b[at]! | 0x20) >= 0x61 && (b[at]! | 0x20) <= 0x7a) b[at] = b[at]! ^ 0x20;
        }
      } else if (length > 0 && change < 0.8) {
        b[Math.floor(random() * length)] = alphabet[Math.floor(random() * alphabet.length)]!;
      }
      const leftOffset = Math.floor(random() * 8);
      const rightOffset = Math.floor(random() * 8);
      place(a, leftOffset, b, rightOffset);
      const exactly = a.every((x, i) => x === b[i]);
      const ignoringCase = a.every((x, i) => lower(x) === lower(b[i]!));
      expect(module.exact(leftOffset, rightOffset, length), `exact, round ${round}`).toBe(exactly ? 1 : 0);
      expect(module.ignoringCase(leftOffset, rightOffset, length), `ignoring case, round ${round}`).toBe(ignoringCase ? 1 : 0);
    }
  });

  it("fold only ASCII letters", () => {
    // '@' (0x40) and '`' (0x60), '[' (0x5b) and '{' (0x7b), and Latin-1 letters differ only by 0x20 but are not ASCII letters.
    for (const [x, y] of [[0x40, 0x60], [0x5b, 0x7b], [0xc1, 0xe1]] as const) {
      place(Uint8Array.of(0x61, x), 0, Uint8Array.of(0x61, y), 0);
      expect(module.ignoringCase(0, 0, 2)).toBe(0);
    }
    place(Buffer.from("X-Wasmixer-JWT-Principal"), 0, Buffer.from("x-wasmixer-jwt-principal"), 0);
    expect(module.ignoringCase(0, 0, 24)).toBe(1);
    expect(module.exact(0, 0, 24)).toBe(0);
  });

  it("find a difference in the last byte of a long token", () => {
    const token = Buffer.from("e".repeat(700));
    const other = Buffer.from("e".repeat(699) + "f");
    place(token, 0, other, 0);
    expect(module.exact(0, 0, 700)).toBe(0);
    expect(module.exact(0, 0, 699)).toBe(1);
  });
});
