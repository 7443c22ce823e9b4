// Differential test: the jwt filter must accept exactly the tokens jose's jwtVerify accepts with the same
// options (issuer, audience, 60 s clock tolerance, the filter's algorithms), across every algorithm and
// mutations of valid tokens. Deliberate differences stay out of the generated set and are tested in
// jwt.test.ts: exp exactly 60 s ago (Envoy: now > exp + 60, jose: exp <= now - 60), fractional or
// negative exp/nbf/iat (Envoy wants integers), URL audiences (Envoy drops scheme and trailing slash),
// `crit` (refused outright), tokens without kid against several keys of one type.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { seededRandom } from "../support/seeded-random.js";
import * as jose from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { NOW_SECONDS, bearer, compileJwtFilter, startJwt } from "./jwt-harness.js";
import { base64url } from "./jwt-tokens.js";

const ISSUER = "https://issuer.example";
const AUDIENCE = "svc-a";
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512"] as const;
type Alg = (typeof ALGORITHMS)[number];
const TOKENS_PER_ALGORITHM = 110;

let wasm: string;
beforeAll(async () => {
  wasm = await compileJwtFilter("jwt-differential");
});

const random = seededRandom;

interface SigningKeys {
  rsa: KeyObject;
  ec256: KeyObject;
  ec384: KeyObject;
  ed: KeyObject;
  secret: Uint8Array;
  /** Same kid and type, not in the JWKS: signatures that must fail. */
  rogueRsa: KeyObject;
  jwks: jose.JSONWebKeySet;
}

function makeKeys(): SigningKeys {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ec384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const ed = generateKeyPairSync("ed25519");
  const secret = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff);
  return {
    rsa: rsa.privateKey, ec256: ec256.privateKey, ec384: ec384.privateKey, ed: ed.privateKey, secret,
    rogueRsa: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
    jwks: {
      keys: [
        { ...rsa.publicKey.export({ format: "jwk" }), kid: "rsa" },
        { ...ec256.publicKey.export({ format: "jwk" }), kid: "ec256" },
        { ...ec384.publicKey.export({ format: "jwk" }), kid: "ec384" },
        { ...ed.publicKey.export({ format: "jwk" }), kid: "ed" },
        { kty: "oct", k: base64url(secret), kid: "hmac" },
      ] as jose.JWK[],
    },
  };
}

function kidFor(alg: string): string {
  if (alg.startsWith("RS") || alg.startsWith("PS")) return "rsa";
  if (alg === "ES256") return "ec256";
  if (alg === "ES384") return "ec384";
  if (alg === "EdDSA") return "ed";
  return "hmac";
}

function signingKey(keys: SigningKeys, alg: Alg): KeyObject | Uint8Array {
  const kid = kidFor(alg);
  return kid === "rsa" ? keys.rsa : kid === "ec256" ? keys.ec256 : kid === "ec384" ? keys.ec384 : kid === "ed" ? keys.ed : keys.secret;
}

/** The key jose verifies with: the JWKS member whose kid (when the token has one) and type fit the alg. */
function keyResolver(jwks: jose.JSONWebKeySet): jose.JWTVerifyGetKey {
  return async (header) => {
    const alg = header.alg ?? "";
    const fits = (jwk: jose.JWK): boolean => {
      if (header.kid !== undefined && jwk.kid !== header.kid) return false;
      if (alg.startsWith("RS") || alg.startsWith("PS")) return jwk.kty === "RSA";
      if (alg === "ES256") return jwk.kty === "EC" && jwk.crv === "P-256";
      if (alg === "ES384") return jwk.kty === "EC" && jwk.crv === "P-384";
      if (alg === "EdDSA") return jwk.kty === "OKP" && jwk.crv === "Ed25519";
      if (alg.startsWith("HS")) return jwk.kty === "oct";
      return false;
    };
    const jwk = jwks.keys.find(fits);
    if (!jwk) throw new Error("no key");
    return jose.importJWK(jwk, alg);
  };
}

async function joseAccepts(token: string, jwks: jose.JSONWebKeySet): Promise<boolean> {
  try {
    await jose.jwtVerify(token, keyResolver(jwks), {
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTolerance: 60,
      currentDate: new Date(NOW_SECONDS * 1000),
      algorithms: [...ALGORITHMS],
    });
    return true;
  } catch {
    return false;
  }
}

function pick<T>(next: () => number, options: readonly T[]): T {
  return options[Math.floor(next() * options.length)];
}

/** Claims and header of a valid token, then (for about half the tokens) one or two defects or edge values. */
async function baseToken(keys: SigningKeys, alg: Alg, next: () => number): Promise<{ token: string; label: string }> {
  const claims: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE, sub: `user-${Math.floor(next() * 1000)}`, iat: NOW_SECONDS - 100, exp: NOW_SECONDS + 3600 };
  const header: Record<string, unknown> = { alg, typ: "JWT", kid: kidFor(alg) };
  let signer: KeyObject | Uint8Array = signingKey(keys, alg);
  const variations: [string, () => void][] = [
    ["wrong iss", () => { claims.iss = "https://other.example"; }],
    ["no iss", () => { delete claims.iss; }],
    ["wrong aud", () => { claims.aud = "svc-b"; }],
    ["aud list", () => { claims.aud = ["x", AUDIENCE]; }],
    ["no aud", () => { delete claims.aud; }],
    ["expired", () => { claims.exp = NOW_SECONDS - pick(next, [61, 3600]); }],
    ["expired within skew", () => { claims.exp = NOW_SECONDS - 30; }],
    ["no exp", () => { delete claims.exp; }],
    ["exp not a number", () => { claims.exp = String(NOW_SECONDS + 3600); }],
    ["nbf future", () => { claims.nbf = NOW_SECONDS + pick(next, [61, 3600]); }],
    ["nbf within skew", () => { claims.nbf = NOW_SECONDS + 30; }],
    ["nbf past", () => { claims.nbf = NOW_SECONDS - 10; }],
    ["unknown kid", () => { header.kid = "unknown"; }],
    ["no kid", () => { delete header.kid; }],
    ["other type's kid", () => { header.kid = pick(next, ["rsa", "ec256", "ec384", "ed", "hmac"]); }],
    ["rogue key", () => { if (alg.startsWith("RS") || alg.startsWith("PS")) signer = keys.rogueRsa; else claims.iss = "https://other.example"; }],
  ];
  const applied: string[] = [];
  if (next() < 0.5) {
    const count = next() < 0.7 ? 1 : 2;
    for (let i = 0; i < count; i++) {
      const [label, apply] = pick(next, variations);
      apply();
      applied.push(label);
    }
  }
  const token = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header as jose.CompactJWSHeaderParameters)
    .sign(signer);
  return { token, label: `${alg} [${applied.join(", ")}]` };
}

function flipBit(token: string, next: () => number): string {
  for (;;) {
    const at = Math.floor(next() * token.length);
    const code = token.charCodeAt(at) ^ (1 << Math.floor(next() * 7));
    if (code < 0x21 || code > 0x7e) continue;
    return token.slice(0, at) + String.fromCharCode(code) + token.slice(at + 1);
  }
}

function withHeader(token: string, header: object): string {
  const [, payload, signature] = token.split(".");
  return `${base64url(JSON.stringify(header))}.${payload}.${signature}`;
}

async function mutations(keys: SigningKeys, token: string, alg: Alg, next: () => number): Promise<{ token: string; label: string }[]> {
  const header = jose.decodeProtectedHeader(token);
  const out = [{ token: flipBit(token, next), label: "bit flip" }];
  out.push({ token: withHeader(token, { ...header, alg: pick(next, ALGORITHMS.filter((a) => a !== alg)) }), label: "swapped alg" });
  if (next() < 0.3) out.push({ token: withHeader(token, { ...header, alg: pick(next, ["none", "None", "NONE", "nOnE"]) }).replace(/\.[^.]*$/, "."), label: "alg none" });
  // At least one character: an empty token is no token, which the filter rightly lets through unauthenticated.
  if (next() < 0.3) out.push({ token: token.slice(0, Math.max(1, Math.floor(next() * token.length))), label: "truncated" });
  if (next() < 0.2) {
    const [h, p] = token.split(".");
    out.push({ token: `${h}.${p}.${base64url(new Uint8Array(64).map(() => Math.floor(next() * 256)))}`, label: "random signature" });
  }
  return out;
}

describe("jwt filter vs jose", () => {
  it("accepts exactly the tokens jose accepts", { timeout: 120_000 }, async () => {
    const keys = makeKeys();
    const { plugin } = await startJwt(wasm, { rules: [{ issuer: ISSUER, audiences: [AUDIENCE], jwks: JSON.stringify(keys.jwks) }] });
    const next = random(20240611);
    const cases: { token: string; label: string }[] = [];
    for (const alg of ALGORITHMS) {
      for (let i = 0; i < TOKENS_PER_ALGORITHM; i++) {
        const base = await baseToken(keys, alg, next);
        cases.push(base);
        for (const mutated of await mutations(keys, base.token, alg, next)) cases.push({ token: mutated.token, label: `${base.label} + ${mutated.label}` });
      }
    }
    // Key-type confusion: an HMAC over the token with each public key's encodings as the secret.
    const rsaPublic = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    for (const hs of ["HS256", "HS384", "HS512"] as const) {
      for (const kid of ["rsa", "ec256", "ed"]) {
        const jwk = keys.jwks.keys.find((k) => k.kid === kid)!;
        const secrets = [new TextEncoder().encode(JSON.stringify(jwk)), new TextEncoder().encode(jwk.n ?? jwk.x ?? ""), rsaPublic.export({ format: "der", type: "spki" })];
        for (const secret of secrets) {
          const token = await new jose.SignJWT({ iss: ISSUER, aud: AUDIENCE, exp: NOW_SECONDS + 60 }).setProtectedHeader({ alg: hs, kid }).sign(new Uint8Array(secret));
          cases.push({ token, label: `${hs} signed with ${kid} public material` });
        }
      }
    }
    const mismatches: string[] = [];
    let accepted = 0;
    for (const { token, label } of cases) {
      const expected = await joseAccepts(token, keys.jwks);
      const outcome = bearer(plugin, token);
      outcome.http.complete();
      if (expected) accepted++;
      if (outcome.passed !== expected) mismatches.push(`${label}: jose ${expected}, filter ${outcome.passed} (${outcome.status} ${outcome.body}) ${token}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(cases.length).toBeGreaterThan(2500);
    // The set must hold plenty of both verdicts, or agreement would prove little.
    expect(accepted).toBeGreaterThan(500);
    expect(cases.length - accepted).toBeGreaterThan(1500);
  });
});
