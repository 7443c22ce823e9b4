// RSA keys for the crypto tests, in the forms they need: a Node KeyObject to sign with, n and e as big-endian
// bytes (a JWK's decoded fields), and crypto.wasm's key encoding.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { modInverse } from "../support/bigint-math.js";
import { rsaKeyBytes } from "./crypto-modules.js";

export interface RsaTestKey { bits: number; privateKey: KeyObject; n: Buffer; e: Buffer; encoded: Buffer }

/** Big-endian base64url of a positive integer, as JWK fields carry it. */
export function base64urlOfBigInt(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex").toString("base64url");
}

/** A fresh key from Node's generator. */
export function generateRsaTestKey(bits: number, publicExponent = 65537): RsaTestKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent });
  const jwk = publicKey.export({ format: "jwk" });
  const n = Buffer.from(jwk.n!, "base64url");
  const e = Buffer.from(jwk.e!, "base64url");
  return { bits, privateKey, n, e, encoded: rsaKeyBytes(n, e) };
}

/** The key (p·q, e) with its CRT private parts; e must be invertible modulo (p-1)(q-1). */
export function rsaTestKeyFromPrimes(p: bigint, q: bigint, e: bigint): RsaTestKey {
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const b64 = base64urlOfBigInt;
  const privateKey = createPrivateKey({
    format: "jwk",
    key: {
      kty: "RSA", n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q),
      dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(modInverse(q, p)),
    },
  });
  const nBytes = Buffer.from(b64(n), "base64url");
  const eBytes = Buffer.from(b64(e), "base64url");
  return { bits: n.toString(2).length, privateKey, n: nBytes, e: eBytes, encoded: rsaKeyBytes(nBytes, eBytes) };
}
