import {
  constants, createHash, generatePrimeSync, privateEncrypt, randomBytes, randomInt, sign,
} from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ALGORITHM, type CryptoBuild, loadCryptoBuilds, rsaKeyBytes, VERIFY, verifyWith } from "./crypto-modules.js";
import { generateRsaTestKey, rsaTestKeyFromPrimes, type RsaTestKey } from "./rsa-test-keys.js";

type HashName = "sha256" | "sha384" | "sha512";
const HASH_LENGTH: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };
const SCHEMES = [
  { alg: "RS256", id: ALGORITHM.RS256, hash: "sha256", pss: false },
  { alg: "RS384", id: ALGORITHM.RS384, hash: "sha384", pss: false },
  { alg: "RS512", id: ALGORITHM.RS512, hash: "sha512", pss: false },
  { alg: "PS256", id: ALGORITHM.PS256, hash: "sha256", pss: true },
  { alg: "PS384", id: ALGORITHM.PS384, hash: "sha384", pss: true },
  { alg: "PS512", id: ALGORITHM.PS512, hash: "sha512", pss: true },
] as const;
type Scheme = (typeof SCHEMES)[number];

type TestKey = RsaTestKey;
const makeKey = generateRsaTestKey;

const toBig = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);

/**
 * A key of exactly `bits` bits from two primes (OpenSSL rounds odd sizes down
 * to whole bytes, and the PSS path for modBits = 8j+1 needs one).
 */
function makeKeyFromPrimes(bits: number): TestKey {
  for (;;) {
    const p = generatePrimeSync(Math.ceil(bits / 2), { bigint: true });
    const q = generatePrimeSync(Math.floor(bits / 2), { bigint: true });
    if ((p * q).toString(2).length !== bits || p === q || ((p - 1n) * (q - 1n)) % 65537n === 0n) continue;
    return rsaTestKeyFromPrimes(p, q, 65537n);
  }
}

function nodeSign(scheme: Scheme, key: TestKey, message: Buffer, saltLength = HASH_LENGTH[scheme.hash]): Buffer {
  return sign(scheme.hash, message, scheme.pss
    ? { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }
    : { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING });
}

/** s = em^d mod n: a "signature" over an encoded message of our choosing. */
function rawSign(key: TestKey, encodedMessage: Buffer): Buffer {
  return privateEncrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, encodedMessage);
}

const keys = new Map<number, TestKey>();
let builds: CryptoBuild[];
beforeAll(async () => {
  builds = await loadCryptoBuilds();
  for (const bits of [2048, 3072, 4096]) keys.set(bits, makeKey(bits));
  keys.set(2049, makeKeyFromPrimes(2049));
  expect(keys.get(2049)!.n.length).toBe(257);
});


const verify = verifyWith;

function flipBit(bytes: Buffer, index = randomInt(0, bytes.length * 8)): Buffer {
  const copy = Buffer.from(bytes);
  copy[index >> 3]! ^= 1 << (index & 7);
  return copy;
}

describe.each([2048, 3072, 4096, 2049])("RSA %i-bit key", (bits) => {
  it.each(SCHEMES)("$alg: node's signatures verify, and every mutation is rejected", (scheme) => {
    const key = keys.get(bits)!;
    for (const build of builds) {
      for (let round = 0; round < 6; round++) {
        const message = randomBytes(randomInt(0, 3000));
        const signature = nodeSign(scheme, key, message);
        const label = `${build.name} ${scheme.alg} round ${round}`;
        expect(verify(build, scheme.id, key.encoded, message, signature), label).toBe(VERIFY.valid);
        expect(verify(build, scheme.id, key.encoded, message, flipBit(signature)), `${label}: signature bit flip`).toBe(VERIFY.invalid);
        if (message.length > 0) expect(verify(build, scheme.id, key.encoded, flipBit(message), signature), `${label}: message bit flip`).toBe(VERIFY.invalid);
        // A flipped modulus bit below the top byte and above the lowest keeps a valid-looking key of the same size.
        const flippedN = flipBit(key.n, 8 * randomInt(1, key.n.length - 1) + randomInt(0, 8));
        expect(verify(build, scheme.id, rsaKeyBytes(flippedN, key.e), message, signature), `${label}: modulus bit flip`).toBe(VERIFY.invalid);
        expect(verify(build, scheme.id, rsaKeyBytes(key.n, Buffer.of(1, 0, 3)), message, signature), `${label}: other exponent`).toBe(VERIFY.invalid);
      }
    }
  });
});

describe("RSA rejections that need a crafted input", () => {
  const message = Buffer.from("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0");

  it("a signature verified under another hash or the other padding", () => {
    const key = keys.get(2048)!;
    for (const build of builds) {
      for (const scheme of SCHEMES) {
        const signature = nodeSign(scheme, key, message);
        for (const other of SCHEMES) {
          if (other === scheme) continue;
          expect(verify(build, other.id, key.encoded, message, signature), `${scheme.alg} checked as ${other.alg}`).toBe(VERIFY.invalid);
        }
      }
    }
  });

  it("PSS salts of another length than the hash", () => {
    const key = keys.get(2048)!;
    for (const build of builds) {
      for (const scheme of SCHEMES.filter((s) => s.pss)) {
        for (const saltLength of [0, 20, HASH_LENGTH[scheme.hash] - 1, HASH_LENGTH[scheme.hash] + 1]) {
          const signature = nodeSign(scheme, key, message, saltLength);
          expect(verify(build, scheme.id, key.encoded, message, signature), `${scheme.alg} salt ${saltLength}`).toBe(VERIFY.invalid);
        }
      }
    }
  });

  it("signatures of the wrong length, and s >= n", () => {
    const key = keys.get(2048)!;
    const scheme = SCHEMES[0];
    const signature = nodeSign(scheme, key, message);
    for (const build of builds) {
      expect(verify(build, scheme.id, key.encoded, message, Buffer.concat([Buffer.of(0), signature])), "leading zero byte added").toBe(VERIFY.invalid);
      expect(verify(build, scheme.id, key.encoded, message, signature.subarray(1)), "first byte dropped").toBe(VERIFY.invalid);
      expect(verify(build, scheme.id, key.encoded, message, signature.subarray(0, 255)), "last byte dropped").toBe(VERIFY.invalid);
      expect(verify(build, scheme.id, key.encoded, message, Buffer.alloc(0)), "empty").toBe(VERIFY.invalid);
      expect(verify(build, scheme.id, key.encoded, message, key.n), "s = n").toBe(VERIFY.invalid);
      expect(verify(build, scheme.id, key.encoded, message, Buffer.alloc(256, 0xff)), "s = 2^2048 - 1").toBe(VERIFY.invalid);
      // s + n has the same residue as s; if it still fits in k bytes, it must not pass as s.
      const sPlusN = (BigInt(`0x${signature.toString("hex")}`) + BigInt(`0x${key.n.toString("hex")}`)).toString(16);
      if (sPlusN.length <= 512) {
        expect(verify(build, scheme.id, key.encoded, message, Buffer.from(sPlusN.padStart(512, "0"), "hex")), "s + n").toBe(VERIFY.invalid);
      }
    }
  });

  describe("PKCS#1 v1.5: only the exact encoding passes", () => {
    const digestInfoPrefix = Buffer.from("3031300d060960864801650304020105000420", "hex");
    const hash = createHash("sha256").update(message).digest();
    function encode(k: number, tail: Buffer, header = Buffer.of(0x00, 0x01), separator = Buffer.of(0x00)): Buffer {
      const padding = Buffer.alloc(k - header.length - separator.length - tail.length, 0xff);
      return Buffer.concat([header, padding, separator, tail]);
    }

    it("the reference encoding built here is accepted (so the forgeries below are meaningful)", () => {
      const key = keys.get(2048)!;
      const em = encode(256, Buffer.concat([digestInfoPrefix, hash]));
      for (const build of builds) expect(verify(build, ALGORITHM.RS256, key.encoded, message, rawSign(key, em))).toBe(VERIFY.valid);
    });

    it.each([
      ["DigestInfo without the NULL parameters", () => encode(256, Buffer.concat([Buffer.from("302f300b0609608648016503040201", "hex"), Buffer.of(0x04, 0x20), hash]))],
      ["block type 2", () => encode(256, Buffer.concat([digestInfoPrefix, hash]), Buffer.of(0x00, 0x02))],
      ["separator not zero", () => encode(256, Buffer.concat([digestInfoPrefix, hash]), undefined, Buffer.of(0x01))],
      ["garbage after the hash", () => {
        const em = encode(256, Buffer.concat([digestInfoPrefix, hash, Buffer.from("garbage!")]));
        return em;
      }],
      ["a padding byte that is not 0xFF", () => {
        const em = encode(256, Buffer.concat([digestInfoPrefix, hash]));
        em[50] = 0xfe;
        return em;
      }],
      ["the hash of another message", () => encode(256, Buffer.concat([digestInfoPrefix, createHash("sha256").update("other").digest()]))],
      ["DigestInfo with a long-form length", () => encode(256, Buffer.concat([Buffer.from("30813130 0d060960864801650304020105000420".replace(/ /g, ""), "hex"), hash]))],
    ])("%s is rejected", (_name, build) => {
      const key = keys.get(2048)!;
      const em = build();
      expect(em.length).toBe(256);
      for (const b of builds) expect(verify(b, ALGORITHM.RS256, key.encoded, message, rawSign(key, em))).toBe(VERIFY.invalid);
    });
  });

  describe("PSS: every EMSA-PSS-VERIFY check", () => {
    // EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with hooks to break one step at a time.
    function mgf1(seed: Buffer, length: number): Buffer {
      const blocks: Buffer[] = [];
      for (let counter = 0; blocks.length * 32 < length; counter++) {
        const c = Buffer.alloc(4);
        c.writeUInt32BE(counter);
        blocks.push(createHash("sha256").update(seed).update(c).digest());
      }
      return Buffer.concat(blocks).subarray(0, length);
    }
    interface Breakage { trailer?: number; separator?: number; psByte?: boolean; topBit?: boolean; saltLength?: number }
    /** pssEncode until the result is below n, so that it can be signed at all. */
    function signablePssEncode(key: TestKey, broken: Breakage = {}, adjust: (em: Buffer) => void = () => {}): Buffer {
      for (;;) {
        const em = pssEncode(key.bits, broken);
        adjust(em);
        if (toBig(em) < toBig(key.n)) return em;
      }
    }
    function pssEncode(modulusBits: number, broken: Breakage = {}): Buffer {
      const emBits = modulusBits - 1;
      const emLen = Math.ceil(emBits / 8);
      const mHash = createHash("sha256").update(message).digest();
      const salt = randomBytes(broken.saltLength ?? 32);
      const h = createHash("sha256").update(Buffer.alloc(8)).update(mHash).update(salt).digest();
      const ps = Buffer.alloc(emLen - salt.length - 32 - 2);
      if (broken.psByte) ps[ps.length >> 1] = 1;
      const db = Buffer.concat([ps, Buffer.of(broken.separator ?? 0x01), salt]);
      const mask = mgf1(h, db.length);
      const maskedDb = Buffer.from(db.map((byte, i) => byte ^ mask[i]!));
      const unused = 8 * emLen - emBits;
      maskedDb[0]! &= 0xff >> unused;
      if (broken.topBit) maskedDb[0]! |= 0x80;
      const em = Buffer.concat([maskedDb, h, Buffer.of(broken.trailer ?? 0xbc)]);
      // RSASP1 works on k-byte strings; emLen is k-1 when modBits - 1 is a multiple of 8.
      return Buffer.concat([Buffer.alloc(Math.ceil(modulusBits / 8) - emLen), em]);
    }

    it.each([2048, 2049])("the reference encoding built here is accepted (%i-bit key)", (bits) => {
      const key = keys.get(bits)!;
      for (const build of builds) expect(verify(build, ALGORITHM.PS256, key.encoded, message, rawSign(key, pssEncode(bits)))).toBe(VERIFY.valid);
    });

    it.each([
      ["trailer byte not 0xbc", { trailer: 0xbb }],
      ["0x01 separator missing", { separator: 0x02 }],
      ["a non-zero PS byte", { psByte: true }],
      ["the unused top bit set", { topBit: true }],
      ["salt of 31 bytes", { saltLength: 31 }],
    ] as [string, Breakage][])("%s is rejected", (_name, broken) => {
      // A 2049-bit modulus has no unused bits in EM, so the top-bit case applies to 2048 only.
      for (const bits of broken.topBit ? [2048] : [2048, 2049]) {
        const key = keys.get(bits)!;
        const em = signablePssEncode(key, broken);
        for (const build of builds) expect(verify(build, ALGORITHM.PS256, key.encoded, message, rawSign(key, em)), `${bits}`).toBe(VERIFY.invalid);
      }
    });

    it("a non-zero leading byte when emLen < k (2049-bit key) is rejected", () => {
      const key = keys.get(2049)!;
      const em = signablePssEncode(key, {}, (bytes) => { bytes[0] = 0x01; });
      for (const build of builds) expect(verify(build, ALGORITHM.PS256, key.encoded, message, rawSign(key, em))).toBe(VERIFY.invalid);
    });
  });
});

describe("RSA keys", () => {
  const message = Buffer.from("signing input");

  it("verifies with e = 3 and with a leading zero byte on n", () => {
    const key = makeKey(2048, 3);
    const signature = nodeSign(SCHEMES[0], key, message);
    for (const build of builds) {
      expect(verify(build, ALGORITHM.RS256, key.encoded, message, signature)).toBe(VERIFY.valid);
      expect(verify(build, ALGORITHM.RS256, rsaKeyBytes(Buffer.concat([Buffer.of(0), key.n]), key.e), message, signature)).toBe(VERIFY.valid);
    }
  });

  it("switching between keys of different sizes gives the right answers (modulus cache)", () => {
    const order = [2048, 4096, 2048, 3072, 2049, 4096, 3072];
    const signed = order.map((bits) => ({ key: keys.get(bits)!, signature: nodeSign(SCHEMES[3], keys.get(bits)!, message) }));
    for (const build of builds) {
      for (const { key, signature } of signed) expect(verify(build, ALGORITHM.PS256, key.encoded, message, signature)).toBe(VERIFY.valid);
      for (let i = 0; i < signed.length; i++) {
        const other = signed[(i + 1) % signed.length]!;
        if (other.key.bits === signed[i]!.key.bits) continue;
        expect(verify(build, ALGORITHM.PS256, signed[i]!.key.encoded, message, other.signature)).toBe(VERIFY.invalid);
      }
    }
  });

  it("rejects moduli below 2048 bits with key-too-small and above 4096 with key-too-large", () => {
    const small = makeKey(1024);
    const signature = nodeSign(SCHEMES[0], small, message);
    const large = Buffer.concat([Buffer.of(0x01), randomBytes(511), Buffer.of(0x01)]);
    large[512]! |= 1;
    const justBelow = Buffer.concat([Buffer.of(0x7f), randomBytes(254), Buffer.of(0x01)]);
    for (const build of builds) {
      expect(verify(build, ALGORITHM.RS256, small.encoded, message, signature)).toBe(VERIFY.keyTooSmall);
      expect(verify(build, ALGORITHM.RS256, rsaKeyBytes(justBelow, Buffer.of(1, 0, 1)), message, Buffer.alloc(256))).toBe(VERIFY.keyTooSmall);
      expect(verify(build, ALGORITHM.PS256, rsaKeyBytes(large, Buffer.of(1, 0, 1)), message, Buffer.alloc(513))).toBe(VERIFY.keyTooLarge);
    }
  });

  it("rejects malformed keys", () => {
    const key = keys.get(2048)!;
    const signature = nodeSign(SCHEMES[0], key, message);
    const evenN = Buffer.from(key.n);
    evenN[evenN.length - 1]! &= 0xfe;
    const bad: [string, Buffer][] = [
      ["even modulus", rsaKeyBytes(evenN, key.e)],
      ["e = 1", rsaKeyBytes(key.n, Buffer.of(1))],
      ["e = 2", rsaKeyBytes(key.n, Buffer.of(2))],
      ["e even", rsaKeyBytes(key.n, Buffer.of(1, 0, 0))],
      ["e empty", rsaKeyBytes(key.n, Buffer.alloc(0))],
      ["e = 0", rsaKeyBytes(key.n, Buffer.of(0))],
      ["e >= n", rsaKeyBytes(key.n, Buffer.from(key.n))],
      ["n empty", rsaKeyBytes(Buffer.alloc(0), key.e)],
      ["eLen past the end", Buffer.concat([key.encoded.subarray(0, key.encoded.length - 1)])],
      ["trailing byte", Buffer.concat([key.encoded, Buffer.of(0)])],
      ["shorter than two lengths", Buffer.of(1, 0, 0)],
    ];
    const hugeLength = Buffer.from(key.encoded);
    hugeLength.writeUInt32LE(0xffffffff, 0);
    bad.push(["nLen = 2^32-1", hugeLength]);
    for (const build of builds) {
      for (const [name, encoded] of bad) expect(verify(build, ALGORITHM.RS256, encoded, message, signature), name).toBe(VERIFY.keyMalformed);
    }
  });
});
