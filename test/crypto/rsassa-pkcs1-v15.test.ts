// RS256/384/512 verification as a key is used again and again (assembly/crypto/rsa/rsassa-pkcs1-v15.ts
// and scaled-factors.ts): a key's first use takes the plain path, its second derives the scaled factors,
// later ones compare in scaled form. Each path must give the answers the plain one gives, in both builds.
import { constants, createHash, generatePrimeSync, privateEncrypt, randomBytes, sign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { generateRsaTestKey, rsaTestKeyFromPrimes, type RsaTestKey } from "./rsa-test-keys.js";
import { ALGORITHM, type CryptoBuild, loadCryptoBuilds, rsaKeyBytes, VERIFY, verifyWith } from "./crypto-modules.js";

type TestKey = RsaTestKey;

const SCHEMES = [
  { id: ALGORITHM.RS256, hash: "sha256" },
  { id: ALGORITHM.RS384, hash: "sha384" },
  { id: ALGORITHM.RS512, hash: "sha512" },
] as const;

const makeKey = (bits: number): TestKey => generateRsaTestKey(bits);

/** Two keys on one modulus: e = 3 and e = 65537 (primes p ≡ q ≡ 2 mod 3, so both exponents are usable). */
function keysSharingModulus(bits: number): [TestKey, TestKey] {
  for (;;) {
    const p = generatePrimeSync(bits / 2, { bigint: true });
    const q = generatePrimeSync(bits / 2, { bigint: true });
    const n = p * q;
    if (p === q || n.toString(2).length !== bits || p % 3n !== 2n || q % 3n !== 2n) continue;
    if (((p - 1n) * (q - 1n)) % 65537n === 0n) continue;
    return [rsaTestKeyFromPrimes(p, q, 3n), rsaTestKeyFromPrimes(p, q, 65537n)];
  }
}

function nodeSign(hash: string, key: TestKey, message: Buffer): Buffer {
  return sign(hash, message, { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING });
}

/** s = em^d mod n: a signature over an encoded message of our choosing. */
function rawSign(key: TestKey, encodedMessage: Buffer): Buffer {
  return privateEncrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, encodedMessage);
}

function flipBit(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index >> 3]! ^= 1 << (index & 7);
  return copy;
}

let builds: CryptoBuild[];
beforeAll(async () => {
  builds = await loadCryptoBuilds();
});

const verify = verifyWith;

const message = Buffer.from("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0");

/** A verification to repeat: the message, the signature and the answer expected for a key. */
interface Attempt { message: Buffer; signature: Buffer; expected: number }

const nMinusOne = (key: TestKey) => Buffer.from((BigInt(`0x${key.n.toString("hex")}`) - 1n).toString(16).padStart(key.n.length * 2, "0"), "hex");

describe.each([2048, 3072, 4096])("RSASSA-PKCS1-v1_5 on a %i-bit key used repeatedly", (bits) => {
  const attempts: [string, (key: TestKey) => Attempt][] = [
    ["a valid signature", (key) => ({ message, signature: nodeSign("sha256", key, message), expected: VERIFY.valid })],
    ["a signature with a flipped bit", (key) => ({ message, signature: flipBit(nodeSign("sha256", key, message), 1000), expected: VERIFY.invalid })],
    ["a message with a flipped bit", (key) => ({ message: flipBit(message, 77), signature: nodeSign("sha256", key, message), expected: VERIFY.invalid })],
    ["a signature under another hash", (key) => ({ message, signature: nodeSign("sha512", key, message), expected: VERIFY.invalid })],
    ["s = n - 1", (key) => ({ message, signature: nMinusOne(key), expected: VERIFY.invalid })],
    ["s = 0", (key) => ({ message, signature: Buffer.alloc(key.n.length), expected: VERIFY.invalid })],
  ];

  it.each(attempts)("%s gets the same answer on the first, second and later uses of a fresh key, both builds", (_name, make) => {
    // One key for both builds: each build is its own module instance, so the key is fresh to each.
    const key = makeKey(bits);
    const attempt = make(key);
    for (const build of builds) {
      for (let use = 1; use <= 4; use++) {
        expect(verify(build, ALGORITHM.RS256, key.encoded, attempt.message, attempt.signature), `${build.name} use ${use}`).toBe(attempt.expected);
      }
      const good = nodeSign("sha256", key, message);
      expect(verify(build, ALGORITHM.RS256, key.encoded, message, good), `${build.name} afterwards`).toBe(VERIFY.valid);
    }
  });

  it("RS256, RS384 and RS512 interleaved on one key: valid and mutated signatures", () => {
    const key = makeKey(bits);
    const signed = SCHEMES.map((scheme) => ({ ...scheme, signature: nodeSign(scheme.hash, key, message) }));
    for (const build of builds) {
      for (let round = 0; round < 3; round++) {
        for (const { id, signature } of signed) {
          expect(verify(build, id, key.encoded, message, signature), `${build.name} round ${round} alg ${id}`).toBe(VERIFY.valid);
          expect(verify(build, id, key.encoded, message, flipBit(signature, 8 * signature.length - 1 - round)), `${build.name} flipped`).toBe(VERIFY.invalid);
          expect(verify(build, id, key.encoded, flipBit(message, round), signature), `${build.name} message`).toBe(VERIFY.invalid);
        }
        // Each signature under the other two hashes.
        for (const { id } of signed) {
          for (const other of signed) if (other.id !== id) expect(verify(build, id, key.encoded, message, other.signature)).toBe(VERIFY.invalid);
        }
      }
    }
  });
});

describe("RSASSA-PKCS1-v1_5 key changes", () => {
  it("more keys in rotation than there are factor slots", () => {
    const keys = Array.from({ length: 6 }, () => makeKey(2048));
    const signatures = keys.map((key) => nodeSign("sha256", key, message));
    for (const build of builds) {
      for (let round = 0; round < 4; round++) {
        keys.forEach((key, i) => {
          expect(verify(build, ALGORITHM.RS256, key.encoded, message, signatures[i]!), `${build.name} round ${round} key ${i}`).toBe(VERIFY.valid);
          expect(verify(build, ALGORITHM.RS256, key.encoded, message, signatures[(i + 1) % keys.length]!), `${build.name} other key's signature`).toBe(VERIFY.invalid);
        });
      }
      // Fewer keys than slots: every one gets its factors and keeps them.
      for (let round = 0; round < 4; round++) {
        for (const i of [0, 1, 2, 0, 2, 1]) {
          expect(verify(build, ALGORITHM.RS256, keys[i]!.encoded, message, signatures[i]!)).toBe(VERIFY.valid);
          expect(verify(build, ALGORITHM.RS256, keys[i]!.encoded, message, signatures[3]!)).toBe(VERIFY.invalid);
        }
      }
    }
  });

  it("one modulus with e = 3 and e = 65537: each signature verifies under its own exponent only", () => {
    const [small, large] = keysSharingModulus(2048);
    const bySmall = nodeSign("sha256", small, message);
    const byLarge = nodeSign("sha256", large, message);
    for (const build of builds) {
      for (let round = 0; round < 4; round++) {
        expect(verify(build, ALGORITHM.RS256, small.encoded, message, bySmall), `${build.name} e=3, round ${round}`).toBe(VERIFY.valid);
        expect(verify(build, ALGORITHM.RS256, large.encoded, message, byLarge), `${build.name} e=65537, round ${round}`).toBe(VERIFY.valid);
        expect(verify(build, ALGORITHM.RS256, small.encoded, message, byLarge), `${build.name} e=3 with the other signature`).toBe(VERIFY.invalid);
        expect(verify(build, ALGORITHM.RS256, large.encoded, message, bySmall), `${build.name} e=65537 with the other signature`).toBe(VERIFY.invalid);
      }
    }
  });

  it("leading zero bytes on n and e name the same key", () => {
    const key = makeKey(2048);
    const padded = rsaKeyBytes(Buffer.concat([Buffer.of(0, 0), key.n]), Buffer.concat([Buffer.of(0), key.e]));
    const signature = nodeSign("sha256", key, message);
    for (const build of builds) {
      for (const encoded of [key.encoded, padded, padded, key.encoded, padded]) {
        expect(verify(build, ALGORITHM.RS256, encoded, message, signature)).toBe(VERIFY.valid);
        expect(verify(build, ALGORITHM.RS256, encoded, message, flipBit(signature, 3))).toBe(VERIFY.invalid);
      }
    }
  });

  it("a key that fails its checks neither uses nor disturbs the factors of a good one", () => {
    const key = makeKey(2048);
    const signature = nodeSign("sha256", key, message);
    const evenN = Buffer.from(key.n);
    evenN[evenN.length - 1]! &= 0xfe;
    for (const build of builds) {
      for (let round = 0; round < 3; round++) {
        expect(verify(build, ALGORITHM.RS256, key.encoded, message, signature)).toBe(VERIFY.valid);
        expect(verify(build, ALGORITHM.RS256, rsaKeyBytes(evenN, key.e), message, signature)).toBe(VERIFY.keyMalformed);
        expect(verify(build, ALGORITHM.RS256, key.encoded, message, signature.subarray(1))).toBe(VERIFY.invalid);
      }
    }
  });
});

describe("RSASSA-PKCS1-v1_5: forged encodings on a warm key", () => {
  const digestInfoPrefix = Buffer.from("3031300d060960864801650304020105000420", "hex");
  const hash = createHash("sha256").update(message).digest();
  function encode(tail: Buffer, header = Buffer.of(0x00, 0x01), separator = Buffer.of(0x00)): Buffer {
    return Buffer.concat([header, Buffer.alloc(256 - header.length - separator.length - tail.length, 0xff), separator, tail]);
  }
  let key: TestKey;
  beforeAll(() => {
    key = makeKey(2048);
  });

  it.each([
    ["block type 2", () => encode(Buffer.concat([digestInfoPrefix, hash]), Buffer.of(0x00, 0x02))],
    ["separator not zero", () => encode(Buffer.concat([digestInfoPrefix, hash]), undefined, Buffer.of(0x01))],
    ["garbage after the hash", () => encode(Buffer.concat([digestInfoPrefix, hash, Buffer.from("garbage!")]))],
    ["a padding byte that is not 0xFF", () => {
      const em = encode(Buffer.concat([digestInfoPrefix, hash]));
      em[50] = 0xfe;
      return em;
    }],
    ["DigestInfo without the NULL parameters", () => encode(Buffer.concat([Buffer.from("302f300b0609608648016503040201", "hex"), Buffer.of(0x04, 0x20), hash]))],
    ["the hash of another message", () => encode(Buffer.concat([digestInfoPrefix, randomBytes(32)]))],
    ["the encoding shifted right by a byte", () => Buffer.concat([Buffer.of(0), encode(Buffer.concat([digestInfoPrefix, hash])).subarray(0, 255)])],
  ])("%s is rejected after the key's factors exist", (_name, build) => {
    const em = build();
    expect(em.length).toBe(256);
    const forged = rawSign(key, em);
    const reference = rawSign(key, encode(Buffer.concat([digestInfoPrefix, hash])));
    for (const b of builds) {
      for (let use = 0; use < 3; use++) {
        expect(verify(b, ALGORITHM.RS256, key.encoded, message, reference), `${b.name} reference, use ${use}`).toBe(VERIFY.valid);
        expect(verify(b, ALGORITHM.RS256, key.encoded, message, forged), `${b.name} forgery, use ${use}`).toBe(VERIFY.invalid);
      }
    }
  });
});
