// Hand-built JWS compact tokens for the jwt filter tests: any header (alg none, crit, jwk, ...) and any
// payload, signed with node:crypto, so the tests are not limited to what a JWT library agrees to produce.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString("base64url");
}

export type Signer = (input: Buffer) => Buffer;

export function rsaSigner(key: KeyObject, hash: "sha256" | "sha384" | "sha512" = "sha256"): Signer {
  return (input) => sign(hash, input, key);
}

export function ecSigner(key: KeyObject, hash: "sha256" | "sha384" = "sha256"): Signer {
  return (input) => sign(hash, input, { key, dsaEncoding: "ieee-p1363" });
}

export function hmacSigner(secret: Uint8Array, hash: "sha256" | "sha384" | "sha512" = "sha256"): Signer {
  return (input) => createHmac(hash, secret).update(input).digest();
}

/** `header.payload.signature`; objects are JSON-encoded, strings are used as the raw segment text. */
export function makeToken(header: object | string, payload: object | string, signer?: Signer): string {
  const h = typeof header === "string" ? header : base64url(JSON.stringify(header));
  const p = typeof payload === "string" ? payload : base64url(JSON.stringify(payload));
  const input = `${h}.${p}`;
  return `${input}.${signer ? base64url(signer(Buffer.from(input))) : ""}`;
}

export interface TestKeys {
  rsa: { privateKey: KeyObject; publicKey: KeyObject };
  ec256: { privateKey: KeyObject; publicKey: KeyObject };
  ec384: { privateKey: KeyObject; publicKey: KeyObject };
  ed25519: { privateKey: KeyObject; publicKey: KeyObject };
  secret: Buffer;
}

export function generateTestKeys(): TestKeys {
  return {
    rsa: generateKeyPairSync("rsa", { modulusLength: 2048 }),
    ec256: generateKeyPairSync("ec", { namedCurve: "P-256" }),
    ec384: generateKeyPairSync("ec", { namedCurve: "P-384" }),
    ed25519: generateKeyPairSync("ed25519"),
    secret: Buffer.from("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
  };
}

/** A JWKS with one key per type, kids "rsa", "ec256", "ec384", "ed", "hmac". */
export function jwksOf(keys: TestKeys): { keys: Record<string, unknown>[] } {
  return {
    keys: [
      { ...keys.rsa.publicKey.export({ format: "jwk" }), kid: "rsa" },
      { ...keys.ec256.publicKey.export({ format: "jwk" }), kid: "ec256" },
      { ...keys.ec384.publicKey.export({ format: "jwk" }), kid: "ec384" },
      { ...keys.ed25519.publicKey.export({ format: "jwk" }), kid: "ed" },
      { kty: "oct", k: base64url(keys.secret), kid: "hmac" },
    ],
  };
}
