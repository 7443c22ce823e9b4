// Ed25519 verification (assembly/crypto/ec/ed25519.ts) against RFC 8032 and node:crypto.
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify as nodeVerify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { modPow } from "../support/bigint-math.js";

interface Ed25519Exports {
  memory: WebAssembly.Memory;
  inputBuffer(): number;
  inputCapacity(): number;
  verify(key: number, keyLength: number, message: number, messageLength: number, signature: number, signatureLength: number): number;
}

let wasm: Ed25519Exports;
beforeAll(async () => {
  const compiled = await compileAssemblyScript("test/modules/ec-ed25519/index.ts", "build/test/ec-ed25519.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(compiled.outFile), {});
  (instance.exports._initialize as () => void)();
  wasm = instance.exports as unknown as Ed25519Exports;
});

function wasmVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const memory = new Uint8Array(wasm.memory.buffer, wasm.inputBuffer(), wasm.inputCapacity());
  const messageAt = publicKey.length + signature.length;
  if (messageAt + message.length > memory.length) throw new Error("inputs too large");
  memory.set(publicKey, 0);
  memory.set(signature, publicKey.length);
  memory.set(message, messageAt);
  return wasm.verify(0, publicKey.length, messageAt, message.length, publicKey.length, signature.length) === 1;
}

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function littleEndian(value: bigint, length = 32): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, "0"), "hex").reverse();
}

function fromLittleEndian(bytes: Uint8Array): bigint {
  return BigInt("0x" + Buffer.from(bytes).reverse().toString("hex"));
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: "jwk" }).x!, "base64url");
}

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

// RFC 8032 section 7.1, TEST 1 to 3 (hex): secret key, public key, message, signature.
const RFC8032_VECTORS = [
  {
    name: "TEST 1 (empty message)",
    publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    message: "",
    signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  },
  {
    name: "TEST 2 (one byte)",
    publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    message: "72",
    signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  },
  {
    name: "TEST 3 (two bytes)",
    publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    message: "af82",
    signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  },
];

describe("Ed25519", () => {
  it.each(RFC8032_VECTORS)("verifies RFC 8032 $name and rejects it altered", (vector) => {
    const publicKey = Buffer.from(vector.publicKey, "hex");
    const message = Buffer.from(vector.message, "hex");
    const signature = Buffer.from(vector.signature, "hex");
    expect(wasmVerify(publicKey, message, signature)).toBe(true);
    expect(wasmVerify(publicKey, Buffer.concat([message, Buffer.from([0])]), signature)).toBe(false);
    expect(wasmVerify(publicKey, message, flipBit(signature, 7))).toBe(false);
    expect(wasmVerify(publicKey, message, flipBit(signature, 300))).toBe(false);
    expect(wasmVerify(flipBit(publicKey, 12), message, signature)).toBe(false);
  });

  it("verifies 300 random node:crypto signatures over 30 keys, messages of 0 to 2000 bytes", () => {
    let verified = 0;
    for (let k = 0; k < 30; k++) {
      const { publicKey, privateKey } = generateKeyPairSync("ed25519");
      const raw = rawPublicKey(publicKey);
      for (let i = 0; i < 10; i++) {
        const message = randomBytes(k === 0 ? i : Math.floor(Math.random() * 2000));
        if (wasmVerify(raw, message, sign(null, message, privateKey))) verified++;
      }
    }
    expect(verified).toBe(300);
  });

  it("agrees with node:crypto on bit flips of signature, message and key", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = rawPublicKey(publicKey);
    let flippedKeysNodeCouldRead = 0;
    for (let i = 0; i < 40; i++) {
      const message = randomBytes(1 + Math.floor(Math.random() * 100));
      const signature = sign(null, message, privateKey);
      const badSignature = flipBit(signature, Math.floor(Math.random() * 512));
      expect(wasmVerify(raw, message, badSignature)).toBe(nodeVerify(null, message, publicKey, badSignature));
      const badMessage = flipBit(message, Math.floor(Math.random() * message.length * 8));
      expect(wasmVerify(raw, badMessage, signature)).toBe(nodeVerify(null, badMessage, publicKey, signature));
      const badKey = flipBit(raw, Math.floor(Math.random() * 256));
      let nodeSays = false;
      try {
        nodeSays = nodeVerify(null, message, createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: badKey.toString("base64url") }, format: "jwk" }), signature);
        flippedKeysNodeCouldRead++;
      } catch {
        // Node refuses to import some invalid keys at all.
      }
      expect(wasmVerify(badKey, message, signature)).toBe(nodeSays);
      expect(wasmVerify(raw, message, signature)).toBe(true);
    }
    expect(flippedKeysNodeCouldRead).toBeGreaterThan(0);
  });

  it("rejects S + L (malleability) and S = L, like node:crypto", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = rawPublicKey(publicKey);
    const message = Buffer.from("malleable?");
    const signature = sign(null, message, privateKey);
    const s = fromLittleEndian(signature.subarray(32));
    const r = signature.subarray(0, 32);
    const plusL = Buffer.concat([r, littleEndian(s + L)]);
    expect(nodeVerify(null, message, publicKey, plusL)).toBe(false);
    expect(wasmVerify(raw, message, plusL)).toBe(false);
    expect(wasmVerify(raw, message, Buffer.concat([r, littleEndian(L)]))).toBe(false);
    expect(wasmVerify(raw, message, signature)).toBe(true);
  });

  it("rejects wrong lengths", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = rawPublicKey(publicKey);
    const message = randomBytes(20);
    const signature = sign(null, message, privateKey);
    expect(wasmVerify(raw, message, signature.subarray(0, 63))).toBe(false);
    expect(wasmVerify(raw, message, Buffer.concat([signature, Buffer.alloc(1)]))).toBe(false);
    expect(wasmVerify(raw.subarray(0, 31), message, signature)).toBe(false);
    expect(wasmVerify(Buffer.concat([raw, Buffer.alloc(1)]), message, signature)).toBe(false);
  });

  describe("degenerate keys and R", () => {
    // With A = the neutral element (0, 1), [k]A vanishes: (R, S) = ([S]B, S) verifies for any message.
    const baseEncoding = Buffer.from("58" + "66".repeat(31), "hex");
    const sOne = littleEndian(1n);
    const forgedForNeutralKey = Buffer.concat([baseEncoding, sOne]);
    const message = Buffer.from("any message");

    it("accepts the canonical neutral key like node:crypto (no small-order key check)", () => {
      const neutral = littleEndian(1n);
      const nodeKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: neutral.toString("base64url") }, format: "jwk" });
      expect(nodeVerify(null, message, nodeKey, forgedForNeutralKey)).toBe(true);
      expect(wasmVerify(neutral, message, forgedForNeutralKey)).toBe(true);
    });

    it("rejects a key whose y is not canonical (y = p + 1), which OpenSSL accepts", () => {
      expect(wasmVerify(littleEndian(P + 1n), message, forgedForNeutralKey)).toBe(false);
    });

    it("rejects a key with x = 0 and the sign bit set, which OpenSSL accepts", () => {
      const negativeZero = littleEndian(1n);
      negativeZero[31] |= 0x80;
      expect(wasmVerify(negativeZero, message, forgedForNeutralKey)).toBe(false);
    });

    it("rejects a key whose y has no x on the curve", () => {
      // y = 2: x^2 = (y^2 - 1) / (d y^2 + 1) has no solution (Euler's criterion gives -1).
      const d = (P - ((121665n * modPowP(121666n, P - 2n)) % P)) % P;
      const xSquared = (3n * modPowP((4n * d + 1n) % P, P - 2n)) % P;
      expect(modPowP(xSquared, (P - 1n) / 2n)).toBe(P - 1n);
      expect(wasmVerify(littleEndian(2n), message, forgedForNeutralKey)).toBe(false);
    });

    it("is cofactorless like node:crypto: R = [S]B + T (T of order 2) fails", () => {
      // (x, y) + (0, -1) = (-x, -y): B's x is even, so -x is odd and the sign bit is set.
      const yB = (4n * modPowP(5n, P - 2n)) % P;
      const shifted = littleEndian(P - yB);
      shifted[31] |= 0x80;
      const signature = Buffer.concat([shifted, sOne]);
      const neutral = littleEndian(1n);
      const nodeKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: neutral.toString("base64url") }, format: "jwk" });
      expect(nodeVerify(null, message, nodeKey, signature)).toBe(false);
      expect(wasmVerify(neutral, message, signature)).toBe(false);
    });

    it("rejects a non-canonical R: y = p + 1 encoding the neutral element", () => {
      // [0]B is the neutral element, canonically encoded as y = 1; y = p + 1 names the same point.
      const neutral = littleEndian(1n);
      expect(wasmVerify(neutral, message, Buffer.concat([littleEndian(1n), littleEndian(0n)]))).toBe(true);
      expect(wasmVerify(neutral, message, Buffer.concat([littleEndian(P + 1n), littleEndian(0n)]))).toBe(false);
    });
  });
});

function modPowP(base: bigint, exponent: bigint): bigint {
  return modPow(base, exponent, P);
}
