// ECDSA P-256 / P-384 verification (assembly/crypto/ec/ecdsa.ts) against node:crypto.
import { createHash, generateKeyPairSync, randomBytes, sign, verify as nodeVerify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";

interface EcdsaExports {
  memory: WebAssembly.Memory;
  inputBuffer(): number;
  inputCapacity(): number;
  verify(curve: number, x: number, xLength: number, y: number, yLength: number, digest: number, digestLength: number, signature: number, signatureLength: number): number;
  verifyUncompressed(curve: number, key: number, keyLength: number, digest: number, digestLength: number, signature: number, signatureLength: number): number;
}

let wasm: EcdsaExports;
beforeAll(async () => {
  const compiled = await compileAssemblyScript("test/modules/ec-ecdsa/index.ts", "build/test/ec-ecdsa.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(compiled.outFile), {});
  (instance.exports._initialize as () => void)();
  wasm = instance.exports as unknown as EcdsaExports;
});

/** Copies the byte strings into the module's input buffer; returns their offsets. */
function place(...parts: Uint8Array[]): number[] {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  if (total > wasm.inputCapacity()) throw new Error("inputs too large");
  const memory = new Uint8Array(wasm.memory.buffer, wasm.inputBuffer(), wasm.inputCapacity());
  const offsets: number[] = [];
  let at = 0;
  for (const part of parts) {
    memory.set(part, at);
    offsets.push(at);
    at += part.length;
  }
  return offsets;
}

function wasmVerify(curve: 256 | 384, x: Uint8Array, y: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const [xAt, yAt, digestAt, signatureAt] = place(x, y, digest, signature);
  return wasm.verify(curve, xAt, x.length, yAt, y.length, digestAt, digest.length, signatureAt, signature.length) === 1;
}

function wasmVerifyUncompressed(curve: 256 | 384, key: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const [keyAt, digestAt, signatureAt] = place(key, digest, signature);
  return wasm.verifyUncompressed(curve, keyAt, key.length, digestAt, digest.length, signatureAt, signature.length) === 1;
}

interface Curve {
  bits: 256 | 384;
  name: "P-256" | "P-384";
  hash: "sha256" | "sha384";
  size: number;
  p: bigint;
  n: bigint;
}

const CURVES: Curve[] = [
  {
    bits: 256, name: "P-256", hash: "sha256", size: 32,
    p: BigInt("0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
    n: BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
  },
  {
    bits: 384, name: "P-384", hash: "sha384", size: 48,
    p: BigInt("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
    n: BigInt("0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
  },
];

interface KeyPair { publicKey: KeyObject; privateKey: KeyObject; x: Buffer; y: Buffer; d: bigint }

function keyPair(curve: Curve): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: curve.name });
  const jwk = privateKey.export({ format: "jwk" });
  return {
    publicKey, privateKey,
    x: Buffer.from(jwk.x!, "base64url"),
    y: Buffer.from(jwk.y!, "base64url"),
    d: toBigInt(Buffer.from(jwk.d!, "base64url")),
  };
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt("0x" + Buffer.from(bytes).toString("hex"));
}

function toBytes(value: bigint, length: number): Buffer {
  const hex = value.toString(16).padStart(length * 2, "0");
  if (hex.length !== length * 2) throw new Error("value too large");
  return Buffer.from(hex, "hex");
}

function mod(a: bigint, m: bigint): bigint {
  return ((a % m) + m) % m;
}

interface Signed { message: Buffer; digest: Buffer; signature: Buffer }

function signRandom(curve: Curve, keys: KeyPair, hash: string = curve.hash): Signed {
  const message = randomBytes(1 + Math.floor(Math.random() * 200));
  const signature = sign(hash, message, { key: keys.privateKey, dsaEncoding: "ieee-p1363" });
  return { message, digest: createHash(hash).update(message).digest(), signature };
}

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

describe.each(CURVES)("ECDSA $name", (curve) => {
  const { bits, size, n, p } = curve;
  const signatureCount = bits === 256 ? 300 : 150;

  it(`verifies ${signatureCount} random node:crypto signatures over 10 keys`, () => {
    let verified = 0;
    for (let k = 0; k < 10; k++) {
      const keys = keyPair(curve);
      for (let i = 0; i < signatureCount / 10; i++) {
        const { digest, signature } = signRandom(curve, keys);
        if (wasmVerify(bits, keys.x, keys.y, digest, signature)) verified++;
      }
    }
    expect(verified).toBe(signatureCount);
  });

  it("agrees with node:crypto on single-bit flips of signature, message and key", () => {
    const keys = keyPair(curve);
    for (let i = 0; i < 40; i++) {
      const { message, digest, signature } = signRandom(curve, keys);
      const badSignature = flipBit(signature, Math.floor(Math.random() * signature.length * 8));
      const nodeSays = nodeVerify(curve.hash, message, { key: keys.publicKey, dsaEncoding: "ieee-p1363" }, badSignature);
      expect(wasmVerify(bits, keys.x, keys.y, digest, badSignature)).toBe(nodeSays);
      expect(nodeSays).toBe(false);

      const badMessage = flipBit(message, Math.floor(Math.random() * message.length * 8));
      const badDigest = createHash(curve.hash).update(badMessage).digest();
      expect(wasmVerify(bits, keys.x, keys.y, badDigest, signature)).toBe(false);
      expect(wasmVerify(bits, keys.x, keys.y, flipBit(digest, i), signature)).toBe(false);

      expect(wasmVerify(bits, flipBit(keys.x, i * 3), keys.y, digest, signature)).toBe(false);
      expect(wasmVerify(bits, keys.x, flipBit(keys.y, i * 5 + 1), digest, signature)).toBe(false);
      // The mutations above must not have disturbed anything: the original still verifies.
      expect(wasmVerify(bits, keys.x, keys.y, digest, signature)).toBe(true);
    }
  });

  it("rejects r or s equal to 0 or n, and s + n", () => {
    const keys = keyPair(curve);
    const { digest, signature } = signRandom(curve, keys);
    const r = signature.subarray(0, size);
    const s = signature.subarray(size);
    const zero = Buffer.alloc(size);
    const order = toBytes(n, size);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([r, s]))).toBe(true);
    for (const [badR, badS] of [[zero, s], [r, zero], [order, s], [r, order], [zero, zero]]) {
      expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([badR, badS]))).toBe(false);
    }
    // A random s + n does not fit in `size` bytes; the one that does not fit wraps to another value.
    const sPlusN = toBigInt(s) + n;
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([r, toBytes(sPlusN % (1n << BigInt(8 * size)), size)]))).toBe(false);
  });

  it("rejects s + n for a signature whose s is small enough to encode it", () => {
    // With nonce k = 1: r = Gx mod n, s = e + r d. Choosing s = 12345 fixes the digest e = s - r d.
    const keys = keyPair(curve);
    const gx = curve.bits === 256
      ? BigInt("0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")
      : BigInt("0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7");
    const r = mod(gx, n);
    const s = 12345n;
    const digest = toBytes(mod(s - r * keys.d, n), size);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([toBytes(r, size), toBytes(s, size)]))).toBe(true);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([toBytes(r, size), toBytes(s + n, size)]))).toBe(false);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([toBytes(r, size), toBytes(s + 1n, size)]))).toBe(false);
  });

  it("accepts (r, n - s) like node:crypto (ECDSA is malleable; JWS does not normalize s)", () => {
    const keys = keyPair(curve);
    const { message, digest, signature } = signRandom(curve, keys);
    const negated = Buffer.concat([signature.subarray(0, size), toBytes(n - toBigInt(signature.subarray(size)), size)]);
    const nodeSays = nodeVerify(curve.hash, message, { key: keys.publicKey, dsaEncoding: "ieee-p1363" }, negated);
    expect(nodeSays).toBe(true);
    expect(wasmVerify(bits, keys.x, keys.y, digest, negated)).toBe(nodeSays);
  });

  it("rejects signatures of the wrong length, including DER", () => {
    const keys = keyPair(curve);
    const { message, digest, signature } = signRandom(curve, keys);
    expect(wasmVerify(bits, keys.x, keys.y, digest, signature.subarray(0, 2 * size - 1))).toBe(false);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([signature, Buffer.alloc(1)]))).toBe(false);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.concat([Buffer.alloc(1), signature]))).toBe(false);
    expect(wasmVerify(bits, keys.x, keys.y, digest, Buffer.alloc(0))).toBe(false);
    const der = sign(curve.hash, message, keys.privateKey);
    expect(wasmVerify(bits, keys.x, keys.y, digest, der)).toBe(false);
  });

  it("rejects keys off the curve, with coordinates >= p, or of the wrong length", () => {
    const keys = keyPair(curve);
    const { digest, signature } = signRandom(curve, keys);
    const yPlusOne = toBytes(mod(toBigInt(keys.y) + 1n, p), size);
    expect(wasmVerify(bits, keys.x, yPlusOne, digest, signature)).toBe(false);
    expect(wasmVerify(bits, keys.x, toBytes(p, size), digest, signature)).toBe(false);
    expect(wasmVerify(bits, toBytes(p, size), keys.y, digest, signature)).toBe(false);
    expect(wasmVerify(bits, Buffer.alloc(size, 0xff), keys.y, digest, signature)).toBe(false);
    // (0, 0) is what an encoder might emit for the point at infinity.
    expect(wasmVerify(bits, Buffer.alloc(size), Buffer.alloc(size), digest, signature)).toBe(false);
    expect(wasmVerify(bits, keys.x.subarray(1), keys.y, digest, signature)).toBe(false);
    expect(wasmVerify(bits, Buffer.concat([Buffer.alloc(1), keys.x]), keys.y, digest, signature)).toBe(false);
    // (x, p - y) is the negated key: on the curve, but the signature is not for it.
    const negatedY = toBytes(p - toBigInt(keys.y), size);
    expect(wasmVerify(bits, keys.x, negatedY, digest, signature)).toBe(false);
    expect(wasmVerify(bits, keys.x, keys.y, digest, signature)).toBe(true);
  });

  it("takes the digest's leftmost bits like node:crypto when the hash does not match the curve", () => {
    const keys = keyPair(curve);
    for (const hash of ["sha256", "sha384", "sha512"]) {
      const { message, digest, signature } = signRandom(curve, keys, hash);
      const nodeSays = nodeVerify(hash, message, { key: keys.publicKey, dsaEncoding: "ieee-p1363" }, signature);
      expect(nodeSays).toBe(true);
      expect(wasmVerify(bits, keys.x, keys.y, digest, signature)).toBe(true);
    }
  });

  it("takes an uncompressed 0x04 || X || Y key", () => {
    const keys = keyPair(curve);
    const { digest, signature } = signRandom(curve, keys);
    const spki = keys.publicKey.export({ format: "der", type: "spki" });
    const uncompressed = spki.subarray(spki.length - (1 + 2 * size));
    expect(uncompressed[0]).toBe(4);
    expect(wasmVerifyUncompressed(bits, uncompressed, digest, signature)).toBe(true);
    const compressedPrefix = Buffer.from(uncompressed);
    compressedPrefix[0] = 2;
    expect(wasmVerifyUncompressed(bits, compressedPrefix, digest, signature)).toBe(false);
    expect(wasmVerifyUncompressed(bits, uncompressed.subarray(0, 2 * size), digest, signature)).toBe(false);
  });
});

describe("ECDSA across curves", () => {
  it("rejects a key or signature of the other curve", () => {
    const [p256, p384] = CURVES;
    const keys256 = keyPair(p256);
    const keys384 = keyPair(p384);
    const signed256 = signRandom(p256, keys256);
    const signed384 = signRandom(p384, keys384);
    expect(wasmVerify(256, keys256.x, keys256.y, signed256.digest, signed256.signature)).toBe(true);
    expect(wasmVerify(384, keys384.x, keys384.y, signed384.digest, signed384.signature)).toBe(true);
    expect(wasmVerify(256, keys384.x, keys384.y, signed256.digest, signed256.signature)).toBe(false);
    expect(wasmVerify(384, keys256.x, keys256.y, signed384.digest, signed384.signature)).toBe(false);
    expect(wasmVerify(256, keys256.x, keys256.y, signed384.digest, signed384.signature)).toBe(false);
    expect(wasmVerify(384, keys384.x, keys384.y, signed256.digest, signed256.signature)).toBe(false);
    // A P-256 point widened to 48 bytes is not a P-384 point.
    const widen = (bytes: Buffer) => Buffer.concat([Buffer.alloc(16), bytes]);
    const widenedSignature = Buffer.concat([widen(signed256.signature.subarray(0, 32)), widen(signed256.signature.subarray(32))]);
    expect(wasmVerify(384, widen(keys256.x), widen(keys256.y), signed256.digest, widenedSignature)).toBe(false);
  });
});
